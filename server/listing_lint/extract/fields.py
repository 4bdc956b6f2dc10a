"""Layer 2 (extract): helpers every format uses to cut fields out of source text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Optional

from ..model import Escape, Field, FieldKind


class ExtractError(NamedTuple):
    """A part of a file that could not be read as a listing (the rest of the file still is)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def field_from_segments(
    kind: FieldKind, source: str, segments: Sequence[tuple[int, int]], index: int = 0, joiner: str = "\n"
) -> Optional[Field]:
    """Build a field from source segments (lines with comments cut out); None when it is empty."""
    if len(segments) == 1:  # most fields: one line, a slice of the source
        s, e = segments[0]
        return Field(kind, source[s:e], s, index) if e > s else None
    segments = [(s, e) for s, e in segments if e > s]
    if not segments:
        return None
    if len(segments) == 1:
        s, e = segments[0]
        return Field(kind, source[s:e], s, index)
    parts, offsets = [], []
    for n, (s, e) in enumerate(segments):
        if n:
            parts.append(joiner)
            # The joiner stands for the gap; it maps onto the end of the previous segment.
            offsets.extend([segments[n - 1][1]] * len(joiner))
        parts.append(source[s:e])
        offsets.extend(range(s, e))
    offsets.append(segments[-1][1])
    return Field(kind, "".join(parts), segments[0][0], index=index, offsets=tuple(offsets))


def field_from_decoded(
    kind: FieldKind, text: str, offsets: Optional[Sequence[int]], start: int, escape: Escape, index: int = 0
) -> Field:
    """Build a field from decoded text (JSON or quoted CSV) and the source offset of each character."""
    return Field(kind, text, start, index=index, offsets=tuple(offsets) if offsets is not None else None,
                 escape=escape)
