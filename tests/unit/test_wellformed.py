"""The fix guard's shape counting: its shortcuts for ASCII copy find exactly what its full patterns find."""

from __future__ import annotations

import json

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.engine import wellformed
from listing_lint.engine.wellformed import ASCII_FORMS, GUARDS, shapes

from conftest import SHARED

_ASCII = st.lists(st.sampled_from(list("abcAZ09 \t\n.,;:!?-'&()[]{}\"|/") + ["at", "to", "and", "or", "email",
                                                                          " .", ". .", "..", "( ", "Tel:"]),
                  max_size=40).map("".join)
_PATTERNS = {
    "label with nothing after it": (wellformed.LABEL_AT_END, regex.MULTILINE),
    "doubled punctuation": (wellformed.DOUBLED, 0),
    "space before punctuation": (wellformed.SPACE_BEFORE, 0),
    "empty brackets or quotes": (wellformed.EMPTY_PAIR, 0),
    "separator at an end": (wellformed.EDGE_SEPARATOR, regex.MULTILINE),
    "dangling contact word": (wellformed.CJK_DANGLING, 0),
}


@settings(max_examples=500, deadline=None)
@given(_ASCII)
def test_the_ascii_forms_of_the_unicode_patterns_match_as_they_do(text):
    import re

    flags = {wellformed.FOLLOW: regex.MULTILINE | regex.IGNORECASE}
    for pattern, ascii_form in ASCII_FORMS.items():
        full = regex.compile(pattern, flags.get(pattern, 0))
        short = re.compile(ascii_form, flags.get(pattern, 0))
        assert [m.span() for m in full.finditer(text)] == [m.span() for m in short.finditer(text)], pattern
        for at in range(len(text) + 1):
            a, b = full.match(text, at), short.match(text, at)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (pattern, at)


_MIXED = st.lists(st.sampled_from(list("ab .,:-\n（）【】「」：，。、！？") + ["致电", "は", "まで", "Tel:", "é"]),
                  max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_ASCII, _MIXED))
def test_a_guard_is_false_only_where_its_pattern_finds_nothing(text):
    for shape, guard in GUARDS.items():
        pattern, flags = _PATTERNS[shape]
        if not guard(text, text.isascii()):
            assert not regex.findall(pattern, text, flags), (shape, text)


def test_the_guards_skip_most_scans_of_real_copy_and_count_the_same():
    """On real bullets most guards are false (the point of them), and every count equals the full scan's."""
    texts = []
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        texts.extend(json.loads(line).get("bullets") or [])
    texts = [t for t in texts if t.isascii()][:3000]
    skipped = 0
    for text in texts:
        found = shapes(text)
        for shape, guard in GUARDS.items():
            pattern, flags = _PATTERNS[shape]
            skipped += not guard(text, True)
            if shape != "dangling contact word":
                assert found.get(shape, 0) == len(regex.findall(pattern, text, flags)), (shape, text)
    assert skipped > len(texts) * 3
