"""Layer 3 (engine): detectors, the code behind rules a regular expression alone cannot judge well."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Optional

from . import brand, email, phone, spoofed, url


class DetectorEntry(NamedTuple):
    """A detector's code: the detection itself and the cheap checks that spare most text from it."""

    detect: Callable
    """detect(field, ctx, options): yield hits in one field."""
    gate: Callable
    """gate(text, lower, ctx): whether any field of a listing (all its text at once) could hold a hit."""
    fields: Optional[Callable] = None
    """fields(fields, ctx): of a listing the gate let through, the fields that could hold a hit."""


DETECTORS = {
    "url": DetectorEntry(url.detect, url.gate),
    "email": DetectorEntry(email.detect, email.gate),
    "phone": DetectorEntry(phone.detect, phone.gate),
    "brand": DetectorEntry(brand.detect, brand.gate, brand.fields_with_candidates),
    "spoofed-domain": DetectorEntry(spoofed.detect, spoofed.gate),
}
