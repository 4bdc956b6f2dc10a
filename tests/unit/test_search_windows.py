"""A long field searched only around a pattern's literals (engine/windows.py) yields what a whole search yields."""

from __future__ import annotations

import json
import random

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.engine.literals import required_literals
from listing_lint.engine.windows import MIN_LENGTH, analyse_reach, finditer_in, reach, windows

from conftest import ROOT, SHARED, load_script


def _windowed_patterns() -> list[tuple[str, bool, int, frozenset[str]]]:
    builder = load_script(ROOT / "scripts" / "build_pattern_literals.py")
    out = []
    for pattern, ignorecase in builder.bundled_patterns():
        runs, literals = reach(pattern, ignorecase), required_literals(pattern, ignorecase)
        if runs is not None and literals is not None:
            out.append((pattern, ignorecase, runs, literals))
    return out


WINDOWED = _windowed_patterns()


def _compiled(pattern: str, ignorecase: bool):
    return regex.compile(pattern, regex.V0 | (regex.IGNORECASE if ignorecase else 0))


def _same(pattern: str, ignorecase: bool, runs: int, literals: frozenset[str], text: str) -> None:
    compiled = _compiled(pattern, ignorecase)
    spans = windows(text, text.lower(), literals, runs)
    if spans is None:
        return
    whole = [m.span() for m in compiled.finditer(text)]
    assert [m.span() for m in finditer_in(compiled, text, spans, None)] == whole, (pattern[:60], text)


def test_most_bundled_patterns_are_windowed():
    assert len(WINDOWED) > 200


def _pieces() -> list[str]:
    """Words and marks the bundled patterns are made of: their literals, digits, blanks and punctuation, and the
    words of every rule's examples, which hold what the patterns match."""
    from listing_lint import Config
    from listing_lint.engine.lint import load_packs

    pieces = {literal for _, _, _, literals in WINDOWED for literal in literals if literal.isascii()}
    for pack in load_packs(Config()):
        for spec in pack.rules:
            for example in spec.examples:
                pieces.update(w for w in example.text.split() if w.isascii())
    pieces.update([" ", " ", "  ", "\n", "\t", ",", ".", "!", "-", "/", "+", "#", "1", "5", "50,000", "4.5", "1000",
                   "million", "over ", "more than ", "units", "sold", "separately", "per", "a pack", "stars"])
    return sorted(pieces)


PIECES = _pieces()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=40, max_size=160), st.randoms(use_true_random=False))
def test_a_windowed_search_finds_what_a_whole_search_finds(parts, rnd):
    text = " ".join(parts) if rnd.random() < 0.5 else "".join(parts)
    if len(text) < MIN_LENGTH or not text.isascii():
        return
    for pattern, ignorecase, runs, literals in rnd.sample(WINDOWED, 25):
        _same(pattern, ignorecase, runs, literals, text)


def test_every_windowed_pattern_on_real_and_labelled_copy():
    """Long real fields, and long texts made of the labelled snippets and rule examples joined in random order."""
    texts = []
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        record = json.loads(line)
        texts += [t for t in [record.get("description") or "", *(record.get("bullets") or [])]
                  if len(t) >= MIN_LENGTH and t.isascii()]
    snippets = [json.loads(line)["text"] for line in open(SHARED / "corpus" / "labelled-dev.jsonl", encoding="utf-8")]
    snippets += [json.loads(line)["text"] for path in sorted((ROOT / "bench" / "probes").glob("*.jsonl"))
                 for line in open(path, encoding="utf-8") if line.strip()]
    snippets = [s for s in snippets if s.isascii()]
    rnd = random.Random(7)
    texts += [" ".join(rnd.sample(snippets, 6)) for _ in range(300)]
    for pattern, ignorecase, runs, literals in WINDOWED:
        compiled = _compiled(pattern, ignorecase)
        for text in texts:
            lower = text.lower()
            if any(literal in lower for literal in literals):
                _same(pattern, ignorecase, runs, literals, text)
        del compiled


@pytest.mark.parametrize("pattern, blanks", [
    (r"\bsold\s(?:over\s)?\d+", 2),
    (r"a[ \t]b", 1),
    (r"free\ (?:[\w-]+\ ){0,2}shipping", 3),
    (r"\w+ly\b", 0),
    (r"sold\b(?!\s(?:separately|as)\b)", 1),   # a lookahead counts: a window must let it see its text
    (r"(?<=\bis\s)new", 0),                     # a lookbehind looks before the window's start, which a search sees
    (r"x\p{Zs}y", 1),                            # a property may be a blank
    (r"x[^.!?]{0,5}y", 5),                      # so may what a negated class lets through
    (r"x.{0,3}y", 3),
])
def test_the_blanks_a_match_can_hold(pattern, blanks):
    assert analyse_reach(pattern, True) == blanks


@pytest.mark.parametrize("pattern", [
    r"sold\s+\d+",          # no bound
    r"sold[^x]*\d",
    r"\d+ sold$",           # $ would match at a window's end
    r"\d+ sold\Z",
    r"(\w+) and \1",         # a back-reference
    r"(a)?(?(1)b|c) sold",  # a conditional
    r"[[:space:]]sold",     # a POSIX class
    r"(?r)sold",            # regex-module syntax the analysis does not read
])
def test_patterns_that_are_never_windowed(pattern):
    assert analyse_reach(pattern, True) is None


def test_windows_merge_and_keep_what_a_match_needs_around_it():
    text = "x " * 200 + "over 50,000 units sold separately " + "y " * 200 + "sold 1,000 packs " + "z " * 100
    spans = windows(text, text.lower(), frozenset({"sold"}), 10)
    assert spans is not None and len(spans) == 2
    assert all(text[e - 1] == " " for _, e in spans)  # each ends one character past its last word
    # The units-sold pattern's own case: "sold separately" is no claim, and only the window's text tells.
    _same(r"(?<![\w.,])(?:over\s)?\d{1,3}(?:,\d{3})+\s(?:[\w-]+\s){0,2}?sold\b(?!\s(?:separately)\b)", True, 10,
          frozenset({"sold"}), text)


def test_windows_that_would_cover_most_of_a_text_are_not_made():
    text = "sold " * 100
    assert windows(text, text, frozenset({"sold"}), 3) is None
