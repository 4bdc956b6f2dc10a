"""The HTML audit report (`check --format html --output FILE`): escaping and content, then end to end in Chromium.

The unit tests read the HTML with the standard library's parser. The end-to-end tests run the CLI on
examples/ and on a generated folder of a few thousand findings, with --format json (and concise, for the
listing count) beside it, open the report from file:// in headless Debian Chromium (driven by selenium
and Debian's chromedriver, installed by `scripts/install-vscode-test-deps --browser-only`) and check:
- the totals, the per-rule and per-field chart counts and the table rows against the JSON output;
- search, the severity filter, the "worst listings" links and paging narrow the table correctly;
- hostile listing text shows as text and runs nothing;
- the page makes no network request (Chromium also runs with every host name unresolvable);
- without JavaScript the first rows are still there.
Screenshot: build/html-report.png (a CI artifact), copied to docs/html-report.png when that is missing or
LISTING_LINT_UPDATE_SCREENSHOT=1, so a normal run leaves the work tree clean.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

import pytest

from conftest import ROOT
from processes import quit_driver
from listing_lint.cli.records import Record, records_for
from listing_lint.cli.report_html import CONTEXT, STATIC_ROWS, field_group, render_html
from listing_lint.config import Config
from listing_lint.document import lint_text
from listing_lint.engine.lint import ruleset_for
from listing_lint.extract import detect_format
from test_cli import run

T = TypeVar("T")
BUILD = ROOT / "build"
SCREENSHOT = BUILD / "html-report.png"
README_SCREENSHOT = ROOT / "docs" / "html-report.png"
INSTALL = ROOT / "scripts" / "install-vscode-test-deps"
OUTSIDE = 3  # install-vscode-test-deps: something outside the project failed (a registry is unreachable)
FIX_CLASS = {"safe": "fix-safe", "unsafe": "fix-unsafe", "display-only": "fix-hint", None: "fix-none"}
CONFIG = Config(competitors=("Anker", "Yeti"), own_brands=("Vantora",))

HOSTILE = """\
---
sku: '<img src=x onerror=alert(1)>'
---
# Title
Vantora <script>alert(1)</script> Kettle, better than Anker

# Bullets
- see www.evil.com/</script><script>alert(2)</script> <!-- and \u2028 here
- Ask at support@vantora.com & "quote" 'apos'
"""


# -- reading the page without a browser -----------------------------------------------------------------


class Page(HTMLParser):
    """The elements, attributes, scripts and visible text of an HTML document."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self.by_id: dict[str, dict[str, str | None]] = {}
        self._in: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.by_id[a["id"]] = a
        if tag in ("script", "style"):
            self._in.append(tag)
            if tag == "script":
                self.scripts.append((a, ""))

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif not self._in:
            self.text.append(data)

    def value(self, ident: str) -> int:
        return int(self.by_id[ident]["data-value"])

    def data(self) -> dict[str, Any]:
        return json.loads(next(text for a, text in self.scripts if a.get("id") == "report-data"))


def lint(text: str, name: str = "hostile.listing.md", config: Config = CONFIG) -> list[Record]:
    return records_for(lint_text(name, text, config, detect_format(name) or "markdown"))


def render(records: list[Record], **kwargs: Any) -> str:
    options = dict(files=1, listings=1, skipped=0, problems=[])
    options.update(kwargs)
    return render_html(records, ruleset_for(CONFIG).specs, **options)


# -- unit tests -------------------------------------------------------------------------------------------


def test_hostile_listing_text_is_shown_as_text_and_never_markup():
    records = lint(HOSTILE, name='we<i>rd&"name.listing.md')
    assert {r.finding.rule for r in records} >= {"html-markup", "external-url", "competitor-brand"}
    html = render(records)
    page = Page(html)
    # Exactly the two scripts the report brings: its data (not executable) and its code (no src).
    assert [(a.get("type"), a.get("src")) for a, _ in page.scripts] == [("application/json", None), (None, None)]
    assert html.lower().count("</script") == 2
    data_text = page.scripts[0][1]
    assert "<" not in data_text and ">" not in data_text and "\u2028" not in data_text
    assert not [t for t, _ in page.tags if t in ("img", "iframe", "object", "embed", "link", "base", "form")]
    assert not [(t, k) for t, a in page.tags for k in a if k.startswith("on")]
    visible = "".join(page.text)
    assert "<script>alert(1)</script>" in visible  # the context column, highlighted
    assert "<img src=x onerror=alert(1)>" in visible  # the SKU
    assert 'we<i>rd&"name.listing.md' in visible
    assert "support@vantora.com & \"quote\" 'apos'" in visible
    data = page.data()
    assert data["skus"] == ["<img src=x onerror=alert(1)>"]
    assert data["files"] == ['we<i>rd&"name.listing.md']
    assert "'<script>alert(2)</script>' is HTML markup." in data["texts"]


def test_page_loads_nothing_and_its_script_is_allowed_by_its_own_policy():
    html = render(lint(HOSTILE))
    page = Page(html)
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    code = next(text for a, text in page.scripts if "type" not in a)
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert not [a for t, a in page.tags if a.get("src")]
    hrefs = {a["href"] for t, a in page.tags if a.get("href")}
    assert all(h.startswith(("#", "https://sellercentral.amazon.com/")) for h in hrefs), hrefs
    style = html[html.index("<style>"):html.index("</style>")]
    assert "url(" not in style and "@import" not in style and "@font-face" not in style


