"""Layer 3 (engine): which languages a listing is read in, and which concepts each field could hold.

Most fields hold none of the combinations a concept rule looks for. Telling so costs one look-up per
distinct token in the vocabulary table (engine/vocab.py, compiled), which keeps what each language made of
each token and works out the concepts a text could hold from the few tokens that matter to some entry;
only the few fields that could fire pay for the full pass of ``concepts.py`` (tokens, spans, sentences,
gaps). The test is exact about
languages and never too strict about concepts: a concept it rules out cannot occur in the field, because
every lexicon entry starts with a word, a prefix, a number or another concept, and each of those is
looked up here the way the full pass looks it up.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from typing import NamedTuple, Optional

from ..digests import source_digest
from .lexicon import Entry, Language, Lexicons
from .normalize import ELISIONS, py_token_set, unaccent
from .spec import kept_data
from .vocab import FoldedCharacters, new_vocab

CJK_LANGS = ("zh", "ja")
_MAX_TEXTS = 4096


class GateEntry(NamedTuple):
    """An entry as the gate tests it (in the vocabulary table): a few integer tests."""

    bit: int
    """Its concept's bit."""
    concepts: int
    """The bits of the concepts it names (all are needed)."""
    number: bool
    """It holds a number."""
    elements: tuple[tuple[int, ...], ...]
    """Per word or prefix element, the atoms (word keys and prefixes, numbered per language) that match it."""


