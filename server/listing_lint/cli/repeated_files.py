"""Layer 5b (CLI): the findings of a Markdown listing file whose copy the run has already met under another SKU."""

from __future__ import annotations

from typing import NamedTuple, Optional

from ..document import DocumentResult
from ..engine.repeats import forget_older_half, moved, positions
from ..extract.markdown import front_matter
from .records import Record

MAX_SIZE = 8_000_000
"""Roughly the bytes a run spends remembering files: a character of copy counts one, a finding 256."""

MAX_FILES = 8192
"""Files remembered per process."""

RECORD_SIZE = 256

Copied = tuple[tuple[Record, ...], int]
"""The records of a file as remembered, and how far a file repeating its copy is moved from it: the result cache
stores those records once for all the files that repeat them (``cli.cache``)."""


class Sighting(NamedTuple):
    """A Markdown file as the memory looks it up: its copy and the front matter values the rules read."""

    key: tuple
    start: int
    """Where the copy after the front matter starts."""
    sku: Optional[str]


class RepeatedFiles:
    """Findings of Markdown listing files, by everything in them but their SKU.

    A folder exported from a catalog holds the same copy many times: one file per SKU (a product's FBA and
    merchant-fulfilled offers, its variations, its other marketplaces), the same text below a front matter that
    differs only in the ``sku:`` line. Everything the rules read is the copy after the front matter, its brand
    and marketplace, and where the copy starts (its line, and its offset, which only moves the findings): a file
    that matches one met before takes its findings, placed at its own rows and columns, without being read as
    Markdown, linted or placed again (about 45 us a file less). The engine's own memory
    (``engine.repeats``) still serves copy repeated at other lines or in catalogs.
    """

    __slots__ = ("found", "size", "hits", "expected")

    def __init__(self) -> None:
        self.found: dict[tuple, tuple[int, tuple[Record, ...], int]] = {}
        """Key -> (where the copy started, the records, the entry's size)."""
        self.size = 0
        self.hits = 0
        self.expected: set[tuple] = set()
        """Keys of files being linted in this batch (``expect``); cleared at its end."""

    @staticmethod
    def look(config_id: int, text: str) -> Optional[Sighting]:
        """Return how a Markdown file is looked up, or None for one never remembered (unclosed front matter)."""
        head = front_matter(text)
        if head is None:
            return None
        meta = head.meta
        key = (config_id, head.lines, meta.get("brand"), meta.get("marketplace"), text[head.end:])
        return Sighting(key, head.end, meta.get("sku"))

    def get(self, seen: Sighting, name: str) -> Optional[tuple[list[Record], Copied]]:
        """Return the records of a file met before, placed in this one (its name, SKU and offsets), and what
        they were placed from, or None."""
        entry = self.found.get(seen.key)
        if entry is None:
            return None
        self.hits += 1
        start, records, _ = entry
        by = seen.start - start
        return ([r._replace(filename=name, sku=seen.sku, finding=moved(r.finding, by) if by else r.finding)
                 for r in records], (records, by))

    def expect(self, seen: Sighting) -> bool:
        """Note that a file not met before is to be linted; False when another of the batch with the same copy
        already is: a batch reads all its files before it lints any, so that one waits to take its findings."""
        if seen.key in self.expected:
            return False
        self.expected.add(seen.key)
        return True

    def put(self, seen: Sighting, result: DocumentResult, records: list[Record]) -> Optional[Copied]:
        """Remember a linted file's records (before ``per-file-ignores`` drops any), unless it had problems;
        return them as remembered (``keep``)."""
        if not result.errors and len(result.listings) == 1 and result.recognised:
            return self.keep(seen, records)
        return None

    def keep(self, seen: Sighting, records: list[Record]) -> Optional[Copied]:
        """Remember a file's records, unless a finding reaches into its front matter; past the bounds, the older
        half of the files is forgotten. Return them as remembered (the file is its own copy, not moved), or None."""
        found = self.found
        key = seen.key
        start = seen.start
        if key in found:
            return None
        if any(p < start for r in records for p in positions(r.finding)):
            return None
        size = len(key[-1]) + RECORD_SIZE * len(records)
        if size > MAX_SIZE // 64:
            return None  # a huge file would push out hundreds of ordinary ones
        kept_records = tuple(records)
        found[key] = (start, kept_records, size)
        self.size += size
        if self.size > MAX_SIZE or len(found) > MAX_FILES:
            self.size -= forget_older_half(found)
        return kept_records, 0
