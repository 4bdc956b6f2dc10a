"""Layer 0 (shared): compile regular expressions, taking the bundled ones ready-made from a data file.

Both ``regex`` and the standard library's ``re`` parse and optimise a pattern in Python before their C engine
takes the result: for the patterns one small file reaches, that was about a quarter of the CPU of linting it.
``compiled-patterns.json`` keeps what each parser produced for every pattern of the bundled packs and of this
package's own code, as plain data (numbers and strings, never code), built by
``scripts/build_compiled_patterns.py`` under the exact builds it names (the ``regex`` release; Python's, for
``re``). A run on other builds, a pattern not in the file (a user's rule, a pattern built from a config), or an
entry the C engine refuses is compiled by ``regex`` or ``re`` as before.

``LISTING_LINT_PATTERN_STORE=off`` compiles every pattern afresh (the build script uses it; it changes no
result, only the time).
"""

from __future__ import annotations

import binascii
import json
import os
import re
import sys
from array import array
from pathlib import Path
from typing import Optional

import regex

STORE = Path(__file__).with_name("compiled-patterns.json")
_ENV = "LISTING_LINT_PATTERN_STORE"
ENGINES = ("regex", "re")

_ready: dict[tuple[str, str, int], object] = {}
_store: Optional[dict[str, dict[str, list]]] = None
compiled_afresh: list[tuple[str, str, int]] = []
"""With the store off, the (engine, pattern, flags) this process compiled here (what the build script keeps)."""


def build_stamp(engine: str) -> dict[str, object]:
    """Return what an engine's stored form depends on: its release, its C engine's magic and code size, and how
    the code's numbers are written (``encode_code``)."""
    # getattr: a future build without one of these names gets a stamp no file holds (so no store), not an error.
    words = {"byte_order": sys.byteorder, "word": array("I").itemsize}
    if engine == "regex":
        from regex import _regex

        return {"regex": getattr(regex, "__version__", None), "magic": getattr(_regex, "MAGIC", None),
                "code_size": getattr(_regex, "CODE_SIZE", None),
                "default_version": int(getattr(regex, "DEFAULT_VERSION", 0)), **words}
    import _sre

    return {"python": sys.version, "magic": getattr(_sre, "MAGIC", None), "code_size": getattr(_sre, "CODESIZE", None),
            **words}


def encode_code(code: list[int]) -> str:
    """Return a pattern's code (unsigned 32-bit numbers) as base64 text: JSON would spend about 8 ms of every
    start reading 60,000 numbers one by one; this is read in one call per pattern used."""
    return binascii.b2a_base64(array("I", code).tobytes(), newline=False).decode("ascii")


def decode_code(text: str) -> list[int]:
    """Return the numbers ``encode_code`` wrote."""
    return array("I", binascii.a2b_base64(text)).tolist()


def store_key(pattern: str, flags: int) -> str:
    """Return a pattern's key in the file: its flags and its text."""
    return f"{flags}:{pattern}"


def compile_pattern(pattern: str, flags: int = 0) -> "regex.Pattern[str]":
    """Return ``regex.compile(pattern, flags)``, from the stored form when the file holds it."""
    return _compile("regex", pattern, int(flags))  # type: ignore[return-value]


def compile_re(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """Return ``re.compile(pattern, flags)``, from the stored form when the file holds it."""
    return _compile("re", pattern, int(flags))  # type: ignore[return-value]


def _compile(engine: str, pattern: str, flags: int):
    key = (engine, pattern, flags)
    found = _ready.get(key)
    if found is not None:
        return found
    store = _store if _store is not None else _load()
    entry = store[engine].get(store_key(pattern, flags)) if store is not None else None
    if entry is not None:
        found = _from_entry(engine, pattern, entry)
        if found is not None:
            _ready[key] = found
            return found
    if store is None:
        compiled_afresh.append(key)
    # Not kept in _ready: a pattern built from a config or a listing is cached (and its cache bounded) by the engine.
    return regex.compile(pattern, flags) if engine == "regex" else re.compile(pattern, flags)


def _load() -> Optional[dict[str, dict[str, list]]]:
    """Read the store once; an absent, damaged or foreign file is an empty store (every pattern compiled)."""
    global _store
    if os.environ.get(_ENV, "").lower() in ("off", "0", "no", "false"):
        return None
    _store = {engine: {} for engine in ENGINES}
    try:
        data = json.loads(STORE.read_bytes())
    except (OSError, ValueError, RecursionError):
        return _store
    if isinstance(data, dict):
        for engine in ENGINES:
            section = data.get(engine)
            if isinstance(section, dict) and section.get("build") == build_stamp(engine) \
                    and isinstance(section.get("patterns"), dict):
                _store[engine] = section["patterns"]
    return _store


def _from_entry(engine: str, pattern: str, entry: list):
    """Build a pattern object from a stored entry, or None when the entry is not of the stored shape."""
    try:
        if engine == "regex":
            from regex import _regex

            flags, code, group_index, index_group, req_offset, req_chars, req_flags, group_count = entry
            if not (type(flags) is int and type(group_count) is int and _names(group_index)):
                return None
            return _regex.compile(pattern, flags, decode_code(code), group_index,
                                  {int(k): v for k, v in index_group.items()},
                                  {}, [], req_offset, tuple(req_chars) if req_chars is not None else None,
                                  req_flags, group_count)
        import _sre

        flags, code, groups, group_index, index_group = entry
        if not (type(flags) is int and type(groups) is int and _names(group_index)):
            return None
        return _sre.compile(pattern, flags, decode_code(code), groups, group_index, tuple(index_group))
    except (TypeError, ValueError, AttributeError, OverflowError, RuntimeError, binascii.Error):
        return None


def _names(group_index) -> bool:
    return all(type(k) is str and type(v) is int for k, v in group_index.items())