class _Language:
    """One language's entries, each filed under one element it cannot match without (its trigger).

    The trigger is the element least likely to be in ordinary copy: a concept it names, else its longest
    word that is not a stop word ("exchange" in "in exchange for", {review} in "for ~4 {review}"). Each
    token is looked at once (the vocabulary table remembers the answer): it is relevant when it is a
    trigger, a word some entry names, or a match of some entry's prefix. What the table keeps of it: the
    concepts it makes sure of, the atoms it matches (each word key and prefix an entry names is one atom)
    and the entries it triggers; an entry counts when all its elements' atoms and concepts are there.
    """

    __slots__ = ("lang", "index", "entries", "by_concept", "prefixes", "atom_prefixes", "number_led", "_keys",
                 "_atoms", "_bits", "look")

    def __init__(self, lang: Language, index: int, concept_bits: dict[str, int]) -> None:
        self.lang = lang = lang.ready_to_read()  # the entries are compiled only if this language's tables are made
        self.index = index
        self._bits = concept_bits
        code = source_digest(sys.modules[__name__]) if lang.kept_digest is not None else None
        if code is None:
            self._file(lang)
            return
        # Filed the same way every run from the same entries: about 8 ms a language, kept with them.
        key = repr(("gate-language", 1, code, lang.kept_digest, sorted(concept_bits.items()),
                    sorted(lang.stopwords)))
        (self.entries, self.by_concept, self.prefixes, self.atom_prefixes, self.number_led, self._keys,
         self._atoms) = kept_data(key, lambda keep: self._filed(lang, keep), _filed_from_json)

    def _filed(self, lang: Language, keep: bool) -> tuple[Optional[list], tuple]:
        """File the language's entries; return the tables as ``kept_data`` keeps them (with ``keep``) and as used."""
        self._file(lang)
        tables = (self.entries, self.by_concept, self.prefixes, self.atom_prefixes, self.number_led, self._keys,
                  self._atoms)
        if not keep:
            return None, tables
        data = [[[e.bit, e.concepts, e.number, [list(el) for el in e.elements]] for e in self.entries],
                [list(pair) for pair in self.by_concept],
                {k: [list(pair) for pair in v] for k, v in self.prefixes.items()},
                {k: [list(pair) for pair in v] for k, v in self.atom_prefixes.items()},
                self.number_led, self._keys, self._atoms]
        return data, tables

    def _file(self, lang: Language) -> None:
        lang.ensure()
        concept_bits = self._bits
        self.entries: list[GateEntry] = []
        self.by_concept: list[tuple[int, int]] = []
        """(concept index, entry) for each concept an entry names (tried once that concept becomes possible)."""
        self.prefixes: dict[str, list[tuple[str, int]]] = {}
        """First two letters of a trigger prefix -> (the prefix, its entry)."""
        self.atom_prefixes: dict[str, list[tuple[str, int]]] = {}
        """First two letters of any entry's prefix -> (the prefix, its atom)."""
        self.number_led: list[int] = []
        """Entries whose only possible trigger is a number."""
        self._keys: dict[str, list[int]] = {}
        self._atoms: dict[str, int] = {}
        """Word key (or "*" and a prefix) -> its atom."""
        for entry in dict.fromkeys(lang.entries):  # an entry may be filed under several first words
            if entry.excuse:
                continue
            n = self._entry(entry)
            refs = {el[1] for el in entry.elements if el[0] == "c"}
            if refs:
                self.by_concept.extend((concept_bits[c].bit_length() - 1, n) for c in sorted(refs))
                continue
            trigger = _trigger(entry, lang.stopwords)
            if trigger is None:
                self.number_led.append(n)
            elif trigger[0] == "p":
                self.prefixes.setdefault(trigger[1][:2], []).append((trigger[1], n))
            else:
                for key in sorted(trigger[1]):  # sorted: the tables are kept, and built alike in every process
                    self._keys.setdefault(key, []).append(n)

    def _atom(self, key: str) -> int:
        atom = self._atoms.get(key)
        if atom is None:
            atom = self._atoms[key] = len(self._atoms)
            if key.startswith("*"):
                self.atom_prefixes.setdefault(key[1:3], []).append((key[1:], atom))
        return atom

    def _entry(self, entry: Entry) -> int:
        elements = []
        concepts = 0
        number = False
        for el in entry.elements:
            if el[0] == "w":
                elements.append(tuple(self._atom(key) for key in sorted(el[1])))
            elif el[0] == "p":
                elements.append((self._atom("*" + el[1]),))
            elif el[0] == "c":
                concepts |= self._bits[el[1]]
            elif el[0] == "n":
                number = True
        self.entries.append(GateEntry(self._bits[entry.concept], concepts, number, tuple(elements)))
        return len(self.entries) - 1

    def classify(self, text: str) -> Optional[tuple[int, tuple[int, ...], tuple[int, ...]]]:
        """Look at a token: return the concepts it makes sure of, the atoms it matches and the entries it
        triggers, or None when it is not relevant."""
        # Not memoised: the vocabulary table keeps the answer for the token, and a catalog of a million rows
        # meets too many tokens to keep each one's key twice.
        key = self.lang.text_key(text)
        keyed = self._keys.get(key)
        atom = self._atoms.get(key)
        prefixes = atom_prefixes = None
        if text[:1].isalpha():
            bare = unaccent(text)
            head = bare[:2]
            prefixes, atom_prefixes = self.prefixes.get(head), self.atom_prefixes.get(head)
        if keyed is None and atom is None and not prefixes and not atom_prefixes:
            return None  # most tokens: nothing is keyed by them and they start no prefix; nothing is made
        found = list(keyed or ())
        atoms = [] if atom is None else [atom]
        if prefixes:
            found.extend(e for prefix, e in prefixes if bare.startswith(prefix))
        if atom_prefixes:
            atoms.extend(a for prefix, a in atom_prefixes if bare.startswith(prefix))
        if not (found or atoms):
            return None
        # An entry of one word (or prefix) is there once its trigger is: no element is left to check.
        sure = 0
        for n in found:
            entry = self.entries[n]
            if len(entry.elements) == 1 and not entry.concepts and not entry.number:
                sure |= entry.bit
        return sure, tuple(atoms), tuple(dict.fromkeys(n for n in found if not self.entries[n].bit & sure))

    def looker(self, compiled: Optional[bool] = None):
        """Return what ``classify`` answers, made fast: the compiled ``Classifier`` turns away the tokens that
        are not relevant and asks ``classify`` about the rest (``compiled``: as for ``ConceptGate``)."""
        try:
            from ._tokens import Classifier
        except ImportError:  # pragma: no cover - an install without a compiler
            Classifier = None
        if Classifier is None or compiled is False:
            return self.classify
        return Classifier(self.lang, self._keys, self._atoms, self.prefixes, self.atom_prefixes, unaccent,
                          self.classify)


