"""Layer 3 (engine): what every run would otherwise work out afresh from the bundled rules, built with the package.

The bundled rule packs and lexicons are parsed (pure-Python TOML, the dearest part of a start) and the
lexicons compiled and filed for the concept gate (about 20 ms a language) the same way on every machine. A run
with a cache folder keeps these after its first run (``spec.kept_data``); ``prebuilt.data``, written by
scripts/build_prebuilt.py, holds them for the bundled files, so a first run, a run with ``--no-cache`` and a CI
job with no cache to restore start as fast. Entries are keyed as the cache folder's are (on the bytes a file was
parsed from, on all a compiled table is made from, the code included), so an entry can only stand for what it
was made from: one that no longer fits is never looked up, and the run works it out as before.

The file is in the cache folder's indexed form (engine/indexed.py; its header ``{"format": 1, "index": ...}``);
an entry is decoded only when used, and checked then by whoever uses it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Optional, Union

from .indexed import read_entries, read_header, write_entries

PATH = Path(__file__).resolve().parent.parent / "prebuilt.data"
FORMAT = 1
_ENTRIES: list = [None]


def entries() -> Mapping[str, str]:
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
    entries().pop(key, None)  # type: ignore[attr-defined]  # a dict or indexed.Entries


def _read(path: Path) -> Mapping[str, str]:
    # Mapped, not read: the file holds megabytes of word frequency tables most runs never touch, and reading it
    # whole cost every run about 2 ms.
    import mmap

    try:
        with open(path, "rb") as fh:
            raw: Union[bytes, mmap.mmap] = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except ValueError:  # an empty file cannot be mapped
        return {}
    except OSError:
        try:
            raw = path.read_bytes()  # a file system that cannot map files
        except OSError:
            return {}
    header = read_header(raw)
    return read_entries(raw, header) if header is not None and header.get("format") == FORMAT else {}


def dumps(found: dict[str, str]) -> bytes:
    """Return the file's bytes for these entries (sorted by key, so a rebuild of the same entries is the same)."""
    return write_entries({"format": FORMAT}, ((key, found[key]) for key in sorted(found)))
