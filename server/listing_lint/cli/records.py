"""Layer 5b (CLI): findings with rows and columns resolved, the shape every output format starts from."""

from __future__ import annotations

import sys
from typing import Any, NamedTuple, Optional, TYPE_CHECKING

from ..diagnostics import Finding
from ..document import DocumentResult
from ..model import LineIndex, Position

if TYPE_CHECKING:
    from ..extract.spreadsheet import SheetListing

SCHEMA_VERSION = 2
"""Version 2 added ``version`` and ``cell`` to every record, and ``read-error`` records for unreadable files."""
READ_ERROR = "read-error"


class Record(NamedTuple):
    """A finding placed in its file: the document, listing SKU, and 1-based positions."""

    filename: str
    sku: Optional[str]
    finding: Finding
    start: Position
    end: Position
    line_text: str
    fix_edits: tuple[tuple[str, Position, Position], ...]
    cell: Optional[str] = None
    """``Sheet!C5`` for a finding in a spreadsheet (rows are the sheet's, columns count inside the cell)."""

    @property
    def where(self) -> str:
        """Return the finding's place as text output shows it: ``file:row:col`` or ``file:Sheet!C5:col``."""
        if self.cell:
            return f"{self.filename}:{self.cell}:{self.start.column}"
        return f"{self.filename}:{self.start.row}:{self.start.column}"

    def to_json(self) -> dict[str, Any]:
        """Return the documented JSON shape (schema version 2)."""
        f = self.finding
        fix = f.fix
        return {
            "version": SCHEMA_VERSION,
            "filename": self.filename,
            "cell": self.cell,
            "sku": self.sku,
            "field": f.field,
            "code": f.code,
            "rule": f.rule,
            "severity": f.severity.label,
            "message": f.message,
            "url": f.url,
            "location": {"row": self.start.row, "column": self.start.column},
            "end_location": {"row": self.end.row, "column": self.end.column},
            "fix": None if fix is None else {
                "message": fix.title,
                "applicability": fix.applicability.label,
                "edits": [
                    {"content": content, "location": {"row": s.row, "column": s.column},
                     "end_location": {"row": e.row, "column": e.column}}
                    for content, s, e in self.fix_edits
                ],
            },
        }


def records_for(result: DocumentResult, filename: Optional[str] = None) -> list[Record]:
    """Resolve every finding of a document to rows and columns (spreadsheet cells: sheet row, column in the cell)."""
    out: list[Record] = []
    index: Optional[LineIndex] = None
    name = filename or result.path
    lines: dict[int, str] = {}
    sheets = False
    for item in result.listings:
        listing = item.listing
        if _is_sheet(listing):
            # Already in sheet, row and cell order; rows of different sheets must not be interleaved.
            out.extend(_cell_records(listing, item.findings, name))
            sheets = True
            continue
        for f in item.findings:
            if index is None or index.text is not listing.text:
                index = LineIndex(listing.text, listing.line_base)
                lines = {}
            start, end = index.position(f.start), index.position(f.end)
            edits = tuple((e.new_text, index.position(e.start), index.position(e.end))
                          for e in (f.fix.edits if f.fix else ()))
            # Findings on one line share one copy of it: a pasted 1 MB line with thousands of findings
            # would otherwise hold thousands of copies.
            line_no = index.line_of(f.start)
            line = lines.get(line_no)
            if line is None:
                line = lines[line_no] = index.line_text(line_no)
            out.append(Record(name, listing.sku, f, start, end, line, edits))
    if not sheets:
        out.sort(key=lambda r: (r.start.row, r.start.column, r.finding.code))
    return out


def _is_sheet(listing: Any) -> bool:
    # Only the spreadsheet reader makes sheet listings: until a workbook is read it is not imported, and a
    # run over other formats need not import it to learn that none of its listings is one.
    reader = sys.modules.get("listing_lint.extract.spreadsheet")
    return reader is not None and isinstance(listing, reader.SheetListing)


def _cell_records(listing: "SheetListing", findings: list[Finding], name: str) -> list[Record]:
    from ..extract.spreadsheet import JOINER

    out = []
    for f in findings:
        cell = listing.cell_at(f.start)
        value_end = listing.text.find(JOINER, cell.start)
        value = listing.text[cell.start:value_end if value_end >= 0 else len(listing.text)]

        def at(offset: int) -> Position:
            return Position(cell.row, max(0, min(offset - cell.start, len(value))) + 1)

        edits = tuple((e.new_text, at(e.start), at(e.end)) for e in (f.fix.edits if f.fix else ()))
        # A cell may hold line breaks; shown on one line, with the columns kept.
        line = value.replace("\r", " ").replace("\n", " ")
        out.append(Record(name, listing.sku, f, at(f.start), at(f.end), line, edits, cell.name))
    return out


def read_error_record(filename: str, message: str, line: int = 1, column: int = 1) -> dict[str, Any]:
    """Return the JSON record of a file that could not be read (or was named but holds no listing)."""
    return {
        "version": SCHEMA_VERSION, "filename": filename, "cell": None, "sku": None, "field": None,
        "code": READ_ERROR, "rule": READ_ERROR, "severity": "error", "message": message, "url": None,
        "location": {"row": line, "column": column}, "end_location": {"row": line, "column": column}, "fix": None,
    }
