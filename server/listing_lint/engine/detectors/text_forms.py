"""Layer 3 (engine): length-preserving text normalisation and the address pieces detectors share."""

from __future__ import annotations

import functools
import re

import regex

from ..context import data_words

# Full-width ASCII (U+FF01..U+FF5E) and ideographic full stops map 1:1 to ASCII, so offsets survive.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3002: ord("."), 0xFF61: ord("."), 0x3000: ord(" "), 0x2024: ord(".")})


_NEEDS_FOLD = re.compile("[\uff01-\uff5e\u3002\uff61\u3000\u2024]")


@functools.lru_cache(maxsize=32)
def ascii_fold(text: str) -> str:
    """Map full-width letters, digits and dots to ASCII without changing the text's length."""
    if text.isascii() or not _NEEDS_FOLD.search(text):
        return text
    return text.translate(_FULLWIDTH)


@functools.lru_cache(maxsize=1)
def tlds() -> frozenset[str]:
    """Return the IANA top-level domains shipped in rules/data/tlds.txt."""
    return data_words("tlds")


@functools.lru_cache(maxsize=1)
def amazon_domains() -> frozenset[str]:
    """Return Amazon's official domains (rules/data/amazon-domains.txt)."""
    return data_words("amazon-domains")


def is_official_amazon(host: str) -> bool:
    """Return whether a host is an official Amazon domain or a subdomain of one."""
    host = host.lower().rstrip(".")
    official = amazon_domains()
    parts = host.split(".")
    return any(".".join(parts[i:]) in official for i in range(len(parts) - 1))


# Obfuscated dots: "[.]", "(.)", "[dot]", "(dot)", "{dot}", "<dot>".
BRACKET_DOT = r"(?:\s*[\[\(\{<]\s*(?:\.|dot)\s*[\]\)\}>]\s*)"
# TLDs common enough that a spelled-out " dot com" is worth flagging; "top"/"style" read as English.
SPELLED_TLDS = (
    "com|net|org|co|io|shop|store|online|site|biz|info|us|uk|de|fr|es|it|jp|cn|ca|au|in|me|tv|cc|xyz|vip|"
    "club|app|ly|gl|ru|nl|eu"
)
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"

TRAILING_PUNCT = ".,;:!?)]}'\"»”’>"


def trim_url_end(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation a sentence put after an address."""
    while end > start and text[end - 1] in TRAILING_PUNCT:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


ANY_HOST = regex.compile(r"(?<![\w.-])(" + LABEL + r"(?:\." + LABEL + r")+)(?![\w-])", regex.I)
