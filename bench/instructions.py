"""Benchmark (lint cost, deterministic): CPU instructions per listing, counted by Valgrind's callgrind.

Wall-clock lint speed on a shared two-core machine swings by a third from one run to the next (other
guests' load), which hides a 5% change. Instructions do not swing: this script lints the first N real
listings (all packs, 3,446 competitor brands, as bench/throughput.py) once to warm every memo, then once
more, under callgrind, and reports the instructions of the second pass per listing (two runs, one with
and one without the second pass, subtracted), averaged over fixed hash seeds (``PYTHONHASHSEED``).
``--against DIR`` measures another checkout of the project (its ``server/`` and ``rules/``) the same way,
for a side-by-side figure.

``--cold`` measures the first pass instead: text the linter has not read before, as in a catalog of new
products or a run without a cache folder, where each new word is looked up in every lexicon (stemmed,
checked for a misspelling) before the vocabulary table knows it. The one-time tables (word frequencies,
each language's concept gate) are built first by linting the last 200 listings of the corpus, so the figure
is what each further new listing costs.

Needs ``valgrind`` (Debian package ``valgrind``); takes about two minutes per build and seed.

Run: ``.venv/bin/python bench/instructions.py [--listings 400] [--against /path/to/other/checkout]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

LINT = """
import json, sys
from listing_lint import Config
from listing_lint.engine.lint import RuleSet
from listing_lint.extract.record import listing_from_record
shared, count, passes, cold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "cold"
records = [json.loads(line) for line in open(shared + "/corpus/real-listings.jsonl", encoding="utf-8")]
brands = tuple(b.strip() for b in open(shared + "/corpus/brands-sample.txt", encoding="utf-8") if b.strip())
rules = RuleSet(Config(competitors=brands))
if hasattr(rules, "repeats"):
    rules.repeats.max_size = 0  # every pass lints afresh, as before the rule set remembered repeated copy
listings = [listing_from_record(r, r["id"]) for r in records[:count]]
if cold:
    for record in records[-200:]:
        rules.lint(listing_from_record(record, record["id"]))
for _ in range(passes):
    for listing in listings:
        rules.lint(listing)
"""


def _env(checkout: Path, seed: int) -> dict[str, str]:
    """Return the environment that runs ``checkout``'s code and rules with a fixed hash seed (set iteration
    order, and so a little of the work, otherwise differs run to run by ±2%)."""
    return dict(os.environ, PYTHONPATH=str(checkout / "server"), LISTING_LINT_RULES_DIR=str(checkout / "rules"),
                PYTHONHASHSEED=str(seed))


def instructions(checkout: Path, count: int, passes: int, seed: int, cold: bool = False) -> int:
    """Return the instructions callgrind counts for a whole run linting ``count`` listings ``passes`` times."""
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", LINT,
         str(SHARED), str(count), str(passes), "cold" if cold else "warm"],
        env=_env(checkout, seed), capture_output=True, text=True, check=True)
    found = re.search(r"Collected\s*:\s*([\d,]+)", run.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no total:\n{run.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_listing(checkout: Path, count: int, seeds: int, cold: bool = False) -> float:
    """Return the instructions of one warm pass (``cold``: the first pass) over ``count`` listings, per listing
    (mean over the seeds)."""
    passes = 1 if cold else 2
    # One run outside callgrind first: in a fresh checkout the first measured run would compile and write the
    # bytecode of every module it imports and the second would read it, and the subtraction would count the
    # compiling as linting (5% of a listing's figure).
    subprocess.run([sys.executable, "-c", LINT, str(SHARED), str(count), "1", "cold" if cold else "warm"],
                   env=_env(checkout, 0), capture_output=True, check=True)
    runs = [(instructions(checkout, count, passes, seed, cold) - instructions(checkout, count, passes - 1, seed, cold))
            / count for seed in range(seeds)]
    return sum(runs) / len(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=400, help="real listings linted (default 400)")
    parser.add_argument("--against", type=Path, help="another checkout of listing-lint to measure the same way")
    parser.add_argument("--seeds", type=int, default=2, help="hash seeds to average over (default 2)")
    parser.add_argument("--cold", action="store_true", help="measure the first pass over new text (see above)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    rows = [("this checkout", ROOT)] + ([(str(args.against), args.against.resolve())] if args.against else [])
    results = []
    for name, checkout in rows:
        results.append((name, per_listing(checkout, args.listings, args.seeds, args.cold)))
        print(f"{name:40s} {results[-1][1] / 1e6:7.3f} M instructions per {'new ' if args.cold else ''}listing",
              flush=True)
    if len(results) == 2:
        print(f"ratio: {results[0][1] / results[1][1]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
