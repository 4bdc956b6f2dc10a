"""The competitor matcher finds every listed name wherever it stands, however many names share a first word."""

from __future__ import annotations

import random

import pytest
import regex

from listing_lint.engine.detectors.brand import (BrandEntry, BrandMatcher, _ascii_match, _name_parts, _pattern,
                                                 _whole_word_spans)
from listing_lint.engine.detectors.brand_evidence import name_pattern

from conftest import real_brands

REAL_NAMES = list(real_brands())
"""The 3,446 real brand names of the shared corpus."""

THE_NAMES = ["The North Face", "The Ordinary", "The First Years", "The Body Shop", "The Pioneer Woman", "The Noble Collection",
             "The Children's Place", "The Honest Company", "The", "Body Shop"]


def _found(matcher: BrandMatcher, text: str, ignore_case: bool = False) -> list[tuple[str, str]]:
    return [(text[s:e], entry.name) for s, e, entry in matcher.find(text, ignore_case)]


@pytest.mark.parametrize(("text", "ignore_case", "expected"), [
    ("Jacket like The North Face, warm", False, [("The North Face", "The North Face")]),
    ("Jacket like The North-Face", False, [("The North-Face", "The North Face")]),
    ("Jacket like The  North Face", False, [("The  North Face", "The North Face")]),
    ("THE NORTH FACE style", False, [("THE NORTH FACE", "The North Face")]),
    ("THE North Face style", False, [("THE North Face", "The North Face")]),
    ("the north face jacket", True, [("the north face", "The North Face")]),
    ("Serum by The Ordinary.", False, [("The Ordinary", "The Ordinary")]),
    ("The Body Shop and Body Shop", False, [("The Body Shop", "The Body Shop"), ("Body Shop", "Body Shop")]),
    ("The Children's Place tee", False, [("The Children's Place", "The Children's Place")]),
    ("The Northern lights", False, [("The", "The")]),  # the next word must be the name's own, whole
], ids=["prose", "hyphen", "two-spaces", "capitals", "capital-article", "search-terms", "end-of-sentence", "longest-then-next",
        "apostrophe", "next-word-must-be-whole"])
def test_names_sharing_a_first_word_are_each_found(text, ignore_case, expected):
    assert _found(BrandMatcher(THE_NAMES), text, ignore_case) == expected


def test_a_word_in_capitals_tries_only_the_names_whose_second_word_follows():
    """An all-caps "THE" in a heading is looked up in the capitals table; of the names starting with "The", only
    those whose second word comes next are confirmed (trying every one cost ~2 µs a name, per heading)."""
    matcher = BrandMatcher(THE_NAMES)
    text = "THE GOLD STANDARD and THE NORTH FACE"
    names = lambda places: [matcher._names[n] for n in places]  # noqa: E731
    assert names(matcher._places_at(matcher.upper, "THE", True, text, 3)) == ["The"]
    assert names(matcher._places_at(matcher.upper, "THE", True, text, 26)) == ["The North Face", "The"]


def _variants(name: str):
    """The name as copy writes it: in other cases, its spaces as hyphens, tabs or none, cut short, made plural."""
    yield from (name, name.lower(), name.upper(), name.swapcase(), name[:-1], name + "s")
    for separator in ("-", "  ", " - ", "", "\t", "\xa0", " -"):
        yield name.replace(" ", separator)


