"""Layer 5b (CLI): render findings as text (with carets and colour), JSON, SARIF 2.1.0 or GitHub annotations."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from typing import Any, Optional, TextIO

from ..diagnostics import Applicability, Severity
from ..engine.spec import RuleSpec
from .records import READ_ERROR, Record, read_error_record
from .safe_text import escape

COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36", Severity.HINT: "37"}


class Style:
    """ANSI colour, or nothing when the output is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text


def _width(text: str) -> int:
    """Terminal cells a string takes (CJK and emoji are two wide)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def write_text(records: list[Record], out: TextIO, style: Style, show_source: bool = True) -> None:
    """Write ruff-style findings: location, code, slug, message, the source line with a caret, and the fix.

    Everything taken from the listing or its file name is escaped (``safe_text``): an ESC in a supplier's
    file must not reach the terminal, and a match across a line break stays on its finding's one line.
    """
    parts: list[str] = []  # one write per file: a write costs more than the line it writes
    for r in records:
        f = r.finding
        loc = style("1", f"{escape(r.where)}:")
        sku = f" [{escape(r.sku)}]" if r.sku else ""
        sev = style(COLORS[f.severity], f.severity.label)
        parts.append(f"{loc} {style('1;' + COLORS[f.severity], f.code)} {style('2', f.rule)} {sev}{sku} "
                     f"{escape(f.field)}: {escape(f.message)}\n")
        if show_source:
            line = r.line_text.replace("\t", " ")
            if len(line) > 160:  # keep huge single-line catalogs readable: show the part around the span
                lo = max(0, r.start.column - 60)
                prefix = "…" if lo else ""
                line, col = prefix + line[lo:lo + 160], r.start.column - lo + len(prefix)
            else:
                col = r.start.column
            end_col = r.end.column if r.end.row == r.start.row else len(line) + 1
            end_col = col + (end_col - r.start.column)
            gutter = str(r.start.row)
            pad = " " * len(gutter)
            # Escaped piece by piece, so the caret still sits under the span when escapes widen the line.
            before, span = escape(line[:col - 1]), escape(line[col - 1:end_col - 1])
            caret_start = _width(before)
            caret_len = max(1, _width(span))
            line = before + span + escape(line[end_col - 1:])
            parts.append(f"{style('34', pad + ' |')}\n{style('34', gutter + ' |')} {line}\n")
            parts.append(f"{style('34', pad + ' |')} {' ' * caret_start}{style(COLORS[f.severity], '^' * caret_len)}\n")
            if f.fix is not None:
                label = {Applicability.SAFE: "fix", Applicability.UNSAFE: "fix (review before applying)",
                         Applicability.DISPLAY_ONLY: "suggestion"}[f.fix.applicability]
                parts.append(f"{style('34', pad + ' =')} {style('32', label)}: {escape(f.fix.title)}\n")
            parts.append("\n")
    if parts:
        out.write("".join(parts))


class Tally:
    """Counts kept while findings stream past: enough for the summary and --statistics without the findings."""

    def __init__(self) -> None:
        self.total = 0
        self.by_severity: Counter[Severity] = Counter()
        self.by_rule: Counter[tuple[str, str]] = Counter()
        self.fixable_rules: Counter[tuple[str, str]] = Counter()
        self.safe = self.unsafe = 0
        self.failing = False

    def add(self, records: list[Record]) -> None:
        """Count a batch of findings."""
        for r in records:
            f = r.finding
            self.total += 1
            self.by_severity[f.severity] += 1
            self.by_rule[(f.code, f.rule)] += 1
            if f.severity >= Severity.WARNING:
                self.failing = True
            fix = f.fix
            if fix is not None:
                if fix.applies(Applicability.SAFE):
                    self.safe += 1
                    self.fixable_rules[(f.code, f.rule)] += 1
                elif fix.applicability is Applicability.UNSAFE:
                    self.unsafe += 1


def summary(tally: Tally, listings: int, files: int, skipped: int, fixed: int, style: Style,
            unsafe_enabled: bool) -> str:
    """Return the closing summary line(s)."""
    parts = []
    if fixed:
        parts.append(style("32", f"Fixed {fixed} problem{'s' if fixed != 1 else ''}."))
    n = tally.total
    if n:
        by = tally.by_severity
        detail = ", ".join(f"{by[s]} {s.label}{'s' if by[s] != 1 and s is not Severity.INFO else ''}"
                           for s in sorted(by, reverse=True))
        line = f"Found {n} problem{'s' if n != 1 else ''} ({detail}) in {files} file{'s' if files != 1 else ''}, " \
               f"{listings} listing{'s' if listings != 1 else ''}."
        parts.append(style("1", line))
        fixable = []
        if tally.safe:
            fixable.append(f"{tally.safe} fixable with --fix")
        if tally.unsafe and not unsafe_enabled:
            fixable.append(f"{tally.unsafe} more to review before applying (--fix --unsafe-fixes)")
        if fixable:
            parts.append("[*] " + ", ".join(fixable) + ".")
    else:
        parts.append(style("32", f"All clear: {listings} listing{'s' if listings != 1 else ''} in {files} "
                                 f"file{'s' if files != 1 else ''}, no problems."))
    if skipped:
        parts.append(skipped_line(skipped))
    return "\n".join(parts) + "\n"


def write_statistics(tally: Tally, out: TextIO) -> None:
    """Print findings per rule, most frequent first (like ``ruff --statistics``)."""
    width = max((len(str(n)) for n in tally.by_rule.values()), default=1)
    for (code, rule), n in sorted(tally.by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = "[*]" if tally.fixable_rules[(code, rule)] else "   "
        out.write(f"{n:>{width}}\t{code}\t{mark} {rule}\n")


def skipped_line(skipped: int) -> str:
    """Return the sentence counting files that were not listings."""
    return f"Skipped {skipped} file that is not a listing." if skipped == 1 else \
        f"Skipped {skipped} files that are not listings."


class JsonArrayWriter:
    """Write findings as one JSON array (schema documented in the README) while they stream in."""

    def __init__(self, out: TextIO):
        self.out = out
        self.count = 0

    def write(self, records: list[Record]) -> None:
        """Append findings to the array."""
        for r in records:
            item = json.dumps(r.to_json(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
            self.out.write(("[\n  " if self.count == 0 else ",\n  ") + item)
            self.count += 1

    def problem(self, text: str) -> None:
        """Append a file that could not be read, as a record with rule ``read-error``."""
        name, message, line, col = parse_problem(text)
        item = json.dumps(read_error_record(name, message, line, col), ensure_ascii=False, indent=2)
        self.out.write(("[\n  " if self.count == 0 else ",\n  ") + item.replace("\n", "\n  "))
        self.count += 1

    def close(self) -> None:
        """End the array."""
        self.out.write("[]\n" if self.count == 0 else "\n]\n")


def write_github(records: list[Record], out: TextIO) -> None:
    """Write GitHub Actions workflow annotations."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.HINT: "notice"}

    def esc(s: str, prop: bool = False) -> str:
        s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return s.replace(":", "%3A").replace(",", "%2C") if prop else s

    for r in records:
        f = r.finding
        out.write(f"::{level[f.severity]} file={esc(r.filename, True)},line={r.start.row},col={r.start.column},"
                  f"endLine={r.end.row},endColumn={r.end.column},title={esc(f'{f.code} {f.rule}', True)}::"
                  f"{esc(f'{r.cell}: ' if r.cell else '')}{esc(f.message)}\n")


