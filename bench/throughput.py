"""Lint throughput on one core: 20,000 real listings, every pack on, 3,446 competitor brands configured.

Usage: python bench/throughput.py [--listings 20000] [--repeat 3]

The shared corpus holds 2,862 real listings; they are cycled to reach the count. Reports the build time of
the rule set (brand matcher included) and listings per second for the lint itself (best of --repeat runs),
plus the same with Markdown parsing included (each listing rendered as a .listing.md text first).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from listing_lint import Config
from listing_lint.engine.lint import RuleSet
from listing_lint.extract import extract
from listing_lint.extract.record import listing_from_record

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def as_markdown(record: dict) -> str:
    """Render a corpus record as a .listing.md document."""
    parts = [f"---\nsku: {record['id']}\n---\n# Title\n{record['title']}\n"]
    if record.get("bullets"):
        parts.append("## Bullet points\n" + "".join(f"- {b}\n" for b in record["bullets"]))
    if record.get("description"):
        parts.append(f"## Description\n{record['description']}\n")
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    records = [json.loads(line) for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8")]
    records = [records[i % len(records)] for i in range(args.listings)]
    brands = tuple(b.strip() for b in open(SHARED / "corpus" / "brands-sample.txt", encoding="utf-8") if b.strip())
    config = Config(competitors=brands)

    t = time.perf_counter()
    rules = RuleSet(config)
    rules.lint(listing_from_record(records[0]))
    build = time.perf_counter() - t

    listings = [listing_from_record(r, r["id"]) for r in records]
    docs = [as_markdown(r) for r in records]
    lint_times, md_times, findings = [], [], 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        findings = sum(len(rules.lint(x)) for x in listings)
        lint_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for n, doc in enumerate(docs):
            for listing in extract(f"{n}.listing.md", doc).listings:
                rules.lint(listing)
        md_times.append(time.perf_counter() - t)
    n = len(listings)
    print(f"rules: {len(rules.rules)} selected; competitor brands: {len(brands)}; listings: {n}")
    print(f"rule set build (first lint included): {build * 1000:.0f} ms")
    print(f"lint only:          {n / min(lint_times):8.0f} listings/s  (best of {args.repeat}; "
          f"median {n / statistics.median(lint_times):.0f}/s)  {findings} findings")
    print(f"parse .md + lint:   {n / min(md_times):8.0f} listings/s  (best of {args.repeat})")


if __name__ == "__main__":
    main()
