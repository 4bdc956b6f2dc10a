"""Layer 3 (engine): remember the findings of copy a rule set has linted, for the next listing with the same copy."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Optional

from ..diagnostics import Edit, Finding, Fix
from ..model import Escape, Listing

MAX_SIZE = 6_000_000
"""Roughly the bytes a rule set spends remembering listings: a character of copy counts one, a finding 256."""

MAX_LISTINGS = 8192
"""Listings remembered per rule set."""

FINDING_SIZE = 256
"""What a finding counts towards ``MAX_SIZE`` (about its bytes, with its message and fix)."""

UNBOUNDED = 1 << 62
"""A bound never reached (``document.ListingMemo`` keeps every listing of its document)."""

CELLS = frozenset({Escape.CSV_QUOTED, Escape.CSV_BARE, Escape.TSV})
"""The escapes of catalog cells (``repeat_key``)."""


def _rows(listing: Listing) -> tuple[int, int]:
    """Return the span of whole lines holding a listing's fields, with the last line break."""
    text = listing.text
    lo, hi = len(text), 0
    for f in listing.fields:
        offsets = f.offsets
        s, e = (f.start, f.start + len(f.text)) if offsets is None else (offsets[0], offsets[-1])
        if s < lo:
            lo = s
        if e > hi:
            hi = e
    # Each search stops at the nearest line feed: a text without carriage returns is not searched to its ends.
    before = text.rfind("\n", 0, lo)
    lo = max(before, text.rfind("\r", before + 1, lo)) + 1
    after = text.find("\n", hi)
    cr = text.find("\r", hi, after if after >= 0 else len(text))
    end = cr if cr >= 0 else after
    hi = end + 1 + text.startswith("\r\n", end) if end >= 0 else len(text)
    return lo, hi


def repeat_key(listing: Listing) -> tuple[Optional[tuple], tuple[int, ...]]:
    """Return what a listing's findings depend on, its offsets made relative, and the source spans the findings
    lie in (start, end, start, end...); (None, ()) for a listing that is not remembered.

    Catalogs repeat copy: the FBA and merchant-fulfilled SKUs of one product, one product in several
    marketplaces, variation children, the same export linted twice. The rules read a listing's fields, its brand
    and marketplace, and (to remove a bullet with its line, and at the end of the text the line break before it)
    the lines that hold its fields: the key holds those, so a file's front matter or a row's place in its
    catalog does not matter. A catalog's cells are the exception: nothing reads a cell's source outside it, so
    a row's findings depend on its cells alone, not on the SKU, price or stock beside them, and each cell is a
    span of its own. A field is named by its kind, number, escape and the length of its source: with its text
    (or its span of the source, which holds the text), that fixes where each of its characters stands.
    """
    fields = listing.fields
    if not fields or listing.suppressions:
        return None, ()  # suppressions are by line number, and are rare: such a listing is linted afresh
    # Flat tuples: a run keeps thousands of keys, and the collector walks every tuple it keeps.
    key: list = [True, listing.brand, listing.marketplace]
    spans: list[int] = []
    for f in fields:
        if f.escape not in CELLS:
            break
        offsets = f.offsets
        start, end = (f.start, f.start + len(f.text)) if offsets is None else (offsets[0], offsets[-1])
        key += (f.kind, f.index, f.escape, f.text, end - start)
        spans += (start, end)
    else:
        return tuple(key), tuple(spans)
    lo, hi = _rows(listing)
    key = [False, listing.text[lo:hi], lo == 0, listing.brand, listing.marketplace]
    for f in fields:
        # A field's place relative to the rows, and its length (or, escaped, where its source ends).
        key += (f.kind, f.index, f.escape, f.start - lo, len(f.text) if f.offsets is None else f.offsets[-1] - lo)
    return tuple(key), (lo, hi)


def positions(finding: Finding) -> Iterator[int]:
    """Yield every source offset a finding and its fixes name."""
    yield finding.start
    yield finding.end
    for fix in finding.fixes:
        for edit in fix.edits:
            yield edit.start
            yield edit.end


def moved(finding: Finding, by: int) -> Finding:
    """Return a finding (and its fixes' edits) moved ``by`` characters along the source text."""
    fixes = tuple(Fix(x.title, tuple(Edit(e.start + by, e.end + by, e.new_text) for e in x.edits),
                      x.applicability) for x in finding.fixes) if finding.fixes else ()
    return finding._replace(start=finding.start + by, end=finding.end + by, fixes=fixes)


