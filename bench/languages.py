"""Lint time per listing language: Japanese and Chinese copy against English, German and French.

Usage: python bench/languages.py [--listings 150] [--against DIR]

The shared corpus's real listings are English; the other languages' copy here is the labelled development set's
and the probe sets' (bench/probes/), one language at a time, cut into listings of a 150-character title, three
250-character bullets and a 1,500-character description with the language's marketplace. That copy is written
about reviews, contacts and sales claims, most of it on purpose close to a finding: the figures are a worst case,
for comparing languages and builds, not what a catalog of ordinary listings costs. Every pack is on, with the
shared 3,446 competitor brands.

For each language: microseconds per listing the first time the process meets the listings (what a catalog of new
products costs: each field's concepts are read in full, each new token is classified), and again (an editor
re-linting, a catalog's repeated copy). ``--against DIR`` runs the same in another checkout (its ``server/`` and
``rules/``) for comparison, one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MARKETPLACES = {"en": "amazon.com", "de": "amazon.de", "fr": "amazon.fr", "ja": "amazon.co.jp", "zh": "amazon.cn"}
SHAPE = (("title", 150), ("bullet", 250), ("bullet", 250), ("bullet", 250), ("description", 1500))


def texts_by_language() -> dict[str, list[str]]:
    """Return the labelled and probe texts of each language."""
    out: dict[str, list[str]] = {}
    paths = [SHARED / "corpus" / "labelled-dev.jsonl", *sorted((ROOT / "bench" / "probes").glob("*.jsonl"))]
    for path in paths:
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            if isinstance(record.get("text"), str) and record.get("lang") in MARKETPLACES:
                out.setdefault(record["lang"], []).append(record["text"])
    return out


def listings(lang: str, texts: list[str], count: int) -> list:
    """Cut a language's texts into listings of SHAPE (the same listings for every build: a fixed seed)."""
    from listing_lint.model import Field, FieldKind, Listing

    rng = random.Random(lang)
    out = []
    for n in range(count):
        fields, source = [], ""
        for kind, size in SHAPE:
            text = ""
            while len(text) < size:
                text += rng.choice(texts) + " "
            text = text[:size].strip()
            fields.append(Field(FieldKind(kind), text, len(source)))
            source += text + "\n"
        out.append(Listing(fields=tuple(fields), text=source, path=f"{lang}-{n}", marketplace=MARKETPLACES[lang]))
    return out


def measure(count: int) -> None:
    """Print, per language, the microseconds per listing at first sight and again (this process's checkout)."""
    from listing_lint import Config
    from listing_lint.engine.lint import RuleSet

    brands = tuple(b.strip() for b in open(SHARED / "corpus" / "brands-sample.txt", encoding="utf-8") if b.strip())
    rules = RuleSet(Config(competitors=brands), remember=False)
    by_lang = texts_by_language()
    # Load every language's lexicon and the one-time tables first: they are no listing's cost.
    for lang in MARKETPLACES:
        for listing in listings(lang, by_lang[lang], 3):
            rules.lint(listing)
    for lang in MARKETPLACES:
        batch = listings(lang, by_lang[lang], count + 3)[3:]
        t = time.process_time()
        for listing in batch:
            rules.lint(listing)
        first = (time.process_time() - t) / len(batch) * 1e6
        t = time.process_time()
        for listing in batch:
            rules.lint(listing)
        again = (time.process_time() - t) / len(batch) * 1e6
        print(f"{lang}: {first:8.0f} us/listing first sight {again:8.0f} us/listing again  "
              f"({len(by_lang[lang])} texts, {count} listings)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--listings", type=int, default=150)
    ap.add_argument("--against", type=Path, help="another checkout to measure the same way, after this one")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        return measure(args.listings)
    checkouts = [None] + ([args.against.resolve()] if args.against else [])
    for checkout in checkouts:
        env = dict(os.environ)
        if checkout is not None:
            env.update(PYTHONPATH=str(checkout / "server"), LISTING_LINT_RULES_DIR=str(checkout / "rules"))
        print(f"== {checkout or 'this checkout'}", flush=True)
        subprocess.run([sys.executable, __file__, "--measure", "--listings", str(args.listings)], env=env, check=True)


if __name__ == "__main__":
    main()
