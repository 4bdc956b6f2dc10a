"""Lint throughput on one core: 20,000 real listings, every pack on, 3,446 competitor brands configured.

Usage: python bench/throughput.py [--listings 20000] [--repeat 3] [--against DIR [--rounds 4] [--cold]]

The shared corpus holds 2,862 real listings; they are cycled to reach the count. Reports the build time of
the rule set (brand matcher included) and listings per second for the lint itself (best of --repeat runs),
the same with each listing naming its own brand (the first word of its title, as a catalog's brand column gives
it), the same with Markdown parsing included (each listing rendered as a .listing.md text first), the same with an
agency's config (the catalog's 300 commonest brands its own), the rate on copy a rule set remembers (the command
line's rule set takes the findings of copy it has linted from memory, engine/repeats.py; every other figure lints
afresh, which is the engine's own speed), and the rate on text the process has not met before (half the listings
warm it, the other half is timed once).

``--against DIR`` compares this checkout with another one (its ``server/`` and ``rules/``) instead. On a
shared machine the speed of two runs made one after the other differs by a third, so two worker processes,
one per checkout, lint the 2,862 listings in alternating slices of 159, and the CPU time of each slice is
summed per checkout: both see the same load. It reports each checkout's microseconds per listing and their
ratio. With ``--cold`` each pair of workers builds its one-time tables on the last 200 listings and lints the
others once, as new text; each round starts a new pair.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Optional

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


def corpus() -> tuple[list[dict], tuple[str, ...]]:
    """Return the shared corpus's real listings and its 3,446 competitor brands."""
    records = [json.loads(line) for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8")]
    brands = tuple(b.strip() for b in open(SHARED / "corpus" / "brands-sample.txt", encoding="utf-8") if b.strip())
    return records, brands


def afresh(rules: RuleSet) -> RuleSet:
    """Make a rule set lint every listing afresh: the passes repeat the same listings, and a rule set takes the
    findings of copy it has linted before from memory (``engine/repeats.py``), which is not the engine's speed.
    ``--against`` runs this with checkouts from before that memory."""
    if hasattr(rules, "repeats"):
        rules.repeats.max_size = 0
    return rules


def worker(cold: bool = False) -> None:
    """Lint the corpus once to warm every memo, then lint the slices named on stdin ("start end"), printing
    the CPU time of each. ``cold``: warm only the one-time tables (with the last 200 listings), and lint the
    others, each once, as new text."""
    records, brands = corpus()
    rules = afresh(RuleSet(Config(competitors=brands)))
    listings = [listing_from_record(r, r["id"]) for r in records]
    for listing in listings[-COLD_WARM:] if cold else listings:
        rules.lint(listing)
    gc.freeze()  # as the command line does after its first batch (cli/batch.resume_collection)
    if cold:
        listings = listings[:-COLD_WARM]
    print(len(listings), flush=True)
    for line in sys.stdin:
        start, end = map(int, line.split())
        t = time.process_time()
        for listing in listings[start:end]:
            rules.lint(listing)
        print(time.process_time() - t, flush=True)


COLD_WARM = 200
"""Listings a ``--cold`` worker lints first, to build the one-time tables (word frequencies, concept gates)."""


def against(other: Path, rounds: int, cold: bool = False) -> None:
    """Print this checkout's and another's lint time per listing, measured in alternating slices (``cold``: on
    text each process lints once, a new pair of processes each round)."""
    # Both on one core: the two cores of a virtual machine run at different speeds, and one checkout measured
    # against itself read 3% apart when its two processes ran one on each.
    core = max(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None

    def same_core() -> None:
        if core is not None:
            os.sched_setaffinity(0, {core})

    def spawn(checkout: Path):
        # Both load their code the same way, with the same hash seed: set iteration order changes a little of
        # the work (instructions.py).
        env = dict(os.environ, PYTHONPATH=str(checkout / "server"), LISTING_LINT_RULES_DIR=str(checkout / "rules"),
                   PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0"))
        proc = subprocess.Popen([sys.executable, __file__, "--worker", *(["--cold"] if cold else [])],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, preexec_fn=same_core)
        return proc, int(proc.stdout.readline())

    step = 159
    totals = [0.0, 0.0]
    ratios = []
    this = that = None
    for r in range(rounds):
        if cold or this is None:
            for proc in (p for p in (this, that) if p is not None):
                proc.stdin.close()
                proc.wait()
            (this, count), (that, _) = spawn(Path(__file__).resolve().parent.parent), spawn(other.resolve())
        for n, start in enumerate(range(0, count, step)):
            times = [0.0, 0.0]
            for i in ((0, 1) if (n + r) % 2 == 0 else (1, 0)):  # each goes first half the time
                proc = (this, that)[i]
                proc.stdin.write(f"{start} {start + step}\n")
                proc.stdin.flush()
                times[i] = float(proc.stdout.readline())
            totals[0] += times[0]
            totals[1] += times[1]
            ratios.append(times[0] / times[1])
    for proc in (this, that):
        proc.stdin.close()
        proc.wait()
    done = rounds * count
    print(f"listings: {count} x {rounds} rounds, in alternating slices of {step}; all packs, 3,446 brands"
          + ("; text each process lints once, a new pair of processes each round" if cold else ""))
    print(f"this checkout:   {totals[0] / done * 1e6:6.0f} us/listing")
    print(f"{other}: {totals[1] / done * 1e6:6.0f} us/listing")
    print(f"ratio: {totals[0] / totals[1]:.3f} (median of the slices' ratios {statistics.median(ratios):.3f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", type=Path, help="another checkout of listing-lint to compare with, side by side")
    ap.add_argument("--rounds", type=int, default=4, help="passes over the corpus with --against (default 4)")
    ap.add_argument("--cold", action="store_true",
                    help="with --against: time text each process has not read before (a catalog of new listings)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.cold)
    if args.against:
        return against(args.against, args.rounds, args.cold)
    records, brands = corpus()
    records = [records[i % len(records)] for i in range(args.listings)]
    config = Config(competitors=brands)

    t = time.perf_counter()
    rules = afresh(RuleSet(config))
    rules.lint(listing_from_record(records[0]))
    build = time.perf_counter() - t
    # The command line freezes what start-up made after its first batch (cli/batch.resume_collection): the
    # collector never walks the rule tables again. Without it a full collection (about 50 ms, one in some
    # 2,500 new listings) can fall in a timed pass and be counted against the lint.
    gc.freeze()

    first_sight = new_text_rate(rules, records)
    listings = [listing_from_record(r, r["id"]) for r in records]
    branded = [listing._replace(brand=title_brand(r)) for listing, r in zip(listings, records)]
    docs = [as_markdown(r) for r in records]
    # An agency's config: the catalog's 300 commonest brands are its own (never reported, shielded where named).
    own = tuple(b for b, _ in Counter(title_brand(r) for r in records if title_brand(r).isalpha()).most_common(300))
    agency = afresh(RuleSet(Config(competitors=brands, own_brands=own)))
    agency.lint(listings[0])
    remembering = RuleSet(config)  # as the command line lints: copy met before takes its findings from memory
    for listing in listings:
        remembering.lint(listing)
    lint_times, brand_times, md_times, agency_times, repeat_times, findings = [], [], [], [], [], 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        findings = sum(len(rules.lint(x)) for x in listings)
        lint_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for listing in branded:
            rules.lint(listing)
        brand_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for n, doc in enumerate(docs):
            for listing in extract(f"{n}.listing.md", doc).listings:
                rules.lint(listing)
        md_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for listing in listings:
            agency.lint(listing)
        agency_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for listing in listings:
            remembering.lint(listing)
        repeat_times.append(time.perf_counter() - t)
    n = len(listings)
    print(python_build())
    print(f"rules: {len(rules.rules)} selected; competitor brands: {len(brands)}; listings: {n}")
    print(f"rule set build (first lint included): {build * 1000:.0f} ms")
    print(f"lint only:          {n / min(lint_times):8.0f} listings/s  (best of {args.repeat}; "
          f"median {n / statistics.median(lint_times):.0f}/s)  {findings} findings")
    print(f"lint, own brand set:{n / min(brand_times):8.0f} listings/s  (best of {args.repeat}; each listing names "
          f"its brand, {len({x.brand for x in branded}):,} brands, as a catalog's brand column does)")
    print(f"parse .md + lint:   {n / min(md_times):8.0f} listings/s  (best of {args.repeat})")
    print(f"lint, 300 own brands:{n / min(agency_times):7.0f} listings/s  (best of {args.repeat}; an agency's config: "
          "the catalog's 300 commonest brands are its own)")
    print(f"lint, copy met before:{n / min(repeat_times):7.0f} listings/s  (best of {args.repeat}; a rule set "
          "that remembers findings, as the command line's does, linting listings it has linted before)")
    print(f"lint, text not seen before: {first_sight:8.0f} listings/s  (one pass; what a catalog of new "
          "listings costs)")


def python_build() -> str:
    """Say which interpreter ran: a Python whose core is a shared library (libpython3.x.so, as pyenv builds it by
    default) ran the same lint about 8% slower here than the distribution's own python3.11, which links it in."""
    shared = None
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            shared = any("/libpython" in line for line in maps)
    except OSError:
        pass
    how = {True: "its core a shared library (libpython)", False: "its core linked into the executable",
           None: "how it was built not known"}[shared]
    return f"python {platform.python_version()} ({sys.executable}), {how}"


def title_brand(record: dict) -> str:
    """Return a listing's brand as its title gives it: Amazon's titles open with the brand, and the corpus has
    no brand of its own."""
    words = record["title"].split()
    return words[0] if words else ""


def new_text_rate(rules: RuleSet, records: list[dict]) -> float:
    """Lint half of the distinct listings, then time the other half once: listings/s on text the process has
    not met, as in a catalog of new listings. The timed passes of main() repeat the same 2,862 listings, and the
    caches an editor needs (a field's concepts, each token's reading) make a repeat cheaper than a new listing."""
    distinct = list({r["id"]: r for r in records}.values())
    random.Random(0).shuffle(distinct)
    half = len(distinct) // 2
    for record in distinct[:half]:
        rules.lint(listing_from_record(record, record["id"]))
    fresh = [listing_from_record(r, r["id"]) for r in distinct[half:]]
    t = time.perf_counter()
    for listing in fresh:
        rules.lint(listing)
    return len(fresh) / (time.perf_counter() - t)


if __name__ == "__main__":
    main()
