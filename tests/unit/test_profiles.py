"""Marketplace profiles (issue 11): validated marketplace names, each platform's wording and style rules."""

from __future__ import annotations

import pytest

from listing_lint import Config, lint_text
from listing_lint.engine.spec import SpecError
from listing_lint.config import config_from_dict
from listing_lint.profiles import check_marketplace, platform_of

HTML_DESCRIPTION = "sku\ttitle\tdescription\nA-1\tVantora Kettle\t<p>Boils fast.</p> Order at www.vantora.com\n"


@pytest.mark.parametrize("market, name", [
    pytest.param("amazon.co.jp", "Amazon", id="amazon"), pytest.param("ebay.de", "eBay", id="ebay"),
    pytest.param("etsy.com", "Etsy", id="etsy"), pytest.param("walmart.ca", "Walmart", id="walmart"),
    pytest.param("shopify", "your store", id="shopify"), pytest.param(None, "Amazon", id="default"),
])
def test_platform_of(market, name):
    assert platform_of(market).name == name


@pytest.mark.parametrize("market", ["ebay.com", "etsy.com", "walmart.com", "shopify"])
def test_messages_name_the_platform(market):
    found = lint_text(HTML_DESCRIPTION, "c.tsv", Config(marketplace=market, select=("POL001",)))
    assert found and all("Amazon" not in f.finding.message for f in found)
    assert "off " + platform_of(market).name in found[0].finding.message


@pytest.mark.parametrize("market, html_allowed", [("amazon.com", False), ("ebay.com", True), ("shopify", True),
                                                  ("etsy.com", False), ("walmart.com", False)])
def test_html_in_descriptions_only_where_the_platform_allows_it(market, html_allowed):
    found = lint_text(HTML_DESCRIPTION, "c.tsv", Config(marketplace=market, select=("html-markup",)))
    assert (not found) is html_allowed
    title = "sku\ttitle\nA-1\tVantora <b>Kettle</b>\n"  # never in a title, on any platform
    assert lint_text(title, "c.tsv", Config(marketplace=market, select=("html-markup",)))


def test_unknown_marketplace_is_refused_with_a_suggestion(tmp_path):
    assert check_marketplace("amazon.de") is None and check_marketplace("ATVPDKIKX0DER") is None
    assert "did you mean 'amazon.co.uk'" in check_marketplace("amazon.uk")
    with pytest.raises(SpecError, match="did you mean 'ebay.com'"):
        config_from_dict({"marketplace": "ebay.con"}, "listing-lint.toml", 'marketplace = "ebay.con"\n', tmp_path)
