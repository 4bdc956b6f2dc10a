"""Layer 3 (engine detector): email addresses, including ``name [at] domain [dot] com`` forms."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..kinds import Hit
from ..spans import Claimed
from .text_forms import LABEL, SPELLED_TLDS, ascii_fold, tlds

PLAIN = regex.compile(r"(?<![\w.+-])[\w.%+-]*\w@(" + LABEL + r"(?:\." + LABEL + r")*)\.([a-z]{2,24})\b", regex.I)
AT = r"(?:\s*[\[\(\{<]\s*(?:at|@)\s*[\]\)\}>]\s*|\s+at\s+)"
DOT = r"(?:\s*[\[\(\{<]\s*(?:dot|\.)\s*[\]\)\}>]\s*|\s+dot\s+|\.)"
OBFUSCATED = regex.compile(r"(?<![\w.])[\w.%+-]*\w" + AT + LABEL + r"(?:" + DOT + LABEL + r")*" + DOT
                           + r"([a-z]{2,24})\b", regex.I)
SPELLED = regex.compile(r"^(?:" + SPELLED_TLDS + r")$", regex.I)
# "find us at shop dot com" is a web address; these words before a spelled " at " are not mailbox names.
NOT_MAILBOX = frozenset(
    "us me it him her them you we here there now today online only available sold shop buy order visit find "
    "see look stocked also".split()
)

_BRACKET_AT = regex.compile(r"[\[\(\{<]\s*(?:at|@)\s*[\]\)\}>]")
_BRACKET_DOT = regex.compile(r"[\[\(\{<]\s*(?:dot|\.)\s*[\]\)\}>]")


def find_emails(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each email address in text, plain or disguised."""
    folded = ascii_fold(text)
    lower = folded.lower()
    has_at = "@" in folded
    if not has_at and " at " not in lower and "(at)" not in lower and "[at]" not in lower \
            and "{at}" not in lower and "<at>" not in lower:
        return
    taken = Claimed()
    for m in (PLAIN.finditer(folded) if has_at else ()):
        if m.group(2).lower() in tlds():
            taken.add(*m.span())
            yield m.span()
    for m in OBFUSCATED.finditer(folded):
        s, e = m.span()
        if taken.overlaps(s, e) or m.group(1).lower() not in tlds():
            continue
        chunk = folded[s:e].lower()
        bracket_at = _BRACKET_AT.search(chunk) is not None
        bracket_dot = _BRACKET_DOT.search(chunk) is not None
        # "sold at shop.com" is a web address (the url rule's), not an email; a spelled " at " needs a
        # disguised dot too before it reads as an address.
        if not (bracket_at or bracket_dot or " dot " in chunk):
            continue
        if not bracket_at and (not SPELLED.match(m.group(1)) or chunk.split()[0] in NOT_MAILBOX):
            continue
        taken.add(s, e)
        yield s, e


BRACKET_AT = regex.compile(r"[\[\(\{<]\s*(?:at|@)\s*[\]\)\}>]")


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text could hold an email address at all."""
    return ("@" in text or "\uff20" in text or BRACKET_AT.search(lower) is not None
            or (" at " in lower and "dot" in lower))


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield a hit for every email address in the field."""
    for start, end in find_emails(field.text):
        yield Hit(field, start, end, values={"match": field.text[start:end]})
