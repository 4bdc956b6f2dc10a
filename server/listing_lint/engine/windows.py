"""Layer 3 (engine): where in a long field a pattern's matches can be, so only those stretches are searched.

Every match of a pattern holds one of its required literals (literals.py). If a match can also hold at most N
blank characters (spaces, tabs, line breaks; its lookaheads counted as if matched), it lies within N runs of
blanks of that literal: from the start of the Nth word before it to the end of the Nth word after it. The
pattern is then searched in those windows only, merged where they touch, each a few dozen characters of a
description of two thousand. The matches are the same as a search of the whole text, in the same order:

- a match lies inside the window of each literal it holds, so no match starts between windows;
- a search with ``pos`` still sees the text before it (lookbehinds, ``\\b``, ``^``), and ``endpos`` is put one
  character past the window, so a lookahead or ``\\b`` at the window's end sees what the whole text has there;
- patterns whose matches end at ``endpos`` because it is one (``$``, ``\\Z``), or hold a back-reference or a
  conditional, are never windowed.

A field of MIN_LENGTH characters or more is windowed: the units-sold claim took 35 us to search a description
whole for its one or two "sold"s.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Optional

import regex

from ..patterns import compile_pattern
from .literals import NON_ASCII, C, for_analysis, literal_key, sre_parse

MAX_REACH = 24
"""Most runs of blanks a window reaches either side of a literal: past that, windows cover most of a field."""
MIN_LENGTH = 240
"""Characters a field needs before it is searched in windows: a short title's whole search costs less than
finding them."""
WORD_GUESS = 6
"""Characters a word and its blank take, on a guess: windows expected to cover half a text are not worked out."""
SHIPPED = "pattern-reach.json"
"""Each bundled pattern's reach, worked out when the package is built (``scripts/build_pattern_literals.py``)."""


@functools.lru_cache(maxsize=1)
def _blanks_set() -> frozenset[str]:
    """Every character ``\\s`` matches (none is past U+3000), and every one ``str.isspace`` calls a space."""
    chars = "".join(map(chr, range(0x3100)))
    return frozenset(regex.findall(r"\s", chars)) | frozenset(ch for ch in chars if ch.isspace())


_PROPERTY = r"(?<!\\)((?:\\\\)*)\\[pP]\{[^}]*\}"
"""A Unicode property (``\\p{Zs}``, ``\\P{L}``): read as a blank, the most it can be for this count."""
_UNBOUNDED = object()
_REFUSED = (C.GROUPREF, C.GROUPREF_EXISTS, getattr(C, "GROUPREF_IGNORE", None), getattr(C, "GROUPREF_LOC_IGNORE", None),
            getattr(C, "GROUPREF_UNI_IGNORE", None))
_REFUSED_AT = frozenset({C.AT_END, C.AT_END_LINE, C.AT_END_STRING})


def analyse_reach(pattern: str, ignorecase: bool) -> Optional[int]:
    """Return how many blank characters a match of ``pattern`` can hold, its lookaheads' counted in; None when
    there is no bound (``\\s+``, ``.*``), or the pattern cannot be windowed (see the module's notes)."""
    if "[:" in pattern:
        return None  # a POSIX class ("[[:space:]]"), which the standard parser reads as its characters
    try:
        parsed = sre_parse.parse(for_analysis(compile_pattern(_PROPERTY).sub(r"\1\\s", pattern)),
                                 C.SRE_FLAG_IGNORECASE if ignorecase else 0)
    except Exception:  # regex-module syntax the standard parser does not read
        return None
    found = _blanks(list(parsed))
    return None if found is _UNBOUNDED else found


def _blanks(items) -> "int | object":
    total = 0
    for op, av in items:
        n = _item_blanks(op, av)
        if n is _UNBOUNDED:
            return _UNBOUNDED
        total += n
    return total


