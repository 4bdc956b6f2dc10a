"""Layer 5b (CLI): remember each file's findings, keyed on its bytes, the config and the tool, so unchanged files are not linted again.

The cache file is read and written through ``cache_folder``, whose docstring says what in the folder is trusted
and why; every entry is checked for shape and types before it is used, and one that does not fit is a miss.
"""

from __future__ import annotations

import functools
import json
import os
import stat
import time
from pathlib import Path
from typing import Any, Optional

from .. import __version__
from ..cache_folder import (FORMAT, MAX_CACHE_BYTES, _TOOL, CacheRefused, _cache_folder, _is_str, _prune,
                           _read_cache_file, _write)
from ..config import Config
from ..diagnostics import Applicability, Edit, Finding, Fix, Severity
from ..digests import blake2b, sha256
from ..model import Position
from .batch import FileResult, LINTED, SKIPPED
from .records import Record

_RACY_NS = 2_000_000_000
"""A file modified less than this before it was hashed is hashed again next time (coarse file system clocks)."""
_PACKAGE = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def _tool_stamp() -> str:
    """Identify this build of listing-lint: its version plus the hashes pip recorded of every installed file, or,
    in a source tree or an editable install, the size and time of every code and rule file.

    The version alone would miss an editable install whose code or bundled rules changed, as during development.
    The recorded hashes let a CI job that installs the same build afresh each run (new file times) take the
    results an earlier run kept (the GitHub Action keeps the cache folder between runs).
    """
    h = sha256(f"{FORMAT}:{__version__}".encode())
    recorded = _recorded_hashes()
    if recorded is not None:
        h.update(recorded)
        return h.hexdigest()
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".toml", ".txt")):
                st = os.stat(os.path.join(root, name))
                h.update(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _recorded_hashes() -> Optional[bytes]:
    """Return the package's files and their hashes as pip's RECORD lists them beside an installed package, or
    None where there is none that names them (a source tree; an editable install, whose record names a finder)."""
    try:
        record = (_PACKAGE.parent / f"listing_lint-{__version__}.dist-info" / "RECORD").read_bytes()
    except OSError:
        return None
    lines = sorted(line for line in record.splitlines()
                   if line.startswith(b"listing_lint/") and not line.endswith(b",,"))  # .pyc files have no hash
    if not any(line.startswith(b"listing_lint/__init__.py,sha256=") for line in lines):
        return None
    return b"\n".join(lines)


def digest(raw: bytes) -> str:
    """Return the content key of a file's bytes."""
    return blake2b(raw, digest_size=16).hexdigest()


class ResultCache:
    """One config's cached results: absolute path -> (content digest, result), stored as JSON (data, never code)."""

    def __init__(self, folder: Path, config: Config):
        self.key = sha256(f"{_tool_stamp()}:{config.fingerprint()}".encode()).hexdigest()[:24]
        self.root = folder
        self.name = f"{self.key}.json"
        self.file = folder / f"v{FORMAT}" / self.name
        self.entries: dict[str, list[Any]] = {}
        self.urls: list[str] = []
        """Policy links, stored once per cache rather than once per finding."""
        self.rows: list[Optional[list[Any]]] = []
        """Records stored once for the files that repeat them (an entry names one and how far it is moved; None:
        a row that was not well formed, which its entries miss)."""
        self._row_of: dict[int, tuple[tuple, int]] = {}
        """id of records as ``RepeatedFiles`` remembers them -> (those records, their row), for this run's puts."""
        self.dirty = False
        self._present: set[str] = set()
        """Paths this run read or found unchanged: they are there, and the save need not ask."""
        self.problem: Optional[str] = None
        self.refused = False
        """True when the folder is not safe to use: nothing is read from or written to it in this run."""
        try:
            with _cache_folder(folder, create=False) as sub:
                raw = _read_cache_file(sub, self.name)
            self.urls, self.rows, self.entries = _parse(raw, self.key, self.file)
        except FileNotFoundError:
            pass
        except CacheRefused as exc:
            self.refused = True
            self.problem = str(exc)
        except ValueError as exc:
            # Not ours to trust, or damaged: it costs one slow run, never wrong results.
            self.problem = str(exc)
        except OSError as exc:
            self.problem = f"{self.file}: cache unreadable ({exc.strerror or exc}); rebuilding it"

    def __contains__(self, path: str) -> bool:
        """Tell whether the cache holds an entry for the file at ``path``."""
        return path in self.entries

    def get(self, path: str, key: Optional[str], name: str, threshold: Optional[Applicability] = None,
            stat: Optional[os.stat_result] = None) -> Optional[FileResult]:
        """Return the cached result of the file at ``path`` if its bytes still have ``key``.

        Without a key, a ``stat`` whose size and modification time match what was hashed stands in for the
        bytes, as git's index does, unless the file was modified so close to that run that a later edit in
        the same clock tick could hide. With a fix ``threshold``, a file with a fixable finding is a miss:
        it has to be fixed, not replayed.
        """
        entry = self.entries.get(path)
        # The name is part of the key because messages quote it as the user typed it (relative or absolute).
        if entry is None or entry[1] != name:
            return None
        if key is None:
            if stat is None or [stat.st_size, stat.st_mtime_ns] != entry[3:5] \
                    or stat.st_mtime_ns >= entry[5] - _RACY_NS:
                return None
        elif entry[0] != key:
            return None
        try:
            result = _load(entry[2], name, self.urls, self.rows)
        except (KeyError, IndexError, TypeError, ValueError):  # the entries were checked; kept as a backstop
            return None
        self._present.add(path)
        if threshold is not None and any(r.finding.fix and r.finding.fix.applies(threshold) for r in result.records):
            return None
        return result

    def restamp(self, path: str, stat: tuple[int, int]) -> None:
        """Note the size and modification time a file has now that its bytes were read and found unchanged, so
        the next run can trust them: after a checkout or a copy gave every file a new time, each run read and
        hashed every file again (as git refreshes its index, the cache refreshes its entry)."""
        entry = self.entries.get(path)
        if entry is not None and not self.refused:
            entry[3], entry[4], entry[5] = stat[0], stat[1], time.time_ns()
            self.dirty = True

    def put(self, path: str, key: str, result: FileResult, stat: Optional[tuple[int, int]] = None) -> None:
        """Remember a file's result, with the size and modification time it had when it was read."""
        if self.refused:
            return
        if result.status in (LINTED, SKIPPED) and not result.changed and not result.diff:
            size, mtime = stat or (-1, -1)
            self.entries[path] = [key, result.name, self._dump(result), size, mtime, time.time_ns()]
            self._present.add(path)
            self.dirty = True

    def _dump(self, result: FileResult) -> list[Any]:
        """Return a result as an entry stores it: its records, or, for a file repeating copy met before
        (``result.copied``), the row that holds them once and how far they move here."""
        copied = result.copied
        records = result.records
        if copied is not None and records:
            sku = records[0].sku
            if all(r.sku == sku and r.filename == result.name for r in records):
                template, by = copied
                known = self._row_of.get(id(template))
                if known is None or known[0] is not template:
                    known = self._row_of[id(template)] = (template, len(self.rows))
                    self.rows.append(_dump_records(template, self.urls))
                return [result.status, result.listings, result.problems, {"row": known[1], "by": by, "sku": sku}]
        return [result.status, result.listings, result.problems, _dump_records(records, self.urls)]

    def _kept_rows(self, entries: dict[str, list[Any]]) -> list[Optional[list[Any]]]:
        """Return the rows two or more entries name, renumbered in the entries; an entry whose row no other names
        takes its records back (a file whose copy no other repeats is stored as it was)."""
        named: dict[int, int] = {}
        for entry in entries.values():
            ref = entry[2][3]
            if type(ref) is dict:
                named[ref["row"]] = named.get(ref["row"], 0) + 1
        renumbered: dict[int, int] = {}
        rows: list[Optional[list[Any]]] = []
        broken = []
        for path, entry in entries.items():
            ref = entry[2][3]
            if type(ref) is not dict:
                continue
            row = ref["row"]
            if named[row] == 1:
                try:
                    entry[2][3] = _moved_rows(self.rows[row], ref["by"], ref["sku"])  # type: ignore[arg-type]
                except ValueError:
                    broken.append(path)  # a damaged entry read from the file: forgotten (a miss), not saved
                continue
            if row not in renumbered:
                renumbered[row] = len(rows)
                rows.append(self.rows[row])
            ref["row"] = renumbered[row]
        for path in broken:
            del entries[path]
        self.rows = rows
        self._row_of = {key: (template, renumbered[row]) for key, (template, row) in self._row_of.items()
                        if row in renumbered}
        return rows

    def save(self) -> Optional[str]:
        """Write the cache atomically; return a problem to report instead of failing the run."""
        if not self.dirty or self.refused:
            return None
        # Forget files that are gone, so the cache does not grow with every renamed file. Those this run read are
        # not asked again: a system call a file, as much as the rest of the save for a folder of small files.
        present = self._present
        # What is forgotten here is forgotten in memory too: the rows follow the entries.
        entries = self.entries = {p: e for p, e in self.entries.items() if p in present or os.path.exists(p)}
        rows = self._kept_rows(entries)
        # "tool" second: the marker the prune looks for. Written in ASCII, every other character escaped: JSON
        # reads ASCII text faster (20,000 files' cache: 0.107 -> 0.070 s to read, 0.084 -> 0.058 s to write,
        # 0.3% bigger), and a surrogate (a file name that is not UTF-8) is an escape json.loads reads back. The
        # entries are lists of lists made here, never a cycle: not checking for one writes them 18% faster.
        raw = json.dumps({"format": FORMAT, "tool": _TOOL, "key": self.key, "urls": self.urls, "rows": rows,
                          "entries": entries},
                         separators=(",", ":"), check_circular=False).encode("ascii")
        if len(raw) > MAX_CACHE_BYTES:
            return (f"{self.file}: the cache would be {len(raw):,} bytes, over the limit of {MAX_CACHE_BYTES:,}; "
                    "not saved, results are unaffected")
        try:
            with _cache_folder(self.root, create=True) as sub:
                _write(sub, self.name, raw)
                _prune(sub, self.name)
        except CacheRefused as exc:
            return str(exc)
        except OSError as exc:
            return f"{self.file}: cannot write the cache ({exc.strerror or exc}); results are unaffected"
        return None


def _parse(raw: bytes, key: str, path: Path) -> tuple[list[str], list[Optional[list[Any]]], dict[str, list[Any]]]:
    """Return the policy links, the shared rows and the well-formed entries of a cache file; raise ValueError if
    it is not one.

    An entry or row of the wrong shape is dropped (a miss), so a damaged or hostile one never reaches the report.
    """
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder goes
        raise ValueError(f"{path}: cache unreadable (not valid JSON, or nested too deep); rebuilding it") from None
    if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("tool") == _TOOL
            and data.get("key") == key and _strings(data.get("urls")) and isinstance(data.get("entries"), dict)):
        raise ValueError(f"{path}: cache unreadable (not a listing-lint cache of this format); rebuilding it")
    urls = data["urls"]
    stored = data.get("rows", [])
    if type(stored) is not list:
        stored = []
    rows = [row if type(row) is list and all(_record_ok(r, len(urls)) for r in row) else None for row in stored]
    return urls, rows, {p: e for p, e in data["entries"].items() if _entry_ok(e, len(urls), rows)}


