"""Every example in every bundled rule pack runs as a test (prh's specs, proselint's examples)."""

from __future__ import annotations

import pytest

from listing_lint.config import Config
from listing_lint.engine.examples import check_example
from listing_lint.engine.lint import load_packs

PACKS = load_packs(Config())
CASES = [
    pytest.param(pack, spec, ex, id=f"{spec.id}-{spec.name}-{'bad' if ex.bad else 'good'}-{n}")
    for pack in PACKS
    for spec in pack.rules
    for n, ex in enumerate(spec.examples)
]


@pytest.mark.parametrize(("pack", "spec", "example"), CASES)
def test_example(pack, spec, example):
    failure = check_example(pack, spec, example)
    assert failure is None, failure
