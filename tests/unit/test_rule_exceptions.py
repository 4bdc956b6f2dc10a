"""A rule's exceptions, searched one by one where the text could hold them, match as their alternation does."""

from __future__ import annotations

import json
import random

import pytest

from listing_lint import Config
from listing_lint.engine.kinds.existence import Existence, _exception_parts
from listing_lint.engine.lint import RuleSet

from conftest import SHARED

RULES = RuleSet(Config(select=("ALL",)))
SPLIT = [r for r in RULES.rules if isinstance(r.kind, Existence) and r.kind._exception_parts]
PIECES = [
    "best seller", "Bestseller", "bestselling novel", "the best-selling author", "Best Seller paperback",
    "Der Bestseller-Roman", "autora best seller", "New York Times best seller", "#1 in Consumer Reports tests",
    "Nr. 1 bei Stiftung Warentest", "write your next bestseller", "How to Write a Bestseller", "become the number one",
    "keeps hot items hot", "hot items warm", "hot item", "for your bestsellers", "ベストセラー作家", "畅销书作家",
    "contact us directly through Amazon", "QR code to download the app", "scan the QR code for the manual",
    "扫码下载", "通过亚马逊联系", "QRコードでアプリをダウンロード", "5星好评", "Bewertung vergeben", "note attribuée",
    "Amazon", "the", "a", ",", ".", "\n", " ", "  ", "!", "Book 3", "(Paperback)", "novel", "reviews", "Stanley",
]


def _texts() -> list[str]:
    """Real listing copy, every rule example, and random runs of pieces that match some exception, so that
    several exceptions start, end and overlap close together."""
    records = [json.loads(line) for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8")]
    texts = [t for r in records for t in (r["title"], *(r.get("bullets") or ()), r.get("description") or "") if t]
    texts += [e.text for r in SPLIT for e in r.spec.examples]
    rng = random.Random(13)
    for _ in range(4000):
        texts.append(" ".join(rng.choice(PIECES) for _ in range(rng.randint(2, 12))))
    return texts


TEXTS = _texts()


MERGED: dict[str, int] = {}
"""Per rule, the texts where two or more exceptions were searched apart and something matched."""


@pytest.mark.parametrize("rule", SPLIT, ids=lambda r: r.spec.name)
def test_exceptions_searched_apart_match_as_their_alternation(rule):
    kind = rule.kind
    ctx = RULES.context
    merged = 0
    for text in TEXTS:
        if len(text) > 2_000:
            continue  # a longer field is searched with a time limit, through the alternation itself
        expected = [m.span() for m in kind.exceptions.finditer(text)]
        assert [m.span() for m in kind._exceptions_in(text, ctx)] == expected, text
        lower, wide = text.lower(), not text.isascii()
        merged += sum(part.could_match(lower, wide) for part in kind._exception_parts) > 1 and bool(expected)
    MERGED[rule.spec.name] = merged


def test_the_texts_make_several_exceptions_match_together():
    """The comparison above is worth something only where matches of several exceptions are merged."""
    for rule in SPLIT:
        if rule.spec.name not in MERGED:
            test_exceptions_searched_apart_match_as_their_alternation(rule)
    assert MERGED["sales-claim"] > 500 and MERGED["off-platform-contact"] > 100, MERGED


def test_exceptions_that_depend_on_each_other_are_searched_together():
    """A global flag, a group referred to by number or name, or a conditional ties an exception to the
    alternation it is part of; so does an exception whose literals are unknown."""
    assert _exception_parts([r"\bgift\b", r"\bcard\b"], 0, True) is not None
    for tied in (r"(?i)gift", r"(gift) \1", r"(?P<g>gift) (?P=g)", r"(?P<g>gift) \k<g>", r"(?P<g>gift)? (?(g)card|box)",
                 r"(gift) (?1)", r"(?<g>gift) (?&g)", r"gift(?R)?", r"\w+"):
        assert _exception_parts([r"\bgift card\b", tied], 0, True) is None, tied
    assert _exception_parts([r"\bgift card\b"], 0, True) is None  # one exception: nothing to split


def test_merged_matches_are_the_alternations_on_random_patterns():
    """Leftmost match first, the earlier exception on a tie, the next search from the end of the last match:
    on random small patterns over a three-letter alphabet, where matches start together, nest and overlap."""
    import regex

    from listing_lint.engine.kinds.existence import ExceptionPart, _first_alternatives

    shapes = ["ab", "abc", "b+c", "a(?:bc)?", "ca?b", r"\bab", "c(?=a)", "(?<=a)bc?", "ba|ab", "a b", "c{2,}", "bca"]
    rng = random.Random(5)
    compared = ties = 0
    for _ in range(3000):
        sources = rng.sample(shapes, rng.randint(2, 4))
        parts = [ExceptionPart(s, regex.V0, frozenset()) for s in sources]
        joined = regex.compile("|".join(f"(?:{s})" for s in sources), regex.V0)
        text = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 30)))
        found = _first_alternatives(parts, text)
        assert found is not None  # none of these matches empty
        assert [m.span() for m in found] == [m.span() for m in joined.finditer(text)], (sources, text)
        compared += 1
        starts = [m.start() for p in parts for m in p.compiled().finditer(text)]
        ties += len(starts) != len(set(starts))
    assert compared == 3000 and ties > 300
