"""The compiled reading of brand evidence (``_heuristics.evidence_ascii``) gives the reason its Python twin gives."""

from __future__ import annotations

import json
import random
import re

import pytest

from listing_lint.engine.detectors import brand_evidence as be

from conftest import SHARED

pytestmark = pytest.mark.skipif(be._evidence_ascii is None, reason="the C extension was not built")


def _both(text: str, start: int, end: int, name: str, lang: str, title: bool):
    compiled = be._evidence_ascii(text, start, end, name, title, lang, lang in be.NOUN_FIRST_LANGS, be._word_lists(),
                                  be._product_line_word)
    return compiled, be.py_brand_evidence(text, start, end, name, lang, title)


def _real_names():
    """Yield (text, title, match, name) for about every third word of 1,500 real titles and bullets, read as a name
    in four casings."""
    rng = random.Random(3)
    for line in list(open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"))[:1500]:
        r = json.loads(line)
        for text, title in [(r["title"], True)] + [(b, False) for b in (r.get("bullets") or [])]:
            for m in re.finditer(r"\w+", text):
                if rng.random() <= 0.3:
                    for name in (m.group(), m.group().lower(), m.group().capitalize(), m.group().upper()):
                        yield text, title, m, name


def test_the_compiled_reading_equals_its_twin_on_real_copy():
    """Real words as names, in English and French: the same reason or None (every reason occurs), and only text
    past ASCII is left to the twin."""
    reasons: dict = {}
    decided = undecided = 0
    for text, title, m, name in _real_names():
        for lang in ("en", "fr"):
            compiled, twin = _both(text, m.start(), m.end(), name, lang, title)
            if compiled is NotImplemented:
                window = text[max(0, m.start() - 60):m.end() + 60]
                assert not (window.isascii() and name.isascii()), (text, name)
                undecided += 1
                continue
            assert compiled == twin, (text, m.start(), name, lang, title)
            decided += 1
            key = twin if twin is None or not twin.endswith("before it") or twin.startswith("product") \
                else "'cue' before it"
            reasons[key] = reasons.get(key, 0) + 1
    assert decided > 200_000 and undecided < decided / 5
    assert len(reasons) == 10 and min(reasons.values()) >= 10, reasons  # all but the trademark sign, past ASCII


_PIECES = ["Box", "box", "BOX", "Yeti", "iPad", "WWE", "Kit", "Magic", "Rambler", "by", "By", "brand", "Brand", "'s",
           "'S", "BRANDED", "brands", "marque", "trademark", "the", "The", "of", "is", "gun", "ink", "Cup", "series",
           "Series", "TV", "270", "S23", "WH-1000XM4", "12pcs", "300pc", "16cm", "3", "2", "pack", "x", "1.5",
           "Official", "original", "chaussures", "Julia", "Stanley", " ", " ", " ", "  ", "-", " - ", ": ", ". ", "! ",
           ", ", "\n", "\t", "\x1c", "'", "(", "/", "•", "é", "™"]


def test_the_compiled_reading_equals_its_twin_on_made_up_copy():
    """Names among cues, model numbers, counts, measures, capitals, sentence and title starts, odd spaces and
    characters past ASCII: the same reason as the twin wherever the compiled reading decides."""
    rng = random.Random(9)
    names = ["Box", "box", "Yeti", "iPad", "WWE", "Kit", "Magic", "Stanley", "X", "uv", "Go"]
    decided = found = 0
    for _ in range(30000):
        name = rng.choice(names)
        before = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 6)))
        after = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 6)))
        shown = rng.choice([name, name.upper(), name.lower(), name.capitalize()])
        text = before + shown + after
        start, end = len(before), len(before) + len(shown)
        lang = rng.choice(["en", "es"])
        title = rng.random() < 0.5
        compiled, twin = _both(text, start, end, name, lang, title)
        if compiled is NotImplemented:
            continue
        assert compiled == twin, (text, start, end, name, lang, title)
        decided += 1
        found += twin is not None
    assert decided > 20000 and found > 3000


def _entity_both(text: str, start: int, end: int, name: str, title: bool):
    compiled = be._entity_ascii(text, start, end, name, title, be._entity_lists(), (be._plural_in, be.is_ambiguous_name))
    return compiled, be.py_named_entity(text, start, end, name, title)


