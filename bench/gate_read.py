"""Benchmark (concept gate): microseconds to read one listing's words, in English and in accented European copy.

The concept gate reads every listing before any concept rule runs (engine/concept_gate.py, with the compiled
reader in engine/_tokens.c) and works out the concepts it could hold. This times that read alone, best of --repeat passes, on:
- the 2,862 real listings of the shared corpus (English, a few with £ or é);
- every non-ASCII German, French, Spanish, Italian, Portuguese and Dutch snippet of the labelled set and the
  probes, eight to a listing;
and, with ``--python``, the same with the compiled reader's Python twin, which reads such copy with the
Unicode tokenizer.

Run: ``.venv/bin/python bench/gate_read.py [--repeat 20] [--python]``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from listing_lint.engine.concept_gate import ConceptGate
from listing_lint.engine.lexicon import bundled_lexicon_paths, load_lexicons

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def texts() -> dict[str, list[str]]:
    """Return the listings to read, by set."""
    english = []
    for line in open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"):
        r = json.loads(line)
        english.append("\n\n".join([r.get("title") or "", *(r.get("bullets") or []), r.get("description") or ""]))
    snippets = []
    for path in [SHARED / "corpus" / "labelled-dev.jsonl", *sorted((ROOT / "bench" / "probes").glob("*.jsonl"))]:
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            if d.get("lang") in ("de", "fr", "es", "it", "pt", "nl") and not d["text"].isascii():
                snippets.append(d["text"])
    european = ["\n\n".join(snippets[i:i + 8]) for i in range(0, len(snippets), 8)]
    return {f"English corpus ({len(english):,} listings)": english,
            f"accented European copy ({len(snippets)} snippets, {len(european)} listings)": european}


def per_listing(gate: ConceptGate, listings: list[str], repeat: int) -> float:
    """Return the best pass's microseconds per listing (the first pass fills the memos and is not timed)."""
    for text in listings:
        gate.read(text)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for text in listings:
            gate.read(text)
        best = min(best, time.perf_counter() - start)
    return best / len(listings) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--python", action="store_true", help="also time the Python twin of the compiled reader")
    args = parser.parse_args()
    lexicons = load_lexicons(bundled_lexicon_paths())
    kinds = [("compiled", True)] + ([("Python twin", False)] if args.python else [])
    for name, listings in texts().items():
        for label, compiled in kinds:
            us = per_listing(ConceptGate(lexicons, compiled=compiled), listings, args.repeat)
            print(f"{name}, {label}: {us:.1f} us per listing")


if __name__ == "__main__":
    main()
