"""Layer 3 (engine kind): flag a listing with more fields of one kind than allowed (e.g. more than 5 bullets).

What it does: counts the fields in scope and reports the listing once, on the first field past the
limit, with the count and both limits in the message.

Options:
- ``limit``: the default maximum number of fields (the seller limit).
- ``setting``: the ``[limits]`` config key that overrides it (e.g. ``bullet-max-count``).
- ``vendor-limit``: a second, higher limit named in the message (vendors get 10 bullets).
- ``vendor-setting``: the ``[limits]`` key that overrides it (e.g. ``vendor-bullet-max-count``).
- ``over-both``: the message used when the count is past the vendor limit too.

Example: a listing with 7 bullets, ``limit = 5`` and ``vendor-limit = 10`` gets one finding on
bullet 6. Message values: ``{count}``, ``{limit}``, ``{vendor_limit}``, ``{first}`` (the first field
past the limit) and ``{past}`` ("bullet 6" or "bullets 6–7").

Fix safety: no fix; which bullets to keep is the seller's call.
"""

from __future__ import annotations

from . import Hit, Kind


class Count(Kind):
    """Report a listing once when it has more fields in scope than allowed."""

    options_schema = {"limit": int, "setting": str, "vendor-limit": int, "vendor-setting": str, "over-both": str}
    required = ("limit",)

    def _limits(self, ctx) -> tuple:
        """Return the limit and the vendor limit in force."""
        return self.for_config(ctx, self._configured_limits)

    def _configured_limits(self, ctx, _key=None) -> tuple:
        return self._limit(ctx, "limit", "setting"), self._limit(ctx, "vendor-limit", "vendor-setting")

    def _limit(self, ctx, key: str, setting_key: str):
        setting = self.opt(setting_key)
        configured = ctx.config.limit(setting) if setting else None
        return configured if configured is not None else self.opt(key)

    def fields_to_check(self, listing, fields, ctx):  # type: ignore[override]
        """Return the fields in scope when there are more than the limit, else none."""
        return fields if len(fields) > self._limits(ctx)[0] else ()

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Yield one hit on the first field past the limit, if there is one."""
        limit, vendor = self._limits(ctx)
        fields = list(fields)
        if len(fields) <= limit:
            return
        first = fields[limit]
        n = len(fields)
        past = f"bullet {limit + 1}" if n == limit + 1 else f"bullets {limit + 1}–{n}"
        if first.kind.value != "bullet":
            past = f"{first.kind.value.replace('_', ' ')} fields {limit + 1}–{n}"
        values = {"count": n, "limit": limit, "first": limit + 1, "past": past,
                  "vendor_limit": vendor if vendor is not None else limit}
        message = None
        if vendor is not None and len(fields) > vendor and self.opt("over-both"):
            message = self.opt("over-both")
        yield Hit(first, 0, len(first.text), values=values, message=message, fixable=False)
