"""listing-lint: lint marketplace listing copy for the policy problems that get seller accounts suspended."""

import os as _os
import sys as _sys

# `python -m listing_lint` (how editors start the server) puts the current folder first on sys.path, so a
# workspace holding an attrs.py or regex.py would run its code on the imports below. While this package is
# imported by -m (only then is sys.argv[0] "-m"), drop that entry; the package itself is already found.
if _sys.argv[:1] == ["-m"] and _sys.path and not getattr(_sys.flags, "safe_path", False):
    if _os.path.abspath(_sys.path[0] or _os.curdir) == _os.getcwd():
        del _sys.path[0]

from .config import Config  # noqa: E402
from .diagnostics import Applicability, Edit, Finding, Fix, Severity  # noqa: E402
from .model import Field, FieldKind, Listing  # noqa: E402

__version__ = "0.1.0"


def lint_listing(listing: Listing, config: Config | None = None) -> list[Finding]:
    """Lint one listing with a config (defaults when None) and return its findings, sorted by position.

    Pure and picklable in both directions: safe to call from worker processes or a distributed map step.
    """
    from .engine.lint import lint

    return lint(listing, config or Config())


def lint_text(text: str, filename: str = "listing.listing.md", config: Config | None = None) -> list:
    """Lint a listing file's text (format from ``filename``); return findings with 1-based rows and columns.

    See ``listing_lint.api.lint_text``; each item is a ``LocatedFinding`` (finding, sku, row, column, end_row,
    end_column).
    """
    from .api import lint_text as _lint_text

    return _lint_text(text, filename, config)


__all__ = [
    "Applicability", "Config", "Edit", "Field", "FieldKind", "Finding", "Fix", "Listing", "Severity",
    "lint_listing", "lint_text", "__version__",
]
