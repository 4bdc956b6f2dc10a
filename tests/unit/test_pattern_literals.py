"""The shipped literals and reach of the bundled patterns (rules/data/pattern-literals.json, pattern-reach.json)
are complete and current."""

from __future__ import annotations

import json

from listing_lint.engine.literals import SHIPPED, analyse_literals, required_literals
from listing_lint.engine.spec import bundled_rules_dir

from conftest import ROOT, load_script



def _builder():
    return load_script(ROOT / "scripts" / "build_pattern_literals.py")


def test_shipped_literals_are_those_of_the_current_patterns():
    shipped = json.loads((bundled_rules_dir() / "data" / SHIPPED).read_text("utf-8"))
    assert shipped == _builder().build(), "a bundled pattern changed: run python scripts/build_pattern_literals.py"


def test_shipped_reach_is_that_of_the_current_patterns():
    from listing_lint.engine.windows import SHIPPED as REACH

    shipped = json.loads((bundled_rules_dir() / "data" / REACH).read_text("utf-8"))
    assert shipped == _builder().build_reach(), "a bundled pattern changed: run python scripts/build_pattern_literals.py"


def test_a_pattern_not_shipped_is_analysed():
    pattern = r"\bcall us on whatsapp\b"
    assert required_literals(pattern, True) == analyse_literals(pattern, True)
    assert required_literals(pattern, True) is not None


def test_every_bundled_pattern_compiles():
    """Bundled patterns are compiled on first use, not when the rules load: this is where a bad one shows."""
    import regex

    for pattern, ignorecase in _builder().bundled_patterns():
        regex.compile(pattern, regex.V0 | (regex.IGNORECASE if ignorecase else 0))
