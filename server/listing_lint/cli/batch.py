"""Layer 5b (CLI): the units of a batch run (a file, or a slice of a large catalog) and the worker that lints them."""

from __future__ import annotations

import fnmatch
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Optional, TYPE_CHECKING, Union

from ..config import Config
from ..diagnostics import Applicability
from ..document import (DocumentResult, LintedListing, extract_text, fix_document, lint_extraction, lint_slice,
                        lint_text)
from ..engine.lint import ruleset_for
from ..extract import BINARY_FORMATS, Extraction
from ..extract.source import Source, SourceError, decode, read_bytes, read_source
from .records import Record, records_for
from .repeated_files import Copied, RepeatedFiles, Sighting
from .safe_text import escape

if TYPE_CHECKING:
    from ..extract.stream import Slice

LINTED, SKIPPED, FAILED, PART = "linted", "skipped", "failed", "part"


class RunOptions(NamedTuple):
    """What every unit of a run does: lint only, fix in place, or print a diff."""

    fix: bool = False
    diff: bool = False
    threshold: Applicability = Applicability.SAFE


class FileTask(NamedTuple):
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


class SliceTask(NamedTuple):
    """Lint a slice of whole rows of a catalog too big to read at once."""

    piece: Slice
    config_id: int

    @property
    def name(self) -> str:
        """The catalog file, as named in messages."""
        return self.piece.path


class SheetTask(NamedTuple):
    """Lint a run of listings read from a workbook (the parent reads the workbook once and splits its rows)."""

    path: str
    listings: tuple
    config_id: int
    first: bool
    errors: tuple = ()

    @property
    def name(self) -> str:
        """The workbook, as named in messages."""
        return self.path


Task = Union[FileTask, SliceTask, SheetTask]


class FileResult(NamedTuple):
    """What one unit found: findings placed in the file, the listings read, and problems to report."""

    name: str
    status: str
    """linted, skipped (not a listing file), failed (unreadable), or part (a later slice of a catalog)."""
    records: Sequence[Record] = ()
    listings: int = 0
    problems: Sequence[str] = ()
    fixed: int = 0
    diff: str = ""
    changed: bool = False
    """True when --fix rewrote the file (its cached result no longer applies)."""
    notes: Sequence[str] = ()
    """Things to tell the user that are not problems (e.g. that --fix leaves spreadsheets alone)."""
    copied: Optional[Copied] = None
    """The records these were placed from, as ``RepeatedFiles`` remembers them, and how far: the result cache
    stores those once for every file that repeats them (None: the records are this file's alone)."""


# Set once per process (inherited by forked workers), so tasks carry a small config id, not the config.
_STATE: dict[str, object] = {"configs": [], "options": RunOptions(), "files": RepeatedFiles()}


def init_worker(configs: list[Config], options: RunOptions, parent: Optional[int] = None) -> None:
    """Give this process the run's configs and options; a worker (given its parent's pid) also compiles the rules.

    A worker dies with its parent: if the parent is killed, nothing must keep running in the background or
    hold the terminal's or CI's output pipe open.
    """
    _STATE["configs"] = configs
    _STATE["options"] = options
    _STATE["files"] = RepeatedFiles()  # a new run (``check --watch`` starts one per change) may read new configs
    _STATE["worker"] = parent is not None
    if parent is not None:
        _die_with(parent)
        for config in configs:
            ruleset_for(config)


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes  # only workers need it
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: the kernel kills us when the parent dies
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


YOUNG_COLLECTION = 300_000
"""Container objects made (less those freed) before the collector looks at the young ones, instead of
Python's 700: a listing's lint makes a few hundred that are freed at once, and none that is garbage in a
cycle; what outlives a file is its results, kept for the report and the cache, which a collection walks and
finds nothing in. On 20,000 files Python's 700 walked them 659 times (0.30 s of a 5.3 s run); 10,000, 28
times (50-60 ms of 1.35 s, nothing collected); this, not once in that run (1.30 s against 1.36, median of
five pairs). A longer run still collects, each 300,000 objects: cyclic garbage, if a run ever made some,
stays bounded (a few tens of MB)."""


