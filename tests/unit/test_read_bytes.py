"""Reading a listing file: to its size, never past the size limit, and on when it grew or reports no size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from listing_lint.extract import source
from listing_lint.extract.source import SourceError, read_bytes

TEXT = b"# Title\nVantora Travel Mug 12 oz\n" * 40


def test_a_file_is_read_whole(tmp_path: Path):
    path = tmp_path / "mug.listing.md"
    path.write_bytes(TEXT)
    assert read_bytes(path, 64 * 1024 * 1024) == TEXT
    assert read_bytes(path, len(TEXT)) == TEXT
    assert read_bytes(path) == TEXT


def test_a_file_over_the_limit_is_refused(tmp_path: Path):
    path = tmp_path / "mug.listing.md"
    path.write_bytes(TEXT)
    with pytest.raises(SourceError, match="over the 100-byte limit"):
        read_bytes(path, 100)


def _reporting_size(monkeypatch, size: int) -> None:
    """Make fstat report ``size`` bytes for the file being read, as when it grows after fstat (or is a /proc file)."""
    real = os.fstat

    def fstat(fd):
        st = real(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, size,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(source.os, "fstat", fstat)


@pytest.mark.parametrize("reported", [0, 10, len(TEXT) - 1])
def test_a_file_larger_than_its_reported_size_is_read_on(tmp_path: Path, monkeypatch, reported: int):
    path = tmp_path / "mug.listing.md"
    path.write_bytes(TEXT)
    _reporting_size(monkeypatch, reported)
    assert read_bytes(path, 64 * 1024 * 1024) == TEXT
    assert read_bytes(path) == TEXT


def test_a_file_that_grew_past_the_limit_is_refused(tmp_path: Path, monkeypatch):
    path = tmp_path / "mug.listing.md"
    path.write_bytes(TEXT)
    _reporting_size(monkeypatch, 10)
    with pytest.raises(SourceError, match="grew past the 100-byte limit"):
        read_bytes(path, 100)


def test_a_proc_file_is_read_although_it_reports_no_size():
    proc = Path("/proc/self/status")
    if not proc.is_file() or proc.stat().st_size:
        pytest.skip("no /proc file reporting size 0 here")
    assert b"Name:" in read_bytes(proc, 1024 * 1024)


def test_a_file_given_in_short_reads_is_read_whole(tmp_path: Path, monkeypatch):
    """A network or FUSE file system may return fewer bytes than asked before the end: reading goes on (a file
    linted, and fixed, in part would lose the rest)."""
    path = tmp_path / "mug.listing.md"
    path.write_bytes(TEXT)
    real = os.read
    monkeypatch.setattr(source.os, "read", lambda fd, n: real(fd, min(n, 7)))
    assert read_bytes(path, 64 * 1024 * 1024) == TEXT
    assert read_bytes(path) == TEXT
