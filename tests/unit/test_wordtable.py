"""The compiled WordTable finds exactly the whole words (Python's ``\\w+``) that are keys, as its twin does."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.engine.wordtable import PyWordTable, WordTable, word_table

from conftest import SHARED, real_brands

pytestmark = pytest.mark.skipif(WordTable is PyWordTable, reason="the C extension was not built")

_ALPHABET = st.sampled_from(list("abAB_1é ÉßẞİıǅＡ５٣ \t\n.-'’®™😀好レ\u0301\u200b") + ["box", "Box", "BOX", "Straße"])
KEYS = ["box", "Box", "BOX", "é", "Straße", "A", "_", "5", "Ａ５", "好", "b_1"]


def _words(text, keys):
    return [m.span() for m in re.finditer(r"\w+", text) if m.group() in keys]


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_the_compiled_table_finds_the_words_re_finds(text):
    table = word_table(KEYS, compiled=True)
    assert [span for span in table.find(text) if text[span[0]:span[1]] in KEYS] == _words(text, set(KEYS))
    assert word_table(KEYS, compiled=False).find(text) == _words(text, set(KEYS))
    # words(): the same words with their text, only those in the keys given (some of the table's, or others).
    for keys in (frozenset(KEYS), {"Box", "Straße", "zzz"}, set()):
        expected = [(s, e, text[s:e]) for s, e in _words(text, keys & set(KEYS))]
        assert table.words(text, keys) == expected
        assert word_table(KEYS, compiled=False).words(text, keys) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_ALPHABET, max_size=20).map("".join), max_size=5))
def test_a_listing_s_fields_are_read_in_one_call_as_one_by_one(texts):
    for compiled in (True, False):
        table = word_table(KEYS, compiled=compiled)
        for keys in (frozenset(KEYS), {"Box", "zzz"}):
            assert table.words_each(texts, keys) == [table.words(text, keys) for text in texts]
            assert table.words_each(tuple(texts), keys) == [table.words(text, keys) for text in texts]
    with pytest.raises(TypeError):
        word_table(KEYS, compiled=True).words_each(["box", 5], frozenset(KEYS))


def test_the_compiled_table_agrees_with_its_twin_on_real_listings():
    brands = real_brands()
    keys = {w for b in brands for w in re.findall(r"\w+", b)}
    compiled, twin = word_table(keys, compiled=True), word_table(keys, compiled=False)
    assert len(compiled) == len(twin) == len(keys)
    found = 0
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        for text in (r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""):
            spans = [s for s in compiled.find(text) if text[s[0]:s[1]] in keys]
            assert spans == twin.find(text)
            found += len(spans)
    assert found > 1000  # the corpus names many of these words: the comparison is not of empty lists


def test_a_word_longer_than_every_key_or_a_part_of_a_word_is_not_found():
    table = word_table(["Box"], compiled=True)
    assert table.find("Boxes Boxbox xBox Box_ Box9 Box") == [(28, 31)]
    assert word_table([], compiled=True).find("Box") == []
    with pytest.raises(TypeError):
        WordTable([1])


def test_the_brand_matcher_finds_the_same_names_with_either_table():
    from listing_lint.engine.detectors.brand import BrandMatcher

    brands = real_brands()
    compiled = BrandMatcher(brands)
    twin = BrandMatcher(brands)
    twin.prose_table = word_table(twin.prose_keys, compiled=False)
    names = 0
    for line in list(open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"))[:800]:
        r = json.loads(line)
        for text in (r.get("title") or "", *(r.get("bullets") or [])):
            found = [(s, e, entry.name) for s, e, entry in compiled.find(text, False)]
            assert found == [(s, e, entry.name) for s, e, entry in twin.find(text, False)]
            names += len(found)
    assert names > 100
