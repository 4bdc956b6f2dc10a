"""Layer 5 (shared by both adapters): the cache folder, opened so that nothing planted in it is trusted, and the
data kept there to start faster (parsed rule files, compiled patterns).

The command line imports it before its own modules (``listing_lint.__main__``), so that the patterns they
compile as they load can come from the folder too, and the language server reads and writes the same data
(``KeptData``). The results cache (cli/cache.py) is built on it.

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
import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from . import __version__
from .digests import sha256
from .engine.files import file_kind

FORMAT = 1
PRUNE_DAYS = 14
MAX_CACHE_BYTES = 256 * 1024 * 1024
"""Largest cache file read or written; about a million findings. A larger one is left unread (a slower run)."""
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


def _write(folder: _Folder, name: str, raw: bytes) -> None:
    """Write ``raw`` to a new private file beside ``name``, then rename it over ``name`` (atomic, follows nothing)."""
    if folder.fd is None:
        import tempfile  # only here: with a folder handle, a random name and O_EXCL do the same for less

        fd, tmp_path = tempfile.mkstemp(prefix=".tmp-", dir=folder.path)
        tmp = os.path.basename(tmp_path)
    else:
        tmp = f".tmp-{os.urandom(8).hex()}.json"  # as secrets.token_hex(8), without loading secrets (3 ms)
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


def _is_str(x: Any) -> bool:
    return type(x) is str


_KEPT_NAME = re.compile(r"[0-9a-f]{24}\.data")


class _KeptFile:
    """One file of data kept between runs to start faster, in a folder of its own beside the results', checked
    as that one is. A folder that is refused, or a file that is damaged, keeps nothing: the data is made again,
    and nothing is said, since results are unaffected."""

    folder_name = ""

    def __init__(self, folder: Path, stamp: str):
        self.root = folder
        self.key = sha256(f"{FORMAT}:{__version__}:{stamp}".encode()).hexdigest()[:24]
        self.name = f"{self.key}.data"

    def load(self) -> dict[str, Any]:
        """Return the kept entries, checked by ``_entries``; none when there is none to trust."""
        try:
            data = json.loads(self._read())
        except (CacheRefused, OSError, ValueError, RecursionError):
            return {}
        return self._entries(data["entries"]) if self._ours(data, "entries") else {}

    def _read(self) -> bytes:
        with _cache_folder(self.root, create=False, name=self.folder_name) as sub:
            return _read_cache_file(sub, self.name)

    def _ours(self, data: Any, table: str) -> bool:
        """Tell whether decoded JSON is this file's head: this format, tool and key, with its ``table``."""
        return (isinstance(data, dict) and data.get("format") == FORMAT and data.get("tool") == _TOOL
                and data.get("key") == self.key and isinstance(data.get(table), dict))

    def _entries(self, entries: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, entries: dict[str, Any]) -> None:
        """Write the entries atomically; a folder that cannot take them costs the next run the work, nothing else."""
        self._write_raw(json.dumps({"format": FORMAT, "tool": _TOOL, "key": self.key, "entries": entries},
                                   ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass"))

    def _write_raw(self, raw: bytes) -> None:
        if len(raw) > MAX_CACHE_BYTES:
            return
        try:
            with _cache_folder(self.root, create=True, name=self.folder_name) as sub:
                _write(sub, self.name, raw)
                _prune(sub, self.name, _KEPT_NAME)  # other versions' files, once unused for PRUNE_DAYS
        except (CacheRefused, OSError):
            pass


class ParsedCache(_KeptFile):
    """Parsed TOML files (rule packs, lexicons, configs) kept as JSON between runs: ``engine.spec.keep_parsed``.

    Entries are keyed on the bytes of the file they were parsed from, so they are never stale; the file's name is
    keyed on this version and Python's (whose TOML parser made them).

    The file is one JSON line, a header indexing the entries, followed by each entry's JSON text as it is: a
    whole-file JSON document would hold them as escaped strings, and decoding the escapes of about 1 MB cost
    more than a small file's lint. An entry is only decoded by whoever uses it, which checks it then.
    """

    folder_name = f"parsed-v{FORMAT}"

    def __init__(self, folder: Path):
        super().__init__(folder, f"parsed-toml-indexed:{sys.version_info[:2]}")

    def load(self) -> Mapping[str, str]:
        """Return the kept entries (digest -> JSON text, each decoded when used); none when the header does not fit
        this file."""
        from .engine.indexed import read_entries, read_header

        try:
            raw = self._read()
        except (CacheRefused, OSError):
            return {}
        header = read_header(raw)
        return read_entries(raw, header) if self._ours(header, "index") else {}

    def save(self, entries: dict[str, Any]) -> None:
        """Write the header and the entries' texts atomically (see ``_KeptFile.save``)."""
        from .engine.indexed import write_entries

        self._write_raw(write_entries({"format": FORMAT, "tool": _TOOL, "key": self.key}, entries.items()))


class CompiledPatternCache(_KeptFile):
    """Patterns compiled afresh, kept in their compiled form between runs: ``patterns.keep_compiled``.

    Entries are keyed on each pattern's text and flags, so they are never stale; the file's name is keyed on this
    version and the builds of ``regex`` and Python that compiled them (``patterns.build_stamp``), so another build
    never reads them. ``patterns`` checks each entry's shape again when it uses it.
    """

    folder_name = f"compiled-v{FORMAT}"

    def __init__(self, folder: Path):
        from . import patterns

        stamps = {engine: patterns.build_stamp(engine) for engine in patterns.ENGINES}
        super().__init__(folder, "compiled-patterns:" + json.dumps(stamps, sort_keys=True))

    def _entries(self, entries: dict[str, Any]) -> dict[str, dict[str, list]]:
        return {engine: {k: v for k, v in table.items() if _is_str(k) and isinstance(v, list)}
                for engine, table in entries.items() if _is_str(engine) and isinstance(table, dict)}


class KeptData:
    """What a run keeps in the cache folder to start faster: parsed rule files (with the lexicons' stemmed
    entries, ``engine.spec.kept_data``) and compiled patterns (``patterns.keep_compiled``). Both adapters use it:
    ``start`` before the first lint, ``save`` after a lint (it writes only what is new), ``stop`` at the end."""

    def __init__(self, folder: Path):
        self.parsed, self.compiled = ParsedCache(folder), CompiledPatternCache(folder)

    def start(self) -> None:
        """Take what earlier runs kept (read on first need), and note what this run parses or compiles afresh."""
        from .engine.spec import keep_parsed
        from .patterns import keep_compiled, keeping_compiled

        keep_parsed(self.parsed.load)
        if not keeping_compiled():  # listing_lint.__main__ may have started on the patterns already
            keep_compiled(self.compiled.load)

    def save(self) -> None:
        """Write what this run parsed or compiled afresh since the last save (nothing when it has nothing new)."""
        from .engine.spec import parsed_kept, parsed_to_keep
        from .patterns import compiled_kept, compiled_to_keep

        entries, patterns = parsed_to_keep(), compiled_to_keep()
        if entries:
            self.parsed.save(entries)
            parsed_kept()
        if patterns:
            self.compiled.save(patterns)
            compiled_kept()

    @staticmethod
    def stop() -> None:
        """Stop keeping (the command line, at the end of ``check``)."""
        from .engine.spec import keep_parsed
        from .patterns import keep_compiled

        keep_parsed(None)
        keep_compiled(None)
