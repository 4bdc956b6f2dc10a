"""The language server's memo of a catalog's listings (document.ListingMemo): after any edit, what it reports is
what a fresh lint reports, and the rows an edit leaves alone are not linted again."""

from __future__ import annotations

import csv
import io
import json
import random

import pytest

from conftest import SHARED
from listing_lint import Config
from listing_lint.document import ListingMemo, lint_text
from listing_lint.engine.lint import ruleset_for

CONFIG = Config(competitors=("Anker", "Ninja", "Yeti"))
PROBLEMS = ("Call us at 555-201-3344 for help.", "Best seller! Visit www.kettle-shop.com", "Works like Ninja, only better.",
            "Leave a 5-star review and get a free gift.", "Email help@kettle-shop.com today")


def _records(n: int) -> list[dict]:
    with (SHARED / "corpus" / "real-listings.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(n), fh)]
    for i, row in enumerate(rows):
        if i % 5 == 0:  # findings with fixes in a fifth of the rows
            row["bullets"] = [PROBLEMS[i // 5 % len(PROBLEMS)], *(row.get("bullets") or [])]
    return rows


def _catalog(fmt: str, rows: list[dict]) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps({"sku": f"S{i}", "title": r["title"], "bullets": (r.get("bullets") or [])[:3],
                                   "description": r.get("description") or ""}) + "\n" for i, r in enumerate(rows))
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    writer.writerow(["item_sku", "item_name", "bullet_point1", "bullet_point2", "product_description"])
    for i, r in enumerate(rows):
        bullets = [*(r.get("bullets") or []), "", ""]
        cells = [f"S{i}", r["title"], bullets[0], bullets[1], r.get("description") or ""]
        writer.writerow([c.replace("\t", " ").replace("\n", " ") for c in cells] if fmt == "tsv" else cells)
    return out.getvalue()


def _edit(text: str, rnd: random.Random, extra: list[str]) -> str:
    """Change the text as a user might, anywhere: type in a row, delete, copy or move rows, break a row's quoting,
    change a line ending, rename a column."""
    lines = text.splitlines(keepends=True)
    at = rnd.randrange(len(lines))
    kind = rnd.choice(["type", "type", "type", "delete", "copy", "move", "problem", "quote", "crlf", "header"])
    line = lines[at]
    if kind == "type":
        cut = rnd.randrange(len(line.rstrip("\r\n")) + 1)
        lines[at] = line[:cut] + rnd.choice(["x", " best seller", " call 555-201-3344", "Yeti ", ""]) + line[cut:]
    elif kind == "delete" and len(lines) > 3:
        del lines[at]
    elif kind == "copy":
        lines.insert(rnd.randrange(len(lines) + 1), line)
    elif kind == "move":
        lines.insert(rnd.randrange(len(lines)), lines.pop(at))
    elif kind == "problem":
        lines.insert(rnd.randrange(1, len(lines) + 1), rnd.choice(extra))
    elif kind == "quote":
        cut = rnd.randrange(len(line) + 1)
        lines[at] = line[:cut] + '"' + line[cut:]
    elif kind == "crlf" and line.endswith("\n") and not line.endswith("\r\n"):
        lines[at] = line[:-1] + "\r\n"
    elif kind == "header":
        lines[0] = lines[0].replace("bullet_point2", "generic_keywords", 1) if "bullet_point2" in lines[0] \
            else lines[0].replace("generic_keywords", "bullet_point2", 1)
    return "".join(lines)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_after_each_edit_the_memo_reports_what_a_fresh_lint_does_and_relints_only_changed_rows(fmt):
    rows = _records(120)
    text = _catalog(fmt, rows)
    extra = _catalog(fmt, _records(40)).splitlines(keepends=True)[1 if fmt != "jsonl" else 0:]
    path = f"catalog.{fmt}"
    rules = ruleset_for(CONFIG)
    linted = []
    lint = rules.lint
    rules.lint = lambda listing: linted.append(listing) or lint(listing)  # count the listings linted again
    memo = ListingMemo()
    rnd = random.Random(fmt)
    try:
        first = lint_text(path, text, CONFIG, fmt, memo)
        assert len(first.findings) > 20 and any(f.fixes for f in first.findings)
        relinted = []
        for _ in range(60):
            text = _edit(text, rnd, extra)
            linted.clear()
            got = lint_text(path, text, CONFIG, fmt, memo)
            relinted.append(len(linted))
            linted.clear()
            fresh = lint_text(path, text, CONFIG, fmt)
            assert got.findings == fresh.findings and got.errors == fresh.errors
        # Most edits touch a row or two: the memo re-lints those, not the catalog (a header change re-lints all).
        assert sorted(relinted)[len(relinted) // 2] <= 3, relinted
    finally:
        del rules.lint
