"""The compiled tokenizer of lower-case ASCII text (_tokens.ascii_tokens) gives the tokens its Python twin does."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.engine import normalize
from listing_lint.engine.normalize import ELISIONS, Token, fold, tokenize

from conftest import SHARED

tokens = pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")


def _twin(text: str, sentence: int = 0) -> list[Token]:
    """``tokenize`` through the Python loop alone."""
    folded, where = fold(text)
    folded = folded.replace("’", "'")
    ends = [m.start() for m in normalize._SENTENCE_END.finditer(text)] + [len(text) + 1]
    return normalize._py_tokens(text, folded, where, ends, sentence)


# Letters, digits, the separators numbers take, apostrophes, the symbols that are tokens, sentence ends, spaces,
# and the elided words ("l'", "dell'", "qu'") whose apostrophe splits a word.
_PIECES = st.sampled_from(list("abzAZ09.,'$%#+=&@?!;:- \n\t()\"") + ["l'", "dell'", "qu'", "d'", "don't", ". A", ".\n\n",
                                                                      "3.5", "1,000", "x'y", "''", "Mr. x"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join), st.integers(min_value=0, max_value=5))
def test_ascii_tokens_equal_the_python_twins(text, sentence):
    expected = _twin(text, sentence)
    found = tokenize(text, sentence)
    assert found == expected
    assert all(type(t) is Token for t in found)


def test_real_copy_is_tokenized_as_the_twin_does():
    """Every field of 500 real listings and the labelled snippets (ASCII or not: the rest keep the Python path)."""
    texts = []
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8").readlines()[:500]:
        record = json.loads(line)
        texts += [record.get("title") or "", *(record.get("bullets") or []), record.get("description") or ""]
    texts += [json.loads(line)["text"] for line in open(SHARED / "corpus" / "labelled-dev.jsonl", encoding="utf-8")]
    compiled = 0
    for text in texts:
        assert tokenize(text, 2) == _twin(text, 2), text
        compiled += fold(text)[1] is None and fold(text)[0].isascii()
    assert compiled > 1000  # most real copy takes the compiled path


def test_elided_words_split_at_their_first_apostrophe():
    found = tokenize("l'acqua dell'anno qu'il don't d'l'x")
    assert [(t.text, t.start, t.end) for t in found] == [
        ("l", 0, 1), ("acqua", 2, 7), ("dell", 8, 12), ("anno", 13, 17), ("qu", 18, 20), ("il", 21, 23),
        ("don't", 24, 29), ("d", 30, 31), ("l'x", 32, 35)]
    assert {"l", "dell", "qu", "d"} <= ELISIONS and "don" not in ELISIONS


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError):
        tokens.ascii_tokens("café", [5], 0, ELISIONS, Token)
    with pytest.raises(TypeError):
        tokens.ascii_tokens("abc", [4], 0, ELISIONS, dict)
    with pytest.raises(IndexError):
        tokens.ascii_tokens("a. b", [], 0, ELISIONS, Token)
