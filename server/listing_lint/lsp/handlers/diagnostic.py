"""Layer 5a (LSP): textDocument/diagnostic, for clients that pull diagnostics instead of receiving them."""

from __future__ import annotations

from lsprotocol import types

from ..protocol import RawResult


def register(server) -> None:
    """Register the pull-diagnostics handler."""

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier="listing-lint", inter_file_dependencies=False,
                                            workspace_diagnostics=False))
    async def diagnostic(ls, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        if ls.document(uri) is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        linted = await ls.current(uri)
        if linted is not None and linted.payload is not None:
            # VS Code pulls on every edit: send the JSON each diagnostic got when it was converted (convert.py)
            # instead of serialising them all again.
            return RawResult('{"kind":"full","items":[%s]}' % ",".join(linted.payload))
        return types.RelatedFullDocumentDiagnosticReport(items=linted.diagnostics if linted else [])
