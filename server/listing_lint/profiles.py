"""Layer 3 (settings): marketplace profiles: which platform a marketplace belongs to, its wording and its style rules.

Amazon is the default. A listing's platform comes from its catalog's marketplace column, else the config's
``marketplace``. The rule packs are written for Amazon; on another platform the messages name that platform
("sends buyers off eBay") and the style rules it does not share are not reported (HTML is allowed in eBay
and Shopify descriptions).
"""

from __future__ import annotations

import difflib
import re
from typing import Optional

import attrs

from .diagnostics import Finding


@attrs.frozen
class Platform:
    """A marketplace family: its name in messages and the findings its own policies do not make problems."""

    key: str
    name: str
    """As messages say it: "off {name}"."""
    html_in_description: bool = False


AMAZON = Platform("amazon", "Amazon")
PLATFORMS = {p.key: p for p in (
    AMAZON,
    Platform("ebay", "eBay", html_in_description=True),
    Platform("etsy", "Etsy"),
    Platform("walmart", "Walmart"),
    Platform("shopify", "your store", html_in_description=True),
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


def platform_of(marketplace: Optional[str]) -> Platform:
    """Return the platform of a marketplace (``ebay.de`` -> eBay); Amazon for anything unknown or missing."""
    market = (marketplace or "").strip().casefold()
    for key, platform in PLATFORMS.items():
        if market == key or market.startswith(key + ".") or market.startswith("www." + key + "."):
            return platform
    return AMAZON


def check_marketplace(value: str) -> Optional[str]:
    """Return None for a known marketplace, else a message with a did-you-mean."""
    if value.casefold() in KNOWN or value.upper() in MARKETPLACE_IDS:
        return None
    close = difflib.get_close_matches(value.casefold(), KNOWN, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(KNOWN)})"
    return f"unknown marketplace {value!r}{hint}"


_OFF_AMAZON = re.compile(r"\b(off|outside of|outside|on|through) Amazon\b")


def for_platform(findings: list[Finding], marketplace: Optional[str]) -> list[Finding]:
    """Reword Amazon's name in messages for another platform and drop findings its policies allow."""
    platform = platform_of(marketplace)
    if platform is AMAZON:
        return findings
    out = []
    for f in findings:
        if platform.html_in_description and f.rule == "html-markup" and f.field == "description":
            continue
        if "Amazon" in f.message:
            f = attrs.evolve(f, message=_OFF_AMAZON.sub(lambda m: f"{m.group(1)} {platform.name}", f.message))
        out.append(f)
    return out
