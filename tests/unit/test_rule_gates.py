"""Each rule kind's field gate (``fields_to_check``) may let through more fields than hold a hit, never fewer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint import Config
from listing_lint.engine.lint import RuleSet
from listing_lint.model import Field, FieldKind, Listing

from conftest import SHARED, real_brands

_WORDS = st.sampled_from(["Soft", "soft", "SOFT", "Wi-Fi", "wi-fi", "Kids'", "kids", "kid’s", "a-b", "A-B", "t-shirt",
                          "for", "and", "of", "x", "3", "3-pack", "snake_case", "snake", "case", "Straße", "STRASSE",
                          "ǅemal", "-", "–", "/", ",", "é", "e\u0301"])


def _rule(name: str, **config):
    rules = RuleSet(Config(select=(name,), **config))
    return rules, rules.rules[0]


def _gate_keeps_every_field_with_a_hit(rules, rule, texts, kind=FieldKind.TITLE):
    fields = tuple(Field(kind, text, 0) for text in texts)
    listing = Listing(fields=fields, text="\n".join(texts), path="<gate test>")
    rules.context.new_listing(listing)
    kept = {id(f) for f in rule.kind.fields_to_check(listing, fields, rules.context)}
    hits = 0
    for field in fields:
        if list(rule.kind.check(listing, [field], rules.context)):
            assert id(field) in kept, f"the gate drops {field.text!r}, where the rule reports a repeat"
            hits += 1
    # The gate counts the words the rule counts, so it keeps no field without a repeat either.
    assert len(kept) == hits
    return len(kept)


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=14).map(" ".join), st.sampled_from(["", "", "-", "'"]),
       st.sampled_from([None, 0, 1, 2, 3]))
def test_repetition_gate_never_drops_a_repeat(title, joiner, limit):
    # The gate counts repeated uses before it counts words, which depends on the limit: the configured ones too.
    rules, rule = _rule("repeated-title-word", **({} if limit is None else {"limits": (("title-max-repeats", limit),)}))
    _gate_keeps_every_field_with_a_hit(rules, rule, [title.replace(" ", joiner, 1) if joiner else title])


def test_repetition_gate_on_real_titles_drops_most_and_loses_none():
    rules, rule = _rule("repeated-title-word")
    titles = [json.loads(line)["title"] or "" for line in open(SHARED / "corpus" / "real-listings.jsonl",
                                                                 encoding="utf-8")]
    kept = sum(_gate_keeps_every_field_with_a_hit(rules, rule, [t]) for t in titles)
    assert kept < len(titles) / 2  # the gate is worth having: most titles repeat no counted word


def _fields_chosen(rules, rule, listing) -> tuple[int, int]:
    """Check that every field of the listing the rule's gate leaves out holds no hit; return how many fields
    in its scope the gate chose, and how many there are."""
    fields = [f for f in listing.fields if f.kind in rule.fields]
    rules.context.new_listing(listing)
    chosen = {id(f) for f in rule.kind.fields_to_check(listing, fields, rules.context)}
    for field in fields:
        if id(field) not in chosen:
            assert not list(rule.kind.check(listing, [field], rules.context)), (rule.spec.name, field.text)
    return len(chosen), len(fields)


def test_brand_gate_keeps_every_field_naming_a_competitor():
    from listing_lint.extract.record import listing_from_record

    rules, rule = _rule("competitor-brand", competitors=real_brands())
    records = [json.loads(line) for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8")]
    counts = [_fields_chosen(rules, rule, listing_from_record(record, record["id"])) for record in records[:800]]
    assert sum(k for k, _ in counts) < sum(t for _, t in counts) / 2  # most fields name no competitor's first word


def _contact_snippets() -> list[str]:
    """Every rule example (bad and good) and every labelled real snippet: links, addresses, phone numbers and
    Amazon look-alikes in every disguise the rules know, and the clean copy that resembles them."""
    from listing_lint.engine.lint import load_packs

    texts = [json.loads(line)["text"] for line in open(SHARED / "corpus" / "labelled-dev.jsonl", encoding="utf-8")]
    for pack in load_packs(Config()):
        for spec in pack.rules:
            texts += [example.text for example in spec.examples]
    return texts


@pytest.mark.parametrize("name", ["external-url", "contact-email", "contact-phone", "spoofed-amazon-domain"])
def test_contact_detectors_skip_the_fields_their_gate_rules_out_and_lose_no_hit(name):
    """The gate lets a listing through when one field could hold a hit; the detector then runs on the fields
    whose own text passes it, and a field left out holds nothing the detector would report."""
    from listing_lint.extract.record import listing_from_record

    rules, rule = _rule(name)
    records = [json.loads(line) for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8")]
    snippets = _contact_snippets()
    counts = []
    for n, snippet in enumerate(snippets):
        record = dict(records[n % len(records)])
        record["bullets"] = [*(record.get("bullets") or [])[:2], snippet]  # one field with the contact, others clean
        counts.append(_fields_chosen(rules, rule, listing_from_record(record, record["id"])))
    # Most fields of a listing holding one contact hold none themselves.
    assert sum(k for k, _ in counts) < sum(t for _, t in counts) / 2


def test_a_rule_whose_gate_or_check_crashes_is_reported_and_the_others_still_run(monkeypatch):
    rules = RuleSet(Config(select=("contact-email", "external-url")))
    email = next(r for r in rules.rules if r.spec.name == "contact-email")
    url = next(r for r in rules.rules if r.spec.name == "external-url")
    listing = Listing(fields=(Field(FieldKind.DESCRIPTION, "Mail me at a@b.com or see www.example.com", 0),),
                      text="Mail me at a@b.com or see www.example.com", path="<crash test>")

    def broken(*_args):
        raise RuntimeError("boom")

    for method in ("fields_to_check", "check"):
        monkeypatch.setattr(email.kind, method, broken)
        found = rules.lint(listing)
        crashed = [f for f in found if f.rule == "contact-email"]
        assert len(crashed) == 1 and "crashed (RuntimeError('boom'))" in crashed[0].message
        assert [f.rule for f in found if f.rule == url.spec.name] == ["external-url"]
        monkeypatch.undo()
