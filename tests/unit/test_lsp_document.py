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
