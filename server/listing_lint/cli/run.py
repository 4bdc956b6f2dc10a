"""Layer 5b (CLI): plan a batch run: read or stream each file, answer from the cache, and feed the worker pool."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Optional

from ..config import Config
from ..engine.lint import ruleset_for
from ..extract import BINARY_FORMATS, detect_format, extract_workbook
from ..extract.source import SourceError, read_bytes, read_bytes_and_stat
from .batch import (FAILED, SKIPPED, FileResult, FileTask, RunOptions, SheetTask, SliceTask, Task, init_worker,
                    met_before, remember_settled, resume_collection, run_batch)
from .cache import ResultCache, digest
from .pool import OrderedPool

STREAMABLE = ("jsonl", "csv", "tsv")
"""Formats read in slices when big; extract/stream.py's STREAMABLE (a test keeps them equal)."""
STREAM_MIN_BYTES = 8 * 1024 * 1024
"""Catalogs bigger than this are linted as slices of rows (in parallel, in bounded memory) instead of whole."""
SHEET_ROWS = 2000
"""Workbook rows per task: the parent reads the workbook once and the workers lint runs of its rows."""
BATCH_FILES, BATCH_BYTES = 128, 512 * 1024
"""Small files travel to workers in batches, so hand-offs cost little next to the linting, and a batch is linted a
pass at a time (batch.run_batch). 20,000 files: with 32 files or 256 KB a batch, 3.57-3.59 s on one core and
2.43 s on two; with 128 files or 512 KB, 3.43-3.49 s and 2.21-2.28 s (a worker waits for fewer hand-offs)."""


