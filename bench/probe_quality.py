"""Benchmark (detection): score the policy rules on the outside-text probes in bench/probes/.

Each probe set was written by someone who had not read the rules or lexicons, in the seven languages, to
see how the rules carry over to wording nobody tuned them on: listing copy, insert cards, seller
boilerplate, phishing mails, news quotes and policy pages, with clean look-alikes beside each violation.
Sets a to d were then used to find missing classes of wording, so they are development data now; sets e
to t were each scored once, unseen, before their misses were fixed (see CHANGELOG). ``hard`` marks the
snippets its author thought hard.

A line: {"id", "lang", "field", "marketplace" (null: the config's default), "text", "expect": [rules that
must fire], "ok": [rules that may also fire]}. A violating snippet is caught when every expected rule
fires; a false positive is one of the eight contact and wording rules firing where it is neither expected
nor allowed (competitor brands and the style pack are not scored here).

Run: ``.venv/bin/python bench/probe_quality.py [--set LETTER] [--list]``.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from listing_lint import Config
from listing_lint.engine.lint import RuleSet, single_field_listing
from listing_lint.model import FieldKind

PROBES = Path(__file__).resolve().parent / "probes"
SCORED = frozenset({
    "review-incentive", "biased-review-request", "sales-claim", "off-platform-contact", "contact-email",
    "contact-phone", "external-url", "spoofed-amazon-domain",
})


def score(path: Path, rule_sets: dict) -> list[dict]:
    """Lint every snippet of a probe file and return each with what fired, what was missed and what was wrong."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        market = row.get("marketplace")
        if market not in rule_sets:
            rule_sets[market] = RuleSet(Config(marketplace=market) if market else Config())
        listing = single_field_listing(row["text"], FieldKind(row["field"]), row["id"])
        fired = {f.rule for f in rule_sets[market].lint(listing) if f.rule in SCORED}
        row["missed"] = sorted(set(row["expect"]) - fired)
        row["wrong"] = sorted(fired - set(row["expect"]) - set(row.get("ok", ())))
        rows.append(row)
    return rows


def summary(rows: list[dict], key) -> dict:
    """Return [caught, violating, clean with a false positive, clean] per value of ``key``."""
    table: dict = collections.defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        cell = table[key(row)]
        if row["expect"]:
            cell[1] += 1
            cell[0] += not row["missed"]
        else:
            cell[3] += 1
            cell[2] += bool(row["wrong"])
    return dict(sorted(table.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", help="one probe set by its letter (a, c to t); default: all")
    ap.add_argument("--list", action="store_true", help="print every miss and false positive")
    args = ap.parse_args()
    files = sorted(PROBES.glob(f"probe-{args.set or '*'}.jsonl"))
    if not files:
        print(f"no probe set {args.set!r} in {PROBES}", file=sys.stderr)
        return 2
    rule_sets: dict = {}
    for path in files:
        rows = score(path, rule_sets)
        total = summary(rows, lambda r: "all")["all"]
        print(f"{path.name}: caught {total[0]}/{total[1]} violating; false positives on {total[2]}/{total[3]} clean")
        for lang, (c, v, w, n) in summary(rows, lambda r: r["lang"]).items():
            print(f"  {lang}: caught {c}/{v}, false positives {w}/{n}")
        if any("hard" in r for r in rows):
            for hard, (c, v, w, n) in summary(rows, lambda r: bool(r.get("hard"))).items():
                print(f"  {'hard' if hard else 'not hard'}: caught {c}/{v}, false positives {w}/{n}")
        if args.list:
            for row in rows:
                if row["missed"] or row["wrong"]:
                    print(f"  {row['id']}: missed {row['missed']} wrong {row['wrong']}: {row['text'][:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
