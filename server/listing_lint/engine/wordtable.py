"""Layer 3 (engine): where a text's whole words (``\\w+``) are one of a fixed list, such as competitor brand keys.

``WordTable`` is compiled (engine/_tokens.c) when the install had a C compiler: it hashes each word as it
reads it and hands back only the words whose hash is a key's, where Python would make a str of every word.
This module's twin gives the same answer. ``find`` may name a word that is not a key (the compiled one when
two words share a 64-bit hash), so its callers check each word's text against their keys; ``words`` does that
check itself (in C, for the compiled table) and hands back each word's text too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Optional

_WORD = re.compile(r"\w+")


class PyWordTable:
    """The Python twin of the compiled ``WordTable``."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(words)

    def find(self, text: str) -> list[tuple[int, int]]:
        """Return (start, end) of each whole word of the text that is one of the words."""
        words = self._words
        return [m.span() for m in _WORD.finditer(text) if m.group() in words]

    def words(self, text: str, keys: "set[str] | frozenset[str]") -> list[tuple[int, int, str]]:
        """Return (start, end, word) of each whole word of the text that is one of the words and in ``keys``."""
        return [(start, end, word) for start, end in self.find(text) if (word := text[start:end]) in keys]

    def words_each(self, texts: "list[str] | tuple[str, ...]", keys: "set[str] | frozenset[str]") -> list[list]:
        """Return ``words(text, keys)`` of each text (the compiled table's own does a listing's fields in one call)."""
        return [self.words(text, keys) for text in texts]

    def __len__(self) -> int:
        return len(self._words)


try:
    from ._tokens import WordTable
except ImportError:  # pragma: no cover - an install without a compiler
    WordTable = PyWordTable  # type: ignore[assignment,misc]


def word_table(words: Iterable[str], compiled: Optional[bool] = None):
    """Return a table of these words (the compiled one when built, unless ``compiled`` says which)."""
    kind = WordTable if compiled is None else (WordTable if compiled else PyWordTable)
    # In no order: a table's answers do not depend on it, and sorting 40,000 keys (a 20,000-name competitor
    # list, each filed by its first word and in capitals) took 14 ms of every run.
    return kind(words)
