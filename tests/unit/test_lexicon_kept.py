"""A language's compiled lexicon entries are kept with the parsed rule files and taken from there next time."""

from __future__ import annotations

import json

import pytest

from listing_lint.engine import lexicon, prebuilt, spec
from listing_lint.engine.lexicon import Lexicons, bundled_lexicon_paths


@pytest.fixture
def store(nothing_kept):
    """A process with nothing parsed, kept or prebuilt yet; returns a function that hands the kept JSON to a new
    one."""
    return nothing_kept


def _compiled(lexicons: Lexicons) -> dict:
    """What matching reads of each language: its entries as filed, and the words its entries were written with."""
    out = {}
    for code, lang in lexicons.languages.items():
        lang.ensure()
        out[code] = (lang.surface, lang.by_first, lang.ref_by_first, lang.by_prefix, lang.by_ref)
    return out


def _kept_damaged(chosen, damage) -> dict:
    """Return what this run keeps, with ``damage`` done to each kept item ``chosen`` picks."""
    kept = spec.parsed_to_keep()
    for key, text in kept.items():
        data = json.loads(text)
        if chosen(data):
            damage(data)
            kept[key] = json.dumps(data)
    return kept


def _count_compiles(monkeypatch) -> list:
    calls: list = []
    real = lexicon.compile_entry
    monkeypatch.setattr(lexicon, "compile_entry", lambda term, lang: calls.append(term) or real(term, lang))
    return calls


def test_kept_entries_are_the_entries_compiled(store, monkeypatch):
    paths = tuple(bundled_lexicon_paths())
    calls = _count_compiles(monkeypatch)
    spec.keep_parsed(lambda: {})
    fresh = _compiled(Lexicons(paths))
    assert len(calls) > 5000
    kept = spec.parsed_to_keep()
    store(kept)
    calls.clear()
    again = _compiled(Lexicons(paths))
    assert calls == [] and spec.parsed_to_keep() is None  # every language came from what was kept
    assert again == fresh and set(again) >= {"en", "de", "fr", "es", "it", "pt", "nl", "zh", "ja"}


@pytest.mark.parametrize("damage", [
    lambda e: e.update(entries="not a list"),
    lambda e: e["entries"][0][0].append(["w", "a string, not a list"]),
    lambda e: e["entries"][0][0].append(["q", "no such element"]),
    lambda e: e["entries"][0][0].append(["w", [1, 2]]),
    lambda e: e["entries"][0].__setitem__(1, "yes"),
    lambda e: e.pop("surface"),
])
def test_damaged_kept_entries_are_compiled_again(store, monkeypatch, damage):
    paths = tuple(bundled_lexicon_paths())
    spec.keep_parsed(lambda: {})
    fresh = _compiled(Lexicons(paths))
    store(_kept_damaged(lambda data: isinstance(data, dict) and "surface" in data, damage))
    calls = _count_compiles(monkeypatch)
    assert _compiled(Lexicons(paths)) == fresh
    assert calls  # compiled again


def test_without_a_keeper_entries_are_compiled_as_ever_and_nothing_is_kept(store, monkeypatch):
    spec.keep_parsed(lambda: {})
    kept_run = _compiled(Lexicons(tuple(bundled_lexicon_paths())))
    spec.keep_parsed(None)  # as with --no-cache
    monkeypatch.setattr(spec, "_PARSED", {})
    calls = _count_compiles(monkeypatch)
    assert _compiled(Lexicons(tuple(bundled_lexicon_paths()))) == kept_run
    assert len(calls) > 5000
    assert not any('"surface"' in text for text in spec._PARSED.values())  # only the files read, as ever


def test_a_pack_s_own_terms_are_kept_under_their_own_key(store, tmp_path):
    extra = tmp_path / "en.toml"
    extra.write_text('language = "en"\n[concepts.reward]\nterms = ["store credit voucher"]\n', "utf-8")
    paths = tuple(bundled_lexicon_paths())
    spec.keep_parsed(lambda: {})
    bundled = _compiled(Lexicons(paths))["en"]
    with_pack = Lexicons((*paths, extra))
    assert _compiled(with_pack)["en"] != bundled
    assert any(e.source == "store credit voucher" for entries in with_pack.languages["en"].by_first.values()
               for e in entries)
    store(spec.parsed_to_keep())
    assert _compiled(Lexicons(paths))["en"] == bundled  # the pack's terms did not leak into the bundled key


def _gate_tables(lexicons: Lexicons) -> dict:
    from listing_lint.engine.concept_gate import ConceptGate

    gate = ConceptGate(lexicons)
    out = {}
    for code in lexicons.languages:
        lang = gate._language(code)
        out[code] = (lang.entries, lang.by_concept, lang.prefixes, lang.atom_prefixes, lang.number_led, lang._keys,
                     lang._atoms)
    return out


def test_the_concept_gate_s_tables_are_kept_too_and_read_the_same(store, monkeypatch):
    from listing_lint.engine import concept_gate

    paths = tuple(bundled_lexicon_paths())
    texts = ["Leave us a 5-star review and get a free gift card!", "Bewerten Sie uns und erhalten Sie einen Gutschein",
             "好评返现，五星好评送礼品", "Best seller with 50,000 units sold", "Écrivez-nous à contact@example.com",
             "Stainless steel blender"]
    spec.keep_parsed(lambda: {})
    lexicons = Lexicons(paths)
    fresh = _gate_tables(lexicons)
    gate = concept_gate.ConceptGate(lexicons)
    fresh_readings = [gate.read(text) for text in texts]
    store(spec.parsed_to_keep())
    filed: list = []
    real = concept_gate._Language._file
    monkeypatch.setattr(concept_gate._Language, "_file", lambda self, lang: filed.append(lang.code) or real(self, lang))
    lexicons = Lexicons(paths)
    again = _gate_tables(lexicons)
    assert filed == [] and again == fresh and len(fresh) >= 9
    gate = concept_gate.ConceptGate(lexicons)
    assert [gate.read(text) for text in texts] == fresh_readings  # the same languages and concepts, from kept tables
    assert any(reading.concepts for reading in fresh_readings)


