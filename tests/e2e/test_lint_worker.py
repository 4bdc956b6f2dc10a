"""Linting off the event loop (issue 14): requests, cancellation and shutdown are answered while a slow lint runs,
a lint over the time limit is stopped and reported, bursts of edits end in a publish of the latest version (also
when an edit leaves the text as it was), a lint that fails says so, and BOM-led text is read as ``check`` reads it.

A slow lint comes from a user rule whose pattern backtracks catastrophically: each bullet costs the regex
timeout (1 s) before the engine stops the pattern there and goes on with the next one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lsprotocol import types

from .lsp_harness import LOOP, codes, listing_md, offset_of, policy_config, write_config
from .test_jsonrpc import RawServer
from .test_robustness import CATASTROPHIC_PACK

pytestmark = LOOP

RUNAWAY = "a" * 38 + "!"
"""A bullet on which the test rule's pattern runs until the regex timeout (1 s) stops it."""
REQUEST_CANCELLED = -32800


def slow_workspace(folder: Path) -> None:
    (folder / "my-rules.toml").write_text(CATASTROPHIC_PACK, "utf-8")
    write_config(folder, 'rule-packs = ["my-rules.toml"]\n[rules]\nselect = ["repeated-a", "external-url"]\n')


def slow_listing(seconds: int) -> str:
    return listing_md(bullets=(RUNAWAY,) * seconds)


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


async def test_requests_cancellation_and_shutdown_are_answered_while_a_slow_lint_runs(tmp_path):
    # Before: the lint ran on the event loop and nothing was answered until it ended (8 s here, minutes for
    # the 12 KB document of the issue).
    slow_workspace(tmp_path)
    srv = RawServer(tmp_path)
    try:
        srv.answer_to(srv.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}))
        srv.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = (tmp_path / "slow.listing.md").as_uri()
        started = time.monotonic()
        srv.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": slow_listing(8)}}})
        time.sleep(0.5)  # the lint is under way

        # A request that needs no lint is answered at once.
        asked = time.monotonic()
        hover_elsewhere = srv.request("textDocument/hover", {
            "textDocument": {"uri": (tmp_path / "never-opened.listing.md").as_uri()},
            "position": {"line": 0, "character": 0}})
        srv.until(lambda m: m.get("id") == hover_elsewhere and "method" not in m, timeout=2)
        assert time.monotonic() - asked < 2

        # A hover on the document waits for its lint; cancelled, it is answered at once as cancelled.
        hover = srv.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                   "position": {"line": 4, "character": 3}})
        time.sleep(0.2)
        srv.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": hover}})
        [answer] = srv.until(lambda m: m.get("id") == hover and "method" not in m, timeout=2)[-1:]
        assert answer["error"]["code"] == REQUEST_CANCELLED

        # shutdown is answered, and exit ends the process, without waiting for the lint.
        shutdown = srv.request("shutdown")
        [answer] = srv.until(lambda m: m.get("id") == shutdown and "method" not in m, timeout=2)[-1:]
        assert answer["result"] is None
        srv.send({"jsonrpc": "2.0", "method": "exit"})
        assert srv.proc.wait(5) == 0
        assert time.monotonic() - started < 6, "everything waited for the 8 s lint"
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
        srv.proc.wait(10)


async def test_a_lint_over_the_time_limit_is_stopped_and_reported(start, tmp_path):
    slow_workspace(tmp_path)
    client = await start(tmp_path, env=env(LISTING_LINT_LINT_TIME_LIMIT="2"))
    started = time.monotonic()
    uri = client.open(tmp_path / "slow.listing.md", slow_listing(10))
    [stopped] = await client.diagnostics_for(uri, version=1, timeout=8)
    assert time.monotonic() - started < 6
    assert stopped.severity == types.DiagnosticSeverity.Warning and stopped.source == "listing-lint"
    assert "stopped linting this document after 2 seconds" in stopped.message, stopped.message
    assert "listing-lint check" in stopped.message
    # The stopped lint does not run on in the background: the next text is linted at once.
    version = client.replace(uri, listing_md(bullets=("baaaa", "Visit vantora.com")))
    assert sorted(codes(await client.diagnostics_for(uri, version=version, timeout=2.5))) == ["POL001", "USR001"]


async def test_an_edit_that_leaves_the_text_unchanged_is_published_under_its_new_version(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    text = listing_md(bullets=("Visit vantora.com",))
    uri = client.open(tmp_path / "same.listing.md", text)
    assert codes(await client.diagnostics_for(uri, version=1)) == ["POL001"]
    empty = types.TextDocumentContentChangePartial(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                                   text="")
    version = client.change(uri, [empty])
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]
    version = client.replace(uri, text)
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]
    # Typed and taken back in one notification.
    typed = types.TextDocumentContentChangePartial(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                                   text="x")
    taken_back = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(0, 0), types.Position(0, 1)), text="")
    version = client.change(uri, [typed, taken_back])
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]
    # These two kept pygls's very text object, and the server published the lint under its old version: an
    # empty insert past the last line, and a didChange without changes.
    past_end = types.Position(len(text.split("\n")) + 3, 0)
    version = client.change(uri, [types.TextDocumentContentChangePartial(range=types.Range(past_end, past_end),
                                                                         text="")])
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]
    version = client.change(uri, [])
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]


