"""Layer 3 (engine detector): addresses that pretend to be Amazon but are not on its official domains."""

from __future__ import annotations

from collections.abc import Iterator

import regex

from ..context import data_words
from ..kinds import Hit
from ..spans import Claimed
from .email import PLAIN as EMAIL
from .text_forms import ANY_HOST, ascii_fold, is_official_amazon, tlds

AMAZON_LIKE = regex.compile(r"am[a4@]z[o0]n|arnazon|amazom|amaz0n|amzn", regex.I)


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text mentions anything Amazon-like at all."""
    return AMAZON_LIKE.search(ascii_fold(text)) is not None


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield hosts and email addresses that look like Amazon's without being Amazon's."""
    text = ascii_fold(field.text)
    if not AMAZON_LIKE.search(text):
        return
    taken = Claimed()
    for m in EMAIL.finditer(text):
        host = f"{m.group(1)}.{m.group(2)}"
        local = text[m.start():text.index("@", m.start())]
        if m.group(2).lower() not in tlds() or is_official_amazon(host):
            continue
        if AMAZON_LIKE.search(host) or (AMAZON_LIKE.search(local) and host.lower() in data_words("free-mail-domains")):
            taken.add(*m.span())
            yield Hit(field, m.start(), m.end(), values={"match": field.text[m.start():m.end()]})
    for m in ANY_HOST.finditer(text):
        host = m.group(1)
        tld = host.rsplit(".", 1)[-1].lower()
        if taken.overlaps(m.start(), m.end()) or tld not in tlds():
            continue
        if AMAZON_LIKE.search(host) and not is_official_amazon(host) and host.lower() != "amzn.to":
            yield Hit(field, m.start(), m.end(), values={"match": field.text[m.start():m.end()]})
