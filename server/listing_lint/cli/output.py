"""Layer 5b (CLI): where the report goes (an --output file or standard output), always as valid UTF-8."""

from __future__ import annotations

import sys
from typing import Iterable, Optional, TextIO

from .safe_text import escape, without_surrogates

JSON_FORMATS = frozenset({"json", "jsonl", "sarif", "html"})
"""Formats that are or embed JSON: a surrogate there sits in a JSON string, so its escape doubles the backslash."""


class OutputError(Exception):
    """The report could not be written (a full disk, a missing folder, no permission): one line, exit 2."""

    def __init__(self, where: str, exc: OSError):
        super().__init__(f"cannot write the report to {escape(where)}: {exc.strerror or exc}")


class Output:
    """A text stream for the report that never fails with a traceback and never writes invalid UTF-8.

    - A file name that is not UTF-8 reaches Python as lone surrogates; each is written as its escape
      (``\\xff``), which a UTF-8 file can hold, instead of failing (``--output``) or writing the raw byte
      (standard output in a C locale), which makes the JSON or SARIF invalid.
    - Any OSError while opening, writing or closing becomes an ``OutputError`` naming the destination.
      A closed pipe stays a BrokenPipeError: the reader went away (``| head``), which is not an error.
    """

    def __init__(self, fmt: str, path: Optional[str] = None):
        self.json = fmt in JSON_FORMATS
        self.where = path if path is not None else "standard output"
        self.failed = False
        self.stream: TextIO = sys.stdout
        if path is not None:
            self.stream = self._guard(lambda: open(path, "w", encoding="utf-8"))

    def _guard(self, action):
        try:
            return action()
        except BrokenPipeError:
            raise
        except OSError as exc:
            self.failed = True
            raise OutputError(self.where, exc) from None

    def write(self, text: str) -> int:
        text = without_surrogates(text, self.json)
        return self._guard(lambda: self.stream.write(text))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._guard(self.stream.flush)

    def isatty(self) -> bool:
        return self.stream.isatty()

    def close(self) -> None:
        """Flush, and close an --output file; after a failed write, only release the file."""
        if self.stream is sys.stdout:
            if not self.failed:
                self.flush()
            return
        if self.failed:
            try:
                self.stream.close()
            except OSError:
                pass  # already reported: the first failure is the one that says why
            return
        self._guard(self.stream.close)