def resume_collection() -> None:
    """End start-up's pause of the garbage collector, once: the command line turns it off for start-up
    (__main__.py), which the first batch of a process ends (rules built, lexicons read). What start-up made is
    frozen, never walked again, and collection resumes for the rest of the run, however long, less often
    (``YOUNG_COLLECTION``)."""
    if not gc.isenabled() and not _STATE.get("collecting"):
        _STATE["collecting"] = True
        gc.freeze()
        _, middle, old = gc.get_threshold()
        gc.set_threshold(YOUNG_COLLECTION, middle, old)
        gc.enable()


def run_batch(tasks: list[Task]) -> list[FileResult]:
    """Run a batch of tasks; a crash inside one is reported against its file and the rest go on."""
    try:
        return _run_batch(tasks)
    finally:
        _files().expected.clear()
        resume_collection()


def _run_batch(tasks: list[Task]) -> list[FileResult]:
    options: RunOptions = _STATE["options"]  # type: ignore[assignment]
    if options.fix or options.diff:
        return [_safely(run_task, task, task) for task in tasks]
    # Lint only, a batch goes in three passes (read and extract every file, lint every listing, place every
    # finding) rather than file by file: the engine's code and tables stay in the processor's caches from one
    # listing to the next instead of giving way to the reader's and the report's.
    work = [_safely(_open_file, task, task) if _plain(task) else _safely(run_task, task, task) for task in tasks]
    work = [_safely(_lint_opened, w, task) if isinstance(w, _Opened) else w for w, task in zip(work, tasks)]
    return [_safely(_place, w, task) if isinstance(w, _Opened) else w for w, task in zip(work, tasks)]


def _safely(step: Callable[[Any], Any], work: Any, task: Task) -> Any:
    """Run one step of a task; a crash inside it is reported against the task's file and the batch goes on."""
    try:
        return step(work)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop a catalog run
        name = task.name
        where = f":{task.piece.line_base + 1}" if isinstance(task, SliceTask) else ""
        return FileResult(name, FAILED, problems=[
            f"{name}{where}: internal error while linting ({type(exc).__name__}: {exc}); please report it"])


class _Opened(NamedTuple):
    """A file to lint, read and its listings extracted, then linted (the passes of ``_run_batch``)."""

    task: FileTask
    config: Config
    text: str
    extraction: Optional[Extraction]
    """None: a file whose copy another file of the batch is linted for; placed after it (``RepeatedFiles``)."""
    result: Optional[DocumentResult] = None
    seen: Optional[Sighting] = None
    """How ``RepeatedFiles`` looks the file up (None: a file it does not remember)."""


def _plain(task: Task) -> bool:
    """Whether a task is a whole text file to lint (not a slice, a workbook or its rows)."""
    return isinstance(task, FileTask) and task.fmt not in BINARY_FORMATS


def _open_file(task: FileTask) -> Union[FileResult, _Opened]:
    config: Config = _STATE["configs"][task.config_id]  # type: ignore[index]
    try:
        source = _source(task, config)
    except SourceError as exc:
        return FileResult(task.path, FAILED, problems=[str(exc)])
    text = source.text
    seen = None
    if task.fmt == "markdown":
        files = _files()
        seen = files.look(task.config_id, text)
        if seen is not None:
            found = files.get(seen, task.path)
            if found is not None:
                return _met(task, *found, config)
            if not files.expect(seen):
                return _Opened(task, config, text, None, seen=seen)
    return _Opened(task, config, text, extract_text(task.path, text, config, task.fmt), seen=seen)


def met_before(task: FileTask) -> Optional[FileResult]:
    """Answer a file the parent of a run has read (for the cache) from the copy its processes met before, or None.

    With several processes each remembers what it linted; the parent also remembers what they all found
    (``remember_settled``), so a file whose copy any of them met is answered here, as a cached file is.
    """
    seen = _sighting(task)
    found = None if seen is None else _files().get(seen, task.path)
    return None if found is None else _met(task, *found, _STATE["configs"][task.config_id])  # type: ignore[index]


def remember_settled(task: FileTask, result: FileResult) -> None:
    """Remember what a worker process found in a file the parent read, unless it had problems or
    ``per-file-ignores`` dropped some of its findings there (``met_before``)."""
    if result.status != LINTED or result.listings != 1 or result.problems or result.notes:
        return
    config: Config = _STATE["configs"][task.config_id]  # type: ignore[index]
    if not config.per_file_ignores:
        seen = _sighting(task)
        if seen is not None:
            _files().keep(seen, list(result.records))


