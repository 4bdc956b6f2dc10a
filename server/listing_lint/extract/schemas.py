"""Layer 2 (extract): tell which platform's export a catalog header is, and so which marketplace its rows are for.

eBay File Exchange names its site in the first header cell (``*Action(SiteID=UK|Country=GB|...)``); Seller Hub,
Shopify, Etsy and Walmart exports name no site, but their columns are their platform's own. A row with no
marketplace column value is linted for the platform its file was exported from, not for Amazon.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Optional

import regex

from ..patterns import compile_pattern
from ..profiles import platform_of
from .names import column_key

HOME = {"ebay": "ebay.com", "etsy": "etsy.com", "walmart": "walmart.com", "shopify": "shopify"}
"""The marketplace a platform's export is linted for when neither its header nor the config names a site."""

# eBay's site ids, by name and by number, as File Exchange and Seller Hub templates write them in SiteID=.
EBAY_SITES = {
    "us": "ebay.com", "0": "ebay.com", "ebaymotors": "ebay.com", "100": "ebay.com",
    "uk": "ebay.co.uk", "3": "ebay.co.uk", "germany": "ebay.de", "77": "ebay.de",
    "australia": "ebay.com.au", "15": "ebay.com.au", "canada": "ebay.ca", "2": "ebay.ca",
    "canadafrench": "ebay.ca", "210": "ebay.ca", "france": "ebay.fr", "71": "ebay.fr",
    "italy": "ebay.it", "101": "ebay.it", "spain": "ebay.es", "186": "ebay.es",
    "austria": "ebay.at", "16": "ebay.at", "switzerland": "ebay.ch", "193": "ebay.ch",
    "ireland": "ebay.ie", "205": "ebay.ie", "netherlands": "ebay.nl", "146": "ebay.nl",
    "belgium_french": "ebay.be", "23": "ebay.be", "belgium_dutch": "ebay.be", "123": "ebay.be",
    "poland": "ebay.pl", "212": "ebay.pl", "hongkong": "ebay.com.hk", "201": "ebay.com.hk",
    "singapore": "ebay.com.sg", "216": "ebay.com.sg", "malaysia": "ebay.com.my", "207": "ebay.com.my",
    "philippines": "ebay.ph", "211": "ebay.ph", "india": "ebay.in", "203": "ebay.in",
}
_SITE_ID = compile_pattern(r"\bSiteID\s*=\s*([^|)\s]+)", regex.IGNORECASE)
# Columns only eBay's listing templates have next to their Action column.
_EBAY_COLUMNS = {"custom_label", "category", "category_id", "condition_id", "format", "duration", "start_price"}


class Schema(NamedTuple):
    """The platform whose export a header is, and the site it names, if any."""

    platform: str
    """A key of profiles.PLATFORMS: ebay, etsy, walmart or shopify."""
    site: Optional[str] = None
    """The marketplace the header itself names (eBay's SiteID), which wins over the config's."""


def schema_of(values: Sequence[str]) -> Optional[Schema]:
    """Return the platform export a header row is (its cells' text), or None for Amazon's and unknown layouts."""
    keys = {column_key(v) for v in values if v.strip()}
    if "action" in keys and keys & _EBAY_COLUMNS:
        action = next(v for v in values if v.strip() and column_key(v) == "action")
        m = _SITE_ID.search(action)
        site = EBAY_SITES.get(m.group(1).casefold()) if m else None
        return Schema("ebay", site)
    if {"custom_label", "item_number"} <= keys:  # Seller Hub's listings reports
        return Schema("ebay")
    if "handle" in keys and ("variant_sku" in keys or any(v.strip().casefold() == "body (html)" for v in values)):
        return Schema("shopify")
    if "tags" in keys and keys & {"materials", "currency_code"} and "title" in keys:
        return Schema("etsy")
    # Walmart's label row says "Site Description", its key row shortDescription next to keyFeatures.
    if "site_description" in keys or ("short_description" in keys and any(k.startswith("key_features")
                                                                         for k in keys)):
        return Schema("walmart")
    return None


def marketplace_for(schema: Optional[Schema], configured: Optional[str], forced: bool = False) -> Optional[str]:
    """Return the marketplace of a catalog's rows that have none of their own (None: the config's applies).

    The header's own site comes first; then the configured marketplace when it is on the export's platform
    (``ebay.co.uk`` for a Seller Hub draft); then the platform's home site. A marketplace given for the run
    (``--marketplace``, ``forced``) is the user's explicit choice and applies instead of all of these.
    """
    if schema is None or forced:
        return None
    if schema.site:
        return schema.site
    if configured and platform_of(configured).key == schema.platform:
        return configured
    return HOME[schema.platform]
