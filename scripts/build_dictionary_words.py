"""Build rules/data/dictionary-words.txt: rarer English dictionary words, for telling brand names from words.

Usage: python scripts/build_dictionary_words.py [--dictionary /usr/share/dict/american-english-large]

Needs Debian's wamerican-large package (SCOWL) and wordfreq's "large" lists; neither is read at lint time.
Keeps the words SCOWL spells in lower case that are not already in common-words.txt, are used at least once
per 100 million English words (Zipf 2), and are at least 2 times as frequent in English as in the median of
German, French, Spanish and Italian; that last test drops names SCOWL happens to list in lower case but that
every language uses alike (brands and software such as "cisco", "airbus", "tesla").
"""

from __future__ import annotations

import argparse
import gzip
import statistics
from pathlib import Path

import msgpack

from listing_lint.engine.context import data_words
from listing_lint.engine.detectors.brand_words import _wordfreq_data

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rules" / "data" / "dictionary-words.txt"
HEADER = """\
# Rarer English dictionary words (luau, pterodactyl, remix): a competitor name that is one of these is read as
# the word unless the text shows brand use. Built by scripts/build_dictionary_words.py from SCOWL's
# american-english-large word list (lower-case entries not in common-words.txt) and wordfreq 3.1's large lists
# (CC BY-SA 4.0): used at least once per 100 million English words and twice as often in English as in the
# median of German, French, Spanish and Italian.
# SCOWL: Copyright 2000-2019 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these word
# lists, the associated scripts, the output created from the scripts, and its documentation for any purpose is
# hereby granted without fee, provided that the above copyright notice appears in all copies and that both that
# copyright notice and this permission notice appear in supporting documentation. Kevin Atkinson makes no
# representations about the suitability of this array for any purpose. It is provided "as is" without express
# or implied warranty.
"""


def large(lang: str) -> dict[str, float]:
    """Return word -> Zipf frequency from wordfreq's large list for a language."""
    with gzip.open(_wordfreq_data() / f"large_{lang}.msgpack.gz", "rb") as stream:
        data = msgpack.load(stream, raw=False)
    table: dict[str, float] = {}
    for i, bucket in enumerate(data[1:]):
        for word in bucket:
            table.setdefault(word, 9.0 - i / 100)
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dictionary", default="/usr/share/dict/american-english-large")
    args = ap.parse_args()
    common = data_words("common-words")
    en, others = large("en"), [large(lang) for lang in ("de", "fr", "es", "it")]
    words = set()
    for line in Path(args.dictionary).read_text("utf-8", errors="replace").splitlines():
        word = line.strip()
        if len(word) < 3 or not word.isalpha() or not word.islower() or word in common:
            continue
        here = en.get(word, 0.0)
        if here >= 2.0 and here - statistics.median(t.get(word, 0.0) for t in others) >= 0.3:
            words.add(word)
    OUT.write_text(HEADER + "".join(f"{w}\n" for w in sorted(words)), "utf-8")
    print(f"{len(words)} words -> {OUT}")


if __name__ == "__main__":
    main()
