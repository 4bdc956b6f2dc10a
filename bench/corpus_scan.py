"""Run the rules over the shared corpus of real listings and report, per rule, how many listings it flags.

Usage: python bench/corpus_scan.py [--rule SLUG] [--sample N] [--random N [--pack NAME]] [--competitors FILE]
       [--corpus FILE]
Prints a table of listings flagged per rule and, with --sample, N findings per rule with their context,
to read for false positives.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

from listing_lint import Config, lint_listing
from listing_lint.extract.record import listing_from_record

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(SHARED / "corpus" / "real-listings.jsonl"))
    ap.add_argument("--competitors", help="brand list file (one per line) to configure as competitors")
    ap.add_argument("--rule", action="append", default=[], help="only show samples for these slugs")
    ap.add_argument("--sample", type=int, default=0, help="print up to N findings per rule")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--random", type=int, default=0,
                    help="print N findings drawn at random from all rules (--pack limits them), to read")
    ap.add_argument("--pack", help="with --random: only findings of this pack (policy, amazon-style)")
    args = ap.parse_args()
    competitors = ()
    if args.competitors:
        competitors = tuple(l.strip() for l in open(args.competitors, encoding="utf-8") if l.strip())
    config = Config(competitors=competitors)
    flagged: dict[str, set] = collections.defaultdict(set)
    samples: dict[str, list] = collections.defaultdict(list)
    total = 0
    for line in open(args.corpus, encoding="utf-8"):
        record = json.loads(line)
        listing = listing_from_record(record, record["id"])
        total += 1
        for f in lint_listing(listing, config):
            flagged[f.rule].add(record["id"])
            ctx = listing.text[max(0, f.start - 50):f.end + 50].replace("\n", " | ")
            samples[f.rule].append((record["id"], f.field, f.severity.label, listing.text[f.start:f.end], ctx))
    print(f"{total} listings scanned")
    print(f"{'rule':32} {'listings':>8} {'findings':>8}")
    for rule in sorted(flagged, key=lambda r: -len(flagged[r])):
        print(f"{rule:32} {len(flagged[rule]):8} {len(samples[rule]):8}")
    if args.random:
        from listing_lint.engine.lint import specs_for

        packs = {spec.name: spec.pack for spec in specs_for(config)}
        pool = [(rule, item) for rule, items in sorted(samples.items()) for item in items
                if not args.pack or packs.get(rule) == args.pack]
        print(f"\n== {args.random} random findings of {len(pool)}")
        for n, (rule, (rid, field, sev, match, ctx)) in enumerate(
                random.Random(args.seed).sample(pool, min(args.random, len(pool))), 1):
            print(f"{n:3}. {rule} [{sev}] {rid} {field}: {match!r}\n    ...{ctx}...")
    if args.sample:
        rng = random.Random(args.seed)
        for rule, items in sorted(samples.items()):
            if args.rule and rule not in args.rule:
                continue
            print(f"\n== {rule}")
            for rid, field, sev, match, ctx in rng.sample(items, min(args.sample, len(items))):
                print(f"- [{sev}] {field}: {match!r}\n    ...{ctx}...")
    return 0


if __name__ == "__main__":
    sys.exit(main())
