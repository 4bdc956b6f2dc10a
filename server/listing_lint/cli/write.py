"""Layer 5b (CLI): write fixed files atomically, keeping encoding, BOM, line endings, permissions and owner.

What ``--fix`` promises, and how this module keeps each promise:
- A crash never leaves a half-written file: the new bytes go to a temporary file beside the original
  (``.<name>.<random>.listing-lint-tmp``), are flushed to disk, then renamed over it. A crash before the
  rename leaves the original as it was plus that temporary file, which folder walks ignore and the next
  ``--fix`` of the same file deletes once it is over ten minutes old.
- The bytes are encoded like the original (see ``Source.encode``), and the temporary file gets the
  original's mode bits and owner before it replaces it.
- A file that changed on disk after it was read is left alone (``ChangedOnDisk``).
- A fix is never written through a symlink, nor to a file with more than one hard link, nor to a file the
  user could not write in place, nor where the owner cannot be kept (``Refused``): each would change a
  file other than the one named, or change it in a way the user did not ask for.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from ..extract.source import Source

TEMP_SUFFIX = ".listing-lint-tmp"
STALE_TEMP_SECONDS = 600
"""A temporary file older than this is a leftover of a killed run, not the work of one still writing."""


class ChangedOnDisk(Exception):
    """The file changed after it was read; writing would throw away someone's edit."""


class Refused(OSError):
    """Writing the fix would break a promise of ``--fix``; the file is left as it is.

    An OSError, so callers report it as they report any write failure: ``<path>: cannot write fixes: <why>``.
    """

    def __init__(self, path: Path, why: str):
        super().__init__(errno.EPERM, why, str(path))


def write_atomically(path: Path, source: Source, new_text: str) -> None:
    """Replace ``path`` with ``new_text`` encoded like the original, via a temporary file and a rename.

    The file is checked against what was linted before the temporary file is made and again just before
    the rename: if its bytes are no longer what was linted, nothing is written.
    """
    data = source.encode(new_text)
    original = source.encode(source.text)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise ChangedOnDisk(f"{path}: deleted while it was being fixed; not written") from None
    _check_writable(path, st)
    _check_unchanged(path, original)
    _remove_stale_temps(path)
    import tempfile  # imported when a file is written: a lint-only run (which imports TEMP_SUFFIX) needs none

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            _copy_owner_and_mode(path, fh.fileno(), st)
            os.fsync(fh.fileno())
        _check_unchanged(path, original)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_folder(path.parent)


def _check_writable(path: Path, st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise Refused(path, f"it is a symlink (to {os.readlink(path)!r}); fixes are never written through a "
                            "symlink. Run --fix on the file it points to.")
    if not stat.S_ISREG(st.st_mode):
        raise Refused(path, "not a regular file")
    if st.st_nlink > 1:
        raise Refused(path, f"it has {st.st_nlink} hard links; replacing it would leave the other names with the "
                            "old text")
    if not os.access(path, os.W_OK):
        raise Refused(path, "the file is read-only")


def _check_unchanged(path: Path, original: bytes) -> None:
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    if current != original:
        raise ChangedOnDisk(f"{path}: changed on disk while it was being fixed; left as it is")


def _copy_owner_and_mode(path: Path, fd: int, st: os.stat_result) -> None:
    if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, st.st_uid, st.st_gid)
        except PermissionError:
            raise Refused(path, f"it belongs to another user or group (uid {st.st_uid}, gid {st.st_gid}), which a "
                                "fixed copy could not keep") from None
    # After chown, which may clear the set-user-ID and set-group-ID bits.
    os.fchmod(fd, stat.S_IMODE(st.st_mode))


def _remove_stale_temps(path: Path) -> None:
    import glob

    now = time.time()
    for leftover in glob.glob(os.path.join(glob.escape(str(path.parent)), f".{glob.escape(path.name)}.*{TEMP_SUFFIX}")):
        try:
            if now - os.lstat(leftover).st_mtime > STALE_TEMP_SECONDS:
                os.unlink(leftover)
        except OSError:
            pass


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
