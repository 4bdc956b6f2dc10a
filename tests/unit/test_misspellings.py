"""Misspelt lexicon words (a letter left out, one too many, two swapped) are read as the words they miss."""

from __future__ import annotations

import pytest

from listing_lint import Config
from listing_lint.engine.lexicon import bundled_lexicon_paths, load_lexicons
from listing_lint.engine.lint import RuleSet, single_field_listing
from listing_lint.model import FieldKind


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
