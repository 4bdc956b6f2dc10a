"""Layer 5a (LSP adapter): the language server; the only package that imports pygls and lsprotocol."""
