"""Layer 3 (engine): find every lexicon concept in a field in one pass over its tokens.

The field is tokenised once (``normalize.tokenize``), in the languages guessed for its listing
(``concept_gate.py``); then each token's stem is looked up in each chosen language's index of first words, so the cost
is one dictionary lookup per token and language, whatever the size of the lexicons.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import NamedTuple, Optional

from .concept_gate import ConceptGate
from .lexicon import Entry, Lexicons, is_large_count
from .normalize import Token, tokenize, unaccent


def _katakana(token_text: str) -> bool:
    """Tell whether a token is one katakana character (or the long-vowel mark), folded to full width."""
    return len(token_text) == 1 and "\u30a1" <= token_text <= "\u30ff"


QUESTION_PARTICLES = frozenset("吗嗎呢か")
"""Chinese and Japanese words that make a question of what comes before them."""

FOLLOW_UP = "follow-up"
"""The concept of words that open a sentence going on from the one before ("Then", "As a thank-you", "Als
Dankeschön", "Envoyez-nous ensuite"): a rule's ``when`` with ``follow-up = true`` reads all its concepts but the
last in the sentence before too, so "Leave a review on Amazon. Then email us a screenshot for a free gift" is one
offer."""
FOLLOW_UP_REACH = 4
"""Tokens from a sentence's start within which a follow-up word must begin."""


class Occurrence(NamedTuple):
    """A concept found in a field: tokens ``[first, last)`` of one sentence."""

    concept: str
    lang: str
    first: int
    last: int
    sentence: int


class FieldConcepts:
    """A field's tokens, the languages read into it, and its concept occurrences by sentence."""

    __slots__ = ("tokens", "langs", "by_concept", "composite", "continued", "_widths", "_counts")

    def __init__(self, tokens: list[Token], langs: list[str], found: dict[str, list[Occurrence]],
                 composite: frozenset = frozenset(), continued: frozenset = frozenset()) -> None:
        self.tokens = tokens
        self.langs = langs
        self.continued = continued
        """Sentences that open with a follow-up word (``FOLLOW_UP``) and go on from the sentence before."""
        self.composite = composite
        """Concepts made of other concepts."""
        self._widths: Optional[list[float]] = None
        self._counts: Optional[dict[str, int]] = None
        self.by_concept: dict[str, dict[int, list[Occurrence]]] = {}
        for concept, occs in found.items():
            per: dict[int, list[Occurrence]] = {}
            for occ in sorted(occs, key=lambda o: (o.first, o.last)):
                per.setdefault(occ.sentence, []).append(occ)
            self.by_concept[concept] = per

    def width(self, first: int, last: int) -> float:
        """Return how many words tokens ``[first, last)`` make: a Chinese or Japanese character is half a word."""
        if self._widths is None:
            cum = [0.0]
            for t in self.tokens:
                cum.append(cum[-1] + (0.5 if t.kind == "cjk" else 1.0))
            self._widths = cum
        return self._widths[last] - self._widths[first]

    def language_of(self, occurrences) -> str:
        """Return the language a finding is written in (its fix's language): of the languages its words
        belong to, the one with the most words in the field, then the one whose stop words fit best."""
        # A concept made of others ("{review-act} ~4 {review}") takes its entry's language, which may not be
        # the words': count only the words' own concepts.
        counts = self._lang_counts()
        used = {o.lang for o in occurrences if o.concept not in self.composite} - {"any"} or set(counts)
        if not used:
            return next((code for code in self.langs if code != "any"), "en")
        order = {code: n for n, code in enumerate(self.langs)}
        return min(used, key=lambda code: (-counts.get(code, 0), order.get(code, len(order))))

    def _lang_counts(self) -> dict[str, int]:
        """Return how many of the field's words each language read (counted once: a field may have thousands)."""
        if self._counts is None:
            counts: dict[str, int] = {}
            for concept, per in self.by_concept.items():
                if concept not in self.composite:
                    for occs in per.values():
                        for o in occs:
                            counts[o.lang] = counts.get(o.lang, 0) + 1
            counts.pop("any", None)
            self._counts = counts
        return self._counts

    def sentences_overlapping(self, spans) -> set[int]:
        """Return the sentences whose text (first token to last) overlaps one of a set of spans."""
        return {n for n, (s, e) in self._bounds().items() if spans.overlaps(s, e)}

    def sentence_spans(self, sentences) -> list[tuple[int, int]]:
        """Return the text span (first token to last) of each of these sentences."""
        bounds = self._bounds()
        return sorted(bounds[n] for n in sentences if n in bounds)

    def _bounds(self) -> dict[int, tuple[int, int]]:
        bounds: dict[int, tuple[int, int]] = {}
        for t in self.tokens:
            start = bounds[t.sentence][0] if t.sentence in bounds else t.start
            bounds[t.sentence] = (start, t.end)
        return bounds

    def in_sentence(self, concept: str, sentence: int) -> list[Occurrence]:
        """Return a concept's occurrences in one sentence, in order."""
        return self.by_concept.get(concept, {}).get(sentence, [])

    def sentences(self, concept: str) -> list[int]:
        """Return the sentences holding a concept."""
        return list(self.by_concept.get(concept, {}))

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Return the field offsets covered by tokens ``[first, last)``, widened to whole katakana words: an
        entry may name the head of one ("レビュ" for レビュー and レビュ ー), and a seller reads the word."""
        tokens = self.tokens
        while first > 0 and _katakana(tokens[first].text) and _katakana(tokens[first - 1].text) \
                and tokens[first - 1].end == tokens[first].start:
            first -= 1
        while last < len(tokens) and _katakana(tokens[last - 1].text) and _katakana(tokens[last].text) \
                and tokens[last - 1].end == tokens[last].start:
            last += 1
        return tokens[first].start, tokens[last - 1].end


def _starts(word: str, el: tuple) -> bool:
    """Tell whether an unaccented word matches a ``("p", …)`` element: starts with its prefix, or is its word."""
    return word == el[1] if len(el) > 2 else word.startswith(el[1])


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
            if tokens[i].kind != "num" or (len(el) > 1 and not is_large_count(tokens[i].text)):
                return -1
            i += 1
        elif tag == "p":
            if tokens[i].kind != "word" or not _starts(unaccent(tokens[i].text), el):
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


def gate(lexicons: Lexicons) -> ConceptGate:
    """Return the lexicon set's gate (which languages a listing is read in, which concepts a field could hold)."""
    found = _GATES.get(lexicons)
    if found is None:
        found = _GATES[lexicons] = ConceptGate(lexicons)
    return found


_GATES: "weakref.WeakKeyDictionary[Lexicons, ConceptGate]" = weakref.WeakKeyDictionary()


def find_concepts(text: str, lexicons: Lexicons, marketplace: Optional[str] = None) -> FieldConcepts:
    """Tokenise a field and return every concept occurrence in it."""
    return find_in_fields([text], lexicons, marketplace)[0]


_CACHE_SIZE = 4096
"""Fields remembered per lexicon set: an edited listing re-reads only the field that changed."""


def find_in_fields(texts: list[str], lexicons: Lexicons, marketplace: Optional[str] = None) -> list[FieldConcepts]:
    """Return each of a listing's fields' concepts, the languages guessed from all of its copy (a title
    without stop words is read in the language of its bullets)."""
    langs = gate(lexicons).languages(texts, marketplace)
    return [find_in_field(text, lexicons, langs) for text in texts]


def find_in_field(text: str, lexicons: Lexicons, langs: list[str]) -> FieldConcepts:
    """Return one field's concepts read in the given languages (each field is its own run of sentences).

    A field read before in the same languages (an unchanged field of a listing being edited, a bullet
    shared by variants) is taken from a bounded cache.
    """
    cache = lexicons.field_cache
    key = (text, tuple(langs))
    found = cache.get(key)
    if found is None:
        tokens = _tokens(text, lexicons)
        if len(cache) > _CACHE_SIZE:
            cache.clear()
        concepts = _find(tokens, langs, lexicons)
        found = cache[key] = FieldConcepts(tokens, langs, concepts, frozenset(lexicons.refs),
                                           _continued(concepts, tokens))
    return found


def _continued(found: dict[str, list[Occurrence]], tokens: list[Token]) -> frozenset[int]:
    """Return the sentences that open with a follow-up word and have a sentence before them."""
    cues = found.get(FOLLOW_UP)
    if not cues:
        return frozenset()
    opening: dict[int, int] = {}
    for i, token in enumerate(tokens):
        opening.setdefault(token.sentence, i)
    return frozenset(occ.sentence for occ in cues
                     if occ.sentence - 1 in opening and occ.first < opening[occ.sentence] + FOLLOW_UP_REACH)


def _tokens(text: str, lexicons: Lexicons) -> list[Token]:
    cache = lexicons.token_cache
    found = cache.get(text)
    if found is None:
        if len(cache) > _CACHE_SIZE:
            cache.clear()
        found = cache[text] = tokenize(text)
    return found


def _find(tokens: list[Token], langs: list[str], lexicons: Lexicons) -> dict[str, list[Occurrence]]:
    """Return every concept occurrence in a run of tokens (an entry never crosses a sentence)."""
    found: dict[str, list[Occurrence]] = defaultdict(list)
    excused: dict[str, list[Occurrence]] = defaultdict(list)
    deferred: dict[str, list[tuple[Entry, list[str], set[str], Optional[list[int]]]]] = defaultdict(list)
    numbers = [i for i, t in enumerate(tokens) if t.kind == "num"]
    texts = [t.text for t in tokens]
    keys_of: dict[str, tuple[list[str], set[str]]] = {}
    """Each language's keys of the tokens, and the same as a set."""
    by_head: Optional[dict[str, list[int]]] = None
    plain: Optional[tuple[list[str], list[str], set[str]]] = None

    def unaccented() -> tuple[list[str], list[str], set[str]]:
        """Return each token unaccented ("" for a token that is no word), its first two letters, and theirs as a
        set (worked out once, for the first entry with a prefix)."""
        nonlocal plain
        if plain is None:
            words = [unaccent(t.text) if t.kind == "word" else "" for t in tokens]
            heads = [word[:2] for word in words]
            plain = (words, heads, set(heads))
        return plain

    for code in langs:
        lang = lexicons.languages[code].ensure()
        keys = lang.keys(texts)
        held = set(keys)
        keys_of[code] = (keys, held)
        index = lang.index
        refs: dict[int, tuple[Entry, list[int]]] = {}
        last = len(keys) - 1
        # The tokens some entry starts with, found in C first: in most languages a text is read in, few or none
        # (Japanese copy read in each European language has a thousand tokens to look up, one by one, for none).
        starting = index.keys() & held
        for i in [i for i, key in enumerate(keys) if key in starting] if starting else ():
            key = keys[i]
            hit = index[key]
            following = keys[i + 1] if i < last else None
            for entry in hit[0]:
                elements = entry.elements
                if len(elements) > 1 and elements[1][0] == "w" and following not in elements[1][1]:
                    continue  # most entries a word starts: their second word is not the next one
                if len(elements) > 2 and any(el[0] == "w" and el[1].isdisjoint(held) for el in elements[2:]):
                    continue  # a later word it needs is nowhere in the text
                _record(entry, i, tokens, keys, {}, found, excused)
            for entry in hit[1]:
                refs.setdefault(id(entry), (entry, []))[1].append(i)
        if numbers and lang.by_number:
            n = len(keys)
            rest, after_word, after_head, widest = lang.by_number_after_gap
            heads = unaccented()[1] if after_head else None
            for i in numbers:
                # Entries starting with a number are indexed by their second part ("# % off", "# million").
                for entry in lang.by_number.get(keys[i + 1] if i + 1 < n else "", ()):
                    _record(entry, i, tokens, keys, {}, found, excused)
                # The others are tried in their order; those with a gap ("# ~1 clientes felizes") only where
                # their word comes within it (a listing of Japanese copy has hundreds of numbers to try them at).
                chosen = {}
                for j in range(i + 1, min(n, i + 2 + widest)):
                    for place, entry, gap in (*after_word.get(keys[j], ()),
                                              *(after_head.get(heads[j], ()) if heads else ())):
                        if j - i - 1 <= gap:
                            chosen[place] = entry
                if chosen:
                    chosen.update(rest)
                    tried = [chosen[place] for place in sorted(chosen)]
                else:
                    tried = [entry for _, entry in rest]
                for entry in tried:
                    _record(entry, i, tokens, keys, {}, found, excused)
        if lang.by_prefix:
            words, heads, head_set = unaccented()
            opening = lang.by_prefix.keys() & head_set  # as for the words above: most texts hold few
            for i in [i for i, head in enumerate(heads) if head in opening] if opening else ():
                word = words[i]
                for entry in lang.by_prefix[heads[i]]:
                    if _starts(word, entry.elements[0]):
                        _record(entry, i, tokens, keys, {}, found, excused)
        for entry, where in refs.values():
            deferred[entry.concept].append((entry, keys, held, where))
    # Entries naming other concepts run once those concepts are complete, in dependency order.
    starts: dict[str, dict[int, list[Occurrence]]] = {}
    led_by_concept = [(lexicons.languages[code].ref_elsewhere, *keys_of[code]) for code in langs]
    for concept in lexicons.order:
        for elsewhere, keys, held in led_by_concept:
            for entry in elsewhere.get(concept, ()):
                first = entry.elements[0]
                if first[0] == "c":
                    if first[1] in starts:
                        deferred[concept].append((entry, keys, held, list(starts[first[1]])))
                else:
                    deferred[concept].append((entry, keys, held, None))
        if concept not in deferred and concept not in excused:
            if concept in found:
                _drop_excused(concept, found, excused)
                starts[concept] = _by_first(found.get(concept, ()))
            continue
        for entry, keys, held, where in deferred.get(concept, ()):
            if any(el[1].isdisjoint(held) if el[0] == "w" else el[0] == "c" and el[1] not in starts
                   for el in entry.elements):
                continue  # a word it needs is nowhere in the text, or a concept it names (complete by now)
            first = entry.elements[0]
            if where is not None:
                candidates = where
            elif first[0] == "c":
                candidates = starts.get(first[1], ())
            elif first[0] == "n":
                candidates = numbers
            else:
                words = unaccented()[0]
                if len(first[1]) >= 2:
                    # A word this element matches starts with its first two letters: look only at those.
                    if by_head is None:
                        by_head = {}
                        for i, (t, word) in enumerate(zip(tokens, words)):
                            if t.kind == "word":
                                by_head.setdefault(word[:2], []).append(i)
                    candidates = [i for i in by_head.get(first[1][:2], ()) if _starts(words[i], first)]
                else:
                    candidates = [i for i, (t, word) in enumerate(zip(tokens, words))
                                  if t.kind == "word" and _starts(word, first)]
            for i in candidates:
                _record(entry, i, tokens, keys, starts, found, excused)
        _drop_excused(concept, found, excused)
        if concept in found:
            starts[concept] = _by_first(found[concept])
    return found


def _by_first(occs: list[Occurrence]) -> dict[int, list[Occurrence]]:
    per: dict[int, list[Occurrence]] = {}
    for occ in occs:
        per.setdefault(occ.first, []).append(occ)
    return per


def _record(entry: Entry, i: int, tokens: list[Token], keys: list[str], starts: dict,
            found: dict, excused: dict) -> None:
    """Record the entry's occurrence starting at token ``i`` (whose first part the caller has matched)."""
    elements = entry.elements
    sentence = tokens[i].sentence
    if elements[0][0] in ("c", "n"):
        # A concept is matched from its first part; so is a number, which "##" limits to large counts.
        end = _match(elements, 0, i, sentence, tokens, keys, starts)
    else:
        end = _match(elements, 1, i + 1, sentence, tokens, keys, starts)
    if end > i:
        last = end
        if tokens[end - 1].text in QUESTION_PARTICLES and end < len(tokens) and tokens[end].text == "?":
            last = end + 1  # "满意吗？", "気に入りましたか？": the question mark after the entry's particle
        if tokens[last - 1].text == "?" and last < len(tokens) and tokens[last].sentence > sentence:
            # An entry that is a question ("love it ?", "满意吗") leads into the sentence after it: "Love it?
            # Leave a review." The question's other words stay where they are ("Looking for a gift?").
            sentence = tokens[last].sentence
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


