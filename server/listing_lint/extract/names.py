"""Layer 2 (extract): the names sellers and Amazon's exports use for each listing field."""

from __future__ import annotations

import regex

from ..model import FieldKind

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


_SPACES = regex.compile(r"\s+")
_SEPARATORS = regex.compile(r"[\s\-]+")


def heading_kind(name: str) -> FieldKind | None:
    """Map a Markdown heading to a field, ignoring case, punctuation at the end and extra spaces."""
    key = _SPACES.sub(" ", name.strip().strip(":").strip()).casefold()
    return HEADINGS.get(key)


# Catalog column names (lower case, '-' and ' ' read as '_'): Amazon flat files, the All Listings
# Report and this tool's own JSON keys.
TITLE_COLUMNS = ("item_name", "title", "product_name", "product_title")
DESCRIPTION_COLUMNS = ("product_description", "item_description", "description")
SEARCH_COLUMNS = ("generic_keywords", "search_terms", "generic_keyword", "backend_keywords", "keywords")
INSERT_COLUMNS = ("insert_card", "package_insert")
SKU_COLUMNS = ("item_sku", "seller_sku", "sku", "contribution_sku")
BRAND_COLUMNS = ("brand_name", "brand")
MARKETPLACE_COLUMNS = ("marketplace", "marketplace_id")
BULLET_COLUMN = regex.compile(r"^(?:bullet_point|bullet|bullet_points|feature)_?(\d{0,2})$")
SEARCH_COLUMN_N = regex.compile(r"^generic_keywords_?(\d{1,2})$")


def column_key(name: str) -> str:
    """Normalise a header cell: lower case, spaces and hyphens as underscores."""
    return _SEPARATORS.sub("_", name.strip().strip('"').casefold())
