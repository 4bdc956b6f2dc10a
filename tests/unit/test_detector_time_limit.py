"""Issue 14: a detector that runs past the rule time limit on a field is stopped there, named, and the rest runs."""

from __future__ import annotations

import time

from listing_lint import Config
from listing_lint.engine.kinds import Hit
from listing_lint.engine.detectors import DetectorEntry
from listing_lint.engine.kinds import detector as detector_kind
from listing_lint.engine.lint import RuleSet
from listing_lint.model import Field, FieldKind, Listing


def _listing(*texts: str) -> Listing:
    fields, text, at = [], "", 0
    for n, t in enumerate(texts):
        fields.append(Field(FieldKind.BULLET, t, at, index=n))
        text += t + "\n"
        at = len(text)
    return Listing(fields=tuple(fields), text=text, path="x.listing.md")


def test_a_slow_detector_is_stopped_on_its_field_and_named(monkeypatch):
    def slow(field, ctx, options):
        for word in field.text.split():
            if word == "slow":
                time.sleep(0.2)
            if word.startswith("www."):
                start = field.text.index(word)
                yield Hit(field, start, start + len(word), values={"match": word})

    monkeypatch.setitem(detector_kind.DETECTORS, "url", DetectorEntry(slow, lambda text, lower, ctx: True))
    rules = RuleSet(Config(select=("external-url",)))
    rules.context.regex_timeout = 0.05
    listing = _listing("see www.a.com then slow slow www.b.com", "fine www.c.com")
    findings = rules.lint(listing)
    stopped = [f for f in findings if "timed out" in f.message]
    assert len(stopped) == 1
    assert "the url detector took longer than that on this text" in stopped[0].message
    assert "bullet 1" in stopped[0].message or "bullet 0" in stopped[0].message
    found = {listing.text[f.start:f.end] for f in findings if "timed out" not in f.message}
    assert "www.a.com" in found  # found before it was stopped
    assert "www.c.com" in found  # the next field still ran


def test_the_limit_grows_with_the_field_so_linear_work_is_not_stopped(monkeypatch):
    def steady(field, ctx, options):
        time.sleep(0.03 * len(field.text) / 50_000)  # linear work: well under one limit per 50,000 characters
        return iter(())

    monkeypatch.setitem(detector_kind.DETECTORS, "url", DetectorEntry(steady, lambda text, lower, ctx: True))
    rules = RuleSet(Config(select=("external-url",)))
    rules.context.regex_timeout = 0.05
    assert rules.lint(_listing("x" * 500_000)) == []
