"""Layer 5a (LSP): pygls text documents as clients see them: lines end only at \\r\\n, \\n or \\r.

pygls splits lines with ``str.splitlines``, which also breaks at U+2028, U+0085, form feeds and more.
With such a character in a listing, an incremental edit lands on the wrong line and the server's copy
drifts from the editor's, and a fix-all computed from it would overwrite the seller's text.

A change whose range is reversed (its end before its start) applies to the range in order.

A change to a document that is not open is ignored (pygls raises, and the user sees an error).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument

log = logging.getLogger("listing_lint.lsp")

LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspTextDocument(TextDocument):
    """A TextDocument split into lines the way LSP clients count them, taking a reversed range as its normal form."""

    @property
    def lines(self):  # type: ignore[override]
        return tuple(LSP_LINE.findall(self.source))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        # A change whose range ends before it starts: pygls kept the text between the two ends twice (or, across
        # lines, everything from the start line on), and the server's copy drifted from the editor's. VS Code's
        # Range puts the ends in order, so that is what such a change means.
        start, end = change.range.start, change.range.end
        if (end.line, end.character) < (start.line, start.character):
            change = types.TextDocumentContentChangePartial(range=types.Range(end, start), text=change.text,
                                                            range_length=change.range_length)
        super()._apply_incremental_change(change)


def use_lsp_lines(workspace) -> None:
    """Make the workspace create LspTextDocuments for every document opened from now on."""

    def create(doc_uri, source=None, version=None, language_id=None):
        return LspTextDocument(doc_uri, source=source, version=version, language_id=language_id,
                               sync_kind=workspace._sync_kind, position_codec=workspace._position_codec)

    workspace._create_text_document = create


def ignore_changes_to_unopened(workspace) -> None:
    """Make a didChange for a document that is not open a logged no-op.

    pygls raises KeyError for it, which reaches the user as an "Error in server" message; the LSP says a
    client only changes documents it opened, so the change has nothing to apply to.
    """
    update = workspace.update_text_document

    def guarded(text_doc, change):
        if unquote(text_doc.uri) not in workspace.text_documents:
            log.warning("didChange for %s, which is not open; ignored", text_doc.uri)
            return
        update(text_doc, change)

    workspace.update_text_document = guarded
