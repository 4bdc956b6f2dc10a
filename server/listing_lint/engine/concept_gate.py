"""Layer 3 (engine): which languages a listing is read in, and which concepts each field could hold.

Most fields hold none of the combinations a concept rule looks for. Telling so costs a set intersection
per language on the field's distinct words (memoised per word), so only the few fields that could fire
pay for the full pass of ``concepts.py`` (tokens, spans, sentences, gaps). The test is exact about
languages and never too strict about concepts: a concept it rules out cannot occur in the field, because
every lexicon entry starts with a word, a prefix, a number or another concept, and each of those is
looked up here the way the full pass looks it up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Optional

from .lexicon import Entry, Language, Lexicons
from .normalize import TokenSet, token_set, unaccent

CJK_LANGS = ("zh", "ja")
_MAX_WORDS = 200_000
"""Words remembered per language before the memo starts again (a catalog's vocabulary fits)."""
_MAX_TEXTS = 4096


class _Language:
    """One language's entries, each filed under one element it cannot match without (its trigger).

    The trigger is the element least likely to be in ordinary copy: a concept it names, else its longest
    word that is not a stop word ("exchange" in "in exchange for", {review} in "for ~4 {review}"). A
    field's words are looked up once each (memoised), and an entry is a candidate only when its trigger is
    there; a candidate counts when every one of its elements is in the field, in any order.
    """

    __slots__ = ("lang", "seen", "triggers", "by_word", "by_concept", "prefixes", "number_led", "_keys", "vocabulary",
                 "known", "key_of", "static")

    def __init__(self, lang: Language) -> None:
        self.lang = lang = lang.ensure()
        self.seen: set[str] = set()
        self.triggers: set[str] = set()
        self.by_word: dict[str, tuple[frozenset[str], tuple[Entry, ...]]] = {}
        """Token text -> for the entries whose trigger it matches, the concepts of those of one element and
        the other entries (memoised as the texts are met)."""
        self.by_concept: dict[str, list[Entry]] = {}
        """Concept -> entries naming it (each is tried once per concept it names that becomes possible)."""
        self.prefixes: dict[str, list[tuple[str, Entry]]] = {}
        """First two letters of a trigger prefix -> its entries."""
        self.number_led: list[Entry] = []
        """Entries whose only possible trigger is a number."""
        self._keys: dict[str, list[Entry]] = {}
        self.known: set[str] = set()
        self.key_of: dict[str, str] = {}
        """Token text -> its key, for the texts whose key is in the vocabulary (memoised)."""
        self.vocabulary = lang.word_keys
        """Every word key any entry names."""
        for entry in dict.fromkeys(lang.entries):  # an entry may be filed under several first words
            if entry.excuse:
                continue
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
        self.static = lang.stemmer is None and not self.prefixes
        """Words match as written and no trigger is a prefix: every trigger is known now, and a field's
        triggers are one set intersection, with no memo of the words met (the language-neutral list)."""
        if self.static:
            for key in self._keys:
                self._file(key, key)
            self.known = set(self.vocabulary)
            self.key_of = {word: word for word in self.vocabulary}

    def candidates(self, texts: frozenset) -> tuple[set[str], list[Entry]]:
        """Return, of the entries (naming no other concept) whose trigger is among these token texts, the
        concepts of those made of their trigger alone (they occur), and the other entries (to check)."""
        new = None if self.static else texts - self.seen
        if new:
            if len(self.seen) > _MAX_WORDS:
                for memo in (self.seen, self.triggers, self.by_word, self.known, self.key_of):
                    memo.clear()
                new = texts
            for text in new:
                key = self.lang.text_key(text)
                if key in self.vocabulary:
                    self.key_of[text] = key
                    self.known.add(text)
                self._file(text, key)
            self.seen.update(new)
        hits = texts & self.triggers
        sure: set[str] = set()
        rest: list[Entry] = []
        for text in hits:
            concepts, entries = self.by_word[text]
            sure.update(concepts)
            rest.extend(entries)
        return sure, rest

    def _file(self, text: str, key: str) -> None:
        found = self._classify(text, key)
        if found:
            # An entry of one word (or prefix) is there once its trigger is: no element is left to check.
            self.by_word[text] = (frozenset(e.concept for e in found if len(e.elements) == 1),
                                  tuple(e for e in found if len(e.elements) > 1))
            self.triggers.add(text)

    def keys(self, texts: frozenset) -> set[str]:
        """Return the keys of those token texts that some entry names (the texts met by ``candidates`` first)."""
        key_of = self.key_of
        return {key_of[t] for t in texts & self.known}

    def _classify(self, text: str, key: str) -> tuple[Entry, ...]:
        found = list(self._keys.get(key, ()))
        if text[:1].isalpha():
            bare = unaccent(text)
            found.extend(e for prefix, e in self.prefixes.get(bare[:2], ()) if bare.startswith(prefix))
        return tuple(found)


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

    def __init__(self, lang: _Language, texts: frozenset, has_number: bool) -> None:
        self.lang = lang
        self.texts = texts
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


def listing_tokens(texts: Iterable[str]) -> TokenSet:
    """Return the distinct tokens of all of a listing's fields (the languages are guessed from all of them)."""
    return token_set("\n\n".join(texts))


class ConceptGate:
    """Per lexicon set: token sets of texts, the languages of a listing, and the concepts a field could hold."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.lexicons = lexicons
        self._texts: dict[str, TokenSet] = {}
        self._langs: dict[str, _Language] = {}
        codes = lexicons.word_languages
        width = max((len(lexicons.languages[code].stopwords) for code in codes), default=0).bit_length()
        self._width, self._mask = width, (1 << width) - 1
        self._stopword_counts = {word: sum(1 << (width * codes.index(code)) for code in langs)
                                 for word, langs in lexicons.stopword_langs.items()}
        """Stop word -> a 1 in the bit field of each language listing it: summed over a text's stop words, the
        fields hold each language's count (a field is wide enough for every stop word of its language)."""
        self._ranked: dict[int, list[str]] = {}
        """Summed counts -> the languages they choose, best first (texts share a few sums)."""

    def tokens(self, text: str) -> TokenSet:
        """Return a text's distinct tokens (memoised: variants and edits repeat most fields)."""
        found = self._texts.get(text)
        if found is None:
            if len(self._texts) > _MAX_TEXTS:
                self._texts.clear()
            found = self._texts[text] = token_set(text)
        return found

    def languages(self, texts: Iterable[str], marketplace: Optional[str] = None) -> list[str]:
        """Guess which lexicons apply to a listing's fields (see ``languages_of``)."""
        return self.languages_of(listing_tokens(texts), marketplace)

    def languages_of(self, tokens: TokenSet, marketplace: Optional[str] = None) -> list[str]:
        """Guess which lexicons apply to a listing: by script for Chinese and Japanese, by stop words for the rest.

        Copy with no stop words (a short title) is read in every language, the marketplace's first: a German
        title on amazon.com ("Meistgekaufte Knoblauchpresse") is still German. Other copy is read in its
        languages and then the marketplace's, and also in every other language when it holds a single stop word.
        Best first: a finding's fix is written in the most likely language.
        """
        lexicons = self.lexicons
        langs = [code for code in ("any",) if code in lexicons.languages]
        if tokens.cjk:
            langs.extend(code for code in (("ja",) if tokens.kana else CJK_LANGS) if code in lexicons.languages)
        if not tokens.words:
            return langs
        # One intersection with every language's stop words, then one sum (in C) counts them per language.
        hits = tokens.texts & lexicons.all_stopwords
        counts = sum(map(self._stopword_counts.__getitem__, hits))
        home = lexicons.by_marketplace.get((marketplace or "").casefold())
        if not counts:
            langs.extend(([home] if home else []) + [code for code in lexicons.word_languages if code != home])
        else:
            ranked = self._ranked.get(counts)
            if ranked is None:
                if len(self._ranked) > _MAX_TEXTS:
                    self._ranked.clear()
                ranked = self._ranked[counts] = self._rank(counts)
            langs.extend(ranked)
            # The marketplace's language is always read too, after them: a short Italian title on amazon.it
            # whose only stop word is one English shares ("Primo in classifica") is still Italian copy.
            if home and home not in langs:
                langs.append(home)
            if len(hits) == 1:
                # One stop word says little ("na" is Portuguese and Dutch, "die" English and German): the
                # copy is read in every language, after the likely ones, as copy with none is.
                langs.extend(code for code in lexicons.word_languages if code not in langs)
        return langs

    def _rank(self, counts: int) -> list[str]:
        """Return the languages whose stop word count is at least half the best one's, best first (ties go
        to the language loaded first, as ever)."""
        width, mask = self._width, self._mask
        scores = [(counts >> (width * n)) & mask for n in range(len(self.lexicons.word_languages))]
        best = max(scores)
        chosen = sorted((n for n, score in enumerate(scores) if score and score * 2 >= best), key=lambda n: -scores[n])
        return [self.lexicons.word_languages[n] for n in chosen]

    def possible(self, tokens: TokenSet, langs: Iterable[str]) -> set[str]:
        """Return every concept that could occur in a text (its tokens) read in these languages: a superset,
        never less."""
        texts = tokens.texts
        has_number = tokens.number
        found: set[str] = set()
        chosen = []
        for code in langs:
            lang = self._langs.get(code)
            if lang is None:
                lang = self._langs[code] = _Language(self.lexicons.languages[code])
            field = None
            sure, candidates = lang.candidates(texts)
            found.update(sure)
            if has_number and lang.number_led:
                candidates = candidates + lang.number_led
            for entry in candidates:
                if entry.concept not in found:
                    field = field or _Field(lang, texts, has_number)
                    if field.holds(entry, found):
                        found.add(entry.concept)
            if lang.by_concept:
                chosen.append((lang, field or _Field(lang, texts, has_number)))
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
