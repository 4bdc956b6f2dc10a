"""Layer 2 (extract): .xlsx / .xlsm workbooks (Amazon, Walmart and other templates), one listing per data row.

Read with python-calamine: on a 50,000-row Amazon template it reads every sheet about seven times faster than
openpyxl in read-only mode (bench/xlsx_scale.py). Each sheet that has a recognised header row is read; the
others (Instructions, Valid Values, …) are passed over. A listing's ``text`` is its cells' values joined by
NUL (which a workbook cannot hold), and ``cells`` says which cell each field came from, so findings can name
``Sheet!Cell`` and the character column inside that cell.
"""

from __future__ import annotations

import bisect
import collections
import datetime
import io
from collections.abc import Sequence
from typing import Any, NamedTuple, Optional

from ..model import Field, FieldKind, Listing
from . import SPREADSHEET_SUFFIXES  # noqa: F401 - named by the package, which detect_format needs without this module
from .catalog import Columns, is_label_row, read_header, renumber
from .fields import ExtractError
from .schemas import marketplace_for

JOINER = "\x00"
"""Separates cell values in a sheet listing's text; never inside a cell, so fixes cannot move a boundary."""
HEADER_ROWS = 10


class WorkbookError(Exception):
    """The file is not a workbook that can be read (corrupt, encrypted, or another format under the name)."""


class CellRef(NamedTuple):
    """Where a field's text came from: the sheet, the cell (``C5``) and the cell text's offset in the listing."""

    sheet: str
    ref: str
    row: int
    """1-based spreadsheet row."""
    start: int

    @property
    def name(self) -> str:
        """Return the cell as spreadsheets write it: ``Template!C5``, quoting sheet names with spaces."""
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else "'" + self.sheet.replace("'", "''") + "'"
        return f"{sheet}!{self.ref}"


class SheetListing(collections.namedtuple("SheetListing", (*Listing._fields, "cells"),
                                          defaults=(*Listing._field_defaults.values(), ()))):
    """A listing read from one spreadsheet row: a Listing's fields, and ``cells[i]``, the cell of ``fields[i]``."""

    __slots__ = ()
    cells: tuple[CellRef, ...]
    fields_of = Listing.fields_of

    def cell_at(self, offset: int) -> CellRef:
        """Return the cell holding a text offset."""
        starts = [c.start for c in self.cells]
        return self.cells[max(0, bisect.bisect_right(starts, offset) - 1)]

    def with_text(self, text: str) -> "SheetListing":
        """Return this listing with its cells' values replaced by ``text`` (fixed text, same cell layout)."""
        values = text.split(JOINER)
        fields, cells, pos = [], [], 0
        for f, c, value in zip(self.fields, self.cells, values):
            fields.append(f._replace(text=value, start=pos, offsets=None))
            cells.append(c._replace(start=pos))
            pos += len(value) + 1
        return self._replace(fields=tuple(fields), cells=tuple(cells), text=text)


def column_letters(index: int) -> str:
    """Return the spreadsheet column name of a 0-based index: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_text(value: Any) -> str:
    """Return a cell's value as the text a seller sees (whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def read_workbook(path: str, raw: bytes) -> list[tuple[str, list[list[Any]]]]:
    """Return every sheet of a workbook as (name, rows of raw cell values); raise WorkbookError if unreadable."""
    from python_calamine import CalamineWorkbook  # imported here: only runs that read spreadsheets pay for it

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        # skip_empty_area=False keeps row and column numbers true to the sheet even when it starts at B3.
        return [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]
    except Exception as exc:  # noqa: BLE001 - calamine raises its own, zip and XML errors for broken files
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookError(f"cannot read as a spreadsheet ({detail})") from None


class _Cell:
    """A cell value wrapped for the header readers shared with delimited catalogs."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value


def find_sheet_header(rows: Sequence[Sequence[Any]], custom: Optional[dict[str, str]] = None
                      ) -> Optional[tuple[Columns, int]]:
    """Return the header of a sheet and the 0-based row it is on: the last of consecutive header-like rows."""
    found: Optional[tuple[Columns, int]] = None
    for r, row in enumerate(rows[:HEADER_ROWS]):
        header = read_header([_Cell(cell_text(v)) for v in row], custom)
        if header is not None and (found is None or r == found[1] + 1):
            found = (header, r)
        elif found is not None:
            break
    return found


def extract_spreadsheet(path: str, raw: bytes, custom: Optional[dict[str, str]] = None,
                        marketplace: Optional[str] = None, forced: bool = False,
                        ) -> tuple[list[Listing], list[ExtractError], bool]:
    """Read every sheet with a recognised header; return listings, problems, and whether any sheet had one.

    ``marketplace`` and ``forced`` decide, with each sheet's header, the marketplace of rows that name none.
    """
    try:
        sheets = read_workbook(path, raw)
    except WorkbookError as exc:
        return [], [ExtractError(path, 1, 1, str(exc))], True
    listings: list[Listing] = []
    recognised = False
    for sheet, rows in sheets:
        header = find_sheet_header(rows, custom)
        if header is None:
            continue
        recognised = True
        columns, header_row = header
        market = marketplace_for(columns.schema, marketplace, forced)
        product_at: dict[str, int] = {}  # Shopify handle -> its product's listing, wherever its variants are
        for r in range(header_row + 1, len(rows)):
            values = [cell_text(v) for v in rows[r]]
            if not any(v.strip() for v in values):
                continue
            if r <= header_row + 3 and is_label_row([_Cell(v) for v in values], columns, custom):
                continue
            listing = _row_listing(path, sheet, r, values, columns, market)
            if columns.group is not None:
                value = values[columns.group].strip() if columns.group < len(values) else ""
                at = product_at.get(value) if value else None
                if at is not None:
                    listings[at] = _fold(listings[at], listing)  # a Shopify variant row
                    continue
                if value:
                    product_at[value] = len(listings)
                    if listing.sku is None:
                        listing = listing._replace(sku=value)
            listings.append(listing)
    return listings, [], recognised


def _row_listing(path: str, sheet: str, r: int, values: list[str], columns: Columns,
                 market: Optional[str] = None) -> SheetListing:
    fields: list[Field] = []
    cells: list[CellRef] = []
    parts: list[str] = []
    pos = 0
    for i, kind, n in sorted(columns.fields):
        value = values[i] if i < len(values) else ""
        if not value.strip():
            continue
        fields.append(Field(kind, value, pos, index=n))
        cells.append(CellRef(sheet, f"{column_letters(i)}{r + 1}", r + 1, pos))
        parts.append(value)
        pos += len(value) + 1

    def meta(i: Optional[int]) -> Optional[str]:
        return values[i].strip() or None if i is not None and i < len(values) else None

    return SheetListing(fields=tuple(renumber(fields)), text=JOINER.join(parts), path=path, sku=meta(columns.sku),
                        brand=meta(columns.brand), marketplace=meta(columns.marketplace) or market, line_base=r,
                        cells=tuple(cells))


def _fold(first: Listing, variant: SheetListing) -> Listing:
    """Append a variant row's cells to its product's listing."""
    if not variant.fields or not isinstance(first, SheetListing):
        return first
    shift = len(first.text) + 1
    bullets = len(first.fields_of(FieldKind.BULLET))
    fields = tuple(f._replace(start=f.start + shift, index=f.index + bullets if f.kind is FieldKind.BULLET
                                   else f.index) for f in variant.fields)
    cells = tuple(c._replace(start=c.start + shift) for c in variant.cells)
    return first._replace(fields=first.fields + fields, cells=first.cells + cells,
                          text=first.text + JOINER + variant.text)
