"""The detectors' screen (engine/detectors/screen.py) never skips a gate that would let a text through.

A detector's gate runs only when the listing's text holds one of the detector's screen bits, or its ``rest``
check says so; these tests hold every gate to that on generated text and on every real and labelled text the
project has (real listings, the labelled set, every probe set, every rule example).
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from listing_lint import Config
from listing_lint.engine.detectors import DETECTORS, screen
from listing_lint.engine.detectors.phone import GATE_RUN
from listing_lint.engine.lint import RuleSet, load_packs

from conftest import ROOT, SHARED

pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built: every gate runs")

SCREENED = sorted(name for name, entry in DETECTORS.items() if entry.screen)
CTX = RuleSet(Config()).context


def _screen_lets_through(name: str, text: str) -> bool:
    """Tell whether the engine lets a listing of this text through to the detector's gate: a screen bit, or
    one of ``rest_literals`` in the engine's literal pass and then ``rest``."""
    entry = DETECTORS[name]
    if screen.screen(text) & entry.screen:
        return True
    if entry.rest is None:
        return False
    if entry.rest_literals is not None and entry.rest_literals().isdisjoint(CTX.literal_index.present(text.lower())):
        return False
    if entry.rest_wide and text.isascii():
        return False
    return entry.rest(text, None, CTX)  # as the engine asks it: the text not lowered


def _gate(name: str, text: str) -> bool:
    return DETECTORS[name].gate(text, text.lower(), CTX)


def _assert_never_skipped(text: str) -> None:
    for name in SCREENED:
        if _gate(name, text):
            assert _screen_lets_through(name, text), f"the screen skips the {name} gate on {text!r}"


def _texts():
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        yield "\n\n".join([r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""])
    for path in [SHARED / "corpus" / "labelled-dev.jsonl", *sorted((ROOT / "bench" / "probes").glob("*.jsonl"))]:
        for line in open(path, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)["text"]
    for pack in load_packs(Config()):
        for spec in pack.rules:
            yield from (ex.text for ex in spec.examples)


def test_every_real_and_labelled_text_the_gates_let_through_the_screen_does_too():
    texts = list(_texts())
    assert len(texts) > 5000
    through = {name: 0 for name in SCREENED}
    for text in texts:
        _assert_never_skipped(text)
        for name in SCREENED:
            through[name] += _screen_lets_through(name, text)
    # The screen is worth having: it spares most texts each gate.
    assert all(n < len(texts) / 2 for n in through.values()), through


# Characters each gate gives a part: digits and numerals, separators, dots and dot-like symbols, brackets, the
# words for "at", full-width forms, the Kelvin sign and dotted I (which lower-case to ASCII), look-alikes.
_CHARS = st.sampled_from(list("0123456789Oo8 \t\n().-/@[{<>}]_aAmMnNrRzZ4wWdDtTpPkKcC:,!'x")
                         + list("\u00a0\u2013\u2015\u2192\u2605\u2606\u2022\u00b7\u2219\u25a0\u2600\U0001f600\ufe0f")
                         + list("\u200d\u30fc\u30fb\u2500\uff10\uff18\uff2f\uff4f\uff20\uff0e\uff08\uff37\u3000\u3002")
                         + list("\u4e00\u4e09\u516b\u96f6\u58f9\u5e7a\u70b9\u9ede\u30c9\u30c3\u30c8\u30a2\u3042\u827e")
                         + list("\u3010\u300c\u3014\u00e4\u00c4\u00e9\u212a\u0130\u0430\u043c\u0440\u00d7\u0661"))
_WORDS = st.sampled_from(["www", "dot", "punkt", "punto", "point", "pkt", "てん", " at ", "arroba", "chiocciola", "arobase",
                          "atmark", "klammeraffe", "amazon", "amzn", "arnaz0n", "4mazon", "800", "888", "call",
                          "com", "co", "(at)", "[.]", " . ", "1-800-FLOWERS", "five five five", ".c o m", ".c(o)m",
                          "™.co", ".рф", "(L) 1.5", "Sd.Kfz"])
