"""Layer 3 (engine detector helper): host names read with the Public Suffix List bundled in ``publicsuffixlist``.

The list ships inside the package (refreshed with each release) and is never fetched at run time. Only its
ICANN section is used: private entries (``blogspot.com``, ``us.com``) are names anyone can register under,
so ``amazon.us.com`` is not Amazon's.
"""

from __future__ import annotations

import functools
import sys
from typing import Optional

from ...digests import blake2b, source_digest
from ..context import data_words
from ..spec import kept_data


@functools.lru_cache(maxsize=1)
def _rules_by_tld() -> Optional[dict[str, list[str]]]:
    """Return the ICANN section's rules by the top-level domain each ends in (``*.ck`` and ``!www.ck`` under
    ``ck``), or None when the file's layout is not the one known."""
    from publicsuffixlist import PSLFILE  # imported on first use: most listings hold no host name at all

    with open(PSLFILE, "rb") as stream:
        raw = stream.read()
    code = source_digest(sys.modules[__name__])
    if code is None:  # an install without sources: what this code makes cannot be named, so it is not kept
        return _filed(raw, False)[1]
    # Filing the 11,000 lines takes about 6 ms, a run asking about one host name more than all else it does with
    # it; the cache folder keeps the filed rules (read back in about 1.5 ms), under the list's own digest.
    key = repr(("psl-by-tld", 1, blake2b(raw, digest_size=16).hexdigest(), code))
    return kept_data(key, lambda keep: _filed(raw, keep), _by_tld_from_json)


def _filed(raw: bytes, keep: bool) -> tuple:
    """File the rules of the list's ICANN section by top-level domain; return them as ``kept_data`` keeps them
    (with ``keep``) and as used."""
    text = raw.decode("utf-8")
    begin, end = text.find("// ===BEGIN ICANN DOMAINS==="), text.find("// ===END ICANN DOMAINS===")
    if begin < 0 or end < begin:
        return (None if not keep else {"layout": "unknown"}), None
    # Filed in one pass: text with a dot ("5.5oz", "e.g", "Vol.3") asks about many top levels that are none,
    # and searching the 200 KB section (past ASCII, so read wide) for each took 0.4 ms.
    by_tld: dict[str, list[str]] = {}
    for line in text[begin:end].splitlines():
        if line and not line.startswith("//"):
            by_tld.setdefault(line.rsplit(".", 1)[-1], []).append(line)
    return ({"by-tld": by_tld} if keep else None), by_tld


def _by_tld_from_json(data: dict) -> Optional[dict[str, list[str]]]:
    """Rebuild what ``_filed`` kept; raise ValueError (or TypeError, KeyError) on anything else."""
    if type(data) is not dict:
        raise ValueError("not a filed list")
    if data.get("layout") == "unknown":
        return None
    by_tld = data["by-tld"]
    if type(by_tld) is not dict or any(type(rules) is not list or not rules or {type(r) for r in rules} != {str}
                                       for rules in by_tld.values()):
        raise ValueError("not rules by top-level domain")
    return by_tld


@functools.lru_cache(maxsize=1)
def top_levels() -> Optional[frozenset[str]]:
    """Return every top-level domain the ICANN section has rules under (``com``, ``uk``, ``рф``), or None when
    the file's layout is not the one known."""
    by_tld = _rules_by_tld()
    return None if by_tld is None else frozenset(by_tld)


@functools.lru_cache(maxsize=256)
def _psl(tld: str):
    """Return the library's reader of the rules under one top-level domain, or None when it has none.

    A host's public suffix depends only on the rules that end in its top-level domain, so only those are
    parsed: the library takes 9 ms to parse the 7,000 lines of the whole ICANN section, the rules of one
    domain cost well under a millisecond (``test_contact_detectors`` checks both read hosts the same).
    Private entries (``blogspot.com``) are left out, and so are the punycode twins of the IDN entries: hosts
    here are matched in Unicode.
    """
    from publicsuffixlist import PublicSuffixList

    by_tld = _rules_by_tld()
    if by_tld is None:  # a future file layout: let the library find the section itself
        return PublicSuffixList(only_icann=True, accept_unknown=False, accept_encoded_idn=False)
    lines = by_tld.get(tld)
    return PublicSuffixList(lines, accept_unknown=False, accept_encoded_idn=False) if lines else None


@functools.lru_cache(maxsize=4096)
def public_suffix(host: str) -> Optional[str]:
    """Return the ICANN public suffix of a host (``co.uk``), or None when its top level is not a real one."""
    host = host.lower().strip(".")
    if not host or ".." in host:
        return None
    psl = _psl(host.rsplit(".", 1)[-1])
    return None if psl is None else psl.publicsuffix(host)


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
