"""Layer 3 (engine detector): web addresses, including spaced, bracketed and spelled-out obfuscations."""

from __future__ import annotations

from collections.abc import Iterator

import re

import regex

from ..context import data_words
from ..kinds import Hit
from ..spans import Claimed, Fixed
from .email import find_emails
from .text_forms import (
    BRACKET_DOT, LABEL, SPELLED_TLDS, ascii_fold, is_official_amazon, tlds, trim_url_end,
)

SHORTENERS = frozenset({
    "bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly",
    "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "v.gd", "bl.ink", "lnkd.in", "amzn.to", "a.co",
})

# Country codes that are also short English words.
WORD_TLDS = frozenset("in it is me to at be no so us my do am as by go an or if of up we he hi".split())

SCHEME = regex.compile(
    r"(?:\b(?:https?|ftp)\s?:\s?/\s?/|\bh[\s.]t[\s.]t[\s.]p(?:[\s.]s)?\s*:\s*/\s*/\s*)[^\s<>\"'，。、）】]+",
    regex.I,
)
WWW = regex.compile(r"\bwww(?:\.|" + BRACKET_DOT + r")" + LABEL + r"(?:(?:\.|" + BRACKET_DOT + r")" + LABEL
                    + r")*(?:/[^\s<>\"']*)?", regex.I)
BARE = regex.compile(r"(?<![\w@.\-/])((?:[a-z0-9][a-z0-9-]*+\.)+)([a-z]{2,24})(?![\w-])(?:/[^\s<>\"']*)?", regex.I)
DOT_LETTER = re.compile(r"\w\.[A-Za-z]{2}")
BRACKET_GATE = re.compile(r"[\[\(\{<]\s*(?:\.|dot)")
BRACKETED = regex.compile(r"(?<![\w@])" + LABEL + r"(?:" + BRACKET_DOT + LABEL + r")*" + BRACKET_DOT
                          + r"([a-z]{2,24})\b", regex.I)
SPELLED = regex.compile(r"(?<![\w@])(" + LABEL + r")\s+(?:dot|\(dot\)|\[dot\])\s+(" + SPELLED_TLDS + r")\b(?!\s*@)",
                        regex.I)


def _bare_ok(domain: str, tld: str, has_path: bool) -> bool:
    """Judge whether ``label.tld`` written without scheme or www is an address rather than prose."""
    if tld.lower() not in tlds():
        return False
    labels = domain.rstrip(".").split(".")
    if all(label.isdigit() for label in labels):
        return False  # "2.5" and friends
    # "quality.Great" is a missing space, not a domain; addresses are lower case or all capitals.
    if not (tld.islower() or (domain + tld).isupper()):
        return False
    if len(labels) == 1 and len(labels[0]) < 2 and f"{labels[0]}.{tld}".lower() not in SHORTENERS:
        return False
    host = f"{domain}{tld}".lower()
    if not has_path and len(labels) == 1 and tld.lower() in WORD_TLDS and labels[0].lower() in data_words("common-words"):
        return False  # "age groups.in order": a missing space before a two-letter word
    return has_path or not is_official_amazon(host)


def find_urls(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, kind) of each web address in text; kind is url, shortener or obfuscated."""
    folded = ascii_fold(text)
    lower = folded.lower()
    if "." not in folded and "/" not in folded and "dot" not in lower:
        return
    taken = Claimed()

    def free(s: int, e: int) -> bool:
        return not taken.overlaps(s, e)

    for m in (SCHEME.finditer(folded) if "/" in folded else ()):
        s, e = m.start(), trim_url_end(folded, m.start(), m.end())
        taken.add(s, e)
        yield s, e, "url"
    for m in (WWW.finditer(folded) if "www" in lower else ()):
        s, e = m.start(), trim_url_end(folded, m.start(), m.end())
        if free(s, e):
            taken.add(s, e)
            yield s, e, "url"
    for m in (BRACKETED.finditer(folded) if BRACKET_GATE.search(lower) else ()):
        if m.group(1).lower() in tlds() and free(*m.span()):
            taken.add(*m.span())
            yield m.start(), m.end(), "obfuscated"
    for m in (SPELLED.finditer(folded) if "dot" in lower else ()):
        if free(*m.span()) and not m.group(1).isdigit():
            taken.add(*m.span())
            yield m.start(), m.end(), "obfuscated"
    for m in (BARE.finditer(folded) if DOT_LETTER.search(folded) else ()):
        s, e = m.start(), trim_url_end(folded, m.start(), m.end())
        domain, tld = m.group(1), m.group(2)
        has_path = e > m.end(2)
        if free(s, e) and _bare_ok(domain, tld, has_path):
            taken.add(s, e)
            host = f"{domain}{tld}".lower()
            yield s, e, "shortener" if host in SHORTENERS else "url"


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text could hold a web address at all."""
    text = ascii_fold(text)
    return ("www" in lower or "//" in text or "dot" in lower or DOT_LETTER.search(text) is not None
            or BRACKET_GATE.search(lower) is not None)


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield a hit for every web address in the field that is not the domain of an email address."""
    emails = Fixed(find_emails(field.text) if "@" in field.text or " at " in field.text or "[" in field.text else ())
    for start, end, kind in find_urls(field.text):
        if emails and emails.covers(start, end):
            continue
        message = None
        if kind == "shortener":
            message = "Shortened link '{match}' hides where it sends buyers, off Amazon."
        elif kind == "obfuscated":
            message = "Disguised web address '{match}' still sends buyers off Amazon."
        yield Hit(field, start, end, values={"match": field.text[start:end]}, message=message)
