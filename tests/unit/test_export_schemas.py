"""Which platform's export a catalog header is, and which marketplace its rows are linted for (issue 11)."""

from __future__ import annotations

import pytest

from listing_lint.extract.schemas import marketplace_for, schema_of

EBAY_FX = ["CustomLabel", "*Category", "*Title", "*ConditionID", "*Description", "*Format", "*StartPrice"]


@pytest.mark.parametrize("header, platform, site", [
    pytest.param(["*Action(SiteID=US|Country=US|Currency=USD|Version=1193|CC=UTF-8)", *EBAY_FX], "ebay",
                 "ebay.com", id="file-exchange-us"),
    pytest.param(["*Action(SiteID=UK|Country=GB|Currency=GBP|Version=1193)", *EBAY_FX], "ebay", "ebay.co.uk",
                 id="file-exchange-uk"),
    pytest.param(["*Action(SiteID=Germany|Country=DE|Currency=EUR|Version=1193)", *EBAY_FX], "ebay", "ebay.de",
                 id="file-exchange-germany"),
    pytest.param(["*Action(SiteID=77|Country=DE|Currency=EUR)", *EBAY_FX], "ebay", "ebay.de", id="site-number"),
    pytest.param(["*Action(SiteID=Atlantis|Currency=USD)", *EBAY_FX], "ebay", None, id="unknown-site-id"),
    pytest.param(["Action(SiteID=Australia|Country=AU|Currency=AUD|Version=1193|CC=UTF-8)", "Custom label (SKU)",
                  "Category ID", "Title", "Condition ID", "Description", "Format"], "ebay", "ebay.com.au",
                 id="seller-hub-template"),
    pytest.param(["Action", "Custom label (SKU)", "Category ID", "Title", "UPC", "Price", "Description", "Format"],
                 "ebay", None, id="seller-hub-drafts"),
    pytest.param(["Item number", "Title", "Variation details", "Custom label (SKU)", "Available quantity"], "ebay",
                 None, id="seller-hub-active-listings-report"),
    pytest.param(["Handle", "Title", "Body (HTML)", "Vendor", "Tags", "Variant SKU"], "shopify", None,
                 id="shopify"),
    pytest.param(["TITLE", "DESCRIPTION", "PRICE", "CURRENCY_CODE", "QUANTITY", "TAGS", "MATERIALS", "SKU"], "etsy",
                 None, id="etsy"),
    pytest.param(["sku", "productType", "productName", "brand", "shortDescription", "keyFeatures", "keyFeatures"],
                 "walmart", None, id="walmart-keys"),
    pytest.param(["SKU", "Product Name", "Brand Name", "Site Description", "Key Features (+)"], "walmart", None,
                 id="walmart-labels"),
])
def test_platform_exports_are_recognised(header, platform, site):
    schema = schema_of(header)
    assert schema is not None and (schema.platform, schema.site) == (platform, site)


@pytest.mark.parametrize("header", [
    pytest.param(["item_sku", "brand_name", "item_name", "bullet_point1", "product_description"], id="amazon-classic"),
    pytest.param(["contribution_sku#1.value", "item_name[marketplace_id=ATVPDKIKX0DER][language_tag=en_US]#1.value"],
                 id="amazon-2023"),
    pytest.param(["sku", "marketplace", "title", "description"], id="multichannel"),
    pytest.param(["Handle", "Title", "Description"], id="handle-alone"),
    pytest.param(["title", "tags", "description"], id="tags-alone"),
    pytest.param(["Product Name", "Short Description", "Description"], id="short-description-alone"),
    pytest.param(["Action", "Title", "Description"], id="action-alone"),
])
def test_other_layouts_name_no_platform(header):
    assert schema_of(header) is None


FX_UK = schema_of(["*Action(SiteID=UK|Currency=GBP)", *EBAY_FX])
DRAFTS = schema_of(["Action", "Custom label (SKU)", "Title", "Description", "Format"])
ETSY = schema_of(["TITLE", "DESCRIPTION", "TAGS", "MATERIALS"])


@pytest.mark.parametrize("schema, configured, forced, expected", [
    pytest.param(FX_UK, "amazon.com", False, "ebay.co.uk", id="header-site-over-another-platform"),
    pytest.param(FX_UK, "ebay.com", False, "ebay.co.uk", id="header-site-over-the-same-platform"),
    pytest.param(DRAFTS, "ebay.de", False, "ebay.de", id="config-site-on-the-same-platform"),
    pytest.param(DRAFTS, "EBAY_GB", False, "EBAY_GB", id="config-ebay-id"),
    pytest.param(DRAFTS, "amazon.de", False, "ebay.com", id="home-site-over-another-platform"),
    pytest.param(ETSY, "amazon.com", False, "etsy.com", id="etsy-home"),
    pytest.param(FX_UK, "amazon.com", True, None, id="forced-run-marketplace"),
    pytest.param(None, "ebay.de", False, None, id="no-platform-config-applies"),
])
def test_marketplace_precedence(schema, configured, forced, expected):
    assert marketplace_for(schema, configured, forced) == expected