def _sighting(task: FileTask) -> Optional[Sighting]:
    if task.fmt != "markdown" or task.raw is None:
        return None
    try:
        text = _source(task, _STATE["configs"][task.config_id]).text  # type: ignore[index]
    except SourceError:
        return None
    return RepeatedFiles.look(task.config_id, text)


def _files() -> RepeatedFiles:
    return _STATE["files"]  # type: ignore[return-value]


def _met(task: FileTask, records: list[Record], copied: Copied, config: Config) -> FileResult:
    """The result of a file whose copy was met before (its records placed in it by ``RepeatedFiles.get``)."""
    return _copied(FileResult(task.path, LINTED, _ignoring(records, config, task.path), 1, []), copied)


def _copied(result: FileResult, copied: Optional[Copied]) -> FileResult:
    """Note what a file's records were placed from, for the result cache, unless ``per-file-ignores`` dropped
    some of them or this is a worker process (whose results go to the parent, which would receive a copy)."""
    if copied is None or not result.records or _STATE.get("worker") or len(result.records) != len(copied[0]):
        return result
    return result._replace(copied=copied)


def _lint_opened(opened: _Opened) -> _Opened:
    task = opened.task
    if opened.extraction is None:
        return opened
    return opened._replace(result=lint_extraction(task.path, opened.text, opened.extraction, opened.config, task.fmt))


def _place(linted: _Opened) -> FileResult:
    task = linted.task
    if linted.extraction is None:  # its copy was placed just before, and is remembered unless it had problems
        assert linted.seen is not None
        found = _files().get(linted.seen, task.path)
        if found is not None:
            return _met(task, *found, linted.config)
        linted = _lint_opened(linted._replace(extraction=extract_text(task.path, linted.text, linted.config,
                                                                      task.fmt)))
    result = linted.result
    assert result is not None
    if linted.seen is None or not result.recognised:
        return file_result(result, linted.task.path, config=linted.config)
    records = records_for(result, linted.task.path)
    copied = _files().put(linted.seen, result, records)
    return _copied(file_result(result, linted.task.path, config=linted.config, records=records), copied)


def _source(task: FileTask, config: Config) -> Source:
    fallback = config.fallback_encoding()
    return decode(task.path, task.raw, fallback) if task.raw is not None else \
        read_source(task.path, config.max_file_size, fallback)


def run_task(task: Task) -> FileResult:
    """Lint, fix or diff one unit of work (a batch to lint goes through ``_run_batch``'s passes instead)."""
    configs: list[Config] = _STATE["configs"]  # type: ignore[assignment]
    config = configs[task.config_id]
    if isinstance(task, SheetTask):
        rules = ruleset_for(config)
        linted = [LintedListing(listing, rules.lint(listing)) for listing in task.listings]
        result = DocumentResult(task.path, "", linted, list(task.errors), True)
        return file_result(result, task.path, LINTED if task.first else PART, config=config)
    if isinstance(task, SliceTask):
        result = lint_slice(task.piece, config)
        status = LINTED if task.piece.line_base == 0 else PART
        return file_result(result, task.piece.path, status, config=config)
    options: RunOptions = _STATE["options"]  # type: ignore[assignment]
    if task.fmt in BINARY_FORMATS:
        return _run_workbook(task, config, options)
    if not (options.fix or options.diff):
        opened = _open_file(task)
        return opened if isinstance(opened, FileResult) else _place(_lint_opened(opened))
    try:
        source = _source(task, config)
    except SourceError as exc:
        return FileResult(task.path, FAILED, problems=[str(exc)])
    new_text, applied, result = fix_document(task.path, source.text, config, options.threshold, task.fmt)
    if not applied or new_text == source.text:
        return file_result(result, task.path, config=config)
    unencodable = _unencodable(source, new_text)
    if unencodable:
        return file_result(lint_text(task.path, source.text, config, task.fmt), task.path, config=config, problems=[
            f"{task.path}: fixes not written: the replacement text has {unencodable!r}, which {source.encoding} "
            "(the file's encoding) cannot hold; the file is unchanged"])
    if options.diff:
        return file_result(result, task.path, fixed=applied, diff=unified_diff(task.path, source.text, new_text),
                           config=config)
    from .write import ChangedOnDisk, write_atomically  # only --fix needs it

    try:
        write_atomically(Path(task.path), source, new_text)
    except ChangedOnDisk as exc:
        return file_result(lint_text(task.path, source.text, config, task.fmt), task.path, problems=[str(exc)],
                           config=config)
    except OSError as exc:
        return file_result(lint_text(task.path, source.text, config, task.fmt), task.path,
                           problems=[f"{task.path}: cannot write fixes: {exc.strerror or exc}"], config=config)
    return file_result(result, task.path, fixed=applied, changed=True, config=config)


