"""Layer 3 (engine kind): flag text that matches any of a rule's patterns, per language.

What it does: searches each field in scope for the rule's regular expressions (the ``regex``
module's syntax) and reports every match not covered by an exception.

Options:
- ``patterns``: a list of patterns, or a table of language -> list (``en``, ``zh``, ``de``, ``fr``,
  ``es``, ``it``, ``ja``); the language picks the fix template.
- ``exceptions``: patterns whose matches make an overlapping hit disappear.
- ``ignorecase``: match without regard to case (default true).
- ``requires``: a pattern every match of every pattern holds a match of (a character class, say); a field in
  which it finds nothing is not searched. For patterns the literal pass cannot gate (``\\p{...}`` classes).

Example: ``patterns = { en = ['\\bbest[- ]?sell(?:er|ing)\\b'] }`` flags "Best Seller".

Fix safety: decided by the rule's ``fix`` table.

Time limit: a pattern search stops after the rule time limit (``regex_timeout``, plus as much again per
50,000 characters of the field, as for detectors) and the engine reports it on its field. A bundled rule's
patterns search fields up to UNTIMED_LENGTH characters without it: the ``regex`` module reads the process's CPU
clock twice per timed search, a system call on many virtual machines (1.8 µs a search here, more than most
searches take). The test suite runs every bundled pattern on repetitive text of
that length, where backtracking shows (tests/unit/test_bundled_patterns_on_short_fields.py), and on hostile
shapes up to 1 MB, which keep the limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

import regex

from ...model import Field
from ...patterns import compile_pattern
from ..literals import NON_ASCII, required_literal_sets, required_literals
from ..pattern_size import MAX_TOTAL_NODES, measure
from ..spans import Claimed, Fixed
from ..spec import LANGUAGES, RuleSpec, is_bundled
from ..windows import MIN_LENGTH, finditer_in, reach, windows
from . import Hit, Kind

if TYPE_CHECKING:
    from ..context import LintContext


def compile_each(kind: Kind, key: str, patterns: list[str], flags: int) -> "list[regex.Pattern[str]]":
    """Compile each pattern, naming the bad one on error, whatever the reason it cannot compile.

    Sizes are estimated first (``pattern_size``): ``(a{10000}){10000}`` would not raise MemoryError but
    grow until the process is killed. Whatever still fails (RecursionError, OverflowError, MemoryError
    as well as regex.error) is the same rule error with the file and line, never a traceback.
    """
    compiled = []
    total = 0
    for p in patterns:
        if not isinstance(p, str):
            raise kind.error(key, "patterns must be strings")
        size, problem = measure(p)
        total += size
        if problem is None and total > MAX_TOTAL_NODES:
            problem = f"the rule's {key} together compile to more than {MAX_TOTAL_NODES:,} steps"
        if problem is not None:
            raise kind.error(key, f"regular expression {_shown(p)} cannot be used: {problem}")
        try:
            compiled.append(compile_pattern(p, flags))
        except regex.error as exc:
            raise kind.error(key, f"invalid regular expression {_shown(p)}: {exc}") from None
        except (RecursionError, MemoryError, OverflowError, ValueError, TypeError) as exc:
            reason = {RecursionError: "it is nested too deeply", MemoryError: "it needs too much memory"}.get(
                type(exc), str(exc) or type(exc).__name__)
            raise kind.error(key, f"regular expression {_shown(p)} cannot be compiled: {reason}") from None
    return compiled


class LazyPattern:
    """A bundled rule's pattern, compiled the first time a field could match it.

    Most patterns of a run never pass their literal gate, and the ``regex`` module's parser is written in
    Python: compiling every bundled pattern up front was most of the cost of linting one small file. Only
    bundled packs, which the test suite compiles, are lazy; a user's patterns are compiled (and any error
    named with its file and line) when the config loads.
    """

    __slots__ = ("source", "flags", "_compiled")

    def __init__(self, source: str, flags: int) -> None:
        self.source = source
        self.flags = flags
        self._compiled: Optional[regex.Pattern[str]] = None

    def compiled(self) -> "regex.Pattern[str]":
        if self._compiled is None:
            self._compiled = compile_pattern(self.source, self.flags)
        return self._compiled

    def finditer(self, *args, **kwargs):
        return self.compiled().finditer(*args, **kwargs)

    def search(self, *args, **kwargs):
        return self.compiled().search(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)


def _finditer(pattern, text: str, timeout: Optional[float]) -> Iterator:
    # Without the keyword when there is no limit: even ``timeout=None`` costs the ``regex`` module half a µs.
    return pattern.finditer(text) if timeout is None else pattern.finditer(text, timeout=timeout)


def _shown(pattern: str) -> str:
    """Return a pattern for an error message, shortened: a refused one may be thousands of characters."""
    return repr(pattern) if len(pattern) <= 80 else f"{pattern[:60]!r}... ({len(pattern):,} characters)"


_NOT_SEPARABLE = compile_pattern(r"\(\?[a-zA-Z]+\)|\\[1-9]|\\[gk]<|\(\?P[=>]|\(\?\(|\(\?(?:[+-]?\d|R|&)")
"""What makes an exception depend on the others when joined: a global flag (in the regex module's V0 it applies
to the whole pattern), a group referred to by number (numbered across the join) or by a name, a conditional, a
group called as a subroutine or the whole pattern recursively."""


class ExceptionPart(LazyPattern):
    """One of a rule's exceptions, with the literals one of which any of its matches holds (lower-cased)."""

    __slots__ = ("literals",)

    def __init__(self, source: str, flags: int, literals: frozenset[str]) -> None:
        super().__init__(source, flags)
        self.literals = literals

    def could_match(self, lower: str, wide: bool) -> bool:
        """Tell whether the text (``lower``: in lower case; ``wide``: not ASCII) holds one of the literals."""
        return any(wide if literal == NON_ASCII else literal in lower for literal in self.literals)


