"""A rule's pattern search is stopped at the rule time limit and reported there; a bundled rule's patterns search
fields of an ordinary length (up to Amazon's 2,000-character description) without the limit, whose clock reads
cost more than most searches (engine/kinds/existence.py)."""

from __future__ import annotations

from listing_lint import Config
from listing_lint.engine.kinds.existence import UNTIMED_LENGTH
from listing_lint.engine.lint import MAX_PER_RULE_AND_FIELD, RuleSet
from listing_lint.model import Field, FieldKind, Listing

COPY = "Warranty: N/A; Pencil Type: N/A; "


def _lint(text: str, limit: float) -> list:
    rules = RuleSet(Config(select=("placeholder-text",)))
    rules.context.regex_timeout = limit
    return rules.lint(Listing(fields=(Field(FieldKind.DESCRIPTION, text, 0),), text=text, path="x.listing.md"))


def test_a_bundled_pattern_keeps_the_time_limit_on_a_field_longer_than_an_ordinary_one():
    text = (COPY * 200)[:UNTIMED_LENGTH + 1]
    stopped = [f for f in _lint(text, 1e-9) if "timed out" in f.message]  # a limit no search can meet
    assert len(stopped) == 1 and "rule placeholder-text timed out" in stopped[0].message


def test_a_bundled_pattern_searches_an_ordinary_field_to_its_end():
    text = (COPY * 200)[:UNTIMED_LENGTH]
    findings = _lint(text, 1e-9)
    assert not [f for f in findings if "timed out" in f.message]
    # Every N/A was found: those past the per-field cap are counted in the last finding.
    more = text.count("N/A") - MAX_PER_RULE_AND_FIELD
    assert len(findings) == MAX_PER_RULE_AND_FIELD + 1 and findings[-1].message.startswith(f"{more} more ")


def test_the_limit_grows_with_the_field_and_the_finding_names_the_limit_it_met():
    # One more limit's worth per 50,000 characters: a search's work grows with the text, and a 1.2 MB field of
    # 20,000 claims once ran past a fixed second on a slow machine and lost its findings.
    text = (COPY * 4_000)[:100_000]
    stopped = [f for f in _lint(text, 1e-9) if "timed out" in f.message]
    assert len(stopped) == 1
    assert "rule placeholder-text timed out after 3e-09s on description (100,000 characters)" in stopped[0].message
