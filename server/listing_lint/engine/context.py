"""Layer 3 (engine): what rules share during a lint run: the config and the data compiled from it once."""

from __future__ import annotations

import functools
import re
from typing import Optional

from ..config import Config
from .spec import bundled_rules_dir

WORD = re.compile(r"\w+")

SIZE_PER_LIMIT = 50_000
"""Characters of a field that earn a pattern search or a detector one more rule time limit's worth of time."""


@functools.lru_cache(maxsize=None)
def data_words(name: str) -> frozenset[str]:
    """Return a bundled word list (``rules/data/<name>.txt``), one lower-case term per line."""
    text = (bundled_rules_dir() / "data" / f"{name}.txt").read_text("utf-8").lower()
    if any(space in text for space in (" \n", " \r", "\n ", "\t")) or text[:1].isspace() or text[-1:] == " ":
        words = {line.strip() for line in text.splitlines()}
        return frozenset(w for w in words if w and not w.startswith("#"))
    # One split rather than a loop per line: two of these lists hold 50,000 words, read on most runs. The
    # comments at the top are cut off first; one further down is taken out after the split.
    start = 0
    while text.startswith("#", start):
        end = text.find("\n", start)
        start = len(text) if end < 0 else end + 1
    words = frozenset(text[start:].splitlines())
    if "" in words or "\n#" in text[start:]:
        words = words.difference(_COMMENT.findall(text), ("",))
    return words


_COMMENT = re.compile(r"^#.*$", re.MULTILINE)


class WordList:
    """A bundled word list asked one word at a time (``word in words``), as ``data_words`` reads it.

    The two English lists hold 50,000 words: their set costs about 7 ms to make (lower-casing the text, past
    ASCII, is most of it), which a run asking about a dozen words (one small file saved in an editor) need not
    pay. Until ``SEARCHED`` words have been asked, each is looked for as a whole line of the file's UTF-8 (a few
    hundredths of a millisecond); from then on in the set.
    """

    SEARCHED = 48

    __slots__ = ("name", "_lines", "_asked")

    def __init__(self, name: str) -> None:
        self.name = name
        self._lines: Optional[bytes] = None
        self._asked = 0

    def __contains__(self, word: str) -> bool:
        if self._asked >= self.SEARCHED or not word or "\n" in word or word[0] == "#":
            return word in data_words(self.name)
        self._asked += 1
        lines = self._lines
        if lines is None:
            lines = self._lines = _plain_lines(self.name)
            if not lines:  # a list not written one bare lower-case word per line: read it as data_words does
                self._asked = self.SEARCHED
                return word in data_words(self.name)
        # A lone surrogate encodes to bytes no UTF-8 file holds, as no word of the list is one.
        return b"\n" + word.encode("utf-8", "surrogatepass") + b"\n" in lines


_LINE_BREAKS = b"\t\r\x0b\x0c\x1c\x1d\x1e\x1f"
"""Tab, and what ``str.splitlines`` breaks lines at besides a line feed (the ASCII ones)."""
_ASCII = bytes(range(128))


def _plain_lines(name: str) -> bytes:
    """Return a bundled list's UTF-8 from its first word on, between line breaks, when each line of it is one
    lower-case word as it stands (a member of data_words' set), else b"". Read as bytes: decoded, the text is
    stored two bytes a character (a few letters are past ASCII), and each test over it took ten times longer."""
    raw = (bundled_rules_dir() / "data" / f"{name}.txt").read_bytes()
    start = 0
    while raw.startswith(b"#", start):
        end = raw.find(b"\n", start)
        start = len(raw) if end < 0 else end + 1
    body = raw[start:]
    # bytes.islower() reads ASCII letters only: the few lines past ASCII are decoded and read as text below.
    # A byte first (memchr), its pair only where the byte is there at all: a pair starting with a line break
    # is searched for at every line.
    if (not body.islower() or body[:1] == b" " or body[-1:] == b" "
            or (b" " in body and (b" \n" in body or b"\n " in body)) or (b"#" in body and b"\n#" in body)
            or b"\n\n" in body or len(body.translate(None, _LINE_BREAKS)) != len(body)):
        return b""
    for lead in set(body.translate(None, _ASCII)) & set(range(0xC0, 0x100)):
        at = body.find(bytes((lead,)))
        while at >= 0:
            line_start, line_end = body.rfind(b"\n", 0, at) + 1, body.find(b"\n", at)
            try:
                word = body[line_start:line_end if line_end >= 0 else len(body)].decode("utf-8")
            except UnicodeDecodeError:
                return b""
            if word != word.lower() or word != word.strip() or len(word.splitlines()) != 1:
                return b""
            at = body.find(bytes((lead,)), at + 1)
    return b"\n" + body if body.endswith(b"\n") else b"\n" + body + b"\n"


