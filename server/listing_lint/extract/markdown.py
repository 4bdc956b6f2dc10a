"""Layer 2 (extract): ``*.listing.md``: one heading per field, bullets as list items, optional front matter."""

from __future__ import annotations

from typing import NamedTuple, Optional

import regex

from ..model import Field, FieldKind, Listing, LineIndex
from ..patterns import compile_pattern
from .fields import ExtractError, field_from_segments, trimmed
from .names import heading_kind

# Headings and front-matter lines are matched without a lazy group before trailing blanks ("(.*?)[ \t]*$"),
# which backtracks quadratically over a long run of spaces; the closing blanks and #s are stripped after.
HEADING = compile_pattern(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
LIST_ITEM = compile_pattern(r"^([ \t]{0,3})(?:[-*+]|\d{1,3}[.)])[ \t]+")
REGEX_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
               "\u2028\u2029\u202f\u205f\u3000")
"""The characters ``regex`` reads as ``\\s`` (not those of ``str.isspace`` alone, such as \\x1c)."""
DISABLE = compile_pattern(r"listing-lint-disable-(next-line|line)\b(.*)", regex.S)
FRONT_KEYS = ("sku", "brand", "marketplace")
_NAME_SEPARATORS = compile_pattern(r"[\s,]+")


def _list_marker_end(line: str) -> int:
    """Return where a list item's text starts after its marker and blanks ("- ", "* ", "1. "), or 0 when the line
    is no list item (what LIST_ITEM matches, without the pattern for the usual "- " at the start of a line)."""
    if line[:1] in ("-", "*", "+") and line[1:2] in (" ", "\t"):
        return len(line) - len(line[1:].lstrip(" \t"))
    item = LIST_ITEM.match(line)
    return item.end() if item else 0


def heading_text(raw: str) -> str:
    """Return a heading's text without the blanks and closing #s after it ("Title ##  " -> "Title")."""
    return raw.rstrip(" \t").rstrip("#").rstrip(" \t")


def comment_of(line: str) -> str | None:
    """Return what a line holding nothing but an HTML comment says ("<!-- x -->" -> " x "), or None.

    What ``^\\s*<!--(.*)-->\\s*$`` (dot matching all) finds, by stripping the line: the pattern backtracked
    over every "-->" of a long line (a 1 MB line of them took half a second, 10 MB nearly a minute).
    """
    body = line.strip(REGEX_SPACE)
    if len(body) >= 7 and body.startswith("<!--") and body.endswith("-->"):
        return body[4:-3]
    return None


def parse_suppression(comment: str) -> frozenset[str] | None:
    """Return the rules a ``listing-lint-disable-...`` comment names (empty set: all), or None."""
    m = DISABLE.search(comment)
    if not m:
        return None
    names = _NAME_SEPARATORS.split(m.group(2).strip())
    return frozenset(n for n in names if n)


class FrontMatter(NamedTuple):
    """What a Markdown listing's front matter says (its SKU, brand and marketplace), and where the copy starts."""

    meta: dict[str, str]
    lines: int
    """The lines it takes, its fences included (0: the text has none)."""
    end: int
    """Where the line after it starts."""


NO_FRONT_MATTER = FrontMatter({}, 0, 0)


def front_matter(text: str) -> Optional[FrontMatter]:
    """Read the front matter at the start of a text ("---" lines around ``key: value`` lines); None when it is
    opened and never closed. Lines end as editors count them (LF, CRLF or a lone CR), and only its own
    lines are read: a folder of small files asks this of every file."""
    if not text.startswith("---"):
        return NO_FRONT_MATTER
    n = len(text)
    cr = "\r" in text
    find = text.find
    meta: dict[str, str] = {}
    i = 0
    count = 0
    while True:
        j = find("\n", i)
        stop = j if j >= 0 else n
        k = find("\r", i, stop) if cr else -1
        end, nxt = (k, k + 2 if text.startswith("\r\n", k) else k + 1) if k >= 0 else (stop, stop + 1)
        line = text[i:end]
        count += 1
        if count == 1:
            if len(line) != 3:
                return NO_FRONT_MATTER
        elif line.strip() == "---":
            return FrontMatter(meta, count, min(nxt, n))
        else:
            # What "^\s*([A-Za-z_][\w-]*)\s*:(.*)$" finds for the keys read, without a pattern run on every line.
            name, colon, value = line.partition(":")
            if colon:
                key = name.strip(REGEX_SPACE).lower()
                if key in FRONT_KEYS:
                    meta[key] = value.strip().strip("'\"")
        if nxt > n or (j < 0 and k < 0):
            return None
        i = nxt


