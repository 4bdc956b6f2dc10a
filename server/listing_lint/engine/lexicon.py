"""Layer 3 (engine): concept lexicons (``rules/lexicons/<lang>.toml``) loaded, stemmed and indexed for matching.

A lexicon names concepts ("review", "reward", "exchange") and lists the words and phrases that express
each one in its language. Entries are written as a seller would write them and stemmed here with the
language's Snowball stemmer, so "leave", "leaving" and "leaves" are one entry, as are "valutazione" and
"valutazioni". Chinese and Japanese entries are runs of characters, matched as written.

Entry syntax (space-separated parts):
- a word: matched by its stem ("reviews" matches "review", "reviewed", "reviewing");
- ``word*``: any word starting so, accents ignored ("rückerstatt*");
- ``=word``: that word as written, accents and case ignored, where its stem would take in other forms with
  another meaning ("si ~4 =gusta" is "si te gusta", not "si tienes un momento, nos gustaría");
- ``#``: any number;
- ``##``: a count of a thousand or more written as counts are ("80,000", "50.000", "25000"), not a year, a
  model number or a phone number ("2019", "5536", "0800123456");
- ``~N``: up to N tokens of anything ("leave ~3 review" matches "leave us a quick review");
- ``{concept}``: any entry of another concept ("{negative} ~2 {review}").

Each concept may also list ``excuse`` entries: a term of the concept inside an excuse does not count
("free shipping" excuses "free", "gift box" excuses "gift").
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from pathlib import Path
from types import MethodType
from typing import NamedTuple, Optional

import regex

from ..digests import blake2b, source_digest
from ..patterns import compile_pattern, compile_re
from .normalize import fold, tokenize, unaccent
from .spec import SpecError, kept_data, line_of_key, read_toml

MAX_TEXT_KEYS = 200_000
"""Tokens whose key a language keeps (``Language.keys``): a catalog of a million rows meets more."""

STEMMERS = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch",
}
"""Snowball stemmers for the bundled languages; a user lexicon may name any other Snowball algorithm."""

_EDGE_GAP = compile_pattern(r"^~\d+|~\d+$")
_GAP_AT_END = compile_re(r"(?m)~\d+$")
_PREFIX = compile_pattern(r"(?<!\S)(\S+\*)(?!\S)")
_STAR_AT_END = compile_re(r"\*(?!\S)")
_NON_ASCII = compile_re(r"[^\x00-\x7f]+")
_REF = compile_pattern(r"\{([a-z][a-z0-9-]*)\}")
_PART = compile_pattern(r"(\{[a-z][a-z0-9-]*\})|(~\d+)|(?<!\S)(##?)(?!\S)|(\S+\*)(?!\S)|(?<!\S)=([^\s=*~{}#]+)(?!\S)")
_CODE = compile_pattern(r"[a-z]{2,3}|any")
_CONCEPT_NAME = compile_pattern(r"[a-z][a-z0-9-]*")
_LEXICON_KEYS = {"language", "stemmer", "stopwords", "concepts", "marketplaces"}
_CONCEPT_KEYS = {"terms", "excuse"}

TYPO_CHECK_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl")
"""Languages whose everyday words are never read as a misspelling of a lexicon word."""

Element = tuple
"""("w", frozenset of stems) | ("p", prefix) | ("p", word, True) (the whole word) | ("n",) | ("n", "large") | ("g", n)
| ("c", concept)."""


class Entry(NamedTuple):
    """One compiled lexicon entry: which concept (or excuse of one) it expresses, in which language."""

    concept: str
    lang: str
    elements: tuple[Element, ...]
    excuse: bool = False
    source: str = ""
    """The entry as written, for error messages and docs."""


@functools.lru_cache(maxsize=None)
def stemmer_for(algorithm: Optional[str]):
    """Return a PyStemmer stemmer (None: words match as written, for CJK and the language-neutral list)."""
    if algorithm is None:
        return None
    import Stemmer  # PyStemmer: the Snowball C stemmers, about a third of a microsecond a word

    # Without PyStemmer's own cache (its default keeps 10,000 words): every caller keeps what it stems
    # (``Language.stem``, ``Language.keys``, the concept gate's vocabulary), and looking a new word up in that
    # cache, then filing it, took twice as long as stemming it (1 µs against 0.34).
    return Stemmer.Stemmer(algorithm, 0)


class Language:
    """One language's compiled lexicon: its stemmer, stop words and entries indexed by their first part."""

    def __init__(self, code: str, algorithm: Optional[str]) -> None:
        self.code = code
        self.algorithm = algorithm
        self.stemmer = stemmer_for(algorithm)
        self.stopwords: set[str] = set()
        self.by_first: dict[str, list[Entry]] = {}
        """First word's stem (or a number's text, or "#") -> entries starting with it."""
        self.by_ref: list[Entry] = []
        """Entries naming another concept, matched once the concepts they name are complete."""
        self.ref_by_first: dict[str, list[Entry]] = {}
        """Of those, the ones starting with a word, by its stem."""
        self.by_prefix: dict[str, list[Entry]] = {}
        """Entries starting with ``word*``, by the prefix's first two letters."""
        self._stems: dict[str, str] = {}
        self._text_keys: dict[str, str] = {}
        self.surface: dict[str, str] = {}
        """Each word of the entries as written (lower case) -> its key, for telling misspellings."""
        self.pending: list[tuple[str, str, bool]] = []
        """(concept, entry as written, excuse) not compiled yet."""
        self._words_read: Optional[str] = None
        """The key of the entries whose words ``ready_to_read`` took from what was kept (they are still pending)."""
        self.kept_digest: Optional[str] = None
        """A digest of all the compiled entries were made from, when they were all compiled at once (so what is
        built from them can be kept under it too); None otherwise."""

    def ready_to_read(self) -> "Language":
        """Make ready what reading a token takes (``text_key``: stems, the entries' words and their misspellings)
        and name the entries (``kept_digest``), without compiling them where an earlier run kept those words; else
        compile the entries (``ensure``). Return the language.

        The concept gate reads copy with no stop words in every language; most are never asked for their
        entries, whose kept JSON took about 6 ms a language to read and rebuild.
        """
        if self._words_read is not None:
            return self  # read already
        if not self.pending or not self._nothing_compiled():
            return self.ensure()
        key = self._kept_key(self.pending)
        if key is None:
            return self.ensure()
        digest = blake2b(key.encode("utf-8", "surrogatepass")).hexdigest()

        def make(keep: bool) -> tuple[Optional[dict], tuple]:
            self.ensure()  # nothing kept: compiled now, and what reading takes kept from it
            data = {"surface": sorted(self.surface.items()), "word-keys": sorted(self.word_keys)} if keep else None
            return data, (None, None)

        surface, word_keys = kept_data(repr(("lexicon-words", 1, digest)), make, _words_from_json)
        if surface is not None:  # read from what was kept: the entries stay pending until ``ensure``
            self.kept_digest, self._words_read = digest, key
            self.surface.update(surface)
            self.__dict__["word_keys"] = word_keys
        return self

    def ensure(self) -> "Language":
        """Compile the entries loaded since the last call (stemming them), and return the language."""
        if self.pending:
            pending, self.pending = self.pending, []
            # The key ``ready_to_read`` worked out (1.3 ms a language) names these same entries.
            key, self._words_read = self._words_read, None
            if key is None and self._nothing_compiled():
                key = self._kept_key(pending)
            # Hashed once here: it names these entries for what is kept of them, here and in the concept gate.
            self.kept_digest = key = None if key is None else blake2b(key.encode("utf-8", "surrogatepass")).hexdigest()
            if key is None:  # entries added to a compiled language (a later pack): compiled here, not kept
                compiled = [(compile_entry(term, self), excuse) for _, term, excuse in pending]
            else:
                # A language's first entries compile to the same elements every run: about 15 ms a language
                # (all ten: 140 ms, on the first copy with no stop words), kept with the parsed lexicons.
                compiled, surface = kept_data(key, lambda keep: self._compile_pending(pending, keep), _entries_from_json)
                self.surface.update(surface)
            for (concept, term, _), (elements, excuse) in zip(pending, compiled):
                if elements and elements[0][0] != "g" and elements[-1][0] != "g":
                    self.add(Entry(concept, self.code, elements, excuse, term))
            for name in ("index", "by_number", "by_number_after_gap", "ref_elsewhere", "word_keys", "typos", "key_of"):
                self.__dict__.pop(name, None)  # rebuilt from the new entries
            self._text_keys.clear()
        return self

    def _nothing_compiled(self) -> bool:
        """Tell whether no entry of this language is compiled yet (its words read from what was kept aside)."""
        return not (self.by_first or self.by_ref or self.by_prefix) and (not self.surface or self._words_read is not None)

    def _kept_key(self, pending: list[tuple[str, str, bool]]) -> Optional[str]:
        """Return what a language's compiled entries depend on, to keep them under (None: code not readable)."""
        code = _compiler_digest()
        if code is None:
            return None
        stemmer = stemmer_version() if self.stemmer is not None else None
        # The tokenizer reads characters by the regex module's Unicode tables: what those say of the entries' own
        # characters counts, not the module's release, so a newer regex with the same tables still uses the
        # package's prebuilt entries. Python's Unicode version counts too, for unaccent and case folding.
        return repr(("lexicon-entries", 2, code, _classes_of(term for _, term, _ in pending),
                     unicodedata.unidata_version, self.code, self.algorithm, stemmer, pending))

    def _compile_pending(self, pending: list[tuple[str, str, bool]], keep: bool) -> tuple[Optional[dict], tuple]:
        """Compile a language's first entries; return them as ``kept_data`` keeps them (with ``keep``: each one's
        elements, sets as sorted lists, and the words met, as written, with their keys) and as
        ``_entries_from_json`` gives them."""
        compiled = [(compile_entry(term, self), excuse) for _, term, excuse in pending]
        data = None
        if keep:
            data = {"entries": [[[[el[0], sorted(el[1])] if el[0] == "w" else list(el) for el in elements], excuse]
                                for elements, excuse in compiled],
                    "surface": sorted(self.surface.items())}
        return data, (compiled, dict(self.surface))

    def keys(self, words: list[str]) -> list[str]:
        """Return each token's lookup key (``text_key``, memoised), or the token itself without a stemmer."""
        if self.stemmer is None:
            return words
        key_of = self.key_of
        if not isinstance(key_of, MethodType):  # the compiled TextKey: the same loop in C
            return key_of.keys(words, self._text_keys, MAX_TEXT_KEYS)
        memo = self._text_keys
        get = memo.get
        out = []
        for w in words:
            key = get(w)
            if key is None:
                key = key_of(w)
                if len(memo) < MAX_TEXT_KEYS:
                    memo[w] = key
            out.append(key)
        return out

    def text_key(self, word: str) -> str:
        """Return the key of a token of copy: its stem, or the key of the lexicon word it misspells.

        A misspelling is one letter left out, one too many or two swapped, never the first ("reveiw",
        "Hinterlasen", "Gutschien"), of a lexicon word of four letters or more, and is no word of the
        language, nor of another (absent from their word frequency lists). One letter changed for another
        is not taken: "dating" is not a misspelt "rating".
        """
        if self.stemmer is None:
            return word
        key = self.stemmer.stemWord(word)
        if key in self.word_keys or len(word) < 4 or not word.isalpha():
            return key
        typos, words, heads = self.typos
        meant = typos.get(word) or typos.get(key)
        n = len(word) - 1
        if meant is None and n >= 4 and ((word[0], word[1], word[-1], n) in heads or (
                word[0], word[2], word[-1], n) in heads or (word[0], word[1], word[-2], n) in heads):
            meant = next((words[cut] for cut in (word[:i] + word[i + 1:] for i in range(1, len(word)))
                          if cut in words), None)
        if meant is None:
            return key
        from .detectors.brand_words import zipf  # word frequencies, read on the first possible misspelling

        # A word of some language is no misspelling: Italian "buono" is not a misspelt Spanish "bono".
        return meant if not any(zipf(word, code) for code in TYPO_CHECK_LANGS) else key

    @functools.cached_property
    def key_of(self) -> Callable[[str], str]:
        """Return ``text_key`` made fast: the compiled ``TextKey`` stems a token and rules out a misspelling
        itself, and asks ``text_key`` about a token that may be one."""
        try:
            from ._tokens import TextKey
        except ImportError:  # pragma: no cover - an install without a compiler
            return self.text_key
        if self.stemmer is None:
            return TextKey(None, frozenset(), {}, {}, frozenset(), self.text_key)
        return TextKey(self.stemmer.stemWord, self.word_keys, *self.typos, self.text_key)

    @property
    def entries(self) -> list[Entry]:
        """Every compiled entry (one filed under several first words once per filing)."""
        return ([e for es in self.by_first.values() for e in es] + [e for es in self.by_prefix.values() for e in es]
                + self.by_ref)

    @functools.cached_property
    def word_keys(self) -> frozenset[str]:
        """The key of every word some entry names."""
        return frozenset(k for e in self.entries for el in e.elements if el[0] == "w" for k in el[1])

    @functools.cached_property
    def typos(self) -> tuple[dict[str, str], dict[str, str], frozenset[tuple[str, str, str, int]]]:
        """Return (misspelling -> key) for the words of the entries (as written and as stems) with a letter
        left out or two swapped, (word -> key) for finding one letter too many, and each of those words' first
        two letters, last letter and length: a word one letter longer, cut anywhere but its first letter, has its
        first and second or first and third letters, and its last or last but one, so most words need no cut
        tried. A misspelling two words share is left out."""
        words: dict[str, str] = {}
        for word, key in list(self.surface.items()) + [(k, k) for k in self.word_keys]:
            if len(word) >= 4 and word.isalpha():
                words.setdefault(word, key)
        return typo_table(words), words, frozenset((w[0], w[1], w[-1], len(w)) for w in words)

    @functools.cached_property
    def by_number(self) -> dict[str, list[Entry]]:
        """Entries starting with ``#``, by their second part's key ("" when it is not a plain word)."""
        out: dict[str, list[Entry]] = {}
        for entry in self.by_first.get("#", ()):
            second = entry.elements[1] if len(entry.elements) > 1 else ("",)
            for key in (second[1] if second[0] == "w" else ("",)):
                out.setdefault(key, []).append(entry)
        return out

    @functools.cached_property
    def by_number_after_gap(self) -> tuple[list[tuple[int, Entry]], dict[str, list[tuple[int, Entry, int]]],
                                           dict[str, list[tuple[int, Entry, int]]], int]:
        """``by_number[""]`` split: the entries whose number is followed by a gap and a word ("# ~1 clientes
        felizes"), by that word's keys; those followed by a gap and a prefix ("# ~1 zufrieden* Kunden"), by its
        first two letters; each with its gap; and the others. Each with its place in that list, and the widest gap:
        such an entry can start only at a number followed within its gap by one of those words."""
        rest: list[tuple[int, Entry]] = []
        by_word: dict[str, list[tuple[int, Entry, int]]] = {}
        by_head: dict[str, list[tuple[int, Entry, int]]] = {}
        widest = 0
        for place, entry in enumerate(self.by_number.get("", ())):
            elements = entry.elements
            after = elements[2] if len(elements) > 2 and elements[1][0] == "g" else ("",)
            if after[0] == "w":
                table, keys = by_word, after[1]
            elif after[0] == "p" and len(after[1]) >= 2:
                table, keys = by_head, (after[1][:2],)
            else:
                rest.append((place, entry))
                continue
            widest = max(widest, elements[1][1])
            for key in keys:
                table.setdefault(key, []).append((place, entry, elements[1][1]))
        return rest, by_word, by_head, widest

    @functools.cached_property
    def ref_elsewhere(self) -> dict[str, list[Entry]]:
        """Entries naming a concept that start with something other than a word, by their concept."""
        out: dict[str, list[Entry]] = {}
        for e in self.by_ref:
            if e.elements[0][0] != "w":
                out.setdefault(e.concept, []).append(e)
        return out

    @functools.cached_property
    def index(self) -> dict[str, tuple[list[Entry], list[Entry]]]:
        """First word's key -> (plain entries, entries naming a concept): one lookup per token."""
        out: dict[str, tuple[list[Entry], list[Entry]]] = {}
        for key, entries in self.by_first.items():
            out.setdefault(key, ([], []))[0].extend(entries)
        for key, entries in self.ref_by_first.items():
            out.setdefault(key, ([], []))[1].extend(entries)
        return out

    def stem(self, word: str) -> str:
        """Return a word's stem in this language (memoised: entries repeat their words)."""
        if self.stemmer is None:
            return word
        found = self._stems.get(word)
        if found is None:
            found = self.stemmer.stemWord(word)
            if len(self._stems) < 200_000:
                self._stems[word] = found
        return found

    def add(self, entry: Entry) -> None:
        first = entry.elements[0]
        if any(e[0] == "c" for e in entry.elements):
            self.by_ref.append(entry)
            if first[0] == "w":
                for key in sorted(first[1]):
                    self.ref_by_first.setdefault(key, []).append(entry)
        elif first[0] == "p":
            self.by_prefix.setdefault(first[1][:2], []).append(entry)
        elif first[0] == "n":
            self.by_first.setdefault("#", []).append(entry)
        else:
            # Sorted: a set's order depends on how it was built, and ``entries`` (hence the concept gate's
            # tables, kept between runs) follows the order the keys were filed in.
            for key in sorted(first[1]):
                self.by_first.setdefault(key, []).append(entry)


