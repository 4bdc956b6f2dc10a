"""Layer 5a (LSP): textDocument/documentSymbol: the listing's outline (Title, Bullet 1..n, ...)."""

from __future__ import annotations

from lsprotocol import types

TITLES = {"title": "Title", "description": "Description", "insert card": "Insert card", "search terms": "Search terms"}


def _field_name(name: str) -> str:
    return TITLES.get(name, name[:1].upper() + name[1:])


def register(server) -> None:
    """Register the document symbol handler."""

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def document_symbol(ls, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        linted = await ls.current(params.text_document.uri)
        if linted is None or linted.result is None:
            return []
        pos = linted.positions
        out: list[types.DocumentSymbol] = []
        listings = linted.result.listings
        for n, item in enumerate(listings):
            listing = item.listing
            children = []
            for field in listing.fields:
                r = pos.range(field.source_offset(0), field.end)
                preview = field.text.replace("\n", " ")
                children.append(types.DocumentSymbol(
                    name=_field_name(field.name), kind=types.SymbolKind.Field, range=r, selection_range=r,
                    detail=preview[:60] + ("…" if len(preview) > 60 else ""),
                ))
            if len(listings) == 1:
                out.extend(children)
            elif children:
                r = types.Range(children[0].range.start, children[-1].range.end)
                out.append(types.DocumentSymbol(
                    name=listing.sku or f"Listing {n + 1}", kind=types.SymbolKind.Object, range=r,
                    selection_range=children[0].range, children=children,
                ))
        return out
