"""Catalog scale: lint one big catalog export through the CLI and measure time, time to first output, and memory.

Usage: python bench/catalog_scale.py [--rows 1000000] [--format csv|jsonl] [--jobs 1 2] [--keep]

Builds a catalog of real listings (../shared/corpus/real-listings.jsonl, cycled, each row with its own SKU and its
brand) as an Amazon-style CSV or JSON Lines file, then runs
`listing-lint check FILE --no-cache --format concise --jobs N` for each N. Resident memory is sampled from /proc
every 50 ms and summed over the whole process tree (parent and workers; shared pages count once per process, so
the sum overstates the real use).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
HEADER = ["item_sku", "brand_name", "item_name"] + [f"bullet_point{i}" for i in range(1, 6)] + ["product_description"]


def corpus() -> list[dict]:
    with (SHARED / "corpus" / "real-listings.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_catalog(path: Path, rows: int, fmt: str) -> None:
    """Write ``rows`` real listings, cycled, as CSV or JSON Lines, each with its brand (the first word of its
    title, as bench/throughput.py gives it: a seller's export always has the column)."""
    from throughput import title_brand  # bench/ is this script's folder, first on the path

    records = corpus()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh) if fmt == "csv" else None
        if writer:
            writer.writerow(HEADER)
        for i in range(rows):
            r = records[i % len(records)]
            bullets = (r.get("bullets") or [])[:5]
            if writer:
                writer.writerow([f"SKU-{i:07d}", title_brand(r), r["title"], *bullets,
                                 *[""] * (5 - len(bullets)), r.get("description") or ""])
            else:
                fh.write(json.dumps({"sku": f"SKU-{i:07d}", "brand": title_brand(r), "title": r["title"],
                                     "bullets": bullets, "description": r.get("description") or ""},
                                    ensure_ascii=False) + "\n")


def tree_rss_kb(pid: int) -> int:
    """Sum VmRSS over a process and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def run(path: Path, jobs: int) -> dict:
    cmd = [sys.executable, "-m", "listing_lint", "check", str(path), "--no-cache", "--format", "concise",
           "--jobs", str(jobs), "--exit-zero"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    first = proc.stdout.readline()
    first_at = time.perf_counter() - start
    lines = 1 if first else 0
    for _ in proc.stdout:
        lines += 1
    proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return {"jobs": jobs, "wall_s": round(wall, 2), "first_output_s": round(first_at, 2),
            "peak_tree_rss_mb": round(peak[0] / 1024, 1), "findings": max(0, lines - 1), "exit": proc.returncode}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--keep", action="store_true", help="keep the generated catalog")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="listing-lint-catalog-"))
    path = folder / f"catalog.{args.format}"
    t = time.perf_counter()
    write_catalog(path, args.rows, args.format)
    size = path.stat().st_size
    print(f"catalog: {args.rows:,} rows, {size / 1e6:,.0f} MB, written in {time.perf_counter() - t:.1f} s ({path})")
    for jobs in args.jobs:
        r = run(path, jobs)
        rate = args.rows / r["wall_s"]
        print(f"--jobs {jobs}: {r['wall_s']:>7.1f} s wall, {rate:>7,.0f} rows/s, first output after "
              f"{r['first_output_s']:.2f} s, peak RSS (process tree) {r['peak_tree_rss_mb']:.0f} MB, "
              f"{r['findings']:,} findings, exit {r['exit']}")
    if not args.keep:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
