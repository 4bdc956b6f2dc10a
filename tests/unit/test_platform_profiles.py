"""Marketplace profiles, part two (issue 11, item 4): each platform's own hosts and its own length limits.

The platform is the listing's marketplace (a catalog's marketplace column), else the config's ``marketplace``.
"""

from __future__ import annotations

import pytest

from listing_lint import Config, lint_text
from listing_lint.engine.detectors.domains import owned_by
from listing_lint.profiles import EBAY_LINKS, EBAY_TITLE, PLATFORMS, WALMART_DETAILS, platform_of


def found(text: str, market: str, select: tuple[str, ...] = ("POL001",), field: str = "description",
          **config) -> list:
    """Lint a one-row catalog with the config's marketplace and return its findings."""
    result = lint_text(f"sku\t{field}\nA-1\t{text}\n", "c.tsv", Config(marketplace=market, select=select, **config))
    return [r.finding for r in result]


def matched(text: str, market: str, **kw) -> list[str]:
    """Return the text of each external-url finding."""
    return [text[f.start - len("sku\tdescription\nA-1\t"):f.end - len("sku\tdescription\nA-1\t")]
            for f in found(text, market, **kw)]


@pytest.mark.parametrize("market, key", [
    pytest.param("EBAY_GB", "ebay", id="ebay-marketplace-id"),
    pytest.param("www.ebay.co.uk", "ebay", id="ebay-www-host"),
    pytest.param("eBay UK", "ebay", id="ebay-plain-name"),
    pytest.param("Etsy", "etsy", id="etsy-plain-name"),
    pytest.param("ATVPDKIKX0DER", "amazon", id="amazon-marketplace-id"),
    pytest.param("ebayish.com", "amazon", id="not-ebay"),
])
def test_platform_of_reads_marketplace_columns(market, key):
    assert platform_of(market).key == key


EBAY = PLATFORMS["ebay"]


@pytest.mark.parametrize("host, own", [
    pytest.param("ebay.com", True, id="ebay.com"),
    pytest.param("www.ebay.co.uk", True, id="ebay.co.uk"),
    pytest.param("pages.ebay.de", True, id="subdomain"),
    pytest.param("i.ebayimg.com", True, id="picture-host"),
    pytest.param("ebay.com.biz", False, id="ebay.com.biz"),
    pytest.param("ebay.evil.com", False, id="ebay-as-subdomain"),
    pytest.param("ebay-support.com", False, id="ebay-support"),
    pytest.param("myebay.com", False, id="myebay"),
    pytest.param("ebay.us.com", False, id="private-suffix"),
])
def test_ebay_hosts_by_registrable_domain(host, own):
    assert owned_by(host, EBAY.host_names, EBAY.host_domains) is own


@pytest.mark.parametrize("market, text, reported", [
    # eBay: its own pages are fine, wherever they are (eBay's Links policy).
    pytest.param("ebay.com", "More in our eBay Store: https://www.ebay.com/str/vantorakitchen", [], id="ebay-store"),
    pytest.param("ebay.com", "Spare lids: ebay.co.uk/itm/325671234567 and www.ebay.de/str/vantora", [],
                 id="ebay-items-any-site"),
    pytest.param("ebay.com", "Sold on eBay.com since 2009", [], id="ebay-site-name"),
    pytest.param("ebay.com", "Also at https://www.amazon.com/dp/B0CX12KETL",
                 ["https://www.amazon.com/dp/B0CX12KETL"], id="amazon-off-ebay"),
    pytest.param("ebay.com", "Sold exclusively on Amazon.com", ["Amazon.com"], id="amazon-site-name-off-ebay"),
    pytest.param("ebay.com", "Refills at ebay-support.com or ebay.com.biz/refills",
                 ["ebay-support.com", "ebay.com.biz/refills"], id="ebay-look-alikes"),
    pytest.param("ebay.com", "Old listing: http://www.ebay.com/itm/325670000001",
                 ["http://www.ebay.com/itm/325670000001"], id="ebay-plain-http"),
    pytest.param("ebay.com", '<img src="https://images.vantora-kitchen.com/base.jpg"><p>Steel.</p>', [],
                 id="https-picture"),
    pytest.param("ebay.com", '<img src="http://images.vantora-kitchen.com/base.jpg">',
                 ["http://images.vantora-kitchen.com/base.jpg"], id="http-picture"),
    pytest.param("ebay.com", '<a href="https://vantora-kitchen.com/manual.pdf">Manual</a>',
                 ["https://vantora-kitchen.com/manual.pdf"], id="link-off-ebay"),
    pytest.param("ebay.com", '<div vocab="https://schema.org/" typeof="Product">Steel kettle</div>', [],
                 id="mobile-snippet-vocabulary"),
    # Product videos are allowed only from eBay's list and only when they show the item: left reported.
    pytest.param("ebay.com", "Setup video: https://www.youtube.com/watch?v=vK3tTlE17aa",
                 ["https://www.youtube.com/watch?v=vK3tTlE17aa"], id="video-stays-reported"),
    # Etsy: etsy.com is Etsy's own.
    pytest.param("etsy.com", "Matching plates: https://www.etsy.com/shop/ClayworkStudio and etsy.me/3xYzAb", [],
                 id="etsy-shop"),
    pytest.param("etsy.com", "Wholesale: claywork-studio.com/wholesale", ["claywork-studio.com/wholesale"],
                 id="off-etsy"),
    # Walmart: no URL in any format, Walmart.com included (Product details policy).
    pytest.param("walmart.com", "Filters: walmart.com/ip/5512345", ["walmart.com/ip/5512345"], id="walmart-own"),
    pytest.param("walmart.com", "A Walmart.com exclusive", ["Walmart.com"], id="walmart-site-name"),
    # Amazon: nothing changes; its site name is prose, its links and everyone else's are reported.
    pytest.param("amazon.com", "Sold exclusively on Amazon.com", [], id="amazon-site-name"),
    pytest.param("amazon.com", "See amazon.com/dp/B0CX12KETL", ["amazon.com/dp/B0CX12KETL"], id="amazon-link"),
    pytest.param("amazon.com", "Our store https://www.ebay.com/str/vantorakitchen",
                 ["https://www.ebay.com/str/vantorakitchen"], id="ebay-off-amazon"),
    pytest.param("amazon.com", '<img src="https://images.vantora-kitchen.com/base.jpg">',
                 ["https://images.vantora-kitchen.com/base.jpg"], id="picture-off-amazon"),
])
def test_own_hosts_depend_on_the_platform(market, text, reported):
    assert matched(text, market) == reported


