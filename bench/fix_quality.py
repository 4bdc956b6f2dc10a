"""Benchmark (fixes): apply every safe, then every unsafe, fix to real copy and count the broken results.

Four sources: the real corpus (each record written as a JSON listing, so that whole bullets can go as
array elements), the labelled development set and the probe sets of bench/probes/ (each text as its own
field) and the bundled examples/ folder. Each document is fixed with the library's own fix loop
(``listing_lint.fixes.fix_text`` through ``document.fix_document``), then every field of the result is
compared with the same field before: a result is broken when it holds more of a broken-copy shape
(``engine/wellformed.py``: an empty field, a dangling preposition, conjunction or contact verb, doubled
punctuation, a stray or double space, unbalanced brackets, a sentence starting in lower case) than the text
it came from. An empty field counts even when the field disappears from a Markdown list only if it is left
behind empty.

Run: ``.venv/bin/python bench/fix_quality.py [--limit N] [--show N] [--no-guard] [--dump FILE]``.
Targets: 0 broken safe fixes, at most 2% broken unsafe fixes. Also reported: how many fixes were only
offered as suggestions because their result would have been broken (a seller sees them, no tool applies
them); ``--no-guard`` measures the edit planner without that guard, to show how much of the result is the
planner's own. The shapes cannot tell every broken sentence ("Pflegetipps findest du" is a verb without its
object): ``--dump`` writes every field a fix changed, before and after, for a person to read.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from listing_lint import Applicability  # noqa: E402
from listing_lint.config import Config, load_config  # noqa: E402
from listing_lint.document import fix_document, lint_text  # noqa: E402
from listing_lint.engine.wellformed import added_shapes  # noqa: E402
from listing_lint.extract import detect_format  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def record_document(record: dict) -> str:
    """Write a corpus record as a JSON listing document."""
    doc = {k: record[k] for k in ("title", "bullets", "description", "insert_card", "search_terms")
           if record.get(k)}
    doc["marketplace"] = record.get("marketplace") or "amazon.com"
    return json.dumps(doc, ensure_ascii=False, indent=2)


def fields_by_kind(path: str, text: str, config: Config) -> dict[tuple[int, str], list[str]]:
    """Return each listing's field texts, grouped by (listing number, field kind), in order."""
    out: dict[tuple[int, str], list[str]] = {}
    for n, item in enumerate(lint_text(path, text, config).listings):
        for field in item.listing.fields:
            out.setdefault((n, field.kind.value), []).append(field.text)
    return out


EMPTY_ITEM = regex.compile(r'^[ \t]*(?:[-*+•][ \t]*|"[ \t]*",?[ \t]*)$', regex.MULTILINE)
"""An empty Markdown list item or an empty JSON string on its own line (an empty bullet left behind)."""


def broken(path: str, before: str, after: str, config: Config) -> list[tuple[str, str, str, list[str]]]:
    """Return (field, old text, new text, shapes added) for each field a fix broke.

    Fields are paired in order within their kind; a bullet that went whole is no breakage, but a title,
    description, insert card or search terms that disappeared is an emptied field.
    """
    old, new = fields_by_kind(path, before, config), fields_by_kind(path, after, config)
    out = []
    if len(EMPTY_ITEM.findall(after)) > len(EMPTY_ITEM.findall(before)):
        out.append(("bullets", "", "", ["empty field"]))
    for (n, kind), was_list in old.items():
        now_list = new.get((n, kind), [])
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, was_list, now_list, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            pairs = list(zip(was_list[a1:a2], now_list[b1:b2]))
            for was, now in pairs:
                shapes = added_shapes(was, now, kind)
                if shapes:
                    out.append((f"{n}:{kind}", was, now, shapes))
            if kind != "bullet" and a2 - a1 > b2 - b1:
                out.append((f"{n}:{kind}", was_list[a1], "", ["empty field"]))
    return out


def changed_fields(path: str, before: str, after: str, config: Config) -> list[tuple[str, str, str]]:
    """Return (field, old text, new text) for each field a fix changed, paired in order within their kind."""
    old, new = fields_by_kind(path, before, config), fields_by_kind(path, after, config)
    out = []
    for (n, kind), was_list in old.items():
        now_list = new.get((n, kind), [])
        for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, was_list, now_list, autojunk=False).get_opcodes():
            if op != "equal":
                out.extend((f"{n}:{kind}", was, now) for was, now in
                           zip(was_list[a1:a2], now_list[b1:b2] + [""] * (a2 - a1 - (b2 - b1))))
    return out


