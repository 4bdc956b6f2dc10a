"""Layer 3 (engine): read the files a config or an editor's settings names: regular files of bounded size only.

A config, a rule pack and editor settings are data that may come from a cloned repository. A name in them
can point at a FIFO (reading blocks for ever), ``/dev/zero`` (reading never ends), ``/dev/stdin`` (the
language server's own JSON-RPC stream) or a file of gigabytes. Each is refused before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_INPUT_BYTES = 32 * 1024 * 1024
"""Largest config, rule pack, lexicon or brand list read: a list of 20,000 brands is about 300 KB."""


class InputFileError(Exception):
    """A named file is not a regular file, or is too large; ``detail`` says which and why, for the user."""

    def __init__(self, path: Path, detail: str):
        self.path = path
        self.detail = detail
        super().__init__(f"{path} {detail}")


def file_kind(mode: int) -> str:
    """Describe what a stat mode is, for messages ("a named pipe (FIFO)", "a device")."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something else"


def _check(path: Path, st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = file_kind(st.st_mode)
        raise InputFileError(path, f"is {kind}, not a regular file" if kind != "something else" else
                             "is not a regular file")
    if st.st_size > limit:
        raise InputFileError(path, f"is {st.st_size:,} bytes, over the limit of {limit:,} for a file named by "
                             "a config or setting")


def check_input_file(path: Path, limit: int = MAX_INPUT_BYTES) -> None:
    """Raise InputFileError unless ``path`` (symlinks followed) is a regular file of at most ``limit`` bytes.

    Only ``stat`` is used: nothing is opened, so a FIFO or device is never touched. OSError (no such
    file, no permission) is left to the caller, which words it for its own setting.
    """
    _check(path, os.stat(path), limit)


def read_input_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Return the bytes of a regular file of at most ``limit`` bytes; raise InputFileError or OSError otherwise.

    Checked with ``stat`` before opening, opened without blocking (a FIFO swapped in after the check
    cannot hang the open), checked again on the open file, and read no further than ``limit``.
    """
    check_input_file(path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        _check(path, os.fstat(fd), limit)
        raw = fh.read(limit + 1)
    if len(raw) > limit:  # grew since the check
        raise InputFileError(path, f"is over the limit of {limit:,} bytes for a file named by a config or setting")
    return raw
