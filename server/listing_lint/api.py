"""Layer 4 (findings): ``lint_text``, the library entry point: lint a file's text, get findings with rows and columns."""

from __future__ import annotations

from typing import NamedTuple, Optional

from .config import Config
from .diagnostics import Finding
from .document import lint_text as _lint_document
from .model import LineIndex


class LocatedFinding(NamedTuple):
    """A finding with its place in the text: 1-based rows, and columns counted in Unicode code points."""

    finding: Finding
    sku: Optional[str]
    """The SKU of the catalog row (None outside catalogs)."""
    row: int
    column: int
    end_row: int
    end_column: int


def lint_text(text: str, filename: str = "listing.listing.md", config: Optional[Config] = None
              ) -> list[LocatedFinding]:
    """Lint the text of a listing file; the file name picks the format (.listing.md, .json, .jsonl, .csv, .tsv, .txt).

    Unreadable parts of the text (e.g. a catalog row with an unclosed quote) are skipped, as the CLI does.
    Example::

        >>> from listing_lint import lint_text
        >>> [(f.finding.code, f.row, f.column) for f in lint_text("# Title\\nKettle, see www.vantora.com\\n")]
        [('POL001', 2, 13)]
    """
    result = _lint_document(filename, text, config or Config())
    out: list[LocatedFinding] = []
    for item in result.listings:
        listing = item.listing
        index = LineIndex(listing.text, listing.line_base)
        for f in item.findings:
            start, end = index.position(f.start), index.position(f.end)
            out.append(LocatedFinding(f, listing.sku, start.row, start.column, end.row, end.column))
    out.sort(key=lambda f: (f.row, f.column, f.finding.code))
    return out
