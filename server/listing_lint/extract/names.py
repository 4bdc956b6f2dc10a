"""Layer 2 (extract): the names sellers and Amazon's exports use for each listing field."""

from __future__ import annotations

import functools

from ..model import FieldKind
from ..patterns import compile_pattern

HEADINGS: dict[str, FieldKind] = {
    "title": FieldKind.TITLE, "product title": FieldKind.TITLE, "item name": FieldKind.TITLE,
    "bullet points": FieldKind.BULLET, "bullets": FieldKind.BULLET, "bullet point": FieldKind.BULLET,
    "key features": FieldKind.BULLET, "about this item": FieldKind.BULLET, "features": FieldKind.BULLET,
    "description": FieldKind.DESCRIPTION, "product description": FieldKind.DESCRIPTION,
    "insert card": FieldKind.INSERT_CARD, "package insert": FieldKind.INSERT_CARD,
    "thank-you card": FieldKind.INSERT_CARD, "thank you card": FieldKind.INSERT_CARD, "insert": FieldKind.INSERT_CARD,
    "search terms": FieldKind.SEARCH_TERMS, "backend keywords": FieldKind.SEARCH_TERMS,
    "generic keywords": FieldKind.SEARCH_TERMS, "backend search terms": FieldKind.SEARCH_TERMS,
    "keywords": FieldKind.SEARCH_TERMS,
}


_SPACES = compile_pattern(r"\s+")
_SEPARATORS = compile_pattern(r"[\s\-]+")


@functools.lru_cache(maxsize=256)
def heading_kind(name: str) -> FieldKind | None:
    """Map a Markdown heading to a field, ignoring case, punctuation at the end and extra spaces."""
    key = _SPACES.sub(" ", name.strip().strip(":").strip()).casefold()
    return HEADINGS.get(key)


# Catalog column names (lower case, '-' and ' ' read as '_', decorations stripped by column_key): Amazon flat
# files (classic and the 2023+ attribute templates), the All Listings Report, eBay File Exchange and Seller
# Hub, Shopify, Etsy and Walmart exports, and this tool's own JSON keys.
TITLE_COLUMNS = ("item_name", "title", "product_name", "product_title", "listing_title")
DESCRIPTION_COLUMNS = ("product_description", "item_description", "description", "body_html", "body",
                       "site_description", "short_description")
SEARCH_COLUMNS = ("generic_keywords", "search_terms", "generic_keyword", "backend_keywords", "keywords", "tags")
INSERT_COLUMNS = ("insert_card", "package_insert")
SKU_COLUMNS = ("item_sku", "seller_sku", "sku", "contribution_sku", "custom_label", "variant_sku")
BRAND_COLUMNS = ("brand_name", "brand", "c:brand", "vendor")
MARKETPLACE_COLUMNS = ("marketplace", "marketplace_id")
GROUP_COLUMNS = ("handle",)
"""Columns whose repeated value folds rows into one listing (Shopify writes one row per variant)."""
BULLET_COLUMN = compile_pattern(r"^(?:bullet_point|bullet|bullet_points|feature|key_features?)_?(\d{0,2})$")
SEARCH_COLUMN_N = compile_pattern(r"^(?:generic_keywords?|search_terms?)_?(\d{1,2})$")

# Amazon's 2023+ templates name attributes as item_name[marketplace_id=ATVPDKIKX0DER][language_tag=en_US]#1.value:
# the bracketed selectors go, and the "#n" of a repeated attribute becomes its number (bullet_point#3 -> 3).
_SELECTORS = compile_pattern(r"\[[^\]]*\]")
_REPEAT = compile_pattern(r"#(\d+)(?:\.value)?$")
# eBay marks required columns with '*' and puts settings in parentheses: *Action(SiteID=US|Country=US|...);
# Shopify and Seller Hub add a qualifier: "Body (HTML)", "Custom label (SKU)"; Walmart "Key Features (+)".
_PARENS = compile_pattern(r"\s*\([^)]*\)")
_CAMEL = compile_pattern(r"(?<=[a-z0-9])(?=[A-Z])")


def column_key(name: str) -> str:
    """Normalise a header cell: decorations stripped, camelCase split, lower case, spaces and hyphens as '_'."""
    key = name.strip().strip('"').lstrip("*").strip()
    key = _SELECTORS.sub("", key)
    m = _REPEAT.search(key)
    number = ""
    if m:
        key = key[:m.start()]
        number = m.group(1)
    key = _PARENS.sub("", key).strip()
    if " " not in key and "_" not in key:
        key = _CAMEL.sub("_", key)  # Walmart's keys: productName, keyFeatures, shortDescription
    key = _SEPARATORS.sub("_", key.casefold())
    if number and BULLET_COLUMN.match(key):
        key = f"{key}{number}"
    return key
