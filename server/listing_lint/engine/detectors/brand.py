"""Layer 3 (engine detector): competitor brand names, found with a token-keyed table instead of a big regex.

Every word of a field is looked up in a dict keyed by each brand's first word (and by its words run
together, so ``HamiltonBeach`` finds Hamilton Beach, and in capitals, so ``YETI`` finds Yeti); only those
few candidates are confirmed with the brand's own small pattern. That keeps the cost per listing
independent of the brand count, where one alternation of 3,000 names runs about 40 times slower.

A name that is also an everyday word or a first name (``brand_words``) is reported only where the words
around it show brand use (``brand_evidence``); whether a name is ambiguous is worked out when it is first
found, so a list of 3,000 names costs nothing at start-up.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Optional

import regex

from ...diagnostics import Applicability, Severity
from ...model import FieldKind
from ...patterns import compile_pattern, compile_re
from ..context import WORD
from ..kinds import Hit
from ..spans import Fixed
from ..wordtable import word_table
from .brand_evidence import brand_evidence, name_pattern, named_entity, simile, weak_compatibility_cue
from .brand_words import is_ambiguous_name, language_of

TOKEN = WORD  # the words the lint context finds once per field: the matcher looks its keys up among them
NEXT_WORD = compile_re(r"\W*(\w+)")
_WORD = compile_pattern(r"\w+")
"""A word as ``regex``, which the name patterns run on, reads one (Python's ``re`` differs past ASCII: "²")."""
CJK = compile_re(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

COMPARISON = compile_pattern(
    r"(?:\b(?:\w+er|more\s+\w+|less\s+\w+|longer[- ]lasting)\s+than|"
    r"\b(?:similar|comparable|compared|compare|equivalent|equal|identical|superior|alternative|inferior)\s+to|"
    r"\bsame\s+(?:\w+\s+)?as|\bas\s+good\s+as|\blike|\bunlike|\bvs\.?|\bversus|\bbeats?|\boutperforms?|\bdupe\s+(?:of|for)|"
    r"\binstead\s+of|\brather\s+than|\bbesser\s+als|\bähnlich\s+wie|\bwie|\bmeilleure?s?\s+que|\bcomme|"
    r"\bsimilaires?\s+à|\bmejor(?:es)?\s+que|\bcomo|\bsimilar(?:es)?\s+a|\bmigliori?\s+di|\bsimili?\s+a|"
    r"比|媲美|优于|胜过|より|並み)(?:\s+(?:a|an|the|any|other|ein|eine|einen|un|une|uno|una|le|la|el|il))?\s*$",
    regex.I,
)
COMPATIBILITY = compile_pattern(
    r"(?:\bcompatible\s+(?:with|for)|\bcompatibility\s+with|\bfor(?:\s+use\s+with)?|\bfits?|\bfitting|"
    r"\breplacement\s+(?:for|of)|\breplaces|\bworks?\s+with|\b(?:designed|made|built|suitable)\s+for|"
    r"\bkompatibel\s+mit|\bpassend\s+für|\bfür|\bcompatibles?\s+avec|\bpour|\bcompatibles?\s+con|\bpara|"
    r"\bcompatibili?\s+con|\bper|适用于|兼容|适配|対応)\s*$",
    regex.I,
)
COMPARISON_AFTER = compile_pattern(
    r"(?:\s*-\s*|\s+)(?:alternatives?|dupes?|look-?alikes?|knock-?offs?|equivalents?|alternativas?|alternativen?)\b",
    regex.I)
"""A comparison named after the brand: "Yeti alternative", "Stanley dupe", "Dyson-Alternative"."""
_COMPARISON_AFTER_FIRST = frozenset("adlkeADLKE\u212a")
"""The letters a word of COMPARISON_AFTER starts with (the Kelvin sign is a "k" to its case-blind match): a name
followed by anything else is not matched against it."""
COMPAT_AFTER = frozenset({"compat", "kompat"})
"""The start of "compatible", "kompatibel", "compatibile" right after a name ("Anker-compatible")."""
LIST_JOINER = compile_pattern(r"^\s*(?:,|/|&|\+|and|or|und|oder|et|ou|y|o|e|和|、|及)\s*$", regex.I)


class BrandEntry:
    """One competitor name; how to confirm it is worked out on first use (most names never need it)."""

    __slots__ = ("name", "prefix_len", "simple", "first", "second", "_exact", "_folded", "_parts")

    def __init__(self, name: str, prefix_len: int, simple: bool = False, first: str = "", second: str = "") -> None:
        self.name = name
        self.prefix_len = prefix_len
        """Characters before the first word (``.NET`` has 1)."""
        self.simple = simple
        """The name is one plain word: finding the word at word boundaries is the whole match."""
        self.first, self.second = first, second
        """The name's first two words, for a cheap check before the confirming pattern runs."""
        self._exact: Optional["regex.Pattern[str]"] = None
        self._folded: Optional["regex.Pattern[str]"] = None
        self._parts: Optional[tuple] = None

    def pattern(self, ignore_case: bool) -> "regex.Pattern[str]":
        """Return the pattern confirming the name at a position, case-sensitive or not."""
        if ignore_case:
            if self._folded is None:
                self._folded = _pattern(self.name, regex.I)
            return self._folded
        if self._exact is None:
            self._exact = _pattern(self.name, 0)
        return self._exact

    def match_end(self, text: str, at: int, ignore_case: bool) -> Optional[int]:
        """Return where the name ends when it starts at ``at`` (as ``pattern`` matches it there), else None.

        An ASCII name in ASCII text is compared piece by piece: compiling its pattern took 0.6 ms, for each
        name a run meets (hundreds in a catalog of new products), and comparing is quicker than matching.
        """
        if self._parts is None:
            self._parts = tuple(_name_parts(self.name)) if self.name.isascii() else ()
        if self._parts:
            end = _ascii_match(self._parts, self.name[-1:].isalnum(), text, at, ignore_case)
            if end is not None:
                return end if end >= 0 else None
        hit = self.pattern(ignore_case).match(text, at)
        return hit.end() if hit else None


FLEXIBLE = None
"""In a name's parts, a separator of spaces or hyphens, which matches any spaces and hyphen, or none
("Hamilton Beach", "Hamilton-Beach", "HamiltonBeach")."""
_FLEXIBLE_PATTERN = r"(?:\s*-\s*|\s+)?"


def _name_parts(name: str) -> list[Optional[str]]:
    """Return a name's words and the text between them, with FLEXIBLE for spaces or hyphens between words."""
    parts = regex.split(r"(\w+)", name)
    out: list[Optional[str]] = []
    for i, part in enumerate(parts):
        if i % 2 == 0 and part and 0 < i < len(parts) - 1 and not part.strip(" -\u2010\u2011"):
            out.append(FLEXIBLE)
        elif part:
            out.append(part)
    return out


def _pattern(name: str, flags: int) -> "regex.Pattern[str]":
    return compile_pattern(_pattern_source(name), flags)


def _pattern_source(name: str) -> str:
    """Return the source of a name's pattern: its parts, at word boundaries."""
    body = "".join(_FLEXIBLE_PATTERN if part is FLEXIBLE else regex.escape(part) for part in _name_parts(name))
    tail = r"(?!\w)" if name[-1:].isalnum() else ""
    return r"(?<!\w)" + body + tail


def _leading_tokens(parts: list[Optional[str]]) -> set[str]:
    """Return the ``\\w+`` runs a match of an ASCII name's pattern (its ``_name_parts``) can start with in ASCII
    text, in lower case.

    The run holding the first word is that word, or it and the words after it run together where only spaces or
    hyphens separate them in the name (which the pattern lets the text leave out): "Hamilton Beach" starts
    "hamilton" or "hamiltonbeach".
    """
    words = [i for i, p in enumerate(parts) if p is not FLEXIBLE and TOKEN.fullmatch(p)]
    if not words:
        return set()
    run = parts[words[0]].lower()
    found = {run}
    i = words[0] + 1
    while i + 1 < len(parts) and parts[i] is FLEXIBLE and parts[i + 1] is not FLEXIBLE and TOKEN.fullmatch(parts[i + 1]):
        run += parts[i + 1].lower()
        found.add(run)
        i += 2
    return found


_ASCII_SPACE = frozenset(" \t\n\x0b\x0c\r")
"""The ASCII characters ``\\s`` matches."""
_ASCII_WORD = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
"""The ASCII characters ``\\w`` matches."""


def _ascii_match(parts: tuple, word_end: bool, text: str, at: int, ignore_case: bool) -> Optional[int]:
    """Match an ASCII name's parts at ``at`` as its pattern would: return the end, -1 for no match, or None
    where the text is not ASCII (a non-ASCII space or letter may match what an ASCII one would; the pattern
    decides)."""
    n = len(text)
    if at > 0:
        before = text[at - 1]
        if before >= "\x80":
            return None
        if before in _ASCII_WORD:
            return -1
    pos = at
    for part in parts:
        if part is FLEXIBLE:
            # (?:\s*-\s*|\s+)? before a word: the spaces, a hyphen and the spaces after it, or only spaces, or
            # nothing; which one is settled by the text (a word never starts with a space or a hyphen).
            j = pos
            while j < n and text[j] in _ASCII_SPACE:
                j += 1
            if j < n and text[j] == "-":
                j += 1
                while j < n and text[j] in _ASCII_SPACE:
                    j += 1
            elif j < n and text[j] >= "\x80":
                return None
            pos = j
            continue
        end = pos + len(part)
        piece = text[pos:end]
        if not piece.isascii():
            return None
        if (piece.lower() != part.lower()) if ignore_case else (piece != part):
            return -1
        pos = end
    if word_end and pos < n:
        after = text[pos]
        if after >= "\x80":
            return None
        if after in _ASCII_WORD:
            return -1
    return pos


def _first_key(entry: BrandEntry, ignore_case: bool, upper: bool) -> str:
    """Return a name's first word as the table it was found in keys it: in capitals for the capitals table
    ("THE" for "The North Face"), case-folded for search terms, else as written."""
    return entry.first.upper() if upper else entry.first.casefold() if ignore_case else entry.first


def _key(name: str) -> str:
    """Return a name's words run together and case-folded: "Hamilton-Beach" and "hamilton beach" are one name."""
    return "".join(TOKEN.findall(name)).casefold()


def py_file_brands(names: list[str], own_keys: "set[str] | frozenset[str]") -> tuple:
    """Return (kept, exact, folded, upper, cjk): the names kept (each has a word; its words run together are no
    number and, case-folded, none of ``own_keys``); each name's place in kept filed by its first word as written,
    and its words run together where it has several (``exact``), the same case-folded (``folded``) and in
    capitals where they differ (``upper``): a key filing one name holds its place, one filing several a list of
    them, longest name first; and the places of names in CJK characters, which are filed in none. The Python
    twin of the compiled ``file_brands``."""
    kept: list[str] = []
    exact: dict[str, list[int]] = {}
    folded: dict[str, list[int]] = {}
    upper: dict[str, list[int]] = {}
    cjk: list[int] = []
    for raw in names:
        tokens = TOKEN.findall(raw)
        if not tokens:
            continue
        joined = "".join(tokens)
        if joined.casefold() in own_keys or joined.isdigit():
            continue  # a number ("42") is a size or a count far more often than a brand
        place = len(kept)
        kept.append(raw)
        if not raw.isascii() and CJK.search(raw):
            cjk.append(place)
            continue
        for k in (tokens[0],) if len(tokens) == 1 else (tokens[0], joined):
            for table, key in ((exact, k), (folded, k.casefold()), (upper, k.upper())):
                if table is not upper or key != k:
                    known = table.setdefault(key, place)
                    if known is not place:
                        table[key] = [*known, place] if type(known) is list else [known, place]
    for table in (exact, folded, upper):
        for places in table.values():
            if type(places) is list:
                places.sort(key=lambda n: -len(kept[n]))
    return kept, exact, folded, upper, cjk


try:
    from .._tokens import file_brands
except ImportError:  # pragma: no cover - an install without a compiler
    file_brands = py_file_brands
try:
    from .._heuristics import confirm_prose
except ImportError:  # pragma: no cover - an install without a compiler
    confirm_prose = None


class BrandMatcher:
    """Find competitor names in text; own brands are removed from the list and shield their spans."""

    def __init__(self, competitors: Iterable[str], own: Iterable[str] = (), ambiguous: Iterable[str] = (),
                 unambiguous: Iterable[str] = ()) -> None:
        own = [o.strip() for o in own if o.strip()]
        own_keys = {_key(o) for o in own}
        self.always_ambiguous = frozenset(_key(n) for n in ambiguous)
        self.never_ambiguous = frozenset(_key(n) for n in unambiguous)
        """Names the config marks as always or never ambiguous, whatever the word frequencies say."""
        # Thousands of names (20,000 in some configs) are filed on every run, a pre-commit hook's included: the
        # tables are made in C (``file_brands``) and file each name by its place in ``_names``; a name's entry is
        # made the first time one of its keys is met in a text (most names never are).
        self._names, exact, folded, upper, cjk = file_brands(list(dict.fromkeys(c.strip() for c in competitors)),
                                                             own_keys)
        self._made: list[Optional[BrandEntry]] = [None] * len(self._names)
        self.exact: dict[str, "int | list"] = exact
        self.folded: dict[str, "int | list"] = folded
        self.upper: dict[str, "int | list"] = upper
        """Keyed by the name's words in capitals, for all-caps copy ("KEEPS ICE LONGER THAN YETI")."""
        self.cjk: list[BrandEntry] = [self._entry(n) for n in cjk]
        self.count = len(self._names)
        self.exact_keys = frozenset(self.exact)
        self.folded_keys = frozenset(self.folded)
        self.upper_keys = frozenset(self.upper)
        self.prose_keys = self.exact_keys | self.upper_keys
        """Every key prose is looked up by."""
        self.prose_table = word_table(self.prose_keys)
        self._own = tuple(_pattern_source(o) for o in own)
        """The sources of the own brands' patterns, in the config's order: one alternation of them finds them."""
        self._own_by_token: dict[str, list[int]] = {}
        self._own_always: list[int] = []
        """Own brands no word of a text rules out (names past ASCII, names ending in "_")."""
        self._own_ascii: list[Optional[tuple[tuple, bool, str]]] = []
        """Each ASCII own brand's parts, whether it ends in a letter or digit, and its first part in lower case: to
        match it in ASCII text without its pattern (``_ascii_match``)."""
        for n, name in enumerate(own):
            parts = _name_parts(name) if name.isascii() else None
            tokens = _leading_tokens(parts) if parts and not name.endswith("_") else set()
            if not tokens:
                self._own_always.append(n)
            for token in tokens:
                self._own_by_token.setdefault(token, []).append(n)
            self._own_ascii.append((tuple(parts), name[-1:].isalnum(), parts[0].lower()) if parts else None)
        self._own_tokens = frozenset(self._own_by_token)
        self._by_second: dict[tuple[int, str], tuple[list, list, dict]] = {}
        self._crowds: tuple[dict, dict] = ({}, {})
        """The prose tables' crowded keys as the compiled ``confirm_prose`` reads them, the registered casing's
        then the capitals': key -> (its names that need no next word, {next word: its names that do})."""

    def _entry(self, n: int) -> BrandEntry:
        """Return the entry of the name filed at ``n`` (made once, and shared by every table filing it)."""
        entry = self._made[n]
        if entry is None:
            raw = self._names[n]
            tokens = TOKEN.findall(raw)
            first = tokens[0]
            entry = self._made[n] = BrandEntry(raw, raw.find(first), simple=first == raw, first=first,
                                               second=tokens[1] if len(tokens) > 1 else "")
        return entry

    def own_spans(self, text: str) -> list[tuple[int, int]]:
        """Return where the seller's own brands stand in a text, as one alternation of their patterns finds them.

        Only the names that can be there are searched: in ASCII text, a name's match starts with one of its
        ``_leading_tokens`` as a whole word, so a name none of whose leading tokens is a word of the text cannot
        match, and leaving it out of the alternation changes no match (the others keep their order). An agency's
        300 own brands cost half again of a lint searched as one alternation in each field with a competitor.
        """
        if not self._own:
            return []
        ascii_text = text.isascii()
        if not ascii_text and any(c in text for c in _ALSO_ASCII):
            return [m.span() for m in _alternation(self._own).finditer(text)]  # a letter the patterns read as ASCII
        # Lower case changes no character's length or word-ness here (the dotted capital I is one of the four
        # above); ``regex``'s \w, which the patterns use, only where the text is past ASCII.
        lowered = text.lower()
        chosen = set(self._own_always)
        for token in self._own_tokens.intersection((TOKEN if ascii_text else _WORD).findall(lowered)):
            chosen.update(self._own_by_token[token])
        if not chosen:
            return []
        order = sorted(chosen)
        if ascii_text and not self._own_always:
            return self._own_in_ascii(order, text, lowered)
        return [m.span() for m in _alternation(tuple(self._own[n] for n in order)).finditer(text)]

    def _own_in_ascii(self, order: list[int], text: str, lowered: str) -> list[tuple[int, int]]:
        """Return the spans the alternation of these own brands (ASCII names) finds in ASCII text, found with
        ``str.find`` and ``_ascii_match``: leftmost first, the earliest name in the config's order where several
        start at one place, the next search from the match's end."""
        found = []
        for n in order:
            parts, word_end, first = self._own_ascii[n]
            pos = lowered.find(first)
            while pos >= 0:
                end = _ascii_match(parts, word_end, text, pos, True)
                if end is not None and end >= 0:
                    found.append((pos, n, end))
                pos = lowered.find(first, pos + 1)
        found.sort()
        spans = []
        resume = 0
        for start, _, end in found:
            if start >= resume:
                spans.append((start, end))
                resume = end
        return spans

    def is_ambiguous(self, entry: BrandEntry, lang: str) -> bool:
        """Tell whether a name needs evidence of brand use: the config's lists first, then the word statistics."""
        if self.always_ambiguous or self.never_ambiguous:
            key = _key(entry.name)
            if key in self.always_ambiguous:
                return True
            if key in self.never_ambiguous:
                return False
        return is_ambiguous_name(entry.name, lang)

    def prose_hits(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, word) of each whole word of prose that starts some name as prose is searched
        (registered casing, or in capitals); most fields hold none, found in one compiled pass."""
        return self.prose_table.words(text, self.prose_keys)

    def prose_hits_each(self, texts: "list[str]") -> list[list[tuple[int, int, str]]]:
        """Return ``prose_hits`` of each text (a listing's fields), in one call."""
        return self.prose_table.words_each(texts, self.prose_keys)

    def find(self, text: str, ignore_case: bool, words: Optional[list] = None,
             hits: Optional[list] = None) -> Iterator[tuple[int, int, BrandEntry]]:
        """Yield (start, end, entry) for each competitor name; ``ignore_case`` folds case (search terms).

        ``words`` are the text's ``\\w+`` words (search terms) and ``hits`` its ``prose_hits`` (prose), when
        the caller has them already.
        """
        if ignore_case:
            # Search terms: a set intersection in C settles most fields before any Python loop.
            if words is None:
                words = TOKEN.findall(text)
            keys = self.exact_keys.intersection(words)
            folded_keys = self.folded_keys.intersection(w.casefold() for w in words)
            if keys or folded_keys:
                search = text.casefold() if folded_keys and len(text.casefold()) == len(text) else None
                yield from self._confirm(text, (
                    *self._occurrences(text, keys, self.exact, False),
                    *(self._occurrences(search, folded_keys, self.folded, True) if search is not None else ())))
        else:
            if hits is None:
                hits = self.prose_hits(text)
            if hits:
                yield from self.confirm_prose(text, hits)
        if self.cjk:
            yield from self._find_cjk(text)

    def confirm_prose(self, text: str, hits: list) -> list[tuple[int, int, BrandEntry]]:
        """Return the names confirmed at prose's ``prose_hits``, as ``_confirm`` finds them; the compiled
        ``confirm_prose`` decides most texts (an ASCII name beside ASCII text), a third faster."""
        if confirm_prose is not None:
            found = confirm_prose(text, hits, self.exact, self.upper, self._names, self._crowded, self._crowds)
            if found is not None:
                return [(start, end, self._entry(n)) for start, end, n in found]
        return list(self._confirm(text, self._prose_occurrences(text, hits)))

    def _crowded(self, table: dict, word: str, capitals: int, text: str, end: int) -> list[int]:
        """The places ``_places_at`` picks under a key filing three names or more, for the compiled confirming."""
        return self._places_at(table, word, bool(capitals), text, end)

    def _prose_occurrences(self, text: str, hits: list) -> Iterator[tuple]:
        for start, _, word in hits:
            if word in self.exact:
                yield start, word, text, self.exact, False
            if word in self.upper:
                yield start, word, text, self.upper, True

    @staticmethod
    def _occurrences(haystack: str, keys: Iterable[str], table: dict, ignore_case: bool) -> Iterator[tuple]:
        """Yield each occurrence of these keys as a whole word of the haystack."""
        for word in keys:
            pos = haystack.find(word)
            while pos >= 0:
                end = pos + len(word)
                if (pos == 0 or not _is_word(haystack[pos - 1])) and (end == len(haystack) or not _is_word(haystack[end])):
                    yield pos, word, haystack, table, ignore_case
                pos = haystack.find(word, pos + 1)

    def _confirm(self, text: str, occurrences: Iterable[tuple]) -> Iterator[tuple[int, int, BrandEntry]]:
        """Confirm the full name at each occurrence (position, key, haystack, table, ignore_case) of a key
        word; longest names win, no overlaps."""
        found: list[tuple[int, int, BrandEntry]] = []
        for pos, word, haystack, table, ignore_case in occurrences:
            end = pos + len(word)
            upper = table is self.upper
            for n in self._places_at(table, word, ignore_case, haystack, end):
                entry = self._entry(n)
                at = pos - entry.prefix_len
                if at < 0:
                    continue
                if entry.simple and (entry.name == word or ignore_case):
                    found.append((pos, end, entry))
                    break
                if entry.second and word == _first_key(entry, ignore_case, upper):
                    # "Google" is followed by "Play" within a separator or two, or it is not Google Play.
                    second = entry.second.casefold() if ignore_case else entry.second
                    window = haystack[end:end + len(second) + 4]
                    if second not in (window.casefold() if upper else window):
                        continue
                end_at = entry.match_end(text, at, ignore_case)
                if end_at is not None:
                    found.append((at, end_at, entry))
                    break
        found.sort(key=lambda t: (t[0], -t[1]))
        resume = 0
        for start, end, entry in found:
            if start >= resume:
                resume = end
                yield start, end, entry

    def _places_at(self, table: dict, word: str, ignore_case: bool, haystack: str, end: int) -> "list[int]":
        """Return the places of the names keyed by ``word`` that could start here, longest first.

        A name of two or more words starting with ``word`` needs its second word to be the text's next one:
        of the dozens of names keyed by "The", only those whose second word follows are tried.
        """
        places = table[word]
        if type(places) is int:
            return [places]
        if len(places) <= 2:
            return places
        upper = table is self.upper
        index = self._by_second.get((id(table), word))
        if index is None:
            # Filed by the names' words, not their entries: of the hundreds of names a list of 20,000 files under
            # "The", a text meets few, and only those get an entry.
            always: list[tuple[int, int]] = []
            by_second: dict[str, list[tuple[int, int]]] = {}
            for rank, n in enumerate(places):
                first, second = self._first_words(n)
                if second and word == (first.upper() if upper else first.casefold() if ignore_case else first):
                    by_second.setdefault(second.casefold() if ignore_case else second, []).append((rank, n))
                else:
                    always.append((rank, n))
            index = self._by_second[(id(table), word)] = ([n for _, n in always], always, by_second)
            if (table is self.exact and not ignore_case) or (upper and ignore_case):
                self._crowds[upper][word] = (index[0], by_second)
        plain, always, by_second = index
        following = NEXT_WORD.match(haystack, end)
        # The capitals table matches without regard to case ("THE North Face" is The North Face too).
        more = by_second.get(following.group(1).casefold() if upper else following.group(1)) if following else None
        return [n for _, n in sorted(always + more)] if more else plain

    def _first_words(self, n: int) -> tuple[str, str]:
        """Return the first two words of the name filed at ``n`` (the second "" for a name of one word)."""
        entry = self._made[n]
        if entry is not None:
            return entry.first, entry.second
        tokens = TOKEN.findall(self._names[n])
        return tokens[0], tokens[1] if len(tokens) > 1 else ""

    def _find_cjk(self, text: str) -> Iterator[tuple[int, int, BrandEntry]]:
        for entry in self.cjk:
            pos = text.find(entry.name)
            while pos >= 0:
                yield pos, pos + len(entry.name), entry
                pos = text.find(entry.name, pos + len(entry.name))


# The last word of every comparison or compatibility cue; the cue regexes run only after one of these.
CUE_WORDS = frozenset("""
than to as like unlike vs versus beat beats outperform outperforms of for fit fits fitting replaces with
als wie que comme à a como di per für pour para con avec mit
""".split())
ARTICLES = frozenset("a an the any other ein eine einen un une uno una le la el il".split())
CJK_CUES = ("比", "媲美", "优于", "胜过", "より", "並み", "适用于", "兼容", "适配", "対応")


def _may_compare_after(text: str, end: int) -> bool:
    """Cheaply tell whether COMPARISON_AFTER could match after a name: the first letter past its blanks and hyphen
    must start one of its words (most names are followed by another word)."""
    first = text[end:end + 8].lstrip().lstrip("-").lstrip()[:1]
    return not first or first in _COMPARISON_AFTER_FIRST  # "": eight blanks or the text's end, the pattern decides


def _may_have_cue(before: str) -> bool:
    """Cheaply tell whether the words before a brand could end in a comparison or compatibility cue."""
    words = TOKEN.findall(before[-30:])
    if words and words[-1].casefold() in ARTICLES:
        words.pop()
    if words and words[-1].casefold() in CUE_WORDS:
        return True
    tail = before[-4:]
    return before.rstrip().endswith(("vs.", "vs")) or (not tail.isascii() and any(c in tail for c in CJK_CUES))


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def fields_with_candidates(fields, ctx) -> list:
    """Return the fields holding a competitor's name (prose) or a word that starts one (search terms).

    Prose is searched by registered casing and by capitals, and its names are confirmed here (``find`` would
    find the same); search terms without regard to case: the same keys ``find`` looks up, so no field
    ``find`` could match in is left out.
    """
    matcher: BrandMatcher = ctx.brands
    if not matcher.count:
        return []
    if matcher.cjk:
        return fields
    out = []
    memo = ctx.listing_memo["brand-found"] = {}
    # Every field's prose hits in one compiled call (search terms' too, which are not read: a listing seldom has
    # them, and filtering them out first cost more than their scan).
    for field, hits in zip(fields, matcher.prose_hits_each(ctx.texts_of(fields))):
        if field.kind is FieldKind.SEARCH_TERMS:
            words = ctx.words_in(field)
            if not matcher.exact_keys.isdisjoint(words) or not matcher.folded_keys.isdisjoint(
                    w.casefold() for w in words):
                out.append(field)
        elif hits:
            found = matcher.confirm_prose(field.text, hits)
            if found and _may_report(field, found, ctx):
                memo[id(field)] = (field, found)
                out.append(field)
    return out


def _may_report(field, found: list, ctx) -> bool:
    """Tell whether ``detect`` could report one of the names found in a prose field: nine in ten are an everyday
    word with no cue and no sign of brand use, and a field holding only those is not handed to it. Until a name
    is reported there is no list for the next to join, so each is read as ``detect`` reads it; the rest of
    ``detect``'s tests (the seller's own names, another thing of that name) only turn names away, and are left
    to it."""
    matcher, lang = _matcher_for(ctx)
    text = field.text
    title = field.kind is FieldKind.TITLE
    for start, end, entry in found:
        # Not ``_unproven``, in the order that settles most names soonest.
        if (not matcher.is_ambiguous(entry, lang) or brand_evidence(text, start, end, entry.name, lang, title)
                is not None or _strong_cue(text, start, end)):
            return True
    return False


def _prose_found(field, matcher: BrandMatcher, ctx) -> list:
    """Return the names ``find`` finds in a prose field (once per field per listing: the gate keeps them)."""
    found = ctx.listing_memo.get("brand-found", {}).get(id(field))
    if found is None or found[0] is not field:
        return list(matcher.find(field.text, False))
    return found[1]


def _matcher_for(ctx) -> tuple[BrandMatcher, str]:
    """Return the competitor matcher as the config reads it (its always/never-ambiguous lists) and the language
    of the config's marketplace."""
    matcher: BrandMatcher = ctx.brands
    config = ctx.config
    if config.ambiguous_brands or config.unambiguous_brands:
        matcher = _with_overrides(matcher, config.ambiguous_brands, config.unambiguous_brands)
    return matcher, language_of(config.marketplace)


def _relation(text: str, start: int, end: int, last: Optional[tuple[int, str]]
              ) -> tuple[Optional[str], Optional[int], bool]:
    """Return how the name at ``[start, end)`` is used: "comparison", "compatibility" or None, where the cue of a
    comparison before it starts, and whether the cue is too common to show brand use of an everyday word by
    itself. ``last`` is the end and relation of the name reported before it: a list ("Yeti, Hydro Flask")
    shares one relation."""
    relation = None
    cue_start = None
    weak_cue = False
    gap = text[last[0]:start] if last is not None else None
    if gap is not None and len(gap) <= 8 and LIST_JOINER.match(gap):
        relation = last[1]
    else:
        relation, cue_start, weak_cue = _cue_before(text, start)
    if relation is None and _may_compare_after(text, end) and COMPARISON_AFTER.match(text, end):
        relation = "comparison"
    if relation is None and text[end:end + 16].lstrip(" -")[:6].casefold() in COMPAT_AFTER:
        relation = "compatibility"
        weak_cue = True  # "Analogue compatible": the name may be the everyday word
    return relation, cue_start, weak_cue


def _cue_before(text: str, start: int) -> tuple[Optional[str], Optional[int], bool]:
    """Return the relation a cue before the name at ``start`` gives it, where the cue starts, and whether it is
    weak (see ``_relation``)."""
    before = text[max(0, start - 60):start]
    if _may_have_cue(before):
        comparison = COMPARISON.search(before)
        if comparison:
            return "comparison", start - len(before) + comparison.start(), simile(comparison.group())
        compatibility = COMPATIBILITY.search(before)
        if compatibility:
            return "compatibility", None, weak_compatibility_cue(compatibility.group())
    return None, None, False


def _strong_cue(text: str, start: int, end: int) -> bool:
    """Tell whether the name at ``[start, end)`` has a cue that shows brand use by itself, as ``_relation`` reads
    it with no name reported before: one before it, or a comparison after it (a compatibility after a name is
    always a weak cue)."""
    relation, _, weak_cue = _cue_before(text, start)
    if relation is not None:
        return not weak_cue
    return _may_compare_after(text, end) and COMPARISON_AFTER.match(text, end) is not None


def _unproven(matcher: BrandMatcher, entry: BrandEntry, lang: str, text: str, start: int, end: int,
              relation: Optional[str], weak_cue: bool, title: bool) -> bool:
    """Tell whether a name in prose is an everyday word with no evidence here that it is the brand: no cue of
    its own ("better than Yeti", "compatible with Apple") and no sign in the words around it."""
    return (matcher.is_ambiguous(entry, lang) and not (relation in ("comparison", "compatibility") and not weak_cue)
            and brand_evidence(text, start, end, entry.name, lang, title) is None)


def detect(field, ctx, options) -> Iterator[Hit]:
    """Classify each competitor name as a comparison (error), compatibility (info) or a mention."""
    if not ctx.brands.count:
        return
    matcher, lang = _matcher_for(ctx)
    text = field.text
    in_search_terms = field.kind is FieldKind.SEARCH_TERMS
    title = field.kind is FieldKind.TITLE
    shields: "Fixed | tuple | None" = None
    last: Optional[tuple[int, str]] = None
    found = matcher.find(text, True, ctx.words_in(field)) if in_search_terms else _prose_found(field, matcher, ctx)
    for start, end, entry in found:
        if shields is None:
            # Found only once a name is: most fields hold none, and these are two more scans of the text.
            shields = _own_names(text, matcher, getattr(ctx, "listing_brand", None))
        if shields and shields.covers(start, end):
            continue
        relation, cue_start, weak_cue = _relation(text, start, end, last)
        hedged = False
        if in_search_terms:
            # Search terms are keywords, not prose: an everyday word that is also a configured brand
            # ("ninja blender") is likely the brand, but cannot be told apart from the word.
            hedged = relation is None and text[start:end] != entry.name and matcher.is_ambiguous(entry, lang)
        elif _unproven(matcher, entry, lang, text, start, end, relation, weak_cue, title):
            continue
        # Checked last because it is the dearer test and most everyday-word candidates fail the one above.
        if not in_search_terms and named_entity(text, start, end, entry.name, title):
            continue  # "the Stanley Cup", "Coach Ron", "goddess Nike": another thing of the same name
        if relation is None and not in_search_terms and _entity_elsewhere(ctx, entry.name):
            continue  # "Clone Wars Hevy in Training" beside "Clone trooper Hevy is part of Domino Squad"
        last = (end, relation or "mention")
        values = {"match": text[start:end], "brand": entry.name}
        if relation == "comparison":
            yield Hit(field, start, end, values=values, severity=Severity.ERROR, fix_start=cue_start,
                      message="'{match}' is a competitor's brand, named in a comparison.")
        elif relation == "compatibility":
            yield Hit(field, start, end, values=values, severity=Severity.INFO, fixable=False,
                      message="'{match}' is a competitor's brand, named in a compatibility statement: "
                              "allowed only when true, by name only.")
        elif hedged:
            yield Hit(field, start, end, values=values, severity=Severity.WARNING,
                      applicability=Applicability.UNSAFE,
                      message="'{match}' may be the competitor brand {brand}; search terms may not hold brand names.")
        else:
            yield Hit(field, start, end, values=values,
                      applicability=Applicability.SAFE if in_search_terms else None)


def _entity_elsewhere(ctx, name: str) -> bool:
    """Tell whether the listing names another thing with this name somewhere (a character, a person, an event):
    one listing uses a name in one sense, so its bare mentions elsewhere are that thing too."""
    if sum(c.isalpha() for c in name) < 3:
        return False  # a letter or an initialism inside a longer token says nothing about the others
    memo = ctx.listing_memo.setdefault("brand-entities", {})
    found = memo.get(name)
    if found is None:
        found = memo[name] = any(
            named_entity(f.text, start, end, name, f.kind is FieldKind.TITLE)
            for f in ctx.listing_fields if f.kind is not FieldKind.SEARCH_TERMS
            for start, end in _whole_word_spans(name, f.text))
    return found


def _whole_word_spans(name: str, text: str) -> Iterator[tuple[int, int]]:
    """Yield where a name stands as a whole word, as ``name_pattern(name).finditer`` finds it: in ASCII text with
    ``str.find``, sparing new text a pattern compiled for each name."""
    if not (name.isascii() and text.isascii()):
        for m in name_pattern(name).finditer(text):
            yield m.span()
        return
    size = len(name)
    pos = text.find(name)
    while pos >= 0:
        end = pos + size
        if (pos == 0 or text[pos - 1] not in _ASCII_WORD) and (end == len(text) or text[end] not in _ASCII_WORD):
            yield pos, end
            pos = text.find(name, end)
        else:
            pos = text.find(name, pos + 1)


def _own_names(text: str, matcher: BrandMatcher, listing_brand: Optional[str]) -> "Fixed | tuple":
    """Return where the seller's own brands and the listing's brand stand in a text (never competitors); an empty
    tuple when they stand nowhere (most fields)."""
    spans = matcher.own_spans(text)
    if listing_brand:
        spans += _brand_spans(listing_brand, text)
    return Fixed(spans) if spans else ()


_ALSO_ASCII = ("\u212a", "\u017f", "\u0130", "\u0131")
"""The Kelvin sign, the long s and the dotted and dotless i: the only characters past ASCII that ``regex`` matches
to ASCII letters when case is ignored (tests/unit/test_brand_matcher.py checks every character)."""


def _brand_spans(name: str, text: str) -> list[tuple[int, int]]:
    """Return where the listing's own brand stands in a text, in any case, as ``_brand_pattern`` finds it.

    An ASCII name is found with ``str.find`` in the text in lower case: a catalog names hundreds of brands,
    more than the compiled patterns kept, and compiling one cost 54 µs, each listing again (14% of a catalog's
    lint time when its rows named 1,336 brands).
    """
    if name.isascii() and not any(c in text for c in _ALSO_ASCII):
        lowered = text.lower()
        if len(lowered) == len(text):  # each character lowered in place: the offsets are the text's
            key = name.lower()
            size = len(key)
            spans = []
            pos = lowered.find(key)
            while pos >= 0:
                spans.append((pos, pos + size))
                pos = lowered.find(key, pos + size)
            return spans
    return [m.span() for m in _brand_pattern(name).finditer(text)]


@functools.lru_cache(maxsize=8)
def _with_overrides(matcher: BrandMatcher, ambiguous: tuple[str, ...], unambiguous: tuple[str, ...]) -> BrandMatcher:
    """Return a view of the matcher that applies the config's always/never-ambiguous lists."""
    import copy  # only a config with these lists needs it

    view = copy.copy(matcher)
    view.always_ambiguous = frozenset(_key(n) for n in ambiguous)
    view.never_ambiguous = frozenset(_key(n) for n in unambiguous)
    return view


@functools.lru_cache(maxsize=1024)
def _alternation(sources: tuple[str, ...]) -> "regex.Pattern[str]":
    # Compiled once per set of own brands a text can hold: an agency's catalog has about one per brand.
    return compile_pattern("|".join(sources), regex.I)


@functools.lru_cache(maxsize=256)
def _brand_pattern(name: str) -> "regex.Pattern[str]":
    # Catalog rows repeat the same brand: compile its pattern once, not once per field.
    return compile_pattern(regex.escape(name), regex.I)
