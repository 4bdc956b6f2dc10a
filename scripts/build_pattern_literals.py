"""Build rules/data/pattern-literals.json: the required literals of every bundled rule pattern and exception
(for each, the sets of literals a match holds one of each of, rarest first), and rules/data/pattern-reach.json:
how many blanks a match of each can hold (engine/windows.py).

Usage: python scripts/build_pattern_literals.py

Run it after changing a bundled rule's patterns (tests/unit/test_pattern_literals.py says when). The file
only saves time: a pattern missing from it is analysed when its rule is compiled, and its keys are the
patterns themselves, so an entry can never describe a different pattern.
"""

from __future__ import annotations

import json
from pathlib import Path

from listing_lint.engine.literals import SHIPPED, analyse_literal_sets, literal_key
from listing_lint.engine.spec import bundled_rules_dir
from listing_lint.engine.windows import SHIPPED as REACH_SHIPPED, analyse_reach

OUT = Path(__file__).resolve().parent.parent / "rules" / "data" / SHIPPED
REACH_OUT = OUT.with_name(REACH_SHIPPED)


def bundled_patterns() -> list[tuple[str, bool]]:
    """Return (pattern, ignorecase) for every pattern and exception of every bundled pack."""
    from listing_lint.engine.spec import load_pack

    out = []
    root = bundled_rules_dir()
    for folder in sorted(root.iterdir()):
        if not (folder / "pack.toml").exists():
            continue
        for spec in load_pack(folder).rules:
            ignorecase = spec.options.get("ignorecase", True)
            # Each exception is gated on its own literals too (kinds/existence.py searches only those a text
            # could match).
            out.extend((e, ignorecase) for e in spec.options.get("exceptions", []))
            raw = spec.options.get("patterns")
            if raw is None:
                continue
            for pats in (raw.values() if isinstance(raw, dict) else [raw]):
                out.extend((p, ignorecase) for p in pats)
    return out


def build() -> dict:
    table = {}
    for pattern, ignorecase in bundled_patterns():
        found = analyse_literal_sets(pattern, ignorecase)
        table[literal_key(pattern, ignorecase)] = None if found is None else [sorted(part) for part in found]
    return dict(sorted(table.items()))


def build_reach() -> dict:
    return dict(sorted((literal_key(p, ignorecase), analyse_reach(p, ignorecase)) for p, ignorecase in bundled_patterns()))


def main() -> None:
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"wrote {OUT}")
    REACH_OUT.write_text(json.dumps(build_reach(), ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"wrote {REACH_OUT}")


if __name__ == "__main__":
    main()
