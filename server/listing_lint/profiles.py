"""Layer 3 (settings): marketplace profiles: which platform a marketplace belongs to, its wording and its style rules.

Amazon is the default. A listing's platform comes from its catalog's marketplace column, else the config's
``marketplace``. The rule packs are written for Amazon; on another platform the messages name that platform
("sends buyers off eBay"), the style rules it does not share are not reported (HTML is allowed in eBay
and Shopify descriptions), links to the platform's own site are judged by its own policy (a link to the
seller's eBay Store is fine on eBay), and length limits are the platform's own (eBay titles: 80 characters).
The policy reasoning behind each figure is in the rules' rationale; this module holds only the data.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple, Optional

from .diagnostics import Finding
from .names import close_matches


class Limit(NamedTuple):
    """A platform's own length limit for one ``[limits]`` setting, and the public page that states it."""

    value: Optional[int]
    """None: the platform publishes no limit for the field, so Amazon's number is not applied either."""
    source: str = ""


class Platform(NamedTuple):
    """A marketplace family: its name in messages and the findings its own policies do not make problems."""

    key: str
    name: str
    """As messages say it: "off {name}"."""
    html_in_description: bool = False
    host_names: frozenset[str] = frozenset()
    """Names the platform owns under every public suffix: ``ebay`` is ebay.com, ebay.co.uk, ebay.de..."""
    host_domains: frozenset[str] = frozenset()
    """Other domains it owns, their subdomains included (``ebayimg.com``, where eBay keeps listing pictures)."""
    own_links: str = "site-name"
    """How copy may name the platform's own site: ``allowed`` (links to its own pages are fine), ``site-name``
    (the bare site name is the store's name, "sold on Amazon.com", but a link is still a link) or ``none``
    (no web address at all, its own included)."""
    https_only: bool = False
    """Whether the links it allows must use https (a plain http link to its own pages is still reported)."""
    image_links: bool = False
    """Whether a description may show pictures kept on another https site (``<img src="https://...">``)."""
    limits: Mapping[str, Limit] = MappingProxyType({})
    """``[limits]`` setting -> the platform's own limit; settings not named keep the rule's (Amazon's) number."""
    policies: Mapping[str, str] = MappingProxyType({})
    """Rule name -> the platform's own public page for it, linked from findings instead of Amazon's."""

    def __hash__(self) -> int:
        # The detectors memoise per platform. The two tables are dicts, which cannot be hashed: they are left
        # out here (equality still compares them).
        return hash(self[:-2])


EBAY_LINKS = "https://www.ebay.com/help/policies/listing-policies/links-policy?id=4248"
EBAY_TITLE = "https://developer.ebay.com/api-docs/user-guides/static/trading-user-guide/listing-title.html"
ETSY_TITLE = "https://groups.google.com/g/etsy-api-v2/c/TROSD3BdGIE"
WALMART_DETAILS = ("https://marketplacelearn.walmart.com/guides/Item%20setup/Item%20content,%20imagery,%20and%20media/"
                   "Product-Detail-Page:-overview")
# The fields each platform has no published limit for: Amazon's bullet, description and search-term numbers are
# Amazon's own, so they are not applied there (a [limits] setting still is).
_NO_LIMIT = Limit(None)
_AMAZON_ONLY = {"bullet-max-chars": _NO_LIMIT, "description-max-chars": _NO_LIMIT, "search-terms-max-bytes": _NO_LIMIT}

# The [limits] setting each field's length rule reads (a finding names its field "title", "bullet 2"...).
FIELD_SETTINGS = {"title": "title-max-chars", "bullet": "bullet-max-chars", "description": "description-max-chars",
                  "search": "search-terms-max-bytes"}

AMAZON = Platform("amazon", "Amazon", host_names=frozenset({"amazon"}))
PLATFORMS = {p.key: p for p in (
    AMAZON,
    Platform("ebay", "eBay", html_in_description=True, host_names=frozenset({"ebay"}),
             host_domains=frozenset({"ebayimg.com", "ebaystatic.com", "ebaydesc.com"}), own_links="allowed",
             https_only=True, image_links=True, policies={"external-url": EBAY_LINKS},
             limits={**_AMAZON_ONLY, "title-max-chars": Limit(80, EBAY_TITLE)}),
    Platform("etsy", "Etsy", host_names=frozenset({"etsy"}), host_domains=frozenset({"etsystatic.com"}),
             own_links="allowed", limits={**_AMAZON_ONLY, "title-max-chars": Limit(140, ETSY_TITLE)}),
    Platform("walmart", "Walmart", host_names=frozenset({"walmart"}), host_domains=frozenset({"walmartimages.com"}),
             own_links="none", policies={"external-url": WALMART_DETAILS},
             limits={**_AMAZON_ONLY, "title-max-chars": Limit(150, WALMART_DETAILS)}),
    Platform("shopify", "your store", html_in_description=True, host_names=frozenset({"shopify"}),
             host_domains=frozenset({"myshopify.com"}), own_links="allowed",
             limits={**_AMAZON_ONLY, "title-max-chars": _NO_LIMIT}),
)}

