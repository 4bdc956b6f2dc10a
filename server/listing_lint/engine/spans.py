"""Layer 3 (engine): sets of text spans with overlap and containment checks in logarithmic time.

Kinds and detectors skip a match that overlaps one already reported, or that lies inside a span they
ignore. Checked against a plain list, a field holding thousands of matches (a pasted list of links) made
that quadratic: 20,000 web addresses in one description took half a minute.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable


class Claimed:
    """Spans reported so far; each new one is added only when it overlaps none, so they never overlap."""

    __slots__ = ("starts", "ends")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Tell whether ``[start, end)`` overlaps a span in the set."""
        # The spans are disjoint, so sorted by start they are sorted by end too: the first one ending after
        # ``start`` is the only candidate.
        i = bisect_right(self.ends, start)
        return i < len(self.starts) and self.starts[i] < end

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none in the set (empty spans claim nothing)."""
        if end <= start:
            return
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def claim(self, start: int, end: int) -> bool:
        """Add ``[start, end)`` unless it overlaps a span in the set; tell whether it was added."""
        if self.overlaps(start, end):
            return False
        self.add(start, end)
        return True


class Fixed:
    """A set of spans given at once (they may overlap each other)."""

    __slots__ = ("starts", "max_ends")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_ends: list[int] = []
        """``max_ends[i]``: the furthest end among the first ``i + 1`` spans by start."""
        furthest = -1
        for _, e in ordered:
            furthest = max(furthest, e)
            self.max_ends.append(furthest)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def overlaps(self, start: int, end: int) -> bool:
        """Tell whether ``[start, end)`` overlaps a span of the set."""
        i = bisect_left(self.starts, end) - 1  # the spans starting before ``end``
        return i >= 0 and self.max_ends[i] > start

    def covers(self, start: int, end: int) -> bool:
        """Tell whether ``[start, end)`` lies inside one span of the set."""
        i = bisect_right(self.starts, start) - 1  # the spans starting at or before ``start``
        return i >= 0 and self.max_ends[i] >= end