@functools.lru_cache(maxsize=None)
def word_list(name: str) -> WordList:
    """Return a bundled word list to ask word by word (``rules/data/<name>.txt``; see WordList)."""
    return WordList(name)


@functools.lru_cache(maxsize=None)
def _screen():
    # Imported on first use: the detectors package loads every detector, which a run without them never needs.
    from .detectors.screen import screen_each

    return screen_each


class LintContext:
    """Config plus compiled, cached helpers (the brand matcher) shared by every rule in a run."""

    __slots__ = ("config", "regex_timeout", "listing_brand", "literal_index", "lexicons", "marketplace",
                 "listing_memo", "_brands", "_joined", "_present", "_concepts", "_listing_fields", "_possible",
                 "_reading", "_gate", "_words", "_screen", "_texts")

    def __init__(self, config: Config, regex_timeout: float = 1.0) -> None:
        self.config = config
        self.regex_timeout = regex_timeout
        """Seconds a single pattern may run on a short field before the rule is reported as timed out (see
        ``time_limit`` for a long one)."""
        self.listing_brand: Optional[str] = None
        """The brand of the listing being linted (its own brand is never a competitor)."""
        self.literal_index = None
        """The rule set's LiteralIndex (set once the rules are compiled)."""
        self.lexicons = None
        """The rule set's concept lexicons (set once the rules are compiled, when a rule uses concepts)."""
        self.marketplace: Optional[str] = None
        """The marketplace of the listing being linted (its language is the default for copy without stop
        words)."""
        self.listing_memo: dict = {}
        """What a rule worked out about the listing being linted, for its other fields (cleared per listing)."""
        self._brands = None
        self._joined: tuple = (None, "", None)
        self._screen: tuple = (None, 0, None)
        self._present: tuple = (None, {}, None)
        self._concepts: dict = {}
        self._listing_fields: tuple = ()
        self._possible: dict = {}
        self._reading = None
        self._gate = None
        self._words: dict = {}
        self._texts: tuple = (None, [])

    def time_limit(self, length: int) -> float:
        """Return the seconds a pattern search or detector may run on a field of ``length`` characters.

        The rule time limit, plus as much again per SIZE_PER_LIMIT characters: a search does work in proportion
        to the text (sales-claim's patterns took over a second on a 1.2 MB field of 20,000 claims on a slow
        machine), and only a runaway should stop; a short field keeps the limit as it is.
        """
        return self.regex_timeout * (1 + length / SIZE_PER_LIMIT)

    def texts_of(self, fields) -> list:
        """Return the texts of these fields, in order (a listing's: made once, for every compiled pass over them)."""
        memo = self._texts
        if memo[0] is not fields:
            memo = self._texts = (fields, [f.text for f in fields])
        return memo[1]

    def words_in(self, field) -> list:
        """Return a field's ``\\w+`` words (found once per field per listing: the brand gate and matcher share them)."""
        found = self._words.get(id(field))
        if found is None or found[0] is not field:
            found = self._words[id(field)] = (field, WORD.findall(field.text))
        return found[1]

    def concepts_in(self, field):
        """Return a field's concept occurrences (computed once per field per listing), or None without lexicons."""
        if self.lexicons is None:
            return None
        found = self._concepts.get(id(field))
        if found is None or found[0] is not field:
            from .concepts import find_in_field

            found = self._concepts[id(field)] = (field, find_in_field(field.text, self.lexicons, self.languages()))
        return found[1]

    def possible_concepts(self, field) -> int:
        """Return the bits (``concept_gate().names``) of the concepts that could occur in a field (a cheap
        superset: most fields skip the full pass)."""
        found = self._possible.get(id(field))
        if found is None or found[0] is not field:
            self._listing_reading()
            # Each field was read with the listing; one read since (a field outside it) means reading it again.
            try:
                # A field equal to one of the listing's (same kind, text and place) holds the same concepts.
                index = self._listing_fields.index(field)
            except ValueError:
                index = None
            gate = self.concept_gate()
            concepts = None if index is None else gate.field_concepts(self._listing_fields, index)
            if concepts is None:
                concepts = gate.read(field.text, langs=self.languages()).concepts
            found = self._possible[id(field)] = (field, concepts)
        return found[1]

    def listing_concepts(self) -> int:
        """Return the bits of the concepts that could occur anywhere in the listing (read once per listing)."""
        reading = self._reading
        return (reading if reading is not None else self._listing_reading()).concepts

    def languages(self) -> list:
        """Return the languages the listing being linted is read in (guessed once from all its fields)."""
        return self._listing_reading().langs

    def concept_gate(self):
        """Return the concept gate of the rule set's lexicons."""
        if self._gate is None or self._gate.lexicons is not self.lexicons:
            # Imported on first use: a run whose rules name no concept never loads the lexicon machinery.
            from .concepts import gate

            self._gate = gate(self.lexicons)
        return self._gate

    def _listing_reading(self):
        if self._reading is None:
            fields = self._listing_fields
            self._reading = self.concept_gate().read_fields(self.texts_of(fields), self.marketplace, fields)
        return self._reading

    def new_listing(self, listing) -> None:
        """Forget what was computed for the previous listing's fields; note the listing's marketplace."""
        self._concepts.clear()
        self._possible.clear()
        self._words.clear()
        self.listing_memo.clear()
        self._reading = None
        self._listing_fields = listing.fields
        self.marketplace = listing.marketplace or self.config.marketplace

    @property
    def listing_fields(self) -> tuple:
        """Return the fields of the listing being linted."""
        return self._listing_fields

    def literals_in(self, field) -> frozenset:
        """Return the rule literals occurring in a field (computed once per field per listing)."""
        cache = self._present[1]
        found = cache.get(id(field))
        if found is None:
            found = cache[id(field)] = self.literal_index.present(field.text.lower())
        return found

    def literals_by_field(self, listing) -> dict:
        """Return the rule literals occurring in each of a listing's fields, by the field's ``id``."""
        if self._present[0] is not listing or self._present[2] is None:
            self.literals_in_listing(listing)
        return self._present[1]

    def literals_in_listing(self, listing) -> frozenset:
        """Return the rule literals occurring anywhere in a listing's fields."""
        if self._present[0] is not listing:
            self._present = (listing, {}, None)
        if self._present[2] is None:
            fields = listing.fields
            found = self.literal_index.present_each(self.texts_of(fields))
            self._present[1].update(zip(map(id, fields), found))  # each field's own, for literals_in
            self._present = (listing, self._present[1], frozenset().union(*found))
        return self._present[2]

    def joined_text(self, listing) -> str:
        """Return all of a listing's field texts joined by blank lines (computed once per listing)."""
        if self._joined[0] is not listing:
            self._joined = (listing, "\n\n".join(f.text for f in listing.fields), None)
        return self._joined[1]

    def screen(self, listing) -> int:
        """Return the detectors' screen bits of a listing's fields (``detectors.screen.screen_each``; computed once
        per listing)."""
        if self._screen[0] is not listing:
            self._screen = (listing, *_screen()(self.texts_of(listing.fields)))
        return self._screen[1]

    def field_screens(self, listing) -> "Optional[tuple[int, ...]]":
        """Return the screen bits of each of a listing's fields, in order (None without the compiled screen)."""
        if self._screen[0] is not listing:
            self.screen(listing)
        return self._screen[2]

    def all_ascii(self, listing) -> bool:
        """Tell whether every field of a listing is ASCII text."""
        for field in listing.fields:
            if not field.text.isascii():
                return False
        return True

    def joined_lower(self, listing) -> str:
        """Return :meth:`joined_text` in lower case (computed once per listing)."""
        text = self.joined_text(listing)
        if self._joined[2] is None:
            self._joined = (listing, text, text.lower())
        return self._joined[2]

    @property
    def brands(self):
        """Return the competitor matcher for this config, built on first use."""
        if self._brands is None:
            from .detectors.brand import BrandMatcher

            self._brands = BrandMatcher(self.config.competitors, self.config.own_brands)
        return self._brands

