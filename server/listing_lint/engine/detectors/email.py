"""Layer 3 (engine detector): email addresses, plain or disguised (``name [at] domain [dot] com``, ``(ät)``).

The scan starts from the anchors, each ``@`` of the clean text (see deobfuscate.py), and reads at most a
mailbox name (64 characters) back and a host name (253) forward, so its cost is linear in the text
whatever the text is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from typing import NamedTuple

from ...patterns import compile_re
from ..context import data_words
from ..kinds import Hit
from .deobfuscate import DOT_KINDS, SOFT_AT, STAND_IN_NOTE, deobfuscate, original_span
from .hosts import MAX_HOST, _trim, host_at
from .text_forms import SHORTENERS, SPELLED_TLDS, ascii_fold

MAX_LOCAL = 64
ANCHOR = compile_re(f"[@{SOFT_AT}]")
# "x at hot mail dot com": a free-mail provider's name split in two.
SPLIT_PROVIDER = compile_re(r"([a-z]{1,12})[ \t]([a-z]{2,12})(?=\.)", re.I)
SPELLED = frozenset(SPELLED_TLDS.split("|"))
LOCAL_PUNCT = frozenset(".%+-_'")
# "find us at shop dot com" is a web address; these words before a spelled " at " are not mailbox names.
NOT_MAILBOX = frozenset(
    "us me it him her them you we here there now today online only available sold shop buy order visit find "
    "see look stocked also more anytime store website site page details "
    # a verb that puts something at a place: "the videos are at shop [dot] co [dot] uk/guides"
    "are is am was were be been live lives located hosted posted uploaded kept waiting".split()
)
# "more info at vantora dot com" is a web address, "info at vantora dot com" a mailbox.
PROSE_BEFORE = frozenset("more further additional for find get see full product".split())
WORD_BEFORE = compile_re(r"([^\W\d_]+)[ \t]+$")


class Email(NamedTuple):
    """An email address found in a field."""

    span: tuple[int, int]
    """Span in the original text."""
    local: str
    domain: str


@functools.lru_cache(maxsize=1)
def _provider_labels() -> frozenset[str]:
    return frozenset(d.split(".", 1)[0] for d in data_words("free-mail-domains"))


def _local_char(c: str) -> bool:
    return c in LOCAL_PUNCT or (c.isalnum() and ord(c) < 0x2E80)


def _domain_at(text: str, pos: int) -> tuple[str, int]:
    """Return the host name that starts at ``pos`` and its end, or ("", pos)."""
    limit = min(len(text), pos + MAX_HOST + 1)
    name = host_at(text, pos, limit)
    if name:
        return name, pos + len(name)
    split = SPLIT_PROVIDER.match(text, pos, limit)
    if split is not None and (split.group(1) + split.group(2)).lower() in _provider_labels():
        rest = host_at(text, split.start(2), limit)
        if rest:
            name = _trim(split.group(1) + rest)
            if name:
                return name, split.start(2) + len(name) - len(split.group(1))
    return "", pos


@functools.lru_cache(maxsize=64)
def emails_in(text: str) -> tuple[Email, ...]:
    """Return every email address in a field's text, plain or disguised, in order."""
    clean = deobfuscate(text)
    t = clean.text
    if "@" not in t and SOFT_AT not in t:
        return ()
    found = []
    for anchor in ANCHOR.finditer(t):
        at = anchor.start()
        if t.find(".", at + 1, at + MAX_HOST + 2) < 0:
            continue  # no dot within reach: no domain (cheap, for text made of "@"s)
        domain, end = _domain_at(t, at + 1)
        if not domain:
            continue
        start = at
        floor = max(0, at - MAX_LOCAL)
        while start > floor and _local_char(t[start - 1]):
            start -= 1
        while start < at and t[start] in LOCAL_PUNCT:
            start += 1
        if start == at or not t[at - 1].isalnum():
            continue
        local = t[start:at]
        if "pat" in clean.tokens_in(at, at + 1) and not data_words("handle-labels").isdisjoint(
                local.lower().split("-")):
            continue  # "Instagram @vantora.kitchen", "unter @brand.shop", "Instagram-Kanal @x.de": a handle
        if t[at] == SOFT_AT:
            # A spelled " at " is prose unless the rest is disguised too: "anna at vantora dot com".
            kinds = clean.tokens_in(at + 1, end)
            tld = domain.rsplit(".", 1)[-1].lower()
            if DOT_KINDS.isdisjoint(kinds) or tld not in SPELLED or local.lower() in NOT_MAILBOX:
                continue
            if domain.lower() in SHORTENERS:
                continue  # "watch the video at bit . ly / setup": a link, not a mailbox
            before = WORD_BEFORE.search(t, max(0, start - 24), start)
            if before is not None and before.group(1).lower() in PROSE_BEFORE:
                continue
        found.append(Email(original_span(clean, start, end), local, domain))
    return tuple(found)


def find_emails(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each email address in text, plain or disguised."""
    for email in emails_in(text):
        yield email.span


_BRACKET_AT = compile_re(r"[\[\(\{<【「〔（][ \t]{0,2}(?:at|ät|arroba|chiocciola|arobase|atmark|@|a)[ \t]{0,2}[\]\)\}>】」〕）]")
# Words for "at" that are no everyday word: an address on their own ("info arroba shop.es", "info★shop.jp").
_HARD_AT = (" ät ", "arroba", "chiocciola", "arobase", "atmark", "klammeraffe", "アット", "あっと", "艾特", "★", "☆")
_SPELLED_DOT = ("dot", "punkt", "punto", "point", "pkt", "点", "點", "ドット", "てん", "[.]", "(.)", " . ")


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text could hold an email address at all."""
    if "@" in text or "\uff20" in text:
        return True
    lower = ascii_fold(lower)  # full-width brackets and dots: "support［at］shop．jp"
    # A spelled " at " is an address only with a disguised dot after it; a bracketed one is one on its own.
    if any(w in lower for w in _HARD_AT) or (" at " in lower and any(w in lower for w in _SPELLED_DOT)):
        return True
    return (
        ("(" in lower or "[" in lower or "{" in lower or "<" in lower or "【" in lower or "（" in lower)
        and _BRACKET_AT.search(lower) is not None)


_NOTE_AFTER = compile_re(r"[ \t]*(?=[(（])")
_NOTE_CLOSE = compile_re(r"[ \t]*[)）]")


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield a hit for every email address in the field."""
    text = field.text
    for start, end in find_emails(text):
        # "info#shop.com (replace # with @)": the note that tells how to read the address goes with it.
        gap = _NOTE_AFTER.match(text, end)
        if gap is not None:
            at = gap.end()
            # "(# = @)" is matched from its bracket, "(replace # with @)" from inside it, then closed.
            note = STAND_IN_NOTE.match(text, at) or STAND_IN_NOTE.match(text, at + 1)
            close = _NOTE_CLOSE.match(text, note.end()) if note is not None and note.group(2) is None else None
            if close is not None:
                end = close.end()
            elif note is not None and note.group(2) is not None:
                end = note.end()
        yield Hit(field, start, end, values={"match": text[start:end]})
