"""Required-literal analysis: the strings any match must contain, which gate every rule pattern."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.engine.literals import NON_ASCII, LiteralIndex, required_literal_sets, required_literals

from conftest import ROOT, SHARED, load_script


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        pytest.param(r"\bbest[- ]?sell(?:er|ing)\b",
                     {"bestseller", "best-seller", "best seller", "bestselling", "best-selling", "best selling"},
                     id="every-spelling"),
        pytest.param(r"N\.?A\.?(?<=^[ \t]*N\.?A\.?)", {"na", "n.a"}, id="optional-dot-shortest-cover"),
        pytest.param(r"colou?r", {"color", "colour"}, id="optional-letter"),
        pytest.param(r"(?:a|b|c|d|e)(?:f|g|h|i|j)(?:k|l|m|n|o)x{2}yz",
                     {"kxxyz", "lxxyz", "mxxyz", "nxxyz", "oxxyz"}, id="too-many-spellings-then-a-run"),
        pytest.param(r"\d+(?:st|nd|rd|th) place", {"st place", "nd place", "rd place", "th place"}, id="unbounded-repeat-breaks-run"),
        pytest.param(r"(?:whatsapp|wechat|telegram)\b", {"whatsapp", "wechat", "telegram"}, id="alternation"),
        pytest.param(r"(?<=\b(?:ranked|rated) (?:the )?)#1", {"#1"}, id="variable-lookbehind-dropped"),
        pytest.param(r"[!$?_{}^]", set("!$?_{}^"), id="symbol-class"),
        pytest.param(r"[™®©\p{Extended_Pictographic}]+", {NON_ASCII}, id="non-ascii-class"),
        pytest.param(r"加微信|扫码", {"加微信", "扫码"}, id="cjk"),
        pytest.param(r"\d{3}-\d{4}", None, id="no-literal"),
        pytest.param(r"(?:buy|x)\s+now", {"now"}, id="weak-branch-skipped"),
        pytest.param(r"\p{L}+ sold", {" sold"}, id="unknown-property"),
        pytest.param(r"\b(?:5|five)[- ]?stars?(?: reviews?| ratings?| feedback) (?:would |will )?(?:mean|help|make)s?\b",
                     {"review", "rating", "feedback"}, id="one-long-item-over-every-spelling-of-the-run"),
        pytest.param(r"\btop[- ]?(?:seller|rated)", {"top seller", "top-seller", "topseller", "top rated", "top-rated",
                                                    "toprated"}, id="short-items-not-taken-alone"),
    ],
)
def test_required_literals(pattern, expected):
    found = required_literals(pattern, ignorecase=True)
    assert (None if found is None else set(found)) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # The run "before you leav" spelled every way and " review"; not "before" or "prior to" alone, as
        # "before" is a function word, in too many fields to tell anything.
        pytest.param(r"\b(?:before|prior to) (?:you )?(?:leav|writ|post)\w* (?:a |your )?review",
                     [{" review"}, {f"{a} {b}{c}" for a in ("before", "prior to") for b in ("", "you ")
                                    for c in ("leav", "writ", "post")}],
                     id="each-required-item"),
        # "at" or "on" is in nearly every field: not a set worth looking for.
        pytest.param(r"\bour (?:shop|store)\W+(?:at|on)\W+instagram", [{"instagram"}, {"our shop", "our store"}],
                     id="short-sets-dropped"),
        pytest.param(r"(?:whatsapp|wechat)\b", [{"whatsapp", "wechat"}], id="one-set"),
        pytest.param(r"\d{3}-\d{4}", None, id="no-literal"),
        pytest.param(r"(?:leave|write) (?:us )?a review|rate us",
                     [{"leave a review", "leave us a review", "write a review", "write us a review", "rate us"}],
                     id="a-branch-is-one-set"),
    ],
)
def test_required_literal_sets(pattern, expected):
    found = required_literal_sets(pattern, ignorecase=True)
    if expected is None:
        assert found is None
        return
    assert found[0] == required_literals(pattern, ignorecase=True)  # the rarest set gates the pattern
    assert list(map(set, found)) == expected


def _texts_for_soundness():
    import json

    texts = []
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        texts.extend([r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""])
    for path in [SHARED / "corpus" / "labelled-dev.jsonl", *sorted((ROOT / "bench" / "probes").glob("*.jsonl"))]:
        texts.extend(json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip())
    from listing_lint import Config
    from listing_lint.engine.lint import load_packs

    texts.extend(ex.text for pack in load_packs(Config()) for spec in pack.rules for ex in spec.examples)
    return [t for t in texts if t]


def test_every_match_of_every_bundled_pattern_holds_a_literal_of_each_set():
    """Soundness of the extra sets: a field missing one of them is not searched (kinds/existence.py), so each
    must be in every match, on every real, labelled, probe and example text a bundled pattern matches."""
    texts = [(t, t.lower(), not t.isascii()) for t in _texts_for_soundness()]
    patterns = load_script(ROOT / "scripts" / "build_pattern_literals.py").bundled_patterns()
    checked = matched = 0
    for pattern, ignorecase in patterns:
        sets = required_literal_sets(pattern, ignorecase)
        if sets is None or len(sets) < 2:
            continue
        compiled = regex.compile(pattern, regex.V0 | (regex.IGNORECASE if ignorecase else 0))
        checked += 1
        for text, lower, wide in texts:
            # A match holds a literal of the first set (tested above): only those texts are searched.
            if not any(wide if lit == NON_ASCII else lit in lower for lit in sets[0]) or not compiled.search(text):
                continue
            matched += 1
            for options in sets[1:]:
                assert any(wide if lit == NON_ASCII else lit in lower for lit in options), (pattern, options, text)
    assert checked > 100 and matched > 500, (checked, matched)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bbest[- ]?sell(?:er|ing)\b", "Our BEST-SELLING kettle"),
        (r"N\.?A\.?(?=$)", "Warranty: N.A."),
        (r"colou?r(?:ful)? (?:fast|safe)", "COLOUR-safe? no: colour safe"),
        (r"(?<=\b(?:ranked|rated) (?:the )?)#1", "rated the #1 pick"),
        (r"[™®©\p{Extended_Pictographic}]+", "Fast 🚀 charger"),
    ],
)
def test_every_match_holds_a_literal(pattern, text):
    """Soundness: if the pattern matches, the gate must let the text through."""
    assert regex.search(pattern, text, regex.I)
    literals = required_literals(pattern, ignorecase=True)
    present = LiteralIndex(set(literals)).present(text.lower())
    assert not literals.isdisjoint(present)


_LITERAL_ALPHABET = st.sampled_from(list("abprx #1.!?€好评星 \n") + ["pr", "pro", "prod", "好评返"])
_LITERALS = st.sets(st.lists(_LITERAL_ALPHABET, min_size=1, max_size=4).map("".join).filter(bool), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_LITERALS, st.lists(_LITERAL_ALPHABET, max_size=60).map("".join))
def test_the_compiled_literal_table_finds_what_the_automaton_finds(literals, text):
    """Every literal occurring anywhere, overlapping ones and those sharing their first characters included."""
    pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")
    expected = {lit for lit in literals if lit in text}
    marked = frozenset(expected | ({NON_ASCII} if not text.isascii() else set()))
    compiled, automaton = LiteralIndex(literals, compiled=True), LiteralIndex(literals, compiled=False)
    assert compiled.present(text) == automaton.present(text) == marked
    assert type(compiled.present(text)) is frozenset  # the engine keeps and shares each field's answer
    assert compiled.any_in(text) == automaton.any_in(text) == bool(expected)


@settings(max_examples=300, deadline=None)
@given(_LITERALS, st.lists(st.lists(_LITERAL_ALPHABET | st.sampled_from(list("PRXAB\u212a\u0130ÀÉ")), max_size=30)
                           .map("".join), max_size=5))
def test_a_listing_s_fields_are_read_in_one_call_as_one_by_one(literals, texts):
    """``present_each`` lowers ASCII text itself: the same as ``present`` of each text lowered, the Kelvin sign
    (lowered to an ASCII k) and a dotted capital I (to two characters) included."""
    pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")
    compiled, automaton = LiteralIndex(literals, compiled=True), LiteralIndex(literals, compiled=False)
    expected = tuple(compiled.present(text.lower()) for text in texts)
    assert compiled.present_each(texts) == automaton.present_each(texts) == expected


def test_the_compiled_literal_table_agrees_with_the_automaton_on_real_listings():
    """Every bundled rule's literals, on every field of the 2,862 real listings."""
    import json

    from listing_lint import Config
    from listing_lint.engine.lint import RuleSet

    from conftest import SHARED

    pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built")
    literals = {lit for rule in RuleSet(Config()).rules for _, _, lits in getattr(rule.kind, "patterns", ())
                for lit in lits or ()}
    assert len(literals) > 1000
    compiled, automaton = LiteralIndex(literals, compiled=True), LiteralIndex(literals, compiled=False)
    found = 0
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        for text in (r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""):
            present = compiled.present(text.lower())
            assert present == automaton.present(text.lower())
            found += len(present)
    assert found > 1000
