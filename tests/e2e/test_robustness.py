"""The server stays up: oversized documents, requests about unknown documents, forged code-action data and a
user rule whose pattern backtracks catastrophically."""

from __future__ import annotations

import time

from lsprotocol import types

from .lsp_harness import LOOP, codes, listing_md, policy_config, write_config

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
    assert "Remove 'vantora.com'" in [a.title for a in actions]
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
