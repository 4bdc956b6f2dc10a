"""The concept gate: its token sets equal the tokenizer's, and it never rules out a concept the full pass finds."""

from __future__ import annotations

import json

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.engine.concept_gate import ConceptGate
from listing_lint.engine.concepts import find_concepts, gate
from listing_lint.engine.lexicon import load_lexicons, bundled_lexicon_paths
from listing_lint.engine import normalize
from listing_lint.engine.normalize import py_token_set, tokenize

from conftest import ROOT, SHARED

CORPUS = SHARED / "corpus"
_HAN = regex.compile(r"[\p{Han}々〆]")


@pytest.fixture(scope="module")
def lexicons():
    return load_lexicons(bundled_lexicon_paths())


def _entries(lexicons):
    """Every bundled entry as written, with its language."""
    out = []
    for code, lang in lexicons.languages.items():
        lang.ensure()
        entries = [e for es in lang.by_first.values() for e in es] + [e for es in lang.by_prefix.values() for e in es]
        out.extend((code, e.source) for e in dict.fromkeys(entries + lang.by_ref))
    return out


@pytest.fixture(scope="module")
def twin(lexicons):
    """A gate on the Python twin of the compiled vocabulary table."""
    return ConceptGate(lexicons, compiled=False)


def _assert_superset(lexicons, text, marketplace=None, twin=None):
    """The compiled table's gate and its Python twin's both keep every concept the full pass finds."""
    found = find_concepts(text, lexicons, marketplace)
    for each in (gate(lexicons), twin or ConceptGate(lexicons, compiled=False)):
        possible = each.names(each.read(text, langs=found.langs).concepts)
        missed = set(found.by_concept) - possible
        assert not missed, f"the gate rules out {sorted(missed)} in {text!r}"
        assert each.read(text, marketplace).langs == found.langs
    return found