def extract_markdown(path: str, text: str) -> tuple[list[Listing], list[ExtractError]]:
    """Read a Markdown listing into one Listing."""
    # Each line's text, which ends before its line break, and (for text with a "\r") where it starts: a folder of
    # small files pays for this once per file, so most text (no "\r") is split once and its lines' starts are
    # counted as it is read.
    starts: list[int] | None = None
    if "\r" in text:
        starts = LineIndex(text).line_starts
        nlines = len(starts)
        ends = []
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < nlines else len(text)
            while e > s and text[e - 1] in "\r\n":
                e -= 1
            ends.append(e)
        lines = [text[s:e] for s, e in zip(starts, ends)]
    else:
        lines = text.split("\n")
        nlines = len(lines)

    errors: list[ExtractError] = []
    head = front_matter(text)
    if head is None:
        errors.append(ExtractError(path, 1, 1, "front matter opened with '---' is never closed"))
        head = NO_FRONT_MATTER
    meta, first = head.meta, head.lines

    fields: list[Field] = []
    suppressions: dict[int, frozenset[str]] = {}
    kind: FieldKind | None = None
    segments: list[tuple[int, int]] = []
    items: list[list[tuple[int, int]]] = []
    pending: frozenset[str] | None = None
    bullets = 0
    bullet = FieldKind.BULLET

    def close() -> None:
        nonlocal bullets
        if kind is None:
            return
        if kind is bullet:
            for item in items:
                # Counted, not recounted per item: recounting made a file of many bullets take quadratic time.
                if len(item) == 1:  # most items: one line, a slice of the source
                    s, e = item[0]
                    f = Field(kind, text[s:e], s, bullets) if e > s else None
                else:
                    f = field_from_segments(kind, text, item, index=bullets)
                if f is not None:
                    fields.append(f)
                    bullets += 1
        else:
            f = field_from_segments(kind, text, _trim_segments(text, segments))
            if f is not None:
                fields.append(f)

    # Most copy holds no comment: then no line is searched for one.
    comments = "<!--" in text
    next_start = head.end
    for i in range(first, nlines):
        line = lines[i]
        if starts is None:
            s = next_start
            next_start += len(line) + 1
        else:
            s = starts[i]
        e = s + len(line)
        if pending is not None and line.strip():
            suppressions[i] = pending
            pending = None
        # The patterns below run only on lines that can match them: most lines are copy, with no "<!--"
        # and no "#" in their first four characters.
        if comments:
            opened = line.find("<!--")
            if opened >= 0:
                comment = comment_of(line)
                if comment is not None:
                    rules = parse_suppression(comment)
                    if rules is not None:
                        pending = rules
                    continue
                # str.find, not a lazy "<!--(.*?)-->": that rescans the line from every unclosed "<!--".
                closed = line.find("-->", opened + 4)
                rules = parse_suppression(line[opened + 4:closed]) if closed >= 0 else None
                if rules is not None:
                    suppressions[i] = rules
                    e = s + opened
                    while e > s and text[e - 1] in " \t":
                        e -= 1
        heading = HEADING.match(line) if line.find("#", 0, 4) >= 0 else None
        if heading:
            close()
            kind = heading_kind(heading_text(heading.group(2)))
            segments, items = [], []
            continue
        if kind is bullet:
            marker = _list_marker_end(line)
            if marker:
                items.append([trimmed(text, s + marker, e)])
            elif line.strip() and items:
                items[-1].append(trimmed(text, s, e))  # a continuation line of the item
            elif line.strip():
                items.append([trimmed(text, s, e)])  # bullets written without a list marker
        elif kind is not None:
            segments.append((s, e))
    close()
    listing = Listing(
        fields=tuple(fields), text=text, path=path, sku=meta.get("sku"), brand=meta.get("brand"),
        marketplace=meta.get("marketplace"), suppressions=suppressions,
    )
    return [listing], errors


def _trim_segments(text: str, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop blank lines at both ends of a section and join the rest as one span when contiguous."""
    segs = [seg for seg in segments]
    while segs and not text[segs[0][0]:segs[0][1]].strip():
        segs.pop(0)
    while segs and not text[segs[-1][0]:segs[-1][1]].strip():
        segs.pop()
    if not segs:
        return []
    merged = [list(segs[0])]
    for s, e in segs[1:]:
        gap = text[merged[-1][1]:s]
        if not gap.strip():
            merged[-1][1] = e
        else:
            merged.append([s, e])
    out = [tuple(m) for m in merged]
    out[0] = trimmed(text, out[0][0], out[0][1])
    out[-1] = trimmed(text, out[-1][0], out[-1][1])
    return out
