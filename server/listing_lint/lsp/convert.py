"""Layer 5a (LSP): convert engine findings (str offsets) to LSP diagnostics and edits (UTF-16 by default).

Each diagnostic is converted once: ``convert_findings`` keeps its lsprotocol object and its JSON per finding
identity, and the next lint of the document reuses both for every finding that the client would see unchanged.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

from ..diagnostics import Applicability, Finding, Severity
from ..model import LineIndex

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}
SOURCE = "listing-lint"


class Positions:
    """Offsets in a document's text to LSP positions in the negotiated encoding, and back.

    With ``skip``, offsets count from that many characters into the text (past a BOM the listing was read
    without): offset 0 is the position of ``text[skip]``.
    """

    def __init__(self, text: str, encoding: Optional[str] = None, skip: int = 0):
        self.text = text
        self.encoding = encoding or types.PositionEncodingKind.Utf16
        self.skip = skip
        self._index: Optional[LineIndex] = None
        self._simple: dict[int, bool] = {}
        """Per line: whether its code units are its code points (then a column needs no counting)."""

    @property
    def index(self) -> LineIndex:
        """Return the line index, built on first use (a document too large to lint never needs one)."""
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def _units(self, s: str) -> int:
        if s.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            return len(s)
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(s.encode("utf-8", "surrogatepass"))
        return len(s.encode("utf-16-le", "surrogatepass")) // 2

    def _is_simple(self, line: int) -> bool:
        simple = self._simple.get(line)
        if simple is None:
            text = self.index.line_text(line)
            simple = self._simple[line] = (
                text.isascii() or self.encoding == types.PositionEncodingKind.Utf32
                or (self.encoding == types.PositionEncodingKind.Utf16 and max(text) < "\U00010000"))
        return simple

    def position(self, offset: int) -> types.Position:
        """Return the LSP position of a character offset."""
        return types.Position(*self.point(offset))

    def point(self, offset: int) -> tuple[int, int]:
        """Return the LSP position of a character offset as (line, character)."""
        return self._point(offset + self.skip)

    def _position(self, offset: int) -> types.Position:
        return types.Position(*self._point(offset))

    def _point(self, offset: int) -> tuple[int, int]:
        line = self.index.line_of(offset)
        start = self.index.line_starts[line]
        # Counting units copies the line up to the offset: on a 1 MB line with many findings that adds up.
        if self._is_simple(line):
            return line, offset - start
        return line, self._units(self.text[start:offset])

    def range(self, start: int, end: int) -> types.Range:
        """Return the LSP range of ``[start, end)``."""
        return types.Range(self.position(start), self.position(end))

    def line_range(self, line: int, column: int = 0) -> types.Range:
        """Return the range from ``column`` (code points) of a 0-based line to the end of its text.

        A column at or past the end (or a line past the last) gives the whole line: every range stays inside
        the document, which some clients require (a character past a line's end is not clamped by all of them).
        """
        starts = self.index.line_starts
        line = min(max(line, 0), len(starts) - 1)
        start = starts[line]
        end = start + len(self.index.line_text(line))
        start = max(start, min(self.skip, end))  # columns of the first line count after the skipped text
        begin = start + max(column, 0)
        return types.Range(self._position(begin if begin < end else start), self._position(end))

    def offset(self, position: types.Position) -> int:
        """Return the character offset of an LSP position (clamped to the line, and to the skipped text)."""
        return max(self._offset(position) - self.skip, 0)

    def _offset(self, position: types.Position) -> int:
        starts = self.index.line_starts
        if position.line >= len(starts):
            return len(self.text)
        start = starts[position.line]
        end = starts[position.line + 1] if position.line + 1 < len(starts) else len(self.text)
        line = self.text[start:end]
        units = 0
        for i, ch in enumerate(line):
            if units >= position.character or ch in "\r\n":
                return start + i
            units += self._units(ch)
        return end


class FastPositionCodec(PositionCodec):
    """pygls's position codec, exact for every position a client may send and fast for most lines.

    pygls converts the positions of every incremental edit by walking the edited line one character at a
    time in Python (about 0.2 ms per position on a 1,000-character description line). When a line has no
    character outside the Basic Multilingual Plane (UTF-16) or only ASCII (UTF-8), a code unit column is
    a character column and the conversion is a clamp.

    A column past the line's end means its end (before the line break), as the LSP specification says, and a
    line past the last one the end of the document. pygls gets both wrong on lines with astral characters: it
    clamps to one unit before the end (cutting off the last character of a final line) and returns the end of
    the document in code units where a character index is expected.
    """

    def position_from_client_units(self, lines, position: types.Position) -> ServerTextPosition:
        """Convert a client position to a character position in ``lines`` (LSP lines, see LspTextDocument)."""
        if not lines:
            return ServerTextPosition(line=0, character=0)
        if position.line >= len(lines):
            return ServerTextPosition(line=len(lines) - 1, character=len(lines[-1]))
        content = lines[position.line].rstrip("\r\n")
        encoding = self.encoding or types.PositionEncodingKind.Utf16
        simple = (encoding == types.PositionEncodingKind.Utf32 or content.isascii()
                  or (encoding == types.PositionEncodingKind.Utf16 and max(content) < "\U00010000"))
        if simple:
            return ServerTextPosition(line=position.line, character=min(position.character, len(content)))
        units = 0
        for i, ch in enumerate(content):
            if units >= position.character:
                return ServerTextPosition(line=position.line, character=i)
            units += self.impl.code_units_for_char(ch)
        return ServerTextPosition(line=position.line, character=len(content))


def fix_title(title: str, applicability: Applicability) -> str:
    """Label a fix for a menu: fixes to read first say so, suggestions say they are suggestions."""
    if applicability is Applicability.UNSAFE:
        return f"{title} (review before applying)"  # "unsafe" is tool jargon; a seller needs the action
    if applicability is Applicability.DISPLAY_ONLY:
        return f"{title} (suggestion)"
    return title


def to_diagnostic(finding: Finding, positions: Positions) -> types.Diagnostic:
    """Build the LSP diagnostic for a finding; its fixes travel in ``data`` so code actions need no re-lint.

    The server converts through ``convert_findings``, which reuses earlier conversions of the same key.
    """
    return _diagnostic(finding, finding_key(finding, positions))


DiagnosticCache = dict
"""Finding identity (``finding_key``) -> (its Diagnostic, that Diagnostic's JSON): one document's last lint."""


def finding_key(finding: Finding, positions: Positions) -> tuple:
    """Return what the client sees of a finding: rule, message, severity, link, range, and each fix in LSP positions.

    Two findings with the same key convert to the same diagnostic. Offsets are not in it: an edit shifts the
    offsets of every finding after it, but the LSP positions only of those on the edited line.
    """
    point = positions.point
    return (finding.code, finding.rule, finding.severity, finding.message, finding.field, finding.url,
            point(finding.start), point(finding.end),
            tuple((fix.title, fix.applicability, tuple((point(e.start), point(e.end), e.new_text) for e in fix.edits))
                  for fix in finding.fixes))


def convert_findings(findings: list[Finding], positions: Positions,
                     previous: Optional[DiagnosticCache] = None) -> tuple[list[types.Diagnostic], list[str],
                                                                          DiagnosticCache]:
    """Return the diagnostics of ``findings``, the JSON of each, and the cache to pass to the next conversion.

    A finding whose key is in ``previous`` (the cache of the document's last lint) reuses its Diagnostic and JSON:
    on an edit, only the findings of the edited line are converted and serialised again. The cache returned
    holds these findings only, so it never outgrows one lint. ``previous`` is only read (a worker thread may
    convert while the event loop publishes the last lint).
    """
    previous = previous or {}
    cache: DiagnosticCache = {}
    diagnostics: list[types.Diagnostic] = []
    payload: list[str] = []
    for finding in findings:
        key = finding_key(finding, positions)
        entry = cache.get(key) or previous.get(key)
        if entry is None:
            diagnostic = _diagnostic(finding, key)
            entry = (diagnostic, diagnostic_json(diagnostic))
        cache[key] = entry
        diagnostics.append(entry[0])
        payload.append(entry[1])
    return diagnostics, payload, cache


def _diagnostic(finding: Finding, key: tuple) -> types.Diagnostic:
    """Build a finding's diagnostic from its key (which holds its positions and its fixes' positions)."""
    start, end, fixes = key[6], key[7], key[8]
    data: dict[str, Any] = {
        "rule": finding.rule,
        "field": finding.field,
        "fixes": [
            {
                "title": title,
                "applicability": applicability.label,
                "edits": [{"range": _points_json(a, b), "newText": new_text} for a, b, new_text in edits],
            }
            for title, applicability, edits in fixes
        ],
    }
    return types.Diagnostic(
        range=types.Range(types.Position(*start), types.Position(*end)),
        message=finding.message,
        severity=SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=finding.url),
        source=SOURCE,
        data=data,
    )


def diagnostic_json(diagnostic: types.Diagnostic) -> str:
    """Return a diagnostic as the JSON pygls would send for it (the fields this server sets; None ones left out).

    Written out here instead of through pygls's cattrs converter: that costs about 10 µs per diagnostic, and
    it is not meant to be used from the worker thread while the event loop uses it too.
    """
    r = diagnostic.range
    out: dict[str, Any] = {"range": _points_json((r.start.line, r.start.character), (r.end.line, r.end.character))}
    if diagnostic.severity is not None:
        out["severity"] = int(diagnostic.severity)
    if diagnostic.code is not None:
        out["code"] = diagnostic.code
    if diagnostic.code_description is not None:
        out["codeDescription"] = {"href": diagnostic.code_description.href}
    if diagnostic.source is not None:
        out["source"] = diagnostic.source
    out["message"] = diagnostic.message
    if diagnostic.tags is not None or diagnostic.related_information is not None:
        raise ValueError("diagnostic_json does not write tags or relatedInformation")
    if diagnostic.data is not None:
        out["data"] = diagnostic.data
    return json.dumps(out)


def _points_json(start: tuple[int, int], end: tuple[int, int]) -> dict[str, Any]:
    return {"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}}


def _range_json(r: types.Range) -> dict[str, Any]:
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def range_from_json(raw: dict[str, Any]) -> types.Range:
    """Rebuild a Range from the plain JSON kept in a diagnostic's data."""
    return types.Range(types.Position(**raw["start"]), types.Position(**raw["end"]))
