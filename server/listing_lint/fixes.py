"""Layer 4 (fixes): apply fixes to a document's text, safely and repeatedly until nothing changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from .diagnostics import Applicability, Edit, Finding


def select_edits(findings: Iterable[Finding], threshold: Applicability) -> list[Edit]:
    """Pick the main fix of each finding at or above ``threshold``, skipping any that overlap one already picked."""
    chosen: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        fix = finding.fix
        if fix is None or not fix.applies(threshold):
            continue
        spans = [(e.start, e.end) for e in fix.edits]
        if any(a < d and c < b or (a == b == c == d) for a, b in spans for c, d in taken):
            continue
        if any(a <= c < b or a < d <= b for a, b in spans for c, d in taken if c == d):
            continue
        taken.extend(spans)
        chosen.extend(fix.edits)
    return sorted(chosen, key=lambda e: (e.start, e.end))


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
    text: str, lint_text: Callable[[str], list[Finding]], threshold: Applicability, max_passes: int = 10
) -> tuple[str, int, list[Finding]]:
    """Apply fixes until no fixable finding remains; return the text, the number of fixes and what is left.

    A pass that adds a finding of any rule is thrown away, so a fix can never make things worse.
    """
    findings = lint_text(text)
    applied = 0
    for _ in range(max_passes):
        edits = select_edits(findings, threshold)
        if not edits:
            break
        new_text = apply_edits(text, edits)
        new_findings = lint_text(new_text)
        before, after = Counter(f.rule for f in findings), Counter(f.rule for f in new_findings)
        if new_text == text or any(after[rule] > before[rule] for rule in after) or after == before:
            break
        text, findings = new_text, new_findings
        applied += len(edits)
    return text, applied, findings