# Letters, marks, CJK, digits, separators, apostrophes and symbols the tokenizer treats specially.
_ALPHABET = st.sampled_from(list("abcdeAZé’'ÄßİıǅＡ５ 1,.-#$%★™\u00a0\u3000\u2028\n\t‘“”–—•…®°×\u200b\ufeff") + ["e\u0301", "レ", "ビ", "ュ", "ー", "好", "评", "返",
                                                                        "d'", "l’", "dell'", "don't", "ﬁ"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_token_set_equals_the_tokenizers_texts(text):
    found = py_token_set(text)
    tokens = tokenize(text)
    assert found.texts == {t.text for t in tokens}
    kinds = {t.kind for t in tokens}
    assert (found.words, found.number, found.cjk) == ("word" in kinds, "num" in kinds, "cjk" in kinds)
    assert found.kana == any(t.kind == "cjk" and not _HAN.fullmatch(t.text) for t in tokens)


# ASCII the C tokenizer must read as the Python one does: apostrophes, decimal points and commas, symbols.
_ASCII = st.sampled_from(list("abz09'.,$%#+=&@?-_ \n\t\"!") + ["don't", "1,000.5", "rock'n'roll", "a'", "'b", "1.", ".5"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_ASCII, max_size=40).map("".join))
def test_the_compiled_ascii_tokenizer_finds_the_python_ones_tokens(text):
    _tokens = pytest.importorskip("listing_lint.engine._tokens", reason="the C tokenizer was not built")
    assert _tokens.ascii_token_texts(text) == normalize._py_ascii_token_texts(text) == set(
        normalize._ASCII_TOKEN_TEXT.findall(text))


@pytest.mark.parametrize("char", [*normalize._AS_ASCII, "é", "£", "★", "Ａ", "ﬁ", "\u0301", "¾", "ж", "한", "好",
                                  "レ", "ｶ", "ﾞ", "ー", "々", "、", "\u3000", "！", "￥", "・", "㍿", "\uf900"])
def test_the_compiled_reader_reads_each_non_ascii_character_as_the_python_one_does(char):
    """The characters the C reader turns into ASCII (its ``as_ascii``) are normalize._AS_ASCII's; the others
    it folds by the table or leaves to the Unicode tokenizer, with the same tokens either way."""
    from listing_lint.engine.vocab import fold_table, new_vocab

    pytest.importorskip("listing_lint.engine._tokens", reason="the C tokenizer was not built")
    vocab = new_vocab({}, 1, normalize.ELISIONS, compiled=True)
    vocab.fold(fold_table())
    for text in (f"ab{char}cd", f"Don{char}t {char}", f"1{char}5 x{char}", f"{char}{char}l{char}avis {char}M"):
        found = vocab.read(text, 1)
        if char in normalize._AS_ASCII:
            assert found is not None
        if char in ("\u0301", "¾", "ж", "한", "ﾞ", "㍿"):
            assert found is None, f"{char!r} needs the Unicode tokenizer"
        if char in ("好", "レ", "ｶ", "ー", "々", "、", "\u3000", "！", "￥", "\uf900"):
            assert found is not None, f"{char!r} is read in C"
        if found is not None:
            expected = normalize.py_token_set(text)
            assert {t for t, _ in found[0]} == expected.texts, text
            assert (bool(found[1] & 4), bool(found[1] & 8)) == (expected.cjk, expected.kana), text


def test_the_compiled_tokenizer_is_built_and_used_by_the_test_install():
    """scripts/test installs with a C compiler: the gate there must run the compiled code (CI measures it)."""
    from listing_lint.engine import _tokens

    assert normalize._ascii_token_texts is _tokens.ascii_token_texts
    with pytest.raises(TypeError):
        _tokens.ascii_token_texts("café")


@pytest.mark.parametrize("text", ["Crème brûlé\u2028Next", "Жé!é\u2028x", "日本é\u2029語", "‼é\u0085ok"])
def test_a_space_past_ascii_after_a_run_of_letters_past_ascii_is_read(text):
    """A line separator right after the second run of non-ASCII letters in one chunk was put with the ASCII
    text, whose reader refused it: the gate crashed on the listing."""
    assert py_token_set(text).texts == {t.text for t in tokenize(text)}


def test_the_compiled_reader_reads_the_labelled_and_probe_copy_as_the_python_one_does():
    """Real outside copy in seven languages (Japanese and Chinese included): the compiled reader reads nearly all
    of it itself, with the Python tokenizer's tokens and scripts."""
    from listing_lint.engine.vocab import fold_table, new_vocab

    pytest.importorskip("listing_lint.engine._tokens", reason="the C tokenizer was not built")
    paths = [CORPUS / "labelled-dev.jsonl", *sorted((ROOT / "bench" / "probes").glob("*.jsonl"))]
    texts = [t for path in paths for line in open(path, encoding="utf-8") if (t := json.loads(line).get("text"))]
    vocab = new_vocab({}, 1, normalize.ELISIONS, compiled=True)  # no token is marked: each read lists them all
    vocab.fold(fold_table())
    read = cjk = 0
    for text in texts:
        found = vocab.read(text, 1)
        if found is None:
            continue
        read += 1
        expected = py_token_set(text)
        todo, flags, _ = found
        assert {t for t, _ in todo} == expected.texts, text
        assert (bool(flags & 1), bool(flags & 2), bool(flags & 4), bool(flags & 8)) == (
            expected.words, expected.number, expected.cjk, expected.kana), text
        cjk += expected.cjk
    assert read > 0.95 * len(texts) and cjk > 300


def test_token_set_equals_the_tokenizers_texts_on_real_copy():
    records = [json.loads(line) for line in open(CORPUS / "real-listings.jsonl", encoding="utf-8")][:400]
    for r in records:
        for text in [r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""]:
            assert py_token_set(text).texts == {t.text for t in tokenize(text)}


def test_every_entry_is_let_through_the_gate(lexicons, twin):
    """Each entry as written, alone and inside a sentence, reaches the full pass."""
    for code, source in _entries(lexicons):
        plain = source.replace("~", " ").replace("*", "en").replace("#", "10")
        for text in (plain, f"Bitte {plain} jetzt.", f"You can {plain}, and more"):
            _assert_superset(lexicons, text, twin=twin)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_random_mixes_of_lexicon_words_never_lose_a_concept(lexicons, twin, data):
    """Words of several entries shuffled together, inflected, in any case: the gate keeps what the pass finds."""
    words = sorted({w for _, source in _entries(lexicons) for w in source.split() if not w.startswith(("{", "~"))})
    picked = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=12))
    suffix = data.draw(st.sampled_from(["", "s", "ing", "ed", "en", "es", "e", "i"]))
    text = " ".join(w.replace("*", "x").replace("#", "5") + (suffix if n % 2 else "") for n, w in enumerate(picked))
    if data.draw(st.booleans()):
        text = text.upper()
    _assert_superset(lexicons, text, data.draw(st.sampled_from([None, "amazon.de", "amazon.co.jp", "amazon.fr"])), twin)


