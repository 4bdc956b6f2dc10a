"""Layer 2 (extract): read a large catalog (.jsonl, .csv, .tsv, Amazon .txt) as slices of whole rows, in bounded memory."""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple, Optional

from ..model import Listing
from .catalog import Header, extract_delimited, find_header, iter_records, sniff_delimiter
from .fields import ExtractError
from .json_listing import extract_jsonl
from .source import SourceError, sniff_encoding

STREAMABLE = ("jsonl", "csv", "tsv")
SLICE_CHARS = 1 << 19
"""About how much text one slice holds: big enough to amortise hand-offs, small enough to start output soon. Up
to eight slices wait at once with two jobs: at 1 MiB a 1,000,000-row catalog peaked at 283-292 MB across the
processes, at 512 Ki 218-223 MB, in the same time."""
_READ_BYTES = 1 << 20
GROUP_SLICE_LIMIT = 4
"""A product's rows (Shopify's Handle) stay in one slice unless they run this many slices' worth of text past
the slice's size; then the slice is cut at a row anyway, to keep memory bounded."""


class Slice(NamedTuple):
    """A run of whole rows of a catalog file, with what is needed to read them without the rest of the file."""

    path: str
    fmt: str
    text: str
    line_base: int
    """0-based file line of the slice's first character."""
    delimiter: str = ","
    header: Optional[Header] = None
    """The header found in the first slice (None for the first slice and for JSON Lines)."""
    columns: Optional[dict[str, str]] = None
    """The ``[columns]`` table: catalog header names -> roles."""
    marketplace: Optional[str] = None
    """The configured marketplace, for rows of a platform's export that name none (schemas.marketplace_for)."""
    forced: bool = False
    """Whether ``marketplace`` was given for the run (``--marketplace``) and so applies to every row."""

    def extract(self) -> tuple[list[Listing], list[ExtractError], bool]:
        """Return the slice's listings, row errors, and whether the file is a listing catalog."""
        if self.fmt == "jsonl":
            listings, errors = extract_jsonl(self.path, self.text, self.line_base)
            return listings, errors, True
        return extract_delimited(self.path, self.text, self.delimiter, self.header, self.line_base, self.columns,
                                 self.marketplace, self.forced)


def count_lines(text: str) -> int:
    """Count line breaks as editors and LineIndex do: \\r\\n, \\n and a lone \\r each end a line."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _valid_utf8(stream: BinaryIO) -> bool:
    """Whether the rest of a stream is valid UTF-8 (read once, in bounded memory; the stream is rewound)."""
    start = stream.tell()
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while True:
            chunk = stream.read(_READ_BYTES)
            decoder.decode(chunk, not chunk)
            if not chunk:
                return True
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(start)


def _decoded_pieces(path: str, stream: BinaryIO, fallback: Optional[str] = None) -> Iterator[str]:
    """Decode a file incrementally (UTF-8, the UTF-16/32 its BOM names, or ``fallback``), naming a bad byte's line."""
    head = stream.read(_READ_BYTES)
    encoding, bom = sniff_encoding(path, head)
    if fallback and not bom:
        stream.seek(0)
        if not _valid_utf8(stream):
            encoding = fallback
        stream.seek(len(head))
    skip = len(bom)
    decoder = codecs.getincrementaldecoder(encoding)()
    lines_before = 0
    chunk, final = head[skip:], False
    while True:
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            # The decoder may hold back a few bytes of an unfinished character, so locate the bad byte in
            # this chunk as well as it can be: the line count is exact for UTF-8, the usual case.
            start = max(0, min(exc.start, len(chunk)))
            line = lines_before + chunk.count(b"\n", 0, start) + 1
            raise SourceError(path, f"not valid {encoding.upper()} text near byte {exc.start}; save the file "
                              "as UTF-8 or set `encoding`", line=line) from None
        lines_before += text.count("\n")
        if text:
            yield text
        if final:
            return
        chunk = stream.read(_READ_BYTES)
        final = not chunk


def _cut_jsonl(buffer: str, want: int, at_eof: bool) -> int:
    """Return the end of the first whole line at or after ``want`` (JSON Lines break lines at \n only)."""
    i = buffer.find("\n", want - 1)
    if i >= 0:
        return i + 1
    return len(buffer) if at_eof else buffer.rfind("\n") + 1


def _cut_lines(buffer: str, want: int) -> int:
    """Return the end of the first line that ends at or after ``want`` (or of the last whole line)."""
    # A "\r" at the very end may be half of a "\r\n" still to come, so it cannot end a line yet.
    end = len(buffer) - 1 if buffer.endswith("\r") else len(buffer)
    nl, cr = buffer.find("\n", want - 1, end), buffer.find("\r", want - 1, end)
    hits = [i for i in (nl, cr) if i >= 0]
    if hits:
        i = min(hits)
        return i + 2 if buffer.startswith("\r\n", i) else i + 1
    return max(buffer.rfind("\n", 0, end), buffer.rfind("\r", 0, end)) + 1


