"""Layer 3 (engine): find literal strings a pattern cannot match without, to skip text that lacks them all.

A rule's regular expressions are searched only in text holding one of their required literals (like
ripgrep's and Hyperscan's literal prefilters). For ``\\bbest[- ]?sell(?:er|ing)\\b`` that is ``{"sell"}``:
any match contains "sell", so a field without it is skipped by one fast substring search. Patterns this
analysis cannot read (the ``regex`` module's own syntax) simply get no gate.
"""

from __future__ import annotations

import functools
import json
import operator
import re
import sys
from typing import Optional

if sys.version_info >= (3, 11):
    import re._constants as C  # noqa: N812
    import re._parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as C  # noqa: N812
    import sre_parse

MIN_PART = 6
"""Characters each string of one item of a run needs before it is a candidate by itself ("review")."""
MIN_LATIN = 2
"""Shorter Latin literals ("a") appear everywhere and would not filter anything."""
SYMBOLS = set("#@$%&+!?_{}^~|<>=*/\\[]()")
"""ASCII punctuation rare enough in listings that one character is worth searching for."""


_FREQUENCY = {1: 1.5, 2: 1.0, 3: 0.3, 4: 0.1}
"""Rough chance that a literal of this length occurs in a field: "us" is everywhere, "contact" is not."""


FUNCTION_WORDS = frozenset("""
the and for with our your you this that from are not all can has have its will was were they them their
but any one out use get how who why what when more most also into onto than then just only very each
per our ours about after before over under same such both few other some own off may must shall should
""".split())
"""Words so common that a literal made of one of them ("our ", " for ") filters almost nothing."""


def _frequency(literal: str) -> float:
    if literal.strip().lower() in FUNCTION_WORDS:
        return 1.0
    return _FREQUENCY.get(sum(1 if c.isascii() else 3 for c in literal), 0.03)


def _selectivity(options: frozenset[str]) -> float:
    """Rank literal sets by how rarely any member occurs (higher is better); a CJK character counts as three."""
    return -sum(_frequency(o) for o in options)


NON_ASCII = "\x00non-ascii"
"""Stands for "some character above U+007F": a field of plain ASCII cannot match a pattern needing one."""
NON_ASCII_PROPERTIES = frozenset({
    "extended_pictographic", "emoji_presentation", "han", "hiragana", "katakana", "hangul", "thai",
    "arabic", "hebrew", "cyrillic", "greek", "devanagari",
})
r"""Unicode properties (``\p{...}``) with no ASCII member."""


def _usable(options: Optional[frozenset[str]]) -> bool:
    return bool(options) and all(
        len(o) >= MIN_LATIN or (o and not o.isascii()) or (len(o) == 1 and o in SYMBOLS) or o == NON_ASCII
        for o in options)


