"""Lint a JSON Lines catalog with Apache Spark: the CLI's findings, computed by the executors, row by row.

Run it with spark-submit (docs/spark.md shows how on a cluster)::

    spark-submit --master 'local[2]' examples/spark/lint_catalog.py catalog.jsonl findings/ --config listing-lint.toml

The output folder holds JSON Lines part files with one finding per line, each a record of the same
shape (schema version 2) and value as ``listing-lint check --format jsonl`` gives for the same file:
same SKU, rule, message, rows and columns, fix; a line that is not a JSON object gives a ``read-error``
record, as the CLI does (tests/spark checks this on 20,000 rows). The driver reads the config and its
competitor files once; the resolved ``Config`` travels to the executors with the tasks, rule packs are
shipped as job files, and each Python worker compiles the rules on its first row and reuses them.

Differences from the CLI: one catalog file per run; it must be UTF-8 (Spark's text reader decodes it
so); ``per-file-ignores`` are not applied (put those rules in ``[rules] ignore`` for the job instead).
Nothing here is imported by the ``listing_lint`` package, so pyspark is not one of its dependencies.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Optional

from listing_lint import Config, lint_listing
from listing_lint.config import load_config
from listing_lint.extract import extract_jsonl
from listing_lint.model import LineIndex

SCHEMA_VERSION = 2
"""The version of the CLI's JSON record these rows follow (see the README's JSON output section)."""
BOM = "\ufeff"


def load_settings(config_path: Optional[str]) -> Config:
    """Read a config file as ``listing-lint check --config FILE`` does (built-in defaults when None)."""
    return load_config(Path(config_path)) if config_path else Config()


def lint_line(line: str, line_no: int, filename: str, config: Config) -> list[dict[str, Any]]:
    """Lint one line (1-based ``line_no``) of a JSON Lines catalog; return the CLI's JSON records for it.

    Records come in the CLI's order within a line: by row, column, then rule code.
    """
    if line_no == 1 and line.startswith(BOM):
        line = line[1:]  # the CLI drops a UTF-8 byte order mark and counts columns after it
    listings, errors = extract_jsonl(filename, line, line_base=line_no - 1)
    out = [_read_error(filename, e.line, e.column, e.message) for e in errors]
    for listing in listings:
        index = LineIndex(listing.text, listing.line_base)
        found = []
        for f in lint_listing(listing, config):
            start, end = index.position(f.start), index.position(f.end)
            fix = f.fix
            found.append({
                "version": SCHEMA_VERSION, "filename": filename, "cell": None, "sku": listing.sku,
                "field": f.field, "code": f.code, "rule": f.rule, "severity": f.severity.label,
                "message": f.message, "url": f.url,
                "location": {"row": start.row, "column": start.column},
                "end_location": {"row": end.row, "column": end.column},
                "fix": None if fix is None else {
                    "message": fix.title, "applicability": fix.applicability.label,
                    "edits": [_edit(index, e.new_text, e.start, e.end) for e in fix.edits],
                },
            })
        found.sort(key=lambda r: (r["location"]["row"], r["location"]["column"], r["code"]))
        out.extend(found)
    return out


def lint_lines(numbered: Iterable[tuple[str, int]], filename: str, config: Config,
               counters: Optional[tuple[Any, Any]] = None) -> Iterator[str]:
    """Lint (line, 0-based index) pairs, as ``zipWithIndex`` numbers them; yield one JSON text per finding.

    ``counters``: optional Spark accumulators for the lines and findings seen (added once per partition).
    """
    lines = found = 0
    for line, index in numbered:
        lines += 1
        for record in lint_line(line, index + 1, filename, config):
            found += 1
            yield json.dumps(record, ensure_ascii=False)
    if counters is not None:
        counters[0].add(lines)
        counters[1].add(found)


def lint_catalog(spark: Any, catalog: str, config: Config, filename: Optional[str] = None,
                 counters: Optional[tuple[Any, Any]] = None) -> Any:
    """Return an RDD of JSON texts, one per finding of the catalog's rows, in the CLI's record shape.

    ``catalog`` is one file. ``filename`` is what the records name as their file (default: ``catalog`` as
    given, as the CLI does). ``counters``: optional accumulators for the lines and findings. The config's
    rule packs are shipped to the executors with ``SparkContext.addFile``; everything else it holds
    (competitor names included) travels inside the pickled ``Config``.
    """
    name = filename or catalog
    packs = ship_rule_packs(spark.sparkContext, config)
    # Lines end at "\n" only, as in the CLI's JSON Lines reader (a "\r" before it is stripped there).
    frame = spark.read.option("lineSep", "\n").text(catalog)
    files = frame.inputFiles()
    if len(files) != 1:
        # Rows are numbered across the whole input: a folder or a glob would give wrong row numbers.
        raise ValueError(f"{catalog}: expected one catalog file, found {len(files)}")
    lines = frame.rdd.map(lambda row: row[0])
    # Spark cuts one file into splits of equal size (the last one shorter) and keeps them in file order,
    # so zipWithIndex numbers the lines as the file does; tests/spark checks it over two partitions.
    return lines.zipWithIndex().mapPartitions(
        lambda part: lint_lines(part, name, with_shipped_packs(config, packs), counters))


def ship_rule_packs(sc: Any, config: Config) -> tuple[str, ...]:
    """Add each rule pack (a folder, or a TOML file) of the config to the job's files; return their names."""
    names = tuple(Path(p).name for p in config.rule_packs)
    if len(set(names)) != len(names):
        raise ValueError(f"rule packs must have different names to be shipped to executors: {names}")
    for pack in config.rule_packs:
        sc.addFile(pack, recursive=Path(pack).is_dir())
    return names


