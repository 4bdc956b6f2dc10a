"""Scaling of --jobs: listing-lint with 1 and 2 processes on 20,000 listings, next to what the machine itself allows.

Usage: python bench/jobs_scaling.py [--listings 20000] [--rounds 5] [--folder DIR]

Builds (or reuses) a folder of .listing.md files from ../shared/corpus/real-listings.jsonl with the 3,446
competitor names of brands-sample.txt, then runs, interleaved round by round so that a noisy neighbour hits
both alike:
  - a pure-Python CPU loop, once in one process and once split over two (the machine's own ceiling);
  - `listing-lint check FOLDER --no-cache --jobs 1` and `--jobs 2`;
  - `listing-lint check FOLDER --jobs 2` twice with one cache folder (cold, then cached).
Reports medians and the speed-ups. On a virtual machine whose two CPUs share a core, or with a busy
neighbour, the ceiling is below 2 and listing-lint cannot beat it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import as_markdown  # noqa: E402


def build_folder(folder: Path, count: int) -> None:
    records = [json.loads(line) for line in (SHARED / "corpus" / "real-listings.jsonl").open(encoding="utf-8")]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        r = dict(records[i % len(records)])
        r["id"] = f"{r['id']}-{i}"
        (folder / f"l{i:05d}.listing.md").write_text(as_markdown(r), encoding="utf-8")
    shutil.copy(SHARED / "corpus" / "brands-sample.txt", folder / "brands.txt")
    (folder / "listing-lint.toml").write_text('[brands]\ncompetitors-files = ["brands.txt"]\n', encoding="utf-8")


def burn(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def ceiling(n: int) -> tuple[float, float]:
    t = time.perf_counter()
    burn(n)
    burn(n)
    serial = time.perf_counter() - t
    with get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(burn, [n, n])
        parallel = time.perf_counter() - t
    return serial, parallel


def lint(folder: Path, *extra: str) -> float:
    cmd = [sys.executable, "-m", "listing_lint", "check", str(folder), "--format", "concise", "-q", "--exit-zero",
           *extra]
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--folder", type=Path, help="reuse (or build) the listings here")
    args = ap.parse_args()
    folder = args.folder or Path(tempfile.gettempdir()) / f"listing-lint-jobs-{args.listings}"
    if not (folder / "listing-lint.toml").exists():
        build_folder(folder, args.listings)
    rows: dict[str, list[float]] = {k: [] for k in ("cpu-1", "cpu-2", "jobs-1", "jobs-2", "cold-2", "cached-2")}
    for n in range(args.rounds):
        serial, parallel = ceiling(20_000_000)
        rows["cpu-1"].append(serial)
        rows["cpu-2"].append(parallel)
        rows["jobs-1"].append(lint(folder, "--no-cache", "--jobs", "1"))
        rows["jobs-2"].append(lint(folder, "--no-cache", "--jobs", "2"))
        cache = Path(tempfile.mkdtemp(prefix="listing-lint-cache-"))
        rows["cold-2"].append(lint(folder, "--cache-dir", str(cache), "--jobs", "2"))
        rows["cached-2"].append(lint(folder, "--cache-dir", str(cache), "--jobs", "2"))
        shutil.rmtree(cache)
        print(f"round {n + 1}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in rows.items()), flush=True)
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"\n{args.listings:,} listings, {args.rounds} rounds, medians:")
    print(f"  machine ceiling (pure CPU loop): 1 process {med['cpu-1']:.2f}s, 2 processes {med['cpu-2']:.2f}s, "
          f"speed-up {med['cpu-1'] / med['cpu-2']:.2f}x")
    print(f"  listing-lint --jobs 1: {med['jobs-1']:.2f}s ({args.listings / med['jobs-1']:,.0f} listings/s)")
    print(f"  listing-lint --jobs 2: {med['jobs-2']:.2f}s ({args.listings / med['jobs-2']:,.0f} listings/s), "
          f"speed-up {med['jobs-1'] / med['jobs-2']:.2f}x")
    ratios = [a / b for a, b in zip(rows["jobs-1"], rows["jobs-2"])]
    print(f"  per-round speed-ups: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"  cache, --jobs 2: cold {med['cold-2']:.2f}s, cached {med['cached-2']:.2f}s "
          f"({med['cached-2'] / med['cold-2']:.1%} of cold; {med['cached-2'] / med['jobs-1']:.1%} of --jobs 1 cold)")


if __name__ == "__main__":
    main()
