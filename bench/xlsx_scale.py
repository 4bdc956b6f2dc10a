"""Spreadsheet scale: read a 50,000-row Amazon-style .xlsx template with python-calamine and with openpyxl, then lint it.

Usage: python bench/xlsx_scale.py [--rows 50000] [--repeat 2] [--keep DIR]

Builds an Amazon 2023+ product template (openpyxl's write-only mode): an Instructions sheet, a Template sheet
with the settings row, the label row and the attribute-name row (item_name[marketplace_id=…][language_tag=…]#1.value)
above the data rows, and a Valid Values sheet. The data rows are the real listings of
../shared/corpus/real-listings.jsonl, cycled, each with its own SKU. Then it times:
- reading every cell of every sheet as text with python-calamine (Rust, the whole sheet at once);
- the same with openpyxl in read-only mode (streamed XML);
- `listing-lint check FILE --no-cache --format concise` end to end, with peak memory of the process tree.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from catalog_scale import SHARED, tree_rss_kb  # noqa: E402

MARKET = "[marketplace_id=ATVPDKIKX0DER][language_tag=en_US]"
ATTRIBUTES = ([("SKU", "contribution_sku#1.value"), ("Product Type", "product_type#1.value"),
               ("Brand Name", f"brand{MARKET}#1.value"), ("Item Name", f"item_name{MARKET}#1.value")]
              + [("Bullet Point", f"bullet_point{MARKET}#{i}.value") for i in range(1, 6)]
              + [("Product Description", f"product_description{MARKET}#1.value"),
                 ("Generic Keyword", f"generic_keyword{MARKET}#1.value"),
                 ("List Price", "list_price[marketplace_id=ATVPDKIKX0DER]#1.value_with_tax")])


def corpus() -> list[dict]:
    with (SHARED / "corpus" / "real-listings.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_template(path: Path, rows: int) -> None:
    """Write an Amazon-style template with ``rows`` data rows."""
    from openpyxl import Workbook

    records = corpus()
    wb = Workbook(write_only=True)
    intro = wb.create_sheet("Instructions")
    intro.append(["Use this template to add products. Fill in the Template tab; see Valid Values for lists."])
    sheet = wb.create_sheet("Template")
    sheet.append(["settings=contentLanguageTag=en_US&feedType=113&headerLanguageTag=en_US&primaryMarketplaceId="
                  "amzn1.mp.o.ATVPDKIKX0DER&templateIdentifier=0c1b2a3d", "", "", "Offer", "", "", "", "", "", "",
                  "", ""])
    sheet.append([label for label, _ in ATTRIBUTES])
    sheet.append([name for _, name in ATTRIBUTES])
    for i in range(rows):
        r = records[i % len(records)]
        bullets = (r.get("bullets") or [])[:5]
        sheet.append([f"SKU-{i:07d}", "HOME", r.get("brand") or "", r["title"], *bullets,
                      *[""] * (5 - len(bullets)), r.get("description") or "",
                      " ".join((r.get("search_terms") or "").split()[:20]), 19.99 + i % 7])
    values = wb.create_sheet("Valid Values")
    values.append(["Product Type", "HOME", "KITCHEN", "SPORTING_GOODS"])
    wb.save(path)


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
            cells += sum(1 for v in row if v != "")
    return cells


def read_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += sum(1 for v in row if v is not None and v != "")
    wb.close()
    return cells


def timed(fn, path: Path, repeat: int) -> tuple[float, int]:
    best, result = float("inf"), 0
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(path)
        best = min(best, time.perf_counter() - t)
    return best, result


def lint(path: Path) -> dict:
    import resource
    import subprocess
    import threading

    cmd = [sys.executable, "-m", "listing_lint", "check", str(path), "--no-cache", "--format", "concise",
           "--exit-zero", "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    findings = sum(1 for _ in proc.stdout)
    proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak[0] / 1024, "findings": findings, "exit": proc.returncode}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=2, help="best of N reads per reader")
    ap.add_argument("--keep", metavar="DIR", help="build (or reuse) the template in DIR and keep it")
    args = ap.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="listing-lint-xlsx-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"amazon-template-{args.rows}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        write_template(path, args.rows)
        print(f"built {path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in "
              f"{time.perf_counter() - t:.1f} s")
    for label, fn in (("python-calamine", read_calamine), ("openpyxl read-only", read_openpyxl)):
        seconds, cells = timed(fn, path, args.repeat)
        print(f"{label:>20}: {seconds:6.2f} s to read {cells:,} non-empty cells "
              f"({args.rows / seconds:,.0f} rows/s)")
    r = lint(path)
    print(f"{'listing-lint check':>20}: {r['wall_s']:6.2f} s wall, {r['cpu_s']:.1f} s CPU (all processes), "
          f"{args.rows / r['wall_s']:,.0f} rows/s, "
          f"peak RSS (process tree) {r['peak_mb']:.0f} MB, {r['findings']:,} findings, exit {r['exit']}")
    if not args.keep:
        path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
