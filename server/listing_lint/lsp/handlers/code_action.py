"""Layer 5a (LSP): textDocument/codeAction: quick fixes, line suppressions, own-brand edits and fix-all."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Optional

from lsprotocol import types

from ...config import find_config
from ...diagnostics import Applicability
from ...engine.files import InputFileError, read_input_bytes
from ..convert import SOURCE, fix_title, range_from_json

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.listing-lint"
log = logging.getLogger("listing_lint.lsp")


def register(server) -> None:
    """Register the code action handler."""

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True))
    async def code_action(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        only = params.context.only
        actions: list[types.CodeAction] = []
        wants_quickfix = not only or any(types.CodeActionKind.QuickFix.value.startswith(k) or
                                         k == types.CodeActionKind.QuickFix for k in only)
        wants_fix_all = not only or any(FIX_ALL.startswith(k) for k in only)
        if wants_quickfix:
            seen: set[tuple] = set()
            request = _Request(ls, uri)
            for diag in params.context.diagnostics:
                if diag.source == SOURCE and isinstance(diag.data, dict):
                    for action in _quick_fixes(request, diag):
                        # Two rules flagging one sentence can offer the same rewrite: show it once.
                        key = (action.title, repr(action.edit))
                        if key not in seen:
                            seen.add(key)
                            actions.append(action)
        if wants_fix_all:
            # Editors ask for actions whenever the cursor moves (no `only`): there, send fix-all without its
            # edit when the client can resolve it, instead of fixing the whole document on every move.
            action = await _fix_all(ls, uri, lazy=not only and _resolves_edits(ls))
            if action is not None:
                actions.append(action)
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls, action: types.CodeAction) -> types.CodeAction:
        uri = action.data.get("uri") if isinstance(action.data, dict) else None
        if action.kind == FIX_ALL and action.edit is None and isinstance(uri, str):
            full = await _fix_all(ls, uri)
            if full is not None:
                action.edit, action.title = full.edit, full.title
        return action


def _resolves_edits(ls) -> bool:
    """Return whether the client can fill in a code action's edit with codeAction/resolve."""
    text = ls.client_capabilities.text_document
    support = text.code_action.resolve_support if text is not None and text.code_action is not None else None
    return support is not None and "edit" in support.properties


def _fix_action(uri: str, diag: types.Diagnostic, fix: Any) -> Optional[types.CodeAction]:
    """Return the quick fix for one fix in a diagnostic's data; None for data this server did not write.

    Editors send diagnostics back as they stored them: from an older server, another tool, or edited.
    One malformed entry must not cost the user the other diagnostics' actions.
    """
    try:
        applicability = Applicability.parse(fix["applicability"])
        edits = [types.TextEdit(range=range_from_json(e["range"]), new_text=str(e["newText"])) for e in fix["edits"]]
        title = fix["title"]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("ignoring malformed fix in diagnostic data: %r (%s)", fix, exc)
        return None
    if not isinstance(title, str) or not edits:
        return None
    return types.CodeAction(
        title=fix_title(title, applicability),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=applicability is Applicability.SAFE,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


class _Request:
    """What every diagnostic of one codeAction request needs, worked out once for the request.

    The document's lines were split for each diagnostic (``TextDocument.lines`` splits the whole text on every
    read): a request carrying 1,000 diagnostics of a long document took 20 s (issue 14).
    """

    def __init__(self, ls, uri: str):
        from ...extract import detect_format

        self.ls = ls
        self.uri = uri
        self.document = ls.document(uri)
        self.lines = self.document.lines if self.document is not None else ()
        self.markdown = detect_format(uri) == "markdown"
        self.own_brand_edits: dict[str, Optional[types.WorkspaceEdit]] = {}

    def own_brand_edit(self, name: str) -> Optional[types.WorkspaceEdit]:
        """Return ``own_brand_edit`` for ``name``, reading and editing the config once per name."""
        if name not in self.own_brand_edits:
            self.own_brand_edits[name] = own_brand_edit(self.ls, self.uri, name)
        return self.own_brand_edits[name]


def _quick_fixes(request: _Request, diag: types.Diagnostic) -> list[types.CodeAction]:
    ls, uri = request.ls, request.uri
    data: dict[str, Any] = diag.data
    fixes = data.get("fixes")
    actions = [a for a in (_fix_action(uri, diag, f) for f in (fixes if isinstance(fixes, list) else [])) if a]
    rule = data.get("rule")
    if not isinstance(rule, str) or not rule:
        return actions
    document, lines = request.document, request.lines
    if diag.range.start.line >= len(lines):  # not (or no longer) a line of this document
        return actions
    if request.markdown:
        line = diag.range.start.line
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
        from ...config_edit import brand_name

        name = brand_name(_flagged_text(ls, uri, diag) or "")  # a match across a line break: one line
        if name:
            edit = request.own_brand_edit(name)
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


async def _fix_all(ls, uri: str, lazy: bool = False) -> Optional[types.CodeAction]:
    linted = await ls.current(uri)
    if linted is None or linted.result is None:
        return None
    fixable = sum(1 for f in linted.result.findings if f.fix and f.fix.applies(Applicability.SAFE))
    if not fixable:
        return None
    if lazy:
        return types.CodeAction(title=f"Fix all safe listing-lint problems ({fixable})", kind=FIX_ALL,
                                data={"uri": uri, "version": linted.version})
    fixed = await ls.fixed_source(uri, linted)  # in the worker, as a lint: fixing a long listing takes a while
    if fixed is None:
        return None
    new_text, applied = fixed
    if not applied or new_text == linted.source:
        return None
    end = linted.positions.position(len(linted.text))
    return types.CodeAction(
        title=f"Fix all safe listing-lint problems ({applied})",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
            range=types.Range(types.Position(0, 0), end), new_text=new_text)]}),
    )


