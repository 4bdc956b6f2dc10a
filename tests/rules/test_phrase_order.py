"""A rule that lists one pattern per phrase reports what the phrases joined in one pattern would: the phrase
listed first takes an overlap, so each must come before those it can overlap from the right or hold."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.config import Config
from listing_lint.engine.lint import load_packs
from listing_lint.engine.literals import required_literals

SPEC = next(spec for pack in load_packs(Config()) for spec in pack.rules if spec.name == "promotional-phrase")
PHRASES = SPEC.options["patterns"]["en"]
FLAGS = regex.V0 | regex.IGNORECASE
EACH = [regex.compile(p, FLAGS) for p in PHRASES]
JOINED = regex.compile("|".join(PHRASES), FLAGS)
# Every word the phrases need, in both cases, and a few they do not.
WORDS = sorted({w for p in PHRASES for lit in required_literals(p, True) for w in lit.split()}
               | {w.upper() for p in PHRASES for lit in required_literals(p, True) for w in lit.split()}
               | {"BPA", "x", "is", "a", "in", "20%", "10", "."})


def _in_list_order(text: str) -> list[tuple[int, int]]:
    """What the engine reports: each pattern's matches in list order, dropping one that overlaps an earlier."""
    taken: list[tuple[int, int]] = []
    for pattern in EACH:
        for m in pattern.finditer(text):
            if m.start() < m.end() and not any(m.start() < e and s < m.end() for s, e in taken):
                taken.append(m.span())
    return sorted(taken)


def test_the_phrases_are_many_patterns():
    assert len(PHRASES) > 20


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), st.sampled_from([" ", " ", "-", ", "]))
def test_the_listed_phrases_report_what_their_alternation_would(words, joiner):
    text = joiner.join(words)
    assert _in_list_order(text) == sorted(m.span() for m in JOINED.finditer(text) if m.start() < m.end())
