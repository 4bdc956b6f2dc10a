"""Layer 3 (engine): find every lexicon concept in a field in one pass over its tokens.

The field is tokenised once (``normalize.tokenize``); its languages are guessed from stop words and
script; then each token's stem is looked up in each chosen language's index of first words, so the cost
is one dictionary lookup per token and language, whatever the size of the lexicons.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple, Optional

from .lexicon import Entry, Language, Lexicons
from .normalize import Token, tokenize, unaccent

CJK_LANGS = ("zh", "ja")


class Occurrence(NamedTuple):
    """A concept found in a field: tokens ``[first, last)`` of one sentence."""

    concept: str
    lang: str
    first: int
    last: int
    sentence: int


class FieldConcepts:
    """A field's tokens, the languages read into it, and its concept occurrences by sentence."""

    __slots__ = ("tokens", "langs", "by_concept")

    def __init__(self, tokens: list[Token], langs: list[str], found: dict[str, list[Occurrence]]) -> None:
        self.tokens = tokens
        self.langs = langs
        self.by_concept: dict[str, dict[int, list[Occurrence]]] = {}
        for concept, occs in found.items():
            per: dict[int, list[Occurrence]] = {}
            for occ in sorted(occs, key=lambda o: (o.first, o.last)):
                per.setdefault(occ.sentence, []).append(occ)
            self.by_concept[concept] = per

    def sentences_overlapping(self, spans) -> set[int]:
        """Return the sentences whose text (first token to last) overlaps one of a set of spans."""
        bounds: dict[int, tuple[int, int]] = {}
        for t in self.tokens:
            start = bounds[t.sentence][0] if t.sentence in bounds else t.start
            bounds[t.sentence] = (start, t.end)
        return {n for n, (s, e) in bounds.items() if spans.overlaps(s, e)}

    def in_sentence(self, concept: str, sentence: int) -> list[Occurrence]:
        """Return a concept's occurrences in one sentence, in order."""
        return self.by_concept.get(concept, {}).get(sentence, [])

    def sentences(self, concept: str) -> list[int]:
        """Return the sentences holding a concept."""
        return list(self.by_concept.get(concept, {}))

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Return the field offsets covered by tokens ``[first, last)``."""
        return self.tokens[first].start, self.tokens[last - 1].end


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or ch == "ー"


def pick_languages(tokens: list[Token], lexicons: Lexicons) -> list[str]:
    """Guess which lexicons apply to a field: by script for Chinese and Japanese, by stop words for the rest."""
    langs = [code for code in ("any",) if code in lexicons.languages]
    cjk = [t.text for t in tokens if t.kind == "cjk"]
    if cjk:
        kana = any(_is_kana(c) for c in cjk)
        for code in (("ja",) if kana else CJK_LANGS):
            if code in lexicons.languages:
                langs.append(code)
    words = [t.text for t in tokens if t.kind == "word"]
    if not words:
        return langs
    scores = {}
    for code, lang in lexicons.languages.items():
        if code == "any" or code in CJK_LANGS:
            continue
        scores[code] = sum(1 for w in words if w in lang.stopwords)
    best = max(scores.values(), default=0)
    # Short copy ("Better than Yeti") has no stop words: every language is read into it.
    langs.extend(code for code, score in scores.items() if best == 0 or score * 2 >= best)
    return langs


def _key(token: Token, lang: Language) -> str:
    return lang.stem(token.text) if token.kind == "word" else token.text


def _match(elements: tuple, k: int, i: int, sentence: int, tokens: list[Token], keys: list[str],
           starts: dict[str, dict[int, list[Occurrence]]]) -> int:
    """Match ``elements[k:]`` from token ``i``; return the end token (exclusive), or -1."""
    n = len(tokens)
    while k < len(elements):
        el = elements[k]
        tag = el[0]
        if tag == "g":
            for skip in range(el[1] + 1):
                end = _match(elements, k + 1, i + skip, sentence, tokens, keys, starts)
                if end >= 0:
                    return end
            return -1
        if i >= n or tokens[i].sentence != sentence:
            return -1
        if tag == "w":
            if keys[i] not in el[1]:
                return -1
            i += 1
        elif tag == "n":
            if tokens[i].kind != "num":
                return -1
            i += 1
        elif tag == "p":
            if tokens[i].kind != "word" or not unaccent(tokens[i].text).startswith(el[1]):
                return -1
            i += 1
        else:  # a concept reference: try each occurrence starting here
            for occ in starts.get(el[1], {}).get(i, ()):
                end = _match(elements, k + 1, occ.last, sentence, tokens, keys, starts)
                if end >= 0:
                    return end
            return -1
        k += 1
    return i


def find_concepts(text: str, lexicons: Lexicons) -> FieldConcepts:
    """Tokenise a field and return every concept occurrence in it."""
    tokens = tokenize(text)
    langs = pick_languages(tokens, lexicons)
    found: dict[str, list[Occurrence]] = defaultdict(list)
    excused: dict[str, list[Occurrence]] = defaultdict(list)
    deferred: list[tuple[Entry, Language, list[str]]] = []
    keys_by_lang: dict[str, list[str]] = {}
    for code in langs:
        lang = lexicons.languages[code]
        keys = keys_by_lang[code] = [_key(t, lang) for t in tokens]
        by_first = lang.by_first
        for i, key in enumerate(keys):
            entries = by_first.get(key)
            if tokens[i].kind == "num":
                entries = (entries or []) + by_first.get("#", [])
            for entry in entries or ():
                _record(entry, i, tokens, keys, {}, found, excused)
        for entry in lang.by_prefix:
            for i, t in enumerate(tokens):
                if t.kind == "word":
                    _record(entry, i, tokens, keys, {}, found, excused)
        deferred.extend((entry, lang, keys) for entry in lang.by_ref)
    # Entries naming other concepts run once those concepts are complete, in dependency order.
    by_concept: dict[str, list[tuple[Entry, list[str]]]] = defaultdict(list)
    for entry, lang, keys in deferred:
        by_concept[entry.concept].append((entry, keys))
    starts: dict[str, dict[int, list[Occurrence]]] = {}
    for concept in lexicons.order:
        for entry, keys in by_concept.get(concept, ()):
            first = entry.elements[0]
            if first[0] == "c":
                candidates = sorted({o.first for o in found.get(first[1], ())})
            else:
                candidates = [i for i, key in enumerate(keys) if _first_ok(first, tokens[i], key)]
            for i in candidates:
                _record(entry, i, tokens, keys, starts, found, excused)
        _drop_excused(concept, found, excused)
        if concept in found:
            per: dict[int, list[Occurrence]] = {}
            for occ in found[concept]:
                per.setdefault(occ.first, []).append(occ)
            starts[concept] = per
    return FieldConcepts(tokens, langs, found)


def _first_ok(el: tuple, token: Token, key: str) -> bool:
    if el[0] == "w":
        return key in el[1]
    if el[0] == "n":
        return token.kind == "num"
    return token.kind == "word" and unaccent(token.text).startswith(el[1])


def _record(entry: Entry, i: int, tokens: list[Token], keys: list[str], starts: dict,
            found: dict, excused: dict) -> None:
    sentence = tokens[i].sentence
    elements = entry.elements
    if elements[0][0] == "c":
        end = _match(elements, 0, i, sentence, tokens, keys, starts)
    else:
        end = _match(elements, 1, i + 1, sentence, tokens, keys, starts) if _first_ok(elements[0], tokens[i], keys[i]) else -1
    if end > i:
        occ = Occurrence(entry.concept, entry.lang, i, end, sentence)
        (excused if entry.excuse else found)[entry.concept].append(occ)


def _drop_excused(concept: str, found: dict, excused: dict) -> None:
    """Remove a concept's occurrences that lie inside one of its excuses, and duplicates."""
    occs = found.get(concept)
    if not occs:
        return
    excuses = excused.get(concept, ())
    kept: dict[tuple[int, int], Occurrence] = {}
    for occ in occs:
        if any(x.first <= occ.first and occ.last <= x.last for x in excuses):
            continue
        kept.setdefault((occ.first, occ.last), occ)
    found[concept] = list(kept.values())
    if not found[concept]:
        del found[concept]


def concepts_of(text: str, lexicons: Optional[Lexicons]) -> Optional[FieldConcepts]:
    """Return a field's concepts, or None when no lexicon is loaded."""
    return None if lexicons is None else find_concepts(text, lexicons)
