"""Layer 5b (CLI): run batches of work in worker processes and hand results back in order, with few in flight."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, Optional, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

# multiprocessing and concurrent.futures are imported only when workers start: with one job (one small
# file) they cost about 20 ms of start-up for nothing.

T = TypeVar("T")


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no affinity call
        return max(1, os.cpu_count() or 1)


def _context() -> Any:
    import multiprocessing

    # Fork starts a worker in milliseconds with the run's state; where fork is missing (Windows) or unsafe
    # (macOS), spawn starts a fresh interpreter. Either way the initializer compiles the rules.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and os.uname().sysname == "Linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _warm() -> None:
    """A task that only makes the pool start a worker (whose initializer does the real work)."""
    return None


class _Ready(Generic[T]):
    __slots__ = ("value",)

    def __init__(self, value: T):
        self.value = value

    def done(self) -> bool:
        return True

    def result(self) -> T:
        return self.value


class OrderedPool(Generic[T]):
    """Submit work and known results in order; take results back in that same order.

    The caller sets this process up itself; ``initializer(*initargs)`` runs in each worker. With one job,
    work runs in this process. With N, a pool of N - 1 worker processes starts at the first
    submission and this process is the Nth: whenever it would wait for a result, it takes queued work the
    workers have not started and runs it itself. At most ``window`` items wait, so memory stays bounded
    however long the input is.
    """

    def __init__(self, jobs: int, fn: Callable[[Any], T], initializer: Callable[..., None], initargs: tuple,
                 window: Optional[int] = None, on_broken: Optional[Callable[[Any, BaseException], T]] = None):
        self.jobs, self.fn = jobs, fn
        self.initializer, self.initargs = initializer, initargs
        self.window = window or max(4, jobs * 4)
        self.on_broken = on_broken
        self.queue: deque[tuple[Any, Any]] = deque()
        self.executor: Optional[ProcessPoolExecutor] = None

    def start(self) -> None:
        """Start the worker processes now (they start at the first submission otherwise).

        Starting them before this process compiles its own rules lets both compile at the same time.
        """
        if self.jobs > 1 and self.executor is None:
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(self.jobs - 1, mp_context=_context(),
                                                initializer=self.initializer, initargs=self.initargs)
            for _ in range(self.jobs - 1):
                self.executor.submit(_warm)

    def submit(self, work: Any) -> Iterator[tuple[Any, T]]:
        """Queue work; yield the (work, result) pairs at the front of the queue that are finished."""
        if self.jobs <= 1:
            self.queue.append((work, _Ready(self.fn(work))))
        else:
            self.start()
            assert self.executor is not None
            from concurrent.futures.process import BrokenProcessPool

            try:
                future = self.executor.submit(self.fn, work)
            except BrokenProcessPool:
                # A worker died since the last submission: start fresh workers for the rest of the run.
                self.close()
                self.start()
                assert self.executor is not None
                future = self.executor.submit(self.fn, work)
            self.queue.append((work, future))
        yield from self._pop(block=len(self.queue) >= self.window)

    def add(self, value: T) -> Iterator[tuple[Any, T]]:
        """Queue a result that is already known (a cache hit); yield finished pairs at the front."""
        self.queue.append((None, _Ready(value)))
        yield from self._pop(block=len(self.queue) >= self.window)

    def drain(self) -> Iterator[tuple[Any, T]]:
        """Yield every remaining (work, result) pair in order, then stop the workers."""
        try:
            while self.queue:
                if not self.queue[0][1].done() and self._steal():
                    continue
                yield self._take()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers, dropping queued work (also on Ctrl-C)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def _pop(self, block: bool) -> Iterator[tuple[Any, T]]:
        while self.queue and (self.queue[0][1].done() or block):
            if not self.queue[0][1].done() and self._steal():
                continue
            yield self._take()
            block = block and len(self.queue) >= self.window

    def _steal(self) -> bool:
        """Run the newest work no worker has started here, instead of waiting idle; False if there is none."""
        for i in range(len(self.queue) - 1, -1, -1):
            work, future = self.queue[i]
            if not isinstance(future, _Ready) and future.cancel():
                self.queue[i] = (work, _Ready(self.fn(work)))
                return True
        return False

    def _take(self) -> tuple[Any, T]:
        work, future = self.queue.popleft()
        if isinstance(future, _Ready):
            return work, future.value
        from concurrent.futures.process import BrokenProcessPool

        try:
            return work, future.result()
        except BrokenProcessPool as exc:
            # A worker died (killed, out of memory): report the work it held; the next submission starts
            # new workers (closing here could stop workers already started after the breakage).
            if self.on_broken is None:
                raise
            return work, self.on_broken(work, exc)
