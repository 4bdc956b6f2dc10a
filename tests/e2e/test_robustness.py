"""The server stays up: oversized documents, requests about unknown documents, forged code-action data, a
user rule whose pattern backtracks catastrophically, and hostile documents (NUL bytes, lone surrogates, binary,
a 1 MB line, 50 MB, a flood of findings, broken JSON, JSONL and CSV, a rule pack with an invalid regex).

Malformed JSON-RPC on the server's stdin is in test_jsonrpc.py."""

from __future__ import annotations

import time

from lsprotocol import types

from .lsp_harness import LOOP, codes, listing_md, offset_of, policy_config, position_of, write_config

pytestmark = LOOP


async def still_answers(client, tmp_path) -> None:
    """Open a fresh listing and get its diagnostics: the server is alive and linting."""
    folder = tmp_path / f"alive-{time.monotonic_ns()}"
    folder.mkdir()
    policy_config(folder)
    uri = client.open(folder / "alive.listing.md", listing_md(bullets=("Visit vantora.com",)))
    assert "POL001" in codes(await client.diagnostics_for(uri, version=1))


async def test_a_document_over_max_document_size_gets_one_information_diagnostic(configured, tmp_path):
    client = configured  # maxDocumentSize: 5000
    policy_config(tmp_path)
    big = listing_md(bullets=("Visit vantora.com",), description="Steel. " * 1000)
    uri = client.open(tmp_path / "big.listing.md", big)
    [diagnostic] = await client.diagnostics_for(uri, version=1)
    assert diagnostic.severity == types.DiagnosticSeverity.Information
    assert "maxDocumentSize" in diagnostic.message and f"{len(big):,}" in diagnostic.message
    assert diagnostic.range.start == types.Position(0, 0)
    # Shrunk below the limit, it is linted again.
    version = client.replace(uri, listing_md(bullets=("Visit vantora.com",)))
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]


async def test_requests_about_documents_never_opened(shared, tmp_path):
    client = shared
    uri = (tmp_path / "never-opened.listing.md").as_uri()
    doc = types.TextDocumentIdentifier(uri=uri)
    here = types.Position(0, 0)
    assert await client.text_document_hover_async(types.HoverParams(text_document=doc, position=here)) is None
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc, range=types.Range(here, here), context=types.CodeActionContext(diagnostics=[
            types.Diagnostic(range=types.Range(here, here), message="x", source="listing-lint", code="POL005",
                             data={"rule": "competitor-brand", "fixes": []})])))
    assert not actions
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc))
    assert not report.items
    assert not await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
    assert not await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc, range=types.Range(here, types.Position(10, 0))))
    # Closing or changing a document that was never opened is ignored too.
    client.close(uri)
    await still_answers(client, tmp_path)


async def test_forged_code_action_data_does_not_break_the_server(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "a.listing.md", listing_md(bullets=("Visit vantora.com",)))
    [real] = await client.diagnostics_for(uri, version=1)
    here = types.Range(types.Position(4, 2), types.Position(4, 7))
    forged = [
        types.Diagnostic(range=here, message="x", source="listing-lint", data={"fixes": [{"title": "no edits"}]}),
        types.Diagnostic(range=here, message="x", source="listing-lint",
                         data={"rule": "external-url",
                               "fixes": [{"title": "t", "applicability": "sure", "edits": []}]}),
        types.Diagnostic(range=here, message="x", source="listing-lint", data={"rule": 7, "fixes": "none"}),
        types.Diagnostic(range=types.Range(types.Position(99, 0), types.Position(99, 3)), message="x",
                         source="listing-lint", data={"rule": "competitor-brand", "fixes": []}),
    ]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=here,
        context=types.CodeActionContext(diagnostics=[*forged, real], only=[types.CodeActionKind.QuickFix])))
    # The real diagnostic's fix still comes back; the forged ones give nothing (or only a suppression).
    assert "Remove the bullet point with 'vantora.com'" in [a.title for a in actions]  # all the bullet says
    await still_answers(client, tmp_path)


# The `regex` module defuses the textbook '(a+)+$'; an alternation of overlapping choices still runs away:
# on 38 a's and a '!', '(a|aa)+$' tries every way of splitting the a's into ones and twos.
CATASTROPHIC_PACK = '''
[[rules]]
id = "USR001"
name = "repeated-a"
kind = "existence"
fields = ["bullet"]
severity = "warning"
message = "'{match}' repeats the letter a."
rationale = "A test rule whose pattern backtracks catastrophically on a run of a's that does not end the text."
policy = "https://example.com/policy"
patterns = ['(a|aa)+$']

[[rules.examples]]
bad = "aaaa"

[[rules.examples]]
good = "bbbb"
'''