def test_labelled_snippets_and_real_listings_lose_nothing(lexicons, twin):
    texts = [json.loads(line)["text"] for line in open(CORPUS / "labelled-dev.jsonl", encoding="utf-8")]
    for r in [json.loads(line) for line in open(CORPUS / "real-listings.jsonl", encoding="utf-8")][:600]:
        texts.extend([r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""])
    for text in texts:
        _assert_superset(lexicons, text, twin=twin)


def test_copy_without_any_concept_word_is_ruled_out(lexicons):
    """The point of the gate: ordinary copy skips the full pass."""
    reading = gate(lexicons).read("Stainless steel water bottle, 750 ml, keeps drinks cold for 24 hours.")
    assert "review" not in gate(lexicons).names(reading.concepts)
    # "for ~4 {review}" needs a review word; "for" alone does not make the condition possible.
    assert "review-condition" not in gate(lexicons).names(reading.concepts)


@pytest.mark.parametrize("text, rule", [
    ("Meistgekaufter Dosenöffner", "sales-claim"),
    ("Gutschein Bewertung Rückerstattung", "review-incentive"),
    ("Omaggio gratuito recensione 5 stelle", "review-incentive"),
    ("Brinde grátis avaliação 5 estrelas", "review-incentive"),
    ("Bestverkochte knoflookpers RVS", "sales-claim"),
])
def test_copy_without_stop_words_is_read_in_every_language_on_any_marketplace(text, rule):
    """A short title has no stop words to tell its language by: on amazon.com it is still read in German,
    Italian, Portuguese or Dutch, not only in the marketplace's English."""
    from listing_lint import Config
    from listing_lint.engine.lint import RuleSet, single_field_listing
    from listing_lint.model import FieldKind

    found = RuleSet(Config(marketplace="amazon.com")).lint(single_field_listing(text, FieldKind.TITLE, "x"))
    assert rule in [f.rule for f in found]


def test_copy_without_stop_words_is_read_in_the_marketplace_language_first(lexicons):
    """Fixes are written in the first language: the marketplace's, when the copy itself does not say."""
    langs = gate(lexicons).read("Knoblauchpresse Edelstahl", "amazon.it").langs
    assert langs[:2] == ["any", "it"] and {"de", "en", "fr"} <= set(langs)


def test_copy_with_a_single_stop_word_is_read_in_every_language(lexicons):
    """One stop word says little: "na" is Portuguese and Dutch, so Dutch copy is still read as Dutch."""
    langs = gate(lexicons).read("Gratis cadeau na 5-sterren recensie", "amazon.com").langs
    assert "nl" in langs and langs.index("pt") < langs.index("nl")
    # Two stop words of one language decide it.
    assert "nl" not in gate(lexicons).read("The garlic press for kitchens", "amazon.com").langs


# A made-up language of four entries over four atoms: "a" alone; "b" and "c"; a number and "d"; "{0} b".
_ENTRIES = [(1, 0, False, ((0,),)), (2, 0, False, ((1,), (2,))), (4, 0, True, ((3,),)), (8, 1, False, ((1,),))]


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join), st.integers(1, 2 ** 10 - 1),
       st.lists(st.tuples(st.integers(0, 15), st.sets(st.integers(0, 3)), st.sets(st.integers(0, 3))), max_size=12))
def test_the_compiled_vocabulary_reads_a_text_as_its_python_twin_does(text, mask, records):
    """Same distinct tokens (the tokenizer's), same stop word counts, same tokens to classify, and from the same
    records the same concepts."""
    from listing_lint.engine.vocab import new_vocab

    stops = {"the": 1, "die": 3, "und": 2, "d": 2, "l": 1}
    asked = []
    reads = []
    for compiled in (True, False):
        vocab = new_vocab(stops, 2, normalize.ELISIONS, compiled)
        vocab.language(0, 4, _ENTRIES, [(0, 3)], [2])
        choose = lambda counts, stop_tokens, flags: asked.append((counts, stop_tokens, flags & 3)) or mask  # noqa: E731
        found = vocab.read(text, choose)
        if found is None:
            tokens = normalize.py_token_set(text)
            flags = tokens.words | tokens.number << 1 | tokens.cjk << 2 | tokens.kana << 3
            found = vocab.read_tokens(tokens.texts, flags, choose)
        todo, flags, got = found
        assert got == mask
        assert {t for t, need in todo} == py_token_set(text).texts and all(need == mask for _, need in todo)
        # Each token the made-up language looks at gets one of the drawn records (some get none: not relevant).
        for n, (token, need) in enumerate(sorted(todo)):
            sure, atoms, entries = records[n % len(records)] if records else (0, set(), set())
            vocab.mark(token, need, [(0, sure, sorted(atoms), sorted(entries))] if need & 1 and n % 3 else [])
        again = vocab.read_tokens(sorted(py_token_set(text).texts), flags, mask)
        reads.append((sorted(again[0]), vocab.possible(mask, bool(flags & 2))))
    assert asked[0] == asked[1]
    assert reads[0] == reads[1]


