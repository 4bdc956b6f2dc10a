"""Layer 5b (CLI): match paths against .gitignore files as git does, for folder walks.

The rules git documents (gitignore(5)): blank lines and ``#`` comments are skipped; ``!`` re-includes; a
trailing ``/`` matches folders only; a pattern with a ``/`` anywhere but the end is anchored to the folder of
its .gitignore, one without matches a name at any depth; ``*`` and ``?`` never match ``/``; ``**/``,
``/**/`` and a trailing ``/**`` match any number of folders. Deeper .gitignore files and later lines win. A
file inside an ignored folder stays ignored (the walk never enters the folder), as in git.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

Rule = tuple["re.Pattern[str]", bool, bool]
"""(pattern over the path relative to the .gitignore's folder, negated, folders only)."""


def _translate(pattern: str) -> str:
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("/.*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1:j].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body[:1] == "!" else body) + "]")
                i = j + 1
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def parse(text: str) -> list[Rule]:
    """Read the rules of one .gitignore file."""
    rules: list[Rule] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        line = line.rstrip(" ") if not line.endswith("\\ ") else line
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = _translate(line.lstrip("/"))
        regex = ("^" if anchored else "^(?:.*/)?") + body + "$"
        rules.append((re.compile(regex, re.S), negated, dir_only))
    return rules


class GitIgnore:
    """The .gitignore rules that apply in a folder walk, read once per folder."""

    def __init__(self, root: Path):
        self.rules: dict[str, list[Rule]] = {}
        self.top = _git_top(root)
        self._bases: Optional[list[str]] = None
        """The folders whose rules are not empty, shortest first (worked out again after a load)."""

    def load(self, folder: "str | Path") -> None:
        """Read ``folder/.gitignore`` (if any) before the folder's entries are matched."""
        key = os.path.abspath(folder)
        if key in self.rules:
            return
        try:
            text = Path(folder, ".gitignore").read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        self.rules[key] = parse(text)
        self._bases = None

    def load_parents(self, root: Path) -> None:
        """Read the .gitignore files between the repository's top folder and the walk's root."""
        if self.top is None:
            return
        here = Path(os.path.abspath(root))
        chain = []
        while True:
            chain.append(here)
            if str(here) == self.top or here.parent == here:
                break
            here = here.parent
        for folder in reversed(chain):
            self.load(folder)
        exclude = Path(self.top) / ".git" / "info" / "exclude"
        try:
            self.rules[self.top] = parse(exclude.read_text(encoding="utf-8", errors="replace")) + \
                self.rules.get(self.top, [])
            self._bases = None
        except OSError:
            pass

    def ignored(self, path: "str | Path", is_dir: bool) -> bool:
        """Whether git would ignore ``path``: the last matching rule of the deepest .gitignore decides."""
        bases = self._bases
        if bases is None:
            # Sorted once, not per file: a walk of 20,000 files in 100 folders spent a quarter of a cached
            # run's time sorting the folders' (mostly empty) rule lists.
            bases = self._bases = sorted((base for base, rules in self.rules.items() if rules), key=len)
        if not bases:
            return False
        full = os.path.abspath(path)
        verdict = False
        for base in bases:
            rules = self.rules[base]
            if not full.startswith(base.rstrip(os.sep) + os.sep):
                continue
            rel = full[len(base.rstrip(os.sep)) + 1:].replace(os.sep, "/")
            for regex, negated, dir_only in rules:
                if (is_dir or not dir_only) and regex.match(rel):
                    verdict = not negated
        return verdict


def _git_top(start: Path) -> Optional[str]:
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return str(folder)
    return None