def span_of(finding: Finding, spans: tuple[int, ...]) -> Optional[int]:
    """Return the place in ``spans`` (start, end, start, end...) of the span that holds a finding and every edit of
    its fixes, or None."""
    start = finding.start
    for n in range(0, len(spans), 2):
        lo, hi = spans[n], spans[n + 1]
        if lo <= start <= hi:
            return n if all(lo <= p <= hi for p in positions(finding)) else None
    return None


def _size(key: tuple, findings: list[Finding]) -> int:
    """Return what a listing counts towards ``MAX_SIZE``: the characters of its key's copy and its findings."""
    copy = sum(map(len, key[6::5])) if key[0] else len(key[1])
    return copy + FINDING_SIZE * len(findings)


def forget_older_half(found: dict) -> int:
    """Forget the older half of a memory's entries (each a tuple whose last item is its size); return the size
    freed. Half at once: a dict gives its oldest key in time proportional to the keys deleted before it."""
    freed = 0
    for old in list(islice(found, len(found) // 2)):
        freed += found.pop(old)[-1]
    return freed


class Repeats:
    """Findings by ``repeat_key``, oldest first, bounded in listings and size.

    Keeping a listing costs more than looking for it (a few microseconds, and the collector walks what is kept),
    and a catalog of new copy would keep every listing for nothing: 30,000 new rows ran 12% slower. So a rule set
    keeps a listing when it first meets it only while the last ``WINDOW`` listings found some (``EAGER_HITS``);
    otherwise it notes each listing's outline (``first_sight``), makes no key for a listing whose outline is new,
    and keeps a listing the second time it meets it. The first window keeps all.
    """

    __slots__ = ("found", "size", "max_size", "max_listings", "hits", "eager", "_looked", "_found", "_seen")

    WINDOW = 4096
    EAGER_HITS = 64
    SEEN = 65536
    """Outlines noted (cleared when full)."""

    def __init__(self, max_size: int = MAX_SIZE, max_listings: int = MAX_LISTINGS) -> None:
        self.found: dict[tuple, tuple] = {}
        """Key -> (the spans, the place of each finding's span, the findings, the entry's size)."""
        self.size = 0
        self.max_size = max_size
        """0 remembers nothing (the benchmarks of the engine's own speed)."""
        self.max_listings = max_listings
        self.hits = 0
        self.eager = True
        """Whether a listing is kept the first time it is met (see the class)."""
        self._looked = self._found = 0
        self._seen: set[int] = set()

    def first_sight(self, listing: Listing) -> bool:
        """Note a listing's outline (its first and last fields' text); tell whether it is new while listings are
        kept only when met again: then it is linted afresh and no key is made."""
        self._looked += 1
        if self._looked >= self.WINDOW:
            self.eager = self._found >= self.EAGER_HITS
            self._looked = self._found = 0
        fields = listing.fields
        outline = hash((fields[0].text, fields[-1].text, len(fields)))
        seen = self._seen
        if outline in seen:
            return False
        if len(seen) >= self.SEEN:
            seen.clear()
        seen.add(outline)
        return not self.eager

    def get(self, key: tuple, spans: tuple[int, ...]) -> Optional[list[Finding]]:
        """Return the findings remembered for a key, each moved as far as its span moved."""
        entry = self.found.get(key)
        if entry is None:
            return None
        self.hits += 1
        self._found += 1
        was, places, findings, _ = entry
        if was == spans:
            return list(findings)
        out = []
        for n, f in zip(places, findings):
            by = spans[n] - was[n]
            out.append(moved(f, by) if by else f)
        return out

    def put(self, key: tuple, spans: tuple[int, ...], findings: list[Finding]) -> None:
        """Remember a listing's findings, unless one reaches outside its spans; past the bounds, the older half of
        the listings is forgotten."""
        found = self.found
        size = _size(key, findings)
        if size > self.max_size // 64 or key in found:
            return  # a huge listing would push out hundreds of ordinary ones
        places = []
        for f in findings:
            n = span_of(f, spans)
            if n is None:
                return
            places.append(n)
        found[key] = (spans, tuple(places), tuple(findings), size)
        self.size += size
        if self.size > self.max_size or len(found) > self.max_listings:
            self.size -= forget_older_half(found)

    def clear(self) -> None:
        """Forget every listing (the rules changed)."""
        self.found.clear()
        self._seen.clear()
        self.size = 0
