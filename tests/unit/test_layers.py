"""The pipeline's import direction (STYLE.md §1): only lsp/ imports pygls/lsprotocol, only cli/ imports argparse."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "server" / "listing_lint"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layer_boundaries(path):
    rel = path.relative_to(PACKAGE).parts
    imports = _imports(path)
    if rel[0] != "lsp":
        assert not imports & {"pygls", "lsprotocol"}, "only lsp/ may import pygls or lsprotocol"
    if rel[0] != "cli" and path.name != "gen_rules_table.py":
        assert "argparse" not in imports, "only cli/ may import argparse"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_names_its_layer(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc, "every module opens with a docstring"
    if path.name != "__main__.py" and path.parent != PACKAGE or path.name in ("model.py", "diagnostics.py"):
        assert "Layer" in doc.splitlines()[0] or path.name == "__init__.py", doc.splitlines()[0]
