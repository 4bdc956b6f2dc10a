"""Layer 3 (engine detector): phone numbers in national and international forms, not product codes.

Digits are everywhere in listings (UPC/EAN/ISBN codes, model numbers, sizes, dates, capacities), so a
number counts as a phone number only by its shape (``(555) 123-4567``, ``+44 20 7946 0958``) or by a
cue word before it (``Call``, ``Tel:``, ``WhatsApp``, ``电话``), never from a bare run of digits.
"""

from __future__ import annotations

from collections.abc import Iterator

import re

import regex

from ..kinds import Hit
from ..spans import Claimed
from .text_forms import ascii_fold

SEP = r"[\s.\-\u2010-\u2015]"
CUE = (r"(?:\b(?:tel(?:ephone)?|phone|ph|call(?:\s+us)?(?:\s+(?:at|on))?|mobile|cell|text(?:\s+us)?|sms|"
       r"whats\s?app|hotline|fax|telefon(?:o|nummer)?|tel[eé]fono|t[eé]l[eé]phone|numero|n[uú]mero|"
       r"contact(?:\s+us)?(?:\s+(?:at|on))?)\b|电话|手机|联系电话|電話|携帯)")
CUED = regex.compile(CUE + r"\s*(?:[:：#.]|number|no\.?)?\s*(\+?\(?\d[\d\s().\-]{5,}\d)", regex.I)
INTERNATIONAL = regex.compile(r"(?<![\w+])(?:\+|00\s?)\d{1,3}" + SEP + r"?(?:\(0\)\s?)?\(?\d{1,4}\)?(?:" + SEP
                           + r"?\d{2,5}){1,4}(?![\w])")
NANP = regex.compile(r"(?<![\w.+\-/])(?:1" + SEP + r")?(?:\(\d{3}\)\s?|\d{3}" + SEP + r")\d{3}" + SEP
                     + r"\d{4}(?![\w\-/]|[.,]\d)")
NATIONAL_TRUNK = regex.compile(r"(?<![\w.+\-/])0\d{1,4}" + SEP + r"\d{3,4}" + SEP + r"?\d{3,4}(?![\w\-/]|[.,]\d)")

# Words that make the number after them a code, not a phone number.
CODE_CONTEXT = regex.compile(
    r"(?:\b(?:no|nr|part|model|item|sku|upc|ean|gtin|isbn|asin|mpn|ref|serial|lot|art|id|size|code|"
    r"order|version|patent|batch|style|catalog|cat)\b\.?|#|№)\s*[:.\-]?\s*$",
    regex.I,
)
UNIT_AFTER = regex.compile(r"^\s?(?:mm|cm|m|in|inch|inches|ft|\"|''|hours?|hrs?|mah|w|v|lbs?|kg|g|oz|pcs|x|%|ml|l)\b",
                           regex.I)


SEPARATED = re.compile(r"\d[\s().\-\u2010-\u2015]+(?=\d)")

# Any phone number has seven digits with at most separators between them.
DIGIT_RUN = re.compile(r"\d(?:[\s().\-\u2010-\u2015]{0,3}\d){6}")


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def find_phones(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each phone number in text."""
    folded = ascii_fold(text)
    if not DIGIT_RUN.search(folded):
        return
    taken = Claimed()

    def accept(s: int, e: int, cued: bool) -> bool:
        number = folded[s:e]
        if not 7 <= _digits(number) <= 15 or taken.overlaps(s, e):
            return False
        if not cued:
            if CODE_CONTEXT.search(folded[max(0, s - 16):s]) or UNIT_AFTER.match(folded[e:e + 8]):
                return False
        taken.add(s, e)
        return True

    for m in CUED.finditer(folded):
        s, e = m.span(1)
        while e > s and not folded[e - 1].isdigit():
            e -= 1
        if accept(s, e, cued=True):
            yield s, e
    for pattern in (INTERNATIONAL, NANP, NATIONAL_TRUNK):
        for m in pattern.finditer(folded):
            number = m.group(0)
            if pattern is INTERNATIONAL and _digits(number) < 8:
                continue
            if number.startswith("00") and (len(SEPARATED.findall(number)) < 2 or _digits(number) < 10):
                continue  # "0015586833775" is a UPC, "000914 914" a part number; "00 44 20 7946 0958" dials
            if accept(*m.span(), cued=False):
                yield m.span()


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text holds seven digits close together (full-width ones included)."""
    return DIGIT_RUN.search(ascii_fold(text)) is not None


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield a hit for every phone number in the field."""
    for start, end in sorted(find_phones(field.text)):
        yield Hit(field, start, end, values={"match": field.text[start:end]})
