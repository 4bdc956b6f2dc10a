"""listing-lint: lint marketplace listing copy for the policy problems that get seller accounts suspended."""

from .config import Config
from .diagnostics import Applicability, Edit, Finding, Fix, Severity
from .model import Field, FieldKind, Listing

__version__ = "0.1.0"


def lint_listing(listing: Listing, config: Config | None = None) -> list[Finding]:
    """Lint one listing with a config (defaults when None) and return its findings, sorted by position.

    Pure and picklable in both directions: safe to call from worker processes or a distributed map step.
    """
    from .engine.lint import lint

    return lint(listing, config or Config())


__all__ = [
    "Applicability", "Config", "Edit", "Field", "FieldKind", "Finding", "Fix", "Listing", "Severity",
    "lint_listing", "__version__",
]
