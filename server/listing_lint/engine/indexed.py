"""Layer 3 (engine): a file of JSON entries behind an index line, each decoded only when it is used.

The format of the cache folder's parsed store and of the package's prebuilt entries: one line of JSON, a
header whose ``index`` maps each entry's key to ``[offset, length]`` in the bytes after it, then the entries'
JSON texts as they are. A whole-file JSON document would hold them as escaped strings, and decoding the escapes
of about 1 MB cost more than a small file's lint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Iterable, Optional

_KEY = re.compile(r"[0-9a-f]{32}")


def read_header(raw: bytes) -> Optional[dict]:
    """Return the header of a file's bytes (a dict with an ``index`` table), or None when it has none."""
    end = raw.find(b"\n")
    try:
        header = json.loads(raw[:end]) if end > 0 else None
    except (ValueError, RecursionError):
        return None
    return header if isinstance(header, dict) and isinstance(header.get("index"), dict) else None


class Entries(Mapping[str, str]):
    """The entries of a file (key -> JSON text), each decoded from the file's bytes when it is asked for: the
    package's file holds megabytes of tables (word frequencies) that most runs never read."""

    __slots__ = ("_body", "_spans")

    def __init__(self, body: memoryview, spans: dict[str, tuple[int, int]]) -> None:
        self._body, self._spans = body, spans

    def __getitem__(self, key: str) -> str:
        start, end = self._spans[key]
        try:
            return str(self._body[start:end], "utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise KeyError(key) from None  # a damaged entry is one missing

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def pop(self, key: str, default: Optional[str] = None) -> Optional[str]:
        """Forget an entry (one its user refused)."""
        self._spans.pop(key, None)
        return default


def read_entries(raw: bytes, header: dict) -> Entries:
    """Return each entry the header indexes (key -> JSON text), leaving out any whose key or span is wrong."""
    body, spans = memoryview(raw)[raw.find(b"\n") + 1:], {}
    for key, span in header["index"].items():
        if (isinstance(key, str) and _KEY.fullmatch(key) and isinstance(span, list) and len(span) == 2
                and all(type(n) is int and n >= 0 for n in span) and span[0] + span[1] <= len(body)):
            spans[key] = (span[0], span[0] + span[1])
    return Entries(body, spans)


def write_entries(header: dict[str, Any], entries: Iterable[tuple[str, str]]) -> bytes:
    """Return the bytes of a file holding these (key, JSON text) entries under ``header`` plus their index."""
    blobs, index, at = [], {}, 0
    for key, text in entries:
        blob = text.encode("utf-8", "surrogatepass")
        index[key] = [at, len(blob)]
        blobs.append(blob)
        at += len(blob)
    line = json.dumps({**header, "index": index}, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return b"".join([line, b"\n", *blobs])
