"""Layer 3 (engine): estimate what a rule pack's pattern costs to compile, before the regex module tries.

The ``regex`` module unrolls the minimum count of a repeat: ``(a{1000}){1000}`` compiles to a million
nodes (275 MB), and ``(a{10000}){10000}`` grows until the kernel kills the process; a ``MemoryError``
never comes. Nesting is the other limit: 900 nested groups exceed Python's recursion limit in its parser.
Both are measured here on the pattern's text, so such a pattern is refused as a rule error instead.
"""

from __future__ import annotations

import re
from typing import Optional

MAX_NODES = 100_000
"""Largest estimated size of one pattern (about 40 MB compiled); real rules stay under a few hundred."""
MAX_TOTAL_NODES = 10 * MAX_NODES
"""Largest estimated size of all of one rule's patterns (or exceptions) together."""
MAX_DEPTH = 100
"""Deepest group nesting accepted; real rules nest a handful deep."""

_ESCAPE_BRACES = set("pPNxuUgk")
"""Escapes that may take a ``{...}`` argument (``\\p{L}``, ``\\x{263A}``, ``\\N{EM DASH}``, ``\\g{name}``)."""
_ARGUMENT = 200
"""Longest ``{...}`` argument or POSIX class name looked for: keeps the scan linear on ``{{{{...``."""
_QUANTIFIER = re.compile(r"\{\s*([0-9]*)\s*(,)?\s*([0-9]*)\s*\}")
_INLINE_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])")
"""``(?x)`` (for the whole pattern) or ``(?x-i:...)`` (a scoped group)."""


def _class_end(pattern: str, i: int) -> int:
    """Return the index just past the character class opening at ``pattern[i] == "["``."""
    n = len(pattern)
    j = i + 1
    if j < n and pattern[j] == "^":
        j += 1
    if j < n and pattern[j] == "]":  # a leading ] is a literal
        j += 1
    while j < n and pattern[j] != "]":
        if pattern[j] == "\\":
            j += 1
        elif pattern.startswith("[:", j):  # POSIX class [:alpha:]
            end = pattern.find(":]", j + 2, j + 2 + _ARGUMENT)
            j = end + 1 if end != -1 else j
        j += 1
    return j + 1


def _quantifier(pattern: str, i: int) -> Optional[tuple[int, int]]:
    """Return (minimum count, index past it) for a ``{m}``, ``{m,}``, ``{m,n}`` or ``{,n}`` at ``i``."""
    m = _QUANTIFIER.match(pattern, i, i + _ARGUMENT)
    if m is None or not (m.group(1) or (m.group(2) and m.group(3))):
        return None
    if not m.group(2) and m.group(3):
        return None
    return int(m.group(1) or 0), m.end()


def pattern_problem(pattern: str) -> Optional[str]:
    """Return why ``pattern`` is too large or too deep to compile safely, or None."""
    return measure(pattern)[1]


def measure(pattern: str) -> tuple[int, Optional[str]]:
    """Return (estimated size in nodes, why it is too large or too deep to compile safely, or None).

    Every atom counts one node; a repeat multiplies the atom or group before it by its minimum count
    (an overestimate for literal runs, which the engine stores as one node: safe, and real rules are far
    below the limit). Verbose-mode comments (``(?x)`` ... ``# ...``) are skipped as the engine skips them.
    The scan is linear in the pattern's length.
    """
    stack: list[tuple[int, bool]] = []  # the enclosing sequences' sizes so far, and whether each was verbose
    size = 0  # the current sequence's size
    last = 0  # the size of the atom or group a quantifier would repeat
    verbose = False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1:i + 2]
            i += 2
            if nxt in _ESCAPE_BRACES and pattern[i:i + 1] == "{":
                end = pattern.find("}", i, i + _ARGUMENT)
                i = end + 1 if end != -1 else i
            size, last = size + 1, 1
        elif c == "[":
            i = _class_end(pattern, i)
            size, last = size + 1, 1
        elif verbose and c == "#":
            end = pattern.find("\n", i)
            i = end + 1 if end != -1 else n
        elif verbose and c in " \t\n\r\f\v":
            i += 1
        elif c == "(":
            if pattern.startswith("(?#", i):  # a comment
                end = pattern.find(")", i)
                i = end + 1 if end != -1 else n
                continue
            flags = _INLINE_FLAGS.match(pattern, i)
            on, off = (flags.group(1), flags.group(2) or "") if flags else ("", "")
            if flags is not None and flags.group(3) == ")":  # (?x): for the rest of the pattern
                verbose = verbose or "x" in on
                i = flags.end()
                continue
            stack.append((size, verbose))
            if len(stack) > MAX_DEPTH:
                return 0, f"it nests groups more than {MAX_DEPTH} deep"
            if flags is not None:
                verbose = "x" in on or (verbose and "x" not in off)
                i = flags.end()
            else:
                i += 1
            size, last = 0, 0
        elif c == ")":
            inner = size
            outer, verbose = stack.pop() if stack else (0, verbose)
            size, last = outer + inner, inner
            i += 1
        elif c == "{" and (q := _quantifier(pattern, i)) is not None:
            count, i = q
            grown = last * count
            size += grown - last
            last = grown
            if size > MAX_NODES or last > MAX_NODES:
                return size, (f"its repeats unroll to more than {MAX_NODES:,} steps when compiled; "
                              "lower the {m,n} minimums or use + and *")
        else:
            if c not in "|*+?":
                size, last = size + 1, 1
            i += 1
        if size > MAX_NODES:
            return size, f"it compiles to more than {MAX_NODES:,} steps"
    total = size + sum(s for s, _ in stack)
    return total, (f"it compiles to more than {MAX_NODES:,} steps" if total > MAX_NODES else None)
