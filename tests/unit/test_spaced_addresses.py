"""Web addresses written with spaces around their dots (and slashes) are found, and everyday prose is not."""

from __future__ import annotations

import pytest

from listing_lint import Config
from listing_lint.engine.lint import RuleSet, single_field_listing
from listing_lint.model import FieldKind


@pytest.fixture(scope="module")
def rules():
    return RuleSet(Config(select=("external-url",)))


def _found(rules, text):
    return [text[f.start:f.end] for f in rules.lint(single_field_listing(text, FieldKind.BULLET, "x"))]


@pytest.mark.parametrize("text, address", [
    ("Visit casabella . com for recipes.", "casabella . com"),
    ("Ricette su casabella . com / ricette", "casabella . com / ricette"),
    # A two-letter ending that is also a word ("it", "de") needs a path after it.
    ("Trovi i video tutorial su casabella . it / tutorial", "casabella . it / tutorial"),
    ("Anleitung unter kuechenwelt . de / anleitung", "kuechenwelt . de / anleitung"),
])
def test_spaced_dots_are_read(rules, text, address):
    assert _found(rules, text) == [address]


@pytest.mark.parametrize("text", [
    "Love it . It works every day.",
    "I use it . it is great.",
    "Love it . it / works",         # an everyday word before the dot is prose, path or not
    "Besuchen Sie casabella . de",  # a word ending without a path could be a stray space
    "Sizes S . M / L available.",
])
def test_stray_spaces_are_not_addresses(rules, text):
    assert _found(rules, text) == []
