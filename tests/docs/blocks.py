"""Test helper (docs layer): pull fenced code blocks and links out of the project's Markdown files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

DOC_FILES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "vscode-client" / "README.md"])
"""The Markdown a user follows to install and use listing-lint (CHANGELOG.md quotes history, and
bench/README.md's commands are benchmarks of minutes: neither is a how-to)."""

SHELL_LANGS = {"sh", "bash", "shell", "console"}

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<lang>[\w+-]*)[^\n]*$")
# [text](target) and ![alt](target); the target stops at whitespace (a title may follow) or ')'.
_LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True)
class Block:
    """One fenced code block: its file, the line its first content line is on, its language and text."""

    path: Path
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """Return every fenced code block of a Markdown file, in order."""
    found: list[Block] = []
    lines = path.read_text("utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang, start = m["fence"], m["lang"].lower(), i + 1
        j = start
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        found.append(Block(path, start + 1, lang, "\n".join(lines[start:j]) + "\n"))
        i = j + 1
    return found


def all_blocks(langs: set[str]) -> list[Block]:
    return [b for p in DOC_FILES for b in blocks(p) if b.lang in langs]


def shell_lines(block: Block) -> list[tuple[int, str]]:
    """Return (line number, command) for each command of a shell block, joining backslash continuations."""
    out: list[tuple[int, str]] = []
    pending, pending_line = "", 0
    for offset, raw in enumerate(block.text.splitlines()):
        line = raw.rstrip()
        if block.lang == "console":
            if not line.startswith("$ "):
                continue
            line = line[2:]
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not pending:
            pending_line = block.line + offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        out.append((pending_line, pending + line))
        pending = ""
    return out


def _outside_code(text: str) -> str:
    """Blank out fenced blocks and inline code, so a link written as an example is not checked."""
    text = re.sub(r"(?ms)^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[^\n]*$", "", text)
    return re.sub(r"`[^`\n]*`", "", text)


def links(path: Path) -> list[tuple[int, bool, str]]:
    """Return (line, is_image, target) for every Markdown link of a file outside code."""
    text = _outside_code(path.read_text("utf-8"))
    found = []
    for m in _LINK.finditer(text):
        found.append((text.count("\n", 0, m.start()) + 1, bool(m["image"]), m["target"]))
    return found


def heading_anchors(path: Path) -> set[str]:
    """Return the anchors GitHub makes for a Markdown file's headings."""
    anchors: set[str] = set()
    counts: dict[str, int] = {}
    for line in _outside_code(path.read_text("utf-8")).splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m[1].strip().lower()).replace(" ", "-")
        n = counts.get(slug, 0)
        counts[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors
