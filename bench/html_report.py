"""The HTML audit report at scale: file size, render time and page load in headless Chromium for ~50,000 findings.

Usage: python bench/html_report.py [--findings 50000] [--repeat 3] [--keep DIR]

Writes a JSONL catalog whose rows carry about 15 findings each (links, emails, phones, competitor names,
review incentives, sales claims, HTML), lints it in-process, times ``render_html``, writes the report and
opens it from file:// in Debian's Chromium through selenium and chromedriver (as tests/cli/test_html_report.py
does). Reports the file size (raw and gzipped), the time to the first rendered page (cold and best warm
load), JSON.parse and first-page times, the time one search, one sort and one page turn take, and the
JavaScript heap. Needs scripts/install-vscode-test-deps --browser-only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

from listing_lint.cli.records import records_for
from listing_lint.cli.report_html import render_html
from listing_lint.config import Config
from listing_lint.document import lint_text
from listing_lint.engine.lint import ruleset_for

BRANDS = ("Anker", "Yeti", "Ninja", "Owala", "Stanley")
PER_ROW = 15  # findings each generated row carries


def catalog(rows: int) -> str:
    """Return a JSONL catalog of ``rows`` listings, each with about PER_ROW findings."""
    lines = []
    for i in range(rows):
        b = BRANDS[i % len(BRANDS)]
        lines.append(json.dumps({
            "sku": f"VT-{i:06d}", "brand": "Vantora",
            "title": f"Vantora Bottle {i} oz, better than {b}, #1 Best Seller <b>new</b>",
            "bullets": [f"Visit www.vantora{i % 50}.com for recipes", "Email help@vantora.com or call (555) 010-4477",
                        "Leave a 5-star review and get a free gift card!", "Sold 50,000 units"],
            "description": f"Great <script>alert({i})</script> bottle. Compatible with {b} lids.",
            "search_terms": f"bottle best cheap {b.lower()}",
        }))
    return "\n".join(lines) + "\n"


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,900", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--enable-precise-memory-info"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def load(driver, url: str) -> dict:
    start = time.perf_counter()
    driver.get(url)
    while not driver.execute_script("return window.reportReady"):
        time.sleep(0.01)
    ready = driver.execute_script("return window.reportReady")
    ready["wall"] = (time.perf_counter() - start) * 1000
    return ready


def in_page(driver, action: str) -> float:
    """Run ``action`` (JS) and return the milliseconds until the findings count next changes."""
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1], t = performance.now();
        const target = document.getElementById('range');
        new MutationObserver((_, obs) => { obs.disconnect(); done(performance.now() - t); })
            .observe(target, {childList: true, characterData: true, subtree: true});
    """ + action)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--findings", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="write the catalog and report here instead of a temporary folder")
    args = ap.parse_args()

    base = args.keep or Path(tempfile.mkdtemp(prefix="listing-lint-html-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    config = Config(competitors=BRANDS, own_brands=("Vantora",))
    text = catalog(-(-args.findings // PER_ROW))
    (base / "catalog.jsonl").write_text(text, encoding="utf-8")

    t = time.perf_counter()
    result = lint_text("catalog.jsonl", text, config, "jsonl")
    records = records_for(result)
    lint_s = time.perf_counter() - t
    t = time.perf_counter()
    html = render_html(records, ruleset_for(config).specs, files=1, listings=len(result.listings), skipped=0,
                       problems=[])
    render_s = time.perf_counter() - t
    report = base / "report.html"
    report.write_text(html, encoding="utf-8")
    size = report.stat().st_size
    packed = len(gzip.compress(report.read_bytes(), 6))
    print(f"{len(records):,} findings in {len(result.listings):,} listings: lint {lint_s:.1f} s, "
          f"render_html {render_s:.2f} s")
    print(f"report.html: {size / 1e6:.2f} MB ({size / len(records):.0f} bytes a finding), "
          f"{packed / 1e6:.2f} MB gzipped")

    driver = browser()
    try:
        cold = load(driver, report.as_uri())
        warm = [load(driver, report.as_uri()) for _ in range(args.repeat)]
        best = min(warm, key=lambda r: r["ms"])
        print(f"Chromium, first page shown: cold {cold['ms']:.0f} ms after navigation ({cold['wall']:.0f} ms wall); "
              f"warm best {best['ms']:.0f} ms, median {statistics.median(r['ms'] for r in warm):.0f} ms "
              f"(JSON.parse {best['parseMs']:.0f} ms, first page {best['renderMs']:.0f} ms)")
        search = in_page(driver, """
            const box = document.getElementById('search');
            box.value = 'stanley'; box.dispatchEvent(new Event('input'));""")
        count = driver.find_element("id", "match-count").text
        sort = in_page(driver, "document.querySelector('th[data-sort=sev] button').click();")
        turn = in_page(driver, "document.getElementById('next').click();")
        heap = driver.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : 0")
        print(f"search 'stanley' -> {count} rows: {search:.0f} ms (including the 200 ms typing pause); "
              f"sort by severity {sort:.0f} ms; next page {turn:.0f} ms; JS heap {heap / 1e6:.0f} MB")
    finally:
        driver.quit()
    print(f"files in {base}")


if __name__ == "__main__":
    main()