@pytest.mark.parametrize("market, text, message", [
    pytest.param("ebay.com", "Old listing: http://www.ebay.com/itm/325670000001",
                 "Link 'http://www.ebay.com/itm/325670000001' uses plain http; eBay allows only https links.",
                 id="ebay-http"),
    pytest.param("walmart.com", "Filters: walmart.com/ip/5512345",
                 "Web address 'walmart.com/ip/5512345' is not allowed in Walmart listing copy, not even one on "
                 "Walmart's own site.", id="walmart-own"),
    pytest.param("ebay.com", "Also at https://www.amazon.com/dp/B0CX12KETL",
                 "Web address 'https://www.amazon.com/dp/B0CX12KETL' sends buyers off eBay.", id="amazon-on-ebay"),
])
def test_messages_say_why_on_this_platform(market, text, message):
    assert [f.message for f in found(text, market)] == [message]


@pytest.mark.parametrize("market, url", [
    pytest.param("ebay.com", EBAY_LINKS, id="ebay"), pytest.param("walmart.com", WALMART_DETAILS, id="walmart"),
    pytest.param("amazon.com", "https://sellercentral.amazon.com/help/hub/reference/external/200386250",
                 id="amazon"),
])
def test_external_url_links_to_the_platforms_own_policy(market, url):
    assert [f.url for f in found("Manuals at https://vantora-kitchen.com/manual.pdf", market)] == [url]


@pytest.mark.parametrize("market", ["amazon.com", "ebay.com", "etsy.com", "walmart.com", "shopify"])
def test_amazon_look_alikes_are_spoofs_on_every_platform(market):
    spoof = found("Claim your refund at amaz0n-refunds.com or https://www.amazon.com.biz/claim", market,
                  select=("POL009",))
    assert [f.code for f in spoof] == ["POL009", "POL009"]
    # Amazon's real addresses are never spoofs (on eBay they are external-url's, not this rule's).
    assert not found("Also at https://www.amazon.com/dp/B0CX12KETL", market, select=("POL009",))


TITLE_89 = "Vantora Electric Kettle 1.7L Stainless Steel Cordless Fast Boil Auto Shut-Off Blue Window"
TITLE_143 = ("Hand-thrown Stoneware Coffee Mug, Speckled Oatmeal Glaze, 12 oz Handmade Pottery Cup, Rustic Tea Mug, "
             "Gift for Coffee Lover, Kiln Fired Ceramic")
TITLE_156 = ("Vantora Electric Kettle 1.7 L Stainless Steel with Blue Water Window, 1500 W Fast Boil, Auto Shut-Off, "
             "Boil-Dry Protection, 360 Degree Cordless Base, Silver")
TITLE_230 = TITLE_156 + ", Cordless Electric Tea Kettle for Home and Office Use With Filter"


