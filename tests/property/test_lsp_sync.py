"""Property test (hypothesis) against the real language server: random listings and random incremental edits.

Each example opens a random listing (Markdown, JSONL or CSV, full of emoji, CJK, combining marks, zero-width and
right-to-left characters, CRLF, lone CR, U+2028, U+0085 and other breaks that LSP does not count as line ends),
sends random didChange notifications with UTF-16 ranges (positions a real client can send: never inside a
surrogate pair or between the CR and LF of a CRLF; sometimes past the end of a line, which the specification says
means its end, or far past the last line), and changes a careless client sends: ranges whose end comes before
their start (meaning the range in order, as VS Code's Range makes it), several changes in one notification that
overlap each other, empty edits at 0:0 and notifications that change nothing. It asks hover, outline, inlay hints
and code actions in between. The final text sometimes starts with a BOM. Then it checks what the editor sees
against ``check`` on the client's own copy of the text (read as ``check`` reads a file: without a leading BOM):
- the published diagnostics, under the client's latest version, are exactly those of ``check``, ranges included,
  and equal a fresh conversion of ``check``'s findings (the server reuses the converted diagnostics of findings
  that an edit left as they were: this shows the reuse never sends a stale one); a pull
  (``textDocument/diagnostic``) returns the same;
- every diagnostic range, and every edit range of its fixes, lies inside the document and converts to and from
  UTF-16 exactly (no position inside a surrogate pair, past a line's end or past the last line);
- "fix all" replaces exactly the client's whole document (its end position) with exactly what ``check --fix``
  writes (``fix_document``, BOM kept). Together with the diagnostics, this shows the server's copy equals the
  client's;
- the server process is still running and answers.

The number of examples is ``LISTING_LINT_FUZZ_EXAMPLES`` (default 50, the CI run). A long run:

    LISTING_LINT_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/property -k lsp --hypothesis-show-statistics

It prints the sequences, notifications and edits it sent (run pytest with ``-s`` to see them).
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from listing_lint import Applicability
from listing_lint.config import load_config
from listing_lint.document import fix_document, lint_text
from listing_lint.extract import detect_format
from listing_lint.extract.source import decode
from listing_lint.lsp.convert import Positions, to_diagnostic

from e2e.lsp_harness import LOOP, TIMEOUT, edits_for, line_spans, offset_of, position_of, server_fixture, utf16_len

pytestmark = LOOP

EXAMPLES = int(os.environ.get("LISTING_LINT_FUZZ_EXAMPLES", "50"))
CONFIG_TEXT = '[brands]\nown = ["Vantora"]\ncompetitors = ["Anker", "Yeti", "Hamilton Beach", "Lodge"]\n'

lsp = server_fixture("module")

# -- random text ------------------------------------------------------------------------------------------

WORDS = ["Kettle", "stainless steel", "32 oz", "BPA-free", "Vantora", "leak-proof lid", "for kids 3+", "x", "",
         " ", "  ", "\t", ",", ".", "!", "'", '"', "\\", "-", "- ", "# ", "## ", "*", "{", "}", "[", "]", ":", "---"]
FINDINGS = ["www.vantora.com", "vantora.com/faq", "help@vantora.com", "(555) 123-4567", "better than Anker",
            "compatible with Yeti lids", "Best Seller", "Leave a 5-star review and get a free gift card!",
            "Over 50,000 units sold", "Free shipping", "N/A", "<b>bold</b>", "B07XJ8C8F5", "100% money-back guarantee",
            "加微信领取礼品", "五星好评返现", "amazon-security@hotmail.com", "Vantora™", "vantora dot com"]
UNICODE = ["🚀", "👍🏽", "👨‍👩‍👧", "🇯🇵", "𝐁𝐨𝐥𝐝", "\U0010fffd", "粉碎机", "日本語テキスト", "é", "e\u0301", "a\u0308\u0301",
           "\u0301", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "שלום", "مرحبا بك", "\u202e", "\u200f", "\u202a",
           "\u2066", "\x00", "\ufffd", "ß", "İ", "ﬃ"]
BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
"""Every break ``str.splitlines`` knows; LSP clients end a line only at the first three."""

PIECE = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(FINDINGS), st.sampled_from(UNICODE), st.sampled_from(BREAKS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
)
INSERT = st.lists(PIECE, max_size=5).map("".join)
FIELD = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(FINDINGS), st.sampled_from(UNICODE),
                           st.sampled_from(["\u2028", "\x85", "\x0c"])), min_size=1, max_size=6).map(" ".join)


@st.composite
def markdown_listing(draw) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = []
    if draw(st.booleans()):
        lines += ["---", "sku: FZ-1", "brand: Vantora", "---"]
    lines += ["# Title", draw(FIELD), "", "## Bullet points"]
    lines += [f"- {draw(FIELD)}" for _ in range(draw(st.integers(0, 5)))]
    if draw(st.booleans()):
        lines += ["", "## Description", draw(FIELD)]
    if draw(st.booleans()):
        lines += ["", "## Search terms", draw(FIELD).lower()]
    # Mostly one style of line end, sometimes a mix (editors keep what they are given).
    ends = [draw(st.sampled_from(["\n", "\r\n", "\r"])) if draw(st.integers(0, 9)) == 0 else newline for _ in lines]
    return "".join(line + end for line, end in zip(lines, ends))[: None if draw(st.booleans()) else -1]


@st.composite
def jsonl_catalog(draw) -> str:
    rows = []
    for n in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 5)) == 0:
            rows.append(draw(st.sampled_from(['{"title": "never closed', "not json", "[1, 2]", ""])))
            continue
        bullets = [draw(FIELD) for _ in range(draw(st.integers(0, 3)))]
        record = {"sku": f"FZ-{n}", "title": draw(FIELD), "bullets": bullets}
        rows.append(json.dumps(record, ensure_ascii=draw(st.booleans())))
    return draw(st.sampled_from(["\n", "\r\n"])).join(rows) + draw(st.sampled_from(["", "\n"]))


@st.composite
def csv_catalog(draw) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(["item_sku", "item_name", "bullet_point1", "bullet_point2"])
    for n in range(draw(st.integers(1, 4))):
        writer.writerow([f"FZ-{n}", draw(FIELD), draw(FIELD), draw(FIELD)])
    return out.getvalue()


DOCUMENTS = {".listing.md": markdown_listing(), ".jsonl": jsonl_catalog(), ".csv": csv_catalog()}
SENTINEL = {
    # Put at the start of the document after the random edits, so that "fix all" has a safe fix to make.
    ".listing.md": "# Title\r\nSee www.sentinel-check.com\n\n",
    ".jsonl": '{"sku": "S-0", "title": "See www.sentinel-check.com"}\n',
    ".csv": "item_sku,item_name\r\nS-0,See www.sentinel-check.com\n",
}
NAMES = ["plain-{n}", "with space {n}", "粉碎机 {n}", "100%-{n}", "a#b {n}"]
"""File names, some of which editors send percent-encoded in the URI."""

# -- the client's side ------------------------------------------------------------------------------------


def draw_offset(data, text: str, near: int | None = None) -> int:
    """Draw a code point offset an editor could put the cursor at (never between the CR and LF of a CRLF)."""
    if near is None:
        offset = data.draw(st.integers(0, len(text)))
    else:
        offset = min(len(text), near + data.draw(st.sampled_from([0, 0, 1, 2, 3, 5, 8, 20, 1000])))
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        offset -= 1
    return offset


def draw_position(data, text: str, offset: int) -> types.Position:
    """Return the position of ``offset``; sometimes, at a line's end, a character past it (which means its end)."""
    pos = position_of(text, offset)
    start, end = line_spans(text)[pos.line]
    if offset == end and data.draw(st.integers(0, 7)) == 0:
        event("a position past the end of its line")
        return types.Position(pos.line, pos.character + data.draw(st.integers(1, 4)))
    return pos