def _holds_one_of_each(sets: tuple[frozenset[str], ...], present: frozenset[str]) -> bool:
    """Tell whether a field whose literals are ``present`` holds one literal of each set."""
    for options in sets:
        if options.isdisjoint(present):
            return False
    return True


def _exception_parts(exceptions: list[str], flags: int, ignorecase: bool) -> Optional[list[ExceptionPart]]:
    """Return the exceptions as parts to search one by one, or None when they must be searched together (fewer
    than two, one without known literals, or one that depends on the others)."""
    if len(exceptions) < 2 or any(_NOT_SEPARABLE.search(e) for e in exceptions):
        return None
    parts = []
    for e in exceptions:
        literals = required_literals(e, ignorecase)
        if literals is None:
            return None
        parts.append(ExceptionPart(e, flags, literals))
    return parts


def _first_alternatives(parts: list[ExceptionPart], text: str) -> Optional[list]:
    """Return the matches ``finditer`` of the parts' alternation finds, from one search per part and position:
    at each place the leftmost match, of the first part matching there; the next search starts at its end.
    None when a match is empty (where the next search starts after one is the alternation's to say)."""
    patterns = [part.compiled() for part in parts]
    nexts = [p.search(text) for p in patterns]
    found = []
    pos = 0
    while True:
        best = None
        for n, m in enumerate(nexts):
            if m is not None and m.start() < pos:
                m = nexts[n] = patterns[n].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return found
        if best.end() == best.start():
            return None
        found.append(best)
        pos = best.end()


UNTIMED_LENGTH = 2_000
"""Characters of a field (Amazon's longest field, the description, holds 2,000) that a bundled rule's patterns
search without a time limit."""