@pytest.mark.parametrize(("text", "name"), [
    ("the Nike of Samothrace", "Nike"), ("goddess Nike here", "Nike"), ("St. Julia", "Julia"),
    ("the pilot of Thunderbird 1", "Thunderbird"), ("NFC-enabled device", "NFC"), ("Kuma-chan toy", "Kuma"),
    ("AH-64 Apache model", "Apache"), ("AH-64 \nApache", "Apache"), ("STICK LIKE MAGIC", "Magic"),
    ("for use with GO!!!", "Go"), ("Made in Iceland", "Iceland"), ("Made in the\nUSA", "USA"),
    ("Conan The Brigand", "Conan"), ("the Thunderbirds are here, Thunderbird 2", "Thunderbird"),
    ("a Saturn V rocket", "Saturn"), ("Scott's Thunderbird", "Thunderbird"), ("the Donkey Kong game", "Kong"),
    ("a Gatling gun", "Gatling"), ("the Stanley Cup", "Stanley"), ("Coach Ron", "Coach"), ("Julia Donaldson", "Julia"),
    ("R/C car", "C"), ("we.Org", "Org"), ("'C' shape", "C"), ("the Thunderbirds fly, Thunderbird S", "Thunderbird"),
    ("a Saturn S rocket", "Saturn"),
])
def test_each_kind_of_named_entity_is_read_as_the_twin_reads_it(text, name):
    """One text for each test the named-entity reading makes: both say it is an entity, not the brand."""
    start = text.rfind(name.upper()) if name.upper() in text and name.upper() != name else text.rfind(name)
    assert _entity_both(text, start, start + len(name), name, False) == (True, True)


@pytest.mark.parametrize(("text", "name"), [
    ("Conan the X", "Conan"), ("Made inthe Iceland", "Iceland"), ("Thunderbird 2 flies", "Thunderbird"),
    ("better than Yeti", "Yeti"), ("ABCD-64 Apache", "Apache"), ("the Nike of samothrace", "Nike"),
])
def test_near_misses_are_no_named_entity_either_way(text, name):
    """Shapes one character short of an entity (a one-letter epithet, "inthe", no plural of the name, four
    capitals before the number): both say it is no entity."""
    start = text.rfind(name)
    assert _entity_both(text, start, start + len(name), name, False) == (False, False)


_ENTITY_PIECES = ["the", "The", "of", "von", "de", "Samothrace", "goddess", "St", ".", "pilot", "NFC", "-enabled",
                  "-ready", "-chan", "-san", "AH", "-64", "F-16", "UH-60A", "like", "LIKE", "!", "Made", "made", "in",
                  "from", "product", "Jake", "Snake", "2", "V", "XIII", "rocket", "Thunderbirds", "'s", "Leonardo",
                  "Donkey", "gun", "Cup", "Museum", "Coach", "Ron", "Julia", "ink", "270", "pack", "brand", "/", "-",
                  ".", "'", '"', " ", " ", " ", "  ", "\n", "\t", "\x1c", ",", "x", "é", "Box", "BOX", "’", "•"]


def test_the_compiled_named_entity_test_equals_its_twin():
    """Made-up copy around names (60,000 texts) and every third word of 1,500 real titles and bullets in four
    casings: the compiled test says what the twin says wherever it decides, and it decides most of them."""
    rng = random.Random(11)
    names = ["Nike", "Thunderbird", "NFC", "Kuma", "Apache", "Magic", "Go", "Iceland", "Conan", "Saturn", "Kong",
             "Gatling", "Stanley", "Coach", "Julia", "C", "X", "Box", "Ron"]
    decided = entities = 0
    for _ in range(60000):
        name = rng.choice(names)
        shown = rng.choice([name, name.upper(), name.lower()])
        before = "".join(rng.choice(_ENTITY_PIECES) for _ in range(rng.randint(0, 7)))
        after = "".join(rng.choice(_ENTITY_PIECES) for _ in range(rng.randint(0, 7)))
        text = before + shown + after
        compiled, twin = _entity_both(text, len(before), len(before) + len(shown), name, rng.random() < 0.3)
        if compiled is not NotImplemented:
            assert compiled == twin, (text, name)
            decided += 1
            entities += twin
    assert decided > 40000 and entities > 5000
    decided = undecided = 0
    for text, title, m, name in _real_names():
        compiled, twin = _entity_both(text, m.start(), m.end(), name, title)
        if compiled is NotImplemented:
            undecided += 1
        else:
            assert compiled == twin, (text, m.start(), name, title)
            decided += 1
    assert decided > 100_000 and undecided < decided / 5
