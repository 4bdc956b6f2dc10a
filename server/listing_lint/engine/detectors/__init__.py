"""Layer 3 (engine): detectors, the code behind rules a regular expression alone cannot judge well."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Optional

from . import brand, email, phone, screen, spoofed, url


class DetectorEntry(NamedTuple):
    """A detector's code: the detection itself and the cheap checks that spare most text from it."""

    detect: Callable
    """detect(field, ctx, options): yield hits in one field."""
    gate: Optional[Callable]
    """gate(text, lower, ctx): whether any field of a listing (all its text at once) could hold a hit; None when
    ``fields`` alone says so (the listing's text is then not joined or lowered for it)."""
    fields: Optional[Callable] = None
    """fields(fields, ctx): of a listing the gate let through, the fields that could hold a hit."""
    screen: int = 0
    """The ``screen`` bits one of which a text holds whenever the gate lets it through, unless ``rest`` does
    (0: none is named, the gate always runs)."""
    rest: Optional[Callable] = None
    """rest(text, None, ctx): for text with none of the ``screen`` bits, whether the gate could still let it
    through (what the screen does not look for); None when it never could. It lowers the text itself if it
    needs to: most listings it sees are turned away before that."""
    rest_literals: Optional[Callable] = None
    """rest_literals() -> the lower-case literals one of which a text holds whenever ``rest`` lets it through.
    The engine's one literal pass over each field (engine/literals.py) finds them with the rules' own, and
    ``rest`` runs only on listings holding one: a second pass over every listing for the detector is spared."""
    rest_wide: bool = False
    """Whether ``rest`` lets only text past ASCII through (look-alike letters): an ASCII listing, most of them, is
    then not joined for it."""
    each_field: bool = False
    """Whether the gate is put through each field on its own: a link in one bullet point lets the gate through for
    the whole listing, but only that bullet needs the detector. With the screen, only the fields holding one of
    its bits (or that ``rest`` lets through) are gated. Sound for gates that look for what one hit needs in its own
    text (a hit never spans two fields)."""


DETECTORS = {
    "url": DetectorEntry(url.detect, url.gate, screen=screen.WEB, each_field=True),
    "email": DetectorEntry(email.detect, email.gate, screen=screen.MAIL, each_field=True),
    "phone": DetectorEntry(phone.detect, phone.gate, screen=screen.DIGITS | screen.TOLL_FREE, rest=phone.spelled_gate,
                           rest_literals=phone.digit_word_pairs, each_field=True),
    "brand": DetectorEntry(brand.detect, None, brand.fields_with_candidates),
    "spoofed-domain": DetectorEntry(spoofed.detect, spoofed.gate, screen=screen.AMAZONISH,
                                    rest=spoofed.look_alike_gate, rest_wide=True, each_field=True),
}
