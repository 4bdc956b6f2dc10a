"""Layer 5b (CLI): the ``--show-fixes`` list: every fix, and whether --fix applies it or a person should review it."""

from __future__ import annotations

from typing import TextIO

from ..diagnostics import Applicability
from .formats import Style
from .records import Record
from .safe_text import escape

REVIEW = "review before applying"
"""What a seller reads for a fix that is not safe to apply blind (the JSON field still says "unsafe")."""


def fix_label(applicability: Applicability) -> str:
    """Say, in a seller's words, how a fix of this kind gets applied."""
    return {Applicability.SAFE: "applied by --fix", Applicability.UNSAFE: f"{REVIEW} (--fix --unsafe-fixes)",
            Applicability.DISPLAY_ONLY: "suggestion, never applied"}[applicability]


class FixList:
    """Gather one line per fix while findings stream past, and print them after the findings."""

    def __init__(self) -> None:
        self.lines: list[tuple[Applicability, str]] = []

    def add(self, records: list[Record]) -> None:
        for r in records:
            fix = r.finding.fix
            if fix is not None:
                # Printed on a terminal: the file name, SKU and title (which quotes the listing) are escaped.
                where = f"{escape(r.filename)}:{r.start.row}:{r.start.column}"
                sku = f" [{escape(r.sku)}]" if r.sku else ""
                self.lines.append((fix.applicability, f"{where} {r.finding.code}{sku} {escape(fix.title)}"))

    def write(self, out: TextIO, style: Style) -> None:
        if not self.lines:
            out.write("No fixes available.\n")
            return
        # Safe fixes first: they are what --fix will do; then the ones to read before applying.
        for kind in (Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY):
            lines = [text for k, text in self.lines if k is kind]
            if lines:
                out.write(style("1", f"{len(lines)} fix{'es' if len(lines) != 1 else ''} {fix_label(kind)}:") + "\n")
                out.writelines(f"  {text}\n" for text in lines)
