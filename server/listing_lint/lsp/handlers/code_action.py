"""Layer 5a (LSP): textDocument/codeAction: quick fixes, line suppressions, own-brand edits and fix-all."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

from lsprotocol import types

from ...config import find_config
from ...diagnostics import Applicability
from ...document import fix_document
from ...extract import detect_format
from ..convert import SOURCE, fix_title, range_from_json

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.listing-lint"


def register(server) -> None:
    """Register the code action handler."""

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False))
    def code_action(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        only = params.context.only
        actions: list[types.CodeAction] = []
        wants_quickfix = not only or any(types.CodeActionKind.QuickFix.value.startswith(k) or
                                         k == types.CodeActionKind.QuickFix for k in only)
        wants_fix_all = not only or any(FIX_ALL.startswith(k) for k in only)
        if wants_quickfix:
            for diag in params.context.diagnostics:
                if diag.source == SOURCE and isinstance(diag.data, dict):
                    actions.extend(_quick_fixes(ls, uri, diag))
        if wants_fix_all:
            action = _fix_all(ls, uri)
            if action is not None:
                actions.append(action)
        return actions


def _quick_fixes(ls, uri: str, diag: types.Diagnostic) -> list[types.CodeAction]:
    data: dict[str, Any] = diag.data
    actions = []
    for fix in data.get("fixes", []):
        applicability = Applicability.parse(fix["applicability"])
        edits = [types.TextEdit(range=range_from_json(e["range"]), new_text=e["newText"]) for e in fix["edits"]]
        actions.append(types.CodeAction(
            title=fix_title(fix["title"], applicability),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diag],
            is_preferred=applicability is Applicability.SAFE,
            edit=types.WorkspaceEdit(changes={uri: edits}),
        ))
    rule = data.get("rule")
    document = ls.workspace.text_documents.get(uri)
    if rule and document is not None and detect_format(uri) == "markdown":
        line = diag.range.start.line
        lines = document.source.splitlines(keepends=True)
        indent = re.match(r"[ \t]*", lines[line]).group(0) if line < len(lines) else ""
        eol = "\r\n" if line < len(lines) and lines[line].endswith("\r\n") else "\n"
        actions.append(types.CodeAction(
            title=f"Disable {rule} for this line",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[diag],
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
                range=types.Range(types.Position(line, 0), types.Position(line, 0)),
                new_text=f"{indent}<!-- listing-lint-disable-next-line {rule} -->{eol}",
            )]}),
        ))
    if rule == "competitor-brand" and document is not None:
        name = _flagged_text(ls, uri, diag)
        if name:
            edit = own_brand_edit(ls, uri, name)
            if edit is not None:
                actions.append(types.CodeAction(
                    title=f"Add '{name}' to own brands", kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag], edit=edit))
    return actions


def _flagged_text(ls, uri: str, diag: types.Diagnostic) -> Optional[str]:
    linted = ls.linted.get(uri)
    if linted is None:
        return None
    pos = linted.positions
    return linted.text[pos.offset(diag.range.start):pos.offset(diag.range.end)] or None


def _fix_all(ls, uri: str) -> Optional[types.CodeAction]:
    linted = ls.lint(uri)
    if linted is None or linted.result is None:
        return None
    if not any(f.fix and f.fix.applies(Applicability.SAFE) for f in linted.result.findings):
        return None
    from ..server import uri_to_path

    path = uri_to_path(uri)
    name = str(path) if path is not None else uri
    new_text, applied, _ = fix_document(name, linted.text, ls.config_for(uri), Applicability.SAFE,
                                        detect_format(name) or "markdown")
    if not applied or new_text == linted.text:
        return None
    end = linted.positions.position(len(linted.text))
    return types.CodeAction(
        title=f"Fix all safe listing-lint problems ({applied})",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
            range=types.Range(types.Position(0, 0), end), new_text=new_text)]}),
    )


BRANDS_HEADER = re.compile(r"^\[(?:tool\.listing-lint\.)?brands\]\s*$", re.M)
OWN_LINE = re.compile(r"^(own\s*=\s*\[)(.*?)(\])", re.M)


def own_brand_edit(ls, uri: str, name: str) -> Optional[types.WorkspaceEdit]:
    """Return an edit adding ``name`` to ``brands.own`` in the document's config (creating it if needed)."""
    from ..server import uri_to_path

    path = uri_to_path(uri)
    if path is None:
        return None
    config_path = find_config(path.parent)
    quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if config_path is None:
        root = _workspace_root(ls, path) or path.parent
        new_uri = (root / "listing-lint.toml").as_uri()
        return types.WorkspaceEdit(document_changes=[
            types.CreateFile(uri=new_uri, options=types.CreateFileOptions(ignore_if_exists=True)),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=new_uri, version=None),
                edits=[types.TextEdit(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                      new_text=f"[brands]\nown = [{quoted}]\n")]),
        ])
    text = config_path.read_text("utf-8", errors="replace")
    is_pyproject = config_path.name == "pyproject.toml"
    header = BRANDS_HEADER.search(text)
    if header is not None:
        section_end = re.compile(r"^\[", re.M).search(text, header.end())
        limit = section_end.start() if section_end else len(text)
        own = OWN_LINE.search(text, header.end(), limit)
        if own is not None:
            inside = own.group(2).strip()
            insert_at = own.start(3)
            new_text = f", {quoted}" if inside and not inside.endswith(",") else quoted
            offset = insert_at
        else:
            offset = text.index("\n", header.end()) + 1 if "\n" in text[header.end():] else len(text)
            new_text = f"own = [{quoted}]\n"
            if offset == len(text) and not text.endswith("\n"):
                new_text = "\n" + new_text
    else:
        table = "[tool.listing-lint.brands]" if is_pyproject else "[brands]"
        offset = len(text)
        new_text = ("" if text.endswith("\n") or not text else "\n") + f"\n{table}\nown = [{quoted}]\n"
    line = text.count("\n", 0, offset)
    col_text = text[text.rfind("\n", 0, offset) + 1:offset]
    character = len(col_text.encode("utf-16-le")) // 2
    pos = types.Position(line, character)
    return types.WorkspaceEdit(changes={config_path.resolve().as_uri(): [
        types.TextEdit(range=types.Range(pos, pos), new_text=new_text)]})


def _workspace_root(ls, path: Path) -> Optional[Path]:
    from ..server import uri_to_path

    for folder_uri in ls.workspace.folders:
        folder = uri_to_path(folder_uri)
        if folder is not None and folder in path.parents:
            return folder
    root = ls.workspace.root_path
    return Path(root) if root else None