def own_brand_edit(ls, uri: str, name: str) -> Optional[types.WorkspaceEdit]:
    """Return an edit adding ``name`` to ``brands.own`` in the document's config (creating it if needed).

    The config is edited as TOML (``config_edit.add_own_brand``), so every layout of ``own`` stays valid
    and its comments stay; the edit replaces only the lines that changed.
    """
    from ...config_edit import add_own_brand  # brings tomlkit: only when a competitor's diagnostic is asked about
    from ..server import uri_to_path

    path = uri_to_path(uri)
    if path is None:
        return None
    config_path = find_config(path.parent)
    if config_path is None:
        new_text = add_own_brand("", name)
        if new_text is None:
            return None
        root = _workspace_root(ls, path) or path.parent
        new_uri = (root / "listing-lint.toml").as_uri()
        return types.WorkspaceEdit(document_changes=[
            types.CreateFile(uri=new_uri, options=types.CreateFileOptions(ignore_if_exists=True)),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=new_uri, version=None),
                edits=[types.TextEdit(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                      new_text=new_text)]),
        ])
    config_uri = config_path.resolve().as_uri()
    open_config = ls.document(config_uri)
    if open_config is not None:  # the editor's text, unsaved changes included, is what the edit applies to
        text = open_config.source
    else:
        try:
            text = read_input_bytes(config_path).decode("utf-8-sig")
        except (OSError, InputFileError, UnicodeDecodeError):
            return None
    new_text = add_own_brand(text, name, pyproject=config_path.name == "pyproject.toml")
    if new_text is None:
        return None
    return types.WorkspaceEdit(changes={config_uri: [_changed_lines(text, new_text)]})


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
"""A line with its line break, as LSP counts lines (str.splitlines also breaks at U+2028 and form feeds)."""


def _changed_lines(old: str, new: str) -> types.TextEdit:
    """Return one edit turning ``old`` into ``new``: the lines between their common first and last lines."""
    old_lines, new_lines = _LINE.findall(old), _LINE.findall(new)
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    while (tail < min(len(old_lines), len(new_lines)) - head
           and old_lines[-1 - tail] == new_lines[-1 - tail]):
        tail += 1
    replaced = "".join(new_lines[head:len(new_lines) - tail])
    start = types.Position(head, 0)
    end_line = len(old_lines) - tail
    if end_line == len(old_lines) and old_lines and not old_lines[-1].endswith(("\n", "\r")):
        # The old text's last line has no line break: end the range at its end, not on a line after it.
        end = types.Position(end_line - 1, len(old_lines[-1].encode("utf-16-le")) // 2)
        if head == end_line:  # nothing of the last line is replaced: insert after it
            start = end
    else:
        end = types.Position(end_line, 0)
    return types.TextEdit(range=types.Range(start, end), new_text=replaced)


def _workspace_root(ls, path: Path) -> Optional[Path]:
    from ..server import uri_to_path

    for folder_uri in ls.workspace.folders:
        folder = uri_to_path(folder_uri)
        if folder is not None and folder in path.parents:
            return folder
    root = ls.workspace.root_path
    return Path(root) if root else None