def py_typo_table(words: dict[str, str]) -> dict[str, str]:
    """Return (misspelling -> key) for words (of four letters or more) and their keys: each with two letters
    swapped, or with one left out where it has five or more, never its first; a misspelling two words with
    different keys share is left out. The Python twin of the compiled ``typo_table``."""
    typos: dict[str, str] = {}
    for word, key in words.items():
        variants = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1)}
        if len(word) >= 5:
            variants.update(word[:i] + word[i + 1:] for i in range(1, len(word)))
        for variant in variants - {word}:
            typos[variant] = key if typos.get(variant, key) == key else ""
    return {v: k for v, k in typos.items() if k}


try:
    from ._tokens import typo_table
except ImportError:  # pragma: no cover - an install without a compiler
    typo_table = py_typo_table


def _words_from_json(data: dict) -> tuple[dict[str, str], frozenset[str]]:
    """Rebuild what ``Language.ready_to_read`` kept (the entries' words as written, with their keys, and every word
    key); raise ValueError (or TypeError, KeyError) on anything else."""
    surface = dict(data["surface"])
    word_keys = frozenset(data["word-keys"])
    if set(map(type, surface)) - {str} or set(map(type, surface.values())) - {str} or set(map(type, word_keys)) - {str}:
        raise ValueError("a word of the wrong type")
    return surface, word_keys


