"""Layer 2 (extract): delimited catalogs (``.csv``, ``.tsv``, Amazon ``.txt`` exports), one listing per row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

import attrs

from ..model import Escape, Field, FieldKind, Listing
from .fields import ExtractError, field_from_decoded
from . import names


@attrs.frozen(slots=True)
class Cell:
    """One cell's decoded text and where its characters sit in the source."""

    value: str
    start: int
    offsets: Optional[tuple[int, ...]]
    quoted: bool
    unterminated: bool = False


def iter_records(text: str, delimiter: str, pos: int = 0) -> Iterator[tuple[int, int, list[Cell]]]:
    """Yield (line number, record start offset, cells) for each record; quoted cells may span lines."""
    n = len(text)
    line = 0
    while pos < n:
        record_line = line
        record_start = pos
        cells: list[Cell] = []
        while True:
            if pos < n and text[pos] == '"':
                value, offsets, pos, lines = _quoted(text, pos, delimiter)
                line += lines
                cells.append(Cell(value, offsets[0], tuple(offsets), True, unterminated=pos >= n and
                                  (not value or text[n - 1] != '"' or len(offsets) == len(value) + 1 and
                                   offsets[-1] == n)))
            else:
                stop = pos
                while stop < n and text[stop] not in (delimiter, "\n", "\r"):
                    stop += 1
                cells.append(Cell(text[pos:stop], pos, None, False))
                pos = stop
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            break
        # End of record: a line break (\r\n, \n or \r) or the end of the text.
        if pos < n and text[pos] == "\r":
            pos += 1
        if pos < n and text[pos] == "\n":
            pos += 1
        line += 1
        yield record_line, record_start, cells


def _quoted(text: str, pos: int, delimiter: str) -> tuple[str, list[int], int, int]:
    """Read a quoted cell starting at ``pos``; return value, char offsets (plus end), next pos, lines used."""
    i = pos + 1
    n = len(text)
    chars: list[str] = []
    offsets: list[int] = []
    lines = 0
    while i < n:
        c = text[i]
        if c == '"':
            if i + 1 < n and text[i + 1] == '"':
                chars.append('"')
                offsets.append(i)
                i += 2
                continue
            offsets.append(i)
            i += 1
            # Tolerate junk between the closing quote and the delimiter, as spreadsheet tools do.
            while i < n and text[i] not in (delimiter, "\n", "\r"):
                i += 1
            return "".join(chars), offsets, i, lines
        if c == "\n":
            lines += 1
        chars.append(c)
        offsets.append(i)
        i += 1
    offsets.append(n)
    return "".join(chars), offsets, n, lines


@attrs.frozen
class Columns:
    """Which column holds which field, read from the header row."""

    fields: tuple[tuple[int, FieldKind, int], ...]
    """(column index, field kind, bullet number) triples."""
    sku: Optional[int]
    brand: Optional[int]
    marketplace: Optional[int]


def read_header(cells: list[Cell]) -> Optional[Columns]:
    """Map header cells to fields; None when the row names no listing field."""
    fields: list[tuple[int, FieldKind, int]] = []
    sku = brand = market = None
    bullet_n = 0
    for i, cell in enumerate(cells):
        key = names.column_key(cell.value)
        m = names.BULLET_COLUMN.match(key)
        if key in names.TITLE_COLUMNS:
            fields.append((i, FieldKind.TITLE, 0))
        elif m:
            fields.append((i, FieldKind.BULLET, bullet_n))
            bullet_n += 1
        elif key in names.DESCRIPTION_COLUMNS:
            fields.append((i, FieldKind.DESCRIPTION, 0))
        elif key in names.SEARCH_COLUMNS or names.SEARCH_COLUMN_N.match(key):
            fields.append((i, FieldKind.SEARCH_TERMS, 0))
        elif key in names.INSERT_COLUMNS:
            fields.append((i, FieldKind.INSERT_CARD, 0))
        elif key in names.SKU_COLUMNS and sku is None:
            sku = i
        elif key in names.BRAND_COLUMNS and brand is None:
            brand = i
        elif key in names.MARKETPLACE_COLUMNS and market is None:
            market = i
    if not fields:
        return None
    return Columns(tuple(fields), sku, brand, market)


def sniff_delimiter(text: str, default: str) -> str:
    """Pick tab or comma by counting them in the first line."""
    first = text[: text.find("\n") if "\n" in text else len(text)]
    return "\t" if first.count("\t") > first.count(",") else default


def extract_delimited(path: str, text: str, delimiter: str) -> tuple[list[Listing], list[ExtractError], bool]:
    """Read a catalog; return listings, row errors, and whether a header naming listing columns was found."""
    listings: list[Listing] = []
    errors: list[ExtractError] = []
    columns: Optional[Columns] = None
    width = 0
    header_line = -1
    for line, start, cells in iter_records(text, delimiter):
        if columns is None or line == header_line + 1:
            # Amazon flat files put a template row and a row of labels ("Product Name") above the row of
            # attribute names (item_name): take the last header-like row among the first ones.
            header = read_header(cells)
            if header is not None:
                columns, width, header_line = header, len(cells), line
                continue
            if columns is None:
                if line > 10:
                    return [], [], False
                continue
        if len(cells) == 1 and not cells[0].value.strip():
            continue
        if cells[-1].unterminated:
            errors.append(ExtractError(path, line + 1, 1, "a quoted cell is never closed; the rest of the file "
                                       "was read as that one cell"))
        elif len(cells) > width:
            errors.append(ExtractError(path, line + 1, 1, f"row has {len(cells)} cells but the header has {width}; "
                                       "linted the cells under known columns"))
        listings.append(_row_listing(path, text, cells, columns, delimiter))
    return listings, errors, columns is not None


def _row_listing(path: str, text: str, cells: list[Cell], columns: Columns, delimiter: str) -> Listing:
    fields: list[Field] = []
    for i, kind, n in columns.fields:
        if i >= len(cells):
            continue
        cell = cells[i]
        if not cell.value.strip():
            continue
        escape = Escape.CSV_QUOTED if cell.quoted else (Escape.TSV if delimiter == "\t" else Escape.CSV_BARE)
        fields.append(field_from_decoded(kind, cell.value, cell.offsets, cell.start, escape, index=n))

    def meta(i: Optional[int]) -> Optional[str]:
        return cells[i].value.strip() or None if i is not None and i < len(cells) else None

    bullet_no = 0
    ordered = []
    for f in fields:
        if f.kind is FieldKind.BULLET:
            f = attrs.evolve(f, index=bullet_no)
            bullet_no += 1
        ordered.append(f)
    return Listing(fields=tuple(ordered), text=text, path=path, sku=meta(columns.sku), brand=meta(columns.brand),
                   marketplace=meta(columns.marketplace))
