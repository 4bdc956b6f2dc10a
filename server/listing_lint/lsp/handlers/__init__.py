"""Layer 5a (LSP): one module per group of LSP methods; each registers its handlers on the server."""

from __future__ import annotations

from . import code_action, diagnostic, document_symbol, hover, inlay_hint, lifecycle, text_sync, workspace


def register_all(server) -> None:
    """Register every handler module's features on the server."""
    for module in (lifecycle, text_sync, diagnostic, code_action, hover, document_symbol, inlay_hint, workspace):
        module.register(server)
