"""Layer 5b (CLI): write fixed files atomically, keeping encoding, BOM, line endings and permissions."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..extract.source import Source


class ChangedOnDisk(Exception):
    """The file changed after it was read; writing would throw away someone's edit."""


def write_atomically(path: Path, source: Source, new_text: str) -> None:
    """Replace ``path`` with ``new_text`` encoded like the original, via a temporary file and a rename.

    The file is re-read first: if its bytes are no longer what was linted, nothing is written.
    """
    data = source.encode(new_text)
    current = path.read_bytes()
    if current != source.encode(source.text):
        raise ChangedOnDisk(f"{path}: changed on disk while it was being fixed; left as it is")
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".listing-lint-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