def _is_int(x: Any) -> bool:
    return type(x) is int  # not bool, which JSON's true would give


def _is_count(x: Any) -> bool:
    return type(x) is int and x >= 0


def _strings(x: Any) -> bool:
    return isinstance(x, list) and all(_is_str(s) for s in x)


def _row(x: Any, n: int) -> bool:
    return isinstance(x, list) and len(x) == n


def _position(x: Any) -> bool:
    return _row(x, 2) and _is_count(x[0]) and _is_count(x[1])


_SEVERITIES = {int(s) for s in Severity}
_APPLICABILITIES = {int(a) for a in Applicability}


def _fix_ok(x: Any) -> bool:
    return (_row(x, 3) and _is_str(x[0]) and _is_int(x[1]) and x[1] in _APPLICABILITIES and isinstance(x[2], list)
            and all(_row(e, 3) and _is_count(e[0]) and _is_count(e[1]) and _is_str(e[2]) for e in x[2]))


def _record_ok(x: Any, n_urls: int) -> bool:
    if not _row(x, 14):
        return False
    sku, code, rule, sev, message, start, end, field, url, fixes, rs, re_, line, edits = x
    return ((sku is None or _is_str(sku)) and _is_str(code) and _is_str(rule) and _is_int(sev)
            and sev in _SEVERITIES and _is_str(message) and _is_count(start) and _is_count(end) and _is_str(field)
            and _is_count(url) and url < n_urls and isinstance(fixes, list) and all(_fix_ok(f) for f in fixes)
            and _position(rs) and _position(re_) and _is_str(line) and isinstance(edits, list)
            and all(_row(e, 3) and _is_str(e[0]) and _position(e[1]) and _position(e[2]) for e in edits))