def test_an_ascii_name_is_confirmed_exactly_where_its_pattern_matches():
    """Names in ASCII text are compared piece by piece, not matched with a compiled pattern: on every real
    name, in every variant and beside ASCII and non-ASCII neighbours (a non-breaking space, "é", the Kelvin
    sign and the long s, which match "k" and "s" when case is ignored), the end found is the pattern's."""
    names = REAL_NAMES + ["Hamilton Beach", "Black & Decker", ".NET", "C++", "U.S. News", "Coca-Cola", "Ben & Jerry's"]
    neighbours = list("aB1_ -\t\n.,&'!#/+") + ["\xa0", "é", "\u212a", "\u017f", "\u2010"]
    rng = random.Random(7)
    compared = decided = 0
    for name in names[::3]:
        patterns = {ignore_case: _pattern(name, regex.I if ignore_case else 0) for ignore_case in (False, True)}
        entry = BrandEntry(name, 0)
        if name.isascii():  # compared, not matched: the pattern is never compiled for it
            assert _ascii_match(tuple(_name_parts(name)), name[-1].isalnum(), name, 0, False) == len(name)
        for variant in _variants(name):
            before = "".join(rng.choice(neighbours) for _ in range(rng.randint(0, 2)))
            after = "".join(rng.choice(neighbours) for _ in range(rng.randint(0, 2)))
            text = before + variant + after
            for at in {len(before), max(0, len(before) - 1)}:
                for ignore_case in (False, True):
                    hit = patterns[ignore_case].match(text, at)
                    assert entry.match_end(text, at, ignore_case) == (hit.end() if hit else None), (name, text, at)
                    compared += 1
                    decided += hit is not None
    assert compared > 20_000 and decided > 3_000  # the variants find the name often, and miss it often


def test_a_name_is_found_as_a_whole_word_exactly_where_its_pattern_finds_it():
    """Where the listing names another thing of a name, its mentions are found with ``str.find`` in ASCII text;
    on real names in ASCII and non-ASCII text, beside and inside other words, they are the pattern's."""
    names = REAL_NAMES[::7] + ["C++", ".NET", "aa"]
    pieces = ["", " ", "a", "_", "1", "-", ".", "é", "\u212a", "s", "es"]
    rng = random.Random(3)
    compared = found = 0
    for name in names:
        for _ in range(6):
            text = "".join(rng.choice([name, name, *pieces]) for _ in range(rng.randint(1, 8)))
            spans = [m.span() for m in name_pattern(name).finditer(text)]
            assert list(_whole_word_spans(name, text)) == spans, (name, text)
            compared += 1
            found += bool(spans)
    assert compared > 2_000 and found > 200  # the names are found often, and missed often


def test_the_listings_own_brand_is_found_where_its_pattern_finds_it():
    """The listing's own brand is found with ``str.find`` where that finds what its case-blind pattern does:
    every character past ASCII that the pattern matches to an ASCII letter sends the text to the pattern."""
    from listing_lint.engine.detectors.brand import _ALSO_ASCII, _brand_pattern, _brand_spans

    letter = regex.compile("[A-Za-z]", regex.I)
    also = {chr(cp) for cp in range(128, 0x110000) if not 0xD800 <= cp <= 0xDFFF and letter.fullmatch(chr(cp))}
    assert also == set(_ALSO_ASCII)
    names = ["Acme", "ACME", "acme co.", "K2", "Kiss", "Iris", "Ski-Doo", "a+b", "Zoë", "東芝", "  "]
    pieces = ["", " ", "acme", "ACME", "AcMe", "Co.", "co", "k2", "\u212a2", "\u017fki-doo", "kiss", "\u0130ris", "\u0131ris",
              "IRIS", "zoë", "ZOË", "東芝", "a+b", "A+B", "straße", "İ", "é", "™"]
    rng = random.Random(11)
    quick = found = 0
    for _ in range(6000):
        name = rng.choice(names)
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        expected = [m.span() for m in _brand_pattern(name).finditer(text)]
        assert _brand_spans(name, text) == expected, (name, text)
        if name.isascii() and not any(c in text for c in _ALSO_ASCII):
            quick += 1
            found += bool(expected)
    assert quick > 1500 and found > 200  # many texts took the quick path, and it found the name often


