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


class _Language:
    """One language's entries, each filed under one element it cannot match without (its trigger).

    The trigger is the element least likely to be in ordinary copy: a concept it names, else its longest
    word that is not a stop word ("exchange" in "in exchange for", {review} in "for ~4 {review}"). Each
    token is looked at once (the vocabulary table remembers the answer): it is relevant when it is a
    trigger, a word some entry names, or a match of some entry's prefix. An entry is a candidate only when
    its trigger is among a text's relevant tokens; a candidate counts when every one of its elements is.
    """

    __slots__ = ("lang", "bit", "info", "by_concept", "prefixes", "element_prefixes", "number_led", "_keys",
                 "vocabulary")

    def __init__(self, lang: Language, bit: int) -> None:
        self.lang = lang = lang.ensure()
        self.bit = bit
        self.info: dict[str, tuple[frozenset[str], tuple[Entry, ...], Optional[str]]] = {}
        """Relevant token -> the concepts of the one-element entries it triggers, the other entries it
        triggers, and its key when some entry names that word."""
        self.by_concept: dict[str, list[Entry]] = {}
        """Concept -> entries naming it (each is tried once per concept it names that becomes possible)."""
        self.prefixes: dict[str, list[tuple[str, Entry]]] = {}
        """First two letters of a trigger prefix -> its entries."""
        self.element_prefixes: dict[str, set[str]] = {}
        """First two letters of any entry's prefix -> the prefixes (a token matching one is relevant)."""
        self.number_led: list[Entry] = []
        """Entries whose only possible trigger is a number."""
        self._keys: dict[str, list[Entry]] = {}
        self.vocabulary = lang.word_keys
        """Every word key any entry names."""
        for entry in dict.fromkeys(lang.entries):  # an entry may be filed under several first words
            if entry.excuse:
                continue
            for el in entry.elements:
                if el[0] == "p":
                    self.element_prefixes.setdefault(el[1][:2], set()).add(el[1])
            refs = {el[1] for el in entry.elements if el[0] == "c"}
            if refs:
                for concept in refs:
                    self.by_concept.setdefault(concept, []).append(entry)
                continue
            trigger = _trigger(entry, lang.stopwords)
            if trigger is None:
                self.number_led.append(entry)
            elif trigger[0] == "p":
                self.prefixes.setdefault(trigger[1][:2], []).append((trigger[1], entry))
            else:
                for key in trigger[1]:
                    self._keys.setdefault(key, []).append(entry)

    def classify(self, text: str) -> bool:
        """Look at a token once: remember what it triggers and its key, and tell whether it is relevant."""
        key = self.lang.text_key(text)
        found = list(self._keys.get(key, ()))
        prefixed = False
        if text[:1].isalpha():
            bare = unaccent(text)
            found.extend(e for prefix, e in self.prefixes.get(bare[:2], ()) if bare.startswith(prefix))
            prefixed = any(bare.startswith(prefix) for prefix in self.element_prefixes.get(bare[:2], ()))
        known = key if key in self.vocabulary else None
        if not (found or known or prefixed):
            return False
        # An entry of one word (or prefix) is there once its trigger is: no element is left to check.
        self.info[text] = (frozenset(e.concept for e in found if len(e.elements) == 1),
                           tuple(e for e in found if len(e.elements) > 1), known)
        return True

    def candidates(self, relevant: list[str]) -> tuple[set[str], list[Entry]]:
        """Return, of the entries (naming no other concept) triggered by these relevant tokens, the concepts
        of those made of their trigger alone (they occur), and the other entries (to check)."""
        sure: set[str] = set()
        rest: list[Entry] = []
        info = self.info
        for text in relevant:
            found = info.get(text)
            if found is not None:
                sure.update(found[0])
                rest.extend(found[1])
        return sure, rest

    def keys(self, relevant: list[str]) -> set[str]:
        """Return the keys of the relevant tokens that some entry names."""
        info = self.info
        return {found[2] for found in map(info.get, relevant) if found is not None and found[2] is not None}


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


class _Field:
    """What one field holds in one language, for checking a candidate entry's elements."""

    __slots__ = ("lang", "texts", "has_number", "_keys")

    def __init__(self, lang: _Language, texts: list[str], has_number: bool) -> None:
        self.lang = lang
        self.texts = texts
        """The field's relevant tokens: every token a word, prefix or trigger of an entry can match."""
        self.has_number = has_number
        self._keys: Optional[set[str]] = None

    def holds(self, entry: Entry, possible: set[str]) -> bool:
        """Tell whether every element of an entry occurs somewhere in the field (order and distance aside)."""
        for el in entry.elements:
            tag = el[0]
            if tag == "w":
                if self._keys is None:
                    self._keys = self.lang.keys(self.texts)
                if el[1].isdisjoint(self._keys):
                    return False
            elif tag == "c":
                if el[1] not in possible:
                    return False
            elif tag == "n":
                if not self.has_number:
                    return False
            elif tag == "p":
                if not any(t[:1].isalpha() and unaccent(t).startswith(el[1]) for t in self.texts):
                    return False
        return True


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
            lang = self._langs[code] = _Language(self.lexicons.languages[code], self._bits[code])
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

    def possible(self, reading: Reading) -> set[str]:
        """Return every concept that could occur in a text read this way: a superset, never less."""
        relevant = reading.relevant
        has_number = reading.number
        found: set[str] = set()
        chosen = []
        for code in reading.langs:
            lang = self._language(code)
            field = None
            sure, candidates = lang.candidates(relevant)
            found.update(sure)
            if has_number and lang.number_led:
                candidates = candidates + lang.number_led
            for entry in candidates:
                if entry.concept not in found:
                    field = field or _Field(lang, relevant, has_number)
                    if field.holds(entry, found):
                        found.add(entry.concept)
            if lang.by_concept:
                chosen.append((lang, field or _Field(lang, relevant, has_number)))
        # Entries naming other concepts ("for ~4 {review}"): tried when a concept they name becomes possible.
        todo = list(found)
        while todo:
            concept = todo.pop()
            for lang, field in chosen:
                for entry in lang.by_concept.get(concept, ()):
                    if entry.concept not in found and field.holds(entry, found):
                        found.add(entry.concept)
                        todo.append(entry.concept)
        return found
