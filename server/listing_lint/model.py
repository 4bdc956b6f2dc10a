"""Layer 1 (model): a listing as named fields of text, each mapped back to its place in the source."""

from __future__ import annotations

import bisect
import enum
from itertools import accumulate
from collections.abc import Mapping
from typing import NamedTuple, Optional


class FieldKind(str, enum.Enum):
    """The listing fields the rules can see (Vale's scopes)."""

    TITLE = "title"
    BULLET = "bullet"
    DESCRIPTION = "description"
    INSERT_CARD = "insert_card"
    SEARCH_TERMS = "search_terms"


_KIND_NAMES = {kind: kind.value.replace("_", " ") for kind in FieldKind}
"""Each kind's human name (an enum's ``value`` is a Python property: a dict look-up is a tenth of its cost)."""


class Escape(str, enum.Enum):
    """How text inserted by a fix must be encoded to stay valid in the source format."""

    NONE = "none"
    JSON = "json"
    CSV_QUOTED = "csv-quoted"
    CSV_BARE = "csv-bare"
    """An unquoted CSV cell: text with commas, quotes or line breaks cannot be inserted."""
    TSV = "tsv"
    """A tab-separated cell: text with tabs or line breaks cannot be inserted."""


class Field(NamedTuple):
    """One field's text and the source offset of each of its characters."""

    kind: FieldKind
    text: str
    start: int
    """Source offset of ``text[0]`` when the text is a verbatim slice of the source."""
    index: int = 0
    """Bullet number (0-based); 0 for the other fields."""
    offsets: Optional[tuple[int, ...]] = None
    """Source offset of every character plus one past the end, when escapes make the text differ from the source."""
    escape: Escape = Escape.NONE

    @property
    def name(self) -> str:
        """Return the human name of the field, e.g. ``bullet 2``."""
        if self.kind is FieldKind.BULLET:
            return f"bullet {self.index + 1}"
        return _KIND_NAMES[self.kind]

    def source_offset(self, i: int) -> int:
        """Map an index into ``text`` (0..len inclusive) to an offset in the source text."""
        if self.offsets is None:
            return self.start + i
        return self.offsets[i]

    @property
    def end(self) -> int:
        """Return the source offset one past the field's last character."""
        return self.source_offset(len(self.text))


class Listing(NamedTuple):
    """A product listing: its fields plus the source text their offsets point into."""

    fields: tuple[Field, ...]
    text: str
    """The source text (a whole file, or one catalog row and what surrounds it)."""
    path: str = "<memory>"
    sku: Optional[str] = None
    brand: Optional[str] = None
    marketplace: Optional[str] = None
    line_base: int = 0
    """0-based line number of ``text``'s first line in the file (catalog rows are linted one at a time)."""
    offset_base: int = 0
    """Offset of ``text[0]`` in the whole file."""
    suppressions: Optional[Mapping[int, frozenset[str]]] = None
    """0-based line in ``text`` -> rule selectors disabled there (an empty set disables every rule); None when no
    line disables a rule."""

    def fields_of(self, kind: FieldKind) -> tuple[Field, ...]:
        """Return the fields of one kind, in source order."""
        return tuple(f for f in self.fields if f.kind is kind)


class Position(NamedTuple):
    """A 1-based row and a 1-based column counted in Unicode code points."""

    row: int
    column: int


class LineIndex:
    """Convert offsets in a text to rows and columns (and back)."""

    __slots__ = ("text", "line_starts", "line_base")

    def __init__(self, text: str, line_base: int = 0) -> None:
        self.text = text
        self.line_base = line_base
        if "\r" not in text:
            # Most text: each line is its length and one "\n" after the one before.
            starts = [0, *accumulate(len(line) + 1 for line in text.split("\n"))]
            starts.pop()
            self.line_starts = starts
            return
        starts = [0]
        find = text.find
        # "\r\n", "\n" and a lone "\r" all end a line, as editors count them.
        i = 0
        n = len(text)
        while True:
            j = find("\n", i)
            k = find("\r", i, j if j >= 0 else n)
            if k >= 0:
                nxt = k + 2 if text.startswith("\r\n", k) else k + 1
            elif j >= 0:
                nxt = j + 1
            else:
                break
            starts.append(nxt)
            i = nxt
        self.line_starts = starts

    def line_of(self, offset: int) -> int:
        """Return the 0-based line (within the text) holding ``offset``."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def position(self, offset: int) -> Position:
        """Return the 1-based row and column of ``offset``."""
        line = self.line_of(offset)
        return Position(self.line_base + line + 1, offset - self.line_starts[line] + 1)

    def line_text(self, line: int) -> str:
        """Return the text of a 0-based line without its line ending."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")