def _item_blanks(op, av) -> "int | object":
    if op in _REFUSED:
        return _UNBOUNDED
    if op is C.AT:
        return _UNBOUNDED if av in _REFUSED_AT else 0
    if op is C.LITERAL:
        return 1 if chr(av) in _blanks_set() else 0
    if op is C.NOT_LITERAL or op is C.ANY:
        return 1
    if op is C.IN:
        return 1 if any(_in_class(av, b) for b in _blanks_set()) else 0
    if op is C.SUBPATTERN:
        return _blanks(av[-1])
    if op is C.ATOMIC_GROUP:
        return _blanks(av)
    if op is C.BRANCH:
        counts = [_blanks(branch) for branch in av[1]]
        return _UNBOUNDED if _UNBOUNDED in counts else max(counts)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, item = av
        n = _blanks(item)
        if n is _UNBOUNDED or (n and high is C.MAXREPEAT):
            return _UNBOUNDED
        return n * high
    if op is C.ASSERT or op is C.ASSERT_NOT:
        direction, item = av
        return _blanks(item) if direction == 1 else 0  # a lookbehind looks before the match: pos hides nothing
    return _UNBOUNDED  # anything not known here: never windowed


def _in_class(items, char: str) -> bool:
    """Tell whether a parsed character class matches ``char`` (a blank: no case to fold)."""
    code = ord(char)
    negate = False
    hit = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit = hit or av == code
        elif op is C.RANGE:
            hit = hit or av[0] <= code <= av[1]
        elif op is C.CATEGORY:
            hit = hit or av not in (C.CATEGORY_NOT_SPACE, C.CATEGORY_WORD, C.CATEGORY_DIGIT)
        else:
            hit = True  # not known: it may
    return hit != negate


@functools.lru_cache(maxsize=1)
def _shipped() -> dict:
    """Return the bundled patterns' reach by key; {} when the file is missing or not what it should be."""
    from .spec import bundled_rules_dir

    try:
        data = json.loads((bundled_rules_dir() / "data" / SHIPPED).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and all(isinstance(k, str) and (v is None or type(v) is int) for k, v in data.items())
    return data if ok else {}


def reach(pattern: str, ignorecase: bool) -> Optional[int]:
    """Return the runs of blanks a window of ``pattern`` reaches either side of a literal, or None: not windowed."""
    found = _shipped().get(literal_key(pattern, ignorecase), False)
    if found is False:
        found = analyse_reach(pattern, ignorecase)
    return found if found is not None and found <= MAX_REACH else None


@functools.lru_cache(maxsize=None)
def _walkers(runs: int) -> tuple:
    back = compile_pattern(r"(?r)(?:\S*\s+){0,%d}\S*" % runs)
    ahead = compile_pattern(r"\S*(?:\s+\S*){0,%d}" % runs)
    return back.match, ahead.match


def windows(text: str, lower: str, literals, runs: int) -> Optional[list[tuple[int, int]]]:
    """Return the merged windows of ``text`` (ASCII; ``lower`` its lower case) around each occurrence of the
    literals, ``runs`` runs of blanks either way, with the character after each; None when they would cover
    most of the text (a whole search is then as cheap)."""
    places = []
    for literal in literals:
        if literal == NON_ASCII:
            continue  # an ASCII text holds none
        at = lower.find(literal)
        while at >= 0:
            places.append((at, at + len(literal)))
            at = lower.find(literal, at + 1)
    if len(places) * (2 * runs + 1) * WORD_GUESS * 2 > len(text):
        return None  # the windows would cover most of it: not worth finding their ends
    back, ahead = _walkers(runs)
    spans = sorted((back(text, 0, s).start(), min(len(text), ahead(text, e).end() + 1)) for s, e in places)
    merged: list[tuple[int, int]] = []
    covered = 0
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                covered += e - merged[-1][1]
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
            covered += e - s
    return merged if covered * 2 < len(text) else None


def finditer_in(pattern, text: str, spans: list[tuple[int, int]], timeout: Optional[float]) -> Iterator:
    """Yield what ``pattern.finditer(text)`` yields, searching only ``spans`` (from ``windows``)."""
    resume = 0
    for s, e in spans:
        if resume >= e:
            continue
        found = (pattern.finditer(text, max(s, resume), e) if timeout is None
                 else pattern.finditer(text, max(s, resume), e, timeout=timeout))
        for m in found:
            yield m
            resume = m.end() if m.end() > m.start() else m.end() + 1
