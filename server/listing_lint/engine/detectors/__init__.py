"""Layer 3 (engine): detectors, the code behind rules a regular expression alone cannot judge well."""

from __future__ import annotations

from . import brand, email, phone, spoofed, url

# name -> (detect(field, ctx, options), gate(text, lower, ctx)); the gate sees all of a listing's text at
# once and says whether any field could hold a hit, so most listings cost one cheap check per detector.
DETECTORS = {
    "url": (url.detect, url.gate),
    "email": (email.detect, email.gate),
    "phone": (phone.detect, phone.gate),
    "brand": (brand.detect, brand.gate),
    "spoofed-domain": (spoofed.detect, spoofed.gate),
}
