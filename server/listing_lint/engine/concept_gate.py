"""Layer 3 (engine): which languages a listing is read in, and which concepts each field could hold.

Most fields hold none of the combinations a concept rule looks for. Telling so costs one look-up per
distinct token in the vocabulary table (engine/vocab.py, compiled), which hands back only the few tokens
that matter to some entry; only the few fields that could fire pay for the full pass of ``concepts.py``
(tokens, spans, sentences, gaps). The test is exact about
languages and never too strict about concepts: a concept it rules out cannot occur in the field, because
every lexicon entry starts with a word, a prefix, a number or another concept, and each of those is
looked up here the way the full pass looks it up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, Optional

from .lexicon import Entry, Language, Lexicons
from .normalize import ELISIONS, py_token_set, unaccent
from .vocab import fold_table, new_vocab

CJK_LANGS = ("zh", "ja")
_MAX_WORDS = 200_000
"""Words remembered per language before the memo starts again (a catalog's vocabulary fits)."""
_MAX_TEXTS = 4096


class _Entry(NamedTuple):
    """An entry as the gate tests it: bit masks, so a test is a few integer operations."""

    bit: int
    """Its concept's bit."""
    atoms: tuple[int, ...]
    """Per word or prefix element, the bits of the atoms (word keys and prefixes) that match it."""
    concepts: int
    """The bits of the concepts it names (all are needed)."""
    number: bool
    """It holds a number."""

    def holds(self, atoms: int, found: int, number: bool) -> bool:
        """Tell whether every element occurs in a field holding these atoms and concepts (order aside)."""
        if self.concepts & found != self.concepts or (self.number and not number):
            return False
        for alternatives in self.atoms:
            if not alternatives & atoms:
                return False
        return True


class _Language:
    """One language's entries, each filed under one element it cannot match without (its trigger).

    The trigger is the element least likely to be in ordinary copy: a concept it names, else its longest
    word that is not a stop word ("exchange" in "in exchange for", {review} in "for ~4 {review}"). Each
    token is looked at once (the vocabulary table remembers the answer): it is relevant when it is a
    trigger, a word some entry names, or a match of some entry's prefix. Its memo holds, as bit masks, the
    concepts it makes sure, the atoms it matches (each word key and prefix an entry names is one atom) and
    the entries it triggers; an entry counts when all its elements' atoms and concepts are there.
    """

    __slots__ = ("lang", "bit", "info", "by_concept", "prefixes", "atom_prefixes", "number_led", "_keys",
                 "_atoms", "_bits")

    def __init__(self, lang: Language, bit: int, concept_bits: dict[str, int]) -> None:
        self.lang = lang = lang.ensure()
        self.bit = bit
        self._bits = concept_bits
        self.info: dict[str, tuple[int, int, tuple[_Entry, ...]]] = {}
        """Relevant token -> the concepts of the one-element entries it triggers, its atoms, and the other
        entries it triggers."""
        self.by_concept: dict[int, list[_Entry]] = {}
        """Concept bit -> entries naming it (each is tried once per concept it names that becomes possible)."""
        self.prefixes: dict[str, list[tuple[str, _Entry]]] = {}
        """First two letters of a trigger prefix -> its entries."""
        self.atom_prefixes: dict[str, list[tuple[str, int]]] = {}
        """First two letters of any entry's prefix -> (the prefix, its atom bit)."""
        self.number_led: list[_Entry] = []
        """Entries whose only possible trigger is a number."""
        self._keys: dict[str, list[_Entry]] = {}
        self._atoms: dict[str, int] = {}
        """Word key or prefix -> its atom bit."""
        for entry in dict.fromkeys(lang.entries):  # an entry may be filed under several first words
            if entry.excuse:
                continue
            compiled = self._compile(entry)
            refs = {el[1] for el in entry.elements if el[0] == "c"}
            if refs:
                for concept in refs:
                    self.by_concept.setdefault(concept_bits[concept], []).append(compiled)
                continue
            trigger = _trigger(entry, lang.stopwords)
            if trigger is None:
                self.number_led.append(compiled)
            elif trigger[0] == "p":
                self.prefixes.setdefault(trigger[1][:2], []).append((trigger[1], compiled))
            else:
                for key in trigger[1]:
                    self._keys.setdefault(key, []).append(compiled)

    def _atom(self, key: str, prefix: bool = False) -> int:
        bit = self._atoms.get(("*" if prefix else "") + key)
        if bit is None:
            bit = self._atoms[("*" if prefix else "") + key] = 1 << len(self._atoms)
            if prefix:
                self.atom_prefixes.setdefault(key[:2], []).append((key, bit))
        return bit

    def _compile(self, entry: Entry) -> _Entry:
        atoms = []
        concepts = 0
        number = False
        for el in entry.elements:
            if el[0] == "w":
                atoms.append(sum(self._atom(key) for key in el[1]))
            elif el[0] == "p":
                atoms.append(self._atom(el[1], prefix=True))
            elif el[0] == "c":
                concepts |= self._bits[el[1]]
            elif el[0] == "n":
                number = True
        return _Entry(self._bits[entry.concept], tuple(atoms), concepts, number)

    def classify(self, text: str) -> bool:
        """Look at a token once: remember what it triggers and the atoms it matches, and tell whether it is
        relevant."""
        key = self.lang.text_key(text)
        found = list(self._keys.get(key, ()))
        atoms = self._atoms.get(key, 0)
        if text[:1].isalpha():
            bare = unaccent(text)
            found.extend(e for prefix, e in self.prefixes.get(bare[:2], ()) if bare.startswith(prefix))
            for prefix, bit in self.atom_prefixes.get(bare[:2], ()):
                if bare.startswith(prefix):
                    atoms |= bit
        if not (found or atoms):
            return False
        # An entry of one word (or prefix) is there once its trigger is: no element is left to check.
        sure = 0
        for e in found:
            if len(e.atoms) == 1 and not e.concepts and not e.number:
                sure |= e.bit
        self.info[text] = (sure, atoms, tuple(e for e in found if not e.bit & sure))
        return True


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
    """What the gate read in a text: the languages it is read in, best first, and what the full pass needs."""

    langs: list[str]
    relevant: list[str]
    """Its distinct tokens that matter to one of those languages' entries."""
    number: bool


class ConceptGate:
    """Per lexicon set: the languages of a listing, and the concepts a field could hold."""

    def __init__(self, lexicons: Lexicons, compiled: Optional[bool] = None) -> None:
        """``compiled``: use the compiled vocabulary table (True), its Python twin (False), or the compiled
        one when the install built it (None)."""
        self.lexicons = lexicons
        codes = list(lexicons.languages)
        if len(codes) > 32:
            raise ValueError(f"at most 32 lexicon languages can be loaded at once ({len(codes)} were)")
        self._bits = {code: 1 << n for n, code in enumerate(codes)}
        self.concept_bits = {name: 1 << n for n, name in enumerate(sorted(lexicons.concepts))}
        """Concept -> its bit in what ``possible`` returns."""
        self._langs: dict[str, _Language] = {}
        words = lexicons.word_languages
        stops = {word: sum(1 << words.index(code) for code in langs) for word, langs in lexicons.stopword_langs.items()}
        self.vocab = new_vocab(stops, len(words), ELISIONS, compiled)
        self._chosen: dict[tuple, tuple[list[str], int]] = {}
        """(stop word counts, a single stop word, scripts, marketplace) -> the languages chosen, and their bits."""
        self._market: Optional[str] = None
        self._last: list[str] = []
        self._folding = False
        self._grown = False

    def read(self, text: str, marketplace: Optional[str] = None, langs: Optional[list[str]] = None) -> Reading:
        """Read a text: in the languages given, else in those its stop words and scripts choose (``choose``)."""
        if self._grown:
            # Only a read that looked at new tokens grows the memos; they start again between reads, never
            # during one, whose relevant tokens the memos must still describe.
            self._grown = False
            for lang in self._langs.values():
                if len(lang.info) > _MAX_WORDS:
                    lang.info.clear()  # a catalog's vocabulary fits; a stream of new words starts the memo again
                    self.vocab.forget(lang.bit)
        if langs is None:
            self._market = marketplace
            choose = self._choose
        else:
            choose = sum(self._bits[code] for code in langs)
        found = self.vocab.read(text, choose)
        if found is None and not self._folding and not text.isascii():
            # The first text with an accent or a € (not a run of ASCII, the usual small file) loads the table
            # of the characters the compiled reader folds itself.
            self._folding = True
            self.vocab.fold(fold_table())
            found = self.vocab.read(text, choose)
        if found is None:  # characters only the Unicode tokenizer reads (Chinese, combining marks)
            tokens = py_token_set(text)
            flags = tokens.words | tokens.number << 1 | tokens.cjk << 2 | tokens.kana << 3
            found = self.vocab.read_tokens(tokens.texts, flags, choose)
        relevant, todo, flags, mask = found
        if langs is None:
            langs = self._last
        if todo:
            self._grown = True
            chosen = [(self._bits[code], self._language(code)) for code in langs]
            for token, need in todo:
                matters = 0
                for bit, lang in chosen:
                    if need & bit and lang.classify(token):
                        matters |= bit
                self.vocab.mark(token, need, matters)
                if matters:
                    relevant.append(token)
        return Reading(langs, relevant, bool(flags & 2))

    def languages(self, texts: Iterable[str], marketplace: Optional[str] = None) -> list[str]:
        """Guess which lexicons apply to a listing's fields (see ``choose``)."""
        return self.read("\n\n".join(texts), marketplace).langs

    def _language(self, code: str) -> _Language:
        lang = self._langs.get(code)
        if lang is None:
            lang = self._langs[code] = _Language(self.lexicons.languages[code], self._bits[code], self.concept_bits)
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

    def possible(self, reading: Reading) -> int:
        """Return the bits of every concept that could occur in a text read this way: a superset, never less
        (``names`` spells them out)."""
        relevant = reading.relevant
        number = reading.number
        found = 0
        chosen = []
        for code in reading.langs:
            lang = self._langs.get(code) or self._language(code)
            get = lang.info.get
            atoms = 0
            candidates: list[_Entry] = []
            for text in relevant:
                info = get(text)
                if info is not None:
                    found |= info[0]
                    atoms |= info[1]
                    if info[2]:
                        candidates.extend(info[2])
            if number and lang.number_led:
                candidates.extend(lang.number_led)
            for entry in candidates:
                if not entry.bit & found and entry.holds(atoms, found, number):
                    found |= entry.bit
            if lang.by_concept:
                chosen.append((lang.by_concept, atoms))
        # Entries naming other concepts ("for ~4 {review}"): tried when a concept they name becomes possible.
        todo = found
        while todo and chosen:
            bit = todo & -todo
            todo ^= bit
            for by_concept, atoms in chosen:
                for entry in by_concept.get(bit, ()):
                    if not entry.bit & found and entry.holds(atoms, found, number):
                        found |= entry.bit
                        todo |= entry.bit
        return found

    def mask(self, concepts: Iterable[str]) -> int:
        """Return the bits of these concepts."""
        bits = self.concept_bits
        return sum(bits[name] for name in set(concepts))

    def names(self, found: int) -> set[str]:
        """Return the concepts whose bits are set."""
        return {name for name, bit in self.concept_bits.items() if bit & found}
