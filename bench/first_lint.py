"""Benchmark (start-up): the first lint of a new process, by the kind of copy it meets first.

Usage: python bench/first_lint.py [--runs 7] [--against DIR]

An editor opening a file, a pre-commit hook and every CLI run lint their first listing in a process that has
built nothing yet. What that first lint builds depends on the copy: a listing with English stop words is read in
English only; a title with no stop words ("DJI FPV Air Unit") is read in every language; Japanese copy in
Japanese; and every run files its competitor list before it looks for a name. Each case runs in a new process
(with the package's prebuilt data and no cache folder, as with ``--no-cache``), and the median of ``--runs`` is printed:
the milliseconds of the first lint (rule set built before it, and timed apart), and of a second lint of other
copy of the same kind (what is left once the process has built what that kind needs).

``--against DIR`` measures another checkout (its ``server/`` and ``rules/``) the same way, the two alternating.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

CASES = {
    "English listing (stop words)": (
        {"title": "Insulated Water Bottle", "bullets": ["Keeps drinks cold for 24 hours and hot for 12."]},
        {"title": "Bamboo Cutting Board", "bullets": ["The board is made of bamboo and is easy to clean."]}),
    "title with no stop words (every language)": (
        {"title": "DJI FPV Air Unit"}, {"title": "Stainless Steel Water Bottle 32oz Insulated"}),
    "Japanese title": (
        {"title": "ステンレス製ウォーターボトル 保温保冷 500ml 軽量 アウトドア キャンプ"},
        {"title": "竹製まな板 3枚セット 抗菌 食洗機対応"}),
}

_MEASURE = """
import json, sys, time
t0 = time.perf_counter()
from listing_lint import Config
from listing_lint.engine.lint import RuleSet
from listing_lint.extract.record import listing_from_record
first, second, brands = json.loads(sys.argv[1])
names = [b.strip() for b in open(brands, encoding="utf-8") if b.strip()] if brands else []
t1 = time.perf_counter()
rules = RuleSet(Config(competitors=tuple(names)))
t2 = time.perf_counter()
rules.lint(listing_from_record(first, "first"))
t3 = time.perf_counter()
rules.lint(listing_from_record(second, "second"))
t4 = time.perf_counter()
print(json.dumps([t2 - t1, t3 - t2, t4 - t3]))
"""


def twenty_thousand_names(folder: Path) -> Path:
    """Write a 20,000-name competitor list: the shared 3,446 names, then each with a suffix, as a large
    agency's list grows."""
    names = [b.strip() for b in open(SHARED / "corpus" / "brands-sample.txt", encoding="utf-8") if b.strip()]
    grown = list(names)
    for suffix in ("Pro", "Home", "Kids", "Labs", "Co"):
        grown += [f"{b} {suffix}" for b in names]
    path = folder / "brands-20000.txt"
    path.write_text("\n".join(list(dict.fromkeys(grown))[:20000]) + "\n", encoding="utf-8")
    return path


def measure(checkout, case: tuple, brands) -> list[float]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LISTING_LINT_RULES_DIR")}
    if checkout is not None:
        env.update(PYTHONPATH=str(checkout / "server"), LISTING_LINT_RULES_DIR=str(checkout / "rules"))
    done = subprocess.run([sys.executable, "-c", _MEASURE, json.dumps([*case, str(brands) if brands else ""])],
                          env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--against", type=Path, help="another checkout to measure the same way, alternating with this one")
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        lists = {"no competitors": None, "3,446 competitors": SHARED / "corpus" / "brands-sample.txt",
                 "20,000 competitors": twenty_thousand_names(Path(tmp))}
        checkouts = {"this checkout": None}
        if args.against:
            checkouts[str(args.against)] = args.against.resolve()
        rows = [(label, None, case) for label, case in CASES.items()]
        rows += [(f"English listing, {name}", brands, CASES["English listing (stop words)"])
                 for name, brands in lists.items() if brands is not None]
        print(f"{'first lint of a new process (ms, median of ' + str(args.runs) + ')':62} {'build':>8} "
              f"{'rule set':>9} {'first':>8} {'second':>8}")
        for label, brands, case in rows:
            times: dict[str, list[list[float]]] = {name: [] for name in checkouts}
            for _ in range(args.runs):
                for name, checkout in checkouts.items():
                    times[name].append(measure(checkout, case, brands))
            for name, got in times.items():
                medians = [statistics.median(run[i] for run in got) * 1000 for i in range(3)]
                print(f"{label:62} {name[:8]:>8} {medians[0]:9.1f} {medians[1]:8.1f} {medians[2]:8.1f}")


if __name__ == "__main__":
    main()
