"""Layer 3 (engine detector helper): host names read with the Public Suffix List bundled in ``publicsuffixlist``.

The list ships inside the package (refreshed with each release) and is never fetched at run time. Only its
ICANN section is used: private entries (``blogspot.com``, ``us.com``) are names anyone can register under,
so ``amazon.us.com`` is not Amazon's.
"""

from __future__ import annotations

import functools
from typing import Optional

from ..context import data_words


@functools.lru_cache(maxsize=1)
def _psl():
    # Imported on first use: most listings hold no host name at all.
    from publicsuffixlist import PSLFILE, PublicSuffixList

    # Only the ICANN section, cut out here and without comments: the library then parses 7,000 lines rather
    # than 16,000, which halves the first host name's cost. Punycode twins of the IDN entries would triple
    # it; hosts here are matched in Unicode.
    with open(PSLFILE, encoding="utf-8") as stream:
        text = stream.read()
    begin, end = text.find("// ===BEGIN ICANN DOMAINS==="), text.find("// ===END ICANN DOMAINS===")
    if begin < 0 or end < begin:  # a future file layout: let the library find the section itself
        return PublicSuffixList(only_icann=True, accept_unknown=False, accept_encoded_idn=False)
    lines = [line for line in text[begin:end].splitlines() if line and not line.startswith("//")]
    return PublicSuffixList(lines, accept_unknown=False, accept_encoded_idn=False)


@functools.lru_cache(maxsize=4096)
def public_suffix(host: str) -> Optional[str]:
    """Return the ICANN public suffix of a host (``co.uk``), or None when its top level is not a real one."""
    host = host.lower().strip(".")
    if not host or ".." in host:
        return None
    return _psl().publicsuffix(host)


@functools.lru_cache(maxsize=4096)
def registrable(host: str) -> Optional[str]:
    """Return the registrable domain of a host (``pay.amazon.eu`` -> ``amazon.eu``), or None if it has none."""
    host = host.lower().strip(".")
    suffix = public_suffix(host)
    if suffix is None or host == suffix:
        return None
    head = host[: -len(suffix) - 1]
    return f"{head.rsplit('.', 1)[-1]}.{suffix}"


@functools.lru_cache(maxsize=1)
def amazon_domains() -> frozenset[str]:
    """Return Amazon's own domains that are not ``amazon.<suffix>`` (rules/data/amazon-domains.txt)."""
    return data_words("amazon-domains")


@functools.lru_cache(maxsize=4096)
def is_amazon_own(host: str) -> bool:
    """Tell whether a host belongs to Amazon: ``amazon.<any public suffix>`` or a listed domain, or below one."""
    return owned_by(host, _AMAZON, amazon_domains())


_AMAZON = frozenset({"amazon"})


@functools.lru_cache(maxsize=4096)
def owned_by(host: str, names: frozenset[str], domains: frozenset[str]) -> bool:
    """Tell whether a host is ``<name>.<any public suffix>`` for one of names, or one of domains, or below one.

    The registrable domain decides (Public Suffix List, ICANN section): ``ebay.co.uk`` and ``pages.ebay.de``
    are eBay's, ``ebay.com.biz``, ``ebay.evil.com`` and ``ebay-support.com`` are not.
    """
    domain = registrable(host)
    if domain is None:
        return False
    if domain.split(".", 1)[0] in names:
        return True
    if not domains:
        return False
    parts = host.lower().strip(".").split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))