def _filed_from_json(data: list) -> tuple:
    """Rebuild the tables ``_Language._filed`` kept; raise ValueError (or TypeError, IndexError) on anything else."""
    entries_data, by_concept_data, prefixes_data, atom_prefixes_data, number_led, keys, atoms = data
    numbers: list = list(number_led)  # every integer the tables hold, checked in one pass
    entries = []
    new = tuple.__new__  # what GateEntry(...) calls, without its Python-level constructor (7,000 entries a language)
    for bit, concepts, number, elements in entries_data:
        if type(number) is not bool:
            raise ValueError("number")
        elements = tuple(map(tuple, elements))
        numbers.append(bit)
        numbers.append(concepts)
        for el in elements:
            numbers.extend(el)
        entries.append(new(GateEntry, (bit, concepts, number, elements)))
    by_concept = [(c, n) for c, n in by_concept_data]
    numbers.extend(x for pair in by_concept for x in pair)
    prefixes, atom_prefixes = {}, {}
    for table, out in ((prefixes_data, prefixes), (atom_prefixes_data, atom_prefixes)):
        for start, pairs in table.items():
            out[start] = [(prefix, n) for prefix, n in pairs]
            numbers.extend(n for _, n in out[start])
            if not all(type(prefix) is str for prefix, _ in out[start]):
                raise ValueError("prefix")
    for found in keys.values():
        numbers.extend(found)
    numbers.extend(atoms.values())
    # Types checked a table at a time, in C: a bool is no int here, as in the tables made afresh.
    if set(map(type, numbers)) - {int} or set(map(type, keys)) - {str} or set(map(type, atoms)) - {str} \
            or set(map(type, keys.values())) - {list}:
        raise ValueError("a table of the wrong shape")
    return entries, by_concept, prefixes, atom_prefixes, list(number_led), keys, atoms


def _trigger(entry: Entry, stopwords: set[str]) -> Optional[tuple]:
    """Return the element of an entry (with no concept references) to file it under, or None for numbers only."""
    best, best_rank = None, None
    for el in entry.elements:
        if el[0] == "w":
            rank = (not any(k in stopwords for k in el[1]), max(len(k) for k in el[1]))
        elif el[0] == "p":
            rank = (True, len(el[1]))
        else:
            continue
        if best_rank is None or rank >= best_rank:
            best, best_rank = el, rank
    return best


class Reading(NamedTuple):
    """What the gate read in a text: the languages it is read in, best first, and the concepts it could hold."""

    langs: list[str]
    concepts: int
    """The bits (``ConceptGate.names``) of every concept that could occur in it: a superset, never less."""


_reading = functools.partial(tuple.__new__, Reading)
"""Make a Reading from a pair, in C: a named tuple's own constructor is Python code, and one is made per listing."""


