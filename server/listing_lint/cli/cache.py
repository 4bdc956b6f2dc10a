"""Layer 5b (CLI): remember each file's findings, keyed on its bytes, the config and the tool, so unchanged files are not linted again.

The cache folder may be shared or planted on (a ``--cache-dir`` in a world-writable place, a folder another
user can write to), so nothing in it is trusted for what it claims to be:

- Only a folder that no other user can write to is used: its owner is the user (or root) and it is neither
  group- nor world-writable. Anything else is refused with a message, and the run goes on without a cache.
- No name in it is followed: the folders are opened with ``O_NOFOLLOW`` and every file is reached relative to
  the opened folder, so a link planted as ``v1`` or as a cache file is never read, written through or pruned
  through. The cache folder itself must not be a link either (name the folder it points to).
- A cache file is read only if it is a regular file owned by the user, not writable by others and at most
  ``MAX_CACHE_BYTES`` long. It is opened without blocking (a FIFO cannot hang the run) and read no further.
- Every entry is checked for shape and types before it is used; one that does not fit is a miss.
- The prune deletes only old files that are named and marked as listing-lint writes them, and owned by the user.

Ownership and permissions, rather than a per-user secret (an HMAC key kept in the user's config folder), are
what keep forged entries out. Whoever can write into a folder that the user owns and nobody else can write to
is the user or root, and both could read such a key as well. A key would guard against nobody the permission
check lets in, while adding a file to keep safe, and a cold cache whenever it is lost or differs between
machines that share a home folder.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from .. import __version__
from ..config import Config
from ..diagnostics import Applicability, Edit, Finding, Fix, Severity
from ..engine.files import file_kind
from ..model import Position
from .batch import FileResult, LINTED, SKIPPED
from .records import Record

FORMAT = 1
PRUNE_DAYS = 14
MAX_CACHE_BYTES = 256 * 1024 * 1024
"""Largest cache file read or written; about a million findings. A larger one is left unread (a slower run)."""
_RACY_NS = 2_000_000_000
"""A file modified less than this before it was hashed is hashed again next time (coarse file system clocks)."""
_PACKAGE = Path(__file__).resolve().parent.parent
_TOOL = "listing-lint"

_CACHE_NAME = re.compile(r"[0-9a-f]{24}\.json")
_TEMP_NAME = re.compile(r"\.tmp-[0-9a-f]{16}\.json|\.tmp-[0-9a-z_]{8}")
"""Temporary files of this version, and those ``tempfile.mkstemp`` named for earlier ones."""
_MARKER = re.compile(rb'\{\s*"format"\s*:\s*1\s*,\s*"(?:tool|urls)"\s*:')
"""How every cache listing-lint wrote begins (``"tool"`` from this version on, ``"urls"`` before)."""

_POSIX = (hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and hasattr(os, "geteuid")
          and {os.open, os.stat, os.mkdir, os.unlink, os.rename} <= os.supports_dir_fd
          and os.scandir in os.supports_fd)
"""Whether folders can be opened once and used by handle. Elsewhere (Windows) names are checked with lstat,
and the user's profile folder, private by its access list, is what keeps others out."""
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class CacheRefused(Exception):
    """The cache folder is not safe to use; the message says why and what to do, for the user."""


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


def _trusted_owner(uid: int) -> bool:
    return not _POSIX or uid in (os.geteuid(), 0)


class _Folder:
    """A cache folder opened once (POSIX), so that no name in it can be swapped for a link between check and use."""

    def __init__(self, path: Path, fd: Optional[int]):
        self.path = path
        self.fd = fd

    def lstat(self, name: str) -> os.stat_result:
        if self.fd is None:
            return os.lstat(self.path / name)
        return os.stat(name, dir_fd=self.fd, follow_symlinks=False)

    def open(self, name: str, flags: int, mode: int = 0o600) -> int:
        flags |= _CLOEXEC | _BINARY
        if self.fd is None:
            return os.open(self.path / name, flags, mode)
        return os.open(name, flags | os.O_NOFOLLOW, mode, dir_fd=self.fd)

    def rename(self, src: str, dst: str) -> None:
        if self.fd is None:
            os.replace(self.path / src, self.path / dst)
        else:
            os.rename(src, dst, src_dir_fd=self.fd, dst_dir_fd=self.fd)  # replaces dst itself, never what it names

    def unlink(self, name: str) -> None:
        if self.fd is None:
            os.unlink(self.path / name)
        else:
            os.unlink(name, dir_fd=self.fd)

    def names(self) -> list[str]:
        with os.scandir(self.path if self.fd is None else self.fd) as it:
            return [entry.name for entry in it]