def test_damaged_gate_tables_are_filed_again(store, monkeypatch):
    paths = tuple(bundled_lexicon_paths())
    spec.keep_parsed(lambda: {})
    fresh = _gate_tables(Lexicons(paths))
    store(_kept_damaged(lambda data: isinstance(data, list) and len(data) == 7,  # a language's gate tables
                        lambda data: data[0][0].__setitem__(3, [["not an atom"]])))
    assert _gate_tables(Lexicons(paths)) == fresh


def test_entries_are_keyed_on_what_regex_says_of_their_characters_not_its_release(store, monkeypatch):
    paths = tuple(bundled_lexicon_paths())
    compiled_in: list = []
    real_compile = lexicon.compile_entry
    monkeypatch.setattr(lexicon, "compile_entry",
                        lambda term, lang: compiled_in.append(lang.code) or real_compile(term, lang))
    spec.keep_parsed(lambda: {})
    fresh = _compiled(Lexicons(paths))
    kept = spec.parsed_to_keep()
    assert {"de", "en"} <= set(compiled_in)

    # Another release of regex with the same Unicode tables: everything kept is used.
    monkeypatch.setattr(lexicon.regex, "__version__", "2099.1.1", raising=False)
    store(kept)
    compiled_in.clear()
    assert _compiled(Lexicons(paths)) == fresh and compiled_in == []

    # Tables that take "ß" out of the letters: the languages whose entries hold it are compiled afresh, no other.
    with_sharp_s = {code for code, lang in Lexicons(paths).languages.items()
                    if any("ß" in term for _, term, _ in lang.pending)}
    assert "de" in with_sharp_s and "en" not in with_sharp_s
    real_classes = lexicon._CHARACTER_CLASSES
    monkeypatch.setattr(lexicon, "_CHARACTER_CLASSES", (
        lexicon.compile_pattern(r"[\p{L}--[ß]]", lexicon.regex.V1), *real_classes[1:]))
    store(kept)
    compiled_in.clear()
    assert _compiled(Lexicons(paths)) == fresh
    assert set(compiled_in) == with_sharp_s


def test_only_characters_outside_ascii_are_read_for_the_key():
    assert lexicon._classes_of(["free gift", "5 star review"]) == ""
    assert lexicon._classes_of(["größe"]) != lexicon._classes_of(["grösse"])
    assert lexicon._classes_of(["größe", "free"]) == lexicon._classes_of(["ß", "ö"])


def test_the_gate_reads_copy_in_a_language_without_its_entries_when_their_words_are_kept(store, monkeypatch):
    """Copy with no stop words is read in every language; a language's entries are compiled, or rebuilt from what
    was kept, only when its gate tables are filed or its full pass runs: reading a token takes only the entries'
    words. Read from kept words, every language reads as it does compiled, and compiles to the same entries later."""
    from listing_lint.engine import concept_gate

    paths = tuple(bundled_lexicon_paths())
    texts = ["DJI FPV Air Unit", "Bewertung Gutschein Geschenk", "reveiw gift card", "Gutschien", "recensione regalo"]
    spec.keep_parsed(lambda: {})
    fresh_lexicons = Lexicons(paths)
    fresh_readings = [concept_gate.ConceptGate(fresh_lexicons).read(text) for text in texts]
    fresh = _compiled(fresh_lexicons)
    words = {code: (lang.word_keys, lang.typos, lang.kept_digest) for code, lang in fresh_lexicons.languages.items()}
    store(spec.parsed_to_keep())
    rebuilt: list = []
    real = lexicon._entries_from_json
    monkeypatch.setattr(lexicon, "_entries_from_json", lambda data: rebuilt.append(1) or real(data))
    calls = _count_compiles(monkeypatch)
    lexicons = Lexicons(paths)
    gate = concept_gate.ConceptGate(lexicons)
    assert [gate.read(text) for text in texts] == fresh_readings
    assert len(gate._langs) >= 8 and rebuilt == [] and calls == []  # read in every language, none compiled
    assert {code: (lexicons.languages[code].word_keys, lexicons.languages[code].typos,
                   lexicons.languages[code].kept_digest) for code in gate._langs} == {
        code: words[code] for code in gate._langs}
    assert _compiled(lexicons) == fresh and len(rebuilt) >= 8 and calls == []  # compiled from what was kept
    assert {code: (lang.word_keys, lang.typos, lang.kept_digest) for code, lang in lexicons.languages.items()} == words


def test_damaged_kept_words_are_made_again(store, monkeypatch):
    from listing_lint.engine import concept_gate

    paths = tuple(bundled_lexicon_paths())
    spec.keep_parsed(lambda: {})
    lexicons = Lexicons(paths)
    fresh = concept_gate.ConceptGate(lexicons).read("DJI FPV Air Unit reveiw")
    store(_kept_damaged(lambda data: isinstance(data, dict) and "word-keys" in data,
                        lambda data: data["word-keys"].append(7)))
    lexicons = Lexicons(paths)
    assert concept_gate.ConceptGate(lexicons).read("DJI FPV Air Unit reveiw") == fresh
    assert all(not lang.pending for lang in lexicons.languages.values() if lang.kept_digest)  # compiled instead
