"""Layer 5a (LSP): textDocument/inlayHint: each field's length against its limit, e.g. ``142/200``."""

from __future__ import annotations

from lsprotocol import types


def register(server) -> None:
    """Register the inlay hint handler."""

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    async def inlay_hint(ls, params: types.InlayHintParams) -> list[types.InlayHint]:
        uri = params.text_document.uri
        linted = await ls.current(uri)
        path = None
        from ..server import uri_to_path

        path = uri_to_path(uri)
        if linted is None or linted.result is None or not ls.settings_for(path).field_lengths:
            return []
        from ...engine.kinds.length import Length

        rules = linted.rules
        length_rules = [r for r in rules.rules if isinstance(r.kind, Length)]
        hints: list[types.InlayHint] = []
        pos = linted.positions
        lo, hi = pos.offset(params.range.start), pos.offset(params.range.end)
        for item in linted.result.listings:
            listing = item.listing
            for field in listing.fields:
                end = field.end
                if not lo <= end <= hi:
                    continue
                for rule in length_rules:
                    if field.kind not in rule.fields:
                        continue
                    limit = rule.kind.limit_for(rules.context, listing.marketplace)
                    if limit is None:  # the listing's platform sets no limit for this field (profiles.py)
                        continue
                    length = rule.kind.measure(field.text)
                    unit = "bytes" if rule.kind.unit == "bytes" else "characters"
                    over = length > limit
                    hints.append(types.InlayHint(
                        position=pos.position(end),
                        label=f"{length}/{limit}{' over' if over else ''}",
                        kind=types.InlayHintKind.Parameter,
                        padding_left=True,
                        tooltip=f"{field.name}: {length} {unit}; the limit is {limit} ({rule.spec.name})"
                                + (f", over by {length - limit}" if over else ""),
                    ))
        return hints
