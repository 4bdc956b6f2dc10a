"""Spark job: rows/s of examples/spark/lint_catalog.py in local mode, beside the CLI on the same catalog.

Usage: python bench/spark_job.py [--rows 20000] [--master 'local[2]'] [--repeat 1] [--no-cli] [--workdir DIR]

Builds a JSON Lines catalog of real listings (../shared/corpus/real-listings.jsonl, cycled, each row its own
SKU) and a config with the 3,446 competitors of ../shared/corpus/brands-sample.txt, then runs, for each repeat,
`listing-lint check --no-cache --format jsonl --jobs 2` and `spark-submit --master MASTER lint_catalog.py`.
Reported per run: wall time and rows/s of the whole command (the Spark one includes starting the JVM and
the Python workers), and for Spark also the job's own time (reading, numbering and linting the lines, and
writing the findings), which is what a long-running cluster sees per catalog. The load average is printed
before and after each run: on a shared machine, compare runs made side by side only.
Needs pyspark and Java 17 (bash scripts/install-spark-test-deps).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
JOB = ROOT / "examples" / "spark" / "lint_catalog.py"
SUMMARY = re.compile(r"lint_catalog: (\d+) rows, (\d+) findings in ([\d.]+) s")


def write_inputs(folder: Path, rows: int) -> tuple[Path, Path]:
    """Write catalog.jsonl (corpus rows cycled, SKU-0000000...) and listing-lint.toml with the competitors."""
    with (SHARED / "corpus" / "real-listings.jsonl").open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    catalog = folder / "catalog.jsonl"
    with catalog.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(rows):
            out.write(json.dumps({"sku": f"SKU-{i:07d}", **records[i % len(records)]}, ensure_ascii=False) + "\n")
    shutil.copy(SHARED / "corpus" / "brands-sample.txt", folder / "competitors.txt")
    config = folder / "listing-lint.toml"
    config.write_text('[brands]\ncompetitors-files = ["competitors.txt"]\n', "utf-8")
    return catalog, config


def spark_submit() -> str:
    import pyspark

    return str(Path(pyspark.__file__).parent / "bin" / "spark-submit")


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run_cli(folder: Path, rows: int, jobs: int) -> dict:
    cmd = [sys.executable, "-m", "listing_lint", "check", "catalog.jsonl", "--config", "listing-lint.toml",
           "--no-cache", "--format", "jsonl", "--jobs", str(jobs), "--exit-zero"]
    before = load()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"CLI failed: {proc.stderr[-2000:]}")
    return {"tool": f"CLI --jobs {jobs}", "seconds": seconds, "rows_per_s": rows / seconds,
            "findings": proc.stdout.count("\n"), "load_before": before, "load_after": load()}


def run_spark(folder: Path, master: str) -> dict:
    shutil.rmtree(folder / "findings", ignore_errors=True)
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
           "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1")}
    cmd = [spark_submit(), "--master", master, "--conf", "spark.ui.enabled=false",
           "--driver-java-options", "-Dlog4j2.level=warn",
           str(JOB), "catalog.jsonl", "findings", "--config", "listing-lint.toml"]
    before = load()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    m = SUMMARY.search(proc.stdout)
    if proc.returncode != 0 or not m:
        sys.exit(f"spark-submit failed ({proc.returncode}): {proc.stdout[-1000:]}{proc.stderr[-3000:]}")
    rows, findings, job_seconds = int(m[1]), int(m[2]), float(m[3])
    return {"tool": f"spark-submit {master}", "seconds": seconds, "rows_per_s": rows / seconds,
            "job_seconds": job_seconds, "job_rows_per_s": rows / job_seconds, "findings": findings,
            "load_before": before, "load_after": load()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the CLI run beside it (default 2)")
    parser.add_argument("--no-cli", action="store_true", help="run only the Spark job")
    parser.add_argument("--workdir", type=Path, help="build and keep the inputs here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    folder = args.workdir or Path(tempfile.mkdtemp(prefix="listing-lint-spark-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        write_inputs(folder, args.rows)
        print(f"{args.rows:,} rows in {folder / 'catalog.jsonl'}; {os.cpu_count()} CPUs; load {load()}")
        results = []
        for i in range(args.repeat):
            for run in ([] if args.no_cli else [lambda: run_cli(folder, args.rows, args.jobs)]) + \
                       [lambda: run_spark(folder, args.master)]:
                r = run()
                r["repeat"] = i + 1
                results.append(r)
                job = (f"; job alone {r['job_seconds']:.1f} s = {r['job_rows_per_s']:,.0f} rows/s"
                       if "job_seconds" in r else "")
                print(f"{r['tool']:<24} {r['seconds']:6.1f} s = {r['rows_per_s']:6,.0f} rows/s end to end{job}; "
                      f"{r['findings']:,} findings; load {r['load_before']} -> {r['load_after']}")
        if args.json:
            args.json.write_text(json.dumps({"rows": args.rows, "results": results}, indent=2) + "\n")
    finally:
        if not args.workdir:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
