"""Print a reproducible random sample of competitor-brand findings on the real corpus, for a human to judge.

Usage: python bench/brand_precision.py [--sample 50] [--seed 10] [--competitors FILE] [--corpus FILE]

Lints every listing of the shared real corpus with the long competitor list (3,446 names, many of them
everyday words) and prints the number of competitor-brand findings, the count per severity, and a seeded
random sample with 70 characters of context either side and why an everyday-word name was judged a brand.
Read each and count the real brand uses; the target is at least 45 of 50.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

from listing_lint import Config, FieldKind
from listing_lint.engine.detectors.brand_evidence import brand_evidence
from listing_lint.engine.detectors.brand_words import language_of
from listing_lint.engine.lint import ruleset_for
from listing_lint.extract.record import listing_from_record

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS / "real-listings.jsonl"))
    ap.add_argument("--competitors", default=str(CORPUS / "brands-sample.txt"))
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--seed", type=int, default=10)
    args = ap.parse_args()
    for path in (args.corpus, args.competitors):
        if not Path(path).is_file():
            print(f"missing {path}", file=sys.stderr)
            return 2
    names = [line.strip() for line in open(args.competitors, encoding="utf-8")
             if line.strip() and not line.startswith("#")]
    config = Config(competitors=tuple(names), select=("competitor-brand",))
    rules = ruleset_for(config)
    matcher = rules.context.brands
    lang = language_of(config.marketplace)
    findings = []
    listings = 0
    started = time.perf_counter()
    for line in open(args.corpus, encoding="utf-8"):
        record = json.loads(line)
        listing = listing_from_record(record, record["id"])
        listings += 1
        for f in rules.lint(listing):
            if f.rule != "competitor-brand":
                continue
            field = next(fl for fl in listing.fields if fl.start <= f.start and f.end <= fl.end)
            local = f.start - field.start
            match = listing.text[f.start:f.end]
            entries = [e for e, _ in _entries(matcher, match)]
            why = ""
            if entries and matcher.is_ambiguous(entries[0], lang):
                why = brand_evidence(field.text, local, local + len(match), entries[0].name, lang,
                                     field.kind is FieldKind.TITLE) or "cue"
            context = listing.text[max(0, f.start - 70):f.start] + "[[" + match + "]]" + listing.text[f.end:f.end + 70]
            findings.append((record["id"], f.severity.label, match, why, context.replace("\n", " | ")))
    elapsed = time.perf_counter() - started
    print(f"{listings} listings, {len(names)} competitor names, {elapsed:.1f} s")
    print(f"competitor-brand findings: {len(findings)}  "
          + "  ".join(f"{k}: {v}" for k, v in sorted(collections.Counter(f[1] for f in findings).items())))
    print(f"in {len({f[0] for f in findings})} listings; most frequent names: "
          + ", ".join(f"{n} {c}" for n, c in collections.Counter(f[2] for f in findings).most_common(12)))
    sample = random.Random(args.seed).sample(findings, min(args.sample, len(findings)))
    print(f"\nrandom sample of {len(sample)} (seed {args.seed}); [[name]] in context, (why) for everyday-word names:")
    for i, (rid, severity, match, why, context) in enumerate(sample, 1):
        note = f" ({why})" if why else ""
        print(f"{i:2}. [{severity}] {match!r}{note} {rid}\n    ...{context}...")
    return 0


def _entries(matcher, match: str):
    """Return the configured names a matched text stands for (by its words run together, case-folded)."""
    key = "".join(ch for ch in match if ch.isalnum() or ch == "_").casefold()
    for entry in matcher.folded.get(key, ()):
        if "".join(ch for ch in entry.name if ch.isalnum() or ch == "_").casefold() == key:
            yield entry, None


if __name__ == "__main__":
    sys.exit(main())