class CheckRun:
    """Lint files with a config each, in order, through the cache and a pool of ``jobs`` processes."""

    def __init__(self, options: RunOptions, jobs: int, cache_dir: Optional[Path],
                 report_problem: Callable[[str], None]):
        self.options = options
        self.jobs = jobs
        self.cache_dir = cache_dir
        self.report_problem = report_problem
        self.configs: list[Config] = []
        self.caches: dict[int, ResultCache] = {}
        self.prepared = False
        self.cwd = os.getcwd()
        self.folders: dict[str, str] = {}
        """Folder as named -> its absolute, normalised name and a separator (``_absolute``)."""
        self.workers = False
        """Whether worker processes lint (then this process also answers copy they met: ``batch.met_before``)."""

    def _config_id(self, config: Config) -> int:
        for i, c in enumerate(self.configs):
            if c is config:
                return i
        self.configs.append(config)
        return len(self.configs) - 1

    def results(self, files: list[tuple[str, Config]]) -> Iterator[FileResult]:
        """Yield the result of each file (or of each slice of a streamed catalog), in the order given."""
        plan = []
        last: Optional[Config] = None
        for path, config in files:
            if config is not last:  # a folder's files share one config
                last, config_id = config, self._config_id(config)
            plan.append((path, config_id))
        streaming = any(self._big_input(path) for path, _ in plan)
        jobs = self.jobs if streaming else self._useful_jobs(plan)
        self.workers = jobs > 1
        init_worker(self.configs, self.options)
        pool: OrderedPool[list[FileResult]] = OrderedPool(
            jobs, run_batch, init_worker, (self.configs, self.options, os.getpid()), on_broken=_broken)
        try:
            for work, results in self._feed(plan, pool):
                yield from self._settle(work, results)
            for work, results in pool.drain():
                yield from self._settle(work, results)
        finally:
            pool.close()
            for cache in self.caches.values():
                problem = cache.save()
                if problem:
                    self.report_problem(problem)

    def _useful_jobs(self, plan: list[tuple[str, int]]) -> int:
        """Return how many processes these files can keep busy: ``_feed`` hands small files over in batches, and a
        pool of more processes than batches only builds rule sets it never uses (a pre-commit hook's few changed
        files on an eight-core machine: one process linted them while seven more started and built theirs)."""
        if len(plan) > self.jobs * BATCH_FILES:
            return self.jobs  # more batches than processes, whatever the files' sizes
        batches = files = size = 0
        for path, _ in plan:
            if detect_format(path) in BINARY_FORMATS:
                return self.jobs  # a workbook's rows go to the workers in runs
            files += 1
            size += _size(path)
            if files >= BATCH_FILES or size >= BATCH_BYTES:
                batches, files, size = batches + 1, 0, 0
        return max(1, min(self.jobs, batches + (files > 0)))

    def _absolute(self, name: str) -> str:
        # os.path.abspath asks the OS for the working folder on every call; it does not change in a run. A folder's
        # files share its absolute name, worked out once: a file's own name is never "." or "..".
        folder, sep, base = name.rpartition(os.sep)
        if base in ("", ".", "..") or (os.altsep and os.altsep in name):
            return name if os.path.isabs(name) else os.path.normpath(os.path.join(self.cwd, name))
        head = folder + sep
        prefix = self.folders.get(head)
        if prefix is None:
            absolute = self._absolute(head) if head else self.cwd
            prefix = self.folders[head] = absolute if absolute.endswith(os.sep) else absolute + os.sep
        return prefix + base

    def _big_input(self, path: str) -> bool:
        """Whether the file is read in parts across the workers (a big catalog or workbook)."""
        fmt = detect_format(path)
        return fmt in STREAMABLE and self._streams(path, fmt) or fmt in BINARY_FORMATS and self._big_workbook(path)

    def _big_workbook(self, path: str) -> bool:
        if self.options.fix or self.options.diff or detect_format(path) not in BINARY_FORMATS:
            return False
        try:
            return os.stat(path).st_size > 256 * 1024
        except OSError:
            return False

    def _streams(self, path: str, fmt: Optional[str]) -> bool:
        if self.options.fix or self.options.diff or fmt not in STREAMABLE:  # kept in step with extract.stream
            return False
        try:
            return os.stat(path).st_size > STREAM_MIN_BYTES
        except OSError:
            return False

    def _cache(self, config_id: int) -> Optional[ResultCache]:
        if self.cache_dir is None:
            return None
        cache = self.caches.get(config_id)
        if cache is None:
            cache = ResultCache(self.cache_dir, self.configs[config_id])
            if cache.problem:
                self.report_problem(cache.problem)
            if cache.refused:  # an unsafe folder is refused for the whole run, and said once
                self.cache_dir = None
                return None
            self.caches[config_id] = cache
        return cache

    def _feed(self, plan: list[tuple[str, int]], pool: OrderedPool) -> Iterator[tuple[object, list[FileResult]]]:
        batch: list[Task] = []
        size = 0
        threshold = self.options.threshold if (self.options.fix or self.options.diff) else None
        for name, config_id in plan:
            # A name's format is in its ending, so the whole path tells it as its last part would.
            fmt = detect_format(name)
            if fmt is None:
                yield from self._known(pool, batch, FileResult(name, FAILED, problems=[
                    f"{name}: not a listing format listing-lint reads (.listing.md, .listing.json, .jsonl, .csv, "
                    ".tsv, .txt, .xlsx, .xlsm); skipped"]))
                batch, size = [], 0
                continue
            if fmt in BINARY_FORMATS and not (self.options.fix or self.options.diff):
                if batch:
                    yield from self._submit(pool, batch)
                    batch, size = [], 0
                yield from self._workbook(pool, name, config_id)
                continue
            if self._streams(name, fmt):
                if batch:
                    yield from self._submit(pool, batch)
                    batch, size = [], 0
                try:
                    config = self.configs[config_id]
                    from ..extract.stream import iter_slices  # only big catalogs need the streaming reader

                    for piece in iter_slices(Path(name), fmt, name, fallback=config.fallback_encoding(),
                                             columns=config.column_map(), marketplace=config.marketplace,
                                             forced=config.marketplace_forced):
                        yield from self._submit(pool, [SliceTask(piece, config_id)])
                except SourceError as exc:
                    yield from pool.add([FileResult(name, FAILED, problems=[str(exc)])])
                continue
            # Spreadsheet findings carry a cell the cache does not keep: workbooks are always read afresh.
            cache = None if fmt in BINARY_FORMATS else self._cache(config_id)
            raw: Optional[bytes] = None
            key = ""
            stamp: Optional[tuple[int, int]] = None
            if cache is not None:
                abspath = self._absolute(name)
                try:
                    # A file the cache has never seen (a first run's every file) is not stat'ed first: its
                    # status comes with the read.
                    hit = cache.get(abspath, None, name, threshold, stat=os.stat(name)) if abspath in cache else None
                    if hit is None:
                        raw, st = read_bytes_and_stat(name, self.configs[config_id].max_file_size)
                        key = digest(raw)
                        stamp = (st.st_size, st.st_mtime_ns)
                        hit = cache.get(abspath, key, name, threshold)
                        if hit is not None:
                            cache.restamp(abspath, stamp)
                except OSError as exc:
                    hit = FileResult(name, FAILED, problems=[f"{name}: cannot read: {exc.strerror or exc}"])
                except SourceError as exc:
                    hit = FileResult(name, FAILED, problems=[str(exc)])
                if hit is not None:
                    yield from self._known(pool, batch, hit)
                    batch, size = [], 0
                    continue
            task = FileTask(name, fmt, config_id, raw, key, stamp)
            # Only between batches: answering a file here while a batch is gathering would send that batch off
            # early, and a folder alternating new and repeated copy would go to the workers a file at a time.
            if cache is not None and self.workers and not batch:
                hit = met_before(task)
                if hit is not None:
                    cache.put(abspath, key, hit, stamp)
                    yield from self._known(pool, batch, hit)
                    continue
            batch.append(task)
            size += len(raw) if raw is not None else _size(name)
            if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
                yield from self._submit(pool, batch)
                batch, size = [], 0
        if batch:
            yield from self._submit(pool, batch)

    def _workbook(self, pool: OrderedPool, name: str, config_id: int) -> Iterator[tuple[object, list[FileResult]]]:
        """Read a workbook here, once, and lint its rows in runs across the workers."""
        config = self.configs[config_id]
        try:
            raw = read_bytes(name, config.max_file_size)
        except SourceError as exc:
            yield from pool.add([FileResult(name, FAILED, problems=[str(exc)])])
            return
        extraction = extract_workbook(name, raw, config.column_map(), config.marketplace, config.marketplace_forced)
        if extraction.errors and not extraction.listings:
            yield from pool.add([FileResult(name, FAILED, problems=[str(e) for e in extraction.errors])])
            return
        if not extraction.recognised:
            yield from pool.add([FileResult(name, SKIPPED)])
            return
        listings = extraction.listings
        step = SHEET_ROWS
        for i in range(0, max(len(listings), 1), step):
            task = SheetTask(name, tuple(listings[i:i + step]), config_id, i == 0,
                             tuple(extraction.errors) if i == 0 else ())
            yield from self._submit(pool, [task])

    def _submit(self, pool: OrderedPool, work: list[Task]) -> Iterator[tuple[object, list[FileResult]]]:
        if not self.prepared:
            self.prepared = True
            # Workers start first and compile their rules while this process compiles its own (it works
            # too, whenever it would wait). Compiling here also stops a run with a broken user rule once,
            # with its file and line, instead of failing every file.
            pool.start()
            for config in self.configs:
                ruleset_for(config)
        yield from pool.submit(work)

    def _known(self, pool: OrderedPool, batch: list[Task], result: FileResult) -> Iterator[tuple[object, list[FileResult]]]:
        # Work queued before a known result must come out before it, to keep the output in file order.
        if batch:
            yield from self._submit(pool, list(batch))
            batch.clear()
        elif not pool.queue:
            yield None, [result]  # nothing waits before it (a cached run's every file): no need to queue it
            return
        yield from pool.add([result])

    def _settle(self, work: object, results: list[FileResult]) -> Iterator[FileResult]:
        resume_collection()  # this process's own, when the batches ran in worker processes
        if isinstance(work, list):
            for task, result in zip(work, results):
                if isinstance(task, FileTask) and task.key:
                    cache = self._cache(task.config_id)
                    if cache is not None:
                        cache.put(self._absolute(task.path), task.key, result, task.stat)
                    if self.workers:
                        remember_settled(task, result)
        yield from results


def _broken(work: object, exc: BaseException) -> list[FileResult]:
    tasks = work if isinstance(work, list) else []
    out = []
    for task in tasks:
        name = task.name
        out.append(FileResult(name, FAILED, problems=[f"{name}: a worker process died while linting it ({exc}); "
                                                      "try --jobs 1"]))
    return out


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