_TEXT = st.lists(st.one_of(_CHARS, _WORDS), max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
@example("call 555 O1O 4477")
@example("\u0661\u0662\u0663 \u0664\u0665\u0666 \u0667\u0668\u0669\u0660")  # Arabic-Indic digits
@example("shop\u2022com")
@example("Made with love\u2764\ufe0fit keeps coffee hot")  # an emoji and its variation selector before "it"
@example("info\u3010at\u3011shop")
@example("\u212alammeraffe")
def test_the_screen_never_skips_a_gate_that_would_let_text_through(text):
    _assert_never_skipped(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789Oo ()./-\t\n\x1c_x", max_size=30))
def test_the_digit_bit_is_the_phone_gate_digit_run_on_ascii_text(text):
    # Exact on ASCII: a listing the bit lets through is one the gate's own search would.
    assert bool(screen.screen(text) & screen.DIGITS) == (GATE_RUN.search(text) is not None)


def test_without_the_compiled_module_every_gate_runs(monkeypatch):
    monkeypatch.setattr(screen, "_screen", None)
    monkeypatch.setattr(screen, "_screen_each", None)
    assert screen.screen("plain words") == screen.UNKNOWN
    assert screen.screen_each(["plain words"]) == (screen.UNKNOWN, None)


@settings(max_examples=500, deadline=None)
@given(st.lists(_TEXT, max_size=6))
def test_a_listing_s_fields_are_screened_one_by_one(texts):
    expected = 0
    for text in texts:
        expected |= screen.screen(text)
    assert screen.screen_each(texts) == (expected, tuple(screen.screen(text) for text in texts))


def _listings():
    """Every real listing, then the labelled, probe and example texts as listings of five bullet points each
    (spelled numbers and look-alike letters, which ``rest`` is for, are in those)."""
    from listing_lint.extract.record import listing_from_record
    from listing_lint.model import Field, FieldKind, Listing

    for n, line in enumerate(open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8")):
        yield listing_from_record(json.loads(line), f"real-{n}")
    texts = list(_texts())[2862:]
    for n in range(0, len(texts), 5):
        fields = tuple(Field(FieldKind.BULLET, text, 0, index=k) for k, text in enumerate(texts[n:n + 5]))
        yield Listing(fields=fields, text="", path=f"texts-{n}")


@pytest.mark.parametrize("name", sorted(name for name, entry in DETECTORS.items() if entry.each_field))
def test_a_detector_gates_the_fields_its_gate_would_let_through_and_no_others(name):
    """Of a listing's fields, the engine hands a detector those holding its screen's bits (or that ``rest`` lets
    through) and that its gate then lets through: exactly the fields the gate lets through on its own. Checked
    on every real listing and on the other texts, for all a listing's fields and for those past its first (a rule
    that reads some kinds)."""
    rules = RuleSet(Config())
    kind = next(r.kind for r in rules.rules if r.spec.options.get("detector") == name)
    ctx, gate = rules.context, DETECTORS[name].gate
    seen = rested = 0
    for listing in _listings():
        rules.lint(listing)  # the engine's per-listing state (literals, screen) for this listing
        for fields in (listing.fields, listing.fields[1:]):
            expected = [f for f in fields if gate(f.text, f.text.lower(), ctx)]
            assert list(kind.fields_to_check(listing, fields, ctx)) == expected, listing.path
            seen += bool(expected)
            rested += any(not screen.screen(f.text) & kind.screen for f in expected)
    assert seen > 20
    assert rested or kind.rest is None  # fields only ``rest`` let through were among them


@pytest.mark.parametrize("name", [name for name, entry in DETECTORS.items() if entry.rest_wide])
def test_a_rest_said_to_need_text_past_ascii_lets_no_ascii_text_through(name):
    """The engine does not ask such a ``rest`` about an ASCII listing (nor join its fields for it)."""
    rest = DETECTORS[name].rest
    texts = [t for t in _texts() if t.isascii()]
    assert len(texts) > 3000
    assert not any(rest(text, None, CTX) for text in texts)
    assert not rest("amazon.com arnazon 4mazon @mazon amaz0n", None, CTX)


def test_the_bits_named_in_the_c_source_are_the_ones_the_detectors_use():
    source = (ROOT / "server" / "listing_lint" / "engine" / "_tokens.c").read_text("utf-8")
    for name in ("DIGITS", "TOLL_FREE", "WEB", "MAIL", "AMAZONISH"):
        assert re.search(rf"#define SCREEN_{name} {getattr(screen, name)}\b", source), name
