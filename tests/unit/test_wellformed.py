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


_KINDS = ("title", "bullet", "description", "insert_card", "search_terms")
_COPY_PIECES = list(" \t\n\r\x0b\x0c\x1c.,;:!?|/-()[]{}\"'&_019aAzZ") + [
    "at", "to", "for", "and", "or", "the", "in", "with", "call", "email", "Email", "AT", "To", "the in", "via", "from",
    "don't", "e-mail", "  ", "..", "...", ". .", " ,", "( )", '""', "Tel:", "us", "of", "an", "a", "by", "on"]


def _compiled_and_twin(text: str, kind: str) -> tuple[dict, dict]:
    compiled = wellformed._ascii_shapes(text, kind != "search_terms", kind in wellformed.PROSE, wellformed._WORD_LISTS)
    return dict(compiled), dict(wellformed.py_shapes(text, kind))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_COPY_PIECES), max_size=30).map("".join), st.sampled_from(_KINDS))
def test_the_compiled_count_equals_its_python_twin(text, kind):
    """ASCII copy's shapes are counted in C (``_heuristics.ascii_shapes``): every shape, in every field kind, as
    the twin's patterns count it, with the spaces ``regex`` reads and the ones it does not (\\x1c)."""
    if wellformed._ascii_shapes is None or not text.strip():
        return
    compiled, twin = _compiled_and_twin(text, kind)
    assert compiled == twin


def test_the_compiled_count_equals_its_twin_on_every_shape_and_real_copy():
    """20,000 made-up texts find every shape often, and the compiled count equals the twin's on each; so it does
    on every ASCII field of the real listings, read as each field kind."""
    import random

    if wellformed._ascii_shapes is None:
        return
    rng = random.Random(1)
    seen: dict[str, int] = {}
    for _ in range(20000):
        text = "".join(rng.choice(_COPY_PIECES) for _ in range(rng.randint(1, 14)))
        if not text.strip():
            continue
        kind = rng.choice(_KINDS)
        compiled, twin = _compiled_and_twin(text, kind)
        assert compiled == twin, (text, kind)
        for shape in twin:
            seen[shape.split(" '")[0]] = seen.get(shape.split(" '")[0], 0) + 1
    assert len(seen) == 10 and min(seen.values()) > 200, seen  # every ASCII shape, dangling words included
    fields = 0
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        for text in (r["title"], *(r.get("bullets") or []), r.get("description") or ""):
            if text.isascii() and text.strip():
                for kind in ("title", "bullet", "search_terms"):
                    compiled, twin = _compiled_and_twin(text, kind)
                    assert compiled == twin, (text, kind)
                    fields += 1
    assert fields > 30000