def test_own_brands_are_found_where_one_alternation_of_their_patterns_finds_them():
    """An agency's own brands are searched only where a word of the text can start one, and in ASCII text
    without their patterns: the spans are those one alternation of all their patterns finds (leftmost, the
    earlier name where two start at one place), for names of every shape and texts past ASCII too."""
    from listing_lint.engine.detectors.brand import BrandMatcher, _alternation, _pattern_source

    names = ["Acme", "Acme Co", "Hamilton Beach", "Hamilton", "Beach-Co Pro", ".NET", "C++", "Dr. Brown's", "3M",
             "A.B.C", "K2", "Ski-Doo", "Zoë", "snake_", "Yahoo!", "Black & Decker", "Co", "Tab\tName", "++"]
    pieces = ["", " ", "  ", "-", " - ", "acme", "ACME", "co", "Co", "hamilton", "HamiltonBeach", "beach", "Beach",
              "pro", "PRO", ".net", "NET", "c++", "C", "dr. brown's", "Dr", "3m", "a.b.c", "A.B", "\u212a2", "k2",
              "ski-doo", "\u017fki", "zoë", "ZOË", "snake_", "snake_case", "yahoo!", "Yahoo", "black & decker",
              "Black", "é", "’", "²", "\n", ",", "x", "tab\tname", "TabName", "++"]
    rng = random.Random(5)
    ascii_texts = found = 0
    for _ in range(4000):
        own = rng.sample(names, rng.randint(1, 6))
        matcher = BrandMatcher([], own)
        words = pieces + [rng.choice([o, o.upper(), o.lower()]) for o in own]
        text = "".join(rng.choice(words) + rng.choice(["", " ", " ", ", "]) for _ in range(rng.randint(0, 10)))
        expected = [m.span() for m in _alternation(tuple(_pattern_source(o) for o in own)).finditer(text)]
        assert matcher.own_spans(text) == expected, (own, text)
        ascii_texts += text.isascii()
        found += bool(expected)
    assert ascii_texts > 1000 and found > 1500  # both kinds of text, and the names found often


EDGE_NAMES = [".NET", "42", "3M", "ß-Brand", "İstanbul Kebab", "ıpek", "Hamilton Beach", "Hamilton-Beach", "HAMILTON",
              "ワコム", "Wacom ワコム", "小米", "The North Face", "the north face", "Vantora", "VANTORA Pro", "a_b", "__",
              "!!!", "Café", "Cafe\u0301 Noir", "ǅemal", "ﬁne Foods", "Ⅻ Clocks", "٣٤٥", "Ω Labs", "X", "x", "Yeti",
              "YETI", "Déjà Vu", "ꓘitchen", "Σίσυφος"]


def test_the_compiled_filing_equals_its_python_twin():
    """The tables the matcher files names in, made in C, equal its Python twin's on the real names and on names
    made for the edges: no word, a number, an own brand in another case, letters whose capitals or case folding
    differ in length or look (ß, İ, ı, ǅ, ﬁ), marks that combine, CJK names, numerals past ASCII, duplicates in
    other cases, names sharing a key that sort by length."""
    from listing_lint.engine.detectors import brand

    tokens = pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")
    for names, own in ((REAL_NAMES, set()), (EDGE_NAMES, {"vantora", "istanbulkebab"}),
                       (REAL_NAMES + EDGE_NAMES, {"yeti"}), ([], set())):
        assert tokens.file_brands(list(names), own) == brand.py_file_brands(list(names), own)
    kept, exact, folded, upper, cjk = tokens.file_brands(EDGE_NAMES, {"vantora"})
    assert "42" not in kept and "!!!" not in kept and "Vantora" not in kept and "VANTORA Pro" in kept
    assert [kept[n] for n in cjk] == ["ワコム", "Wacom ワコム", "小米"]
    assert [kept[n] for n in exact["Hamilton"]] == ["Hamilton Beach", "Hamilton-Beach"]  # a list: two names
    assert kept[exact["Yeti"]] == "Yeti" and kept[upper["YETI"]] == "Yeti"  # "YETI" is its own capitals
    assert [kept[n] for n in folded["yeti"]] == ["Yeti", "YETI"]
    with pytest.raises(TypeError):
        tokens.file_brands(["ok", 7], set())


def test_names_are_made_into_entries_only_when_their_key_is_met():
    matcher = BrandMatcher(REAL_NAMES)
    assert matcher._made.count(None) == len(matcher._made) > 3000  # none made yet
    assert _found(matcher, "Works with The North Face jackets") == [("The North Face", "The North Face")]
    made = [entry.name for entry in matcher._made if entry is not None]
    assert "The North Face" in made and len(made) < 30