def for_analysis(pattern: str) -> str:
    r"""Rewrite ``regex``-only syntax the standard parser rejects into what says the same about literals.

    ``\p{Han}`` becomes a non-ASCII range, other ``\p{..}`` a digit class (no literal at all), and
    lookbehinds, which never add required characters, are dropped (they may be variable-width).
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    class_start = -1
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            if pattern[i + 1] in "pP" and i + 2 < n and pattern[i + 2] == "{":
                j = pattern.find("}", i + 3)
                if j < 0:
                    return pattern
                name = pattern[i + 3:j].lower().replace(" ", "_").split("=")[-1]
                if pattern[i + 1] == "p" and name in NON_ASCII_PROPERTIES:
                    out.append("\\u0080-\\U0010ffff" if in_class else "[\\u0080-\\U0010ffff]")
                else:
                    out.append("\\d")
                i = j + 1
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if not in_class and pattern.startswith(("(?<=", "(?<!"), i):
            i = _group_end(pattern, i)
            continue
        if c == "[" and not in_class:
            in_class, class_start = True, i
        elif c == "]" and in_class and i > class_start + 1 and not (i == class_start + 2 and pattern[i - 1] == "^"):
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def _group_end(pattern: str, start: int) -> int:
    """Return the index after the group opening at ``start`` (escapes and classes respected)."""
    depth, i, n, in_class = 0, start, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


MAX_STRINGS = 64
"""Most strings a stretch of a pattern may spell before its literals stop being worth listing."""
MAX_COUNT = 4
"""Highest repeat count (``x{2}``, ``(?:ab)?``) spelt out; an open one (``+``, ``{2,}``) ends a run."""


def _strings(op, av, ignorecase: bool) -> Optional[frozenset[str]]:
    """Return every string one parsed item can match, when that is a small finite set (else None).

    ``N\\.?A`` spells {"na", "n.a"}; ``colou?r`` spells {"color", "colour"}. Zero-width items spell {""}.
    """
    if op is C.LITERAL:
        return frozenset({chr(av)})
    if op is C.AT or op in (C.ASSERT, C.ASSERT_NOT):
        return frozenset({""})  # a match holds the same characters with or without the assertion
    if op is C.IN and 0 < len(av) <= MAX_STRINGS and all(o is C.LITERAL for o, _ in av):
        return frozenset(chr(c) for _, c in av)
    if op is C.SUBPATTERN:
        return _sequence_strings(av[-1], ignorecase or bool(av[1] & C.SRE_FLAG_IGNORECASE))
    if op is C.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            part = _sequence_strings(branch, ignorecase)
            if part is None or len(found | part) > MAX_STRINGS:
                return None
            found |= part
        return frozenset(found)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        if high > MAX_COUNT:
            return None
        part = _sequence_strings(body, ignorecase)
        if part is None:
            return None
        found, power = set(), frozenset({""})
        for count in range(high + 1):
            if count >= low:
                found |= power
            if count < high:
                power = frozenset(a + b for a in power for b in part)
            if len(found) > MAX_STRINGS or len(power) > MAX_STRINGS:
                return None
        return frozenset(found)
    return None


def _sequence_strings(items, ignorecase: bool) -> Optional[frozenset[str]]:
    """Return every string a parsed sequence can match, when that is a small finite set (else None)."""
    found = frozenset({""})
    for op, av in items:
        part = _strings(op, av, ignorecase)
        if part is None or len(found) * len(part) > MAX_STRINGS:
            return None
        found = frozenset(a + b for a in found for b in part)
    return frozenset(x.lower() for x in found) if ignorecase else found


def _shortest_cover(strings: frozenset[str]) -> frozenset[str]:
    """Drop every string that contains another: a text holding "n.a." holds "n.a" too."""
    return frozenset(x for x in strings if not any(y != x and y in x for y in strings))


def _required(items, ignorecase: bool, every: Optional[list] = None) -> Optional[frozenset[str]]:
    """Return a set of strings one of which every match of the parsed sequence contains, or None; ``every``
    gets each such set the sequence's own items give, rarest first (a match holds one string of each)."""
    candidates: list[frozenset[str]] = []
    run = frozenset({""})
    """The strings the items since the last break can spell: any match holds one of them."""
    run_parts: list[frozenset[str]] = []
    """The run's items' strings, each of which a match holds one of too: "star" alone is rarer than every
    spelling of "5-star review" together."""

    def close_run() -> None:
        nonlocal run
        for n, options in enumerate((run, *run_parts)):
            options = _shortest_cover(frozenset(x.lower() if ignorecase else x for x in options))
            # An item's own strings count only when long: the length-based guess of how common a string
            # is would take "top" or "star" over every spelling of "top seller".
            if _usable(options) and (n == 0 or min(map(len, options)) >= MIN_PART):
                candidates.append(options)
        run = frozenset({""})
        run_parts.clear()

    for op, av in items:
        part = _strings(op, av, ignorecase)
        if part is not None and len(run) * len(part) <= MAX_STRINGS:
            run = frozenset(a + b for a in run for b in part)
            run_parts.append(part)
            continue
        close_run()
        if part is not None and len(part) <= MAX_STRINGS:
            run = part  # too many strings joined to the run before it: a new run starts here
            run_parts.append(part)
            continue
        sub: Optional[frozenset[str]] = None
        if op is C.SUBPATTERN:
            sub = _required(av[-1], ignorecase or bool(av[1] & C.SRE_FLAG_IGNORECASE))
        elif op is C.BRANCH:
            parts = [_required(branch, ignorecase) for branch in av[1]]
            if all(_usable(p) for p in parts):
                sub = frozenset().union(*parts)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            low, _, body = av
            if low >= 1:
                sub = _required(body, ignorecase)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            sub = _required(av, ignorecase)
        elif op is C.IN and 0 < len(av) <= 16 and all(o is C.LITERAL for o, _ in av) \
                and any(c < 0x80 for _, c in av):
            # A small class of literal characters, e.g. [!$?_{}]: any one of them.
            sub = frozenset(chr(c) for _, c in av)
        elif op is C.IN and av and all(
                (o is C.LITERAL and v >= 0x80) or (o is C.RANGE and v[0] >= 0x80) for o, v in av):
            sub = frozenset({NON_ASCII})  # e.g. [™®©€\p{Extended_Pictographic}]
        if _usable(sub):
            candidates.append(sub)
    close_run()
    usable = [c for c in candidates if _usable(c)]
    if not usable:
        return None
    if every is not None:
        every.extend(dict.fromkeys(sorted(usable, key=_selectivity, reverse=True)))  # stable: the best is max's
    return max(usable, key=_selectivity)


SHIPPED = "pattern-literals.json"
"""The literals of every bundled pattern, worked out when the package is built (``scripts/build_pattern_literals.py``)."""


def literal_key(pattern: str, ignorecase: bool) -> str:
    return ("i:" if ignorecase else "c:") + pattern