def documents(limit: int, corpus: Path = CORPUS):
    """Yield (source, path, text, config) for every document of the three sources."""
    corpus_config = Config()
    real = corpus / "real-listings.jsonl"
    if real.exists():
        with real.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if limit and n >= limit:
                    break
                record = json.loads(line)
                yield "real corpus", f"{record['id']}.json", record_document(record), corpus_config
    dev = corpus / "labelled-dev.jsonl"
    dev_cfg_path = corpus / "labelled-dev.config.json"
    dev_config = corpus_config
    if dev_cfg_path.exists():
        brands = json.loads(dev_cfg_path.read_text("utf-8"))
        dev_config = Config(own_brands=tuple(brands.get("own", ())), competitors=tuple(brands.get("competitors", ())))
    if dev.exists():
        for line in dev.read_text("utf-8").splitlines():
            case = json.loads(line)
            key = "bullets" if case["field"] == "bullet" else case["field"]
            doc = {key: [case["text"]] if key == "bullets" else case["text"]}
            yield "dev set", f"{case['id']}.json", json.dumps(doc, ensure_ascii=False, indent=2), dev_config
    for probe in sorted((ROOT / "bench" / "probes").glob("probe-*.jsonl")):
        for line in probe.read_text("utf-8").splitlines():
            case = json.loads(line)
            key = "bullets" if case["field"] == "bullet" else case["field"]
            doc = {key: [case["text"]] if key == "bullets" else case["text"]}
            if case.get("marketplace"):
                doc["marketplace"] = case["marketplace"]
            yield "probes", f"{case['id']}.json", json.dumps(doc, ensure_ascii=False, indent=2), corpus_config
    examples = ROOT / "examples"
    ex_config = load_config(examples / "listing-lint.toml") if (examples / "listing-lint.toml").exists() else None
    for path in sorted(examples.rglob("*")):
        if path.is_file() and detect_format(path.name) and path.suffix != ".toml":
            text = path.read_text("utf-8")
            try:
                if not lint_text(path.name, text, ex_config or corpus_config).recognised:
                    continue
            except Exception:
                continue
            yield "examples", str(path.relative_to(ROOT)), text, ex_config or corpus_config


def count_fixes(path: str, text: str, config: Config, threshold: Applicability) -> tuple[int, int]:
    """Return (fixes offered at the threshold, fixes held back as suggestions) in a document."""
    offered = held = 0
    for f in lint_text(path, text, config).findings:
        if f.fix is None:
            continue
        if f.fix.applicability >= threshold:
            offered += 1
        elif f.fix.applicability is Applicability.DISPLAY_ONLY:
            held += 1
    return offered, held


def main(argv=None) -> int:
    """Run the benchmark and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="read only the first N corpus records")
    ap.add_argument("--show", type=int, default=10, help="print up to N broken results")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder of real-listings.jsonl and labelled-dev.jsonl")
    ap.add_argument("--dump", type=Path, help="write every field a fix changed, before and after, to this file")
    ap.add_argument("--no-guard", action="store_true",
                    help="measure the edit planner alone: do not demote fixes whose result the checker rejects")
    args = ap.parse_args(argv)
    if args.no_guard:
        from listing_lint.engine import edits

        edits.added_shapes = lambda *a, **k: []  # the guard in build_fix asks this; an empty answer disables it
    started = time.perf_counter()
    totals: dict[tuple[str, str], Counter] = {}
    samples: list[str] = []
    shapes_seen: Counter = Counter()
    changes: list[str] = []
    for source, path, text, config in documents(args.limit, args.corpus):
        for label, threshold in (("safe", Applicability.SAFE), ("unsafe", Applicability.UNSAFE)):
            c = totals.setdefault((source, label), Counter())
            fixed, applied, _ = fix_document(path, text, config, threshold)
            offered, held = count_fixes(path, text, config, threshold)
            c["documents"] += 1
            c["fixes applied"] += applied
            c["suggestions only"] += held if label == "unsafe" else 0
            if not applied:
                continue
            c["documents changed"] += 1
            if args.dump:
                changes.extend(f"[{label}] {path} {key}\n    before: {was!r}\n    after:  {now!r}"
                               for key, was, now in changed_fields(path, text, fixed, config))
            bad = broken(path, text, fixed, config)
            if bad:
                c["documents broken"] += 1
                c["fields broken"] += len(bad)
                for key, was, now, shapes in bad:
                    shapes_seen.update(shapes)
                    if len(samples) < args.show:
                        samples.append(f"[{label}] {path} {key}: {', '.join(shapes)}\n    before: {was!r}\n"
                                       f"    after:  {now!r}")
    print(f"{'source':12} {'fixes':6} {'docs':>6} {'changed':>8} {'applied':>8} {'broken':>7} {'rate':>6} "
          f"{'held as suggestions':>20}")
    grand: dict[str, Counter] = {"safe": Counter(), "unsafe": Counter()}
    for (source, label), c in totals.items():
        grand[label].update(c)
        rate = c["documents broken"] / c["documents changed"] if c["documents changed"] else 0.0
        print(f"{source:12} {label:6} {c['documents']:6} {c['documents changed']:8} {c['fixes applied']:8} "
              f"{c['documents broken']:7} {rate:6.1%} {c['suggestions only'] if label == 'unsafe' else '':>20}")
    for label, c in grand.items():
        rate = c["documents broken"] / c["documents changed"] if c["documents changed"] else 0.0
        print(f"{'all':12} {label:6} {c['documents']:6} {c['documents changed']:8} {c['fixes applied']:8} "
              f"{c['documents broken']:7} {rate:6.1%}")
    if shapes_seen:
        print("\nbroken shapes: " + ", ".join(f"{k} {v}" for k, v in shapes_seen.most_common()))
    for s in samples:
        print(s)
    if args.dump:
        args.dump.write_text("\n".join(changes) + "\n", "utf-8")
        print(f"\n{len(changes)} changed fields written to {args.dump}")
    print(f"\n{time.perf_counter() - started:.1f}s")
    safe_ok = grand["safe"]["documents broken"] == 0
    unsafe_rate = (grand["unsafe"]["documents broken"] / grand["unsafe"]["documents changed"]
                   if grand["unsafe"]["documents changed"] else 0.0)
    return 0 if safe_ok and unsafe_rate <= 0.02 else 1


if __name__ == "__main__":
    raise SystemExit(main())
