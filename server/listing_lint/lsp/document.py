"""Layer 5a (LSP): a pygls text document whose lines end only at \\r\\n, \\n or \\r, as the LSP says.

pygls splits lines with ``str.splitlines``, which also breaks at U+2028, U+0085, form feeds and more.
With such a character in a listing, an incremental edit lands on the wrong line and the server's copy
drifts from the editor's, and a fix-all computed from it would overwrite the seller's text.
"""

from __future__ import annotations

import re

from pygls.workspace import TextDocument

LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspTextDocument(TextDocument):
    """A TextDocument split into lines the way LSP clients count them."""

    @property
    def lines(self):  # type: ignore[override]
        return tuple(LSP_LINE.findall(self.source))


def use_lsp_lines(workspace) -> None:
    """Make the workspace create LspTextDocuments for every document opened from now on."""

    def create(doc_uri, source=None, version=None, language_id=None):
        return LspTextDocument(doc_uri, source=source, version=version, language_id=language_id,
                               sync_kind=workspace._sync_kind, position_codec=workspace._position_codec)

    workspace._create_text_document = create
