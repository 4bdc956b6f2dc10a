"""Layer 3 (engine kind): flag a field longer than its limit, in characters or UTF-8 bytes.

What it does: measures each field in scope and, when it is over the limit, reports the part past it.

Options:
- ``limit``: the default maximum.
- ``unit``: ``chars`` (default) or ``bytes`` (UTF-8, as Amazon counts search terms).
- ``setting``: the ``[limits]`` config key that overrides the limit (e.g. ``title-max-chars``).
- ``marketplaces``: a table of marketplace -> limit for marketplaces with their own number.

Example: a 230-character title with ``limit = 200`` is reported from character 201 on.

Fix safety: no fix; only the seller can decide what to cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..spec import RuleSpec
from . import Hit, Kind

if TYPE_CHECKING:
    from ..context import LintContext


class Length(Kind):
    """Report fields over a length limit."""

    options_schema = {"limit": int, "unit": str, "setting": str, "marketplaces": dict}
    required = ("limit",)

    def __init__(self, spec: RuleSpec, text: str = "") -> None:
        super().__init__(spec, text)
        self.unit = self.opt("unit", "chars")
        if self.unit not in ("chars", "bytes"):
            raise self.error("unit", "expected \"chars\" or \"bytes\"")
        for market, value in self.opt("marketplaces", {}).items():
            if not isinstance(value, int) or value < 0:
                raise self.error("marketplaces", f"limit for {market!r} must be a non-negative integer")

    def limit_for(self, ctx: "LintContext", marketplace: Optional[str]) -> int:
        """Return the limit in force: the config override, else the marketplace's, else the default."""
        setting = self.opt("setting")
        configured = ctx.config.limit(setting) if setting else None
        if configured is not None:
            return configured
        market = marketplace or ctx.config.marketplace
        return self.opt("marketplaces", {}).get(market, self.opt("limit"))

    def measure(self, text: str) -> int:
        """Return the length of text in the rule's unit."""
        return len(text.encode("utf-8", "surrogatepass")) if self.unit == "bytes" else len(text)

    def cut_index(self, text: str, limit: int) -> int:
        """Return the index of the first character past the limit."""
        if self.unit == "chars":
            return limit
        used = 0
        for i, ch in enumerate(text):
            used += len(ch.encode("utf-8", "surrogatepass"))
            if used > limit:
                return i
        return len(text)

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Yield the over-limit tail of each field."""
        limit = self.limit_for(ctx, listing.marketplace)
        for field in fields:
            length = self.measure(field.text)
            if length > limit:
                start = self.cut_index(field.text, limit)
                yield Hit(field, start, len(field.text), values={"length": length, "limit": limit,
                                                                   "unit": "bytes" if self.unit == "bytes" else "characters"})
