"""Layer 3 (engine kind): flag a field longer than its limit, in characters or UTF-8 bytes.

What it does: measures each field in scope and, when it is over the limit, reports the part past it.

Options:
- ``limit``: the default maximum.
- ``unit``: ``chars`` (default) or ``bytes`` (UTF-8, as Amazon counts search terms).
- ``setting``: the ``[limits]`` config key that overrides the limit (e.g. ``title-max-chars``).
- ``marketplaces``: a table of marketplace -> limit for marketplaces with their own number.

The limit in force is the config's ``[limits]`` setting, else the ``marketplaces`` entry for the listing's
marketplace, else its platform's own limit for the setting (profiles.py: eBay titles 80 characters; a field
the platform publishes no limit for is not measured there), else ``limit``. The listing's marketplace, else
the config's, decides. A platform's limit is named in the message ("eBay's limit is 80").

Example: a 230-character title with ``limit = 200`` is reported from character 201 on.

Fix safety: no fix; only the seller can decide what to cut.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ...profiles import AMAZON, Limit, platform_of
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

    def limit_for(self, ctx: "LintContext", marketplace: Optional[str]) -> Optional[int]:
        """Return the limit in force (None: none on this platform); see the module docstring for the order."""
        return self._limit(ctx, marketplace)[0]

    def _limit(self, ctx: "LintContext", marketplace: Optional[str]) -> tuple[Optional[int], Optional[str]]:
        """Return the limit in force and, when it is a platform's own, that platform's name."""
        return self.for_config(ctx, self._find_limit, marketplace)

    def _find_limit(self, ctx: "LintContext", marketplace: Optional[str]) -> tuple[Optional[int], Optional[str]]:
        setting = self.opt("setting")
        configured = ctx.config.limit(setting) if setting else None
        if configured is not None:
            return configured, None
        market = marketplace or ctx.config.marketplace
        markets = self.opt("marketplaces", {})
        if market in markets:
            return markets[market], None
        platform = platform_of(market)
        own: Optional[Limit] = platform.limits.get(setting) if setting and platform is not AMAZON else None
        if own is not None:
            return own.value, platform.name
        return self.opt("limit"), None

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

    def fields_to_check(self, listing, fields, ctx):  # type: ignore[override]
        """Return the fields over the limit in force."""
        limit = self._limit(ctx, listing.marketplace)[0]
        if limit is None:
            return ()
        if self.unit == "chars":
            return [field for field in fields if len(field.text) > limit]
        return [field for field in fields if self.measure(field.text) > limit]

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Yield the over-limit tail of each field."""
        limit, platform = self._limit(ctx, listing.marketplace)
        if limit is None:
            return
        # "the limit is 80" says whose limit it is when it is the platform's own: "eBay's limit is 80".
        message = self.spec.message.replace("the limit is", f"{platform}'s limit is") if platform else None
        for field in fields:
            length = self.measure(field.text)
            if length > limit:
                start = self.cut_index(field.text, limit)
                yield Hit(field, start, len(field.text), values={"length": length, "limit": limit,
                                                                   "unit": "bytes" if self.unit == "bytes" else "characters"},
                          message=message)
