"""textDocument/inlayHint: each field's length against its limit (``31/200``), marked when over.

The limits come from the amazon-style pack's length rules (STY001 long-title and its siblings); without
any length rule loaded there is nothing to show, and the tests say so when they skip.
"""

from __future__ import annotations

import pytest
from lsprotocol import types

from .lsp_harness import LOOP, listing_md, utf16_col, write_config

pytestmark = LOOP

TITLE = "Vantora Insulated Bottle, 32 oz"  # 31 characters


def length_rules() -> dict[str, str]:
    """Return {rule id: field kind} of the length rules the server will load (same packs, same environment)."""
    from listing_lint.config import Config
    from listing_lint.engine.kinds.length import Length
    from listing_lint.engine.lint import ruleset_for

    return {r.spec.id: sorted(f.value for f in r.fields)[0]
            for r in ruleset_for(Config()).rules if isinstance(r.kind, Length)}


def needs_length_rule(field: str):
    rules = length_rules()
    if field not in rules.values():
        pytest.skip(f"no length rule for the {field} field is loaded (the amazon-style pack's STY001-style rules "
                    f"give the limits; loaded length rules: {rules or 'none'})")


async def hints(client, uri: str, last_line: int = 100) -> list[types.InlayHint]:
    return list(await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(0, 0), types.Position(last_line, 0)))) or [])


async def test_title_length_against_its_limit(shared, tmp_path):
    needs_length_rule("title")
    client = shared
    write_config(tmp_path, "")
    text = listing_md(title=TITLE, bullets=("Keeps drinks cold for 24 hours.",), search_terms="bottle flask")
    uri = client.open(tmp_path / "bottle.listing.md", text)
    await client.diagnostics_for(uri, version=1)
    result = await hints(client, uri)
    title = [h for h in result if h.position.line == 1]
    assert [h.label for h in title] == ["31/200"]
    assert title[0].position == types.Position(1, 31)
    assert "title: 31 characters; the limit is 200 (long-title)" in title[0].tooltip
    # Each hint sits at the end of its field: the bullet's and the search terms' too, when rules exist for them.
    for hint in result:
        line = client.texts[uri].splitlines()[hint.position.line]
        assert hint.position.character == utf16_col(line, len(line))
        used, limit = hint.label.split()[0].split("/")
        assert int(used) <= int(limit)


async def test_over_the_limit_and_utf16_position(shared, tmp_path):
    needs_length_rule("title")
    client = shared
    write_config(tmp_path, "[limits]\ntitle-max-chars = 20\n")
    title = "Vantora 🚀 Bottle, 32 oz, Steel"  # 30 characters, 31 UTF-16 code units
    uri = client.open(tmp_path / "bottle.listing.md", listing_md(title=title))
    await client.diagnostics_for(uri, version=1)
    [hint] = [h for h in await hints(client, uri) if h.position.line == 1]
    assert hint.label == "30/20 over"
    assert hint.position == types.Position(1, 31)
    assert "over by 10" in hint.tooltip
    # The long-title finding says the same.
    assert any(str(d.code) == "STY001" for d in client.diagnostics[uri])


async def test_hints_only_in_the_requested_range_and_follow_edits(shared, tmp_path):
    needs_length_rule("title")
    client = shared
    write_config(tmp_path, "")
    uri = client.open(tmp_path / "bottle.listing.md", listing_md(title=TITLE))
    await client.diagnostics_for(uri, version=1)
    assert [h for h in await hints(client, uri, last_line=0)] == []
    version = client.replace(uri, listing_md(title=TITLE + " Steel"))
    await client.diagnostics_for(uri, version=version)
    assert [h.label for h in await hints(client, uri) if h.position.line == 1] == ["37/200"]


async def test_field_lengths_setting_turns_hints_off(configured, tmp_path):
    """The ``configured`` server runs with ``fieldLengths: false``."""
    needs_length_rule("title")
    client = configured
    write_config(tmp_path, "")
    uri = client.open(tmp_path / "bottle.listing.md", listing_md(title=TITLE))
    await client.diagnostics_for(uri, version=1)
    assert await hints(client, uri) == []


async def test_unknown_document_has_no_hints(shared, tmp_path):
    assert await hints(shared, (tmp_path / "never-opened.listing.md").as_uri()) == []
