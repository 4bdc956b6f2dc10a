"""Layer 2 (extract): read a file's bytes into text, remembering encoding, BOM and line endings for --fix."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import NamedTuple, Optional


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_STARTS = frozenset(bom[0] for bom, _ in _BOMS)
"""The first bytes of the BOMs: a file starting with another (nearly every file) has none to look for."""


class Source(NamedTuple):
    """A decoded file: its text plus what is needed to write it back byte-for-byte alike."""

    path: str
    text: str
    encoding: str = "utf-8"
    bom: bytes = b""
    raw_size: int = 0

    def encode(self, text: str) -> bytes:
        """Encode text the way the file was encoded, BOM included."""
        return self.bom + text.encode(self.encoding)


class SourceError(Exception):
    """A file cannot be read as listing text; the message names the file and, where known, the line."""

    def __init__(self, path: str, message: str, line: Optional[int] = None, column: Optional[int] = None):
        self.path, self.line, self.column, self.detail = path, line, column, message
        where = path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}")


def sniff_encoding(path: str, head: bytes) -> tuple[str, bytes]:
    """Return the encoding a file's first bytes name (UTF-8 unless a BOM says otherwise) and its BOM.

    Without a BOM, a NUL byte near the start means a binary file, which is refused.
    """
    if head and head[0] in _BOM_STARTS:
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                return encoding, bom
    if b"\x00" in head[:8192]:
        line = head.count(b"\n", 0, head.index(b"\x00")) + 1
        raise SourceError(path, "looks like a binary file (NUL byte); skipped", line=line)
    return "utf-8", b""


def legacy_encoding(marketplace: Optional[str]) -> str:
    """Return the encoding a marketplace's own tools save text exports in when they do not use UTF-8.

    Excel's "Text (Tab delimited)" on Windows writes the ANSI code page: Windows-1252 in Europe and the
    Americas, Shift-JIS (cp932, Amazon JP's help asks for it) in Japan, GB18030 (a superset of GBK) in China.
    """
    market = (marketplace or "").casefold()
    if market.endswith((".jp", "_jp", "-jp")) or market in ("jp", "japan"):
        return "cp932"
    if market.endswith((".cn", "_cn", "-cn")) or market in ("cn", "china"):
        return "gb18030"
    return "cp1252"


def decode(path: str, raw: bytes, fallback: Optional[str] = None) -> Source:
    """Decode bytes: a BOM or valid UTF-8 wins; otherwise the ``fallback`` encoding (a legacy code page), if any.

    Without a fallback, text that is not valid UTF-8 is refused with the line and column of the bad byte.
    """
    encoding, bom = sniff_encoding(path, raw)
    if bom:
        try:
            return Source(path, raw[len(bom):].decode(encoding), encoding, bom, len(raw))
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"not valid {encoding.upper()} text (byte {exc.start + len(bom)})") from None
    try:
        return Source(path, raw.decode("utf-8"), "utf-8", b"", len(raw))
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = exc.start
    if fallback:
        try:
            return Source(path, raw.decode(fallback), fallback, b"", len(raw))
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise SourceError(path, f"neither UTF-8 nor {fallback} (byte 0x{raw[exc.start]:02x}); set `encoding` "
                              "in the config or pass --encoding", line=line, column=column) from None
    raise SourceError(path, f"not valid UTF-8 (byte 0x{raw[bad]:02x}); save the file as UTF-8 or set `encoding`",
                      line=line, column=column)


def read_bytes(path: str | Path, max_size: Optional[int] = None) -> bytes:
    """Read a file's bytes, refusing ones over ``max_size`` bytes, empty files and anything but a regular file."""
    return read_bytes_and_stat(path, max_size)[0]


def read_bytes_and_stat(path: str | Path, max_size: Optional[int] = None) -> tuple[bytes, os.stat_result]:
    """``read_bytes``, and the file's status as it was opened (its size and modification time before the read,
    for a cache to stamp its entry with: a separate stat costs a system call a file)."""
    try:
        # O_NONBLOCK: a FIFO swapped in for the file must not block the run; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SourceError(str(path), "not a regular file; skipped")
        size = st.st_size
        if max_size is not None and size > max_size:
            raise SourceError(str(path), f"file is {size:,} bytes, over the {max_size:,}-byte limit "
                              "(max-file-size); skipped")
        # Read one byte more than the file's size first: asking for max_size + 1 bytes (64 MB by default)
        # made every read allocate that much, about 20 µs per small file. A file that grew since fstat (or
        # reports no size, as /proc files do) is read on, still to at most one byte over the limit, so a
        # file still growing cannot slip past it. (Straight from the descriptor: a file object around it
        # cost a small file's read twice as much.)
        first = size if max_size is None else min(size, max_size)
        raw = _read(fd, first + 1, first)
        if len(raw) > first:
            raw += _read(fd, None if max_size is None else max_size + 1 - len(raw))
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if max_size is not None and len(raw) > max_size:
        raise SourceError(str(path), f"file grew past the {max_size:,}-byte limit (max-file-size) while it was "
                          "read; skipped")
    if not raw:
        raise SourceError(str(path), "empty file; nothing to lint")
    return raw, st


_CHUNK = 1 << 20


def _read(fd: int, count: Optional[int], expected: Optional[int] = None) -> bytes:
    """Read up to ``count`` bytes (None: to the end), a megabyte at most per call (each call allocates what it
    asks). An empty read is the end of the file; so is a short one once the ``expected`` bytes (the size the file
    reported) are in, which spares a small file the second read. Before that a short read is only a short read
    (a network or FUSE file system may give one), and reading goes on: a file read in part would be linted, and
    fixed, in part."""
    chunks = []
    got = 0
    while count is None or count > 0:
        asked = _CHUNK if count is None else min(count, _CHUNK)
        chunk = os.read(fd, asked)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
        if count is not None:
            count -= len(chunk)
        if len(chunk) < asked and expected is not None and got >= expected:
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_source(path: str | Path, max_size: Optional[int] = None, fallback: Optional[str] = None) -> Source:
    """Read and decode a file, refusing ones over ``max_size`` bytes."""
    return decode(str(path), read_bytes(path, max_size), fallback)
