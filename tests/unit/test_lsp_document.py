"""The server's copy of a document follows LSP line numbering, even with U+2028 and other Unicode breaks."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.workspace import Workspace

from listing_lint.lsp.document import use_lsp_lines

URI = "file:///x.listing.md"


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_incremental_edit_after_unicode_line_separator(brk):
    ws = Workspace(None, sync_kind=types.TextDocumentSyncKind.Incremental)
    use_lsp_lines(ws)
    text = f"# Title\r\nA{brk}B line\nsecond line\rthird\n"
    ws.put_text_document(types.TextDocumentItem(uri=URI, language_id="markdown", version=1, text=text))
    # An editor counts 4 lines (only \r\n, \n and \r end one); line 2 is "second line".
    ws.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        types.TextDocumentContentChangePartial(range=types.Range(types.Position(2, 0), types.Position(2, 6)),
                                               text="Z"))
    ws.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=3),
        types.TextDocumentContentChangePartial(range=types.Range(types.Position(3, 5), types.Position(3, 5)),
                                               text="!"))
    assert ws.get_text_document(URI).source == f"# Title\r\nA{brk}B line\nZ line\rthird!\n"


def _workspace() -> Workspace:
    from listing_lint.lsp.convert import FastPositionCodec
    from listing_lint.lsp.document import ignore_changes_to_unopened

    ws = Workspace(None, sync_kind=types.TextDocumentSyncKind.Incremental)
    ws._position_codec = FastPositionCodec(types.PositionEncodingKind.Utf16)
    use_lsp_lines(ws)
    ignore_changes_to_unopened(ws)
    return ws


def _edit(ws, text: str, start: tuple[int, int], end: tuple[int, int], new: str) -> str:
    ws.put_text_document(types.TextDocumentItem(uri=URI, language_id="markdown", version=1, text=text))
    ws.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=URI, version=2),
        types.TextDocumentContentChangePartial(range=types.Range(types.Position(*start), types.Position(*end)),
                                               text=new))
    return ws.get_text_document(URI).source


@pytest.mark.parametrize("text, start, end, new, expected", [
    # A character past the end of a line means its end (LSP), on lines with astral characters too; pygls put the
    # edit one character before the end of a last line holding an emoji.
    pytest.param("# Title\nKettle 🚀 fast", (1, 99), (1, 99), "!", "# Title\nKettle 🚀 fast!", id="past-end-last-line"),
    pytest.param("🚀ab\r\nc", (0, 99), (0, 99), "!", "🚀ab!\r\nc", id="past-end-before-crlf"),
    pytest.param("🚀ab\rc", (0, 3), (0, 99), "", "🚀a\rc", id="past-end-before-lone-cr"),
    pytest.param("🚀ab\n", (1, 0), (1, 0), "x", "🚀ab\nx", id="the-empty-last-line"),
    pytest.param("🚀ab", (5, 0), (7, 3), "x", "🚀abx", id="past-the-last-line"),
    pytest.param("a🚀b🚀c", (0, 3), (0, 6), "-", "a🚀-c", id="between-emoji"),
    pytest.param("", (0, 0), (0, 0), "x", "x", id="empty-document"),
    pytest.param("abc", (0, 1), (0, 99), "", "a", id="ascii-past-end"),
])
def test_edits_at_every_kind_of_position(text, start, end, new, expected):
    assert _edit(_workspace(), text, start, end, new) == expected


def test_a_change_to_a_document_never_opened_is_ignored():
    ws = _workspace()
    ws.update_text_document(types.VersionedTextDocumentIdentifier(uri="file:///never.listing.md", version=2),
                            types.TextDocumentContentChangeWholeDocument(text="x"))
    assert "file:///never.listing.md" not in ws.text_documents


@pytest.mark.parametrize("text, line, column, expected", [
    pytest.param("ab\ncd🚀e\n", 1, 0, ((1, 0), (1, 5)), id="whole-line"),
    pytest.param("ab\ncd🚀e\n", 1, 3, ((1, 4), (1, 5)), id="from-a-column-after-an-emoji"),
    pytest.param("ab\ncd🚀e\n", 1, 99, ((1, 0), (1, 5)), id="column-past-the-end"),
    pytest.param("ab\r\ncd", 0, 0, ((0, 0), (0, 2)), id="before-crlf"),
    pytest.param("ab\ncd", 9, 0, ((1, 0), (1, 2)), id="line-past-the-last"),
    pytest.param("ab\n", 1, 0, ((1, 0), (1, 0)), id="empty-last-line"),
])
def test_an_error_range_covers_its_line_and_stays_inside_the_document(text, line, column, expected):
    from listing_lint.lsp.convert import Positions

    r = Positions(text).line_range(line, column)
    assert ((r.start.line, r.start.character), (r.end.line, r.end.character)) == expected


def test_offsets_after_a_skipped_bom_map_to_positions_in_the_whole_text():
    # The server lints a BOM-led document without its BOM, as `check` reads the file (issue 14), and places
    # the findings in the text the editor has, BOM included.
    from listing_lint.lsp.convert import Positions

    text = "\ufeffab🚀c\nde"
    pos = Positions(text, skip=1)
    assert pos.position(0) == types.Position(0, 1)  # "a", after the BOM
    assert pos.position(3) == types.Position(0, 5)  # "c", after the two UTF-16 units of the emoji
    assert pos.position(5) == types.Position(1, 0)
    assert [pos.offset(p) for p in (types.Position(0, 0), types.Position(0, 1), types.Position(1, 1))] == [0, 0, 6]
    r = pos.line_range(0, 2)  # an error at column 3 of the first line, counted as `check` counts it
    assert ((r.start.line, r.start.character), (r.end.line, r.end.character)) == ((0, 3), (0, 6))
    r = pos.line_range(0, 0)
    assert ((r.start.line, r.start.character), (r.end.line, r.end.character)) == ((0, 1), (0, 6))


def test_a_reversed_change_applies_to_its_range_in_order():
    ws = Workspace(None, sync_kind=types.TextDocumentSyncKind.Incremental)
    use_lsp_lines(ws)
    ws.put_text_document(types.TextDocumentItem(uri=URI, language_id="markdown", version=1,
                                                text="first line\nsecond line\nthird\n"))
    reversed_range = types.Range(types.Position(1, 6), types.Position(0, 5))
    ws.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=2),
                            types.TextDocumentContentChangePartial(range=reversed_range, text="-"))
    # pygls kept the text between the two ends twice ("first line\nsecond" and "first-") before.
    assert ws.get_text_document(URI).source == "first- line\nthird\n"
