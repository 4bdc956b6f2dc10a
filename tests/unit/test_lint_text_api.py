"""The documented library call ``lint_text(text, filename, config)`` (issue 11) and the py.typed marker."""

from __future__ import annotations

import doctest
import tomllib

import listing_lint
from conftest import ROOT
from listing_lint import Config, lint_text
from listing_lint import api


def test_docstring_example_runs():
    failures, tests = doctest.testmod(api, verbose=False)
    assert tests >= 1 and failures == 0


def test_rows_columns_and_skus_per_format():
    md = lint_text("# Title\nVantora Kettle\n\n# Bullets\n- Mail help@vantora.com\n", "k.listing.md",
                   Config(select=("policy",)))
    assert [(f.finding.code, f.row, f.column, f.end_column) for f in md] == [("POL002", 5, 8, 24)]
    tsv = lint_text("item_sku\titem_name\nA-1\tKettle – café www.vantora.com\n", "flat.txt", Config(select=("POL001",)))
    assert [(f.sku, f.row, f.column) for f in tsv] == [("A-1", 2, 19)]
    assert lint_text("# Title\nVantora Kettle\n") == []


def test_package_is_typed():
    assert (ROOT / "server" / "listing_lint" / "py.typed").is_file()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in data["tool"]["setuptools"]["package-data"]["listing_lint"]
    assert "lint_text" in listing_lint.__all__
