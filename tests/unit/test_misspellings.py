"""Misspelt lexicon words (a letter left out, one too many, two swapped) are read as the words they miss."""

from __future__ import annotations

import json
import re

import pytest

from listing_lint import Config
from listing_lint.engine.lexicon import bundled_lexicon_paths, load_lexicons
from listing_lint.engine.lint import RuleSet, single_field_listing
from listing_lint.model import FieldKind

from conftest import SHARED


@pytest.fixture(scope="module")
def lexicons():
    return load_lexicons(bundled_lexicon_paths())


@pytest.fixture(scope="module")
def rules():
    return RuleSet(Config())


def _rules(rules, text):
    return {f.rule for f in rules.lint(single_field_listing(text, FieldKind.BULLET, "x"))}


@pytest.mark.parametrize("lang, typo, word", [
    ("en", "reveiw", "review"),      # two letters swapped
    ("en", "gfit", "gift"),
    ("en", "reviw", "review"),       # one left out
    ("en", "revieww", "review"),     # one too many
    ("de", "gutschien", "gutschein"),
    ("de", "hinterlasen", "hinterlassen"),
    ("fr", "avsi", "avis"),
    ("es", "reglao", "regalo"),
    ("it", "recensone", "recensione"),
    ("nl", "recenise", "recensie"),
    ("pt", "brnide", "brinde"),
])
def test_a_misspelling_has_the_key_of_the_word_it_misses(lexicons, lang, typo, word):
    language = lexicons.languages[lang].ensure()
    assert language.text_key(typo) == language.text_key(word)


@pytest.mark.parametrize("lang, word, near", [
    ("en", "dating", "rating"),   # one letter changed for another is a different word
    ("en", "eview", "review"),    # the first letter is never the one missing
    ("en", "gits", "gift"),
    ("es", "buono", "bono"),      # an Italian word, not a misspelt Spanish one
    ("en", "gifts", "gift"),      # a word of the language in its own right keeps its own stem
])
def test_words_that_are_not_misspellings_keep_their_own_key(lexicons, lang, word, near):
    language = lexicons.languages[lang].ensure()
    assert language.text_key(word) == language.stemmer.stemWord(word)


@pytest.mark.parametrize("text", [
    "Plese leave a reivew and we will send you a free gfit as a thank you!",
    "Hinterlasen Sie eine Bewertung und erhalten Sie einen Gutschien für Ihren nächsten Einkauf.",
    "Laissez un avsi et recevez un cadeau.",
    "Deja una reseña y recibe un reglao.",
    "Lascia una recensone e ricevi un omaggio.",
])
def test_an_offer_with_misspelt_words_is_reported(rules, text):
    assert "review-incentive" in _rules(rules, text)


@pytest.mark.parametrize("text", [
    "Great for dating and rating apps.",
    "The gits of the matter.",
    "Free gift wrap. We read every review.",
])
def test_look_alikes_are_left_alone(rules, text):
    assert "review-incentive" not in _rules(rules, text)


def _key_trying_every_cut(lang, word: str) -> str:
    """``text_key`` as written before its cut test was filtered: every cut of the word is tried."""
    key = lang.stemmer.stemWord(word)
    if key in lang.word_keys or len(word) < 4 or not word.isalpha():
        return key
    typos, words, _ = lang.typos
    meant = typos.get(word) or typos.get(key)
    if meant is None and len(word) >= 5:
        meant = next((words[cut] for cut in (word[:i] + word[i + 1:] for i in range(1, len(word))) if cut in words),
                     None)
    if meant is None:
        return key
    from listing_lint.engine.detectors.brand_words import zipf
    from listing_lint.engine.lexicon import TYPO_CHECK_LANGS

    return meant if not any(zipf(word, code) for code in TYPO_CHECK_LANGS) else key


@pytest.mark.parametrize("code", ["en", "de", "fr", "es"])
def test_the_cut_test_is_filtered_without_changing_a_key(lexicons, code):
    """A word is cut only when some lexicon word has the letters a cut of it would keep (first two, last, length):
    every word one letter longer than a lexicon word, the letter put anywhere, gets the key it got before."""
    import random

    lang = lexicons.languages[code].ensure()
    _, words, _ = lang.typos
    rnd = random.Random(code)
    tried = []
    for word in sorted(words):
        for at in range(1, len(word) + 1):
            tried.append(word[:at] + rnd.choice("aeiourstnl" + word) + word[at:])
    tried += [w + "s" for w in sorted(words)] + ["reviews", "gutscheine", "kettles", "blender", "stainless"]
    # and the words of real copy, which the filter mostly turns away before any cut is made
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8").readlines()[:400]:
        record = json.loads(line)
        tried += re.findall(r"[^\W\d_]+", " ".join([record.get("title") or "", *(record.get("bullets") or [])]).lower())
    found = 0
    for word in tried:
        expected = _key_trying_every_cut(lang, word)
        assert lang.text_key(word) == expected, word
        found += expected in words.values() and expected != lang.stemmer.stemWord(word)
    assert found > 100  # the words tried are misspellings the cut test does find: it is not comparing no-ops


def test_the_compiled_typo_table_equals_its_python_twin(lexicons):
    """Every stemmed language's words, and words made to test the edges: doubled letters (a swap that changes
    nothing is no misspelling), four letters (swaps only), letters past ASCII and past Latin-1 (a variant that
    leaves the only wide letter out is a narrower string), and two words sharing a misspelling."""
    tokens = pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")
    from listing_lint.engine.lexicon import py_typo_table

    tables = [dict(lexicons.languages[code].ensure().typos[1]) for code in ("en", "de", "fr", "es", "it", "nl", "pt")]
    tables.append({"aabb": "aabb", "oooo": "o", "größe": "groß", "naïve": "naive", "ωmega": "omega", "źdźbło": "zdzblo",
                   "trail": "trail", "trial": "trial", "spaek": "x", "speak": "speak", "beeer": "beer", "beer": "beer"})
    compared = 0
    for words in tables:
        expected = py_typo_table(words)
        assert tokens.typo_table(words) == expected
        compared += len(expected)
    assert compared > 40_000
    assert tokens.typo_table({"trial": "trial", "trail": "trail"}).get("tral") is None  # shared by two keys
    assert tokens.typo_table({"naïve": "naive"})["nave"].isascii()
    with pytest.raises(TypeError):
        tokens.typo_table({"word": 1})
