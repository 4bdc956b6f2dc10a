"""Catalog header names of every platform's exports (issue 11), read to listing fields, as tables."""

from __future__ import annotations

import pytest

from listing_lint.extract.catalog import column_role
from listing_lint.extract.names import column_key
from listing_lint.extract.source import SourceError, decode, legacy_encoding
from listing_lint.extract.spreadsheet import column_letters

US = "[marketplace_id=ATVPDKIKX0DER][language_tag=en_US]"


@pytest.mark.parametrize("header, role", [
    pytest.param(f"item_name{US}#1.value", "title", id="amazon-2023-title"),
    pytest.param(f"bullet_point{US}#4.value", "bullet", id="amazon-2023-bullet"),
    pytest.param(f"product_description{US}#1.value", "description", id="amazon-2023-description"),
    pytest.param(f"generic_keyword{US}#1.value", "search_terms", id="amazon-2023-keywords"),
    pytest.param("contribution_sku#1.value", "sku", id="amazon-2023-sku"),
    pytest.param("list_price[marketplace_id=ATVPDKIKX0DER]#1.value_with_tax", None, id="amazon-2023-price"),
    pytest.param("*Title", "title", id="ebay-fe-title"),
    pytest.param("*Description", "description", id="ebay-fe-description"),
    pytest.param("CustomLabel", "sku", id="ebay-fe-sku"),
    pytest.param("*C:Brand", "brand", id="ebay-fe-brand"),
    pytest.param("*Action(SiteID=US|Country=US|Currency=USD|Version=1193)", None, id="ebay-fe-action"),
    pytest.param("Custom label (SKU)", "sku", id="ebay-seller-hub-sku"),
    pytest.param("Body (HTML)", "description", id="shopify-body"),
    pytest.param("Variant SKU", "sku", id="shopify-sku"),
    pytest.param("Handle", "group", id="shopify-handle"),
    pytest.param("SEO Title", None, id="shopify-seo-title"),
    pytest.param("TAGS", "search_terms", id="etsy-tags"),
    pytest.param("Product Name", "title", id="walmart-label"),
    pytest.param("productName", "title", id="walmart-key"),
    pytest.param("Key Features 2 (+)", "bullet", id="walmart-key-features"),
    pytest.param("shortDescription", "description", id="walmart-description"),
    pytest.param("Site Description", "description", id="walmart-site-description"),
])
def test_column_role(header, role):
    assert column_role(header) == role


def test_columns_table_wins_and_ignores_case():
    assert column_role("HEADLINE", {"headline": "title"}) == "title"
    assert column_role("Selling point 1", {"selling point 1": "bullets"}) == "bullet"
    assert column_role("Title", {"headline": "title"}) == "title"


def test_repeated_attribute_keeps_its_number():
    assert column_key(f"bullet_point{US}#3.value") == "bullet_point3"


@pytest.mark.parametrize("market, encoding", [
    ("amazon.com", "cp1252"), ("amazon.de", "cp1252"), (None, "cp1252"), ("amazon.co.jp", "cp932"),
    ("amazon.cn", "gb18030"),
])
def test_legacy_encoding_by_marketplace(market, encoding):
    assert legacy_encoding(market) == encoding


def test_bom_and_utf8_win_over_the_fallback():
    text = "Kettle – café"
    assert decode("a", text.encode("utf-8"), "cp932").encoding == "utf-8"
    assert decode("a", b"\xef\xbb\xbf" + text.encode("utf-8"), "cp1252").text == text
    assert decode("a", text.encode("utf-16"), "cp1252").text == text
    assert decode("a", text.encode("cp1252"), "cp1252").text == text
    with pytest.raises(SourceError, match="not valid UTF-8"):
        decode("a", text.encode("cp1252"))


@pytest.mark.parametrize("index, name", [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, name):
    assert column_letters(index) == name
