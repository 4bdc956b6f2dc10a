"""Layer 3 (engine detectors): one pass over a listing's text that spares most listings the detectors' gates.

Each detector's gate (``gate(text, lower, ctx)``) reads a listing's text a dozen ways, several with regular
expressions. ``_tokens.screen`` finds in one compiled pass a superset of what each gate looks for, as bits (the
comment above it in _tokens.c says what each bit stands for); a detector names its bits in
``DetectorEntry.screen``, and runs on a listing only when one of them is set, or when its ``rest`` check, for
what the screen does not look for, says so. The gate itself is then not run: on the few listings it would turn
away the detector finds nothing faster than the gate says so. Without the compiled module every gate runs.
"""

from __future__ import annotations

from typing import Optional

DIGITS = 1
"""Seven digits or O's close together: phone.GATE_RUN on phone.digits_folded."""
TOLL_FREE = 2
"""800, 833, 844, 855, 866, 877 or 888: what a spelled toll-free number (phone._vanity) starts with."""
WEB = 4
"""What url.gate looks for: www, //, a word for "dot", a dot (or a dot-like symbol) between a letter and letters, a
bracket before a dot, a space before a dot."""
MAIL = 8
"""What email.gate looks for: an @, a word for "at", a bracket before an a or @, or " at " with the WEB bit (a
spelled dot, which a spelled "at" needs)."""
AMAZONISH = 16
"""An a, 4 or @, then an m, n or r, then a z or 2 followed by an o, 0, m, n or r: what every match of
spoofed.AMAZONISH_RAW holds."""
UNKNOWN = -1
"""No compiled module: no gate may be skipped."""

try:
    from .._tokens import screen as _screen, screen_each as _screen_each
except ImportError:  # pragma: no cover - an install without a compiler
    _screen = _screen_each = None


def screen(text: str) -> int:
    """Return the bits of what the text could hold for the detectors' gates, or UNKNOWN."""
    return _screen(text) if _screen is not None else UNKNOWN


def screen_each(texts: "list[str] | tuple[str, ...]") -> "tuple[int, Optional[tuple[int, ...]]]":
    """Return the bits of ``screen`` of each text (a listing's fields), or-ed, and each text's own (UNKNOWN and None
    without the compiled module): the detectors read one field at a time, so what the screen looks for in one
    field is all that may let a detector through, and only that field needs the detector's gate."""
    return _screen_each(texts) if _screen_each is not None else (UNKNOWN, None)