def draw_far_position(data, text: str) -> types.Position:
    """Return a position past the last line, or far past the end of a line: both mean the end they are past."""
    spans = line_spans(text)
    if data.draw(st.booleans()):
        event("a position past the last line")
        return types.Position(len(spans) - 1 + data.draw(st.sampled_from([1, 2, 50, 2**31 - 1 - len(spans)])),
                              data.draw(st.sampled_from([0, 3, 2**31 - 1])))
    event("a position far past the end of its line")
    line = data.draw(st.integers(0, len(spans) - 1))
    start, end = spans[line]
    width = utf16_len(text[start:end])
    return types.Position(line, min(width + data.draw(st.sampled_from([1, 1000, 2**31])), 2**31 - 1))


def draw_change(data, text: str, previous: tuple[int, int] | None = None):
    """Draw one content change and return it with the text after it and the span it left (its new text).

    ``previous`` is the span the notification's previous change left: a change may overlap it.
    """
    kind = data.draw(st.integers(0, 15))
    if kind == 0:
        event("a whole-document change")
        new = data.draw(st.one_of(*DOCUMENTS.values(), INSERT))
        return types.TextDocumentContentChangeWholeDocument(text=new), new, (0, len(new))
    if kind == 1:
        event("an empty edit at 0:0")
        here = types.Position(0, 0)
        return types.TextDocumentContentChangePartial(range=types.Range(here, here), text=""), text, (0, 0)
    if previous is not None and data.draw(st.integers(0, 2)) == 0:
        event("a change overlapping the previous change of its notification")
        start = draw_offset(data, text, near=max(previous[0] - data.draw(st.integers(0, 3)), 0))
        end = draw_offset(data, text, near=max(start, previous[1] - data.draw(st.integers(0, 3))))
    else:
        start = draw_offset(data, text)
        end = draw_offset(data, text, near=start)
    new_text = data.draw(INSERT)
    first, last = draw_position(data, text, start), draw_position(data, text, end)
    if kind == 2:  # either end may come first: both mean the range in order
        first, last = draw_far_position(data, text), draw_far_position(data, text)
        start, end = sorted((offset_of(text, first), offset_of(text, last)))
    if kind == 3 and start != end:
        event("a reversed range (its end before its start)")
        first, last = last, first
    change = types.TextDocumentContentChangePartial(range=types.Range(first, last), text=new_text)
    event("an insertion" if start == end else "a deletion" if not new_text else "a replacement")
    return change, text[:start] + new_text + text[end:], (start, start + len(new_text))


