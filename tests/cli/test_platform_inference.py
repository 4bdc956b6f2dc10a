"""Exports linted for the platform they come from (issue 11, leftover 1), through ``listing-lint check``.

An eBay, Etsy, Walmart or Shopify export whose rows name no marketplace used to be linted as Amazon copy
unless the config named the marketplace. Which marketplace applies, first to last: the row's marketplace
column; ``--marketplace`` (the run's explicit choice); the site the header names (eBay's SiteID); the config's
marketplace when it is on the export's platform; the platform's home site; for Amazon's and unknown layouts,
the config's marketplace. A config naming another platform's marketplace does not turn an eBay export into
Amazon copy. Fixtures: tests/fixtures/catalogs/make_fixtures.py (``platform_profiles``, ``platform_inference``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs"
EBAY_TITLE = "https://developer.ebay.com/api-docs/user-guides/static/trading-user-guide/listing-title.html"
UK_PHONE = "0113 496 0123"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name in ("ebay-file-exchange-links.csv", "etsy-listings-links.csv", "walmart-item-setup-links.xlsx",
                 "shopify-products.csv", "ebay-seller-hub-drafts.csv", "ebay-file-exchange-uk.csv",
                 "ebay-seller-hub-drafts-uk.csv", "amazon-flatfile-cp1252.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def check(work: Path, name: str, config: str | None = None, *args: str) -> list[dict]:
    """Run ``check --format json`` on one fixture; ``config`` is the listing-lint.toml text, if any."""
    path = work / "listing-lint.toml"
    path.unlink(missing_ok=True)
    if config is not None:
        path.write_text(config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", "--format", "json", *args,
                             name], cwd=work, text=True, capture_output=True, env=env, encoding="utf-8")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def summary(data: list[dict]) -> list[tuple]:
    return [(d["sku"], d["code"], d["message"]) for d in data]


def test_ebay_file_exchange_with_no_config_is_linted_as_ebay_copy(work):
    data = check(work, "ebay-file-exchange-links.csv", None, "--select", "POL001,STY001")
    assert [(d["sku"], d["code"], d["url"]) for d in data][0] == ("EB-KETTLE-17", "STY001", EBAY_TITLE)
    assert data[0]["message"] == "Title is 89 characters long; eBay's limit is 80."
    links = [d["message"] for d in data if d["code"] == "POL001"]
    # eBay's own store, item and picture links are fine on eBay; Amazon copy would report them all.
    assert links == [
        "Link 'http://www.ebay.com/itm/325670000001' uses plain http; eBay allows only https links.",
        "Web address 'https://www.amazon.com/dp/B0CX12KETL' sends buyers off eBay.",
        "Web address 'https://www.youtube.com/watch?v=vK3tTlE17aa' sends buyers off eBay."]


def test_etsy_download_with_no_config_is_linted_as_etsy_copy(work):
    assert [(d["field"], d["code"], d["message"]) for d in check(work, "etsy-listings-links.csv")] == [
        ("title", "STY001", "Title is 143 characters long; Etsy's limit is 140."),
        ("description", "POL001", "Web address 'claywork-studio.com/wholesale' sends buyers off Etsy.")]


def test_walmart_setup_sheet_with_no_config_is_linted_as_walmart_copy(work):
    data = check(work, "walmart-item-setup-links.xlsx", None, "--select", "POL001,STY001")
    assert [(d["cell"], d["message"]) for d in data] == [
        ("'Product Content And Site Exp'!C4", "Title is 156 characters long; Walmart's limit is 150."),
        ("'Product Content And Site Exp'!E4",
         "Web address 'walmart.com/ip/Vantora-Kettle-Filter/5512345' is not allowed in Walmart listing copy, "
         "not even one on Walmart's own site.")]


def test_shopify_export_with_no_config_keeps_its_html_and_speaks_of_the_store(work):
    data = check(work, "shopify-products.csv")
    assert summary(data) == [
        ("SH-KETTLE-STEEL", "POL001", "Web address 'www.vantora-kitchen.com' sends buyers off your store.")]
    assert data[0]["location"] == {"row": 2, "column": 130}


def test_ebay_seller_hub_draft_with_no_config_is_linted_as_ebay_copy(work):
    assert summary(check(work, "ebay-seller-hub-drafts.csv")) == [
        ("SH-MUG-02", "POL002", "Email address 'help@vantora-kitchen.com' invites buyers to contact you off eBay.")]


@pytest.mark.parametrize("market", ["amazon.com", "amazon.de", "etsy.com"])
def test_a_config_naming_another_platform_does_not_turn_an_export_into_its_copy(work, market):
    # A project default (an Amazon seller's amazon.de) applies to files that name no platform; an eBay export
    # in the same folder is still eBay copy, with eBay's 80-character titles and its own links allowed.
    config = f'marketplace = "{market}"\n'
    assert check(work, "ebay-file-exchange-links.csv", config) == check(work, "ebay-file-exchange-links.csv")
    assert check(work, "shopify-products.csv", config) == check(work, "shopify-products.csv")


def test_files_that_name_no_platform_still_follow_the_config(work):
    # Amazon's flat file names no other platform: Amazon by default, the config's marketplace when it has one.
    name = "amazon-flatfile-cp1252.txt"
    assert [d["message"] for d in check(work, name)] == [
        "Web address 'www.vantora-kitchen.com' sends buyers off Amazon."]
    assert [d["message"] for d in check(work, name, 'marketplace = "ebay.co.uk"\n')] == [
        "Web address 'www.vantora-kitchen.com' sends buyers off eBay."]


def phone(data: list[dict]) -> list[tuple]:
    return [(d["sku"], d["message"]) for d in data if d["code"] == "POL003"]


def test_file_exchange_site_id_names_the_site(work):
    # SiteID=UK: the Leeds number is read as a GB number, whatever the config says.
    expected = [("UK-KETTLE-17", f"Phone number '{UK_PHONE}' invites buyers to contact you off eBay.")]
    for config in (None, 'marketplace = "ebay.com"\n', 'marketplace = "amazon.com"\n'):
        assert phone(check(work, "ebay-file-exchange-uk.csv", config)) == expected, config


def test_seller_hub_draft_takes_the_site_from_a_config_on_ebay(work):
    # The draft upload names no site: eBay's home site reads the number as a US one, which it is not;
    # a config on eBay UK reads it as the GB number it is.
    assert phone(check(work, "ebay-seller-hub-drafts-uk.csv")) == []
    assert phone(check(work, "ebay-seller-hub-drafts-uk.csv", 'marketplace = "ebay.co.uk"\n')) == [
        ("UK-TORCH-01", f"Phone number '{UK_PHONE}' invites buyers to contact you off eBay.")]
    # A config on Amazon UK says nothing about the eBay site: eBay's home site applies.
    assert phone(check(work, "ebay-seller-hub-drafts-uk.csv", 'marketplace = "amazon.co.uk"\n')) == []


def test_marketplace_on_the_command_line_wins_over_the_export(work):
    # Checking a Shopify export as Amazon copy before listing it there is a deliberate choice: --marketplace.
    codes = {d["code"] for d in check(work, "shopify-products.csv", None, "--marketplace", "amazon.com")}
    assert {"STY007", "POL001"} <= codes  # html-markup is reported in Amazon copy
    data = check(work, "ebay-file-exchange-links.csv", 'marketplace = "ebay.com"\n', "--marketplace", "amazon.com",
                 "--select", "POL001")
    assert len(data) == 9 and all("Amazon" in d["message"] and "eBay" not in d["message"] for d in data)
    assert "Web address 'https://www.ebay.com/str/vantorakitchen' sends buyers off Amazon." in {
        d["message"] for d in data}
    assert phone(check(work, "ebay-file-exchange-uk.csv", None, "--marketplace", "ebay.com")) == []
