"""Layer 3 (engine kind): run one of the code detectors (URLs, emails, phones, brands, spoofed domains).

What it does: hands each field in scope to a detector in ``engine/detectors/`` for what a regular
expression alone cannot judge well (the Public Suffix List, libphonenumber in the listing's marketplace
region, confusable characters, a brand trie).

Options:
- ``detector``: ``url``, ``email``, ``phone``, ``brand`` or ``spoofed-domain``.
- any other key is passed to the detector, which validates it; the listing's ``marketplace`` is added.

Example: ``detector = "url"`` flags "www.example.com" and "example dot com".

Fix safety: decided by the rule's ``fix`` table.
"""

from __future__ import annotations

from ..detectors import DETECTORS
from . import Kind


class Detector(Kind):
    """Delegate to a named code detector."""

    def __init__(self, spec, text=""):
        self.spec, self._text = spec, text
        name = spec.options.get("detector")
        if name not in DETECTORS:
            raise self.error("detector", f"unknown detector {name!r} (expected one of {', '.join(sorted(DETECTORS))})")
        self.detect, self.gate = DETECTORS[name]
        self.detector_options = {k: v for k, v in spec.options.items() if k != "detector"}

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Run the detector on each field, unless its gate rules the whole listing out."""
        if not self.gate(ctx.joined_text(listing), ctx.joined_lower(listing), ctx):
            return
        options = self.detector_options
        if listing.marketplace:  # the phone detector reads numbers in the listing's own marketplace region
            options = {**options, "marketplace": listing.marketplace}
        for field in fields:
            yield from self.detect(field, ctx, options)