async def ask_something(client, uri: str, text: str, data) -> None:
    """Send a random request about a random place in the document: it must be answered without an error."""
    doc = types.TextDocumentIdentifier(uri=uri)
    here = position_of(text, draw_offset(data, text))
    there = position_of(text, len(text))
    kind = data.draw(st.sampled_from(["hover", "symbols", "hints", "actions", "pull"]))
    event(f"a {kind} request during the edits")
    if kind == "hover":
        request = client.text_document_hover_async(types.HoverParams(text_document=doc, position=here))
    elif kind == "symbols":
        request = client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc))
    elif kind == "hints":
        request = client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=doc, range=types.Range(types.Position(0, 0), there)))
    elif kind == "pull":
        request = client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc))
    else:
        diagnostics = list(client.diagnostics.get(uri, []))
        request = client.text_document_code_action_async(types.CodeActionParams(
            text_document=doc, range=types.Range(here, here), context=types.CodeActionContext(diagnostics=diagnostics)))
    await asyncio.wait_for(request, TIMEOUT)


def check_range(text: str, r: types.Range, start: int, end: int, what: str) -> None:
    """Check that ``r`` lies inside the document and converts exactly to ``[start, end)`` and back."""
    assert offset_of(text, r.start, exact=True) == start, (what, r, start)
    assert offset_of(text, r.end, exact=True) == end, (what, r, end)
    assert r == types.Range(position_of(text, start), position_of(text, end)), what


def as_check_reads(path: Path, text: str) -> str:
    """Return the text ``check`` lints when a file holds ``text`` (in UTF-8): without a leading BOM."""
    if not text.startswith("\ufeff"):
        return text
    return decode(str(path), text.encode("utf-8")).text


def check_diagnostics(text: str, path: Path, diagnostics: list[types.Diagnostic], config) -> None:
    """Check that the server's diagnostics are ``check``'s on the client's text, with exact UTF-16 ranges."""
    body = as_check_reads(path, text)
    skip = len(text) - len(body)
    result = lint_text(str(path), body, config, detect_format(path.name) or "markdown")
    findings = [f._replace(start=f.start + skip, end=f.end + skip) for f in result.findings]
    errors = result.errors
    assert [(str(d.code), d.message) for d in diagnostics[:len(findings)]] == [(f.code, f.message) for f in findings]
    fresh = Positions(text, skip=skip)
    assert diagnostics[:len(findings)] == [to_diagnostic(f, fresh) for f in result.findings]
    assert [d.message for d in diagnostics[len(findings):]] == [e.message for e in errors]
    for d, f in zip(diagnostics, findings):
        check_range(text, d.range, f.start, f.end, f"{f.code} {f.message}")
        assert len(d.data["fixes"]) == len(f.fixes)
        for sent, fix in zip(d.data["fixes"], f.fixes):
            assert len(sent["edits"]) == len(fix.edits)
            for raw, edit in zip(sent["edits"], fix.edits):
                r = types.Range(types.Position(**raw["range"]["start"]), types.Position(**raw["range"]["end"]))
                check_range(text, r, edit.start + skip, edit.end + skip, f"an edit of {fix.title}")
    spans = line_spans(text)
    for d, e in zip(diagnostics[len(findings):], errors):
        event("an error diagnostic (unreadable part of a file)")
        assert d.range.start.line == e.line - 1 < len(spans), (d, e)
        line_start, line_end = spans[d.range.start.line]
        for pos in (d.range.start, d.range.end):
            assert line_start <= offset_of(text, pos, exact=True) <= line_end, (d, e)