AMAZON_SITES = ("amazon.com", "amazon.ca", "amazon.com.mx", "amazon.com.br", "amazon.co.uk", "amazon.de",
                "amazon.fr", "amazon.it", "amazon.es", "amazon.nl", "amazon.se", "amazon.pl", "amazon.com.be",
                "amazon.ie", "amazon.at", "amazon.com.tr", "amazon.ae", "amazon.sa", "amazon.eg", "amazon.in", "amazon.co.jp",
                "amazon.com.au", "amazon.sg", "amazon.cn", "amazon.co.za")
OTHER_SITES = ("ebay.com", "ebay.ca", "ebay.co.uk", "ebay.de", "ebay.fr", "ebay.it", "ebay.es", "ebay.com.au",
               "etsy.com", "walmart.com", "walmart.ca", "shopify")
KNOWN = AMAZON_SITES + OTHER_SITES
# Amazon's marketplace ids, as the 2023+ templates and SP-API name them (a catalog's marketplace column).
MARKETPLACE_IDS = {"ATVPDKIKX0DER": "amazon.com", "A2EUQ1WTGCTBG2": "amazon.ca", "A1AM78C64UM0Y8": "amazon.com.mx",
                   "A1F83G8C2ARO7P": "amazon.co.uk", "A1PA6795UKMFR9": "amazon.de", "A13V1IB3VIYZZH": "amazon.fr",
                   "APJ6JRA9NG5V4": "amazon.it", "A1RKKUPIHCS9HS": "amazon.es", "A1VC38T7YXB528": "amazon.co.jp",
                   "A39IBJ37TRP1C6": "amazon.com.au", "A21TJRUUN4KGV": "amazon.in", "AAHKV2X7AFYLW": "amazon.cn"}


@functools.lru_cache(maxsize=64)
def platform_of(marketplace: Optional[str]) -> Platform:
    """Return the platform of a marketplace (``ebay.de`` -> eBay); Amazon for anything unknown or missing."""
    market = (marketplace or "").strip().casefold()
    if market.startswith("www."):
        market = market[4:]
    for key, platform in PLATFORMS.items():
        # "ebay.de", eBay's own marketplace ids ("EBAY_GB") and a plain "eBay" or "eBay UK" in a column.
        if market == key or market.startswith((key + ".", key + "_", key + " ")):
            return platform
    return AMAZON


def check_marketplace(value: str) -> Optional[str]:
    """Return None for a known marketplace, else a message with a did-you-mean."""
    if value.casefold() in KNOWN or value.upper() in MARKETPLACE_IDS:
        return None
    close = close_matches(value.casefold(), KNOWN)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(KNOWN)})"
    return f"unknown marketplace {value!r}{hint}"


_OFF_AMAZON = re.compile(r"\b(off|outside of|outside|on|through) Amazon\b")


def _names_platform(matched: str, platform: Platform) -> bool:
    """Tell whether the wording a finding matched names the platform itself."""
    return any(re.search(rf"\b{re.escape(name)}\b", matched, re.I) for name in platform.host_names)


def for_platform(findings: list[Finding], marketplace: Optional[str], source: str = "") -> list[Finding]:
    """Reword Amazon's name in messages for another platform, drop findings its policies allow, link its own pages.

    ``source`` is the listing's text, which the findings' offsets point into. Which links and limits apply is
    decided earlier, by the URL detector and the length kind; here only what a finding says and where it
    links to changes.
    """
    platform = platform_of(marketplace)
    if platform is AMAZON:
        return findings
    out = []
    for f in findings:
        if platform.html_in_description and f.rule == "html-markup" and f.field == "description":
            continue
        if f.rule == "off-platform-contact" and _names_platform(source[f.start:f.end], platform):
            continue  # "message us on eBay" in an eBay listing stays on eBay
        policy = platform.policies.get(f.rule)
        if policy is not None:
            f = f._replace(url=policy)
        if "Amazon" in f.message:
            f = f._replace(message=_OFF_AMAZON.sub(lambda m: f"{m.group(1)} {platform.name}", f.message))
        elif f"{platform.name}'s limit is" in f.message:
            # A length finding measured against the platform's own limit links to where the platform states it.
            limit = platform.limits.get(FIELD_SETTINGS.get(f.field.split(" ", 1)[0], ""))
            if limit is not None and limit.source:
                f = f._replace(url=limit.source)
        out.append(f)
    return out
