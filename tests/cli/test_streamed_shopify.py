"""Shopify exports too big to read at once keep one listing per Handle (issue 11, leftover 2).

A catalog over ``run.STREAM_MIN_BYTES`` is linted in slices of about ``stream.SLICE_CHARS`` characters. Slices
used to be cut at any row, so a product's variant rows in the next slice became listings of their own. Slices
of a catalog with a Handle column are now cut only where the Handle changes. The exports are built by
tests/fixtures/catalogs/make_fixtures.py (``shopify_catalog``): every product's last variant row carries a
note with a web address, so a variant row read apart from its product shows as a finding under its own SKU.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from listing_lint.cli import run as run_module
from listing_lint.cli.main import main
from listing_lint.extract import stream

from conftest import load_script

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs"
make_fixtures = load_script(FIXTURES / "make_fixtures.py")


def _check(args: list[str], capsys) -> tuple[int, str]:
    code = main(["check", "--no-cache", *args])
    out, _ = capsys.readouterr()
    return code, out


def _naive_cuts(text: str, slice_chars: int) -> list[int]:
    """Where slices were cut before: at the end of the first row ending at or after each slice's size."""
    cuts, pos = [], 0
    while True:
        i = text.find("\r\n", pos + slice_chars - 1)
        if i < 0:
            return cuts
        pos = i + 2
        cuts.append(pos)


def _handle_at(text: str, pos: int) -> str:
    return text[pos:text.index(",", pos)]


def _straddled(text: str, slice_chars: int) -> list[str]:
    """The products whose rows a plain cut every ``slice_chars`` characters would split."""
    out = []
    for cut in _naive_cuts(text, slice_chars):
        before = text.rindex("\r\n", 0, cut - 2) + 2
        if cut < len(text) and _handle_at(text, before) == _handle_at(text, cut):
            out.append(_handle_at(text, cut))
    return out


def _product_skus(products: int) -> set[str]:
    return {f"SH-{p:05d}-00-STEEL" for p in range(products)}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_variant_rows_in_the_next_slice_fold_into_their_product(tmp_path: Path, capsys, monkeypatch, jobs):
    path = tmp_path / "products_export.csv"
    make_fixtures.shopify_catalog(path, products=60, variants=6, note_every=1)
    text = path.read_bytes().decode("utf-8")
    assert len(_straddled(text, 4096)) >= 10
    whole_code, whole = _check(["--format", "json", str(path)], capsys)
    monkeypatch.setattr(run_module, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr(stream, "SLICE_CHARS", 4096)
    code, streamed = _check(["--format", "json", "--jobs", jobs, str(path)], capsys)
    assert (code, json.loads(streamed)) == (whole_code, json.loads(whole))
    data = json.loads(streamed)
    assert {d["sku"] for d in data} == _product_skus(60)
    assert len(data) == 120  # the manual link of each product row and the spare-lids link of its last variant
    _, text_out = _check(["--jobs", jobs, str(path)], capsys)
    assert "in 1 file, 60 listings" in text_out


def test_a_big_shopify_export_streams_with_one_listing_per_handle(tmp_path: Path, capsys, monkeypatch):
    path = tmp_path / "products_export_1.csv"
    products = 2400
    make_fixtures.shopify_catalog(path, products=products, variants=20, note_every=1)
    assert path.stat().st_size > run_module.STREAM_MIN_BYTES  # about 9 MB: check streams it
    assert _straddled(path.read_bytes().decode("utf-8"), stream.SLICE_CHARS)  # a product spans a slice cut
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    exe = Path(sys.executable).parent / "listing-lint"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "listing_lint"]

    # Findings still come out while the rest of the file is read.
    proc = subprocess.Popen([*cmd, "check", str(path), "--no-cache", "--format", "concise", "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        first = proc.stdout.readline().decode()
        still_running = proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
    assert "products_export_1.csv:2:" in first and "SH-00000-00-STEEL" in first
    assert still_running, "the first finding must be printed while the rest of the catalog is still being linted"

    result = subprocess.run([*cmd, "check", str(path), "--no-cache", "--format", "json", "--jobs", "2"],
                            capture_output=True, text=True, encoding="utf-8", env=env)
    assert result.returncode == 1, result.stderr
    streamed = json.loads(result.stdout)
    assert {d["sku"] for d in streamed} == _product_skus(products)
    spares = [d for d in streamed if "vantora-spares.com" in d["message"]]
    assert len(spares) == products and all(d["sku"].endswith("-00-STEEL") for d in spares)
    # The same findings, positions included, as when the file is read whole.
    monkeypatch.setattr(run_module, "STREAM_MIN_BYTES", 1 << 40)
    _, whole = _check(["--format", "json", str(path)], capsys)
    assert streamed == json.loads(whole)
