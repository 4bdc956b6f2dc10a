"""Layer 3 (engine): what every run would otherwise work out afresh from the bundled rules, built with the package.

The bundled rule packs and lexicons are parsed (pure-Python TOML, the dearest part of a start) and the
lexicons compiled and filed for the concept gate (about 20 ms a language) the same way on every machine. A run
with a cache folder keeps these after its first run (``spec.kept_data``); ``prebuilt.data``, written by
scripts/build_prebuilt.py, holds them for the bundled files, so a first run, a run with ``--no-cache`` and a CI
job with no cache to restore start as fast. Entries are keyed as the cache folder's are (on the bytes a file was
parsed from, on all a compiled table is made from, the code included), so an entry can only stand for what it
was made from: one that no longer fits is never looked up, and the run works it out as before.

The file is a JSON header line (``{"format": 1, "index": {key: [offset, length]}}``) followed by each entry's
JSON text; an entry is decoded only when used, and checked then by whoever uses it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Optional

PATH = Path(__file__).resolve().parent.parent / "prebuilt.data"
FORMAT = 1
_KEY = re.compile(r"[0-9a-f]{32}")
_ENTRIES: list = [None]


def entries() -> dict[str, str]:
    """Return the prebuilt entries (key -> JSON text), read on first use; none when the file is missing, damaged
    or turned off (``LISTING_LINT_PREBUILT=off``, for scripts/build_prebuilt.py)."""
    if _ENTRIES[0] is None:
        _ENTRIES[0] = {} if os.environ.get("LISTING_LINT_PREBUILT") == "off" else _read(PATH)
    return _ENTRIES[0]


def known(key: str) -> Optional[str]:
    """Return the JSON text prebuilt under a key, or None."""
    return entries().get(key)


def forget(key: str) -> None:
    """Drop an entry its user refused (it is worked out afresh from then on)."""
    entries().pop(key, None)


def _read(path: Path) -> dict[str, str]:
    try:
        raw = path.read_bytes()
        end = raw.find(b"\n")
        header = json.loads(raw[:end]) if end > 0 else None
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(header, dict) or header.get("format") != FORMAT or not isinstance(header.get("index"), dict):
        return {}
    body, out = memoryview(raw)[end + 1:], {}
    for key, span in header["index"].items():
        if not (isinstance(key, str) and _KEY.fullmatch(key) and isinstance(span, list) and len(span) == 2
                and all(type(n) is int and n >= 0 for n in span) and span[0] + span[1] <= len(body)):
            continue
        try:
            out[key] = str(body[span[0]:span[0] + span[1]], "utf-8", "surrogatepass")
        except UnicodeDecodeError:
            continue
    return out


def dumps(found: dict[str, str]) -> bytes:
    """Return the file's bytes for these entries (sorted by key, so a rebuild of the same entries is the same)."""
    blobs, index, at = [], {}, 0
    for key in sorted(found):
        blob = found[key].encode("utf-8", "surrogatepass")
        index[key] = [at, len(blob)]
        blobs.append(blob)
        at += len(blob)
    header = json.dumps({"format": FORMAT, "index": index}, separators=(",", ":")).encode("ascii")
    return b"".join([header, b"\n", *blobs])