def _unencodable(source: Source, text: str) -> str:
    """Return the first character of ``text`` that the file's encoding cannot write, or ''."""
    try:
        text.encode(source.encoding)
    except UnicodeEncodeError as exc:
        return text[exc.start:exc.end]
    return ""


def _run_workbook(task: FileTask, config: Config, options: RunOptions) -> FileResult:
    """Lint a workbook; --diff shows replacements per cell and --fix says it leaves the workbook alone."""
    from .sheets import NO_FIX, cell_diff, lint_workbook

    try:
        raw = task.raw if task.raw is not None else read_bytes(task.path, config.max_file_size)
    except SourceError as exc:
        return FileResult(task.path, FAILED, problems=[str(exc)])
    result = lint_workbook(task.path, raw, config)
    if result.errors and not result.listings:
        return FileResult(task.path, FAILED, problems=[str(e) for e in result.errors])
    if not (options.fix or options.diff):
        return file_result(result, task.path, config=config)
    diff, count = cell_diff(result, config, options.threshold)
    if options.diff:
        return file_result(result, task.path, fixed=count, diff=diff, config=config)
    notes = [f"{task.path}: {NO_FIX}"] if count else []
    return file_result(result, task.path, config=config, notes=notes)


def file_result(result: DocumentResult, name: str, status: str = LINTED, problems: Optional[list[str]] = None,
                config: Optional[Config] = None, records: Optional[list[Record]] = None, **extra: object) -> FileResult:
    """Place a document's findings in its file (less the rules ``per-file-ignores`` drops there) and collect its
    problems (``records``: its findings, already placed)."""
    if not result.recognised:
        return FileResult(name, SKIPPED)
    found = [str(e) for e in result.errors] + (problems or [])
    if records is None:
        records = records_for(result, name)
    return FileResult(name, status, _ignoring(records, config, name), len(result.listings), found, **extra)


def _ignoring(records: list[Record], config: Optional[Config], name: str) -> list[Record]:
    return drop_ignored(records, config, name) if config is not None and config.per_file_ignores else records


def drop_ignored(records: list[Record], config: Config, name: str) -> list[Record]:
    """Drop findings of rules that ``per-file-ignores`` turns off for this file (globs match the name or its path)."""
    selectors = ignored_here(config, name)
    if not selectors:
        return records
    return [r for r in records if not any(_selects(s, r) for s in selectors)]


def ignored_here(config: Config, name: str) -> tuple[str, ...]:
    """Return the rule selectors ``per-file-ignores`` gives for a file."""
    path = name.replace(os.sep, "/")
    base = config.path and os.path.dirname(os.path.abspath(config.path))
    rel = os.path.relpath(os.path.abspath(name), base).replace(os.sep, "/") if base else path
    out: list[str] = []
    for glob, selectors in config.per_file_ignores:
        if any(fnmatch.fnmatchcase(p, glob) for p in (path, rel, path.rpartition("/")[2])):
            out.extend(selectors)
    return tuple(out)


def _selects(selector: str, record: Record) -> bool:
    f = record.finding
    return selector in ("ALL", f.rule, f.code) or (selector[:1].isupper() and f.code.startswith(selector))


def unified_diff(name: str, before: str, after: str) -> str:
    """Return a unified diff of a file's fixes, marking a missing final newline as diff does.

    The file name is escaped here (a line break in it would end the header line); the lines themselves are
    escaped where the diff is printed.
    """
    name = escape(name)
    import difflib  # only --diff needs it

    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                   for line in lines)
