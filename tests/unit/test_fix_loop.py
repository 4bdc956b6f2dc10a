"""Issue 14: the fix loop never creates a finding, never edits outside what was flagged, and stays O(n log n)."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint import Config
from listing_lint.diagnostics import Applicability, Edit, Finding, Fix, Severity
from listing_lint.document import fix_document, lint_text
from listing_lint.engine.lint import ruleset_for
from listing_lint.fixes import _PositionMap, fix_text, new_findings_after, select_edits

from conftest import SHARED, real_brands

CORPUS = SHARED / "corpus"


def _doc(title: str, description: str = "") -> str:
    return f"---\nsku: S1\n---\n# Title\n{title}\n" + (f"## Description\n{description}\n" if description else "")


@pytest.mark.parametrize(("first", "second"), [("Neon", "Orange"), ("Lime", "Green"), ("Ruby", "Red")])
def test_a_fix_that_would_make_a_new_finding_is_taken_back(first, second):
    """Removing the first name makes the second read as a brand: that removal is not applied."""
    config = Config(competitors=(first, second))
    title = f"Kinetic Sand 14 oz {first} {second}"
    doc = _doc(title, f"Soft sand. Works like {second}.")
    fixed, applied, result = fix_document("a.listing.md", doc, config, Applicability.UNSAFE)
    assert title in fixed  # the title keeps both words
    assert f"like {second}" not in fixed  # the comparison elsewhere is still fixed
    assert applied >= 1
    before = {(f.rule, doc[f.start:f.end]) for f in lint_text("a.listing.md", doc, config).findings}
    after = {(f.rule, fixed[f.start:f.end]) for f in result.findings}
    assert after <= before


def _finding(start: int, end: int, rule: str = "r", text: str = "") -> Finding:
    from listing_lint.diagnostics import Severity

    return Finding(code="X001", rule=rule, severity=Severity.ERROR, message="m", start=start, end=end, field="title",
                   url="", fixes=(Fix("Remove", (Edit(start, end, text),), Applicability.SAFE),))


def test_the_fix_taken_back_is_the_one_inside_the_new_finding_not_a_closer_one_beside_it():
    """Removing "ccc" reveals a finding on "BBB"; "AAA " ends nearer to it, but only the removal touching it goes."""

    def lint(t: str) -> list[Finding]:
        found = []
        if "AAA" in t:
            found.append(_finding(t.index("AAA"), t.index("AAA") + 4))
        if "ccc" in t:
            found.append(_finding(t.index("ccc") - 1, t.index("ccc") + 3, "c"))
        elif "BBB" in t:
            at = t.index("BBB")
            found.append(Finding(code="X002", rule="n", severity=Severity.ERROR, message="m", start=at, end=at + 3,
                                 field="title", url=""))
        return found

    fixed, applied, left = fix_text("AAA x BBB ccc", lint, Applicability.SAFE)
    assert (fixed, applied) == ("x BBB ccc", 1)
    assert [f.rule for f in left] == ["c"]


def test_findings_moved_by_the_edits_are_not_new():
    old_text = "aaa BRAND bbb LONG"
    edits = [Edit(4, 10, "")]  # "BRAND " goes
    new_text = "aaa bbb LONG"
    before = [_finding(4, 9), _finding(14, 18, "long")]
    after = [_finding(8, 12, "long")]
    assert new_findings_after(before, after, edits, old_text, new_text) == []
    moved_elsewhere = [_finding(0, 3, "long")]
    assert new_findings_after(before, moved_elsewhere, edits, old_text, new_text) == moved_elsewhere


def _select_reference(findings, threshold):
    """The plain pairwise definition select_edits must agree with (it was the implementation, O(n^2))."""
    chosen, taken = [], []
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


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6)), max_size=25))
def test_select_edits_matches_the_pairwise_definition(spans):
    findings = [_finding(s, s + n, text="x" if n == 0 else "") for s, n in spans]
    assert select_edits(findings, Applicability.SAFE) == _select_reference(findings, Applicability.SAFE)


def test_fix_all_of_many_links_is_not_quadratic():
    def run(n: int) -> float:
        doc = _doc("Kettle", "Visit www.vantora.com today. " * n)
        started = time.process_time()
        fix_document("a.listing.md", doc, Config(), Applicability.UNSAFE)
        return time.process_time() - started

    run(200)
    small, large = max(run(2_000), 0.05), run(20_000)
    assert large < 25 * small, (small, large)


def _records(n: int):
    with open(CORPUS / "real-listings.jsonl", encoding="utf-8") as stream:
        for line, _ in zip(stream, range(n)):
            yield json.loads(line)


def _as_markdown(r: dict) -> str:
    out = f"---\nsku: {r['id']}\n---\n# Title\n{r.get('title') or ''}\n"
    if r.get("bullets"):
        out += "## Bullet points\n" + "".join(f"- {b}\n" for b in r["bullets"])
    if r.get("description"):
        out += f"## Description\n{r['description']}\n"
    return out


def test_fix_all_on_real_listings_changes_nothing_outside_the_flagged_fixes():
    """--fix --unsafe-fixes on real listings with a long competitor list: no finding appears that was not
    there before, and every edit applied, in any pass, meets an edit that a fix of the original findings
    proposed (mapped back through the earlier passes; a later pass may reach further, as when removing the
    rest of a sentence whose first contact went in the pass before)."""
    config = Config(competitors=real_brands())
    rules = ruleset_for(config)
    measured = {r.spec.name for r in rules.rules if r.spec.kind in ("length", "count")}
    changed = 0
    for record in _records(500):
        doc = _as_markdown(record)

        def lint(text: str) -> list[Finding]:
            return lint_text("a.listing.md", text, config).findings

        original = lint(doc)
        allowed = [(e.start, e.end) for f in original for fix in f.fixes for e in fix.edits]
        history: list = []
        fixed, _, left = fix_text(doc, lint, Applicability.UNSAFE, history=history)
        # What a finding quotes is its identity, except for length and count findings, which quote the
        # overflow and shift as the text shrinks: those may only become fewer.
        assert {(f.rule, fixed[f.start:f.end]) for f in left if f.rule not in measured} <= {
            (f.rule, doc[f.start:f.end]) for f in original}
        assert not Counter(f.rule for f in left if f.rule in measured) - Counter(
            f.rule for f in original if f.rule in measured)
        if fixed == doc:
            continue
        changed += 1
        for n, (text, edits) in enumerate(history):
            for edit in edits:
                start, end = edit.start, edit.end
                for _, earlier in reversed(history[:n]):  # back to the original text's offsets
                    back = _PositionMap(earlier)
                    start, end = back.old(start), back.old(end)
                assert any(s <= end and start <= e for s, e in allowed), (record["id"], n, text[edit.start - 30:edit.end + 30])
    assert changed > 20
    assert rules is ruleset_for(config)


def test_a_fix_that_would_make_a_new_finding_falls_back_to_the_findings_next_fix():
    """The neutral request that replaces a review offer would take the bullet past 255 characters: that
    sentence is removed instead of being left as it was (found by test_fix_properties)."""
    offer = "Leave a 5-star review and get a free gift card!"
    rest = "Bamboo deck with a fiberglass core, " * 3 + "and trucks that turn in a tight circle."
    bullet = f"{offer} {offer} {rest}"
    assert len(bullet) == 243  # two requests (12 characters longer each) would make it 267
    doc = f"# Title\nLongboard\n\n## Bullet points\n- {bullet}\n"
    (first, second) = [f for f in lint_text("a.listing.md", doc, Config()).findings if f.rule == "review-incentive"]
    assert [fix.title.split()[0] for fix in first.fixes] == ["Replace", "Remove"]
    fixed, applied, result = fix_document("a.listing.md", doc, Config(), Applicability.UNSAFE)
    assert applied == 2 and "gift" not in fixed and rest in fixed
    assert fixed.count("honest review") == 1  # one sentence reworded, the other (past the limit) removed
    assert not [f.rule for f in result.findings]
