"""Start-up (issue 13): what the command line imports before it lints, and the constants kept in step for it."""

from __future__ import annotations

import json
import subprocess
import sys

from listing_lint.cli import run
from listing_lint.extract import SPREADSHEET_SUFFIXES, stream
from listing_lint.extract import spreadsheet

NOT_AT_START = (
    "multiprocessing", "concurrent.futures", "tomllib", "ctypes", "tempfile", "secrets", "glob",
    "listing_lint.extract.catalog", "listing_lint.extract.spreadsheet", "listing_lint.extract.stream",
    "listing_lint.extract.json_listing",
)
"""Modules a lint of one Markdown file does not need: each is imported where its feature is used."""


def test_the_command_line_imports_no_reader_or_pool_it_does_not_need() -> None:
    code = ("import sys, json; import listing_lint.cli.main; "
            f"print(json.dumps([m for m in {list(NOT_AT_START)!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_constants_copied_for_start_up_agree_with_their_modules() -> None:
    assert run.STREAMABLE == stream.STREAMABLE
    assert spreadsheet.SPREADSHEET_SUFFIXES == SPREADSHEET_SUFFIXES