def _confirmed_both_ways(matcher: BrandMatcher, text: str):
    """Return (compiled, twin): the names confirmed in prose by ``_heuristics.confirm_prose`` (None where it leaves
    the text to the twin) and by ``BrandMatcher._confirm``, as (start, end, name). The compiled confirming is
    asked twice: picking at crowded keys through the matcher, which indexes them, then from that index."""
    from listing_lint.engine._heuristics import confirm_prose

    hits = matcher.prose_hits(text)
    through_matcher = confirm_prose(text, hits, matcher.exact, matcher.upper, matcher._names, matcher._crowded)
    compiled = confirm_prose(text, hits, matcher.exact, matcher.upper, matcher._names, matcher._crowded,
                             matcher._crowds)
    assert compiled == through_matcher, text
    twin = [(s, e, entry.name) for s, e, entry in matcher._confirm(text, matcher._prose_occurrences(text, hits))]
    return (None if compiled is None else [(s, e, matcher._names[n]) for s, e, n in compiled]), twin


def test_the_compiled_confirming_equals_its_python_twin_on_real_listings():
    """Prose names are confirmed in C: on every field of the 2,862 real listings with the 3,446 real names, it
    confirms what the Python twin does, and leaves to the twin only the few fields with a name or a neighbouring
    character past ASCII."""
    pytest.importorskip("listing_lint.engine._heuristics", reason="the C extension was not built")
    import json

    from conftest import SHARED

    matcher = BrandMatcher(REAL_NAMES)
    fields = decided = names = 0
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        for text in (r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""):
            if not matcher.prose_hits(text):
                continue
            compiled, twin = _confirmed_both_ways(matcher, text)
            fields += 1
            if compiled is not None:
                assert compiled == twin, text
                decided += 1
                names += len(twin)
    assert fields > 4000 and decided > 0.95 * fields and names > 2000


def test_the_compiled_confirming_equals_its_twin_on_made_up_copy():
    """Names sharing a first word (a crowded key picks by the next word), names with punctuation, joined or
    hyphenated names, names past ASCII, in copy of every case with neighbours past ASCII: the compiled
    confirming finds what the twin finds, or leaves the text to it."""
    pytest.importorskip("listing_lint.engine._heuristics", reason="the C extension was not built")
    names = THE_NAMES + ["Hamilton Beach", "Black & Decker", ".NET", "C++", "U.S. News", "Coca-Cola", "Ben & Jerry's",
                         "Dr. Martens", "Box", "BOX Co", "Nestlé", "Über Cool", "Mini", "Mini Cooper", "Mini-Me", "3M",
                         "Go Go", "Go Pro", "Go", "Yeti", "Under_Armour_", "A"]
    matcher = BrandMatcher(names)
    pieces = ["The", "THE", "the", "North", "NORTH", "Face", "Body", "Shop", "Hamilton", "Beach", "HamiltonBeach",
              "Black", "&", "Decker", ".NET", "C++", "U.S.", "News", "Coca", "Cola", "Dr.", "Martens", "Box", "BOX",
              "Co", "Nestlé", "Über", "Cool", "Mini", "Cooper", "Me", "3M", "Go", "Pro", "Yeti", "YETI", "Under",
              "Armour", "_", "A", "a", " ", " ", " ", "  ", "-", " - ", "\t", "\xa0", ".", ",", "é", "\u212a", "\u017f",
              "ß", "İ", "™", "'s", "Ordinary", "Children's", "Place"]
    # Two names at one place ("BOX Co" by registered casing, "Box" in capitals): the longer is kept.
    assert _confirmed_both_ways(matcher, "BOX Co lid") == ([(0, 6, "BOX Co")], [(0, 6, "BOX Co")])
    rng = random.Random(5)
    decided = found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        compiled, twin = _confirmed_both_ways(matcher, text)
        if compiled is not None:
            assert compiled == twin, text
            decided += 1
            found += bool(twin)
    assert decided > 15000 and found > 2500  # most texts are decided in C, and many of those name someone
