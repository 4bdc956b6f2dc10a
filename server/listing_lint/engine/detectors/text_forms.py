"""Layer 3 (engine detector helper): length-preserving full-width folding and the address pieces detectors share."""

from __future__ import annotations

import functools

from ...patterns import compile_re

# Full-width ASCII (U+FF01..U+FF5E) and ideographic full stops map 1:1 to ASCII, so offsets survive.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3002: ord("."), 0xFF61: ord("."), 0x3000: ord(" "), 0x2024: ord(".")})


_NEEDS_FOLD = compile_re("[\uff01-\uff5e\u3002\uff61\u3000\u2024]")


@functools.lru_cache(maxsize=32)
def ascii_fold(text: str) -> str:
    """Map full-width letters, digits and dots to ASCII without changing the text's length."""
    if text.isascii() or not _NEEDS_FOLD.search(text):
        return text
    return text.translate(_FULLWIDTH)


HTML_TAG_NAMES = ("a|b|i|u|s|p|q|em|strong|br|hr|li|ul|ol|dl|dt|dd|tt|span|div|font|small|big|sub|sup|table|tr|td|th"
                  "|h[1-6]")
"""The HTML tags listing copy holds, as a regular-expression alternation."""


# TLDs common enough that a spelled-out " dot com" is worth flagging; "top"/"style" read as English.
SPELLED_TLDS = (
    "com|net|org|co|io|shop|store|online|site|biz|info|us|uk|de|fr|es|it|jp|cn|ca|au|in|me|tv|cc|xyz|vip|"
    "club|app|ly|gl|ru|nl|eu"
)
TRAILING_PUNCT = ".,;:!?)]}'\"»”’>"

SHORTENERS = frozenset({
    "bit.ly", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly",
    "shorturl.at", "tiny.cc", "rb.gy", "t.ly", "s.id", "v.gd", "bl.ink", "lnkd.in", "amzn.to", "a.co", "youtu.be",
    "t.me", "wa.me", "m.me",
})
"""Link shorteners, and the messaging apps' own short links (Telegram's t.me, WhatsApp's wa.me, Messenger's m.me):
a link on one is a web address whatever its disguise, and never an email's domain."""


def trim_url_end(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation a sentence put after an address (a ")" stays when it closes a "(")."""
    opens = closes = -1
    while end > start and text[end - 1] in TRAILING_PUNCT:
        if text[end - 1] == ")":
            if opens < 0:  # counted once, then kept up to date: a run of ")" costs no rescan per character
                opens, closes = text.count("(", start, end), text.count(")", start, end)
            if opens >= closes:
                break
            closes -= 1
        end -= 1
    return end
