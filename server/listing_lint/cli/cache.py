"""Layer 5b (CLI): remember each file's findings, keyed on its bytes, the config and the tool, so unchanged files are not linted again."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

from .. import __version__
from ..config import Config
from ..diagnostics import Applicability, Edit, Finding, Fix, Severity
from ..model import Position
from .batch import FileResult, LINTED, SKIPPED
from .records import Record

FORMAT = 1
PRUNE_DAYS = 14
_RACY_NS = 2_000_000_000
"""A file modified less than this before it was hashed is hashed again next time (coarse file system clocks)."""
_PACKAGE = Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    """Return the cache folder: $LISTING_LINT_CACHE_DIR, else the user's cache folder (never the project)."""
    env = os.environ.get("LISTING_LINT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "listing-lint" / "results"


@functools.lru_cache(maxsize=1)
def _tool_stamp() -> str:
    """Identify this build of listing-lint: its version plus the size and time of every code and rule file.

    The version alone would miss an editable install whose code or bundled rules changed, as during development.
    """
    h = hashlib.sha256(f"{FORMAT}:{__version__}".encode())
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".toml", ".txt")):
                st = os.stat(os.path.join(root, name))
                h.update(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def digest(raw: bytes) -> str:
    """Return the content key of a file's bytes."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


class ResultCache:
    """One config's cached results: absolute path -> (content digest, result), stored as JSON (data, never code)."""

    def __init__(self, folder: Path, config: Config):
        key = hashlib.sha256(f"{_tool_stamp()}:{config.fingerprint()}".encode()).hexdigest()[:24]
        self.file = folder / f"v{FORMAT}" / f"{key}.json"
        self.entries: dict[str, list[Any]] = {}
        self.urls: list[str] = []
        """Policy links, stored once per cache rather than once per finding."""
        self.dirty = False
        self.problem: Optional[str] = None
        try:
            with self.file.open("rb") as fh:
                data = json.load(fh)
            os.utime(self.file)  # in use: keep it from being pruned
            if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("entries"), dict) \
                    and isinstance(data.get("urls"), list):
                self.entries, self.urls = data["entries"], data["urls"]
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            # A damaged cache costs one slow run, never wrong results: start it afresh.
            self.problem = f"{self.file}: cache unreadable ({exc}); rebuilding it"

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
        if not isinstance(entry, list) or len(entry) != 6 or entry[1] != name:
            return None
        if key is None:
            if stat is None or [stat.st_size, stat.st_mtime_ns] != entry[3:5] \
                    or stat.st_mtime_ns >= entry[5] - _RACY_NS:
                return None
        elif entry[0] != key:
            return None
        try:
            result = _load(entry[2], name, self.urls)
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        if threshold is not None and any(r.finding.fix and r.finding.fix.applies(threshold) for r in result.records):
            return None
        return result

    def put(self, path: str, key: str, result: FileResult, stat: Optional[tuple[int, int]] = None) -> None:
        """Remember a file's result, with the size and modification time it had when it was read."""
        if result.status in (LINTED, SKIPPED) and not result.changed and not result.diff:
            size, mtime = stat or (-1, -1)
            self.entries[path] = [key, result.name, _dump(result, self.urls), size, mtime, time.time_ns()]
            self.dirty = True

    def save(self) -> Optional[str]:
        """Write the cache atomically; return a problem to report instead of failing the run."""
        if not self.dirty:
            return None
        # Forget files that are gone, so the cache does not grow with every renamed file.
        entries = {p: e for p, e in self.entries.items() if os.path.exists(p)}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.file.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"format": FORMAT, "urls": self.urls, "entries": entries}, fh, ensure_ascii=False,
                          separators=(",", ":"))
            os.replace(tmp, self.file)
        except OSError as exc:
            return f"{self.file}: cannot write the cache ({exc.strerror or exc}); results are unaffected"
        _prune(self.file.parent)
        return None


def _prune(folder: Path) -> None:
    """Delete caches no run has written for PRUNE_DAYS: old builds, old configs and abandoned temporaries."""
    cutoff = time.time() - PRUNE_DAYS * 86400
    try:
        for entry in os.scandir(folder):
            if entry.name.endswith(".json") or entry.name.startswith(".tmp-"):
                try:
                    if entry.stat().st_mtime < cutoff:
                        os.unlink(entry.path)
                except OSError:
                    pass
    except OSError:
        pass


def _pos(p: Position) -> list[int]:
    return [p.row, p.column]


def _dump(result: FileResult, urls: list[str]) -> list[Any]:
    records = []
    for r in result.records:
        f = r.finding
        if f.url not in urls:
            urls.append(f.url)
        records.append([
            r.sku, f.code, f.rule, int(f.severity), f.message, f.start, f.end, f.field, urls.index(f.url),
            [[x.title, int(x.applicability), [[e.start, e.end, e.new_text] for e in x.edits]] for x in f.fixes],
            _pos(r.start), _pos(r.end), r.line_text,
            [[content, _pos(s), _pos(e)] for content, s, e in r.fix_edits],
        ])
    return [result.status, result.listings, result.problems, records]


def _load(data: list[Any], name: str, urls: list[str]) -> FileResult:
    status, listings, problems, rows = data
    records = []
    for sku, code, rule, sev, message, start, end, field, url, fixes, rs, re_, line, edits in rows:
        finding = Finding(code, rule, Severity(sev), message, start, end, field, urls[url], tuple(
            Fix(title, tuple(Edit(*e) for e in es), Applicability(appl)) for title, appl, es in fixes))
        records.append(Record(name, sku, finding, Position(*rs), Position(*re_), line, tuple(
            (content, Position(*s), Position(*e)) for content, s, e in edits)))
    return FileResult(name, status, records, listings, list(problems))
