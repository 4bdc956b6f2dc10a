"""Layer 2 (extract): turn listing files and records into Listings whose fields point back into the source."""

from __future__ import annotations

from typing import NamedTuple, Optional

from ..model import Listing
from .fields import ExtractError

# Each format's reader is imported when a file of that format is read: a run over Markdown files never
# pays for the catalog, spreadsheet or JSON readers (about 15 ms of start-up).

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
FORMATS = ("markdown", "json", "jsonl", "csv", "tsv", "xlsx")
BINARY_FORMATS = ("xlsx",)
"""Formats read from bytes (extract_workbook), never decoded as text or rewritten by --fix."""


def detect_format(name: str) -> Optional[str]:
    """Return the listing format a file name implies, or None for files that are not listings."""
    lower = name.lower()
    if lower.endswith((".listing.md", ".md", ".markdown")):
        return "markdown"
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".tsv", ".txt", ".tab")):
        return "tsv"
    if lower.endswith(SPREADSHEET_SUFFIXES):
        return "xlsx"
    return None


class Extraction(NamedTuple):
    """What a file held: its listings, the parts that could not be read, and whether it is a listing file."""

    listings: list[Listing]
    errors: list[ExtractError]
    recognised: bool = True
    """False for a catalog with no listing columns (e.g. an unrelated .txt): skipped, not an error."""


def extract(path: str, text: str, fmt: Optional[str] = None, columns: Optional[dict[str, str]] = None,
            marketplace: Optional[str] = None, forced: bool = False) -> Extraction:
    """Extract the listings of a file's text in the given (or detected) format.

    ``columns`` maps catalog header names (case-folded) to roles, from a ``[columns]`` config table.
    A catalog exported from eBay, Shopify, Etsy or Walmart lints its rows for that platform: ``marketplace``
    (the config's) is used when it is on that platform, and ``forced`` (given for the run) always wins.
    """
    fmt = fmt or detect_format(path)
    if fmt == "markdown":
        from .markdown import extract_markdown

        return Extraction(*extract_markdown(path, text))
    if fmt == "json":
        from .json_listing import extract_json

        return Extraction(*extract_json(path, text))
    if fmt == "jsonl":
        from .json_listing import extract_jsonl

        return Extraction(*extract_jsonl(path, text))
    if fmt in ("csv", "tsv"):
        from .catalog import extract_delimited, sniff_delimiter

        delimiter = sniff_delimiter(text, "," if fmt == "csv" else "\t")
        listings, errors, recognised = extract_delimited(path, text, delimiter, custom=columns,
                                                         marketplace=marketplace, forced=forced)
        return Extraction(listings, errors, recognised)
    if fmt in BINARY_FORMATS:
        # A workbook is read from its bytes (extract_workbook); as text (an editor buffer) it holds no listing.
        return Extraction([], [], recognised=False)
    raise ValueError(f"unknown listing format {fmt!r}")


def extract_workbook(path: str, raw: bytes, columns: Optional[dict[str, str]] = None,
                     marketplace: Optional[str] = None, forced: bool = False) -> Extraction:
    """Extract the listings of every sheet of an .xlsx / .xlsm workbook that has a recognised header."""
    from .spreadsheet import extract_spreadsheet

    return Extraction(*extract_spreadsheet(path, raw, columns, marketplace, forced))


_READERS = {
    "extract_delimited": "catalog", "sniff_delimiter": "catalog",
    "extract_json": "json_listing", "extract_jsonl": "json_listing",
    "extract_markdown": "markdown", "extract_spreadsheet": "spreadsheet",
}
"""Each format's reader, importable from this package as before, loaded on first use (PEP 562)."""


def __getattr__(name: str):
    module = _READERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)