async def check_fix_all(client, uri: str, text: str, path: Path, config) -> None:
    """Check that "fix all" replaces the client's whole text with what ``check --fix`` writes (BOM kept)."""
    body = as_check_reads(path, text)
    fixed, applied, _ = fix_document(str(path), body, config, Applicability.SAFE,
                                     detect_format(path.name) or "markdown")
    expected = text[:len(text) - len(body)] + fixed
    actions = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]))), TIMEOUT)
    if not applied or expected == text:
        assert not actions
        return
    event("fix-all compared")
    [action] = actions
    [edit] = edits_for(action.edit, uri)
    assert edit.range == types.Range(types.Position(0, 0), position_of(text, len(text)))
    assert edit.new_text == expected


# -- the property -----------------------------------------------------------------------------------------

COUNTER = itertools.count()
SENT = {"sequences": 0, "notifications": 0, "edits": 0, "BOM-led final texts": 0}
"""What the property sent over the whole run (printed at the end of the module)."""


@pytest.fixture(scope="module", autouse=True)
def report_sent():
    yield
    print("\nLSP fuzz: " + ", ".join(f"{n:,} {what}" for what, n in SENT.items()))


# No "explain" phase: it reruns a failing example hundreds of times, each waiting for the server. An example
# takes 20-150 ms; the deadline only catches a server that stopped answering (each wait also times out).
@settings(max_examples=EXAMPLES, deadline=timedelta(seconds=30), phases=[p for p in Phase if p is not Phase.explain],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(suffix=st.sampled_from(list(DOCUMENTS)), name=st.sampled_from(NAMES), data=st.data())
async def test_lsp_document_stays_in_sync_under_random_edits(lsp, suffix, name, data):
    client = lsp
    config_file = client.root / "listing-lint.toml"
    if not config_file.exists():
        config_file.write_text(CONFIG_TEXT, "utf-8")
    config = load_config(config_file)
    path = client.root / (name.format(n=next(COUNTER)) + suffix)
    text = data.draw(DOCUMENTS[suffix], label="initial text")
    uri = client.open(path, text)
    event(f"format {suffix}")
    event(f"URI percent-encoded: {'%' in uri}")
    SENT["sequences"] += 1
    try:
        for _ in range(data.draw(st.integers(0, 8), label="notifications")):
            changes = []
            previous = None
            # Mostly one to three changes; sometimes none at all (the text and the version still change hands).
            for _ in range(data.draw(st.sampled_from([1, 1, 1, 2, 2, 3, 3, 0]))):
                change, text, previous = draw_change(data, text, previous)
                changes.append(change)
            if not changes:
                event("a notification without changes")
            version = client.change(uri, changes)
            SENT["notifications"] += 1
            SENT["edits"] += len(changes)
            assert client.texts[uri] == text, "the harness's model of the document disagrees with the test's"
            if data.draw(st.integers(0, 3)) == 0:
                await ask_something(client, uri, text, data)
        sentinel = SENTINEL[suffix]
        if data.draw(st.integers(0, 4)) == 0:
            # A BOM-led text: check reads the file without it (issue 14: the editor's findings differed).
            sentinel = "\ufeff" + sentinel
            SENT["BOM-led final texts"] += 1
        version = client.change(uri, [types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(0, 0), types.Position(0, 0)), text=sentinel)])
        SENT["notifications"] += 1
        SENT["edits"] += 1
        text = sentinel + text
        assert client.texts[uri] == text
        for brk in BREAKS[3:]:
            if brk in text:
                event(f"text holds {brk!r}")
        event(f"{utf16_len(text) - len(text) > 0 and 'astral' or 'no astral'} characters")

        diagnostics = await client.diagnostics_for(uri, version=version, timeout=TIMEOUT)
        check_diagnostics(text, path, diagnostics, config)
        pulled = await asyncio.wait_for(client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=uri))), TIMEOUT)
        assert list(pulled.items) == list(diagnostics), "pulled diagnostics differ from the published ones"
        await check_fix_all(client, uri, text, path, config)
    finally:
        client.close(uri)
    assert client._server.returncode is None, "the server exited"
