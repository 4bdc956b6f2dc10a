"""Layer 2 (extract): a small JSON reader that keeps, for every string, where each character came from."""

from __future__ import annotations

import json
from typing import Any, NamedTuple, Optional


WHITESPACE = " \t\r\n"
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class JString(NamedTuple):
    """A decoded JSON string: its value, the offset after its opening quote, and per-character offsets."""

    value: str
    start: int
    offsets: Optional[tuple[int, ...]]
    """None when the string has no escapes (character i is at ``start + i``)."""


class JSONPositionError(ValueError):
    """Malformed JSON, with the offset where reading stopped."""

    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.pos = pos


def parse(text: str, pos: int = 0, end: Optional[int] = None) -> Any:
    """Parse one JSON value in ``text[pos:end]``; strings become JString, the rest plain Python values."""
    end = len(text) if end is None else end
    value, pos = _value(text, _skip(text, pos, end), end)
    pos = _skip(text, pos, end)
    if pos != end:
        raise JSONPositionError("extra data after the JSON value", pos)
    return value


def _skip(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in WHITESPACE:
        pos += 1
    return pos


MAX_DEPTH = 200
"""Arrays and objects nested deeper than this are refused: the parser recurses, and no listing nests so deep."""


def _value(text: str, pos: int, end: int, depth: int = 0) -> tuple[Any, int]:
    if pos >= end:
        raise JSONPositionError("expected a value, found the end", pos)
    ch = text[pos]
    if ch == '"':
        return _string(text, pos, end)
    if ch in "{[" and depth >= MAX_DEPTH:
        raise JSONPositionError(f"nested more than {MAX_DEPTH} levels deep", pos)
    if ch == "{":
        obj: dict[str, Any] = {}
        pos = _skip(text, pos + 1, end)
        if pos < end and text[pos] == "}":
            return obj, pos + 1
        while True:
            if pos >= end or text[pos] != '"':
                raise JSONPositionError("expected a quoted key", pos)
            key, pos = _string(text, pos, end)
            pos = _skip(text, pos, end)
            if pos >= end or text[pos] != ":":
                raise JSONPositionError("expected ':' after the key", pos)
            value, pos = _value(text, _skip(text, pos + 1, end), end, depth + 1)
            obj[key.value] = value
            pos = _skip(text, pos, end)
            if pos < end and text[pos] == ",":
                pos = _skip(text, pos + 1, end)
                continue
            if pos < end and text[pos] == "}":
                return obj, pos + 1
            raise JSONPositionError("expected ',' or '}'", pos)
    if ch == "[":
        arr: list[Any] = []
        pos = _skip(text, pos + 1, end)
        if pos < end and text[pos] == "]":
            return arr, pos + 1
        while True:
            value, pos = _value(text, pos, end, depth + 1)
            arr.append(value)
            pos = _skip(text, pos, end)
            if pos < end and text[pos] == ",":
                pos = _skip(text, pos + 1, end)
                continue
            if pos < end and text[pos] == "]":
                return arr, pos + 1
            raise JSONPositionError("expected ',' or ']'", pos)
    # Numbers and literals: let the standard decoder read the token.
    stop = pos
    while stop < end and text[stop] not in ',]} \t\r\n':
        stop += 1
    try:
        return json.loads(text[pos:stop]), stop
    except ValueError:
        raise JSONPositionError(f"unexpected {text[pos:stop][:20]!r}", pos) from None


def _string(text: str, pos: int, end: int) -> tuple[JString, int]:
    start = pos + 1
    close = text.find('"', start, end)
    if close < 0:
        raise JSONPositionError("unterminated string", pos)
    if text.find("\\", start, close) < 0 and not any(ord(c) < 0x20 for c in text[start:close]):
        return JString(text[start:close], start, None), close + 1
    chars: list[str] = []
    offsets: list[int] = []
    i = start
    while True:
        if i >= end:
            raise JSONPositionError("unterminated string", pos)
        c = text[i]
        if c == '"':
            offsets.append(i)
            return JString("".join(chars), start, tuple(offsets)), i + 1
        if c == "\\":
            if i + 1 >= end:
                raise JSONPositionError("unterminated escape", i)
            e = text[i + 1]
            if e in _SIMPLE_ESCAPES:
                chars.append(_SIMPLE_ESCAPES[e])
                offsets.append(i)
                i += 2
                continue
            if e == "u":
                code = _hex4(text, i + 2, end)
                if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i + 6):
                    low = _hex4(text, i + 8, end)
                    if 0xDC00 <= low < 0xE000:
                        chars.append(chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
                        offsets.append(i)
                        i += 12
                        continue
                chars.append(chr(code))
                offsets.append(i)
                i += 6
                continue
            raise JSONPositionError(f"invalid escape '\\{e}'", i)
        if ord(c) < 0x20:
            raise JSONPositionError("control character inside a string", i)
        chars.append(c)
        offsets.append(i)
        i += 1


def _hex4(text: str, pos: int, end: int) -> int:
    digits = text[pos:pos + 4]
    if len(digits) != 4 or pos + 4 > end or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise JSONPositionError("invalid \\u escape", pos)
    return int(digits, 16)