@functools.lru_cache(maxsize=1)
def _shipped() -> dict:
    """Return the bundled patterns' literals by key; {} when the file is missing or not what it should be.

    Parsing each pattern again costs a third of a small file's lint, and the answer depends only on the
    pattern: a pattern not found here (a user's, or one edited since the file was built) is analysed as usual.
    """
    from .spec import bundled_rules_dir

    try:
        data = json.loads((bundled_rules_dir() / "data" / SHIPPED).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and all(
        isinstance(k, str) and (v is None or (isinstance(v, list) and v and all(
            isinstance(part, list) and part and all(isinstance(x, str) for x in part) for part in v)))
        for k, v in data.items())
    return data if ok else {}


MAX_SETS = 4
"""Most literal sets kept of one pattern: the rarest, which gates it, and three more it is checked against."""
MAX_OTHER_FREQUENCY = _FREQUENCY[3]
"""How common (``_frequency``) a literal of a set other than the rarest may be: three characters and no function
word (the literal pass looks for these sets' literals too)."""


def required_literals(pattern: str, ignorecase: bool) -> Optional[frozenset[str]]:
    """Return literals one of which any match of ``pattern`` contains (lower-cased), or None if unknown."""
    found = required_literal_sets(pattern, ignorecase)
    return None if found is None else found[0]


def required_literal_sets(pattern: str, ignorecase: bool) -> Optional[tuple[frozenset[str], ...]]:
    """Return sets of literals (lower-cased) such that any match of ``pattern`` contains one literal of each, the
    rarest first (``required_literals``), or None if unknown: a match of ``our (?:shop|store)\\W+on\\W+instagram``
    holds "instagram" and one of "our shop" and "our store" as well. Sets of common strings ("on") are left out."""
    shipped = _shipped().get(literal_key(pattern, ignorecase), False)
    if shipped is not False:
        return None if shipped is None else tuple(frozenset(part) for part in shipped)
    return analyse_literal_sets(pattern, ignorecase)


def analyse_literals(pattern: str, ignorecase: bool) -> Optional[frozenset[str]]:
    """Work out :func:`required_literals` from the pattern itself."""
    found = analyse_literal_sets(pattern, ignorecase)
    return None if found is None else found[0]


def analyse_literal_sets(pattern: str, ignorecase: bool) -> Optional[tuple[frozenset[str], ...]]:
    """Work out :func:`required_literal_sets` from the pattern itself."""
    try:
        parsed = sre_parse.parse(for_analysis(pattern), re.IGNORECASE if ignorecase else 0)
    except Exception:  # regex-module syntax the standard parser does not read: no gate
        return None
    every: list[frozenset[str]] = []
    if _required(list(parsed), ignorecase or bool(parsed.state.flags & re.IGNORECASE), every) is None:
        return None
    lowered = [frozenset(s if s == NON_ASCII else s.lower() for s in found) for found in every]
    # The others only where no literal is a common string: "the", "us" or "a " are in nearly every field, and
    # each one the literal pass looks for costs it a look-up at each place it occurs.
    others = (found for found in lowered[1:] if max(map(_frequency, found)) <= MAX_OTHER_FREQUENCY)
    return tuple(dict.fromkeys([lowered[0], *others]))[:MAX_SETS]


_second = operator.itemgetter(1)


class LiteralIndex:
    """Every rule's literals: one pass per field finds all that occur.

    The compiled ``LiteralTable`` (engine/_tokens.c) looks each position up by its first one to four
    characters; without a compiler the install uses an Aho-Corasick automaton (pyahocorasick), which finds
    the same, about half as fast.
    """

    def __init__(self, literals: "set[str] | frozenset[str]", compiled: Optional[bool] = None) -> None:
        literals = literals - {NON_ASCII}
        self.literals = frozenset(literals)
        """Every literal looked for (NON_ASCII aside)."""
        try:
            from ._tokens import LiteralTable
        except ImportError:  # pragma: no cover - an install without a compiler
            LiteralTable = None
        if compiled is None:
            compiled = LiteralTable is not None
        if compiled:
            # The table's own answer, NON_ASCII included: called for every field, a Python method around it cost
            # more than the scan of a short field.
            table = LiteralTable(sorted(literals), NON_ASCII)
            self._find = self.present = table.present
            self.present_each = table.present_each
        else:
            import ahocorasick

            automaton = ahocorasick.Automaton()
            for lit in literals:
                automaton.add_word(lit, lit)
            if literals:
                automaton.make_automaton()
            self._find = lambda text: set(map(_second, automaton.iter(text))) if literals else set()

    def any_in(self, lower_text: str) -> bool:
        """Tell whether any of the literals occurs in (lower-cased) text."""
        return bool(self._find(lower_text) - {NON_ASCII})  # the compiled table marks text past ASCII: no literal

    def present_each(self, texts: "list[str] | tuple[str, ...]") -> tuple[frozenset[str], ...]:
        """Return ``present(text.lower())`` of each text (the compiled table's own, in one call, stands in for this)."""
        return tuple(self.present(text.lower()) for text in texts)

    def present(self, lower_text: str) -> frozenset[str]:
        """Return the literals occurring in (lower-cased) text, overlapping ones included, and NON_ASCII for text
        past ASCII (the compiled table's own ``present`` stands in for this one)."""
        found = self._find(lower_text)
        if not lower_text.isascii():
            found.add(NON_ASCII)
        return frozenset(found)
