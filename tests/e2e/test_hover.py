"""textDocument/hover on a flagged span: the rule's rationale, its policy link and a bad and a good example."""

from __future__ import annotations

from lsprotocol import types

from .lsp_harness import LOOP, listing_md, policy_config

pytestmark = LOOP


async def hover(client, uri: str, line: int, character: int):
    return await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line, character)))


async def test_hover_on_a_flagged_span_explains_the_rule(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "blender.listing.md", listing_md(bullets=("🚀 Recipes at www.vantora.com/recipes",)))
    [diagnostic] = await client.diagnostics_for(uri, version=1)

    for character in (diagnostic.range.start.character, diagnostic.range.start.character + 5,
                      diagnostic.range.end.character):
        result = await hover(client, uri, 4, character)
        assert result is not None, character
        assert result.range == diagnostic.range
    value = result.contents.value
    assert result.contents.kind == types.MarkupKind.Markdown
    assert value.startswith("**POL001 external-url**: Web address 'www.vantora.com/recipes' sends buyers off Amazon.")
    assert "Amazon forbids any link, URL or web address" in value  # the rationale
    assert "Policy: [https://sellercentral.amazon.com/help/hub/reference/external/200386250](" in value
    assert "Bad: `" in value and "Fixed: `" in value and "Good: `" in value
    assert "Fix, safe: Remove 'www.vantora.com/recipes'" in value


async def test_hover_elsewhere_is_empty(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "blender.listing.md", listing_md(bullets=("Recipes at www.vantora.com/recipes",)))
    await client.diagnostics_for(uri, version=1)
    assert await hover(client, uri, 1, 3) is None  # the title has no finding
    assert await hover(client, uri, 4, 3) is None  # same line, before the URL
    assert await hover(client, uri, 40, 0) is None  # past the end of the document


async def test_hover_names_the_unsafe_fix_and_its_safety(shared, tmp_path):
    client = shared
    policy_config(tmp_path, brands='competitors = ["Ninja"]')
    uri = client.open(tmp_path / "blender.listing.md", listing_md(title="Blender, better than Ninja"))
    [diagnostic] = await client.diagnostics_for(uri, version=1)
    result = await hover(client, uri, 1, diagnostic.range.start.character + 1)
    assert result.contents.value.startswith("**POL005 competitor-brand**")
    assert "Fix, review before applying: Remove 'Ninja' (" in result.contents.value  # the title, then why
    assert "unsafe" not in result.contents.value  # tool jargon, not a seller's word
