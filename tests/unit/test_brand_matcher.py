"""The competitor matcher finds every listed name wherever it stands, however many names share a first word."""

from __future__ import annotations

import pytest

from listing_lint.engine.detectors.brand import BrandMatcher

THE_NAMES = ["The North Face", "The Ordinary", "The First Years", "The Body Shop", "The Pioneer Woman", "The Noble Collection",
             "The Children's Place", "The Honest Company", "The", "Body Shop"]


def _found(matcher: BrandMatcher, text: str, ignore_case: bool = False) -> list[tuple[str, str]]:
    return [(text[s:e], entry.name) for s, e, entry in matcher.find(text, ignore_case)]


@pytest.mark.parametrize(("text", "ignore_case", "expected"), [
    ("Jacket like The North Face, warm", False, [("The North Face", "The North Face")]),
    ("Jacket like The North-Face", False, [("The North-Face", "The North Face")]),
    ("Jacket like The  North Face", False, [("The  North Face", "The North Face")]),
    ("THE NORTH FACE style", False, [("THE NORTH FACE", "The North Face")]),
    ("the north face jacket", True, [("the north face", "The North Face")]),
    ("Serum by The Ordinary.", False, [("The Ordinary", "The Ordinary")]),
    ("The Body Shop and Body Shop", False, [("The Body Shop", "The Body Shop"), ("Body Shop", "Body Shop")]),
    ("The Children's Place tee", False, [("The Children's Place", "The Children's Place")]),
    ("The Northern lights", False, [("The", "The")]),  # the next word must be the name's own, whole
], ids=["prose", "hyphen", "two-spaces", "capitals", "search-terms", "end-of-sentence", "longest-then-next",
        "apostrophe", "next-word-must-be-whole"])
def test_names_sharing_a_first_word_are_each_found(text, ignore_case, expected):
    assert _found(BrandMatcher(THE_NAMES), text, ignore_case) == expected
