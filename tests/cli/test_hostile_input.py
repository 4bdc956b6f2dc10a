"""Broken and hostile input: each gets a clear message naming the file (and line), and the run goes on."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from test_cli import run


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "good.listing.md").write_text("# Title\nKettle, see www.vantora.com\n", encoding="utf-8")
    (tmp_path / "empty.listing.md").write_bytes(b"")
    (tmp_path / "binary.listing.md").write_bytes(b"\x00\x01\x02\x89PNG")
    (tmp_path / "latin1.listing.md").write_bytes(b"# Title\ncaf\xe9 www.x.com\n")
    (tmp_path / "utf16.listing.md").write_bytes("\ufeff# Title\nsee www.utf16.com\n".encode("utf-16-le"))
    (tmp_path / "oneline.listing.md").write_text("# Title\n" + "word " * 200_000 + "www.far.com\n",
                                                 encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text('{"title": "a www.one.com"}\n{broken\n{"title": "c www.three.com"}\n',
                                         encoding="utf-8")
    (tmp_path / "cells.csv").write_text('item_sku,item_name\nA,"ok www.a.com"\nB,"never closed\n', encoding="utf-8")
    (tmp_path / "loop").mkdir()
    os.symlink("..", tmp_path / "loop" / "up")
    return tmp_path


def test_hostile_folder(hostile):
    result = run("check", "--select", "external-url", "--format", "json", ".", cwd=hostile)
    assert result.returncode == 1
    err = result.stderr
    assert "binary.listing.md:1: looks like a binary file (NUL byte); skipped" in err
    assert "latin1.listing.md:2:4: not valid UTF-8 (byte 0xe9)" in err
    assert "rows.jsonl:2:2: invalid JSON on this line" in err
    assert "cells.csv:3:1: a quoted cell is never closed" in err
    assert "symlink loop" in err
    found = {(Path(d["filename"]).name, d["location"]["row"], d["location"]["column"]) for d in json.loads(result.stdout)}
    assert {
        ("good.listing.md", 2, 13),
        ("utf16.listing.md", 2, 5),  # decoded from UTF-16 with its BOM
        ("oneline.listing.md", 2, 1_000_001),  # a 1 MB line
        ("rows.jsonl", 1, 14), ("rows.jsonl", 3, 14),  # the rows around the broken one
        ("cells.csv", 2, 7),
    } <= found


def test_file_over_size_limit_is_skipped_with_a_message(tmp_path):
    (tmp_path / "listing-lint.toml").write_text("max-file-size = 100\n", encoding="utf-8")
    (tmp_path / "big.listing.md").write_text("# Title\n" + "x" * 200 + "\n", encoding="utf-8")
    result = run("check", ".", cwd=tmp_path)
    assert "big.listing.md: file is 209 bytes, over the 100-byte limit (max-file-size); skipped" in result.stderr


def test_fix_keeps_utf16_encoding(tmp_path):
    path = tmp_path / "u.listing.md"
    path.write_bytes("\ufeff# Title\r\nsee www.utf16.com today\r\n".encode("utf-16-le"))
    result = run("check", "--select", "external-url", "--fix", "u.listing.md", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert path.read_bytes() == "\ufeff# Title\r\nsee today\r\n".encode("utf-16-le")
