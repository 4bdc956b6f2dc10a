"""The compiled count of a title's most used word (``_heuristics.ascii_most_uses``) is the repetition gate's own."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from listing_lint.engine.kinds import repetition

from conftest import SHARED

pytestmark = pytest.mark.skipif(repetition._ascii_most_uses is None, reason="the C extension was not built")


def _python_most_uses(text: str) -> int:
    return max(Counter(repetition.ASCII_WORD.findall(text.lower())).values(), default=0)


def test_the_compiled_count_equals_the_gates_count():
    """Made-up ASCII copy (words in any case, apostrophes and hyphens inside and around words, digits, long
    texts) and every real ASCII title and bullet: the same count of the most used word's uses."""
    rng = random.Random(2)
    pieces = ["soft", "Soft", "SOFT", "it's", "'s", "-", "--", "a", "A", "1", "10", "x-ray", "X-Ray", " ", " ", "  ",
              ",", ".", "'", "_", "\t", "\n", "kids'", "wi-fi", "Wi-Fi"]
    repeated = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert repetition._ascii_most_uses(text) == _python_most_uses(text), text
        repeated += _python_most_uses(text) > 2
    assert repeated > 300  # copy using a word three times or more
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        for text in (r["title"], *(r.get("bullets") or [])):
            if text.isascii():
                assert repetition._ascii_most_uses(text) == _python_most_uses(text), text
    with pytest.raises(TypeError):
        repetition._ascii_most_uses("café")
