"""Layer 4 (fixes): apply fixes to a document's text, safely and repeatedly until nothing changes."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Optional

from .diagnostics import Applicability, Edit, Finding

MAX_RETRIES = 4
"""Times a pass is retried without the fixes that made new findings, before the loop stops."""


def select_edits(findings: Iterable[Finding], threshold: Applicability) -> list[Edit]:
    """Pick the main fix of each finding at or above ``threshold``, skipping any that overlap one already picked.

    The spans taken so far are kept sorted and never overlap, so each check looks at a few neighbours found
    by bisection: fix-all over thousands of findings stays O(n log n).
    """
    return [edit for edit, _ in _select(findings, threshold, {})]


def _select(findings: Iterable[Finding], threshold: Applicability,
            passed_over: dict[Finding, int], text: Optional[str] = None) -> list[tuple[Edit, Finding]]:
    """Return the edits ``select_edits`` picks, each with its finding, sorted; a finding in ``passed_over``
    gives its n-th fix that applies instead of its first (none when it has no more).

    With the ``text``, a fix that takes words around its finding ("Call us at", "售后请拨打") waits for the next
    pass when another such fix in the same sentence of the same field is picked: each was planned as if the
    other's words stayed ("Call 555 … or email x" would lose both and keep "or"), so it is planned again on
    the text the first one left. A fix that takes only its finding ("<b>") never waits.
    """
    chosen: list[tuple[Edit, Finding]] = []
    starts: list[int] = []
    taken: list[tuple[int, int]] = []
    by_field: dict[str, list[tuple[int, int]]] = {}
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        fix = finding.fix
        if finding in passed_over:
            usable = [f for f in finding.fixes if f.applies(threshold)]
            fix = usable[passed_over[finding]] if passed_over[finding] < len(usable) else None
        if fix is None or not fix.applies(threshold):
            continue
        spans = [(e.start, e.end) for e in fix.edits]
        if any(_clashes(starts, taken, a, b) for a, b in spans):
            continue
        if text is not None and _takes_words(text, finding, spans):
            mine = by_field.setdefault(finding.field, [])
            if any(_one_sentence(text, span, other) for span in spans for other in mine):
                continue
            mine.extend(spans)
        for span in spans:
            at = bisect_right(taken, span)
            taken.insert(at, span)
            starts.insert(at, span[0])
        chosen.extend((edit, finding) for edit in fix.edits)
    return sorted(chosen, key=lambda pair: (pair[0].start, pair[0].end))


_SENTENCE_END = frozenset(".!?。！？\n")


def _takes_words(text: str, finding: Finding, spans: list[tuple[int, int]]) -> bool:
    """Tell whether a fix's edits reach past its finding to a letter or digit (words its plan read around it)."""
    return any(any(c.isalnum() for c in text[a:min(b, finding.start)] + text[max(a, finding.end):b])
               for a, b in spans)


def _one_sentence(text: str, span: tuple[int, int], other: tuple[int, int]) -> bool:
    """Tell whether no sentence ends between two edits' spans (the earlier one's last character counted: a
    removed sentence takes its full stop)."""
    (a, b), (c, d) = sorted((span, other))
    return _SENTENCE_END.isdisjoint(text[max(a, b - 1):c])