@pytest.mark.parametrize("market, title, message", [
    pytest.param("ebay.com", TITLE_89, "Title is 89 characters long; eBay's limit is 80.", id="ebay-80"),
    pytest.param("ebay.de", TITLE_89[:80], None, id="ebay-at-limit"),
    pytest.param("etsy.com", TITLE_143, "Title is 143 characters long; Etsy's limit is 140.", id="etsy-140"),
    pytest.param("etsy.com", TITLE_89, None, id="etsy-short"),
    pytest.param("walmart.com", TITLE_156, "Title is 156 characters long; Walmart's limit is 150.", id="walmart-150"),
    pytest.param("amazon.com", TITLE_156, None, id="amazon-200"),
    pytest.param("amazon.com", TITLE_230, "Title is 222 characters long; the limit is 200.", id="amazon-over"),
    pytest.param("shopify", TITLE_230, None, id="shopify-none"),
])
def test_title_limit_is_the_platforms(market, title, message):
    assert len(TITLE_230) == 222
    titles = found(title, market, select=("long-title",), field="title")
    assert [f.message for f in titles] == ([message] if message else [])


def test_a_limits_setting_still_wins_and_names_no_platform():
    over = found(TITLE_89, "ebay.com", select=("long-title",), field="title", limits=(("title-max-chars", 85),))
    assert [f.message for f in over] == ["Title is 89 characters long; the limit is 85."]
    assert not found(TITLE_89, "ebay.com", select=("long-title",), field="title",
                     limits=(("title-max-chars", 100),))
    # A field the platform sets no limit for is measured only against the setting.
    long_terms = "x" * 300
    assert not found(long_terms, "etsy.com", select=("long-search-terms",), field="search_terms")
    assert found(long_terms, "etsy.com", select=("long-search-terms",), field="search_terms",
                 limits=(("search-terms-max-bytes", 249),))


def test_platform_limit_findings_link_to_the_platforms_page():
    over = found(TITLE_89, "ebay.com", select=("long-title",), field="title")
    assert [f.url for f in over] == [EBAY_TITLE]


@pytest.mark.parametrize("market, reported", [
    pytest.param("amazon.com", True, id="amazon-2000"), pytest.param("ebay.com", False, id="ebay"),
    pytest.param("etsy.com", False, id="etsy"), pytest.param("walmart.com", False, id="walmart"),
])
def test_amazons_description_and_bullet_limits_stay_on_amazon(market, reported):
    text = "A brushed steel kettle. " * 100  # 2,400 characters
    assert bool(found(text, market, select=("long-description",))) is reported
    assert bool(found(text[:300], market, select=("long-bullet",), field="bullet")) is reported


CATALOG = ("sku\tmarketplace\ttitle\tdescription\n"
           f"AMZ\tamazon.com\t{TITLE_89}\tStore: https://www.ebay.com/str/vantorakitchen\n"
           f"EBY\tEBAY_GB\t{TITLE_89}\tStore: https://www.ebay.co.uk/str/vantorakitchen\n"
           f"DEF\t\t{TITLE_89}\tStore: https://www.ebay.com/str/vantorakitchen\n")


@pytest.mark.parametrize("config_market, reported", [
    pytest.param("amazon.com", {("AMZ", "POL001"), ("DEF", "POL001"), ("EBY", "STY001")}, id="config-amazon"),
    pytest.param("ebay.com", {("AMZ", "POL001"), ("DEF", "STY001"), ("EBY", "STY001")}, id="config-ebay"),
])
def test_the_listings_marketplace_wins_over_the_configs(config_market, reported):
    result = lint_text(CATALOG, "c.tsv", Config(marketplace=config_market, select=("POL001", "STY001")))
    assert {(r.sku, r.finding.code) for r in result} == reported


def test_a_page_of_amazons_own_site_is_reported_without_saying_it_leaves_amazon():
    from listing_lint.api import lint_text

    found = {f.finding.message for f in lint_text("# Title\nKettle\n# Description\nMore: amazon.com/shops/vantora\n")}
    assert found == {"Web address 'amazon.com/shops/vantora' is not allowed in Amazon listing copy, "
                     "not even one on Amazon's own site."}


@pytest.mark.parametrize("market, text, reported", [
    pytest.param("amazon.com", "Custom colours available. Message us on Etsy for a quote.", True, id="etsy-on-amazon"),
    pytest.param("etsy.com", "Custom colours available. Message us on Etsy for a quote.", False, id="etsy-on-etsy"),
    pytest.param("ebay.com", "Message us on eBay for bundle prices.", False, id="ebay-on-ebay"),
    pytest.param("ebay.com", "Find us on AliExpress for spare parts.", True, id="aliexpress-on-ebay"),
    pytest.param("walmart.com", "Follow us on Instagram for recipes.", True, id="instagram-on-walmart"),
])
def test_an_invitation_to_the_platform_itself_stays_on_it(market, text, reported):
    """Another marketplace is off the platform; the platform's own name is not."""
    assert bool(found(text, market, select=("POL004",))) is reported
