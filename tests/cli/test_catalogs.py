"""Catalog exports as sellers download them (issue 11): spreadsheets, legacy encodings, other marketplaces' columns.

Every test runs the real command line on the fixtures built by tests/fixtures/catalogs/make_fixtures.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", *args], cwd=cwd, text=True,
                          capture_output=True, env=env, encoding="utf-8")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for f in FIXTURES.iterdir():
        if f.suffix != ".py":
            shutil.copy(f, tmp_path / f.name)
    return tmp_path


def findings(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


# -- spreadsheets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["amazon-2023-template.xlsx", "amazon-2023-template.xlsm"])
def test_amazon_template_findings_name_sheet_cell_and_column_in_cell(work, name):
    data = findings(run("--select", "policy", "--format", "json", name, cwd=work))
    url = next(d for d in data if d["rule"] == "external-url")
    # Row 4 of the Template sheet, column F (bullet 2); 'www.' starts at character 24 of the cell.
    assert url["cell"] == "Template!F4" and url["sku"] == "VK-KETTLE-17" and url["field"] == "bullet 2"
    assert url["location"] == {"row": 4, "column": 24}
    assert url["end_location"]["column"] - url["location"]["column"] == len("www.vantora-kitchen.com")
    email = next(d for d in data if d["rule"] == "contact-email")
    # A cell with a line break: the column still counts characters inside the cell.
    assert email["cell"] == "Template!E6" and email["location"] == {"row": 6, "column": 22}
    # The label row and the attribute-name row are headers, never listings.
    assert not {d["sku"] for d in data} & {"SKU", "contribution_sku#1.value"}


def test_spreadsheet_reads_only_sheets_with_a_header_and_counts_listings(work):
    result = run("--select", "policy", "amazon-2023-template.xlsx", cwd=work)
    assert result.returncode == 1
    assert "in 1 file, 3 listings." in result.stdout
    assert "amazon-2023-template.xlsx:Template!F4:24: POL001 external-url" in result.stdout
    assert "4 | Manuals and recipes at www.vantora-kitchen.com" in result.stdout


def test_walmart_setup_sheet_key_features_are_bullets_and_sheet_names_are_quoted(work):
    data = findings(run("--select", "policy", "--format", "json", "walmart-item-setup.xlsx", cwd=work))
    assert [(d["cell"], d["sku"], d["field"]) for d in data] == [
        ("'Product Content And Site Exp'!G4", "WM-KETTLE-17", "bullet 2")]


def test_every_output_format_names_the_cell(work):
    args = ("--select", "POL001", "amazon-2023-template.xlsx")
    github = run("--format", "github", *args, cwd=work).stdout
    assert "file=amazon-2023-template.xlsx,line=4,col=24," in github and "::Template!F4: Web address" in github
    rows = list(csv.DictReader(io.StringIO(run("--format", "csv", *args, cwd=work).stdout)))
    assert [(r["cell"], r["row"], r["column"], r["sku"]) for r in rows] == [("Template!F4", "4", "24", "VK-KETTLE-17")]
    lines = run("--format", "jsonl", *args, cwd=work).stdout.splitlines()
    assert [json.loads(line)["cell"] for line in lines] == ["Template!F4"]
    log = json.loads(run("--format", "sarif", *args, cwd=work).stdout)
    result = log["runs"][0]["results"][0]
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "Template!F4"
    assert result["message"]["text"].startswith("Template!F4: ")
    html = work / "report.html"
    run("--format", "html", "--output", str(html), *args, cwd=work)
    assert "Template!F4" in html.read_text(encoding="utf-8")


def test_fix_never_rewrites_a_workbook_and_diff_shows_each_cell(work):
    before = (work / "amazon-2023-template.xlsx").read_bytes()
    fixed = run("--select", "POL001", "--fix", "amazon-2023-template.xlsx", cwd=work)
    assert (work / "amazon-2023-template.xlsx").read_bytes() == before
    assert "does not rewrite spreadsheets" in fixed.stderr
    diff = run("--select", "POL001", "--diff", "amazon-2023-template.xlsx", cwd=work)
    assert diff.returncode == 1
    assert "--- a/amazon-2023-template.xlsx:Template!F4\n+++ b/amazon-2023-template.xlsx:Template!F4\n" in diff.stdout
    assert "-Manuals and recipes at www.vantora-kitchen.com\n" in diff.stdout
    minus, plus = [line for line in diff.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    assert "www." not in plus and plus[1:].strip().startswith("Manuals and recipes")


def test_unreadable_workbook_is_a_read_error_in_every_format(work):
    (work / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a zip archive")
    result = run("--format", "json", "--exit-zero", "broken.xlsx", cwd=work)
    assert result.returncode == 1  # --exit-zero forgives findings, not files that were never checked
    [record] = json.loads(result.stdout)
    assert record["rule"] == "read-error" and record["filename"] == "broken.xlsx"
    assert "cannot read as a spreadsheet" in record["message"]
    github = run("--format", "github", "broken.xlsx", cwd=work)
    assert github.stdout.startswith("::error file=broken.xlsx,line=1,col=1,title=read-error::cannot read")
    log = json.loads(run("--format", "sarif", "broken.xlsx", cwd=work).stdout)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "read-error" and "cannot read as a spreadsheet" in note["message"]["text"]
    csv_out = list(csv.DictReader(io.StringIO(run("--format", "csv", "broken.xlsx", cwd=work).stdout)))
    assert [r["rule"] for r in csv_out] == ["read-error"]
    html = work / "r.html"
    run("--format", "html", "--output", str(html), "broken.xlsx", cwd=work)
    assert "cannot read as a spreadsheet" in html.read_text(encoding="utf-8")


def test_named_file_without_listing_columns_is_reported_not_skipped(work):
    (work / "prices.csv").write_text("sku,price\nA-1,9.99\n", encoding="utf-8")
    result = run("--format", "json", "prices.csv", cwd=work)
    assert result.returncode == 1
    assert [d["rule"] for d in json.loads(result.stdout)] == ["read-error"]
    # In a folder walk the same file is just not a listing.
    (work / "sub").mkdir()
    shutil.move(work / "prices.csv", work / "sub" / "prices.csv")
    assert run("--format", "json", "sub", cwd=work).returncode == 0


# -- other marketplaces' exports -------------------------------------------------------------------


def test_ebay_file_exchange_and_seller_hub_columns(work):
    fe = findings(run("--select", "policy", "--format", "json", "ebay-file-exchange.csv", cwd=work))
    assert [(d["sku"], d["field"], d["rule"]) for d in fe] == [("EB-KETTLE-17", "description", "contact-phone")]
    hub = findings(run("--select", "policy", "--format", "json", "ebay-seller-hub-drafts.csv", cwd=work))
    assert [(d["sku"], d["field"], d["rule"]) for d in hub] == [("SH-MUG-02", "description", "contact-email")]


def test_shopify_one_listing_per_handle_with_body_html_as_description(work):
    result = run("--select", "policy", "shopify-products.csv", cwd=work)
    assert "in 1 file, 2 listings." in result.stdout, result.stdout
    data = findings(run("--select", "policy", "--format", "json", "shopify-products.csv", cwd=work))
    assert [(d["sku"], d["field"], d["location"]["row"]) for d in data] == [("SH-KETTLE-STEEL", "description", 2)]


def test_shopify_variant_rows_fold_by_handle_wherever_they_are(work):
    # Sorted by SKU, the kettle's variant rows come after the torch: still one listing per Handle.
    result = run("--select", "policy", "shopify-products-sorted.csv", cwd=work)
    assert "in 1 file, 2 listings." in result.stdout, result.stdout
    (work / "listing-lint.toml").write_text('marketplace = "shopify"\n', encoding="utf-8")
    data = findings(run("--select", "policy", "--format", "json", "shopify-products-sorted.csv", cwd=work))
    # Row 5 is the white kettle's row: its finding belongs to the kettle's listing (row 2, first SKU).
    assert [(d["sku"], d["location"]["row"], d["message"]) for d in data] == [
        ("SH-KETTLE-BLACK", 5, "Web address 'www.vantora-kitchen.com' sends buyers off your store.")]


def test_etsy_tags_are_search_terms(work):
    data = findings(run("--format", "json", "etsy-listings.csv", cwd=work))
    assert {"search terms", "description"} >= {d["field"] for d in data if d["sku"] == "ET-MUG-01"}
    url = next(d for d in data if d["rule"] == "external-url")
    assert url["location"] == {"row": 3, "column": 9}  # the second line of a quoted multi-line cell


def test_amazon_2023_attribute_headers_in_a_text_flat_file(work):
    data = findings(run("--select", "policy", "--format", "json", "amazon-2023-flatfile.txt", cwd=work))
    assert [(d["sku"], d["field"], d["location"]["row"]) for d in data] == [("VK-KETTLE-17", "bullet 2", 4)]


def test_columns_table_maps_any_export(work):
    (work / "listing-lint.toml").write_text(
        '[columns]\n"Item ref" = "sku"\nHeadline = "title"\n"Selling point 1" = "bullets"\n'
        '"Selling point 2" = "bullets"\n"Long copy" = "description"\n', encoding="utf-8")
    data = findings(run("--select", "policy", "--format", "json", "custom-export.csv", cwd=work))
    assert [(d["sku"], d["field"]) for d in data] == [("CX-KETTLE-17", "bullet 2")]
    (work / "listing-lint.toml").write_text('[columns]\nHeadline = "titel"\n', encoding="utf-8")
    bad = run("custom-export.csv", cwd=work)
    assert bad.returncode == 2 and "did you mean 'title'" in bad.stderr


# -- encodings -------------------------------------------------------------------------------------


def test_windows_1252_flat_file_is_read_without_complaint(work):
    result = run("--select", "policy", "--format", "json", "amazon-flatfile-cp1252.txt", cwd=work)
    assert result.stderr == ""
    [d] = json.loads(result.stdout)
    # "Refills and guides: www…" sits in the bullet column after the accented title (one character each).
    line = (work / "amazon-flatfile-cp1252.txt").read_bytes().decode("cp1252").splitlines()[3]
    assert line[d["location"]["column"] - 1:].startswith("www.vantora-kitchen.com")


@pytest.mark.parametrize("name, market, encoding", [
    ("amazon-jp-shift_jis.txt", "amazon.co.jp", "cp932"),
    ("amazon-cn-gb18030.txt", "amazon.cn", "gb18030"),
])
def test_marketplace_legacy_encodings_and_fix_writes_them_back(work, name, market, encoding):
    original = (work / name).read_bytes()
    text = original.decode(encoding)
    # Without the marketplace, Shift-JIS is not Windows-1252: said clearly, with the place of the bad byte.
    if encoding == "cp932":
        plain = run("--format", "json", name, cwd=work)
        assert "neither UTF-8 nor cp1252" in plain.stderr and "--encoding" in plain.stderr
    for how in (("--marketplace", market), ("--encoding", encoding)):
        [d] = findings(run("--select", "POL001", "--format", "json", *how, name, cwd=work))
        line = text.splitlines()[d["location"]["row"] - 1]
        assert line[d["location"]["column"] - 1:].startswith("www.vantora-kitchen.")
    run("--select", "POL001", "--fix", "--marketplace", market, name, cwd=work)
    after = (work / name).read_bytes()
    assert after != original and "www." not in after.decode(encoding)
    assert after.decode(encoding).splitlines()[2] == text.splitlines()[2]  # untouched rows, byte for byte


def test_encoding_config_key_and_unknown_names(work):
    (work / "listing-lint.toml").write_text('encoding = "shift_jis"\n', encoding="utf-8")
    assert len(findings(run("--select", "POL001", "--format", "json", "amazon-jp-shift_jis.txt", cwd=work))) == 1
    bad = run("--encoding", "cp-1252x", "amazon-jp-shift_jis.txt", cwd=work)
    assert bad.returncode == 2 and "unknown encoding" in bad.stderr