def _open_folder(path: Path, parent: Optional[_Folder], create: bool) -> _Folder:
    """Open (or make, private to the user) one cache folder without following a link; refuse an unsafe one.

    Raise FileNotFoundError when it does not exist and ``create`` is false, CacheRefused when it is not safe.
    """
    name = path.name if parent is not None else str(path)
    at = parent.fd if parent is not None else None
    if create:
        try:
            if parent is None:
                path.parent.mkdir(parents=True, exist_ok=True)
            if at is None:
                os.mkdir(path, 0o700)  # 0o700 whatever the umask: nobody else writes here
            else:
                os.mkdir(name, 0o700, dir_fd=at)
        except FileExistsError:
            pass
    if not _POSIX:
        st = os.lstat(path)
        if not stat.S_ISDIR(st.st_mode):
            raise CacheRefused(f"{path}: the cache folder is {file_kind(st.st_mode)}, not a folder; "
                               "running without the cache")
        return _Folder(path, None)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC, dir_fd=at)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        try:
            kind = file_kind(os.stat(name, dir_fd=at, follow_symlinks=False).st_mode)
        except OSError:
            raise exc from None  # a folder on the way is missing or a file: the cache cannot be written
        if at is None:
            hint = " (name the folder it points to with --cache-dir)" if kind == "a symbolic link" else ""
        else:
            hint = " (remove it, or use another --cache-dir)"
        raise CacheRefused(f"{path}: the cache folder is {kind}, which listing-lint does not follow or use; "
                           f"running without the cache{hint}") from None
    st = os.fstat(fd)
    if not _trusted_owner(st.st_uid):
        os.close(fd)
        raise CacheRefused(f"{path}: the cache folder belongs to another user (uid {st.st_uid}), who could plant "
                           "results in it; running without the cache (use a folder of your own with --cache-dir)")
    if st.st_mode & 0o022:
        os.close(fd)
        raise CacheRefused(f"{path}: the cache folder is writable by other users (mode {stat.S_IMODE(st.st_mode):o}), "
                           "who could plant results or links in it; running without the cache "
                           f"(make it private with `chmod go-w {path}`, or use another --cache-dir)")
    return _Folder(path, fd)


@contextmanager
def _cache_folder(root: Path, create: bool, name: str = f"v{FORMAT}") -> Iterator[_Folder]:
    """Open ``root/v<FORMAT>`` (or ``root/name``), checking the cache folder and that folder on the way."""
    top = _open_folder(root, None, create)
    try:
        sub = _open_folder(root / name, top, create)
        try:
            yield sub
        finally:
            if sub.fd is not None:
                os.close(sub.fd)
    finally:
        if top.fd is not None:
            os.close(top.fd)


def _read_cache_file(folder: _Folder, name: str) -> bytes:
    """Return the bytes of a cache file the user wrote; raise ValueError saying why it is not one to read.

    Raise FileNotFoundError when there is none. The file is checked with lstat before it is opened (a FIFO or
    device is never opened), opened without blocking and without following a link, checked again, and read
    no further than MAX_CACHE_BYTES.
    """
    path = folder.path / name
    st = folder.lstat(name)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError(f"{path}: the cache file is {file_kind(st.st_mode)}, not a regular file; not read")
    if _POSIX and st.st_uid != os.geteuid():
        raise ValueError(f"{path}: the cache file belongs to another user (uid {st.st_uid}); not trusted, "
                         "rebuilding it")
    if _POSIX and st.st_mode & 0o022:
        raise ValueError(f"{path}: the cache file is writable by other users; not trusted, rebuilding it")
    if st.st_size > MAX_CACHE_BYTES:
        raise ValueError(f"{path}: the cache file is {st.st_size:,} bytes, over the limit of "
                         f"{MAX_CACHE_BYTES:,}; not read")
    fd = folder.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode):
            raise ValueError(f"{path}: the cache file was replaced while it was opened; not read")
        raw = fh.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            raise ValueError(f"{path}: the cache file grew over the limit of {MAX_CACHE_BYTES:,} bytes; not read")
        try:
            os.utime(fd if os.utime in os.supports_fd else path)  # in use: keep it from being pruned
        except OSError:
            pass
    return raw


