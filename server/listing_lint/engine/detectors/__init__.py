"""Layer 3 (engine): detectors, the code behind rules a regular expression alone cannot judge well."""

from __future__ import annotations

from . import brand, email, phone, spoofed, url

DETECTORS = {
    "url": url.detect,
    "email": email.detect,
    "phone": phone.detect,
    "brand": brand.detect,
    "spoofed-domain": spoofed.detect,
}