def _entries_from_json(data: dict) -> tuple[list[tuple[tuple[Element, ...], bool]], dict[str, str]]:
    """Rebuild what ``Language._compile_pending`` kept; raise ValueError (or TypeError, KeyError, IndexError) on
    anything else."""
    entries = []
    texts: list = []  # every string the elements hold, checked in one pass at the end
    for elements, excuse in data["entries"]:
        out = []
        for el in elements:
            kind, size = el[0], len(el)
            if kind == "w" and size == 2 and type(el[1]) is list:  # most elements: a word's keys
                texts.extend(el[1])
                out.append(("w", frozenset(el[1])))
            elif kind == "g" and size == 2 and type(el[1]) is int:
                out.append(("g", el[1]))
            elif (kind in ("p", "c") and size == 2) or (kind == "n" and size <= 2):
                texts.extend(el[1:])
                out.append(tuple(el))
            elif kind == "p" and size == 3 and el[2] is True:
                texts.append(el[1])
                out.append(("p", el[1], True))
            else:
                raise ValueError(f"not an element: {el!r}")
        entries.append((tuple(out), excuse))
    # Types checked in C, a list at a time.
    if set(map(type, texts)) - {str} or {type(e) for _, e in entries} - {bool}:
        raise ValueError("an element or an excuse of the wrong type")
    surface = {word: key for word, key in data["surface"] if type(word) is str and type(key) is str}
    return entries, surface


