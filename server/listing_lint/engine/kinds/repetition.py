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

import regex

from . import Hit, Kind

WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")


class Repetition(Kind):
    """Report uses of a word past the allowed count."""

    options_schema = {"max": int, "setting": str, "ignore": list, "min-length": int}
    required = ("max",)

    def __init__(self, spec, text=""):
        super().__init__(spec, text)
        self.ignored = {w.casefold() for w in self.opt("ignore", [])}
        self.min_length = self.opt("min-length", 2)

    def check_field(self, field, ctx):
        """Yield each use of a word past the limit."""
        setting = self.opt("setting")
        configured = ctx.config.limit(setting) if setting else None
        limit = configured if configured is not None else self.opt("max")
        seen: dict[str, int] = {}
        for m in WORD.finditer(field.text):
            word = m.group(0).casefold()
            if len(word) < self.min_length or word in self.ignored or word.isdigit():
                continue
            seen[word] = seen.get(word, 0) + 1
            if seen[word] > limit:
                yield Hit(field, m.start(), m.end(), values={"match": m.group(0), "count": seen[word], "limit": limit},
                          fixable=False)
