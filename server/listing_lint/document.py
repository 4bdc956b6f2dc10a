"""Layer 4 (findings): lint a whole document (any listing format) and fix it; shared by the CLI and the server."""

from __future__ import annotations

from typing import NamedTuple, Optional, TYPE_CHECKING

from .config import Config
from .diagnostics import Applicability, Finding
from .engine.lint import ruleset_for
from .extract import Extraction, extract
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


def lint_text(path: str, text: str, config: Config, fmt: Optional[str] = None) -> DocumentResult:
    """Extract the listings of a document and lint each one."""
    extraction: Extraction = extract(path, text, fmt, config.column_map(), config.marketplace,
                                     config.marketplace_forced)
    rules = ruleset_for(config)
    linted = [LintedListing(listing, rules.lint(listing)) for listing in extraction.listings]
    return DocumentResult(path, text, linted, extraction.errors, extraction.recognised)


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