_CHARACTER_CLASSES = tuple(compile_pattern(c, regex.V1) for c in (
    r"\p{L}", r"\p{M}", r"\p{Ll}", r"\p{Han}", r"\p{Hiragana}", r"\p{Katakana}", r"\d", r"\s", r"\w"))
"""Every class the tokenizer and the entry parser read characters by (normalize._TOKEN, _SENTENCE_END, _PART)."""


def _classes_of(terms: Iterable[str]) -> str:
    """Return which of the tokenizer's character classes each non-ASCII character of these entries (as written,
    case-folded, decomposed and folded as the tokenizer folds) is in, by the installed regex module. (ASCII
    characters' classes do not change from one Unicode version to the next.)"""
    text = "\n".join(terms)
    if text.isascii():
        return ""
    wide = "".join(_NON_ASCII.findall(text))
    folded = wide.casefold()
    chars = {*wide, *folded, *unicodedata.normalize("NFD", folded), *fold(wide)[0]}
    probe = "".join(sorted(c for c in chars if not c.isascii()))
    return "\0".join("".join(c.findall(probe)) for c in _CHARACTER_CLASSES)


def _compiler_digest() -> Optional[str]:
    """Return a digest of the code that compiles entries (this module and the tokenizer), or None."""
    from . import normalize

    return source_digest(sys.modules[__name__], normalize)


