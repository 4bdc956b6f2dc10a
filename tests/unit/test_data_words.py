"""Bundled word lists (engine/context.py ``data_words``): one lower-case term per line, comments and blank lines left out."""

from __future__ import annotations

import pytest

from listing_lint.engine import context

from conftest import ROOT


def _by_line(text: str) -> frozenset[str]:
    """The list as its format defines it, read one line at a time."""
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.strip().startswith("#"))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("LISTING_LINT_RULES_DIR", str(tmp_path))
    context.data_words.cache_clear()
    yield tmp_path / "data"
    context.data_words.cache_clear()


def test_every_bundled_list_reads_as_its_lines_do():
    context.data_words.cache_clear()
    for path in sorted((ROOT / "rules" / "data").glob("*.txt")):
        assert context.data_words(path.stem) == _by_line(path.read_text("utf-8")), path.name
    assert len(context.data_words("common-words")) > 20_000


@pytest.mark.parametrize("body", [
    "# a header\n# of two lines\nApple\nlodge\n",  # comments at the top, capitals
    "apple\n# a comment further down\nring\n",
    "apple\n\n\nring\n",                           # blank lines
    "  apple  \n\tring\nbell \n",                   # space around a word
    "apple\r\nring\r\n# c\r\n",                     # Windows line ends
    "#\napple", "# only a comment", "", "\n", "apple",
    "apple\n   # an indented comment\nring",
])
def test_a_list_with_comments_blank_lines_and_spaces_reads_as_its_lines_do(data_dir, body):
    (data_dir / "list.txt").write_text(body, "utf-8", newline="")
    assert context.data_words("list") == _by_line(body)
