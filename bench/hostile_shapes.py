"""Time the adversarial inputs of issue 14 at 10 KB, 100 KB and 1 MB, end to end: read, lint, and fix all.

Usage: python bench/hostile_shapes.py [--sizes 10000,100000,1000000] [--only SHAPE,...] [--no-fix]

Each shape is one field of a .listing.md document (or the document itself, for the reader shapes), grown to
each size. For each it prints the seconds to lint (extraction included), the findings, the seconds for
`--fix --unsafe-fixes` (the whole fix loop), and the growth exponent between the two largest sizes:
1.0 is linear, 2.0 quadratic.
"""

from __future__ import annotations

import argparse
import math
import time

from listing_lint import Config
from listing_lint.diagnostics import Applicability
from listing_lint.document import fix_document, lint_text

EMAIL_SHAPE = "a%" * 10


def _field(title: str = "Kettle", bullets: str = "", description: str = "") -> str:
    out = f"---\nsku: S1\n---\n# Title\n{title}\n"
    if bullets:
        out += f"## Bullet points\n{bullets}"
    if description:
        out += f"## Description\n{description}\n"
    return out


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


# Shape -> a function of the size returning the whole document.
SHAPES = {
    # Detectors (issue 14's table).
    "email a%a%…@": lambda n: _field(description=_repeat("a%", n) + "@"),
    "email a-a-…@": lambda n: _field(description=_repeat("a-", n) + "@"),
    "obfuscated x [at] a[.]a[.]…": lambda n: _field(description="x [at] " + _repeat("a[.]", n)),
    "label(dot)label(dot)…": lambda n: _field(description=_repeat("label(dot)", n)),
    "call + spaces": lambda n: _field(description="call" + " " * n + "5551234567"),
    # Readers.
    "heading '# a' + spaces + 'b'": lambda n: "# a" + " " * n + "b\n",
    "front matter 'sku: a' + spaces + 'b'": lambda n: "---\nsku: a" + " " * n + "b\n---\n# Title\nKettle\n",
    "unclosed comment openers": lambda n: _field(description=_repeat("<!-- x ", n)),
    "comment closers then spaces": lambda n: "<!-- a " + _repeat("--> " + " " * 20, n) + "x\n# Title\nKettle\n",
    # Many findings.
    "title word repeated": lambda n: _field(title=_repeat("Kettle ", n)),
    "tiny bullets": lambda n: _field(bullets=_repeat("- a\n", n)),
    "emoji runs": lambda n: _field(description=_repeat("🔥🔥 great ", n)),
    "N/A runs": lambda n: _field(description=_repeat("N/A ", n)),
    "'Rate us 5 stars.' sentences": lambda n: _field(description=_repeat("Rate us 5 stars. ", n)),
    "links": lambda n: _field(description=_repeat("see www.example.com ", n)),
    # The CSV and TSV readers (a file name ending .csv or .tsv picks them).
    "csv: unclosed quote": lambda n: CSV_HEADER + 'S1,"Kettle,' + _repeat("a ", n) + "\n",
    "csv: one row of commas": lambda n: CSV_HEADER + "S1,Kettle," + "," * n + "\n",
    "csv: doubled quotes": lambda n: CSV_HEADER + 'S1,Kettle,"' + _repeat('""', n) + '"\n',
    "csv: many rows with links": lambda n: CSV_HEADER + "".join(f"S{i},Kettle,see www.x.com\n" for i in range(n // 25)),
    "tsv: one row of tabs": lambda n: "item_sku\titem_name\nS1\t" + "\t" * n + "x\n",
}
CSV_HEADER = "item_sku,item_name,product_description\n"


def file_name(shape: str) -> str:
    """Return the file name whose extension picks the reader for a shape."""
    return "shape.csv" if shape.startswith("csv:") else "shape.tsv" if shape.startswith("tsv:") else "shape.listing.md"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--only", default="")
    ap.add_argument("--no-fix", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    only = [s for s in args.only.split(",") if s]
    config = Config()
    lint_text("warm.listing.md", _field(description="warm up www.example.com"), config)
    print(f"{'shape':40s} " + " ".join(f"{s // 1000:>7d}KB" for s in sizes) + "  findings  exponent" +
          ("" if args.no_fix else "   fix-all s"))
    for name, make in SHAPES.items():
        if only and not any(o in name for o in only):
            continue
        times, fixes, found = [], [], 0
        for size in sizes:
            doc = make(size)
            t = time.perf_counter()
            result = lint_text(file_name(name), doc, config)
            times.append(time.perf_counter() - t)
            found = len(result.findings)
            if not args.no_fix:
                t = time.perf_counter()
                fix_document(file_name(name), doc, config, Applicability.UNSAFE)
                fixes.append(time.perf_counter() - t)
        a, b = max(times[-2], 1e-4), max(times[-1], 1e-4)
        exponent = math.log(b / a) / math.log(sizes[-1] / sizes[-2]) if len(sizes) > 1 else float("nan")
        line = f"{name:40s} " + " ".join(f"{t:8.3f}s" for t in times) + f"  {found:8d}  {exponent:8.2f}"
        if fixes:
            line += "   " + " ".join(f"{t:.2f}" for t in fixes)
        print(line, flush=True)


if __name__ == "__main__":
    main()
