"""Issue 14: reading and linting a whole document takes time linear in its size, whatever it holds.

Each shape is a .listing.md document grown to 10 KB and to 100 KB and linted end to end (reader, every
rule, findings and fixes) in the same process; the larger may take at most about ten times as long (25
allowed for noise on a shared machine), so a quadratic reader or rule, 100 times as slow, fails. As in
test_detector_scaling.py, a 10 KB time under FLOOR counts as FLOOR. ``bench/hostile_shapes.py`` prints the
same shapes (they are defined there) at 1 MB, with fix-all.
"""

from __future__ import annotations

import gc
import time
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint import Config
from listing_lint.document import lint_text
from listing_lint.engine.lint import MAX_PER_RULE_AND_FIELD
from listing_lint.engine.normalize import fold

from conftest import ROOT, load_script

FLOOR = 0.02
CONFIG = Config()


BENCH = load_script(ROOT / "bench" / "hostile_shapes.py")
"""bench/hostile_shapes.py, which prints the same documents at 1 MB."""
SHAPES = BENCH.SHAPES


def _doc(description: str) -> str:
    return f"---\nsku: S1\n---\n# Title\nKettle\n## Description\n{description}\n"


def _run(text: str, name: str = "shape.listing.md") -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        lint_text(name, text, CONFIG)
        return time.perf_counter() - start
    finally:
        gc.enable()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_linting_time_grows_linearly(shape):
    make = SHAPES[shape]
    name = BENCH.file_name(shape)
    small, large = make(10_000), make(100_000)
    _run(small, name)
    t_small = max(min(_run(small, name) for _ in range(2)), FLOOR)
    t_large = _run(large, name)
    if t_large / t_small >= 25:  # the machine is shared: a slow run is measured once more
        t_large = min(t_large, _run(large, name))
    assert t_large / t_small < 25, f"{shape}: {t_small * 1000:.0f} ms at 10 KB, {t_large * 1000:.0f} ms at 100 KB"


def test_findings_past_the_cap_are_one_summary_with_the_count():
    sentences = 3 * MAX_PER_RULE_AND_FIELD + 17
    result = lint_text("s.listing.md", _doc("Rate us 5 stars and get a gift card. " * sentences), CONFIG)
    per_rule: dict[str, list] = {}
    for f in result.findings:
        per_rule.setdefault(f.rule, []).append(f)
    incentive = per_rule["review-incentive"]
    assert len(incentive) == MAX_PER_RULE_AND_FIELD + 1
    summary = [f for f in incentive if "not listed" in f.message]
    assert len(summary) == 1
    assert f"{sentences - MAX_PER_RULE_AND_FIELD:,} more review-incentive findings in description" in summary[0].message
    assert summary[0].fix is None


def test_a_field_under_the_cap_gets_no_summary():
    result = lint_text("s.listing.md", _doc("Rate us 5 stars and get a gift card. " * 3), CONFIG)
    assert not any("not listed" in f.message for f in result.findings)


def _fold_reference(text: str) -> str:
    """The plain definition: each base character with its combining marks, NFKC-normalised and case-folded."""
    out, i = [], 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        out.append(unicodedata.normalize("NFKC", text[i:j]).casefold())
        i = j
    return "".join(out)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("aZé ™’-5.\n") + ["e\u0301", "\u0301", "\u0323\u0301", "Ａ", "ﬁ", "ß", "İ", "가",
                                                          "\u1100\u1161", "ǰ\u0323", "Ω", "レ"]), max_size=30).map("".join))
def test_fold_equals_its_definition_and_maps_every_character_back(text):
    folded, where = fold(text)
    assert folded == _fold_reference(text)
    if where is not None:
        assert len(where) == len(folded)
        assert where == sorted(where) and all(0 <= w < len(text) for w in where)
