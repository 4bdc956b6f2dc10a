"""Marketplace profiles through the command line (issue 11, item 4): each platform's own links and title limits.

The fixtures (tests/fixtures/catalogs/make_fixtures.py, ``platform_profiles``) are the same kettle, mug and
torch as each platform's sellers would export them: an eBay File Exchange file with an HTML description, an
Etsy listing download, a Walmart item setup workbook and a multichannel export with a marketplace column.
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
EBAY_LINKS = "https://www.ebay.com/help/policies/listing-policies/links-policy?id=4248"
EBAY_TITLE = "https://developer.ebay.com/api-docs/user-guides/static/trading-user-guide/listing-title.html"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name in ("ebay-file-exchange-links.csv", "etsy-listings-links.csv", "walmart-item-setup-links.xlsx",
                 "multichannel-export.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def check(work: Path, name: str, marketplace: str | None = None, *args: str) -> list[dict]:
    """Run ``check --format json`` on one fixture, with a config naming the marketplace if given."""
    config = work / "listing-lint.toml"
    config.unlink(missing_ok=True)
    if marketplace:
        config.write_text(f'marketplace = "{marketplace}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", "--format", "json", *args,
                             name], cwd=work, text=True, capture_output=True, env=env, encoding="utf-8")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def matched(finding: dict) -> str:
    """Return the text a finding points at, read back from its message ('...' quoted)."""
    return finding["message"].split("'")[1]


def test_ebay_file_exchange_allows_ebay_pages_and_https_pictures(work):
    data = check(work, "ebay-file-exchange-links.csv", "ebay.com", "--select", "POL001,STY001")
    title = [d for d in data if d["code"] == "STY001"]
    assert [(d["sku"], d["message"], d["url"]) for d in title] == [
        ("EB-KETTLE-17", "Title is 89 characters long; eBay's limit is 80.", EBAY_TITLE)]
    assert title[0]["location"] == {"row": 2, "column": 81 + len("Add,EB-KETTLE-17,20667,")}
    links = [d for d in data if d["code"] == "POL001"]
    # Left: an http link to eBay, Amazon, and a video (eBay allows only embedded videos from its list).
    assert [(d["sku"], matched(d)) for d in links] == [
        ("EB-KETTLE-17", "http://www.ebay.com/itm/325670000001"),
        ("EB-KETTLE-17", "https://www.amazon.com/dp/B0CX12KETL"),
        ("EB-KETTLE-17", "https://www.youtube.com/watch?v=vK3tTlE17aa")]
    assert links[0]["message"].endswith("uses plain http; eBay allows only https links.")
    assert links[1]["message"].endswith("sends buyers off eBay.")
    assert {d["url"] for d in links} == {EBAY_LINKS}
    # Not reported: eBay's picture host, a picture on the seller's https site, the eBay Store and item links,
    # the schema.org vocabulary of eBay's mobile description snippet, and the torch's ebay.co.uk store link.
    assert not {"EB-TORCH-01"} & {d["sku"] for d in data}


def test_the_same_ebay_file_read_as_amazon_copy_reports_every_link(work):
    # --marketplace is the run's explicit choice: it wins over the platform the file's header names.
    amazon = ("--marketplace", "amazon.com")
    links = [matched(d) for d in check(work, "ebay-file-exchange-links.csv", None, *amazon, "--select", "POL001")]
    assert "https://www.ebay.com/str/vantorakitchen" in links and "ebay.co.uk/str/vantorakitchen" in links
    assert "https://images.vantora-kitchen.com/kettle-base.jpg" in links
    assert not check(work, "ebay-file-exchange-links.csv", None, *amazon, "--select", "STY001")  # 89 < 200


def test_etsy_download_etsy_links_title_140_and_tags_not_held_to_amazons_bytes(work):
    data = check(work, "etsy-listings-links.csv", "etsy.com")
    assert [(d["field"], d["code"], d["message"]) for d in data] == [
        ("title", "STY001", "Title is 143 characters long; Etsy's limit is 140."),
        ("description", "POL001", "Web address 'claywork-studio.com/wholesale' sends buyers off Etsy.")]
    assert data[1]["location"] == {"row": 4, "column": 19}  # the third line of the quoted description cell
    # The same tags, 256 bytes, are over Amazon's search-term limit when the listing is Amazon's.
    amazon = check(work, "etsy-listings-links.csv", None, "--marketplace", "amazon.com")
    assert ("search terms", "STY013") in {(d["field"], d["code"]) for d in amazon}


def test_walmart_setup_sheet_product_name_150_and_no_walmart_links(work):
    data = check(work, "walmart-item-setup-links.xlsx", "walmart.com", "--select", "POL001,STY001")
    assert [(d["cell"], d["code"], d["message"]) for d in data] == [
        ("'Product Content And Site Exp'!C4", "STY001", "Title is 156 characters long; Walmart's limit is 150."),
        ("'Product Content And Site Exp'!E4", "POL001",
         "Web address 'walmart.com/ip/Vantora-Kettle-Filter/5512345' is not allowed in Walmart listing copy, "
         "not even one on Walmart's own site.")]
    assert not check(work, "walmart-item-setup-links.xlsx", None, "--marketplace", "amazon.com",
                     "--select", "STY001")  # 156 < 200


@pytest.mark.parametrize("config_market, expected", [
    pytest.param(None, {("MC-KETTLE-AMZ", "POL001"), ("MC-KETTLE-EBY", "STY001"), ("MC-KETTLE-ETY", "POL001"),
                        ("MC-KETTLE-DEF", "POL001")}, id="default-amazon"),
    pytest.param("ebay.com", {("MC-KETTLE-AMZ", "POL001"), ("MC-KETTLE-EBY", "STY001"),
                              ("MC-KETTLE-ETY", "POL001"), ("MC-KETTLE-DEF", "STY001")}, id="config-ebay"),
])
def test_marketplace_column_decides_each_rows_platform(work, config_market, expected):
    data = check(work, "multichannel-export.csv", config_market, "--select", "POL001,STY001")
    assert {(d["sku"], d["code"]) for d in data} == expected
    etsy = next(d for d in data if d["sku"] == "MC-KETTLE-ETY")
    assert etsy["message"].endswith("sends buyers off Etsy.")

