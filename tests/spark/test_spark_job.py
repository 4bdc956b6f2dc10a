"""The Spark job of examples/spark/lint_catalog.py, run by spark-submit in local mode, agrees with the CLI.

A 20,000-row JSON Lines catalog (the shared corpus of real listings, cycled, each row its own SKU) is
linted twice with one config (3,446 competitors from a competitors file): by ``listing-lint check
--format json --no-cache`` and by the job on ``local[2]``. Every row must get the same findings: SKU,
rule, message, rows and columns, fix. Java and pyspark come from scripts/install-spark-test-deps (run by
scripts/test, and again here when something is missing); the test skips, saying why, only when it cannot
reach a registry to install them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Optional

import pytest

from conftest import BRANDS_SAMPLE, ROOT, SHARED, load_script

JOB = ROOT / "examples" / "spark" / "lint_catalog.py"
CORPUS = SHARED / "corpus" / "real-listings.jsonl"
BRANDS = BRANDS_SAMPLE
ROWS = 20_000


job = load_script(JOB)


@pytest.fixture(scope="module")
def spark_submit() -> str:
    """Install Java 17 and pyspark if needed (idempotent), or skip saying why; return spark-submit's path."""
    # Always run: it checks Java's version too, and costs a fraction of a second when all is there.
    result = subprocess.run(["bash", str(ROOT / "scripts" / "install-spark-test-deps")],
                            env={**os.environ, "LISTING_LINT_PYTHON": sys.executable},
                            capture_output=True, text=True, timeout=900)
    if result.returncode == 3:
        pytest.skip(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0, result.stdout + result.stderr
    importlib.invalidate_caches()
    spec = importlib.util.find_spec("pyspark")
    assert spec is not None and spec.origin, "install-spark-test-deps succeeded but pyspark does not import"
    found = Path(spec.origin).parent / "bin" / "spark-submit"
    assert found.is_file(), f"pyspark has no {found}"
    return str(found)


def _write_catalog(folder: Path) -> tuple[Path, Path]:
    """Write the catalog (corpus rows cycled, SKU-00000...) and a config with the competitors file."""
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    catalog = folder / "catalog.jsonl"
    with catalog.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(ROWS):
            out.write(json.dumps({"sku": _sku(i + 1), **rows[i % len(rows)]}, ensure_ascii=False) + "\n")
    shutil.copy(BRANDS, folder / "competitors.txt")
    # A rule pack of the user's own, which the job must ship to its executors.
    house = folder / "house-rules"
    house.mkdir()
    (house / "pack.toml").write_text('name = "house"\ndescription = "House style."\n', "utf-8")
    (house / "HSE001-pack-count-word.toml").write_text(HOUSE_RULE, "utf-8")
    config = folder / "listing-lint.toml"
    config.write_text('rule-packs = ["house-rules"]\n\n[brands]\nown = ["Vantora"]\n'
                      'competitors-files = ["competitors.txt"]\n', "utf-8")
    return catalog, config


HOUSE_RULE = """\
id = "HSE001"
name = "pack-count-word"
kind = "existence"
fields = ["title"]
severity = "info"
message = "'{match}' gives a pack count in words."
rationale = "House style gives pack counts as 'Set of N'."
policy = "https://example.com/house-style"
patterns = ['Pack']

[[examples]]
bad = "Kettle 2 Pack"

[[examples]]
good = "Kettle, Set of 2"
"""


def _sku(row: int) -> str:
    return f"SKU-{row - 1:05d}"


@pytest.fixture(scope="module")
def both_runs(spark_submit: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Lint the catalog with the CLI and with the Spark job; return both sets of records and the timings."""
    folder = tmp_path_factory.mktemp("spark-catalog")
    catalog, config = _write_catalog(folder)

    started = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "listing_lint", "check", "--format", "json", "--no-cache",
                          "--config", config.name, catalog.name], cwd=folder, capture_output=True, text=True,
                         timeout=600)
    cli_seconds = time.perf_counter() - started
    assert cli.returncode in (0, 1), cli.stderr[-3000:]

    # The workers run this interpreter (the project's venv); everything stays on the loopback address.
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
           "SPARK_LOCAL_IP": "127.0.0.1"}
    started = time.perf_counter()
    spark = subprocess.run([spark_submit, "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                            "--driver-java-options", "-Dlog4j2.level=warn",
                            str(JOB), catalog.name, "findings", "--config", config.name],
                           cwd=folder, env=env, capture_output=True, text=True, timeout=900)
    spark_seconds = time.perf_counter() - started
    assert spark.returncode == 0, spark.stdout[-2000:] + _python_error(spark.stderr)
    parts = sorted((folder / "findings").glob("part-*"))
    assert parts and (folder / "findings" / "_SUCCESS").exists(), spark.stdout + spark.stderr[-3000:]
    print(f"\nCLI --jobs 2: {cli_seconds:.1f} s; spark-submit local[2] in all: {spark_seconds:.1f} s; "
          f"{spark.stdout.strip()}")
    return {
        "cli": json.loads(cli.stdout),
        "spark": [json.loads(line) for part in parts for line in part.read_text("utf-8").splitlines()],
        "summary": spark.stdout,
    }


def _python_error(stderr: str) -> str:
    """Return the Python traceback of a failed job, or the end of its log (the JVM's stack is long)."""
    at = stderr.find("PythonException")
    return stderr[at:at + 4000] if at >= 0 else stderr[-4000:]


def _by_row(records: list[dict[str, Any]]) -> dict[int, list[str]]:
    rows: dict[int, list[str]] = defaultdict(list)
    for r in records:
        rows[r["location"]["row"]].append(json.dumps(r, sort_keys=True, ensure_ascii=False))
    return {row: sorted(found) for row, found in rows.items()}


def first_difference(cli: list[dict[str, Any]], spark: list[dict[str, Any]]) -> Optional[str]:
    """Return where the two outputs first disagree (row, and each side's findings there), or None if equal."""
    a, b = _by_row(cli), _by_row(spark)
    for row in sorted(set(a) | set(b)):
        if a.get(row, []) != b.get(row, []):
            return (f"row {row}: the CLI has {len(a.get(row, []))} findings, the Spark job "
                    f"{len(b.get(row, []))}\n  CLI:   " + "\n         ".join(a.get(row, [])) +
                    "\n  Spark: " + "\n         ".join(b.get(row, [])))
    return None


def test_spark_job_findings_equal_the_cli_row_for_row(both_runs):
    cli, spark = both_runs["cli"], both_runs["spark"]
    summary = both_runs["summary"]
    assert f"{ROWS} rows" in summary
    # Rows are numbered across partitions: more than one must be read for the comparison to show it works.
    partitions = re.search(r"(\d+) partitions", summary)
    assert partitions and int(partitions[1]) >= 2, summary
    # Enough of a catalog to mean something: most rules fire somewhere, and competitors are found.
    assert len(cli) > 5_000 and len({r["code"] for r in cli}) >= 15, (len(cli), {r["code"] for r in cli})
    assert any(r["rule"] == "competitor-brand" for r in cli)
    assert any(r["code"] == "HSE001" for r in cli)  # the user's rule pack is loaded
    difference = first_difference(cli, spark)
    assert difference is None, difference
    assert len(spark) == len(cli)


def test_each_finding_names_the_sku_of_its_own_row(both_runs):
    # Row n of the catalog holds SKU n-1: a job that numbered its lines wrongly would point elsewhere.
    wrong = [r for r in both_runs["spark"] if r["sku"] != _sku(r["location"]["row"])]
    assert not wrong, wrong[:3]


@pytest.fixture(scope="module")
def small_cli_records(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The CLI's records for the first 30 corpus rows (for checking the comparison itself)."""
    lines = CORPUS.read_text("utf-8").splitlines()[:30]
    text = "".join(json.dumps({"sku": _sku(i + 1), **json.loads(line)}, ensure_ascii=False) + "\n"
                   for i, line in enumerate(lines))
    records = _cli_records(text, tmp_path_factory.mktemp("spark-small"))
    assert len(records) > 10
    return records


@pytest.mark.parametrize("change", [
    pytest.param(lambda rs: rs.pop(len(rs) // 2), id="finding-dropped"),
    pytest.param(lambda rs: rs.append(dict(rs[0], code="XYZ999")), id="finding-added"),
    pytest.param(lambda rs: rs[7]["location"].update(row=rs[7]["location"]["row"] + 1), id="row-off-by-one"),
    pytest.param(lambda rs: rs[3]["end_location"].update(column=rs[3]["end_location"]["column"] - 1),
                 id="column-off-by-one"),
    pytest.param(lambda rs: rs[5].update(sku="SKU-99999"), id="sku-swapped"),
    pytest.param(lambda rs: rs[2].update(message=rs[2]["message"] + "."), id="message-changed"),
    pytest.param(lambda rs: next(r for r in rs if r["fix"]).update(fix=None), id="fix-dropped"),
])
def test_a_deliberate_mismatch_is_caught(small_cli_records, change):
    """The comparison fails on any one change to the CLI's own output (no Spark needed)."""
    changed = json.loads(json.dumps(small_cli_records))
    change(changed)
    assert first_difference(small_cli_records, json.loads(json.dumps(small_cli_records))) is None
    assert first_difference(small_cli_records, changed) is not None


def _cli_records(text: str, folder: Path) -> list[dict[str, Any]]:
    """Lint ``text`` as catalog.jsonl in ``folder`` (no config there) with the CLI; return its JSON records."""
    path = folder / "catalog.jsonl"
    path.write_bytes(text.encode("utf-8"))
    out = subprocess.run([sys.executable, "-m", "listing_lint", "check", "--format", "json", "--no-cache",
                          path.name], cwd=folder, capture_output=True, text=True, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def test_lint_line_matches_the_cli_on_awkward_lines(tmp_path):
    """Broken JSON, a non-object, blank and CRLF lines, and a byte order mark: same records as the CLI, no Spark."""
    good = CORPUS.read_text("utf-8").splitlines()[:12]
    lines = ["\ufeff" + json.dumps({"sku": "BOM-1", "title": "FREE SHIPPING!! Vantora Kettle"}),
             *good[:5], "", '{"sku": "B", "title": ', "[1, 2]", good[5] + "\r", "   ", *good[6:]]
    text = "\n".join(lines) + "\n"
    config = job.load_settings(None)
    spark_like = [r for i, line in enumerate(text.split("\n")[:-1])
                  for r in job.lint_line(line, i + 1, "catalog.jsonl", config)]
    cli = _cli_records(text, tmp_path)
    assert {r["code"] for r in spark_like} >= {"read-error"}
    difference = first_difference(cli, spark_like)
    assert difference is None, difference