async def test_a_rule_that_backtracks_forever_is_reported_as_timed_out(shared, tmp_path):
    client = shared
    (tmp_path / "my-rules.toml").write_text(CATASTROPHIC_PACK)
    write_config(tmp_path, 'rule-packs = ["my-rules.toml"]\n[rules]\nselect = ["repeated-a", "external-url"]\n')
    uri = client.open(tmp_path / "a.listing.md", listing_md(bullets=("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
                                                                    "Visit vantora.com")))
    diagnostics = await client.diagnostics_for(uri, version=1, timeout=30)
    [timed_out] = [d for d in diagnostics if str(d.code) == "USR001"]
    assert "timed out" in timed_out.message and "repeated-a" in timed_out.message
    assert timed_out.severity == types.DiagnosticSeverity.Error
    assert "POL001" in codes(diagnostics)  # the other rules still ran

    # The pattern is fine where it does not run away.
    version = client.replace(uri, listing_md(bullets=("baaaa",)))
    [found] = await client.diagnostics_for(uri, version=version, timeout=30)
    assert found.code == "USR001" and "'aaaa' repeats" in found.message
    await still_answers(client, tmp_path)


# -- hostile documents through didOpen / didChange (issue 6) ------------------------------------------------


def inside(text: str, r: types.Range) -> bool:
    """Return whether a range lies inside the document and converts exactly (no half surrogate pair or past-the-end)."""
    try:
        start, end = offset_of(text, r.start, exact=True), offset_of(text, r.end, exact=True)
    except AssertionError:
        return False
    return start <= end


async def test_nul_bytes_lone_surrogates_and_control_characters_are_text_like_any_other(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    text = listing_md(title="Kettle \ud800 \x00\x01\x1b[31m", bullets=("\x00\x00 Visit www.vantora.com",))
    uri = client.open(tmp_path / "nul.listing.md", text)
    [diagnostic] = await client.diagnostics_for(uri, version=1)
    assert diagnostic.range.start == position_of(text, text.index("www"))
    # NULs typed before the address move it by one column each.
    version = client.change(uri, [types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(4, 2), types.Position(4, 2)), text="\x00\x00\x00")])
    [diagnostic] = await client.diagnostics_for(uri, version=version)
    assert diagnostic.range.start == position_of(client.texts[uri], client.texts[uri].index("www"))


async def test_an_empty_and_a_binary_document(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    empty = client.open(tmp_path / "empty.listing.md", "")
    assert await client.diagnostics_for(empty, version=1) == []
    png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + "".join(map(chr, range(256))) * 4
    for name in ("image.listing.md", "image.listing.json", "image.jsonl", "image.csv"):
        uri = client.open(tmp_path / name, png)
        diagnostics = await client.diagnostics_for(uri, version=1)
        assert all(inside(png, d.range) for d in diagnostics), name
    await still_answers(client, tmp_path)


async def test_a_one_megabyte_line_is_linted_and_the_server_stays_responsive(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    blob = "steel " * 170_000 + "see www.far.com"  # a 1 MB pasted description, on one line
    text = listing_md(description=blob)
    uri = client.open(tmp_path / "blob.listing.md", text)
    [diagnostic] = await client.diagnostics_for(uri, version=1, timeout=60)
    assert diagnostic.range.start == position_of(text, text.index("www.far.com"))
    # Typing at the end of the long line.
    line = text.count("\n", 0, text.index("www.far.com"))
    version = client.change(uri, [types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(line, 2_000_000), types.Position(line, 2_000_000)), text="/x")])
    [diagnostic] = await client.diagnostics_for(uri, version=version, timeout=60)
    assert "www.far.com/x" in diagnostic.message
    await still_answers(client, tmp_path)


async def test_a_flood_of_findings_is_capped_with_a_count_of_the_rest(shared, tmp_path):
    client = shared
    write_config(tmp_path, '[rules]\nselect = ["repeated-title-word", "external-url"]\n')
    # A link in each of 1,200 bullets makes 1,200 findings, one per field; a pasted blob of 1,200 title words
    # makes 1,198 repeats in one field, of which the engine lists 100 and counts the rest in one finding.
    text = listing_md(title="Kettle " * 1200, bullets=("Visit vantora.com",) * 1200)
    uri = client.open(tmp_path / "flood.listing.md", text)
    diagnostics = await client.diagnostics_for(uri, version=1, timeout=60)
    assert len(diagnostics) == 1001
    note = diagnostics[-1]
    assert note.severity == types.DiagnosticSeverity.Information
    assert note.message.startswith("301 more problems are not shown") and "listing-lint check" in note.message
    assert sum("1,098 more repeated-title-word findings in title" in d.message for d in diagnostics) == 1
    assert all(inside(text, d.range) for d in diagnostics)
    # Fix-all still sees every finding, the ones the editor does not show included.
    [fix_all] = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])))
    assert "vantora.com" not in fix_all.edit.changes[uri][0].new_text


async def test_a_fifty_megabyte_document_gets_one_message_and_the_server_stays_responsive(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    line = "Stainless steel kettle, see www.vantora.com, with a leak-proof lid. " * 15 + "\n"
    text = "# Title\nKettle 粉碎机 🚀\n\n## Description\n" + line * (50_000_000 // len(line))
    uri = client.open(tmp_path / "huge.listing.md", text)
    [diagnostic] = await client.diagnostics_for(uri, version=1, timeout=60)
    assert diagnostic.severity == types.DiagnosticSeverity.Information
    assert f"Document is {len(text):,} characters" in diagnostic.message and "maxDocumentSize" in diagnostic.message
    version = client.change(uri, [types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(1, 7), types.Position(1, 10)), text="Kessel")])
    [diagnostic] = await client.diagnostics_for(uri, version=version, timeout=60)
    assert "not linted" in diagnostic.message
    doc = types.TextDocumentIdentifier(uri=uri)
    hover = types.HoverParams(text_document=doc, position=types.Position(5, 3))
    assert await client.text_document_hover_async(hover) is None
    assert not await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
    await still_answers(client, tmp_path)
    client.close(uri)


