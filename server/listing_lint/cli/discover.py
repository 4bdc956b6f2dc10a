"""Layer 5b (CLI): find the listing files under the paths given, honouring include and exclude globs."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path

import attrs

from ..config import Config

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".listing-lint-cache",
             ".mypy_cache", ".pytest_cache", ".tox"}


@attrs.define
class Discovery:
    """Files to lint, plus what was skipped and why."""

    files: list[Path] = attrs.field(factory=list)
    skipped: int = 0
    problems: list[str] = attrs.field(factory=list)


def _matches(path: Path, patterns: tuple[str, ...], root: Path) -> bool:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(rel, p) for p in patterns)


def discover(paths: list[Path], config: Config) -> Discovery:
    """Walk folders (not following symlinked folders twice) and pick files matching ``include``."""
    found = Discovery()
    seen: set[tuple[int, int]] = set()
    for root in paths:
        if not root.exists() and not root.is_symlink():
            found.problems.append(f"{root}: no such file or folder")
            continue
        if root.is_file():
            found.files.append(root)  # named on the command line: always linted
            continue
        if not root.is_dir():
            found.problems.append(f"{root}: not a file or folder")
            continue
        for path in _walk(root, seen, found):
            if _matches(path, config.exclude, root):
                continue
            if _matches(path, config.include, root):
                found.files.append(path)
            else:
                found.skipped += 1
    return found


def _walk(root: Path, seen: set[tuple[int, int]], found: Discovery) -> Iterator[Path]:
    try:
        st = root.stat()
    except OSError as exc:
        found.problems.append(f"{root}: cannot read folder: {exc.strerror}")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        found.problems.append(f"{root}: folder already visited (symlink loop?); skipped")
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        found.problems.append(f"{root}: cannot read folder: {exc.strerror}")
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir():
                if entry.name in SKIP_DIRS or entry.name.startswith("."):
                    continue
                yield from _walk(path, seen, found)
            elif entry.is_file():
                yield path
        except OSError as exc:
            found.problems.append(f"{path}: {exc.strerror}")
