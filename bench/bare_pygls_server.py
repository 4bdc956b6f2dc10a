"""A bare pygls 2.x language server: the floor ``bench/lsp_latency.py`` compares listing-lint's start-up with.

It answers ``initialize`` as any pygls server does and, on ``didOpen``, publishes one fixed diagnostic, so that
"start to first publishDiagnostics" has a floor too. Run: python bench/bare_pygls_server.py (stdio).
"""

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("bare-pygls", "1")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    """Publish one diagnostic for the opened document."""
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
        uri=params.text_document.uri, version=params.text_document.version,
        diagnostics=[types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 1)),
                                      message="bare", source="bare-pygls")]))


if __name__ == "__main__":
    server.start_io()
