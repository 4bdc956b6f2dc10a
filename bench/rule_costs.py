"""Benchmark (where lint time goes): microseconds per listing of each rule's gate, search and findings.

Usage: python bench/rule_costs.py [--repeat 5] [--cold]

Lints the shared corpus's 2,862 real listings with every pack on and its 3,446 competitor brands, as
bench/throughput.py does, and times each selected rule in three parts, summed over the corpus:
- **gate**: ``fields_to_check``, which says which fields the rule could find something in;
- **search**: ``check``, the search of those fields (patterns, detectors, concept combinations);
- **findings**: building each finding from a hit (message, fixes and the checks of each fix).
Beside them: the engine's own work per listing with no rule at all (the literal scan and the sort), and the
cost of handing every rule a listing when each turns it away at once. The clock wrapped round each part costs
a little too, so the parts sum to somewhat more than the plain lint time printed first.

Work the rules share is computed once per listing, by the first rule that asks for it, and counted there: the
detectors' screen under the first detector, the concept gate's reading of the listing under the first concept
rule, each field's words under the first rule that needs them.

The best of ``--repeat`` passes is kept for each part, after one pass that warms every memo (as in a long
run). ``--cold`` times the first pass over listings the linter has not read before instead (a catalog of new
products), in a new process, after the last 200 listings have built the one-time tables; one pass, so its
figures swing more.

On a shared machine the whole figure swings by a third from one run to the next; compare rules within one
run, and builds with bench/instructions.py.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from listing_lint import Config
from listing_lint.engine import lint as engine_lint
from listing_lint.engine.lint import Rule, RuleSet
from listing_lint.extract.record import listing_from_record

from throughput import COLD_WARM, corpus

PARTS = ("gate", "search", "findings")


class TimedKind:
    """A rule's kind with its gate and search timed into ``spent``."""

    def __init__(self, kind, name: str, spent: Counter, runs: Counter) -> None:
        self.kind, self.name, self.spent, self.runs = kind, name, spent, runs
        self.listing_literals = kind.listing_literals
        self.yields_to = kind.yields_to

    def fields_to_check(self, listing, fields, ctx):
        start = time.perf_counter()
        try:
            return self.kind.fields_to_check(listing, fields, ctx)
        finally:
            self.spent[self.name, "gate"] += time.perf_counter() - start
            self.runs[self.name] += 1

    def check(self, listing, fields, ctx):
        start = time.perf_counter()
        try:
            hits = list(self.kind.check(listing, fields, ctx))
        finally:
            self.spent[self.name, "search"] += time.perf_counter() - start
        return iter(hits)


class TurnedAway:
    """A kind that turns every listing away at once: what remains is the engine handing the rule a listing."""

    def __init__(self, kind) -> None:
        self.listing_literals = kind.listing_literals
        self.yields_to = kind.yields_to

    def fields_to_check(self, listing, fields, ctx):
        return ()


def lint_all(rules: RuleSet, listings: list) -> float:
    """Lint every listing once; return the CPU seconds it took."""
    start = time.process_time()
    for listing in listings:
        rules.lint(listing)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed passes; the best of each part is kept")
    parser.add_argument("--cold", action="store_true", help="time the first pass over new listings (see above)")
    args = parser.parse_args()

    records, brands = corpus()
    rules = RuleSet(Config(competitors=brands), remember=False)
    listings = [listing_from_record(r, r["id"]) for r in records]
    if args.cold:
        warm, timed = listings[-COLD_WARM:], listings[:-COLD_WARM]
        repeat = 1
    else:
        warm, timed = listings, listings
        repeat = max(1, args.repeat)
    for listing in warm:
        rules.lint(listing)
    plain = [] if args.cold else [lint_all(rules, timed) for _ in range(repeat)]

    real = list(rules.rules)
    best: dict[tuple[str, str], float] = {}
    runs: Counter = Counter()
    make_finding = RuleSet._finding
    for _ in range(repeat):
        spent: Counter = Counter()
        pass_runs: Counter = Counter()

        def timed_finding(self, rule, hit, listing=None, spent=spent):
            start = time.perf_counter()
            try:
                return make_finding(self, rule, hit, listing)
            finally:
                spent[rule.spec.name, "findings"] += time.perf_counter() - start

        rules.rules = [Rule(r.spec, TimedKind(r.kind, r.spec.name, spent, pass_runs), r.severity, r.fields)
                       for r in real]
        engine_lint.RuleSet._finding = timed_finding
        try:
            lint_all(rules, timed)
        finally:
            engine_lint.RuleSet._finding = make_finding
            rules.rules = real
        for rule in real:
            for part in PARTS:
                key = (rule.spec.name, part)
                best[key] = min(best.get(key, float("inf")), spent[key])
        runs = pass_runs

    if args.cold:
        floor = dispatch = None
    else:
        rules.rules = []
        floor = min(lint_all(rules, timed) for _ in range(repeat))
        rules.rules = [Rule(r.spec, TurnedAway(r.kind), r.severity, r.fields) for r in real]
        dispatch = min(lint_all(rules, timed) for _ in range(repeat)) - floor
        rules.rules = real

    n = len(timed)
    print(f"{n:,} listings ({'first pass over new text' if args.cold else f'best of {repeat} warm passes'}); "
          f"all packs, {len(brands):,} competitor brands; microseconds per listing")
    if plain:
        print(f"whole lint, unwrapped: {min(plain) / n * 1e6:.1f}")
    if floor is not None:
        print(f"engine with no rule: {floor / n * 1e6:.1f}; handing {len(real)} rules each listing: "
              f"{dispatch / n * 1e6:.1f}")
    print(f"{'rule':32s} {'run on':>7s} {'gate':>7s} {'search':>7s} {'findings':>8s} {'total':>7s}")
    totals = {r.spec.name: sum(best[r.spec.name, p] for p in PARTS) for r in real}
    for name in sorted(totals, key=totals.get, reverse=True):
        share = runs[name] / n
        gate, search, findings = (best[name, p] / n * 1e6 for p in PARTS)
        print(f"{name:32s} {share:7.0%} {gate:7.1f} {search:7.1f} {findings:8.1f} {totals[name] / n * 1e6:7.1f}")
    print(f"{'all rules':32s} {'':7s} " + " ".join(
        f"{sum(best[r.spec.name, p] for r in real) / n * 1e6:{w}.1f}" for p, w in zip(PARTS, (7, 7, 8)))
        + f" {sum(totals.values()) / n * 1e6:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
