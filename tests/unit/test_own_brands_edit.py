"""The "Add 'X' to own brands" code action edits the config as TOML, in every layout of ``own`` (issue 14, item 5).

The old edit spliced text with regular expressions and broke 6 of 8 layouts: a multi-line ``own`` list got
a second ``own`` key, a name with ``[`` ended the array, a match across a line break put a raw newline in a
TOML string; the next run exited 2. Each case here applies the action's edit to the file, then checks that
the result parses, loads with listing-lint's own config loader, holds the name once more in ``own`` and
nothing else changed, and that every comment is still there.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Optional

import pytest
from lsprotocol import types

from listing_lint.config import load_config
from listing_lint.config_edit import add_own_brand
from listing_lint.lsp.handlers.code_action import own_brand_edit

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SELECT = '[rules]\nselect = ["competitor-brand"]\n'
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class FakeServer:
    """What ``own_brand_edit`` uses of the server: the workspace folders and the open documents."""

    def __init__(self, root: Path, open_documents: Optional[dict[str, str]] = None):
        self.workspace = SimpleNamespace(folders={root.as_uri(): None}, root_path=str(root))
        self.open_documents = open_documents or {}

    def document(self, uri: str) -> Any:
        text = self.open_documents.get(uri)
        return SimpleNamespace(source=text) if text is not None else None


def offset_of(text: str, pos: types.Position) -> int:
    """Return the string offset of an LSP position (UTF-16 columns) in ``text``."""
    starts = [0] + [m.end() for m in LINE_BREAK.finditer(text)]
    if pos.line >= len(starts):
        return len(text)
    start = starts[pos.line]
    end = starts[pos.line + 1] if pos.line + 1 < len(starts) else len(text)
    units = 0
    for i in range(start, end):
        if units >= pos.character:
            return i
        units += len(text[i].encode("utf-16-le")) // 2
    return end


def apply(text: str, edits: list[types.TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset_of(text, edit.range.start), offset_of(text, edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def edited_config(folder: Path, name: str, server: Optional[FakeServer] = None) -> tuple[Path, str]:
    """Run the code action for a listing in ``folder``; return the config file and its text after the edit."""
    listing = folder / "a.listing.md"
    listing.write_text("# Title\nKettle\n", encoding="utf-8")
    edit = own_brand_edit(server or FakeServer(folder), listing.as_uri(), name)
    assert edit is not None
    if edit.document_changes:  # no config anywhere: the file is created
        create, change = edit.document_changes
        assert isinstance(create, types.CreateFile)
        path = Path(create.uri.removeprefix("file://"))
        assert not path.exists()
        return path, apply("", change.edits)
    [(uri, edits)] = edit.changes.items()
    path = Path(uri.removeprefix("file://"))
    base = (server.open_documents.get(uri) if server else None) or path.read_bytes().decode("utf-8")
    return path, apply(base, edits)


def own_of(data: dict[str, Any], pyproject: bool) -> Any:
    if pyproject:
        data = data.get("tool", {}).get("listing-lint", {})
    return data.get("brands", {}).get("own")


def without_own(data: dict[str, Any], pyproject: bool) -> dict[str, Any]:
    """Return parsed config data without ``brands.own`` (and without tables that held only it)."""
    import copy

    data = copy.deepcopy(data)
    section = data.get("tool", {}).get("listing-lint", {}) if pyproject else data
    brands = section.get("brands", {})
    brands.pop("own", None)
    if "brands" in section and not brands:
        del section["brands"]
    return data


LAYOUTS = [
    pytest.param("", "listing-lint.toml", id="no-brands-no-rules"),
    pytest.param(SELECT, "listing-lint.toml", id="no-brands-table"),
    pytest.param(SELECT.rstrip("\n"), "listing-lint.toml", id="no-brands-no-final-newline"),
    pytest.param(SELECT + '\n[brands]\ncompetitors = ["Dyson"]  # rivals\n\n[limits]\ntitle-max-chars = 150\n',
                 "listing-lint.toml", id="brands-without-own"),
    pytest.param(SELECT + '\n[brands]\nown = ["Vantora"]  # ours\ncompetitors = ["Dyson"]\n', "listing-lint.toml",
                 id="inline-list"),
    pytest.param(SELECT + '\n[brands]\nown = []\n', "listing-lint.toml", id="empty-list"),
    pytest.param(SELECT + '\n[brands]\nown = [\n    "Vantora",  # the house brand\n    # retired: "Oldco"\n'
                 '    "Kettlo",\n]\ncompetitors = ["Dyson"]\n', "listing-lint.toml", id="multi-line-list-comments"),
    pytest.param(SELECT + '\n[brands]\nown = [\n  "Vantora",\n  "Kettlo"  # last, no comma\n]\n',
                 "listing-lint.toml", id="multi-line-no-trailing-comma"),
    pytest.param('brands.own = ["Vantora"]  # dotted\nbrands.competitors = ["Dyson"]\n' + SELECT,
                 "listing-lint.toml", id="dotted-key"),
    pytest.param('brands.competitors = ["Dyson"]\n' + SELECT, "listing-lint.toml", id="dotted-without-own"),
    pytest.param('brands = { own = ["Vantora"], competitors = ["Dyson"] }\n' + SELECT, "listing-lint.toml",
                 id="inline-table"),
    pytest.param(SELECT + '\n[brands]\nown = "Vantora"\n', "listing-lint.toml", id="single-string"),
    pytest.param(SELECT.replace("\n", "\r\n") + '\r\n[brands]\r\nown = [\r\n  "Vantora",  # ours\r\n]\r\n',
                 "listing-lint.toml", id="crlf-multi-line"),
    pytest.param("# Project config\n" + SELECT + "\n[brands] # brand lists\nown = ['Vantora']\n",
                 ".listing-lint.toml", id="dot-file-literal-strings"),
    pytest.param('[project]\nname = "shop"\n\n[tool.listing-lint]\nmarketplace = "amazon.com"  # US\n\n'
                 '[tool.listing-lint.rules]\nselect = ["competitor-brand"]\n\n[tool.black]\nline-length = 100\n',
                 "pyproject.toml", id="pyproject-no-brands"),
    pytest.param('[tool.listing-lint.rules]\nselect = ["competitor-brand"]\n\n[tool.listing-lint.brands]\n'
                 'own = [\n  "Vantora",  # ours\n]\n\n[tool.ruff]\nline-length = 100\n',
                 "pyproject.toml", id="pyproject-multi-line"),
    pytest.param('[tool.listing-lint]\nbrands.own = ["Vantora"]\nrules.select = ["competitor-brand"]\n',
                 "pyproject.toml", id="pyproject-dotted"),
]
NAMES = [
    pytest.param("Anker", "Anker", id="plain"),
    pytest.param('Say "Hi" [Pro]', 'Say "Hi" [Pro]', id="quotes-brackets"),
    pytest.param("Back\\slash ]] # not a comment", "Back\\slash ]] # not a comment", id="backslash-hash"),
    pytest.param("Kinetic\nSand", "Kinetic Sand", id="line-break"),
    pytest.param("  Tab\tand\r\n  spaces ", "Tab and spaces", id="whitespace-runs"),
    pytest.param("Café 北京 😀", "Café 北京 😀", id="non-ascii"),
]


@pytest.mark.parametrize("name, stored", NAMES)
@pytest.mark.parametrize("original, file_name", LAYOUTS)
def test_add_to_own_brands_keeps_the_config_valid_in_every_layout(tmp_path, original, file_name, name, stored):
    pyproject = file_name == "pyproject.toml"
    if original or file_name != "listing-lint.toml":
        (tmp_path / file_name).write_bytes(original.encode("utf-8"))
    path, new = edited_config(tmp_path, name)
    assert path.name == file_name

    before = tomllib.loads(original) if original else {}
    after = tomllib.loads(new)
    old_own = own_of(before, pyproject)
    old_own = [old_own] if isinstance(old_own, str) else old_own or []
    assert own_of(after, pyproject) == [*old_own, stored]
    assert without_own(after, pyproject) == without_own(before, pyproject)  # nothing else changed
    for comment in re.findall(r"#[^\n\r]*", original):
        assert comment in new, f"comment {comment!r} lost"
    if "\r\n" in original:
        assert new.count("\n") == new.count("\r\n"), "line ends mixed"

    path.write_bytes(new.encode("utf-8"))
    assert stored in load_config(path).own_brands  # listing-lint's own loader takes it


def test_the_edit_replaces_only_the_lines_that_change(tmp_path):
    original = SELECT + '\n[brands]\nown = [\n    "Vantora",  # the house brand\n]\ncompetitors = ["Dyson"]\n'
    (tmp_path / "listing-lint.toml").write_text(original, encoding="utf-8")
    (tmp_path / "a.listing.md").write_text("# Title\nKettle\n", encoding="utf-8")
    edit = own_brand_edit(FakeServer(tmp_path), (tmp_path / "a.listing.md").as_uri(), "Anker")
    [edits] = edit.changes.values()
    assert [(e.range.start.line, e.range.end.line, e.new_text) for e in edits] == [(6, 6, '    "Anker",\n')]


def test_an_open_config_is_edited_as_the_editor_holds_it(tmp_path):
    config = tmp_path / "listing-lint.toml"
    config.write_text(SELECT, encoding="utf-8")
    unsaved = SELECT + '\n[brands]\nown = [\n  "Vantora",  # typed, not saved yet\n]\n'
    server = FakeServer(tmp_path, {config.resolve().as_uri(): unsaved})
    _, new = edited_config(tmp_path, "Anker", server)
    assert tomllib.loads(new)["brands"]["own"] == ["Vantora", "Anker"] and "# typed, not saved yet" in new


@pytest.mark.parametrize("original", [
    SELECT + '\n[brands]\nown = ["Anker"]\n',  # already there
    SELECT + '\n[brands\nown = ["Vantora"]\n',  # not valid TOML: no safe edit to offer
    SELECT + '\n[brands]\nown = 5\n',  # a shape the loader refuses anyway
    'brands = "Vantora"\n',
])
def test_no_action_when_there_is_nothing_safe_to_add(tmp_path, original):
    (tmp_path / "listing-lint.toml").write_text(original, encoding="utf-8")
    (tmp_path / "a.listing.md").write_text("# Title\nKettle\n", encoding="utf-8")
    assert own_brand_edit(FakeServer(tmp_path), (tmp_path / "a.listing.md").as_uri(), "Anker") is None


@pytest.mark.parametrize("name", ["", "   ", "\n\t"])
def test_a_blank_name_is_never_added(name):
    assert add_own_brand(SELECT, name) is None
