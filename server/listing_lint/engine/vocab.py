"""Layer 3 (engine): the concept gate's table of every token met, with what each lexicon made of it.

``Vocab`` is compiled (engine/_tokens.c) when the install had a C compiler; this module's twin does the same,
more slowly. A read finds a text's distinct tokens, counts its stop words per language, asks ``choose`` (a
callable, or a bit mask of lexicon languages given) which languages to read it in, and returns
``(relevant, to_classify, flags, mask)``: the tokens that matter to one of those languages, and the tokens
some of them have not looked at yet, with those languages' bits. ``mark`` records what they made of one.
``flags``: 1 a word token, 2 a number, 4 a Chinese or Japanese character, 8 a Hiragana or Katakana one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Optional, Union

from .normalize import plain_characters

MAX_TOKENS = 98_304
"""Tokens remembered before the table starts again (the compiled one's limit: 3/8 of 262,144 slots)."""

Choose = Union[int, Callable[[tuple, int, int], int]]


class PyVocab:
    """The Python twin of the compiled ``Vocab`` (same reads, same answers)."""

    def __init__(self, stops: dict, languages: int, elisions: Iterable[str]) -> None:
        self._stops = stops
        self._languages = languages
        self._bits: dict[str, list[int]] = {}
        """Token -> [languages that looked at it, languages it matters to]."""

    def read(self, text: str, choose: Choose) -> None:
        """Always None: the caller tokenises in Python and calls ``read_tokens``."""
        return None

    def read_tokens(self, tokens: Iterable[str], flags: int, choose: Choose) -> tuple:
        if len(self._bits) > MAX_TOKENS:
            self._bits.clear()  # as the compiled table starts again: the lexicons look at each token anew
        met = list(dict.fromkeys(tokens))
        counts = [0] * self._languages
        stop_tokens = 0
        for token in met:
            mask = self._stops.get(token, 0)
            if mask:
                stop_tokens += 1
                for n in range(self._languages):
                    if mask >> n & 1:
                        counts[n] += 1
        mask = choose if isinstance(choose, int) else choose(tuple(counts), stop_tokens, flags)
        relevant, todo = [], []
        for token in met:
            looked, matters = self._bits.setdefault(token, [0, 0])
            if mask & ~looked:
                todo.append((token, mask & ~looked))
            if matters & mask:
                relevant.append(token)
        return relevant, todo, flags, mask

    def mark(self, token: str, languages: int, relevant: int) -> None:
        bits = self._bits.get(token)
        if bits is not None:
            bits[0] |= languages
            bits[1] = (bits[1] & ~languages) | (relevant & languages)

    def fold(self, table: dict) -> None:
        """The compiled table's folding of non-ASCII characters; the twin leaves all of them to Python."""

    def forget(self, languages: int) -> None:
        for bits in self._bits.values():
            bits[0] &= ~languages
            bits[1] &= ~languages

    def __len__(self) -> int:
        return len(self._bits)


try:
    from ._tokens import Vocab
except ImportError:  # pragma: no cover - an install without a compiler
    Vocab = PyVocab  # type: ignore[assignment,misc]


def new_vocab(stops: dict, languages: int, elisions: Iterable[str], compiled: Optional[bool] = None):
    """Return a table (the compiled one when built, unless ``compiled`` says which)."""
    kind = Vocab if compiled is None else (Vocab if compiled else PyVocab)
    return kind(stops, languages, elisions)


def fold_table() -> dict:
    """Return ``plain_characters`` as the compiled table's ``fold`` takes it (worked out in about 15 ms, so
    only once some text holds a character the reader cannot read without it)."""
    return {code: (kind, text.decode()) for code, (kind, text) in plain_characters().items()}
