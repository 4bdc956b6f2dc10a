"""Layer 3 (engine detector helper): a length-preserving confusables skeleton for Latin look-alikes.

``skeleton("аmаzоn")`` (Cyrillic а and о) is ``"amazon"``. The table maps each non-ASCII character that
Unicode's confusables data (UTS #39, as packaged by ``confusable-homoglyphs``) lists as a look-alike of
exactly one ASCII letter or digit (or that NFKC folds to one) to that character, one code point to one, so offsets survive. It is
shipped as data (rules/data/confusables.txt) because loading the full confusables JSON costs ~0.4 s;
regenerate it with ``python -m listing_lint.engine.detectors.confusables > rules/data/confusables.txt``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata

from ...patterns import compile_re
from ..spec import bundled_rules_dir


@functools.lru_cache(maxsize=1)
def table() -> dict[int, int]:
    """Return the translate table of rules/data/confusables.txt (code point -> ASCII code point)."""
    mapping: dict[int, int] = {}
    path = bundled_rules_dir() / "data" / "confusables.txt"
    for line in path.read_text("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, target = line.split()[:2]
        mapping[int(code, 16)] = ord(target)
    return mapping


@functools.lru_cache(maxsize=1)
def any_confusable() -> "re.Pattern[str]":
    """Return a pattern finding any character of the table (a class of BMP characters is a fast bitmap)."""
    bmp = "".join(re.escape(chr(code)) for code in sorted(table()) if code < 0x10000)
    return compile_re(f"[{bmp}\U00010000-\U0010ffff]")


def skeleton(text: str) -> str:
    """Map Latin look-alikes to ASCII and lower-case, keeping the text's length and offsets."""
    if text.isascii() or any_confusable().search(text) is None:
        return text.lower()
    out = text.translate(table())
    # lower() may change length for a few characters (İ); keep offsets by lowering per character then.
    low = out.lower()
    return low if len(low) == len(out) else "".join(c.lower() if len(c.lower()) == 1 else c for c in out)


def generate() -> list[str]:
    """Build the data file's lines from the ``confusable-homoglyphs`` package (a development dependency)."""
    import confusable_homoglyphs

    path = os.path.join(os.path.dirname(confusable_homoglyphs.__file__), "confusables.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    rows = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = {g["c"].lower() for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalnum()}
        if len(targets) == 1:
            rows[ord(char)] = targets.pop()
    # Compatibility forms (mathematical and enclosed letters) that NFKC folds to one ASCII letter or digit.
    for code in range(0x80, 0x110000):
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if code not in rows and len(folded) == 1 and folded.isascii() and folded.isalnum():
            rows[code] = folded.lower()
    version = getattr(confusable_homoglyphs, "__version__", "")
    lines = [
        "# Non-ASCII characters that look like one ASCII letter or digit: code point (hex), the ASCII character.",
        f"# Generated from Unicode's confusables data (UTS #39) as packaged by confusable-homoglyphs {version};",
        "# regenerate with: python -m listing_lint.engine.detectors.confusables > rules/data/confusables.txt",
    ]
    lines += [f"{code:04X} {target}" for code, target in sorted(rows.items())]
    return lines


if __name__ == "__main__":
    print("\n".join(generate()))
