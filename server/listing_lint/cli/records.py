"""Layer 5b (CLI): findings with rows and columns resolved, the shape every output format starts from."""

from __future__ import annotations

from typing import Any, Optional

import attrs

from ..diagnostics import Finding
from ..document import DocumentResult
from ..model import LineIndex, Position

SCHEMA_VERSION = 1


@attrs.frozen
class Record:
    """A finding placed in its file: the document, listing SKU, and 1-based positions."""

    filename: str
    sku: Optional[str]
    finding: Finding
    start: Position
    end: Position
    line_text: str
    fix_edits: tuple[tuple[str, Position, Position], ...]

    def to_json(self) -> dict[str, Any]:
        """Return the documented JSON shape (schema version 1)."""
        f = self.finding
        fix = f.fix
        return {
            "filename": self.filename,
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
    """Resolve every finding of a document to rows and columns."""
    out: list[Record] = []
    index: Optional[LineIndex] = None
    name = filename or result.path
    lines: dict[int, str] = {}
    for item in result.listings:
        listing = item.listing
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
    out.sort(key=lambda r: (r.start.row, r.start.column, r.finding.code))
    return out
