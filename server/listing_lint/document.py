"""Layer 4 (findings): lint a whole document (any listing format) and fix it; shared by the CLI and the server."""

from __future__ import annotations

from typing import NamedTuple, Optional, TYPE_CHECKING

from .config import Config
from .diagnostics import Applicability, Finding
from .engine.lint import ruleset_for
from .engine.repeats import UNBOUNDED, Repeats, repeat_key
from .extract import Extraction, detect_format, extract
from .extract.fields import ExtractError
from .fixes import fix_text
from .model import Listing

if TYPE_CHECKING:
    from .extract.stream import Slice


class LintedListing(NamedTuple):
    """A listing and its findings."""

    listing: Listing
    findings: list[Finding]


class DocumentResult(NamedTuple):
    """Everything known about one document after linting it."""

    path: str
    text: str
    listings: list[LintedListing]
    errors: list[ExtractError]
    recognised: bool = True

    @property
    def findings(self) -> list[Finding]:
        """Return every finding of every listing, in document order."""
        out = [f for item in self.listings for f in item.findings]
        if len(self.listings) > 1:
            out.sort(key=lambda f: (f.start, f.end, f.code))
        return out


ROW_FORMATS = frozenset({"csv", "tsv", "jsonl"})
"""Formats whose listings are rows of their own (``ListingMemo``)."""


def lint_text(path: str, text: str, config: Config, fmt: Optional[str] = None,
              memo: Optional["ListingMemo"] = None) -> DocumentResult:
    """Extract the listings of a document and lint each one (``memo``: see ``ListingMemo``)."""
    return lint_extraction(path, text, extract_text(path, text, config, fmt), config, fmt, memo)


def extract_text(path: str, text: str, config: Config, fmt: Optional[str] = None) -> Extraction:
    """Extract the listings of a document as the config reads it (its columns and marketplace)."""
    return extract(path, text, fmt, config.column_map(), config.marketplace, config.marketplace_forced)


def lint_extraction(path: str, text: str, extraction: Extraction, config: Config, fmt: Optional[str] = None,
                    memo: Optional["ListingMemo"] = None) -> DocumentResult:
    """Lint each listing ``extract_text`` read from a document."""
    rules = ruleset_for(config)
    by_rows = memo is not None and len(extraction.listings) > 1 and (fmt or detect_format(path)) in ROW_FORMATS
    lint = memo.begin(rules).lint if by_rows else rules.lint
    linted = [LintedListing(listing, lint(listing)) for listing in extraction.listings]
    return DocumentResult(path, text, linted, extraction.errors, extraction.recognised)


class ListingMemo:
    """The findings of a catalog's listings at its last lint, by their copy (``engine.repeats.repeat_key``).

    A catalog open in an editor is linted again on every keystroke; a listing whose cells (or rows) are as they
    were keeps its findings, moved to where they now stand, and only the edited rows are linted again (a
    2,000-row export with 3,446 competitor names: 228 ms an edit before, 58 ms with it). A listing is kept only
    when all its findings and fixes lie within its cells (or rows), and the memo starts afresh with another rule
    set. Unlike the rule set's own memory it holds every listing of the document, however many.
    """

    def __init__(self) -> None:
        self.rules = None
        self.previous = self.kept = Repeats(UNBOUNDED, UNBOUNDED)
        """The listings of the last lint and of this one (a document's listings, however many: no bound)."""

    def begin(self, rules) -> "ListingMemo":
        """Start a lint of the document with these rules: the last lint's listings are read, this one's kept."""
        self.previous = self.kept if self.rules is rules else Repeats(UNBOUNDED, UNBOUNDED)
        self.kept = Repeats(UNBOUNDED, UNBOUNDED)
        self.rules = rules
        return self

    def lint(self, listing: Listing) -> list[Finding]:
        """Return a listing's findings: kept from the last lint when its rows and fields are unchanged."""
        key, spans = repeat_key(listing) if not (listing.offset_base or listing.line_base) else (None, ())
        if key is None:
            return self.rules.lint(listing)
        findings = self.kept.get(key, spans)
        if findings is None:
            findings = self.previous.get(key, spans)
            if findings is None:
                findings = self.rules.lint(listing)
            self.kept.put(key, spans, findings)  # unless a finding or fix reaches outside the listing's rows
        return findings


def lint_slice(piece: Slice, config: Config) -> DocumentResult:
    """Lint a slice of whole rows of a streamed catalog; positions are those of the whole file."""
    listings, errors, recognised = piece.extract()
    rules = ruleset_for(config)
    linted = [LintedListing(listing, rules.lint(listing)) for listing in listings]
    return DocumentResult(piece.path, piece.text, linted, errors, recognised)


def fix_document(
    path: str, text: str, config: Config, threshold: Applicability = Applicability.SAFE, fmt: Optional[str] = None
) -> tuple[str, int, DocumentResult]:
    """Apply fixes at or above ``threshold`` until stable; return the new text, fixes applied and the final result."""
    results: dict[str, DocumentResult] = {}

    def lint(t: str) -> list[Finding]:
        result = results[t] = lint_text(path, t, config, fmt)
        return result.findings

    new_text, applied, _ = fix_text(text, lint, threshold)
    return new_text, applied, results.get(new_text) or lint_text(path, new_text, config, fmt)
