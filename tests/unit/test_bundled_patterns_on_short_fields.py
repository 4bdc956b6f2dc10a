"""The bundled rules' patterns search fields of an ordinary length without the regex time limit
(engine/kinds/existence.py, UNTIMED_LENGTH), so none may run away on any field that long: each is run, with a
limit, on repetitive text of that length built from the pieces patterns read (letters, digits, spaces,
punctuation, CJK, emoji, line breaks), where catastrophic backtracking shows."""

from __future__ import annotations

import itertools
import time

import pytest
import regex

from listing_lint import Config
from listing_lint.engine.kinds.existence import UNTIMED_LENGTH
from listing_lint.engine.lint import RuleSet

PIECES = ["a", "A", "1", " ", ".", ",", "-", "/", ":", "!", "'", "\n", "好", "😀", "free ", "5 star ", "www.", "@",
          "1,000", "N/A", "sold ", "  ", "a1", "x "]


def _texts() -> list[str]:
    out = []
    for piece in PIECES:
        out.append((piece * UNTIMED_LENGTH)[:UNTIMED_LENGTH])
    for a, b in itertools.combinations(PIECES, 2):
        text = ((a + b) * UNTIMED_LENGTH)[:UNTIMED_LENGTH - 1]
        out.append(text + "!")  # an end no pattern expects, where backtracking is tried in full
    return out


def _bundled_patterns() -> list[tuple[str, object]]:
    rules = RuleSet(Config(select=("ALL",)))
    found = []
    for rule in rules.rules:
        kind = rule.kind
        for _, pattern, _ in getattr(kind, "patterns", ()):
            found.append((rule.spec.name, pattern))
        if getattr(kind, "exceptions", None) is not None:
            found.append((rule.spec.name + " (exceptions)", kind.exceptions))
    return found


def test_no_bundled_pattern_runs_away_on_a_field_of_ordinary_length():
    patterns = _bundled_patterns()
    assert len(patterns) > 200
    texts = _texts()
    slowest = (0.0, "", "")
    for name, pattern in patterns:
        for text in texts:
            started = time.perf_counter()
            try:
                for _ in pattern.finditer(text, timeout=2.0):
                    pass
            except TimeoutError:
                pytest.fail(f"{name}: {pattern.pattern[:80]!r} ran away on {text[:40]!r}...")
            took = time.perf_counter() - started
            slowest = max(slowest, (took, name, text[:20]))
    # Far from any limit: the slowest search of all takes a small fraction of a second.
    assert slowest[0] < 0.25, slowest
