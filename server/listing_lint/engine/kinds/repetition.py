"""Layer 3 (engine kind): flag a word used more times in a field than allowed.

What it does: counts each word of a field (case-insensitively) and reports every use past the limit.

Options:
- ``max``: how many uses are allowed (Amazon: twice in a title).
- ``setting``: the ``[limits]`` config key that overrides it.
- ``ignore``: words that may repeat freely (articles, prepositions, conjunctions).
- ``min-length``: shorter words are not counted (default 2).

Example: "Soft Blanket Soft Throw Soft Pillow" flags the third "Soft".

Fix safety: no fix; rewording a title is the seller's call.
"""

from __future__ import annotations

import re
from collections import Counter

from ...patterns import compile_pattern
from . import Hit, Kind

WORD = compile_pattern(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
JOINED = re.compile(r"\w[-'’]|_")
"""Where a word of WORD and a word of ``\\w+`` can differ: "Wi-Fi", "Kids'", "snake_case"."""
ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
"""WORD in lower-case ASCII text, for the standard library's faster engine: most titles are ASCII."""

try:
    from .._heuristics import ascii_most_uses as _ascii_most_uses
except ImportError:  # pragma: no cover - an install without a compiler
    _ascii_most_uses = None


class Repetition(Kind):
    """Report uses of a word past the allowed count."""

    options_schema = {"max": int, "setting": str, "ignore": list, "min-length": int}
    required = ("max",)

    def __init__(self, spec, text=""):
        super().__init__(spec, text)
        self.ignored = {w.casefold() for w in self.opt("ignore", [])}
        self.min_length = self.opt("min-length", 2)

    def _limit(self, ctx) -> int:
        return self.for_config(ctx, self._configured_limit)

    def _configured_limit(self, ctx, _key=None) -> int:
        setting = self.opt("setting")
        configured = ctx.config.limit(setting) if setting else None
        return configured if configured is not None else self.opt("max")

    def fields_to_check(self, listing, fields, ctx):  # type: ignore[override]
        """Return the fields where some counted word occurs more often than allowed.

        The field's ``\\w+`` words, shared with other rules, are those of WORD unless a hyphen, an apostrophe
        or an underscore joins letters: only those fields are read again with WORD.
        """
        limit = self._limit(ctx)
        return [field for field in fields if self._may_repeat(field.text, limit)
                and self._repeats(self._words(field, ctx), limit)]

    @staticmethod
    def _may_repeat(text: str, limit: int) -> bool:
        """Tell whether ASCII text could use a word more than ``limit`` times, in C (``_heuristics.ascii_most_uses``,
        which never counts fewer uses of a word than ``_repeats`` does); other text is left to ``_repeats``. Most
        titles use "for" or "and" twice, and no word three times."""
        return limit <= 0 or _ascii_most_uses is None or not text.isascii() or _ascii_most_uses(text) > limit

    @staticmethod
    def _words(field, ctx) -> list[str]:
        text = field.text
        if text.isascii():
            return ASCII_WORD.findall(text.lower())
        return list(map(str.casefold, WORD.findall(text) if JOINED.search(text) else ctx.words_in(field)))

    def _repeats(self, words: list, limit: int) -> bool:
        # Most titles repeat no word past the limit: a word used more than `limit` times makes at least `limit`
        # repeated uses, which a set's size tells before anything is counted.
        if limit > 0 and len(words) - len(set(words)) < limit:
            return False
        counts = Counter(words)
        return max(counts.values(), default=0) > limit and any(
            n > limit and self._counted(word) for word, n in counts.items())

    def _counted(self, word: str) -> bool:
        return len(word) >= self.min_length and word not in self.ignored and not word.isdigit()

    def check_field(self, field, ctx):
        """Yield each use of a word past the limit."""
        limit = self._limit(ctx)
        seen: dict[str, int] = {}
        for m in WORD.finditer(field.text):
            word = m.group(0).casefold()
            if not self._counted(word):
                continue
            seen[word] = seen.get(word, 0) + 1
            if seen[word] > limit:
                yield Hit(field, m.start(), m.end(), values={"match": m.group(0), "count": seen[word], "limit": limit},
                          fixable=False)