def _cut_delimited(buffer: str, delimiter: str, want: int, at_eof: bool) -> int:
    """Return an offset at or after ``want`` where a row of the catalog ends (0 if none is complete yet).

    Mirrors how catalog.iter_records splits rows: a cell that starts with a quote runs to the next quote not
    doubled, then to the next delimiter or line break; any other cell runs to the next delimiter or line break.
    Each row is matched whole by one regular expression (``_row_pattern``): the parent process cuts every slice
    of a catalog, and walking a million rows cell by cell in Python cost it seconds.
    """
    if at_eof:
        return len(buffer)
    if '"' not in buffer:
        return _cut_lines(buffer, want)
    row = _row_pattern(delimiter).match
    n = len(buffer)
    pos = last = 0
    while pos < n:
        m = row(buffer, pos)
        # No whole row yet (a quote not closed, or the last line not ended), or a "\r" at the very end that
        # may be half of a "\r\n" still to come: the row ends in a later read.
        if m is None or (m.end() == n and buffer[-1] == "\r"):
            return last
        pos = last = m.end()
        if last >= want:
            return last
    return last


@functools.lru_cache(maxsize=8)
def _row_pattern(delimiter: str) -> "re.Pattern[str]":
    """Return the pattern of one whole row of a delimited catalog, line break included.

    A quoted cell's closing quote is the first quote not doubled, ``(?!")``, so no backtracking can end it at the
    first half of a doubled one; junk after it runs to the next delimiter or line break, as iter_records reads it.
    """
    d = re.escape(delimiter)
    cell = rf'(?:"[^"]*(?:""[^"]*)*"(?!")[^{d}\r\n]*|(?!")[^{d}\r\n]*)'
    return re.compile(rf"{cell}(?:{d}{cell})*(?:\r\n|\n|\r)")


def _cut_groups(buffer: str, delimiter: str, group: int, want: int, at_eof: bool, limit: int) -> int:
    """Return the start of the first row at or after ``want`` whose group value (Shopify's Handle) differs from
    the row before it (0 if there is none yet), so a product and its variant rows land in the same slice.

    A row is judged only once the next one starts: the last row of the buffer, its group cell included, may
    still grow with the next read. A run of one group's rows going on ``limit`` characters past ``want`` is
    cut at a row anyway.
    """
    if at_eof:
        return len(buffer)
    previous: Optional[str] = None
    pending: Optional[tuple[int, str]] = None
    for _line, start, cells in iter_records(buffer, delimiter):
        if pending is not None:
            row_start, value = pending
            if row_start >= want and (not value or value != previous or row_start >= want + limit):
                return row_start
            previous = value
        pending = (start, cells[group].value.strip() if group < len(cells) else "")
    return 0


def iter_slices(path: Path, fmt: str, display: Optional[str] = None,
                slice_chars: Optional[int] = None, fallback: Optional[str] = None,
                columns: Optional[dict[str, str]] = None, marketplace: Optional[str] = None,
                forced: bool = False) -> Iterator[Slice]:
    """Yield a catalog file as slices of whole rows; raise SourceError for unreadable or non-text files.

    Only one slice and one read buffer are held at a time, so memory does not grow with the file. In a
    catalog with a group column (Shopify's Handle), slices are cut only where the group changes, so a
    product's variant rows fold into its listing as when the file is read whole (when they follow each
    other, as Shopify writes them); a product whose rows run over ``GROUP_SLICE_LIMIT`` slices is cut anyway.
    """
    name = display or str(path)
    # Read at call time, not bound as a default: tests (and tuning) set the module's SLICE_CHARS.
    slice_chars = slice_chars or SLICE_CHARS
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise SourceError(name, f"cannot read: {exc.strerror or exc}") from None
    with stream:
        pieces = _decoded_pieces(name, stream, fallback)
        buffer = ""
        line_base = 0
        delimiter = ","
        header: Optional[Header] = None
        group: Optional[int] = None
        first = True
        at_eof = False
        while not at_eof or buffer:
            while not at_eof and len(buffer) < slice_chars:
                try:
                    buffer += next(pieces)
                except StopIteration:
                    at_eof = True
                except OSError as exc:
                    raise SourceError(name, f"cannot read: {exc.strerror or exc}") from None
            if fmt == "jsonl":
                cut = _cut_jsonl(buffer, min(slice_chars, len(buffer)), at_eof)
            else:
                if first:
                    delimiter = sniff_delimiter(buffer, "," if fmt == "csv" else "\t")
                    found = find_header(buffer, delimiter, columns)
                    group = found.columns.group if found is not None else None
                want = min(slice_chars, len(buffer))
                if group is not None:
                    cut = _cut_groups(buffer, delimiter, group, want, at_eof, slice_chars * GROUP_SLICE_LIMIT)
                else:
                    cut = _cut_delimited(buffer, delimiter, want, at_eof)
            if cut == 0:
                # One row longer than a slice: read on until it ends (a huge row costs memory, not errors).
                try:
                    buffer += next(pieces)
                except StopIteration:
                    at_eof = True
                continue
            text, buffer = buffer[:cut], buffer[cut:]
            yield Slice(name, fmt, text, line_base, delimiter, header, columns, marketplace, forced)
            if first and fmt != "jsonl":
                header = find_header(text, delimiter, columns)
                if header is None:
                    return  # not a listing catalog: the first slice already says so
            first = False
            line_base += count_lines(text)