async def test_broken_json_jsonl_and_csv_documents_name_the_line_and_the_rest_is_linted(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    cases = {
        "kettle.listing.json": ('{"title": "Kettle www.one.com",\n "bullets": ["Boils fast", \n', 0, [2]),
        "rows.jsonl": ('{"title": "a www.one.com"}\n{broken\n{"title": "c www.three.com"}\n', 2, [1]),
        # The cell that is never closed is still linted, up to the end of the file.
        "cells.csv": ('item_sku,item_name\nA,"ok www.a.com"\nB,"never closed www.b.com\n', 2, [2]),
        "crlf.jsonl": ('{"title": "a www.one.com"}\r\n[1, 2]\r\n\r\n{"title": "🚀 www.three.com"}', 2, [1]),
    }
    for name, (text, urls, error_lines) in cases.items():
        uri = client.open(tmp_path / name, text)
        diagnostics = await client.diagnostics_for(uri, version=1)
        assert codes(diagnostics).count("POL001") == urls, (name, diagnostics)
        errors = [d for d in diagnostics if d.code is None]
        assert [d.range.start.line for d in errors] == error_lines, (name, errors)
        for d in errors:
            assert d.severity == types.DiagnosticSeverity.Error and d.message
            # The range covers the broken line and no more (a character past the line's end is not one).
            assert inside(text, d.range) and d.range.end.line == d.range.start.line, (name, d.range)
    await still_answers(client, tmp_path)


BROKEN_REGEX_PACK = CATASTROPHIC_PACK.replace("(a|aa)+$", "(unclosed").replace("repeated-a", "broken-pattern")


async def test_a_user_rule_with_an_invalid_regex_is_reported_on_its_file_and_linting_goes_on(shared, tmp_path):
    client = shared
    pack = tmp_path / "my-rules.toml"
    pack.write_text(BROKEN_REGEX_PACK)
    write_config(tmp_path, 'rule-packs = ["my-rules.toml"]\n')
    uri = client.open(tmp_path / "a.listing.md", listing_md(bullets=("Visit vantora.com",)))
    message = await client.message(f"{pack}:")
    assert message.type == types.MessageType.Error
    assert "invalid regular expression '(unclosed'" in message.message and "last good configuration" in message.message
    [on_pack] = await client.diagnostics_for(pack.resolve().as_uri())
    assert on_pack.range.start.line == BROKEN_REGEX_PACK.splitlines().index("patterns = ['(unclosed']")
    assert "POL001" in codes(await client.diagnostics_for(uri, version=1))  # linted with the default config


async def test_changes_to_documents_never_opened_and_positions_far_outside_a_document(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    ghost = (tmp_path / "ghost.listing.md").as_uri()
    errors_before = [m for m in client.messages if m.type == types.MessageType.Error]
    client.versions[ghost], client.texts[ghost] = 1, ""
    client.change(ghost, [types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(0, 0), types.Position(0, 0)), text="Visit vantora.com")])
    client.change(ghost, [types.TextDocumentContentChangeWholeDocument(text="# Title\nx")])
    # Not a URI of a file at all, and a scheme the server does not read.
    client.open(tmp_path / "x", "x")
    untitled = "untitled:Untitled-1"
    client.versions[untitled], client.texts[untitled] = 1, ""
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=untitled, language_id="markdown", version=1, text=listing_md(bullets=("Visit vantora.com",)))))

    text = listing_md(bullets=("Visit vantora.com",))
    uri = client.open(tmp_path / "a.listing.md", text)
    await client.diagnostics_for(uri, version=1)
    doc = types.TextDocumentIdentifier(uri=uri)
    far = types.Position(1_000_000, 1_000_000)
    for d in (doc, types.TextDocumentIdentifier(uri=untitled)):
        assert await client.text_document_hover_async(types.HoverParams(text_document=d, position=far)) is None
        await client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=d, range=types.Range(types.Position(0, 0), far)))
        await client.text_document_code_action_async(types.CodeActionParams(
            text_document=d, range=types.Range(far, far), context=types.CodeActionContext(diagnostics=[
                types.Diagnostic(range=types.Range(far, far), message="x", source="listing-lint",
                                 data={"rule": "external-url", "fixes": []})])))
    resolved = await client.code_action_resolve_async(types.CodeAction(
        title="Fix all", kind="source.fixAll.listing-lint", data={"uri": ghost, "version": 1}))
    assert resolved.edit is None
    await still_answers(client, tmp_path)
    # None of it reached the user as an "Error in server" message.
    assert [m for m in client.messages if m.type == types.MessageType.Error] == errors_before