@pytest.mark.parametrize("compiled", [True, False])
def test_the_vocabulary_starts_again_when_full_and_the_gate_stays_exact(lexicons, compiled):
    """Past its limit the table forgets every token; the lexicons look at them anew and nothing is lost."""
    each = ConceptGate(lexicons, compiled=compiled)
    text = "Leave a review and get a free gift card"
    before = each.read(text).concepts
    assert {"review", "reward"} <= each.names(before)
    each.read(" ".join(f"w{n:x}q" for n in range(140_000)))  # more distinct tokens than the table keeps
    assert len(each.vocab) <= 140_000
    assert each.read(text).concepts == before


@pytest.mark.parametrize("compiled", [True, False])
def test_the_records_start_again_when_full_and_the_gate_stays_exact(lexicons, compiled):
    """Past its limit of records the table forgets what every language made of every token; they look anew."""
    each = ConceptGate(lexicons, compiled=compiled, records=5)
    text = "Leave a review and get a free gift card"
    before = ConceptGate(lexicons, compiled=compiled).read(text).concepts
    assert each.read(text).concepts == before
    each.read("alpha beta gamma delta epsilon zeta eta theta iota kappa review gift card voucher")
    assert each.read(text).concepts == before
    assert each.read(text).concepts == before


def _plain_alphabet():
    """Characters the compiled reader folds itself, of every kind, plus ASCII and characters it leaves to Python."""
    from listing_lint.engine.normalize import plain_characters

    table = plain_characters()
    by_kind: dict[int, list[str]] = {}
    for code, (kind, _) in sorted(table.items()):
        by_kind.setdefault(kind, []).append(chr(code))
    picked = [chars[i] for chars in by_kind.values() for i in range(0, len(chars), max(1, len(chars) // 60))]
    return picked + list("abcXYZ019 .,'’-$%#\n") + ["é", "ß", "£", "€", "★", "🎁", "İ", "\u0301", "\ufe0f", "ǅ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_plain_alphabet()), max_size=30).map("".join))
def test_the_compiled_reader_folds_european_and_cjk_copy_as_the_unicode_tokenizer_does(text):
    """Accented letters, £ and €, stars, dashes, emoji, kanji, kana and full-width forms are read in C; the tokens
    and the scripts equal the Python tokenizer's."""
    from listing_lint.engine.vocab import fold_table, new_vocab

    vocab = new_vocab({"the": 1, "d": 1}, 1, normalize.ELISIONS, compiled=True)
    vocab.fold(fold_table())
    found = vocab.read(text, 1)
    expected = normalize.py_token_set(text)
    if all(ord(c) < 128 or ord(c) in _plain_codes() for c in text):
        assert found is not None, text
    if found is not None:
        todo, flags, mask = found
        assert {t for t, _ in todo} == expected.texts, text
        assert (bool(flags & 1), bool(flags & 2), bool(flags & 4), bool(flags & 8)) == (
            expected.words, expected.number, expected.cjk, expected.kana), text


def _plain_codes():
    from listing_lint.engine.normalize import plain_characters

    return plain_characters().keys()


def test_an_elided_words_tail_that_is_another_word_of_the_text_is_kept():
    """"d'd'd" splits into "d" and "d'd", beside a word "d'd" of its own: the set holds both, in any order."""
    for text in ("d'd'’d'd'd'", "d'd l'd'd", "l'l'un l'un"):
        assert py_token_set(text).texts == {t.text for t in tokenize(text)}, text


def test_every_character_the_compiled_reader_folds_gives_the_python_tokens():
    """All of them, each inside and between words and numbers: the table is exact, not only on a sample."""
    from listing_lint.engine.normalize import plain_characters
    from listing_lint.engine.vocab import fold_table, new_vocab

    pytest.importorskip("listing_lint.engine._tokens", reason="the C tokenizer was not built")
    vocab = new_vocab({}, 1, normalize.ELISIONS, compiled=True)
    vocab.fold(fold_table())
    for code in plain_characters():
        char = chr(code)
        for text in (f"ab{char}cd 1{char}2", f"{char}l'{char}X {char}"):
            found = vocab.read(text, 1)
            assert found is not None, hex(code)
            assert {t for t, _ in found[0]} == normalize.py_token_set(text).texts, hex(code)


def test_the_fold_table_holds_the_characters_met_so_far(lexicons):
    """No text pays the ~15 ms of working out every character: ASCII copy needs none, and a text adds its own."""
    each = ConceptGate(lexicons)
    each.read("Stainless steel kettle, 1.7 l - free gift box")
    assert each._folded.table == {}
    reading = each.read("Gratis Geschenk für Ihre Bewertung – Rückerstattung")
    assert "de" in reading.langs
    assert sorted(each._folded.table) == [ord("ü"), ord("–")]
    each.read("Café crème, 5 € – prix réduit")
    assert sorted(each._folded.table) == sorted(map(ord, "ü–éè€"))


def test_a_gate_folding_as_it_goes_reads_as_one_given_every_character(lexicons):
    """Texts read with the table grown from the texts before them equal those read with the whole table."""
    pytest.importorskip("listing_lint.engine._tokens", reason="the C tokenizer was not built")
    from listing_lint.engine.vocab import fold_table

    growing, whole = ConceptGate(lexicons), ConceptGate(lexicons)
    whole.vocab.fold(fold_table())
    texts = [line for line in open(CORPUS / "labelled-dev.jsonl", encoding="utf-8")]
    texts = [json.loads(line)["text"] for line in texts] + ["Ünïcödé – ★★★★★ ½ £5 ™ ®", "Fußball, straße, Œuvre"]
    for text in texts:
        assert growing.read(text) == whole.read(text), text


def test_a_pack_naming_more_than_64_concepts_is_read_by_the_python_table(tmp_path):
    """The compiled table keeps 64 concepts' bits; past that the gate uses its twin, and stays exact."""
    from listing_lint.engine.vocab import PyVocab

    extra = tmp_path / "en.toml"
    extra.write_text('language = "en"\n' + "".join(
        f'[concepts.extra-{n}]\nterms = ["zorblax{n}"]\n' for n in range(40)), "utf-8")
    lexicons = load_lexicons((*bundled_lexicon_paths(), extra))
    assert len(lexicons.concepts) > 64
    each = ConceptGate(lexicons)
    assert isinstance(each.vocab, PyVocab)
    found = each.names(each.read("Leave a review for a free gift, zorblax39 inside").concepts)
    assert {"review", "reward", "extra-39"} <= found and "extra-38" not in found


def _listings_fields():
    for line in open(CORPUS / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        yield [f for f in [r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""] if f]
    for path in [CORPUS / "labelled-dev.jsonl", *sorted((ROOT / "bench" / "probes").glob("*.jsonl"))]:
        texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
        for n in range(0, len(texts), 3):  # three snippets to a listing: languages and scripts side by side
            yield texts[n:n + 3]


def test_a_listing_read_field_by_field_gives_each_field_what_reading_it_alone_gives(lexicons):
    """The listing's reading is that of its fields joined by blank lines, and each field's concepts (kept from
    the same pass) those of a read of the field in the listing's languages: on every real listing and, three to
    a listing, every labelled and probe snippet."""
    pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")
    kept, fresh = ConceptGate(lexicons), ConceptGate(lexicons)
    fields_kept = 0
    for texts in _listings_fields():
        key = object()
        reading = kept.read_fields(texts, "amazon.com", key)
        assert reading == fresh.read("\n\n".join(texts), "amazon.com")
        each = [kept.field_concepts(key, n) for n in range(len(texts))]
        fields_kept += sum(c is not None for c in each)
        for text, concepts in zip(texts, each):
            if concepts is not None:
                assert concepts == fresh.read(text, langs=reading.langs).concepts, text
    assert fields_kept > 12000  # the compiled reader keeps nearly every field (not those with Cyrillic, say)


def test_a_field_s_kept_concepts_are_not_given_after_another_read(lexicons):
    pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")
    each = ConceptGate(lexicons)
    key = object()
    each.read_fields(["Kettle", "Email us for a free gift"], "amazon.com", key)
    assert each.field_concepts(key, 1) is not None
    assert each.field_concepts(object(), 1) is None  # another lint context's question
    each.read("Another text entirely")
    assert each.field_concepts(key, 1) is None
    each.read_fields(["Kettle", "Email us"], "amazon.com", key)
    each.vocab.read("a read straight from the table", 1)
    assert each.field_concepts(key, 0) is None