def _ref_ok(ref: Any, rows: list[Optional[list[Any]]]) -> bool:
    """Return whether ``ref`` names a well-formed row: {"row": its place, "by": how far it moves, "sku": SKU}."""
    return (len(ref) == 3 and type(ref.get("row")) is int and 0 <= ref["row"] < len(rows)
            and rows[ref["row"]] is not None and type(ref.get("by")) is int
            and (ref.get("sku") is None or _is_str(ref["sku"])))


def _entry_ok(e: Any, n_urls: int, rows: list[Optional[list[Any]]]) -> bool:
    """Return whether ``e`` has the shape ``put`` stores: [key, name, result, size, mtime, written]."""
    # The tests written out, not through the helpers above: a cached run checks every file's entry (20,000 in
    # a catalog folder), and most entries hold no finding, so this is most of the check.
    if not (type(e) is list and len(e) == 6 and type(e[0]) is str and type(e[1]) is str and type(e[3]) is int
            and type(e[4]) is int and type(e[5]) is int):
        return False
    result = e[2]
    if not (type(result) is list and len(result) == 4 and result[0] in (LINTED, SKIPPED)
            and type(result[1]) is int and result[1] >= 0 and type(result[2]) is list):
        return False
    problems, records = result[2], result[3]
    if problems and not _strings(problems):
        return False
    if type(records) is dict:
        return _ref_ok(records, rows)
    return type(records) is list and (not records or all(_record_ok(r, n_urls) for r in records))


