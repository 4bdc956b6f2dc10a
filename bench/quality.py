"""Score the policy rules on a labelled set of real snippets, per rule and per language.

Usage: python bench/quality.py [--corpus FILE] [--config FILE] [--show-misses] [--show-fps]

The labelled set is JSON lines: {"id", "lang", "field", "text", "expect": [{"rule", "text"}],
"allow": [{"rule", "text"}]}. Each text is linted as the named field with the own and competitor
brands of the config file. A finding is a true positive when its rule matches an expected one and its
span overlaps the expected substring; any other error or warning finding of the policy pack that no
`allow` entry covers is a false positive. An expected item that no finding covers is a miss.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from listing_lint import Config, Severity, lint_listing
from listing_lint.engine.lint import single_field_listing, specs_for
from listing_lint.model import FieldKind

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "labelled-dev.jsonl"


def _span(text: str, sub: str) -> tuple[int, int]:
    at = text.find(sub)
    if at < 0:
        raise SystemExit(f"labelled substring {sub!r} is not in its text {text!r}")
    return at, at + len(sub)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(cases: list[dict], config: Config) -> dict:
    """Lint every case and return the counts per rule, per language and overall, plus the misses and FPs."""
    policy = {s.name for s in specs_for(config) if s.pack == "policy"}
    counts = {"rule": collections.defaultdict(collections.Counter),
              "lang": collections.defaultdict(collections.Counter),
              "all": collections.Counter()}
    misses, fps = [], []
    for case in cases:
        text = case["text"]
        listing = single_field_listing(text, FieldKind(case["field"]), path=case["id"])
        findings = [f for f in lint_listing(listing, config)
                    if f.rule in policy and f.severity >= Severity.WARNING]
        expected = [(e["rule"], _span(text, e["text"])) for e in case.get("expect", [])]
        allowed = [(a["rule"], _span(text, a["text"])) for a in case.get("allow", [])]
        for rule, span in expected:
            hit = any(f.rule == rule and _overlaps((f.start, f.end), span) for f in findings)
            for bucket in (counts["rule"][rule], counts["lang"][case["lang"]], counts["all"]):
                bucket["tp" if hit else "fn"] += 1
            if not hit:
                misses.append((case["id"], rule, text[span[0]:span[1]], text))
        for f in findings:
            span = (f.start, f.end)
            if any(f.rule == r and _overlaps(span, s) for r, s in expected + allowed):
                continue
            for bucket in (counts["rule"][f.rule], counts["lang"][case["lang"]], counts["all"]):
                bucket["fp"] += 1
            fps.append((case["id"], f.rule, text[f.start:f.end], text))
    return {"counts": counts, "misses": misses, "fps": fps}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "  - "


def _row(name: str, c: collections.Counter) -> str:
    tp, fn, fp = c["tp"], c["fn"], c["fp"]
    return f"{name:26} {tp:4} {fn:4} {fp:4}   {_ratio(tp, tp + fn):>6} {_ratio(tp, tp + fp):>9}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--config", help="JSON file with `own` and `competitors` lists (default: beside the corpus)")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--show-fps", action="store_true")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_file():
        print(f"no labelled set at {corpus}", file=sys.stderr)
        return 2
    cfg_path = Path(args.config) if args.config else corpus.with_name(corpus.name.replace(".jsonl", ".config.json"))
    brands = json.loads(cfg_path.read_text("utf-8")) if cfg_path.is_file() else {}
    config = Config(own_brands=tuple(brands.get("own", ())), competitors=tuple(brands.get("competitors", ())))
    cases = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    result = score(cases, config)
    head = f"{'':26} {'tp':>4} {'fn':>4} {'fp':>4}   {'recall':>6} {'precision':>9}"
    print(f"{len(cases)} labelled snippets")
    print(head)
    for rule, c in sorted(result["counts"]["rule"].items()):
        print(_row(rule, c))
    print()
    print(head.replace("    ", "lang", 1))
    for lang, c in sorted(result["counts"]["lang"].items()):
        print(_row(lang, c))
    print()
    print(_row("overall", result["counts"]["all"]))
    if args.show_misses:
        print("\nmisses:")
        for cid, rule, sub, text in result["misses"]:
            print(f"- {cid} {rule}: {sub!r}\n    {text}")
    if args.show_fps:
        print("\nfalse positives:")
        for cid, rule, sub, text in result["fps"]:
            print(f"- {cid} {rule}: {sub!r}\n    {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
