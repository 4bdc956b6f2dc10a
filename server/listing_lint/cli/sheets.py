"""Layer 5b (CLI): lint a spreadsheet workbook, and show fixes as per-cell replacements instead of rewriting it."""

from __future__ import annotations

import difflib

from ..config import Config
from ..diagnostics import Applicability
from ..document import DocumentResult, LintedListing
from ..engine.lint import ruleset_for
from ..extract import extract_workbook
from ..extract.spreadsheet import JOINER, SheetListing
from ..fixes import fix_text

NO_FIX = ("--fix does not rewrite spreadsheets (their formulas, macros and formatting would be lost); "
          "run with --diff to see the replacement text for each cell")


def lint_workbook(path: str, raw: bytes, config: Config) -> DocumentResult:
    """Extract and lint every listing of a workbook."""
    extraction = extract_workbook(path, raw, config.column_map(), config.marketplace, config.marketplace_forced)
    rules = ruleset_for(config)
    linted = [LintedListing(listing, rules.lint(listing)) for listing in extraction.listings]
    return DocumentResult(path, "", linted, extraction.errors, extraction.recognised)


def cell_diff(result: DocumentResult, config: Config, threshold: Applicability) -> tuple[str, int]:
    """Return a diff of the replacement text of each cell that fixes would change, and the number of fixes."""
    rules = ruleset_for(config)
    out: list[str] = []
    count = 0
    for item in result.listings:
        listing = item.listing
        if not isinstance(listing, SheetListing) or not any(
                f.fix is not None and f.fix.applies(threshold) for f in item.findings):
            continue
        new_text, applied, _ = fix_text(listing.text, lambda t: rules.lint(listing.with_text(t)), threshold)
        if not applied:
            continue
        count += applied
        for cell, before, after in zip(listing.cells, listing.text.split(JOINER), new_text.split(JOINER)):
            if before == after:
                continue
            where = f"{result.path}:{cell.name}"
            out.extend(difflib.unified_diff(before.splitlines() or [""], after.splitlines() or [""],
                                            fromfile=f"a/{where}", tofile=f"b/{where}", lineterm=""))
    return "".join(line + "\n" for line in out), count