def _clashes(starts: list[int], taken: list[tuple[int, int]], a: int, b: int) -> bool:
    """Tell whether ``[a, b)`` overlaps a taken span, or an insertion point sits inside or at either end of it."""
    k = bisect_right(starts, b) - 1
    # Taken spans do not overlap, so their ends rise with their starts: walk left until one ends before a.
    while k >= 0 and taken[k][1] >= a:
        c, d = taken[k]
        if (a < d and c < b) or (a == b == c == d):
            return True
        if c == d and (a <= c < b or a < d <= b):
            return True
        k -= 1
    return False


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply sorted, non-overlapping edits to text."""
    out = []
    pos = 0
    for edit in edits:
        out.append(text[pos:edit.start])
        out.append(edit.new_text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def fix_text(
    text: str, lint_text: Callable[[str], list[Finding]], threshold: Applicability, max_passes: int = 10,
    history: Optional[list[tuple[str, list[Edit]]]] = None,
) -> tuple[str, int, list[Finding]]:
    """Apply fixes until no fixable finding remains; return the text, the number of fixes and what is left.

    A fix may never leave a finding that was not there before: after each pass the new findings are
    matched with the old ones (same rule, overlapping once mapped back through the edits, or the same
    words). A finding with no match is new ("Neon Orange" losing "Neon" makes "Orange" read as a
    brand), so the fix of the edit nearest to it is taken back and the pass is tried again: with that
    finding's next fix if it has one (removing a sentence rather than rewording it past a length limit),
    else without it.
    ``history``, when given, receives each applied pass: the text it edited and its edits.
    """
    findings = lint_text(text)
    applied = 0
    for _ in range(max_passes):
        passed_over: dict[Finding, int] = {}
        chosen = _select(findings, threshold, passed_over, text)
        edits = [edit for edit, _ in chosen]
        new_text, new_findings = text, findings
        for _attempt in range(MAX_RETRIES):
            if not edits:
                break
            new_text = apply_edits(text, edits)
            new_findings = lint_text(new_text)
            fresh = new_findings_after(findings, new_findings, edits, text, new_text)
            if not fresh:
                break
            for i in _nearest(edits, fresh):
                owner = chosen[i][1]
                passed_over[owner] = passed_over.get(owner, 0) + 1
            chosen = _select(findings, threshold, passed_over, text)
            edits = [edit for edit, _ in chosen]
        else:
            edits = []
        if not edits or new_text == text:
            break
        if Counter(f.rule for f in new_findings) == Counter(f.rule for f in findings):
            break  # the fixes did not remove what they were for: stop rather than loop
        if history is not None:
            history.append((text, edits))
        text, findings = new_text, new_findings
        applied += len(edits)
    return text, applied, findings


class _PositionMap:
    """Maps offsets in the edited text back to the text before the edits."""

    def __init__(self, edits: list[Edit]) -> None:
        self.new_starts: list[int] = []
        self.edits = edits
        self.shift: list[int] = []
        delta = 0
        for e in edits:
            self.new_starts.append(e.start + delta)
            self.shift.append(delta)
            delta += len(e.new_text) - (e.end - e.start)

    def old(self, pos: int) -> int:
        """Return the old offset of a new one; inside an edit's new text, the edit's start."""
        k = bisect_right(self.new_starts, pos) - 1
        if k < 0:
            return pos
        edit = self.edits[k]
        inserted_end = self.new_starts[k] + len(edit.new_text)
        if pos < inserted_end:
            return edit.start
        return pos - (self.shift[k] + len(edit.new_text) - (edit.end - edit.start))


def new_findings_after(before: list[Finding], after: list[Finding], edits: list[Edit], old_text: str,
                       new_text: str) -> list[Finding]:
    """Return the findings of the edited text that have no counterpart in the text before the edits."""
    position = _PositionMap(edits)
    # Keyed by rule, not field: removing a whole bullet renumbers the bullets after it.
    old: dict[str, _Spans] = {}
    for f in before:
        old.setdefault(f.rule, _Spans()).add(f.start, f.end, old_text[f.start:f.end])
    fresh = []
    for f in after:
        spans = old.get(f.rule)
        if spans is None or not spans.matches(position.old(f.start), position.old(f.end), new_text[f.start:f.end]):
            fresh.append(f)
    return fresh


class _Spans:
    """One rule's findings before the edits: their spans (searchable by position) and their words."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int]] = []
        self.words: set[str] = set()
        self._ready = False
        self.starts: list[int] = []
        self.reach: list[int] = []

    def add(self, start: int, end: int, words: str) -> None:
        self.items.append((start, end))
        self.words.add(words)
        self._ready = False

    def matches(self, start: int, end: int, words: str) -> bool:
        """Tell whether a span overlaps (or equals) one of the spans, or has the same words as one."""
        if words in self.words:
            return True
        if not self._ready:
            self.items.sort()
            self.starts = [s for s, _ in self.items]
            self.reach, furthest = [], -1
            for _, e in self.items:
                furthest = max(furthest, e)
                self.reach.append(furthest)  # the furthest end of any span up to here
            self._ready = True
        k = bisect_right(self.starts, end) - 1
        while k >= 0 and self.reach[k] >= start:
            s, e = self.items[k]
            if (s < end and start < e) or (s == start and e == end):
                return True
            k -= 1
        return False


def _nearest(edits: list[Edit], fresh: list[Finding]) -> set[int]:
    """Return, for each new finding, the index of the edit nearest to its text (the one that changed it): an
    edit inside the finding's span before one beside it, so a fix elsewhere in the sentence is not the one
    taken back."""
    position = _PositionMap(edits)
    starts = [e.start for e in edits]
    drop: set[int] = set()
    for f in fresh:
        lo, hi = position.old(f.start), position.old(f.end)
        # The last edit starting before the span, and every edit starting inside it.
        first = max(bisect_right(starts, lo) - 1, 0)
        candidates = range(first, min(bisect_right(starts, hi) + 1, len(edits)))
        if candidates:
            drop.add(min(candidates, key=lambda i: _distance(edits[i], lo, hi)))
    return drop


def _distance(edit: Edit, lo: int, hi: int) -> int:
    if edit.start <= hi and lo <= edit.end:
        return 0
    return edit.start - hi if hi < edit.start else lo - edit.end