def test_totals_charts_and_table_match_the_json_output(tmp_path):
    out = tmp_path / "report.html"
    result = run("check", "examples", "--format", "html", "--output", str(out), cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    findings = json.loads(run("check", "examples", "--format", "json", cwd=ROOT).stdout)
    page = Page(out.read_text(encoding="utf-8"))
    expected = expected_numbers(findings)
    assert page.value("total-findings") == expected["findings"] == 27
    for sev in ("error", "warning", "info"):
        assert page.value(f"total-{sev}") == expected[sev]
    assert page.value("total-fixable") == expected["fixable"]
    assert page.value("total-affected") == expected["affected"]
    assert (page.value("total-files"), page.value("total-listings")) == summary_counts("examples")
    rules = {a["data-rule"] for t, a in page.tags if a.get("data-filter") == "rule"}
    assert rules == set(expected["rules"])
    data = page.data()
    assert len(data["rows"]) == len(findings)
    got = Counter((data["files"][r[0]], r[1], r[2], data["rules"][r[5]][0]) for r in data["rows"])
    assert got == Counter((d["filename"], d["location"]["row"], d["location"]["column"], d["code"]) for d in findings)
    assert sum(1 for t, a in page.tags if t == "tr" and a.get("class") in ("error", "warning", "info", "hint")) \
        == min(len(findings), STATIC_ROWS)


def test_the_text_in_context_is_cut_around_the_span_of_a_huge_line():
    line = "word " * 50_000 + "www.far.com " + "more " * 50_000
    records = lint("# Description\n" + line + "\n")
    html = render(records)
    assert len(html) < 100_000
    data = Page(html).data()
    row = next(r for r in data["rows"] if data["rules"][r[5]][1] == "external-url")
    before, match, after = row[8:11]
    assert match == "www.far.com"
    assert before.startswith("…") and len(before) == CONTEXT + 1
    assert after.endswith("…") and len(after) == CONTEXT + 1


def test_worst_listings_rank_errors_before_many_warnings():
    catalog = "\n".join([
        json.dumps({"sku": "MANY-WARNINGS", "title": "Kettle", "bullets": ["Cheap 🚀 kettle", "Best ✨ deal 🎁"],
                    "search_terms": "best cheap sale"}),
        json.dumps({"sku": "ONE-ERROR", "title": "Kettle, see www.vantora.com"}),
    ]) + "\n"
    records = lint(catalog, name="catalog.jsonl")
    by_sku = Counter(r.sku for r in records)
    assert by_sku["MANY-WARNINGS"] > by_sku["ONE-ERROR"]
    html = render(records, listings=2)
    assert html.index('data-listing="0:1">ONE-ERROR') < html.index('data-listing="0:0">MANY-WARNINGS')


def test_field_groups_put_every_bullet_together():
    assert field_group("bullet 1") == field_group("bullet 10") == "bullet points"
    assert field_group("title") == "title" and field_group("bullet points") == "bullet points"


def test_a_clean_run_says_all_clear_and_carries_no_script():
    html = render([], files=3, listings=4, skipped=1)
    page = Page(html)
    assert "All clear." in "".join(page.text)
    assert page.value("total-findings") == 0 and page.value("total-listings") == 4
    assert not page.scripts and "findings-table" not in page.by_id


def test_files_that_could_not_be_read_are_listed():
    html = render(lint(HOSTILE), problems=["bad.csv:3:1: a quoted cell is never closed <b>"])
    page = Page(html)
    assert "bad.csv:3:1: a quoted cell is never closed <b>" in "".join(page.text)
    assert "problems" in page.by_id


def test_a_lone_surrogate_from_a_json_escape_does_not_break_writing():
    records = lint('{"sku": "S1", "title": "Kettle \\ud800 www.vantora.com"}\n', name="c.jsonl")
    assert records
    render(records).encode("utf-8")


# -- what the JSON output says the page must show ------------------------------------------------------


def expected_numbers(findings: list[dict[str, Any]]) -> dict[str, Any]:
    sev = Counter(d["severity"] for d in findings)
    return {
        "findings": len(findings),
        **{s: sev[s] for s in ("error", "warning", "info", "hint")},
        "fixable": sum(1 for d in findings if d["fix"] and d["fix"]["applicability"] == "safe"),
        "affected": len({(d["filename"], d["sku"]) for d in findings}),
        "rules": Counter(d["rule"] for d in findings),
        "fields": Counter(field_group(d["field"]) for d in findings),
        "fixes": Counter(FIX_CLASS[d["fix"]["applicability"] if d["fix"] else None] for d in findings),
    }


def summary_counts(*paths: str, cwd: Path = ROOT) -> tuple[int, int]:
    """Return (files, listings) from the concise format's closing summary."""
    out = run("check", *paths, "--format", "concise", cwd=cwd).stdout
    m = re.search(r" in ([\d,]+) files?, ([\d,]+) listings?\.", out)
    assert m, out[-2000:]
    return int(m[1].replace(",", "")), int(m[2].replace(",", ""))


# -- Chromium ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> dict[str, str]:
    """Debian's Chromium and chromedriver plus selenium; installed as tests/vscode does, skipped only for outside causes."""
    ready = (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()
             and importlib.util.find_spec("selenium") is not None)
    if not ready:
        proc = subprocess.run(["bash", str(INSTALL), "--browser-only"], cwd=ROOT, capture_output=True, text=True,
                              timeout=1200)
        if proc.returncode == OUTSIDE:
            reason = next((line.split("SKIP-REASON:", 1)[1].strip() for line in proc.stdout.splitlines()
                           if "SKIP-REASON:" in line), proc.stdout.strip()[-500:])
            pytest.skip(f"Chromium could not be installed: {reason}")
        if proc.returncode != 0:
            pytest.fail(f"install-vscode-test-deps --browser-only failed (exit {proc.returncode}):\n"
                        f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}", pytrace=False)
        importlib.invalidate_caches()
    return {"chromium": "/usr/bin/chromium", "chromedriver": "/usr/bin/chromedriver"}


@pytest.fixture(scope="module")
def driver(chromium: dict[str, str]) -> Iterator[Any]:
    """Headless Chromium that cannot resolve any host name, logging every network request it makes."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium["chromium"]
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--window-size=1280,900",
                "--host-resolver-rules=MAP * ~NOTFOUND"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    browser = webdriver.Chrome(service=Service(chromium["chromedriver"]), options=options)
    browser.set_page_load_timeout(120)  # a page that never loads fails its test instead of waiting for ever
    try:
        yield browser
    finally:
        quit_driver(browser)


def wait_for(what: str, check: Callable[[], T], timeout: float = 20.0) -> T:
    deadline = time.monotonic() + timeout
    value: Any = None
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {value!r})")


def open_report(driver: Any, path: Path) -> dict[str, Any]:
    """Load the report from file://, wait for its script, and return its timing; drop older logs first."""
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(path.as_uri())
    wait_for("the report's script", lambda: driver.execute_script(
        "return document.documentElement.getAttribute('data-ready') === '1' && window.reportReady"))
    return driver.execute_script("return window.reportReady")


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page asked the network stack for, from Chromium's DevTools log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            params = message["params"]
            urls.append(params.get("request", {}).get("url") or params.get("url"))
    return urls


def number(driver: Any, ident: str) -> int:
    return int(driver.find_element("id", ident).text.replace(",", ""))


def shown(driver: Any) -> dict[str, Any]:
    """What the page shows: the cards, the chart bars, and the rows of the findings table."""
    return driver.execute_script("""
        const num = el => parseInt(el.textContent.replace(/,/g, ''), 10);
        const cards = {};
        document.querySelectorAll('.card .num').forEach(el => cards[el.id] = num(el));
        const bars = sel => Object.fromEntries([...document.querySelectorAll(sel + ' .bar-row')].map(
            b => [b.dataset.rule || b.dataset.field || b.dataset.fix, num(b.querySelector('.bar-count'))]));
        const rows = [...document.querySelectorAll('#rows tr')].map(tr => ({
            loc: tr.querySelector('.loc').textContent, sku: tr.querySelector('.sku').textContent,
            code: tr.querySelector('.c-rule .code').textContent, sev: tr.querySelector('.badge').textContent,
            ctx: tr.querySelector('.c-ctx').textContent, mark: tr.querySelector('mark').textContent}));
        return {cards, rules: bars('#rule-chart'), fields: bars('#field-chart'), fixes: bars('#fix-chart'), rows,
                count: parseInt(document.getElementById('match-count').dataset.value, 10),
                page: document.getElementById('page').textContent};
    """)


def check_against_json(view: dict[str, Any], findings: list[dict[str, Any]], files: int, listings: int) -> None:
    want = expected_numbers(findings)
    cards = view["cards"]
    assert cards["total-findings"] == want["findings"] == view["count"]
    for sev in ("error", "warning", "info", "hint"):
        assert cards.get(f"total-{sev}", 0) == want[sev], sev
    assert cards["total-fixable"] == want["fixable"]
    assert cards["total-affected"] == want["affected"]
    assert (cards["total-files"], cards["total-listings"]) == (files, listings)
    assert view["rules"] == dict(want["rules"])
    assert view["fields"] == dict(want["fields"])
    assert view["fixes"] == dict(want["fixes"])


def search(driver: Any, text: str, expect: int) -> dict[str, Any]:
    box = driver.find_element("id", "search")
    box.clear()
    box.send_keys(text)
    wait_for(f"{expect} matches for {text!r}", lambda: shown(driver)["count"] == expect)
    return shown(driver)


def reset(driver: Any) -> None:
    driver.find_element("id", "reset").click()
    wait_for("the filters to clear", lambda: driver.find_element("id", "count-all").text == "")


def no_network_and_no_errors(driver: Any) -> None:
    urls = requested_urls(driver)
    assert urls and all(u.startswith("file://") for u in urls), urls
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_network_check_would_catch_a_request(driver, tmp_path):
    """The detector itself works: a page with a remote image is caught, and its request fails."""
    page = tmp_path / "leak.html"
    page.write_text('<!DOCTYPE html><img src="https://cdn.example.com/x.png"><p id="done">ok</p>', encoding="utf-8")
    driver.get_log("performance")
    driver.get(page.as_uri())
    seen: list[str] = []  # each read of the log takes its entries: what was read is kept
    wait_for("the image's request in the DevTools log",
             lambda: seen.extend(requested_urls(driver)) or "https://cdn.example.com/x.png" in seen)
    driver.get_log("browser")


def test_examples_report_in_chromium(driver, tmp_path):
    out = tmp_path / "report.html"
    assert run("check", "examples", "--format", "html", "-o", str(out), cwd=ROOT).returncode == 1
    findings = json.loads(run("check", "examples", "--format", "json", cwd=ROOT).stdout)
    files, listings = summary_counts("examples")
    timing = open_report(driver, out)
    view = shown(driver)
    check_against_json(view, findings, files, listings)
    assert len(view["rows"]) == len(findings)
    assert Counter((r["loc"], r["code"], r["sev"], r["sku"]) for r in view["rows"]) == Counter(
        (f"{d['filename']}:{d['location']['row']}:{d['location']['column']}", d["code"], d["severity"],
         d["sku"] or "no SKU") for d in findings)

    # Search by SKU, then by rule slug; the severity filter; one listing from the "worst" table.
    sku = "VT-TB-20"
    view = search(driver, sku, sum(d["sku"] == sku for d in findings))
    assert view["rows"] and {r["sku"] for r in view["rows"]} == {sku}
    search(driver, "competitor-brand", sum(d["rule"] == "competitor-brand" for d in findings))
    reset(driver)
    from selenium.webdriver.support.select import Select

    Select(driver.find_element("id", "f-sev")).select_by_value("3")
    wait_for("the warnings", lambda: shown(driver)["count"] == sum(d["severity"] == "warning" for d in findings))
    assert {r["sev"] for r in shown(driver)["rows"]} == {"warning"}
    reset(driver)
    driver.find_element("css selector", '#fix-chart .bar-row[data-fix="fix-safe"]').click()
    wait_for("the safe fixes", lambda: shown(driver)["count"] == expected_numbers(findings)["fixable"])
    assert driver.find_element("id", "f-fix").get_attribute("value") == "2"
    reset(driver)
    first = driver.find_element("css selector", "table.worst .listing-link")
    worst_sku = first.text
    worst_file = driver.find_element("css selector", "table.worst tbody tr td.file").text
    first.click()
    wait_for("one listing's findings", lambda: shown(driver)["count"] == sum(
        d["sku"] == worst_sku and d["filename"] == worst_file for d in findings))
    assert driver.find_element("id", "listing-filter").is_displayed()
    reset(driver)
    no_network_and_no_errors(driver)
    assert timing["rows"] == len(findings)

    # The screenshot: the summary, both charts, the worst listings and the first rows of the table.
    driver.execute_script("window.scrollTo(0, 0)")
    rows = driver.find_elements("css selector", "#rows tr")
    bottom = driver.execute_script("return arguments[0].getBoundingClientRect().bottom + window.scrollY + 1",
                                   rows[min(4, len(rows) - 1)])
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": 1280, "height": int(bottom), "scale": 1}})
    BUILD.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(base64.b64decode(shot["data"]))
    if not README_SCREENSHOT.exists() or os.environ.get("LISTING_LINT_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(SCREENSHOT, README_SCREENSHOT)


def generate_folder(base: Path, rows: int) -> dict[str, Any]:
    """Write a folder with a JSONL catalog, Markdown listings, hostile text, a broken file and a skipped file."""
    base.mkdir()
    (base / "listing-lint.toml").write_text('[brands]\nown = ["Vantora"]\ncompetitors = ["Anker", "Yeti", "Ninja", '
                                            '"Owala", "Stanley"]\n', encoding="utf-8")
    brands = ["Anker", "Yeti", "Ninja", "Owala", "Stanley"]
    with (base / "catalog.jsonl").open("w", encoding="utf-8") as f:
        for i in range(rows):
            b = brands[i % len(brands)]
            bullets = [f"Visit www.vantora{i % 40}.com for recipes", "Email help@vantora.com or call (555) 010-4477",
                       "Leave a 5-star review and get a free gift card!", f"Sold {i + 1},000 units"][: 1 + i % 4]
            f.write(json.dumps({"sku": f"VT-{i:05d}", "brand": "Vantora",
                                "title": f"Vantora Bottle {i} oz, better than {b}" + (", #1 Best Seller" if i % 3 else ""),
                                "bullets": bullets, "description": f"Compatible with {b} lids. <b>New</b>",
                                "search_terms": f"bottle best cheap {b.lower()}"}) + "\n")
    for i in range(20):
        (base / f"draft-{i:02d}.listing.md").write_text(
            f"---\nsku: MD-{i:02d}\n---\n# Title\nVantora Kettle {i}" + (", better than Anker" if i % 2 else "")
            + "\n\n# Bullets\n- Boils in 3 minutes.\n" + ("- Manuals at vantora.com/manuals\n" if i % 3 else ""),
            encoding="utf-8")
    (base / "hostile.listing.md").write_text(
        "---\nsku: '</script><script>window.__pwned=3</script>'\n---\n# Title\n"
        "Vantora <script>window.__pwned=1</script> Kettle\n\n# Bullets\n"
        "- <img src=x onerror=\"window.__pwned=2\"> see www.x.com\n", encoding="utf-8")
    # Not UTF-8: read as Windows-1252, the legacy encoding of amazon.com exports, so it is linted too.
    (base / "legacy.listing.md").write_bytes(b"# Title\ncaf\xe9 www.x.com\n")
    (base / "broken.listing.json").write_text('{"title": "Vantora Kettle", "bullets": [', encoding="utf-8")
    (base / "notes.png").write_bytes(b"\x89PNG")
    return {"listings": rows + 20 + 1 + 1, "files": 1 + 20 + 1 + 1 + 1}  # the broken JSON file counts as read


def test_large_generated_report_in_chromium(driver, tmp_path):
    folder = tmp_path / "catalog"
    made = generate_folder(folder, rows=250)
    out = tmp_path / "report.html"
    html_run = run("check", ".", "--format", "html", "--output", str(out), cwd=folder)
    assert html_run.returncode == 1, html_run.stderr
    json_run = run("check", ".", "--format", "json", cwd=folder)
    records = json.loads(json_run.stdout)
    # Files that could not be read are records of their own in JSON, and a list of their own in the report.
    findings = [d for d in records if d["rule"] != "read-error"]
    assert [d["filename"] for d in records if d["rule"] == "read-error"] == ["broken.listing.json"]
    assert 2000 < len(findings) < 10_000
    files, listings = summary_counts(".", cwd=folder)
    assert (files, listings) == (made["files"], made["listings"])
    size = out.stat().st_size

    timing = open_report(driver, out)
    view = shown(driver)
    check_against_json(view, findings, files, listings)
    assert len(view["rows"]) == 100 and view["page"] == f"Page 1 of {-(-len(findings) // 100)}"

    # Page through everything, 1,000 rows at a time.
    from selenium.webdriver.support.select import Select

    Select(driver.find_element("id", "size")).select_by_visible_text("1000")
    seen: Counter = Counter()
    for page in range(1, 100):
        view = wait_for(f"page {page}", lambda: (lambda v: v if v["page"].startswith(f"Page {page} ") else None)(
            shown(driver)))
        seen.update((r["loc"], r["code"]) for r in view["rows"])
        nxt = driver.find_element("id", "next")
        if not nxt.is_enabled():
            break
        nxt.click()
    assert seen == Counter((f"{d['filename']}:{d['location']['row']}:{d['location']['column']}", d["code"])
                           for d in findings)
    Select(driver.find_element("id", "size")).select_by_visible_text("100")

    # Hostile text is found by search, shown as text, and ran nothing.
    view = search(driver, "__pwned", sum(d["filename"] == "hostile.listing.md" for d in findings))
    assert any("<script>window.__pwned=1</script>" in r["ctx"] for r in view["rows"])
    assert any(r["sku"] == "</script><script>window.__pwned=3</script>" for r in view["rows"])
    assert driver.execute_script("return window.__pwned") is None
    reset(driver)

    # Files that could not be read are listed, as on stderr.
    problems = [line for line in json_run.stderr.splitlines() if line.startswith("listing-lint: ")]
    assert problems and len(driver.find_elements("css selector", "#problems li")) == len(problems)
    no_network_and_no_errors(driver)

    # Without JavaScript the first rows are still in the page, and the controls are hidden.
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        driver.get(out.as_uri())
        wait_for("the static rows", lambda: len(driver.find_elements("css selector", "#rows tr")) == STATIC_ROWS)
        assert not driver.find_element("id", "search").is_displayed()
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    print(f"\nHTML report: {len(findings):,} findings, {size / 1e6:.2f} MB, ready {timing['ms']:.0f} ms "
          f"after navigation (JSON.parse {timing['parseMs']:.0f} ms, first page {timing['renderMs']:.0f} ms)")
