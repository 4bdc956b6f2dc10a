"""Layer 3 (engine): run a rule's bad/good examples, so a rule's documentation is also its test."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..diagnostics import Applicability
from ..fixes import fix_text
from .lint import RuleSet, example_config, single_field_listing
from .spec import Example, Pack, RuleSpec


def example_ruleset(pack: Pack, spec: RuleSpec, example: Example) -> RuleSet:
    """Return a rule set holding just ``spec``, configured as the example asks."""
    base = Path(pack.path) if Path(pack.path).is_dir() else Path(pack.path).parent
    config = example_config(pack.example_config, example.config, base)
    if (base / "lexicons").is_dir():
        # A user pack's examples run with the words its own lexicons add.
        config = config.merged(rule_packs=(*config.rule_packs, pack.path))
    return RuleSet(config, specs=[spec])


def check_example(pack: Pack, spec: RuleSpec, example: Example) -> Optional[str]:
    """Return why an example fails, or None when it behaves as written."""
    rules = example_ruleset(pack, spec, example)
    field = example.field or spec.fields[0]

    def lint(text: str):
        return [f for f in rules.lint(single_field_listing(text, field)) if f.rule == spec.name]

    found = lint(example.text)
    if not example.bad:
        if found:
            return f"good example {example.text!r} is flagged: {found[0].message}"
        return None
    if not found:
        return f"bad example {example.text!r} is not flagged"
    if example.severity is not None and not any(f.severity == example.severity for f in found):
        return (f"bad example {example.text!r} is flagged as {found[0].severity.label}, "
                f"expected {example.severity.label}")
    if example.fixed is not None:
        fixed, _, _ = fix_text(example.text, lint, Applicability.UNSAFE)
        if fixed != example.fixed:
            return f"fixing {example.text!r} gives {fixed!r}, expected {example.fixed!r}"
    return None