def sarif(records: list[Record], specs: list[RuleSpec], problems: Optional[list[str]] = None) -> dict[str, Any]:
    """Return a SARIF 2.1.0 log of the findings (see cli/sarif.py), unreadable files as notifications."""
    from .sarif import sarif_log

    return sarif_log(records, specs, [parse_problem(p) for p in problems or []])


# -- read errors and the row-per-finding formats (csv, jsonl) --------------------------------------

_PROBLEM = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: (?P<msg>.*)$", re.S)


def parse_problem(text: str) -> tuple[str, str, int, int]:
    """Split a problem line (``file[:line[:col]]: message``) into file, message, line and column."""
    m = _PROBLEM.match(text)
    if not m:
        return "", text, 1, 1
    return m["file"], m["msg"], int(m["line"] or 1), int(m["col"] or 1)


def github_problem(text: str, out: TextIO) -> None:
    """Write an unreadable file as a GitHub ``::error`` annotation."""
    name, message, line, col = parse_problem(text)
    esc = _github_escape
    where = f"file={esc(name, True)},line={line},col={col}," if name else ""
    out.write(f"::error {where}title={esc(READ_ERROR, True)}::{esc(message)}\n")


def _github_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return s.replace(":", "%3A").replace(",", "%2C") if prop else s


CSV_COLUMNS = ("filename", "cell", "row", "column", "end_row", "end_column", "sku", "field", "code", "rule",
               "severity", "message", "fix", "replacement", "url")


class RowWriter:
    """Write one row per finding (and per unreadable file) as CSV or JSON Lines, while findings stream in."""

    def __init__(self, fmt: str, out: TextIO):
        self.fmt, self.out = fmt, out
        self.csv = None
        if fmt == "csv":
            import csv  # only this format needs it

            self.csv = csv.writer(out, lineterminator="\r\n")
            self.csv.writerow(CSV_COLUMNS)

    def write(self, records: list[Record]) -> None:
        """Write a batch of findings."""
        for r in records:
            self._row(r.to_json())

    def problem(self, text: str) -> None:
        """Write a file that could not be read as a ``read-error`` row."""
        name, message, line, col = parse_problem(text)
        self._row(read_error_record(name, message, line, col))

    def _row(self, d: dict[str, Any]) -> None:
        if self.csv is None:
            self.out.write(json.dumps(d, ensure_ascii=False) + "\n")
            return
        fix = d["fix"]
        # Cells a spreadsheet would run as a formula (=, +, -, @ first) are written as text: CSV injection.
        self.csv.writerow([_cell(v) for v in (
            d["filename"], d["cell"] or "", d["location"]["row"], d["location"]["column"],
            d["end_location"]["row"], d["end_location"]["column"], d["sku"] or "", d["field"] or "", d["code"],
            d["rule"], d["severity"], d["message"], fix["message"] if fix else "",
            " | ".join(e["content"] for e in fix["edits"]) if fix else "", d["url"] or "")])

    def close(self) -> None:
        """Nothing follows the rows; flush them."""
        self.out.flush()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
