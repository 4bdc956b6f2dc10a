"""Layer 4 (findings): what a rule reports, and the edits that fix it. Pure, picklable data."""

from __future__ import annotations

import enum
from typing import NamedTuple, Optional



class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that ``>=`` compares seriousness."""

    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @property
    def label(self) -> str:
        """Return the lower-case name used in config files and output."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> "Severity":
        """Return the severity named ``value`` (error, warning, info, hint)."""
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning, info or hint)") from None


class Applicability(enum.IntEnum):
    """How far a fix can be trusted to keep the seller's meaning (ruff's model)."""

    DISPLAY_ONLY = 0
    """Shown as a suggestion, never applied by a tool."""
    UNSAFE = 1
    """Applied only with --unsafe-fixes or when the user picks it."""
    SAFE = 2
    """Keeps the meaning; applied by --fix and fix-all."""

    @property
    def label(self) -> str:
        """Return the name used in JSON output."""
        return {0: "display-only", 1: "unsafe", 2: "safe"}[self.value]

    @classmethod
    def parse(cls, value: str) -> "Applicability":
        """Return the applicability named ``value``."""
        table = {"safe": cls.SAFE, "unsafe": cls.UNSAFE, "display-only": cls.DISPLAY_ONLY}
        try:
            return table[value]
        except KeyError:
            raise ValueError(f"unknown applicability {value!r} (expected safe, unsafe or display-only)") from None


class Edit(NamedTuple):
    """Replace ``[start, end)`` of the listing's source text with ``new_text``."""

    start: int
    end: int
    new_text: str


class Fix(NamedTuple):
    """A titled set of non-overlapping edits that resolve one finding."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability

    def applies(self, threshold: Applicability) -> bool:
        """Return whether the fix may be applied at the given threshold."""
        return self.applicability >= threshold and self.applicability > Applicability.DISPLAY_ONLY


class Finding(NamedTuple):
    """One rule violation at ``[start, end)`` of the listing's source text."""

    code: str
    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    field: str
    url: str
    fixes: tuple[Fix, ...] = ()

    @property
    def fix(self) -> Optional[Fix]:
        """Return the main fix, if any."""
        return self.fixes[0] if self.fixes else None
