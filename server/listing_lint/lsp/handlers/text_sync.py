"""Layer 5a (LSP): didOpen / didChange / didSave / didClose: keep documents and schedule lints."""

from __future__ import annotations

from lsprotocol import types

from ...config import CONFIG_NAMES


def register(server) -> None:
    """Register the text synchronisation handlers (pygls applies the incremental edits)."""

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.document(params.text_document.uri)
        if document is not None:
            # pygls sets the version only as it applies a change: a didChange without any kept the old one,
            # and the publish went out under it.
            document.version = params.text_document.version
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.rsplit("/", 1)[-1] in CONFIG_NAMES:
            # A config saved in the editor: reload even if the client does not watch files for us.
            ls.reload()
            ls.request_diagnostic_refresh()
        else:
            ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.linted.pop(uri, None)
        ls.pending.discard(uri)
        if not ls.pull_diagnostics:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