def with_shipped_packs(config: Config, names: tuple[str, ...]) -> Config:
    """On an executor: point the config's rule packs at the copies ``ship_rule_packs`` sent there."""
    if not names:
        return config
    from pyspark import SparkFiles

    return config._replace(rule_packs=tuple(SparkFiles.get(n) for n in names))


def find_file(path: str) -> str:
    """Return ``path`` if it exists here, else its copy among the job's files (``--files`` in cluster mode)."""
    if Path(path).exists():
        return path
    from pyspark import SparkFiles

    shipped = Path(SparkFiles.get(Path(path).name))
    return str(shipped) if shipped.exists() else path


def _edit(index: LineIndex, content: str, start: int, end: int) -> dict[str, Any]:
    s, e = index.position(start), index.position(end)
    return {"content": content, "location": {"row": s.row, "column": s.column},
            "end_location": {"row": e.row, "column": e.column}}


def _read_error(filename: str, line: int, column: int, message: str) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION, "filename": filename, "cell": None, "sku": None, "field": None,
        "code": "read-error", "rule": "read-error", "severity": "error", "message": message, "url": None,
        "location": {"row": line, "column": column}, "end_location": {"row": line, "column": column}, "fix": None,
    }


def main(argv: Optional[list[str]] = None) -> int:
    """Run the job: lint CATALOG, write the findings to the OUTPUT folder, print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("catalog", help="JSON Lines catalog (any path Spark reads: file:, hdfs:, s3a:, ...)")
    parser.add_argument("output", help="folder for the findings (JSON Lines part files); must not exist")
    parser.add_argument("--config", metavar="FILE", help="listing-lint config file (read on the driver)")
    parser.add_argument("--filename", help="file name to put in the records (default: CATALOG as given)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("listing-lint").getOrCreate()
    try:
        # The config's competitor files are read here, relative to the config, as the CLI reads them.
        config = load_settings(find_file(args.config) if args.config else None)
        if config.per_file_ignores:
            print("lint_catalog: per-file-ignores in the config are not applied by this job", file=sys.stderr)
        counters = (spark.sparkContext.accumulator(0), spark.sparkContext.accumulator(0))
        started = time.perf_counter()
        findings = lint_catalog(spark, args.catalog, config, args.filename, counters)
        findings.saveAsTextFile(args.output)
        seconds = time.perf_counter() - started
        partitions = findings.getNumPartitions()
        rows, found = counters[0].value, counters[1].value
    finally:
        spark.stop()
    # Machine-readable for bench/spark_job.py; the time includes numbering the lines (one extra read).
    print(f"lint_catalog: {rows} rows, {found} findings in {seconds:.2f} s ({rows / max(seconds, 1e-9):,.0f} rows/s), "
          f"{partitions} partitions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
