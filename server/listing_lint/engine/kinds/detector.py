"""Layer 3 (engine kind): run one of the code detectors (URLs, emails, phones, brands, spoofed domains).

What it does: hands each field in scope to a detector in ``engine/detectors/`` for what a regular
expression alone cannot judge well (the Public Suffix List, libphonenumber in the listing's marketplace
region, confusable characters, a brand trie).

Options:
- ``detector``: ``url``, ``email``, ``phone``, ``brand`` or ``spoofed-domain``.
- any other key is passed to the detector, which validates it; the listing's ``marketplace`` is added.

Example: ``detector = "url"`` flags "www.example.com" and "example dot com".

A detector that runs past the rule time limit (``regex_timeout``, as for patterns, plus as much again
per 50,000 characters of the field) is stopped there and reported, naming the detector; the later
fields still run.

Fix safety: decided by the rule's ``fix`` table.
"""

from __future__ import annotations

import time
from typing import Optional

from ..detectors import DETECTORS
from . import GENERAL_OPTIONS, Kind


class DetectorTimeout(TimeoutError):
    """A detector ran past the rule time limit on one field."""

    def __init__(self, detector: str, field, limit: float) -> None:
        super().__init__(f"the {detector} detector ran too long")
        self.detector = detector
        self.field = field
        self.limit = limit


class Detector(Kind):
    """Delegate to a named code detector."""

    def __init__(self, spec, text=""):
        self.spec, self._text = spec, text
        name = spec.options.get("detector")
        if name not in DETECTORS:
            raise self.error("detector", f"unknown detector {name!r} (expected one of {', '.join(sorted(DETECTORS))})")
        (self.detect, self.gate, self.select, self.screen, self.rest, rest_literals, self.rest_wide,
         self.each_field) = DETECTORS[name]
        self.rest_literals: Optional[frozenset[str]] = rest_literals() if rest_literals else None
        """What ``rest`` needs one of; the engine's literal pass looks for them (``literals_wanted``)."""
        self._read_general_options()
        self.detector_options = {k: v for k, v in spec.options.items() if k != "detector" and k not in GENERAL_OPTIONS}

    def fields_to_check(self, listing, fields, ctx):  # type: ignore[override]
        """Return the fields the detector could find something in (none when its gate rules the listing out)."""
        bits = ctx.screen(listing) if self.screen else -1
        if bits >= 0:
            # None of the detector's screen bits: its gate would find nothing the screen looks for, and whether it
            # would find the rest is what ``rest`` (a part of the gate) tells. With a bit set the gate is not
            # run on the listing: on the listings it then turns away, the detector finds nothing in less time
            # than the gate takes to say so (1.7 µs a listing against 8 to 13 µs).
            rest = self._rest_may_pass(listing, ctx)
            if not bits & self.screen and not rest:
                return ()
            if self.each_field:
                # Each field is asked on its own (``rest`` too, and only for a field holding one of its literals):
                # the whole listing's text is neither joined nor searched for what one field holds.
                return self._screened(listing, fields, ctx, rest)
            if not bits & self.screen and not self.rest(ctx.joined_text(listing), None, ctx):
                return ()
        elif self.gate is not None and not self.gate(ctx.joined_text(listing), ctx.joined_lower(listing), ctx):
            return ()
        if self.each_field:
            gate = self.gate
            return [f for f in fields if gate(f.text, f.text.lower(), ctx)]
        return fields if self.select is None else self.select(fields, ctx)

    def _rest_may_pass(self, listing, ctx) -> bool:
        """Tell whether ``rest`` could let some field of the listing through: not when the listing holds none of
        its literals, or no text past ASCII it needs."""
        return self.rest is not None and not (
            (self.rest_literals is not None and self.rest_literals.isdisjoint(ctx.literals_in_listing(listing)))
            or (self.rest_wide and ctx.all_ascii(listing)))

    def _screened(self, listing, fields, ctx, rest: bool) -> list:
        """Return the fields the gate lets through, of those holding one of the detector's screen bits or that
        ``rest`` lets through (``rest``: whether it could let any through): most fields of a listing with a number
        or a dot somewhere hold neither."""
        want, gate = self.screen, self.gate
        every = listing.fields
        pairs = zip(every, ctx.field_screens(listing))
        if fields is not every:  # a rule that reads some kinds of field: the listing's fields in its scope
            chosen = {id(f) for f in fields}
            pairs = [(f, b) for f, b in pairs if id(f) in chosen]
        return [f for f, b in pairs
                if (b & want or (rest and self._rest_lets_through(f, ctx))) and gate(f.text, f.text.lower(), ctx)]

    def _rest_lets_through(self, field, ctx) -> bool:
        """Tell whether ``rest`` lets a field through (it is asked only when the field's literals and script
        allow it, as for the listing)."""
        rest = self.rest
        if rest is None:
            return False
        if self.rest_literals is not None and self.rest_literals.isdisjoint(ctx.literals_in(field)):
            return False
        if self.rest_wide and field.text.isascii():
            return False
        return rest(field.text, None, ctx)

    @property
    def literals_wanted(self) -> frozenset[str]:  # type: ignore[override]
        """Return what ``rest`` needs one of, for the engine's literal pass."""
        return self.rest_literals or frozenset()

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Run the detector on each field."""
        options = self.detector_options
        if listing.marketplace:  # the phone detector reads numbers in the listing's own marketplace region
            options = {**options, "marketplace": listing.marketplace}
        for field in fields:
            # The time limit of a rule's patterns holds for a detector too (a 1 MB field of links takes about
            # half a second). It is checked between the detector's steps (its hits), and only the detector's
            # own time counts: the findings built from its hits are made after it has finished.
            limit = ctx.time_limit(len(field.text))
            hits = []
            started = time.monotonic()
            late = False
            for hit in self.detect(field, ctx, options):
                hits.append(hit)
                if time.monotonic() - started > limit:
                    late = True
                    break
            yield from hits  # what it found before it was stopped still counts
            if late or time.monotonic() - started > limit:
                raise DetectorTimeout(self.spec.options.get("detector"), field, round(limit, 1))