class ConceptGate:
    """Per lexicon set: the languages of a listing, and the concepts a field could hold."""

    def __init__(self, lexicons: Lexicons, compiled: Optional[bool] = None, records: Optional[int] = None) -> None:
        """``compiled``: use the compiled vocabulary table (True), its Python twin (False), or the compiled
        one when the install built it (None). ``records``: how many token records the table keeps before it
        starts them again (its default unless given)."""
        self.lexicons = lexicons
        codes = list(lexicons.languages)
        if len(codes) > 32:
            raise ValueError(f"at most 32 lexicon languages can be loaded at once ({len(codes)} were)")
        self._bits = {code: 1 << n for n, code in enumerate(codes)}
        self.concept_bits = {name: 1 << n for n, name in enumerate(sorted(lexicons.concepts))}
        """Concept -> its bit in a Reading's concepts."""
        self._langs: dict[str, _Language] = {}
        words = lexicons.word_languages
        stops = {word: sum(1 << words.index(code) for code in langs) for word, langs in lexicons.stopword_langs.items()}
        self._compiled = compiled
        """Whether tokens are looked at by the compiled Classifier (None: when the install built it)."""
        if len(self.concept_bits) > 64:
            compiled = False  # the compiled table keeps 64 concepts' bits; a user's packs may name more
        self.vocab = new_vocab(stops, len(words), ELISIONS, compiled, records)
        self._chosen: dict[tuple, tuple[list[str], int]] = {}
        """(stop word counts, a single stop word, scripts, marketplace) -> the languages chosen, and their bits."""
        self._market: Optional[str] = None
        self._last: list[str] = []
        self._folded = FoldedCharacters()
        self._parts: Optional[tuple[object, int, tuple[int, ...]]] = None
        """The key, languages' mask and each field's flags of the last ``read_fields`` (None after another read)."""

    def read(self, text: str, marketplace: Optional[str] = None, langs: Optional[list[str]] = None) -> Reading:
        """Read a text: in the languages given, else in those its stop words and scripts choose (``choose``)."""
        self._parts = None
        if langs is None:
            self._market = marketplace
            choose = self._choose
        else:
            choose = sum(self._bits[code] for code in langs)
        vocab = self.vocab
        found = vocab.read(text, choose)
        if found is None and not text.isascii() and self._learn(text):
            found = vocab.read(text, choose)
        if found is None:  # characters only the Unicode tokenizer reads (combining marks, Cyrillic, Korean)
            tokens = py_token_set(text)
            flags = tokens.words | tokens.number << 1 | tokens.cjk << 2 | tokens.kana << 3
            found = vocab.read_tokens(tokens.texts, flags, choose)
        todo, flags, mask = found
        if langs is None:
            langs = self._last
        self._classify(todo, langs)
        return Reading(langs, vocab.possible(mask, bool(flags & 2)))

    def read_fields(self, texts: list[str], marketplace: Optional[str] = None, key: object = None) -> Reading:
        """Read a listing's field texts as ``read`` reads them joined by blank lines; ``field_concepts(key, n)``
        then tells each field's concepts without reading it again (with the compiled table). ``key`` names the
        reading (the listing's fields): a gate shared by several lint contexts answers only the last one."""
        self._market = marketplace
        vocab = self.vocab
        found = vocab.read_parts(texts, self._choose)
        if found is None and not all(text.isascii() for text in texts) and self._learn("\n\n".join(texts)):
            found = vocab.read_parts(texts, self._choose)
        if found is None:
            return self.read("\n\n".join(texts), marketplace)
        todo, flags, mask, part_flags = found
        langs = self._last
        if todo:
            self._classify(todo, langs)
        self._parts = (key, mask, part_flags)
        return _reading((langs, vocab.possible(mask, bool(flags & 2))))

    def field_concepts(self, key: object, index: int) -> Optional[int]:
        """Return ``read(text, langs=...).concepts`` of the field ``read_fields`` read at this index under this
        key, in the languages chosen for the listing, or None when it was not kept or another text was read
        since (the caller reads the field then)."""
        if self._parts is None or self._parts[0] is not key:
            return None
        _, mask, part_flags = self._parts
        return self.vocab.possible_part(mask, bool(part_flags[index] & 2), index)

    def _learn(self, text: str) -> bool:
        """Teach the compiled reader the characters of a text it has not met (an accent, a €, a kanji); tell
        whether there were any."""
        new = self._folded.add(text)
        if new:
            self.vocab.fold(new)
        return bool(new)

    def _classify(self, todo: list, langs: list[str]) -> None:
        """Have each chosen language look at the tokens it has not looked at yet, and record what it made of them."""
        if not todo:
            return
        chosen = [self._language(code) for code in langs]
        for token, need in todo:
            records = []
            for lang in chosen:
                if need >> lang.index & 1:
                    record = lang.look(token)
                    if record is not None:
                        records.append((lang.index, *record))
            self.vocab.mark(token, need, records)

    def languages(self, texts: Iterable[str], marketplace: Optional[str] = None) -> list[str]:
        """Guess which lexicons apply to a listing's fields (see ``choose``)."""
        return self.read("\n\n".join(texts), marketplace).langs

    def _language(self, code: str) -> _Language:
        lang = self._langs.get(code)
        if lang is None:
            lang = self._langs[code] = _Language(self.lexicons.languages[code], self._bits[code].bit_length() - 1,
                                                 self.concept_bits)
            lang.look = lang.looker(self._compiled)
            self.vocab.language(lang.index, len(lang._atoms), lang.entries, lang.by_concept, lang.number_led)
        return lang

    def _choose(self, counts: tuple, stop_tokens: int, flags: int) -> int:
        key = (counts, stop_tokens == 1, flags & 13, self._market)
        found = self._chosen.get(key)
        if found is None:
            if len(self._chosen) > _MAX_TEXTS:
                self._chosen.clear()
            langs = self.choose(counts, stop_tokens, flags, self._market)
            found = self._chosen[key] = (langs, sum(self._bits[code] for code in langs))
        self._last = found[0]
        return found[1]

    def choose(self, counts: tuple, stop_tokens: int, flags: int, marketplace: Optional[str] = None) -> list[str]:
        """Choose the lexicons that apply to copy: by script for Chinese and Japanese, by stop words for the rest.

        ``counts`` are the copy's distinct stop words per word language, ``stop_tokens`` how many distinct stop
        words it has, ``flags`` its scripts (see engine/vocab.py).

        Copy with no stop words (a short title) is read in every language, the marketplace's first: a German
        title on amazon.com ("Meistgekaufte Knoblauchpresse") is still German. Other copy is read in its
        languages and then the marketplace's, and also in every other language when it holds a single stop word.
        Best first: a finding's fix is written in the most likely language.
        """
        lexicons = self.lexicons
        langs = [code for code in ("any",) if code in lexicons.languages]
        if flags & 4:
            langs.extend(code for code in (("ja",) if flags & 8 else CJK_LANGS) if code in lexicons.languages)
        if not flags & 1:
            return langs
        home = lexicons.by_marketplace.get((marketplace or "").casefold())
        if not any(counts):
            langs.extend(([home] if home else []) + [code for code in lexicons.word_languages if code != home])
            return langs
        langs.extend(self._rank(counts))
        # The marketplace's language is always read too, after them: a short Italian title on amazon.it
        # whose only stop word is one English shares ("Primo in classifica") is still Italian copy.
        if home and home not in langs:
            langs.append(home)
        if stop_tokens == 1:
            # One stop word says little ("na" is Portuguese and Dutch, "die" English and German): the
            # copy is read in every language, after the likely ones, as copy with none is.
            langs.extend(code for code in lexicons.word_languages if code not in langs)
        return langs

    def _rank(self, counts: tuple) -> list[str]:
        """Return the languages whose stop word count is at least half the best one's, best first (ties go
        to the language loaded first, as ever)."""
        best = max(counts)
        chosen = sorted((n for n, score in enumerate(counts) if score and score * 2 >= best), key=lambda n: -counts[n])
        return [self.lexicons.word_languages[n] for n in chosen]

    def mask(self, concepts: Iterable[str]) -> int:
        """Return the bits of these concepts."""
        bits = self.concept_bits
        return sum(bits[name] for name in set(concepts))

    def names(self, found: int) -> set[str]:
        """Return the concepts whose bits are set."""
        return {name for name, bit in self.concept_bits.items() if bit & found}
