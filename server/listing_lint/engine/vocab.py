"""Layer 3 (engine): the concept gate's table of every token met, with what each lexicon made of it.

``Vocab`` is compiled (engine/_tokens.c) when the install had a C compiler; this module's twin does the same,
more slowly. A read finds a text's distinct tokens, counts its stop words per language, asks ``choose`` (a
callable, or a bit mask of lexicon languages given) which languages to read it in, and returns
``(to_classify, flags, mask)``: the tokens some of those languages have not looked at yet, with their bits.
``mark`` records what they made of one: for each language it matters to, a record of the concepts it makes
sure of, the atoms it matches and the entries it triggers (see concept_gate.py). ``possible`` then works out,
from the records of the last text read, the concepts it could hold. ``language`` gives a language's entries.
``flags``: 1 a word token, 2 a number, 4 a Chinese or Japanese character, 8 a Hiragana or Katakana one.
``read_parts`` reads a listing's fields as one text and keeps each field's tokens, so that ``possible_part``
tells one field's concepts without reading it again (the compiled table only; the twin reads it again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Optional, Union

from .normalize import FOLD_RANGE_CHARACTER, plain_character, plain_characters

MAX_TOKENS = 98_304
"""Tokens remembered before the table starts again (the compiled one's limit: 3/8 of 262,144 slots)."""
MAX_RECORDS = 1 << 20
"""Records kept before every language looks at every token anew (the compiled one's default)."""

Choose = Union[int, Callable[[tuple, int, int], int]]


class _PyLanguage:
    """A language's entries as the twin tests them: each element's atoms as the bits of one int."""

    def __init__(self, entries: list, by_concept: list, number_led: list) -> None:
        self.entries = [(bit, concepts, number, tuple(sum(1 << a for a in el) for el in elements))
                        for bit, concepts, number, elements in entries]
        self.by_concept: dict[int, list[int]] = {}
        for concept, entry in by_concept:
            self.by_concept.setdefault(1 << concept, []).append(entry)
        self.number_led = list(number_led)

    def holds(self, n: int, atoms: int, found: int, number: bool) -> bool:
        _, concepts, needs_number, elements = self.entries[n]
        return (concepts & found == concepts and (number or not needs_number)
                and all(el & atoms for el in elements))


class PyVocab:
    """The Python twin of the compiled ``Vocab`` (same reads, same answers)."""

    def __init__(self, stops: dict, languages: int, elisions: Iterable[str], records: int = MAX_RECORDS) -> None:
        self._stops = stops
        self._languages = languages
        self._max_records = records
        self._bits: dict[str, list] = {}
        """Token -> [languages that looked at it, {language: (sure, atoms as bits, entries)} it matters to]."""
        self._records = 0
        self._langs: dict[int, _PyLanguage] = {}
        self._last: dict[str, None] = {}
        """The tokens of the last read that matter to some language (marked since included)."""

    def read(self, text: str, choose: Choose) -> None:
        """Always None: the caller tokenises in Python and calls ``read_tokens``."""
        return None

    def read_parts(self, texts: Iterable[str], choose: Choose) -> None:
        """Always None: the caller reads the texts joined, and each again when it needs its concepts."""
        return None

    def possible_part(self, languages: int, number: bool, part: int) -> None:
        """Always None (no parts are kept: see ``read_parts``)."""
        return None

    def read_tokens(self, tokens: Iterable[str], flags: int, choose: Choose) -> tuple:
        if self._records > self._max_records:
            self.forget()
        if len(self._bits) > MAX_TOKENS:
            self._bits.clear()  # as the compiled table starts again: the lexicons look at each token anew
            self._records = 0
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
        todo = []
        self._last = {}
        for token in met:
            looked, records = self._bits.setdefault(token, [0, {}])
            if mask & ~looked:
                todo.append((token, mask & ~looked))
            if records:
                self._last[token] = None
        return todo, flags, mask

    def mark(self, token: str, languages: int, records: Iterable[tuple]) -> None:
        bits = self._bits.get(token)
        if bits is None:
            return
        bits[0] |= languages
        kept = {lang: rec for lang, rec in bits[1].items() if not languages >> lang & 1}
        for lang, sure, atoms, entries in records:
            if not languages >> lang & 1:
                raise ValueError("a record's language must be one of those marked")
            kept[lang] = (sure, sum(1 << a for a in atoms), tuple(entries))
            self._records += 1
        bits[1] = kept
        if kept:
            self._last[token] = None

    def language(self, index: int, atoms: int, entries: list, by_concept: list, number_led: list) -> None:
        if index in self._langs:
            self.forget()
        self._langs[index] = _PyLanguage(entries, by_concept, number_led)

    def possible(self, languages: int, number: bool) -> int:
        found = 0
        chosen = []
        for index, lang in self._langs.items():
            if not languages >> index & 1:
                continue
            atoms = 0
            candidates: list[int] = []
            for token in self._last:
                record = self._bits[token][1].get(index)
                if record is not None:
                    found |= record[0]
                    atoms |= record[1]
                    candidates.extend(record[2])
            if number:
                candidates.extend(lang.number_led)
            for n in candidates:
                if not lang.entries[n][0] & found and lang.holds(n, atoms, found, number):
                    found |= lang.entries[n][0]
            chosen.append((lang, atoms))
        # Entries naming other concepts: tried when a concept they name becomes possible.
        todo = found
        while todo:
            bit = todo & -todo
            todo ^= bit
            for lang, atoms in chosen:
                for n in lang.by_concept.get(bit, ()):
                    if not lang.entries[n][0] & found and lang.holds(n, atoms, found, number):
                        found |= lang.entries[n][0]
                        todo |= lang.entries[n][0]
        return found

    def fold(self, table: dict) -> None:
        """The compiled table's folding of non-ASCII characters (it adds these to what it has); the twin leaves
        all of them to Python."""

    def forget(self) -> None:
        """Every language looks at every token anew."""
        for bits in self._bits.values():
            bits[0] = 0
            bits[1] = {}
        self._records = 0

    def __len__(self) -> int:
        return len(self._bits)


try:
    from ._tokens import Vocab
except ImportError:  # pragma: no cover - an install without a compiler
    Vocab = PyVocab  # type: ignore[assignment,misc]


def new_vocab(stops: dict, languages: int, elisions: Iterable[str], compiled: Optional[bool] = None,
              records: Optional[int] = None):
    """Return a table (the compiled one when built, unless ``compiled`` says which) keeping ``records`` token
    records before it starts them again (its default unless given)."""
    kind = Vocab if compiled is None else (Vocab if compiled else PyVocab)
    return kind(stops, languages, elisions) if records is None else kind(stops, languages, elisions, records=records)


def fold_table() -> dict:
    """Return ``plain_characters`` as the compiled table's ``fold`` takes it: every character of FOLD_RANGES."""
    return {code: (kind, text.decode()) for code, (kind, text) in plain_characters().items()}


class FoldedCharacters:
    """The characters a compiled table folds itself, worked out as texts bring them.

    Working out the 5,100 European characters of FOLD_RANGES cost about 15 ms, which nearly every small file paid
    (an "é", a "–" or a "®" was enough), and its Chinese and Japanese ones number 28,600; a text holds a few. A
    character not (yet) in the table makes the reader give the text to the Python tokenizer, so a table of only
    the characters met so far reads every text as the whole table would.
    """

    __slots__ = ("table", "_seen")

    def __init__(self) -> None:
        self.table: dict[int, tuple[int, str]] = {}
        self._seen: set[str] = set()

    def add(self, text: str) -> dict[int, tuple[int, str]]:
        """Work out the characters of FOLD_RANGES in ``text`` not met before; return those that fold, as the
        compiled table's ``fold`` takes them (it adds them to what it has)."""
        # A scan in C: a text the reader hands back each time (one with a combining mark, say) is met again and
        # again.
        new = set(FOLD_RANGE_CHARACTER.findall(text))
        new -= self._seen
        if not new:
            return {}
        self._seen |= new
        added = {}
        for char in new:
            found = plain_character(ord(char))
            if found is not None:
                added[ord(char)] = (found[0], found[1].decode())
        self.table.update(added)
        return added