class ResultCache:
    """One config's cached results: absolute path -> (content digest, result), stored as JSON (data, never code)."""

    def __init__(self, folder: Path, config: Config):
        self.key = hashlib.sha256(f"{_tool_stamp()}:{config.fingerprint()}".encode()).hexdigest()[:24]
        self.root = folder
        self.name = f"{self.key}.json"
        self.file = folder / f"v{FORMAT}" / self.name
        self.entries: dict[str, list[Any]] = {}
        self.urls: list[str] = []
        """Policy links, stored once per cache rather than once per finding."""
        self.dirty = False
        self.problem: Optional[str] = None
        self.refused = False
        """True when the folder is not safe to use: nothing is read from or written to it in this run."""
        try:
            with _cache_folder(folder, create=False) as sub:
                raw = _read_cache_file(sub, self.name)
            self.urls, self.entries = _parse(raw, self.key, self.file)
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
            result = _load(entry[2], name, self.urls)
        except (KeyError, IndexError, TypeError, ValueError):  # the entries were checked; kept as a backstop
            return None
        if threshold is not None and any(r.finding.fix and r.finding.fix.applies(threshold) for r in result.records):
            return None
        return result

    def put(self, path: str, key: str, result: FileResult, stat: Optional[tuple[int, int]] = None) -> None:
        """Remember a file's result, with the size and modification time it had when it was read."""
        if self.refused:
            return
        if result.status in (LINTED, SKIPPED) and not result.changed and not result.diff:
            size, mtime = stat or (-1, -1)
            self.entries[path] = [key, result.name, _dump(result, self.urls), size, mtime, time.time_ns()]
            self.dirty = True

    def save(self) -> Optional[str]:
        """Write the cache atomically; return a problem to report instead of failing the run."""
        if not self.dirty or self.refused:
            return None
        # Forget files that are gone, so the cache does not grow with every renamed file.
        entries = {p: e for p, e in self.entries.items() if os.path.exists(p)}
        # "tool" second: the marker the prune looks for. Surrogates (file names that are not UTF-8) pass
        # through as json.loads reads them back.
        raw = json.dumps({"format": FORMAT, "tool": _TOOL, "key": self.key, "urls": self.urls, "entries": entries},
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
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


_DIGEST = re.compile(r"[0-9a-f]{32}")
_PARSED_FOLDER = f"parsed-v{FORMAT}"
_PARSED_NAME = re.compile(r"[0-9a-f]{24}\.data")


class ParsedCache:
    """Parsed TOML files (rule packs, lexicons, configs) kept as JSON between runs: ``engine.spec.keep_parsed``.

    Entries are keyed on the bytes of the file they were parsed from, so they are never stale; the file's name is
    keyed on this version and Python's (whose TOML parser made them). It lives in a folder of its own beside the
    results', checked as that one is; a folder that is refused, or a file that is damaged, is no store: files are
    parsed, and nothing is said, since results are unaffected.
    """

    def __init__(self, folder: Path):
        self.root = folder
        stamp = f"{FORMAT}:{__version__}:parsed-toml:{sys.version_info[:2]}"
        self.key = hashlib.sha256(stamp.encode()).hexdigest()[:24]
        self.name = f"{self.key}.data"

    def load(self) -> dict[str, str]:
        """Return the well-formed entries (digest -> JSON text) of the kept file; none when there is none to trust."""
        try:
            with _cache_folder(self.root, create=False, name=_PARSED_FOLDER) as sub:
                raw = _read_cache_file(sub, self.name)
            data = json.loads(raw)
        except (CacheRefused, OSError, ValueError, RecursionError):
            return {}
        if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("tool") == _TOOL
                and data.get("key") == self.key and isinstance(data.get("entries"), dict)):
            return {}
        return {k: v for k, v in data["entries"].items() if _DIGEST.fullmatch(k) and _is_str(v)}

    def save(self, entries: dict[str, str]) -> None:
        """Write the entries atomically; a folder that cannot take them costs the next run a parse, nothing else."""
        raw = json.dumps({"format": FORMAT, "tool": _TOOL, "key": self.key, "entries": entries},
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        if len(raw) > MAX_CACHE_BYTES:
            return
        try:
            with _cache_folder(self.root, create=True, name=_PARSED_FOLDER) as sub:
                _write(sub, self.name, raw)
                _prune(sub, self.name, _PARSED_NAME)  # other versions' files, once unused for PRUNE_DAYS
        except (CacheRefused, OSError):
            pass


def _write(folder: _Folder, name: str, raw: bytes) -> None:
    """Write ``raw`` to a new private file beside ``name``, then rename it over ``name`` (atomic, follows nothing)."""
    # Imported when a cache is written: a run without one (--no-cache) needs neither.
    import secrets
    import tempfile

    if folder.fd is None:
        fd, tmp_path = tempfile.mkstemp(prefix=".tmp-", dir=folder.path)
        tmp = os.path.basename(tmp_path)
    else:
        tmp = f".tmp-{secrets.token_hex(8)}.json"
        fd = folder.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        folder.rename(tmp, name)
    except BaseException:
        try:
            folder.unlink(tmp)
        except OSError:
            pass
        raise


def _prune(folder: _Folder, keep: str, named: "re.Pattern[str]" = _CACHE_NAME) -> None:
    """Delete caches no run has written for PRUNE_DAYS: old builds, old configs and abandoned temporaries.

    Only files listing-lint wrote go: a cache's or temporary file's name, a regular file (never a link, and
    never what one names), owned by the user, and beginning as a cache does (a temporary file may be empty).
    """
    cutoff = time.time() - PRUNE_DAYS * 86400
    try:
        names = folder.names()
    except OSError:
        return
    for name in names:
        temporary = bool(_TEMP_NAME.fullmatch(name))
        if name == keep or not (temporary or named.fullmatch(name)):
            continue
        try:
            st = folder.lstat(name)
            if not stat.S_ISREG(st.st_mode) or st.st_mtime >= cutoff \
                    or (_POSIX and st.st_uid != os.geteuid()):
                continue
            fd = folder.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                now = os.fstat(fd)
                head = fh.read(64)
            if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
                continue
            if _MARKER.match(head) or (temporary and not head):
                folder.unlink(name)
        except OSError:
            pass


def _parse(raw: bytes, key: str, path: Path) -> tuple[list[str], dict[str, list[Any]]]:
    """Return the policy links and the well-formed entries of a cache file; raise ValueError if it is not one.

    An entry of the wrong shape is dropped (a miss), so a damaged or hostile entry never reaches the report.
    """
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder goes
        raise ValueError(f"{path}: cache unreadable (not valid JSON, or nested too deep); rebuilding it") from None
    if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("tool") == _TOOL
            and data.get("key") == key and _strings(data.get("urls")) and isinstance(data.get("entries"), dict)):
        raise ValueError(f"{path}: cache unreadable (not a listing-lint cache of this format); rebuilding it")
    urls = data["urls"]
    return urls, {p: e for p, e in data["entries"].items() if _entry_ok(e, len(urls))}


def _is_int(x: Any) -> bool:
    return type(x) is int  # not bool, which JSON's true would give


def _is_count(x: Any) -> bool:
    return type(x) is int and x >= 0


def _is_str(x: Any) -> bool:
    return type(x) is str


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


def _entry_ok(e: Any, n_urls: int) -> bool:
    """Return whether ``e`` has the shape ``put`` stores: [key, name, result, size, mtime, written]."""
    if not (_row(e, 6) and _is_str(e[0]) and _is_str(e[1]) and _is_int(e[3]) and _is_int(e[4]) and _is_int(e[5])):
        return False
    result = e[2]
    if not (_row(result, 4) and result[0] in (LINTED, SKIPPED) and _is_count(result[1])
            and _strings(result[2]) and isinstance(result[3], list)):
        return False
    return all(_record_ok(r, n_urls) for r in result[3])


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