def _pos(p: Position) -> list[int]:
    return [p.row, p.column]


def _dump_records(placed: Any, urls: list[str]) -> list[Any]:
    """Return records as the cache stores them (each policy link as its place in ``urls``)."""
    records = []
    for r in placed:
        f = r.finding
        if f.url not in urls:
            urls.append(f.url)
        records.append([
            r.sku, f.code, f.rule, int(f.severity), f.message, f.start, f.end, f.field, urls.index(f.url),
            [[x.title, int(x.applicability), [[e.start, e.end, e.new_text] for e in x.edits]] for x in f.fixes],
            _pos(r.start), _pos(r.end), r.line_text,
            [[content, _pos(s), _pos(e)] for content, s, e in r.fix_edits],
        ])
    return records


def _moved_rows(rows: list[Any], by: int, sku: Optional[str]) -> list[Any]:
    """Return stored records moved ``by`` characters along the file (findings and their fixes' edits), with this
    SKU: a shared row as it stands in one of the files that repeat it. ValueError if one moves before the start."""
    out = []
    for row in rows:
        fixes = row[9]
        if by:
            fixes = [[title, appl, [[s + by, e + by, t] for s, e, t in es]] for title, appl, es in fixes]
            if row[5] + by < 0 or any(e[0] < 0 for _, _, es in fixes for e in es):
                raise ValueError("a shared row moved before the start of the file")
        out.append([sku, *row[1:5], row[5] + by, row[6] + by, row[7], row[8], fixes, *row[10:]])
    return out


def _load(data: list[Any], name: str, urls: list[str], shared: list[Optional[list[Any]]]) -> FileResult:
    status, listings, problems, rows = data
    if type(rows) is dict:  # a row shared with other files: moved here, with this file's SKU
        rows = _moved_rows(shared[rows["row"]], rows["by"], rows["sku"])  # type: ignore[arg-type]
    records = []
    for sku, code, rule, sev, message, start, end, field, url, fixes, rs, re_, line, edits in rows:
        finding = Finding(code, rule, Severity(sev), message, start, end, field, urls[url], tuple(
            Fix(title, tuple(Edit(*e) for e in es), Applicability(appl)) for title, appl, es in fixes))
        records.append(Record(name, sku, finding, Position(*rs), Position(*re_), line, tuple(
            (content, Position(*s), Position(*e)) for content, s, e in edits)))
    return FileResult(name, status, records, listings, list(problems))
