"""The compiled reading of brand evidence (``_tokens.evidence_ascii``) gives the reason its Python twin gives."""

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


def test_the_compiled_reading_equals_its_twin_on_real_copy():
    """Every third word of 1,500 real titles and bullets, read as a name in four casings, in English and French:
    the same reason or None (every reason occurs), and only text past ASCII is left to the twin."""
    rng = random.Random(3)
    reasons: dict = {}
    decided = undecided = 0
    for line in list(open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"))[:1500]:
        r = json.loads(line)
        for text, title in [(r["title"], True)] + [(b, False) for b in (r.get("bullets") or [])]:
            for m in re.finditer(r"\w+", text):
                if rng.random() > 0.3:
                    continue
                word = m.group()
                for name in (word, word.lower(), word.capitalize(), word.upper()):
                    for lang in ("en", "fr"):
                        compiled, twin = _both(text, m.start(), m.end(), name, lang, title)
                        if compiled is NotImplemented:
                            window = text[max(0, m.start() - 60):m.end() + 60]
                            assert not (window.isascii() and name.isascii()), (text, word)
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