async def test_edits_during_a_slow_lint_end_in_one_publish_of_the_latest_version(start, tmp_path):
    slow_workspace(tmp_path)
    client = await start(tmp_path)
    uri = client.open(tmp_path / "burst.listing.md", slow_listing(3))
    # While the 3 s lint runs, the seller deletes the runaway bullets one letter at a time, and types a URL.
    lines = client.texts[uri].split("\n")
    bullet_lines = [n for n, line in enumerate(lines) if line == "- " + RUNAWAY]
    version = 1
    for n in bullet_lines:
        for _ in range(len(RUNAWAY)):
            version = client.change(uri, [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(n, 2), types.Position(n, 3)), text="")])
    version = client.change(uri, [types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(bullet_lines[0], 2), types.Position(bullet_lines[0], 2)),
        text="Visit vantora.com")])
    assert codes(await client.diagnostics_for(uri, version=version, timeout=10)) == ["POL001"]
    published = [p.version for p in client.published if p.uri == uri]
    # The lint of the opened text ended after the edits: it is not published, and neither is any version
    # between (a publish per edit would be over a hundred, each a lint of its own).
    assert published == [version], published


SITECUSTOMIZE = '''
"""Make the server's lint fail on documents holding EXPLODE (loaded by the test's PYTHONPATH)."""
import listing_lint.document as document

_lint_text = document.lint_text


def lint_text(path, text, *args, **kwargs):
    if "EXPLODE" in text:
        raise RuntimeError("a bug in a detector")
    return _lint_text(path, text, *args, **kwargs)


document.lint_text = lint_text
'''


async def test_a_lint_that_fails_publishes_an_error_diagnostic(start, tmp_path):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, "utf-8")
    root = tmp_path / "root"
    root.mkdir()
    policy_config(root)
    path = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH")) if p)
    client = await start(root, env=env(PYTHONPATH=path))
    uri = client.open(root / "bug.listing.md", listing_md(bullets=("EXPLODE, see vantora.com",)))
    # Before: the exception was logged and nothing was published, so the old diagnostics stayed on.
    [failed] = await client.diagnostics_for(uri, version=1)
    assert failed.severity == types.DiagnosticSeverity.Error and failed.source == "listing-lint"
    assert "could not lint this document (RuntimeError: a bug in a detector)" in failed.message
    version = client.replace(uri, listing_md(bullets=("Visit vantora.com",)))
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]


# -- BOM-led text ---------------------------------------------------------------------------------------

BOM_LISTINGS = [
    pytest.param("bom.listing.md", "\ufeff" + listing_md(title="Kettle, see www.vantora.com",
                                                         bullets=("Email help@vantora.com",)), id="markdown"),
    pytest.param("bom.listing.json", '\ufeff{"sku": "K-1", "title": "Kettle, see www.vantora.com", '
                                     '"bullets": ["Email help@vantora.com"]}\n', id="json"),
]


def check_json(path: Path) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", "--format", "json",
                             str(path)], capture_output=True, text=True, timeout=60, cwd=path.parent)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def cli_span(text: str, location: dict, end: dict) -> str:
    """Return the text a finding of ``check`` covers (rows and columns 1-based, in code points)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:location["row"] - 1]) + location["column"] - 1
    stop = sum(len(line) + 1 for line in lines[:end["row"] - 1]) + end["column"] - 1
    return text[start:stop]


@pytest.mark.parametrize("name, text", BOM_LISTINGS)
async def test_bom_led_text_gets_the_findings_and_fixes_check_gives(shared, tmp_path, name, text):
    client = shared
    policy_config(tmp_path)
    path = tmp_path / name
    path.write_text(text, "utf-8")  # the BOM is written as the bytes EF BB BF
    expected = check_json(path)
    assert {f["code"] for f in expected} == {"POL001", "POL002"}

    uri = client.open(path, text, language_id="json" if name.endswith(".json") else "markdown")
    diagnostics = await client.diagnostics_for(uri, version=1)
    # Before: no Markdown findings at all, and "invalid JSON" for the JSON listing.
    assert [(str(d.code), d.message) for d in diagnostics] == [(f["code"], f["message"]) for f in expected]
    body = text[1:]  # what check reads: the file without its BOM
    for d, f in zip(diagnostics, expected):
        flagged = text[offset_of(text, d.range.start, exact=True):offset_of(text, d.range.end, exact=True)]
        assert flagged == cli_span(body, f["location"], f["end_location"])

    # Fix-all makes the text `check --fix` writes, BOM kept.
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll])))
    subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", "--fix", str(path)],
                   capture_output=True, timeout=60, cwd=tmp_path)
    fixed = path.read_bytes().decode("utf-8")
    assert fixed.startswith("\ufeff") and fixed != text
    [action] = actions
    [edit] = action.edit.changes[uri]
    assert edit.range.start == types.Position(0, 0)
    assert offset_of(text, edit.range.end, exact=True) == len(text)
    assert edit.new_text == fixed
