"""Layer 5b (CLI): print untrusted text (listing copy, file names) so that its control characters are shown, not obeyed."""

from __future__ import annotations

import re

_BIDI_AND_SURROGATES = "\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SURROGATES}]")
"""What a terminal must not receive raw from a listing or a file name:
- C0 and C1 controls and DEL: ESC and CSI start the sequences that write the clipboard (OSC 52) or erase
  lines; a line break would split a one-line finding;
- the bidi embeddings, overrides and isolates, which make text read in an order other than its own
  ("Trojan Source");
- lone surrogates: a byte of a file name that is not UTF-8 (Python's surrogateescape), which no UTF-8
  output can hold."""
_UNSAFE_IN_LINES = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_AND_SURROGATES}]|\r(?!\n)")
"""The same, less the line breaks and tabs that text shown line by line (a diff) is made of."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(m: re.Match) -> str:
    c = m.group()
    named = _NAMED.get(c)
    if named is not None:
        return named
    n = ord(c)
    if 0xDC80 <= n <= 0xDCFF:
        return f"\\x{n - 0xDC00:02x}"  # the byte the file name really holds, as git shows it
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def escape(text: str) -> str:
    r"""Return ``text`` for one line of terminal output: each control character as an escape (``\x1b``, ``\n``)."""
    if text.isascii() and text.isprintable():
        return text  # printable ASCII holds none of them (most lines: the search costs a line of output 1 us)
    return _UNSAFE.sub(_visible, text)


def escape_lines(text: str) -> str:
    """Like ``escape``, but keep the line breaks (LF, CRLF) and tabs of text that is shown line by line."""
    return _UNSAFE_IN_LINES.sub(_visible, text)


def without_surrogates(text: str, json: bool = False) -> str:
    r"""Replace each lone surrogate by its escape (``\xff``), so the text encodes as UTF-8.

    With ``json``, ``text`` is serialised JSON, where a surrogate can only stand inside a string: the
    backslash is doubled there, so the string reads ``\xff`` once parsed.
    """
    if text.isascii():
        return text
    if json:
        return _SURROGATE.sub(lambda m: "\\" + _visible(m), text)
    return _SURROGATE.sub(_visible, text)
