"""textDocument/documentSymbol: the outline of a listing, and one symbol per SKU in a catalog."""

from __future__ import annotations

import json

from lsprotocol import types

from .lsp_harness import LOOP, policy_config, utf16_col

pytestmark = LOOP

LISTING = """---
sku: VT-BL-1200
brand: Vantora
---
# Title
Vantora 🚀 Glass Blender 1200W, 5 Speeds

## Bullet points
- Crushes ice in seconds.
- Dishwasher-safe jar.
- Quiet motor.

## Description
A blender for smoothies
and soups.

## Insert card
Thank you for your order!

## Search terms
blender smoothie maker
"""


async def symbols(client, uri: str) -> list[types.DocumentSymbol]:
    return await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def test_markdown_outline(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "blender.listing.md", LISTING)
    await client.diagnostics_for(uri, version=1)
    result = await symbols(client, uri)
    assert [s.name for s in result] == ["Title", "Bullet 1", "Bullet 2", "Bullet 3", "Description", "Insert card",
                                        "Search terms"]
    assert all(s.kind == types.SymbolKind.Field for s in result)
    title = result[0]
    line = "Vantora 🚀 Glass Blender 1200W, 5 Speeds"
    assert title.range == types.Range(types.Position(5, 0), types.Position(5, utf16_col(line, len(line))))
    assert title.detail == line
    assert result[1].range.start == types.Position(8, 2)
    description = result[4]
    assert (description.range.start, description.range.end) == (types.Position(13, 0), types.Position(14, 10))
    for s in result:
        assert s.range.start <= s.selection_range.start and s.selection_range.end <= s.range.end


async def test_outline_follows_edits(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "blender.listing.md", LISTING)
    version = client.replace(uri, LISTING.replace("- Quiet motor.\n", "- Quiet motor.\n- Two-year warranty.\n"))
    await client.diagnostics_for(uri, version=version)
    names = [s.name for s in await symbols(client, uri)]
    assert names[1:5] == ["Bullet 1", "Bullet 2", "Bullet 3", "Bullet 4"]


async def test_catalog_has_one_symbol_per_sku_with_field_children(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    csv = ("item_sku,item_name,bullet_point1,bullet_point2,product_description\n"
           "VT-1,Vantora Kettle,Boils fast,Auto shut-off,A kettle.\n"
           'VT-2,"Vantora Blender, 1200W",Crushes ice,,"A blender\nfor smoothies."\n')
    uri = client.open(tmp_path / "catalog.csv", csv, language_id="csv")
    await client.diagnostics_for(uri, version=1)
    result = await symbols(client, uri)
    assert [(s.name, s.kind) for s in result] == [("VT-1", types.SymbolKind.Object), ("VT-2", types.SymbolKind.Object)]
    assert [c.name for c in result[0].children] == ["Title", "Bullet 1", "Bullet 2", "Description"]
    assert [c.name for c in result[1].children] == ["Title", "Bullet 1", "Description"]
    assert result[0].range.start.line == 1 and result[1].range.start.line == 2 and result[1].range.end.line == 3
    title = result[1].children[0]
    assert title.range.start == types.Position(2, 6) and title.detail == "Vantora Blender, 1200W"


async def test_jsonl_catalog(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    rows = [{"sku": "VT-1", "title": "Kettle", "bullets": ["Boils fast"]},
            {"sku": "VT-2", "title": "Blender", "bullets": ["Crushes ice", "Quiet"], "search_terms": "blender"}]
    uri = client.open(tmp_path / "catalog.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n", language_id="jsonl")
    await client.diagnostics_for(uri, version=1)
    result = await symbols(client, uri)
    assert [s.name for s in result] == ["VT-1", "VT-2"]
    assert [c.name for c in result[1].children] == ["Title", "Bullet 1", "Bullet 2", "Search terms"]
    assert result[1].range.start.line == 1


async def test_unknown_document_has_no_symbols(shared, tmp_path):
    assert not await symbols(shared, (tmp_path / "never-opened.listing.md").as_uri())
