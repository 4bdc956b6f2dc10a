"""The compiled first look at a new token (_tokens.TextKey, _tokens.Classifier) answers as its Python twins do."""

from __future__ import annotations

import json
import random
import re

import pytest

from listing_lint.engine.concept_gate import ConceptGate
from listing_lint.engine.lexicon import Lexicons, bundled_lexicon_paths, load_lexicons

from conftest import SHARED

tokens = pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")

EDGES = ["", "a", "ab", "abc", "abcd", "1234", "4k", "x2", "ab-cd", "don't", "é", "éé", "ÉTÉ", "Review", "REVIEW",
         "reseña", "résumé", "größe", "straße", "naïve", "ωmega", "źdźbło", "𝐫𝐞𝐯𝐢𝐞𝐰", "レビュー", "好评", "ﬁve",
         "e\u0301toile", "\u200breview", "reviewreviewreviewreviewreviewreviewreview"]


def _words(lang, seed: str) -> list[str]:
    """Words a language looks at: real copy's, its lexicon words with a letter put in, left out or swapped (the
    misspellings text_key looks for, and near misses), and the edges above."""
    rnd = random.Random(seed)
    words = list(EDGES)
    lexicon_words = sorted(lang.surface) if lang.surface else []
    for word in lexicon_words:
        at = rnd.randrange(1, len(word) + 1)
        words.append(word[:at] + rnd.choice("aeiourstnlé" + word) + word[at:])
        if len(word) > 2:
            cut = rnd.randrange(1, len(word))
            words.append(word[:cut] + word[cut + 1:])
            swap = rnd.randrange(1, len(word) - 1)
            words.append(word[:swap] + word[swap + 1] + word[swap] + word[swap + 2:])
        words += [word, word + "s", word.upper()]
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8").readlines()[:300]:
        record = json.loads(line)
        words += re.findall(r"\w+", " ".join([record.get("title") or "", *(record.get("bullets") or [])]).lower())
    for line in open(SHARED / "corpus" / "labelled-dev.jsonl", encoding="utf-8"):
        words += re.findall(r"\w+", json.loads(line)["text"].lower())
    return list(dict.fromkeys(words))


@pytest.fixture(scope="module")
def lexicons():
    return load_lexicons(bundled_lexicon_paths())


def test_the_compiled_key_is_text_key(lexicons):
    """Every language's key of every word is text_key's, misspellings (which go to text_key) included."""
    misspelt = 0
    for code, lang in sorted(lexicons.languages.items()):
        lang.ensure()
        assert isinstance(lang.key_of, tokens.TextKey), code
        for word in _words(lang, code):
            expected = lang.text_key(word)
            assert lang.key_of(word) == expected, (code, word)
            misspelt += lang.stemmer is not None and expected != lang.stemmer.stemWord(word)
    assert misspelt > 100  # the words include misspellings found, not only words that are their own stem


def test_the_compiled_classifier_answers_as_classify(lexicons):
    """Each language of a gate looks at every word as classify does: None for most, the records of the rest."""
    gate = ConceptGate(lexicons)
    relevant = 0
    for code in sorted(lexicons.languages):
        language = gate._language(code)
        assert isinstance(language.look, tokens.Classifier), code
        for word in _words(language.lang, code + "-gate"):
            expected = language.classify(word)
            assert language.look(word) == expected, (code, word)
            relevant += expected is not None
    assert relevant > 500  # tokens the lexicons file (keys, atoms, prefixes) are among them, not only None


def test_a_gate_on_the_python_twins_uses_classify(lexicons):
    gate = ConceptGate(lexicons, compiled=False)
    language = gate._language("en")
    assert language.look == language.classify


def test_entries_compiled_later_give_the_new_keys(tmp_path):
    """A pack compiling entries into a language already read from (``Language.ensure``) makes a new TextKey:
    the misspelling of a word only the new entry names gets that word's key, in the classifier too."""
    lexicons = Lexicons(bundled_lexicon_paths())  # its own: the entry added here must not reach other tests
    gate = ConceptGate(lexicons)
    language = gate._language("en")
    lang = language.lang.ensure()
    assert language.look("zorblaxan") is None
    before = lang.key_of
    assert before("zorblaxan") == lang.stemmer.stemWord("zorblaxan")
    concept = sorted(lexicons.concepts)[0]
    lang.pending.append((concept, "zorblaxian", False))
    lang.ensure()
    assert lang.key_of is not before
    assert lang.key_of("zorblaxan") == lang.text_key("zorblaxan") == lang.stemmer.stemWord("zorblaxian")
    # The gate's tables were filed before the entry: classify and the classifier still agree on the token.
    assert language.look("zorblaxan") == language.classify("zorblaxan")


def test_bad_tables_are_refused():
    with pytest.raises(TypeError):
        tokens.TextKey(None, frozenset(), {}, {}, frozenset({("a", "b", "c")}), str)
    with pytest.raises(TypeError):
        tokens.TextKey(None, frozenset(), {}, {}, frozenset(), None)
    key = tokens.TextKey(None, frozenset(), {}, {}, frozenset(), str)
    assert key("Word") == "Word"
    with pytest.raises(TypeError):
        key(3)
    with pytest.raises(TypeError):
        tokens.Classifier(object(), {}, {}, {}, {}, None, str)


def test_the_compiled_keys_are_text_keys_and_kept_up_to_the_limit(lexicons, monkeypatch):
    """Language.keys through TextKey.keys gives text_key of each word, keeps what it makes while the memo is
    under its limit, and takes a kept key from the memo (a key put there by hand is what it returns)."""
    from listing_lint.engine import lexicon

    lang = lexicons.languages["de"].ensure()
    words = _words(lang, "keys")[:3000]
    lang._text_keys.clear()
    assert lang.keys(words) == [lang.text_key(w) for w in words]
    assert len(lang._text_keys) == len(set(words))
    lang._text_keys["gutschein"] = "kept"
    assert lang.keys(["gutschein"]) == ["kept"]
    lang._text_keys.clear()
    monkeypatch.setattr(lexicon, "MAX_TEXT_KEYS", 10)
    assert lang.keys(words[:50]) == [lang.text_key(w) for w in words[:50]]
    assert len(lang._text_keys) == 10
    with pytest.raises(TypeError):
        lang.key_of.keys([3], {}, 10)
