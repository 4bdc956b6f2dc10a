"""Layer 3 (engine detector): addresses that pretend to be Amazon but are not on its own domains.

Every web and email address in the field (disguises undone: ``amazonxx[.]shop``) is read through a
confusables skeleton (Cyrillic ``а``, ``𝐚`` and ``ａ`` read as ``a``), digit swaps (``amaz0n``) and
``rn`` for ``m`` (``arnazon``). One that then names Amazon (``amazon-billing-update.com``,
``signin-amazon.co.uk``, ``amazon.evil.com``, ``amazon.com.biz``) but whose registrable domain is not
Amazon's (``amazon.<public suffix>`` or a listed Amazon domain, per the Public Suffix List) is a spoof.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Optional

from ...patterns import compile_re
from ..context import data_words
from ..kinds import Hit
from ..spans import Claimed
from .confusables import any_confusable, skeleton
from .domains import is_amazon_own
from .email import emails_in
from .url import addresses_in, authority

_LEET = str.maketrans("0134@5$", "oleaass")
# "amazon", "amzn" and their one-letter slips ("amazom", "amzon", "anazon"), on the folded skeleton.
AMAZONISH = compile_re(r"a[mn]{1,2}a?z[o]{0,2}[mn]|amzn|amazo")


def _fold(text: str) -> str:
    return skeleton(text).translate(_LEET).replace("rn", "m").replace("vv", "w")


# Words that hold "amazon" but name the river, the region, its people or a stone, not the shop.
RIVER_WORDS = frozenset(
    "amazonas amazonia amazonian amazonians amazonie amazonien amazonienne amazonico amazonica amazonía "
    "amazonite amazona amazone amazones amazonen amazonien".split()
)
# The whole word around a match; only ever run on one host or mailbox name (at most 253 characters).
AMAZONISH_WORD = compile_re(r"[a-z]*(?:a[mn]{1,2}a?z[o]{0,2}[mn]|amzn|amazo)[a-z]*")


@functools.lru_cache(maxsize=4096)
def amazonish(name: str) -> bool:
    """Tell whether a host or mailbox name reads as Amazon's once look-alikes are undone."""
    return any(m.group() not in RIVER_WORDS for m in AMAZONISH_WORD.finditer(_fold(name)))


def _userinfo(url: str) -> str:
    """Return the ``user@`` part of a link (``https://amazon.com@evil.example`` goes to evil.example)."""
    where = authority(url)
    return where.rsplit("@", 1)[0] if "@" in where else ""


# The same on plain lower-case text, digit swaps and "rn" included, so most listings need no folding at all.
AMAZONISH_RAW = compile_re(r"[a4@](?:[mn]|rn){1,2}[a4@]?[z2][o0]{0,2}(?:[mn]|rn)|[a4@]mzn|[a4@]m[a4@]z[o0]")


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text names anything Amazon-like at all."""
    return AMAZONISH_RAW.search(lower) is not None or look_alike_gate(text, lower, ctx)


def look_alike_gate(text: str, lower: Optional[str], ctx) -> bool:
    """The part of ``gate`` the detectors' screen does not look at: Amazon spelled with look-alike characters."""
    if text.isascii() or any_confusable().search(text) is None:
        return False
    return AMAZONISH.search(_fold(text)) is not None


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield web and email addresses that look like Amazon's without being Amazon's."""
    text = field.text
    taken = Claimed()
    hits = []
    free_mail = data_words("free-mail-domains")
    for email in emails_in(text):
        domain = email.domain.lower()
        if is_amazon_own(domain):
            continue
        if amazonish(domain) or (amazonish(email.local) and domain in free_mail):
            taken.add(*email.span)
            hits.append(email.span)
    for address in addresses_in(text):
        if taken.overlaps(*address.span) or is_amazon_own(address.host):
            continue
        if not (amazonish(address.host) or amazonish(_userinfo(text[address.span[0]:address.span[1]]))):
            continue
        hits.append(address.span)
    for start, end in sorted(hits):
        yield Hit(field, start, end, values={"match": text[start:end]})
