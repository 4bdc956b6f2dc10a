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


def _asked(name: str, words) -> list[bool]:
    """Ask a new WordList about each word, in order."""
    listed = context.WordList(name)
    return [word in listed for word in words]


def _neighbours(words) -> list[str]:
    """Words cut or lengthened by a letter, and two words run together: the lines around a word are no match."""
    out = []
    for word in words:
        out += [word[:-1], word[1:], word + "s", "x" + word, word.upper()]
    out += [a + b for a, b in zip(words, words[1:])] + [f"{a}\n{b}" for a, b in zip(words, words[1:])]
    return out + ["", "#", "# common", " ", "\n"]


def test_a_word_list_asked_word_by_word_answers_as_the_set_does():
    context.data_words.cache_clear()
    for path in sorted((ROOT / "rules" / "data").glob("*.txt")):
        listed = sorted(context.data_words(path.stem))
        sample = listed[:20] + listed[len(listed) // 2:len(listed) // 2 + 20] + listed[-20:]
        asked = sample + _neighbours(sample)
        # Past SEARCHED words the set answers: both ways are asked.
        assert len(asked) > 2 * context.WordList.SEARCHED
        assert _asked(path.stem, asked) == [w in context.data_words(path.stem) for w in asked], path.name


def test_the_english_lists_are_searched_as_text_until_enough_words_are_asked():
    context.data_words.cache_clear()
    listed = context.WordList("common-words")
    assert "apple" in listed and "zzqxv" not in listed
    # Asked word by word, the set was never made: what a small run saves.
    assert context.data_words.cache_info().currsize == 0
    for _ in range(context.WordList.SEARCHED):
        "ring" in listed
    assert "ring" in listed and context.data_words.cache_info().currsize == 1


@pytest.mark.parametrize("body", [
    "# a header\nApple\nlodge\n",              # a capital: lower-cased by data_words
    "apple\n# a comment further down\nring\n",
    "apple\n\nring\n",
    "apple \nring\n",
    "apple\r\nring\r\n",
    "apple\nring",                              # no line break at the end
    "# only a comment\n", "",
    "apple\néclair\nring\n", "apple\nÉclair\nring\n",       # past ASCII: lower case, and a capital
    "apple\nring\x85bell\n", "apple\nring\u2028bell\n",    # where str.splitlines breaks a line too
    "apple\nring\x1cbell\n", "apple\nri\tng\n", "apple\nring\xa0\n", "apple\n\u3000ring\n",
])
def test_a_list_asked_word_by_word_in_any_layout_answers_as_the_set_does(data_dir, body):
    (data_dir / "list.txt").write_text(body, "utf-8", newline="")
    asked = ["apple", "lodge", "ring", "Apple", "ring\napple", "appl", "", "#", "# a comment further down",
             "éclair", "Éclair", "bell", "ring\x85bell", "ring\u2028bell", "ring\x1cbell", "ri\tng", "ring\xa0",
             "\u3000ring", "ring\ud800"]
    assert _asked("list", asked) == [w in context.data_words("list") for w in asked]
