"""Layer 3 (engine kind): flag more fields of one kind than allowed (e.g. more than 5 bullets).

What it does: counts the fields in scope and reports each one past the limit.

Options:
- ``limit``: the default maximum number of fields.
- ``setting``: the ``[limits]`` config key that overrides it (e.g. ``bullet-max-count``).

Example: a listing with 7 bullets and ``limit = 5`` gets findings on bullets 6 and 7.

Fix safety: no fix; which bullets to keep is the seller's call.
"""

from __future__ import annotations

from . import Hit, Kind


class Count(Kind):
    """Report the fields past the allowed count."""

    options_schema = {"limit": int, "setting": str}
    required = ("limit",)

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Yield every field after the first ``limit``."""
        setting = self.opt("setting")
        configured = ctx.config.limit(setting) if setting else None
        limit = configured if configured is not None else self.opt("limit")
        fields = list(fields)
        for field in fields[limit:]:
            yield Hit(field, 0, len(field.text), values={"count": len(fields), "limit": limit}, fixable=False)
