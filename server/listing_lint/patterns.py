"""Layer 0 (shared): compile regular expressions, taking the bundled ones ready-made from a data file.

Both ``regex`` and the standard library's ``re`` parse and optimise a pattern in Python before their C engine
takes the result: for the patterns one small file reaches, that was about a quarter of the CPU of linting it.
``compiled-patterns.json`` keeps what each parser produced for every pattern of the bundled packs and of this
package's own code, as plain data (numbers and strings, never code), built by
``scripts/build_compiled_patterns.py`` under the exact builds it names (the ``regex`` release; Python's, for
``re``). A run on other builds, a pattern not in the file (a user's rule, a pattern built from a config), or an
entry the C engine refuses is compiled by ``regex`` or ``re`` as before.

The file goes stale for a user as soon as ``regex`` makes a release (several a month) or Python differs, and it
never holds a user's own patterns or those built from a config (competitor names). So a run may also keep
what it compiled afresh (``keep_compiled``): the command line keeps it in its cache folder, under the same
build stamp, and the next run takes those patterns ready-made too. That file is trusted as the cache folder's
other files are (a folder only the user can write to; see cache_folder.py): the C engines take the stored code
as their parsers would have made it.

``LISTING_LINT_PATTERN_STORE=off`` compiles every pattern afresh and keeps none (the build script uses it; it
changes no result, only the time).
"""

from __future__ import annotations

import _thread
import binascii
import importlib
import json
import os
import re
import sys
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Optional

import regex

STORE = Path(__file__).with_name("compiled-patterns.json")
_ENV = "LISTING_LINT_PATTERN_STORE"
ENGINES = ("regex", "re")
RE_LIBRARY = "re-library"
"""The store's section of patterns compiled by ``re.compile`` itself, ours and our libraries' (``prime_re_cache``)."""

_ready: dict[tuple[str, str, int], object] = {}
_store: Optional[dict[str, dict[str, list]]] = None
compiled_afresh: list[tuple[str, str, int]] = []
"""With the store off, the (engine, pattern, flags) this process compiled here (what the build script keeps)."""

MAX_KEPT = 1000
"""Patterns kept per engine between runs: those of the last run that compiled a new one, at most this many
(a run on a 3,446-name competitor list compiles a pattern per name it meets; a small file's run reads them all)."""
_keeper: list = [None, None]
"""[loader of the kept patterns (engine -> key -> entry) or None, those loaded]."""
_kept_used: dict[str, dict[str, list]] = {engine: {} for engine in ENGINES}
"""The kept or newly compiled entries this process used, by engine (what the next run gets)."""
_kept_new: list = [False]
_kept_ready: dict[tuple[str, str, int], object] = {}
"""Patterns built from kept or recorded entries in this process, by (engine, pattern, flags): the engines' own
caches, which a recorded compile goes past."""
MAX_KEPT_READY = 2048
_RECORDING = _thread.allocate_lock()
"""Held while a pattern compiles with its engine's C module swapped for a recorder (see ``compile_recorded``)."""


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
    elif keeping_compiled():
        return _from_kept(engine, pattern, flags)
    # Not kept in _ready: a pattern built from a config or a listing is cached (and its cache bounded) by the engine.
    return regex.compile(pattern, flags) if engine == "regex" else re.compile(pattern, flags)


def keep_compiled(loader: Optional[Callable[[], dict[str, dict[str, list]]]]) -> None:
    """Take patterns compiled by earlier runs from ``loader`` (engine -> store key -> entry, for this build's
    ``build_stamp``), read when a pattern is first missing from the bundled file; record what is compiled
    afresh from then on, for ``compiled_to_keep``. ``None`` stops both."""
    _keeper[0], _keeper[1] = loader, None
    for used in _kept_used.values():
        used.clear()
    _kept_ready.clear()
    _kept_new[0] = False


def keeping_compiled() -> bool:
    """Tell whether patterns compiled afresh are being kept (``keep_compiled``)."""
    return _keeper[0] is not None or _keeper[1] is not None


def compiled_to_keep() -> Optional[dict[str, dict[str, list]]]:
    """Return the kept entries this run used, if it compiled one afresh (else None: what is kept is enough)."""
    if not _kept_new[0]:
        return None
    return {engine: dict(used) for engine, used in _kept_used.items()}


def compiled_kept() -> None:
    """Note that what ``compiled_to_keep`` returned is kept: it returns None again until a pattern is compiled afresh."""
    _kept_new[0] = False


def _from_kept(engine: str, pattern: str, flags: int):
    ready_key = (engine, pattern, flags)
    found = _kept_ready.get(ready_key)
    if found is not None:  # a pattern built per listing (a competitor's name) is asked for again and again
        return found
    if _keeper[1] is None:
        loader, _keeper[0] = _keeper[0], None
        try:
            loaded = loader() if loader is not None else {}
        except (OSError, ValueError):
            loaded = {}
        _keeper[1] = {e: loaded.get(e) if isinstance(loaded.get(e), dict) else {} for e in ENGINES}
    key = store_key(pattern, flags)
    used = _kept_used[engine]
    entry = used.get(key) or _keeper[1][engine].get(key)
    if entry is not None:
        found = _from_entry(engine, pattern, entry)
        if found is not None and len(used) < MAX_KEPT:
            used[key] = entry
    if found is None and len(used) < MAX_KEPT:
        found, form = compile_recorded(engine, pattern, flags)
        if form is not None:
            used[key] = form
            _kept_new[0] = True
    if found is None:  # past MAX_KEPT: compiled, and cached, by the engine as without a keeper
        found = regex.compile(pattern, flags) if engine == "regex" else re.compile(pattern, flags)
    if len(_kept_ready) >= MAX_KEPT_READY:
        _kept_ready.clear()
    _kept_ready[ready_key] = found
    return found


