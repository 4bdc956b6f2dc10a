"""Layer 5b (CLI): the units of a batch run (a file, or a slice of a large catalog) and the worker that lints them."""

from __future__ import annotations

import ctypes
import difflib
import os
import signal
import sys
from pathlib import Path
from typing import Optional, Union

import attrs

from ..config import Config
from ..diagnostics import Applicability
from ..document import DocumentResult, fix_document, lint_slice, lint_text
from ..engine.lint import ruleset_for
from ..extract.source import SourceError, decode, read_source
from ..extract.stream import Slice
from .records import Record, records_for
from .write import ChangedOnDisk, write_atomically

LINTED, SKIPPED, FAILED, PART = "linted", "skipped", "failed", "part"


@attrs.frozen
class RunOptions:
    """What every unit of a run does: lint only, fix in place, or print a diff."""

    fix: bool = False
    diff: bool = False
    threshold: Applicability = Applicability.SAFE


@attrs.frozen
class FileTask:
    """Lint (or fix) one whole file."""

    path: str
    fmt: str
    config_id: int
    raw: Optional[bytes] = None
    """The bytes the parent already read to look the file up in the cache (None: the worker reads them)."""
    key: str = ""
    """The cache key of ``raw``."""
    stat: Optional[tuple[int, int]] = None
    """Size and modification time (ns) of the file when the parent read it, kept with its cached result."""

    @property
    def name(self) -> str:
        """The file, as named in messages."""
        return self.path


@attrs.frozen
class SliceTask:
    """Lint a slice of whole rows of a catalog too big to read at once."""

    piece: Slice
    config_id: int

    @property
    def name(self) -> str:
        """The catalog file, as named in messages."""
        return self.piece.path


Task = Union[FileTask, SliceTask]


@attrs.frozen
class FileResult:
    """What one unit found: findings placed in the file, the listings read, and problems to report."""

    name: str
    status: str
    """linted, skipped (not a listing file), failed (unreadable), or part (a later slice of a catalog)."""
    records: list[Record] = attrs.Factory(list)
    listings: int = 0
    problems: list[str] = attrs.Factory(list)
    fixed: int = 0
    diff: str = ""
    changed: bool = False
    """True when --fix rewrote the file (its cached result no longer applies)."""


# Set once per process (inherited by forked workers), so tasks carry a small config id, not the config.
_STATE: dict[str, object] = {"configs": [], "options": RunOptions()}


def init_worker(configs: list[Config], options: RunOptions, parent: Optional[int] = None) -> None:
    """Give this process the run's configs and options; a worker (given its parent's pid) also compiles the rules.

    A worker dies with its parent: if the parent is killed, nothing must keep running in the background or
    hold the terminal's or CI's output pipe open.
    """
    _STATE["configs"] = configs
    _STATE["options"] = options
    if parent is not None:
        _die_with(parent)
        for config in configs:
            ruleset_for(config)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel kills us when the parent dies
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def run_batch(tasks: list[Task]) -> list[FileResult]:
    """Run a batch of tasks; a crash inside one is reported against its file and the rest go on."""
    out = []
    for task in tasks:
        try:
            out.append(run_task(task))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop a catalog run
            name = task.name
            where = f":{task.piece.line_base + 1}" if isinstance(task, SliceTask) else ""
            out.append(FileResult(name, FAILED, problems=[
                f"{name}{where}: internal error while linting ({type(exc).__name__}: {exc}); please report it"]))
    return out


def run_task(task: Task) -> FileResult:
    """Lint, fix or diff one unit of work."""
    configs: list[Config] = _STATE["configs"]  # type: ignore[assignment]
    config = configs[task.config_id]
    if isinstance(task, SliceTask):
        result = lint_slice(task.piece, config)
        status = LINTED if task.piece.line_base == 0 else PART
        return file_result(result, task.piece.path, status)
    options: RunOptions = _STATE["options"]  # type: ignore[assignment]
    path = Path(task.path)
    try:
        source = decode(task.path, task.raw) if task.raw is not None else read_source(path, config.max_file_size)
    except SourceError as exc:
        return FileResult(task.path, FAILED, problems=[str(exc)])
    if not (options.fix or options.diff):
        return file_result(lint_text(task.path, source.text, config, task.fmt), task.path)
    new_text, applied, result = fix_document(task.path, source.text, config, options.threshold, task.fmt)
    if not applied or new_text == source.text:
        return file_result(result, task.path)
    if options.diff:
        return file_result(result, task.path, fixed=applied, diff=unified_diff(task.path, source.text, new_text))
    try:
        write_atomically(path, source, new_text)
    except ChangedOnDisk as exc:
        return file_result(lint_text(task.path, source.text, config, task.fmt), task.path, problems=[str(exc)])
    except OSError as exc:
        return file_result(lint_text(task.path, source.text, config, task.fmt), task.path,
                       problems=[f"{task.path}: cannot write fixes: {exc.strerror or exc}"])
    return file_result(result, task.path, fixed=applied, changed=True)


def file_result(result: DocumentResult, name: str, status: str = LINTED, problems: Optional[list[str]] = None,
                **extra: object) -> FileResult:
    """Place a document's findings in its file and collect its problems."""
    if not result.recognised:
        return FileResult(name, SKIPPED)
    found = [str(e) for e in result.errors] + (problems or [])
    return FileResult(name, status, records_for(result, name), len(result.listings), found, **extra)


def unified_diff(name: str, before: str, after: str) -> str:
    """Return a unified diff of a file's fixes, marking a missing final newline as diff does."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)
