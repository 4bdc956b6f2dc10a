"""Layer 2 (extract): delimited catalogs (``.csv``, ``.tsv``, Amazon ``.txt`` exports), one listing per row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple, Optional

from ..model import Escape, Field, FieldKind, Listing
from .fields import ExtractError, field_from_decoded
from . import names
from .schemas import Schema, marketplace_for, schema_of


class Cell(NamedTuple):
    """One cell's decoded text and where its characters sit in the source (a tuple: a catalog of a million
    rows makes nine million of them, and a frozen class costs four times as much to make)."""

    value: str
    start: int
    offsets: Optional[tuple[int, ...]]
    quoted: bool
    unterminated: bool = False


def iter_records(text: str, delimiter: str, pos: int = 0, line: int = 0) -> Iterator[tuple[int, int, list[Cell]]]:
    """Yield (line number, record start offset, cells) for each record; quoted cells may span lines."""
    n = len(text)
    stop = _STOPS.get(delimiter) or _STOPS.setdefault(delimiter, re.compile(f"[{re.escape(delimiter)}\r\n]"))
    search = stop.search
    while pos < n:
        record_line = line
        record_start = pos
        cells: list[Cell] = []
        while True:
            if pos < n and text[pos] == '"':
                cell, pos = _quoted(text, pos, search)
                # Count line breaks inside the cell as editors do: \r\n, \n and a lone \r.
                line += text.count("\n", cell.start, pos) + text.count("\r", cell.start, pos) - \
                    text.count("\r\n", cell.start, pos)
                cells.append(cell)
            else:
                m = search(text, pos)
                stop_at = m.start() if m else n
                cells.append(Cell(text[pos:stop_at], pos, None, False))
                pos = stop_at
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


_STOPS: dict[str, re.Pattern[str]] = {}


def _quoted(text: str, pos: int, search) -> tuple[Cell, int]:
    """Read a quoted cell starting at ``pos``; return it and the offset after it (and any junk after its quote).

    Character offsets are kept only when a doubled quote makes the value and the source differ in length.
    """
    start = i = pos + 1
    n = len(text)
    parts: list[str] = []
    offsets: Optional[list[int]] = None
    while True:
        j = text.find('"', i)
        if j < 0:
            # Never closed: the cell runs to the end of the text.
            parts.append(text[i:])
            if offsets is not None:
                offsets.extend(range(i, n + 1))
            return Cell("".join(parts), start, None if offsets is None else tuple(offsets), True, True), n
        if j + 1 < n and text[j + 1] == '"':
            if offsets is None:
                offsets = list(range(start, i))
            parts.append(text[i:j + 1])
            offsets.extend(range(i, j + 1))
            i = j + 2
            continue
        parts.append(text[i:j])
        if offsets is not None:
            offsets.extend(range(i, j + 1))
        # Tolerate junk between the closing quote and the delimiter, as spreadsheet tools do.
        m = search(text, j + 1)
        end = m.start() if m else n
        return Cell("".join(parts), start, None if offsets is None else tuple(offsets), True), end


class Columns(NamedTuple):
    """Which column holds which field, read from the header row."""

    fields: tuple[tuple[int, FieldKind, int], ...]
    """(column index, field kind, bullet number) triples."""
    sku: Optional[int]
    brand: Optional[int]
    marketplace: Optional[int]
    group: Optional[int] = None
    """A column (Shopify's Handle) whose repeated value folds variant rows into the listing above them."""
    schema: Optional[Schema] = None
    """The platform whose export the header is (eBay, Shopify, Etsy, Walmart); None for Amazon's and others."""


ROLES = {"title": FieldKind.TITLE, "bullets": FieldKind.BULLET, "bullet": FieldKind.BULLET,
         "description": FieldKind.DESCRIPTION, "search_terms": FieldKind.SEARCH_TERMS,
         "insert_card": FieldKind.INSERT_CARD}
"""Field roles a ``[columns]`` config table can give a header; ``sku``, ``brand``, ``marketplace`` and ``group``
name the listing's other columns."""
META_ROLES = ("sku", "brand", "marketplace", "group")


def column_role(value: str, custom: Optional[dict[str, str]] = None) -> Optional[str]:
    """Return the role a header cell names (a FieldKind value, 'bullet', or a META_ROLES name), or None."""
    if custom:
        role = custom.get(value.strip().casefold())
        if role is not None:
            return "bullet" if role in ("bullets", "bullet") else role
    key = names.column_key(value)
    if key in names.TITLE_COLUMNS:
        return FieldKind.TITLE.value
    if names.BULLET_COLUMN.match(key):
        return "bullet"
    if key in names.DESCRIPTION_COLUMNS:
        return FieldKind.DESCRIPTION.value
    if key in names.SEARCH_COLUMNS or names.SEARCH_COLUMN_N.match(key):
        return FieldKind.SEARCH_TERMS.value
    if key in names.INSERT_COLUMNS:
        return FieldKind.INSERT_CARD.value
    if key in names.SKU_COLUMNS:
        return "sku"
    if key in names.BRAND_COLUMNS:
        return "brand"
    if key in names.MARKETPLACE_COLUMNS:
        return "marketplace"
    if key in names.GROUP_COLUMNS:
        return "group"
    return None


def read_header(cells: list, custom: Optional[dict[str, str]] = None) -> Optional[Columns]:
    """Map header cells (anything with a ``value``) to fields; None when the row names no listing field."""
    fields: list[tuple[int, FieldKind, int]] = []
    meta: dict[str, int] = {}
    bullet_n = 0
    for i, cell in enumerate(cells):
        role = column_role(cell.value, custom)
        if role is None:
            continue
        if role == "bullet":
            fields.append((i, FieldKind.BULLET, bullet_n))
            bullet_n += 1
        elif role in META_ROLES:
            meta.setdefault(role, i)  # the first SKU column wins (Shopify: Variant SKU; eBay: Custom label)
        else:
            fields.append((i, ROLES[role], 0))
    if not fields:
        return None
    return Columns(tuple(fields), meta.get("sku"), meta.get("brand"), meta.get("marketplace"), meta.get("group"),
                   schema_of([cell.value for cell in cells]))


def is_label_row(cells: list, columns: Columns, custom: Optional[dict[str, str]] = None) -> bool:
    """Whether a row below the header repeats column names (a template's label or attribute row), not data.

    Amazon's templates carry a row of labels ("Item Name") and a row of attribute names (item_name#1.value);
    whichever comes second must not be linted as a listing.
    """
    named = seen = 0
    for i in [c for c, _, _ in columns.fields] + [c for c in (columns.sku,) if c is not None]:
        if i < len(cells) and cells[i].value.strip():
            seen += 1
            named += column_role(cells[i].value, custom) is not None
    return seen > 0 and named * 2 > seen


def sniff_delimiter(text: str, default: str) -> str:
    """Pick tab or comma by counting them in the first line."""
    first = text[: text.find("\n") if "\n" in text else len(text)]
    return "\t" if first.count("\t") > first.count(",") else default


class Header(NamedTuple):
    """The header row of a catalog and where its data rows begin."""

    columns: Columns
    width: int
    body_start: int
    """Offset of the first data row."""
    body_line: int
    """Line counter (as iter_records counts) of the first data row."""


def find_header(text: str, delimiter: str, custom: Optional[dict[str, str]] = None) -> Optional[Header]:
    """Find the row naming listing columns among the first rows; None when the text is not a listing catalog."""
    found: Optional[tuple[Columns, int, int]] = None
    for line, start, cells in iter_records(text, delimiter):
        # Amazon flat files put a template row and a row of labels ("Product Name") above the row of
        # attribute names (item_name): take the last header-like row among the first ones.
        header = read_header(cells, custom)
        if header is not None and (found is None or line == found[2] + 1):
            found = (header, len(cells), line)
            continue
        if found is not None:
            return Header(found[0], found[1], start, line)
        if line > 10:
            return None
    if found is None:
        return None
    return Header(found[0], found[1], len(text), found[2] + 1)


def extract_delimited(path: str, text: str, delimiter: str, header: Optional[Header] = None,
                      line_base: int = 0, custom: Optional[dict[str, str]] = None,
                      marketplace: Optional[str] = None, forced: bool = False,
                      ) -> tuple[list[Listing], list[ExtractError], bool]:
    """Read a catalog; return listings, row errors, and whether a header naming listing columns was found.

    ``header`` is given for a later slice of a streamed catalog, whose header row is in an earlier slice;
    ``line_base`` is the file line the slice starts on; ``custom`` maps header names to roles (``[columns]``).
    ``marketplace`` is the configured one and ``forced`` says it was given for the run: with the header's
    platform they decide the marketplace of rows that name none (schemas.marketplace_for).
    """
    listings: list[Listing] = []
    errors: list[ExtractError] = []
    pos = first_line = 0
    # Label rows sit right under the header: only the first rows of the first slice are checked.
    label_rows = 0
    if header is None:
        header = find_header(text, delimiter, custom)
        if header is None:
            return [], [], False
        pos, first_line = header.body_start, header.body_line
        label_rows = 3
    columns, width = header.columns, header.width
    market = marketplace_for(columns.schema, marketplace, forced)
    # Shopify: handle -> index of its product's listing. Variant rows need not follow their product's row
    # (a sorted or hand-edited export spreads them), so every row with a known handle folds into it.
    product_at: dict[str, int] = {}
    for line, start, cells in iter_records(text, delimiter, pos, first_line):
        if len(cells) == 1 and not cells[0].value.strip():
            continue
        if label_rows:
            label_rows -= 1
            if is_label_row(cells, columns, custom):
                continue
        row = line_base + line + 1
        if cells[-1].unterminated:
            errors.append(ExtractError(path, row, 1, "a quoted cell is never closed; the rest of the file "
                                       "was read as that one cell"))
        elif len(cells) > width:
            errors.append(ExtractError(path, row, 1, f"row has {len(cells)} cells but the header has {width}; "
                                       "linted the cells under known columns"))
        listing = _row_listing(path, text, cells, columns, delimiter, line_base, market)
        if columns.group is not None:
            value = cells[columns.group].value.strip() if columns.group < len(cells) else ""
            at = product_at.get(value) if value else None
            if at is not None:
                # A variant row of a product read earlier (Shopify): its fields, if any, belong to that listing.
                listings[at] = fold(listings[at], listing)
                continue
            if value:
                product_at[value] = len(listings)
                if listing.sku is None:
                    listing = listing._replace(sku=value)
        listings.append(listing)
    return listings, errors, True


def fold(first: Listing, variant: Listing) -> Listing:
    """Add a variant row's fields to its product's listing, keeping the product's SKU, brand and marketplace."""
    if not variant.fields:
        return first
    bullets = len(first.fields_of(FieldKind.BULLET))
    extra = tuple(f._replace(index=f.index + bullets) if f.kind is FieldKind.BULLET else f
                  for f in variant.fields)
    return first._replace(fields=first.fields + extra)


def _row_listing(path: str, text: str, cells: list[Cell], columns: Columns, delimiter: str,
                 line_base: int = 0, market: Optional[str] = None) -> Listing:
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

    return Listing(fields=tuple(renumber(fields)), text=text, path=path, sku=meta(columns.sku),
                   brand=meta(columns.brand), marketplace=meta(columns.marketplace) or market, line_base=line_base)


def renumber(fields: list[Field]) -> list[Field]:
    """Number the bullets of a row 0, 1, 2… in order, skipping empty bullet columns."""
    bullet_no = 0
    ordered = []
    for f in fields:
        if f.kind is FieldKind.BULLET:
            if f.index != bullet_no:  # most rows fill their bullet columns in order: nothing to renumber
                f = f._replace(index=bullet_no)
            bullet_no += 1
        ordered.append(f)
    return ordered