class Existence(Kind):
    """Report every match of the rule's patterns."""

    options_schema = {"patterns": (list, dict), "exceptions": list, "ignorecase": bool, "requires": str}
    required = ("patterns",)

    def __init__(self, spec: RuleSpec, text: str = "") -> None:
        super().__init__(spec, text)
        flags = regex.V0 | (regex.IGNORECASE if self.opt("ignorecase", True) else 0)
        ignorecase = bool(flags & regex.IGNORECASE)
        raw = self.opt("patterns")
        if raw is None:
            raw = {}  # a kind built on this one (concept) may have no patterns
        by_lang = raw if isinstance(raw, dict) else {"any": raw}
        # A plain list is reported as `patterns`; a table names the language's list.
        key_of = (lambda lang: f"patterns.{lang}") if isinstance(raw, dict) else (lambda lang: "patterns")
        self.bundled = bundled = is_bundled(spec)
        # Each pattern is searched only in text holding one of its required literals (see literals.py).
        self.patterns: list[tuple[str, regex.Pattern[str], Optional[frozenset[str]]]] = []
        self.also: list[tuple[frozenset[str], ...]] = []
        """Per pattern, the other literal sets a match holds one of each of: a field holding its gate's literal
        but missing one of these ("before" without "review", "leave", "write") is not searched."""
        self.reach: list = []
        """Per pattern, the runs of blanks a match reaches from its literal (windows.py), None (not windowed) or,
        until a long field first asks, the pattern's source: a long field is searched only around its
        literals. (Looked up on first use: a small file's run never reads the file of reaches.)"""
        self._ignorecase = ignorecase
        for lang, pats in by_lang.items():
            if lang not in LANGUAGES:
                raise self.error("patterns", f"unknown language {lang!r} (expected {', '.join(LANGUAGES)})")
            if not isinstance(pats, list) or not pats:
                raise self.error("patterns", f"{key_of(lang)} must be a non-empty list of strings")
            if bundled:
                if not all(isinstance(x, str) for x in pats):
                    raise self.error(key_of(lang), "patterns must be strings")
                compiled_each = [LazyPattern(x, flags) for x in pats]
            else:
                compiled_each = compile_each(self, key_of(lang), pats, flags)
            for p, compiled in zip(pats, compiled_each):
                sets = required_literal_sets(p, ignorecase)
                self.patterns.append((lang if lang != "any" else "en", compiled, None if sets is None else sets[0]))
                self.also.append(() if sets is None else sets[1:])
                self.reach.append(p if sets is not None else None)
        exceptions = self.opt("exceptions", [])
        if not bundled:
            compile_each(self, "exceptions", exceptions, flags)  # name a bad one before joining them
        joined = "|".join(f"(?:{e})" for e in exceptions)
        self.exceptions = (LazyPattern(joined, flags) if bundled else compile_pattern(joined, flags)) if exceptions else None
        self._exception_parts = _exception_parts(exceptions, flags, ignorecase) if bundled else None
        requires = self.opt("requires")
        self.requires = None if requires is None else (
            LazyPattern(requires, flags) if bundled else compile_each(self, "requires", [requires], flags)[0])
        """Searched once in a field before the patterns: where it finds nothing, none of them can match."""
        self.by_literal: dict[str, list[int]] = {}
        """Literal -> the patterns (by position) that need it, so a field visits only patterns it can match."""
        self.ungated = [i for i, (_, _, lits) in enumerate(self.patterns) if lits is None]
        for i, (_, _, lits) in enumerate(self.patterns):
            for lit in lits or ():
                self.by_literal.setdefault(lit, []).append(i)
        self.literal_keys = frozenset(self.by_literal)
        self.literals_wanted = frozenset().union(*(options for sets in self.also for options in sets))
        """The literals of the other sets: the engine's literal pass finds them with the gates' own."""
        gates = [lits for _, _, lits in self.patterns]
        self.literals: Optional[frozenset[str]] = (
            frozenset().union(*gates) if all(g is not None for g in gates) else None)
        """Every pattern's literals: a listing or field holding none of them is skipped."""
        # Only literals gate whole listings: a pattern anchored with ^ or $ must see each field on its own.
        self.listing_literals = self.literals

    def fields_to_check(self, listing, fields, ctx):  # type: ignore[override]
        """Return the fields holding one of the rule's literals."""
        literals = self.literals
        if literals is None:
            return fields
        if self.listing_literals is None and literals.isdisjoint(ctx.literals_in_listing(listing)):
            # A rule that also looks for concepts (kinds/concept.py) is run on every listing; the engine asks the
            # others only of listings holding one of their literals.
            return []
        by_field = ctx.literals_by_field(listing)
        return [field for field in fields
                if not literals.isdisjoint(by_field.get(id(field)) or ctx.literals_in(field))]

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Search each field for the patterns its literals allow."""
        for field in fields:
            try:
                yield from self._search(field, ctx.literals_in(field), ctx)
            except TimeoutError as exc:
                exc.field = field  # type: ignore[attr-defined]  # the engine reports the timeout here
                exc.limit = self._timeout(field.text, ctx)  # type: ignore[attr-defined]  # and the limit it met
                raise

    def _timeout(self, text: str, ctx: "LintContext") -> Optional[float]:
        """Return the time limit of a search of this text (None: none, see UNTIMED_LENGTH)."""
        return ctx.time_limit(len(text)) if not self.bundled or len(text) > UNTIMED_LENGTH else None

    def _exceptions_in(self, text: str, ctx: "LintContext") -> Iterator:
        """Return the matches of the rule's exceptions in a text (``exceptions``: their alternation).

        Where the search has no time limit (a bundled rule on a field of up to UNTIMED_LENGTH characters), only
        the exceptions whose required literals the text holds are searched, each on its own, and their matches
        are merged as the alternation finds them: an exception that cannot match anywhere in the text changes no
        match of the alternation, and the ``regex`` module searches an alternation of many exceptions several
        times slower than its parts (sales-claim's 16, joined, took 146 µs a field with a claim; apart, 77 µs).
        """
        timeout = self._timeout(text, ctx)
        parts = self._exception_parts
        if parts is None or timeout is not None:
            return _finditer(self.exceptions, text, timeout)
        lower = text.lower()
        wide = not text.isascii()
        chosen = [part for part in parts if part.could_match(lower, wide)]
        if not chosen:
            return iter(())
        if len(chosen) == 1:
            return chosen[0].compiled().finditer(text)
        found = _first_alternatives(chosen, text)
        # An empty match would need finditer's rule for where the next search starts: the alternation decides.
        return iter(found) if found is not None else self.exceptions.finditer(text)

    def _search(self, field: Field, present: frozenset[str], ctx: "LintContext") -> Iterator[Hit]:
        text = field.text
        timeout = self._timeout(text, ctx)
        requires = self.requires
        if requires is not None:
            if type(requires) is LazyPattern:
                requires = self.requires = requires.compiled()
            if requires.search(text, timeout=timeout) is None:
                return
        taken: Optional[Claimed] = None  # made at the first match: most searches find none
        excepted: Optional[Fixed] = None
        by_literal = self.by_literal
        # The field's literals are those of every rule: intersected in C, only this rule's are looked up.
        found = self.literal_keys.intersection(present)
        if len(found) == 1 and not self.ungated:
            order = by_literal[next(iter(found))]  # most fields: one literal, whose patterns are listed in order
        else:
            candidates = set(self.ungated)
            for lit in found:
                candidates.update(by_literal[lit])
            order = sorted(candidates)
        patterns = self.patterns
        # A long ASCII field is searched only around the literals of a pattern whose matches reach a few words.
        windowed = len(text) >= MIN_LENGTH and text.isascii()
        lower = None
        for index in order:
            also = self.also[index]
            if also and not _holds_one_of_each(also, present):
                continue
            lang, pattern, literals = patterns[index]
            if type(pattern) is LazyPattern:
                pattern = pattern.compiled()
                patterns[index] = (lang, pattern, literals)  # compiled now: searched directly from here on
            spans = None
            runs = self.reach[index] if windowed else None
            if type(runs) is str:
                runs = self.reach[index] = reach(runs, self._ignorecase)
            if runs is not None:
                if lower is None:
                    lower = text.lower()
                spans = windows(text, lower, literals.intersection(present), runs)
            # Matched in full before the hits go out: the timeout measures the pattern, not the fixes and
            # findings built from each hit while the search waits.
            found = _finditer(pattern, text, timeout) if spans is None else finditer_in(pattern, text, spans, timeout)
            for m in list(found):
                start, end = m.span()
                if taken is None:
                    taken = Claimed()
                if start == end or taken.overlaps(start, end):
                    continue
                if self.exceptions is not None:
                    if excepted is None:
                        excepted = Fixed(x.span() for x in self._exceptions_in(text, ctx))
                    if excepted.overlaps(start, end):
                        continue
                taken.add(start, end)
                yield Hit(field, start, end, lang=lang, values={"match": m.group(0)})
