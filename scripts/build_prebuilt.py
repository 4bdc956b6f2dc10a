"""Build server/listing_lint/prebuilt.data: the bundled rule files parsed, every bundled lexicon compiled and
filed for the concept gate, and the word frequency tables of the languages the typo check reads, as a run with a
cache folder keeps them (engine/prebuilt.py says how they are used).

Usage: python scripts/build_prebuilt.py [--check]

Run it after changing a bundled rule pack or lexicon, or the code that compiles lexicons (engine/lexicon.py,
engine/normalize.py, engine/concept_gate.py), or after upgrading wordfreq; tests/unit/test_prebuilt.py says when. The file only saves time:
an entry that no longer fits what it was made from is never looked up. ``--check`` says whether the file holds
exactly what a build would write, without writing it.
"""

from __future__ import annotations

import os
import subprocess
import sys

if __name__ == "__main__" and os.environ.get("LISTING_LINT_PREBUILT") != "off":
    # Everything must be worked out afresh here, not taken from the file being rebuilt.
    env = {**os.environ, "LISTING_LINT_PREBUILT": "off"}
    sys.exit(subprocess.run([sys.executable, *sys.argv], env=env, check=False).returncode)

from listing_lint import Config  # noqa: E402
from listing_lint.engine import prebuilt, spec  # noqa: E402
from listing_lint.engine.detectors.brand_words import _zipf_table  # noqa: E402
from listing_lint.engine.lexicon import TYPO_CHECK_LANGS  # noqa: E402
from listing_lint.engine.lint import RuleSet  # noqa: E402
from listing_lint.engine.spec import bundled_rules_dir  # noqa: E402


def build() -> bytes:
    """Return the file's bytes: every bundled rule file parsed, every bundled language compiled and filed, and the
    word frequency tables the typo check reads (about 1.4 ms each read back, 12 ms each made from wordfreq's files:
    a listing with one possible misspelling reads all seven)."""
    spec.keep_parsed(dict)  # a keeper with nothing kept yet: all that is made is remembered
    for path in sorted(bundled_rules_dir().rglob("*.toml")):
        spec.read_toml(path)
    rules = RuleSet(Config())
    lexicons = rules.context.lexicons
    gate = rules.context.concept_gate()
    for code in sorted(lexicons.languages):
        lexicons.languages[code].ready_to_read()  # keeps the words reading takes, then the entries themselves
        gate._language(code)
    for lang in TYPO_CHECK_LANGS:
        _zipf_table(lang)
    found = spec.parsed_to_keep() or {}
    return prebuilt.dumps(found)


def main() -> int:
    data = build()
    if "--check" in sys.argv[1:]:
        current = prebuilt.PATH.read_bytes() if prebuilt.PATH.is_file() else b""
        if current != data:
            print(f"{prebuilt.PATH.name} is out of date: run python scripts/build_prebuilt.py", file=sys.stderr)
            return 1
        print(f"{prebuilt.PATH.name} is current")
        return 0
    prebuilt.PATH.write_bytes(data)
    entries = data.split(b"\n", 1)[0].count(b":[")
    print(f"wrote {prebuilt.PATH} ({len(data):,} bytes; {entries} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