class _Recorder:
    """Stands in for an engine's C module while one pattern compiles, and keeps what its parser hands it."""

    def __init__(self, engine_module):
        self.engine_module = engine_module
        self.seen: list[tuple] = []

    def __getattr__(self, name):
        return getattr(self.engine_module, name)

    def compile(self, *args):
        self.seen.append(args)
        return self.engine_module.compile(*args)


def _c_modules() -> dict[str, tuple]:
    """Return, per engine, (the module, its module that calls the C engine, that name, the C module)."""
    found = {}
    for engine, owners in (("regex", ("regex._main", "regex.regex")), ("re", ("re._compiler", "sre_compile"))):
        for owner_name in owners:  # the first is where current releases keep it (Python 3.11, regex 2022 on)
            try:
                owner = importlib.import_module(owner_name)
            except ImportError:
                continue
            name = "_regex" if engine == "regex" else "_sre"
            if hasattr(owner, name):
                found[engine] = (regex if engine == "regex" else re, owner, name, getattr(owner, name))
                break
    return found


_C_MODULES = _c_modules()


def compile_recorded(engine: str, pattern: str, flags: int) -> tuple[object, Optional[list]]:
    """Compile a pattern with an engine and return it with what the engine's parser handed its C engine, as a
    stored entry (None when the file keeps no such form). Errors in the pattern are raised as the engine raises
    them."""
    if engine not in _C_MODULES:  # a release that calls its C engine from elsewhere: compiled, not kept
        return (regex.compile(pattern, flags) if engine == "regex" else re.compile(pattern, flags)), None
    _, owner, name, c_module = _C_MODULES[engine]
    recorder = _Recorder(c_module)
    with _RECORDING:  # another thread compiling meanwhile goes through the recorder too, and is told apart below
        setattr(owner, name, recorder)
        try:
            # Past each engine's own cache, which would hand back a pattern compiled before without a call.
            compiled = (regex.compile(pattern, flags, cache_pattern=False) if engine == "regex"
                        else owner.compile(pattern, flags))
        finally:
            setattr(owner, name, c_module)
    seen = [args for args in recorder.seen if args[0] == pattern]
    if len(seen) != 1 or len(recorder.seen) != 1:
        return compiled, None
    if engine == "re":
        _, full_flags, code, groups, group_index, index_group = seen[0]
        return compiled, [int(full_flags), encode_code(code), groups, dict(group_index), list(index_group)]
    _, full_flags, code, group_index, index_group, named_lists, named_indexes, req_offset, req_chars, req_flags, \
        group_count = seen[0]
    if named_lists or named_indexes:
        return compiled, None
    return compiled, [int(full_flags), encode_code(code), dict(group_index),
                      {str(k): v for k, v in sorted(index_group.items())},
                      req_offset, list(req_chars) if req_chars is not None else None, req_flags, group_count]


def _load() -> Optional[dict[str, dict[str, list]]]:
    """Read the store once; an absent, damaged or foreign file is an empty store (every pattern compiled)."""
    global _store
    if os.environ.get(_ENV, "").lower() in ("off", "0", "no", "false"):
        return None
    _store = {name: {} for name in (*ENGINES, RE_LIBRARY)}
    try:
        data = json.loads(STORE.read_bytes())
    except (OSError, ValueError, RecursionError):
        return _store
    if isinstance(data, dict):
        for engine, name in (*((e, e) for e in ENGINES), ("re", RE_LIBRARY)):
            section = data.get(name)
            if isinstance(section, dict) and section.get("build") == build_stamp(engine) \
                    and isinstance(section.get("patterns"), dict):
                _store[name] = section["patterns"]
    return _store


def prime_re_cache() -> int:
    """Put the stored form of every pattern ``re.compile`` is called with directly (the libraries' as they load:
    phonenumbers, argparse, platform; a few of ours) into ``re``'s own cache, so that compiling one is a look-up.

    About 15 ms of parsing at every start. Called by the command line before its modules load, and by the
    language server before its first lint (not as the package loads: the server answers ``initialize``
    without loading ``regex``, which this module needs). Only on the exact Python the store was built for (its
    stamp), only into the plain dict ``re`` keeps its patterns in, keyed as ``re`` keys them (the pattern's
    type, text and flags), and only while it has room: anything else leaves the cache alone. Returns how many
    patterns were put in.
    """
    store = _store if _store is not None else _load()
    cache = getattr(re, "_cache", None)
    entries = store.get(RE_LIBRARY, {}) if store is not None else {}
    if not entries or not isinstance(cache, dict) or len(cache) + len(entries) >= getattr(re, "_MAXCACHE", 0):
        return 0
    added = 0
    for key, entry in entries.items():
        flags, _, pattern = key.partition(":")
        cache_key = (str, pattern, int(flags))
        if cache_key not in cache:
            compiled = _from_entry("re", pattern, entry)
            if compiled is not None:
                cache[cache_key] = compiled
                added += 1
    return added


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
