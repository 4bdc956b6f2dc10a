"""Layer 5b (CLI): find the listing files under the paths given, honouring include and exclude globs."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from ..config import Config
from .gitignore import GitIgnore
from .write import TEMP_SUFFIX

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".listing-lint-cache",
             ".mypy_cache", ".pytest_cache", ".tox"}


class Discovery:
    """Files to lint (named as the walk reached them), plus what was skipped and why."""

    __slots__ = ("files", "skipped", "problems")

    def __init__(self) -> None:
        self.files: list[str] = []
        """Plain strings, not ``Path`` objects: building one per file cost more than the rest of a walk of 20,000."""
        self.skipped = 0
        self.problems: list[str] = []


@functools.lru_cache(maxsize=64)
def _pattern(patterns: tuple[str, ...]) -> "re.Pattern[str]":
    # One compiled pattern per glob list: matching 20,000 files against each glob in turn was a visible cost.
    return re.compile("|".join(fnmatch.translate(p) for p in patterns) or "(?!)")


def _posix(path: str) -> str:
    return path if os.sep == "/" else path.replace(os.sep, "/")


def _matches(path: str, patterns: tuple[str, ...], root: Path) -> bool:
    if not patterns:
        return False
    match = _pattern(patterns).match
    full = _posix(path)
    prefix = root.as_posix().rstrip("/") + "/"
    rel = full[len(prefix):] if full.startswith(prefix) else full
    return match(full.rpartition("/")[2]) is not None or match(rel) is not None


def discover(paths: list[Path], config: Config) -> Discovery:
    """Walk folders and pick files matching ``include`` that .gitignore does not exclude; never leave through a symlink.

    A file named on the command line is always linted. In a folder walk, a symlink is followed only to a
    file inside the folder, and that file is linted (and fixed) under its real name; a symlink to a folder,
    or to anything outside the folder, is not followed, so ``--fix`` cannot write outside the paths given.
    """
    found = Discovery()
    seen: set[tuple[int, int]] = set()
    for root in paths:
        if not root.exists() and not root.is_symlink():
            found.problems.append(f"{root}: no such file or folder")
            continue
        if root.is_symlink() and not root.exists():
            found.problems.append(f"{root}: broken symlink (to {os.readlink(root)!r}); skipped")
            continue
        if root.is_file():
            found.files.append(str(root))  # named on the command line: always linted
            continue
        if not root.is_dir():
            found.problems.append(f"{root}: not a file or folder")
            continue
        walk = _Walk(root, config, found, seen)
        # Plain string matching: this loop runs once per file of folders holding tens of thousands.
        include = _pattern(config.include).match
        exclude = _pattern(config.exclude).match if config.exclude else None
        prefix = root.as_posix().rstrip("/") + "/"
        for path in walk.files(str(root)):
            full = _posix(path)
            rel = full[len(prefix):] if full.startswith(prefix) else full
            name = full.rpartition("/")[2]
            if exclude is not None and (exclude(name) or exclude(rel)):
                continue
            if include(name) or include(rel):
                found.files.append(path)
            else:
                found.skipped += 1
    return found


class _Walk:
    """One folder walk: the folder's real path bounds every symlink followed."""

    def __init__(self, root: Path, config: Config, found: Discovery, seen: set[tuple[int, int]]):
        self.root, self.config, self.found, self.seen = root, config, found, seen
        self.real = os.path.realpath(root)
        self.files_seen: set[tuple[int, int]] = set()
        # Files git ignores (build output, exports kept out of the repository) are not listings to check.
        self.gitignore = GitIgnore(root)
        self.gitignore.load_parents(root)

    def _inside(self, real: str) -> bool:
        return real == self.real or real.startswith(self.real.rstrip(os.sep) + os.sep)

    def _wanted(self, path: str) -> bool:
        """Whether a symlink's own name would be linted (only then is a symlink worth a message)."""
        return not _matches(path, self.config.exclude, self.root) and _matches(path, self.config.include, self.root)

    def files(self, top: str) -> Iterator[str]:
        """Yield the files under ``top`` depth first, in name order (iteratively: folders may nest deeply)."""
        found = self.found
        stack: list[tuple[Iterator[os.DirEntry], int, str]] = []
        self._enter(top, stack)
        while stack:
            entries, dev, folder = stack[-1]
            entry = next(entries, None)
            if entry is None:
                stack.pop()
                continue
            # Named as pathlib would name it: without the "./" a walk of "." puts before its entries.
            path = entry.path[2:] if folder == "." else entry.path
            try:
                if self.gitignore.ignored(path, entry.is_dir()):
                    continue
                if entry.is_symlink():
                    target = self._symlink(entry, path, folder)
                    if target is not None:
                        yield target
                elif entry.is_dir():
                    if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                        self._enter(path, stack)
                elif entry.is_file():
                    if entry.name.endswith(TEMP_SUFFIX):
                        continue  # left by a --fix that was killed between writing and renaming
                    key = (dev, entry.inode())
                    if key not in self.files_seen:
                        self.files_seen.add(key)
                        yield path
            except OSError as exc:
                found.problems.append(f"{path}: {exc.strerror}")

    def _enter(self, folder: str, stack: list) -> None:
        found = self.found
        try:
            st = os.stat(folder)
        except OSError as exc:
            found.problems.append(f"{folder}: cannot read folder: {exc.strerror}")
            return
        key = (st.st_dev, st.st_ino)
        if key in self.seen:
            found.problems.append(f"{folder}: folder already visited (a bind mount loop?); skipped")
            return
        self.seen.add(key)
        self.gitignore.load(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            found.problems.append(f"{folder}: cannot read folder: {exc.strerror}")
            return
        stack.append((iter(entries), st.st_dev, folder))

    def _symlink(self, entry: os.DirEntry, path: str, folder: str) -> Optional[str]:
        """Return the real file a symlink in the walk stands for, or None (with a message where it matters)."""
        found = self.found
        real = os.path.realpath(entry.path)
        try:
            target = os.stat(real)
        except OSError:
            if self._wanted(path):
                found.problems.append(f"{path}: broken symlink (to {os.readlink(entry.path)!r}); skipped")
            return None
        if stat.S_ISDIR(target.st_mode):
            here = os.path.realpath(folder)
            if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
                found.problems.append(f"{path}: symlink loop (points back to {real}); not followed")
            elif not self._inside(real) and not _matches(path, self.config.exclude, self.root):
                found.problems.append(f"{path}: symlink to a folder outside {self.real} ({real}); not followed. "
                                      "Name it on the command line to lint it.")
            # A symlink to a folder inside the walk is not followed either: that folder is walked where it is.
            return None
        if not stat.S_ISREG(target.st_mode):
            return None
        if not self._inside(real):
            if self._wanted(path):
                found.problems.append(f"{path}: symlink to a file outside {self.real} ({real}); not followed. "
                                      "Name it on the command line to lint it.")
            return None
        key = (target.st_dev, target.st_ino)
        if key in self.files_seen:
            return None
        self.files_seen.add(key)
        # Lint (and fix) the file under its real name, so the symlink itself is never replaced.
        return str(self.root / os.path.relpath(real, self.real))
