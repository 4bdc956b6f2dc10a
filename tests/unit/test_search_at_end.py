"""``edits.search_at_end`` finds what the forward search finds, for every end-anchored pattern a fix uses.

A contact's fix widens its span over the label, verb or preposition that carries it ("Email us at x");
each candidate is searched at the end of the sentence before the contact. The search asks the pattern in
reverse first, which is only sound when the pattern matches the same strings either way: these tests hold
it to that on real sentence starts, made-up ones and the words the patterns are made of.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.engine import fixwords as w
from listing_lint.engine.edits import search_at_end

from conftest import SHARED

NAMES = ("LABEL", "CONTACT_VERB", "CARRIER_PREP", "CJK_VERB", "CONJUNCTION_BEFORE")
"""The patterns ``carrier_span`` searches with ``search_at_end``."""


def _patterns():
    return [getattr(w, name) for name in NAMES]


def _same(pattern, text: str) -> None:
    forward = pattern.search(text)
    found = search_at_end(pattern, text)
    assert (found is None) == (forward is None), (pattern.pattern[:60], text)
    if found is not None:
        assert found.span() == forward.span(), text


@pytest.mark.parametrize("name", NAMES)
def test_the_patterns_match_the_same_strings_forward_and_backward(name):
    # An atomic group or a possessive quantifier can match different strings read from the other end.
    source = getattr(w, name).pattern
    assert "(?>" not in source
    assert not re.search(r"(?<!\\)[*+?}]\+", source)


def _sentence_starts():
    """Every prefix of every real sentence up to a word boundary: where a contact could stand."""
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        record = json.loads(line)
        for text in (record.get("title") or "", *(record.get("bullets") or []), record.get("description") or ""):
            for sentence in re.split(r"(?<=[.!?。！？])\s+", text)[:6]:
                for m in re.finditer(r"\s", sentence[:160]):
                    yield sentence[:m.end()]


def test_real_sentence_starts():
    patterns = _patterns()
    matched = 0
    for n, text in enumerate(_sentence_starts()):
        if n % 7:
            continue  # a seventh of the 200,000 starts is plenty, and keeps the test to a few seconds
        for pattern in patterns:
            _same(pattern, text)
            matched += pattern.search(text) is not None
    assert matched > 100  # real copy ends in "with", "for", "and", "at" often enough to test the matches


_WORDS = ["Email us at", "contact", "Tel:", "WhatsApp", "call", "please", "bitte", "kontaktieren Sie uns",
          "by", "at", "or", "and", "via", "E-Mail", "电话：", "请联系", "或", "、", "@", "📞", "us", "our team",
          "Kettle", "great", "écrivez-nous", "à", "visit", "support", "no.", "#", ":", ",", "(", "\n"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=3), max_size=8),
       st.sampled_from(["", " ", "  ", "\t", " \n"]))
def test_made_up_texts(parts, tail):
    text = " ".join(parts) + tail
    for pattern in _patterns():
        _same(pattern, text)