@functools.lru_cache(maxsize=1)
def stemmer_version() -> str:
    """Return the Snowball library's version (its algorithms' output may change with it)."""
    import Stemmer

    return str(Stemmer.version()) if hasattr(Stemmer, "version") else getattr(Stemmer, "__version__", "")


def _short_prefix(text: str) -> bool:
    """Tell whether some word of a text is one character and a ``*`` (a word _PREFIX finds and finds too short):
    led by the literal, the search skips to each ``*``, where _PREFIX tries every word."""
    for m in _STAR_AT_END.finditer(text):
        at = m.start()
        if at >= 1 and not text[at - 1].isspace() and (at == 1 or text[at - 2].isspace()):
            return True
    return False


class Lexicons:
    """Every language's lexicon, merged from the bundled files and the config's rule packs."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.languages: dict[str, Language] = {}
        self.concepts: set[str] = set()
        self.by_marketplace: dict[str, str] = {}
        """Marketplace -> the language its copy is read in when the copy itself gives no sign."""
        self.refs: dict[str, set[str]] = {}
        """Concept -> the concepts its entries refer to (for the matching order)."""
        pending: list[tuple[Path, str, str, list[str]]] = []
        for path in paths:
            self._load(path, pending)
        for path, text, key, _ in pending:
            for ref in self.refs.get(key.split(".")[1], ()):
                if ref not in self.concepts:
                    raise SpecError(str(path), f"unknown concept {{{ref}}} (known: {', '.join(sorted(self.concepts))})",
                                    line=line_of_key(text, key.split(".")[1]), key=key)
        self.order = self._order()
        self.field_cache: dict = {}
        """(field text, languages) -> its concepts, for ``concepts.find_in_fields``."""
        self.token_cache: dict = {}
        """Field text -> its tokens."""

    def _load(self, path: Path, pending: list) -> None:
        data, text = read_toml(path)
        for key in data:
            if key not in _LEXICON_KEYS:
                raise SpecError(str(path), f"unknown key (expected {', '.join(sorted(_LEXICON_KEYS))})",
                                line=line_of_key(text, key), key=key)
        code = data.get("language", path.stem)
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise SpecError(str(path), "`language` must be a language code such as en or pt", line=line_of_key(text, "language"),
                            key="language")
        algorithm = data.get("stemmer", STEMMERS.get(code))
        if algorithm in ("", "none"):
            algorithm = None
        if algorithm is not None:
            try:
                stemmer_for(algorithm)
            except (KeyError, ValueError):
                raise SpecError(str(path), f"unknown Snowball stemmer {algorithm!r}", line=line_of_key(text, "stemmer"),
                                key="stemmer") from None
        lang = self.languages.get(code)
        if lang is None:
            lang = self.languages[code] = Language(code, algorithm)
        stop = data.get("stopwords", [])
        if not isinstance(stop, list) or not all(isinstance(w, str) for w in stop):
            raise SpecError(str(path), "expected a list of strings", line=line_of_key(text, "stopwords"), key="stopwords")
        lang.stopwords.update(w.casefold() for w in stop)
        markets = data.get("marketplaces", [])
        if not isinstance(markets, list) or not all(isinstance(w, str) for w in markets):
            raise SpecError(str(path), "expected a list of marketplaces such as \"amazon.de\"",
                            line=line_of_key(text, "marketplaces"), key="marketplaces")
        for market in markets:
            self.by_marketplace[market.casefold()] = code
        concepts = data.get("concepts", {})
        if not isinstance(concepts, dict):
            raise SpecError(str(path), "expected a table of concepts", line=line_of_key(text, "concepts"), key="concepts")
        for name, table in concepts.items():
            key = f"concepts.{name}"
            if not _CONCEPT_NAME.fullmatch(name):
                raise SpecError(str(path), "concept names are lower-case words joined by hyphens",
                                line=line_of_key(text, name), key=key)
            if isinstance(table, list):
                table = {"terms": table}
            if not isinstance(table, dict) or any(k not in _CONCEPT_KEYS for k in table):
                raise SpecError(str(path), "a concept is a list of terms, or a table with `terms` and `excuse`",
                                line=line_of_key(text, name), key=key)
            self.concepts.add(name)
            for field, excuse in (("terms", False), ("excuse", True)):
                items = table.get(field, [])
                try:
                    stripped = list(map(str.strip, items)) if isinstance(items, list) else None
                except TypeError:  # not all strings
                    stripped = None
                if stripped is None or not all(stripped):
                    raise SpecError(str(path), f"`{field}` must be a list of non-empty strings",
                                    line=line_of_key(text, name), key=f"{key}.{field}")
                # A concept's terms are checked all at once, one per line (9,800 terms a run); the loop below
                # runs only to name a bad one, or for a term holding a line break.
                flat = "\n".join(stripped)
                if flat.count("\n") == len(items) - 1 and not (
                        ("~" in flat and (flat.startswith("~") or "\n~" in flat or _GAP_AT_END.search(flat)))
                        or ("*" in flat and _short_prefix(flat))):
                    refs = set(_REF.findall(flat)) if "{" in flat else None
                    if refs:
                        self.refs.setdefault(name, set()).update(refs)
                        pending.append((path, text, key, sorted(refs)))
                    lang.pending.extend(zip(repeat(name), items, repeat(excuse)))
                    continue
                for term in items:
                    # Checked now, stemmed when the language is first read (most runs read one or two).
                    # Most entries are plain words: a pattern is tried only on an entry holding its sign.
                    stripped = term.strip()
                    if "~" in stripped and _EDGE_GAP.search(stripped):
                        raise SpecError(str(path), f"entry {term!r} must start and end with a word",
                                        line=line_of_key(text, name), key=key)
                    if "*" in stripped and any(len(p) < 3 for p in _PREFIX.findall(stripped)):
                        raise SpecError(str(path), f"entry {term!r}: a prefix before * needs two letters or more",
                                        line=line_of_key(text, name), key=key)
                    refs = set(_REF.findall(stripped)) if "{" in stripped else None
                    if refs:
                        self.refs.setdefault(name, set()).update(refs)
                        pending.append((path, text, key, sorted(refs)))
                    lang.pending.append((name, term, excuse))

    @functools.cached_property
    def word_languages(self) -> list[str]:
        """The languages told apart by stop words (all but Chinese, Japanese and the language-neutral list)."""
        return [code for code in self.languages if code not in ("any", "zh", "ja")]

    @functools.cached_property
    def stopword_langs(self) -> dict[str, list[str]]:
        """Stop word -> the languages listing it."""
        out: dict[str, list[str]] = {}
        for code in self.word_languages:
            for w in self.languages[code].stopwords:
                out.setdefault(w, []).append(code)
        return out

    @functools.cached_property
    def all_stopwords(self) -> frozenset[str]:
        """Every stop word of every language told apart by stop words."""
        return frozenset(self.stopword_langs)

    def _order(self) -> list[str]:
        """Return the concepts so that each comes after the concepts it refers to."""
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str, trail: tuple[str, ...]) -> None:
            if state.get(name) == 2:
                return
            if state.get(name) == 1:
                raise SpecError("lexicons", f"concepts refer to each other in a loop: {' -> '.join(trail + (name,))}")
            state[name] = 1
            for ref in sorted(self.refs.get(name, ())):
                visit(ref, trail + (name,))
            state[name] = 2
            order.append(name)

        for name in sorted(self.concepts):
            visit(name, ())
        return order


_LARGE = compile_pattern(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*|[1-9]\d{4,6}")


def is_large_count(number: str) -> bool:
    """Tell whether a number token is a count of a thousand or more as counts are written: with thousands
    separators ("80,000", "50.000") or five to seven digits ("25000"). Four digits are as often a year or a
    model number ("2019", "5536"), eight or more a phone number."""
    return _LARGE.fullmatch(number) is not None


def compile_entry(term: str, lang: Language) -> tuple[Element, ...]:
    """Turn an entry as written into the parts the matcher compares with a field's tokens."""
    elements: list[Element] = []
    at = 0
    for m in _PART.finditer(term):
        elements.extend(_words(term[at:m.start()], lang))
        ref, gap, number, prefix, exact = m.groups()
        if ref:
            elements.append(("c", ref[1:-1]))
        elif gap:
            elements.append(("g", int(gap[1:])))
        elif number:
            elements.append(("n", "large") if number == "##" else ("n",))
        elif exact:
            elements.append(("p", unaccent(exact.casefold()), True))
        else:
            elements.append(("p", unaccent(prefix[:-1].casefold())))
        at = m.end()
    elements.extend(_words(term[at:], lang))
    return tuple(elements)


_PLAIN = compile_pattern(r"[a-z ]+")


def _words(text: str, lang: Language) -> Iterable[Element]:
    if _PLAIN.fullmatch(text):
        # Most entries are plain lower-case words: the tokenizer would only split them at spaces.
        for word in text.split():
            key = lang.stem(word)
            lang.surface.setdefault(word, key)
            yield ("w", frozenset({key}))
        return
    for token in tokenize(text):
        if token.kind == "word":
            # Copy typed without accents ("resena", "evaluacion") stems differently: accept both.
            key = lang.stem(token.text)
            lang.surface.setdefault(token.text, key)
            yield ("w", frozenset({key, lang.stem(unaccent(token.text))}))
        else:
            yield ("w", frozenset({token.text}))


@functools.lru_cache(maxsize=8)
def load_lexicons(paths: tuple[Path, ...]) -> Lexicons:
    """Load and compile a set of lexicon files once per process."""
    return Lexicons(paths)


def bundled_lexicon_paths() -> tuple[Path, ...]:
    """Return the lexicon files shipped in ``rules/lexicons/``."""
    from .spec import bundled_rules_dir

    folder = bundled_rules_dir() / "lexicons"
    return tuple(sorted(folder.glob("*.toml"))) if folder.is_dir() else ()
