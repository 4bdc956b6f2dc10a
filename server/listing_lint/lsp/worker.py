"""Layer 5a (LSP): run lints off the event loop, one at a time, and stop one that runs over its time.

The server lints in this worker thread, so the event loop keeps reading messages and answers requests,
``$/cancelRequest`` and ``shutdown`` while a lint runs (a 12 KB document used to block every request,
issue 14). Lints run one at a time: the engine's rule-set cache (``engine.lint.ruleset_for``) is not safe
to use from two threads with different configs.

A job that runs over the time limit is given up: its future fails with ``OverTime`` at once, and the
thread is stopped by raising ``Stopped`` in it (``PyThreadState_SetAsyncExc``). That takes effect at the next
Python instruction; a regular expression that is matching stops when its own timeout ends it (1 s by
default), since the ``regex`` module lets other threads run while it matches.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from typing import Any, Callable, Optional

log = logging.getLogger("listing_lint.lsp")


class OverTime(Exception):
    """What the future of a job over its time limit fails with."""


class Stopped(BaseException):
    """Raised in the worker thread to stop a job over its time.

    Not an ``Exception``: the engine catches those to report a crashed rule and go on with the next.
    """


def _raise_in(ident: int, exc: Optional[type]) -> None:
    """Make thread ``ident`` raise ``exc`` at its next Python instruction (None withdraws a pending one)."""
    import ctypes  # 30 ms of start-up otherwise, for a lint that is almost never over its time

    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident),
                                                   ctypes.py_object(exc) if exc is not None else None)
    except (AttributeError, OSError):  # no CPython C API here: the job runs on, but its result is dropped
        log.warning("cannot stop a lint that is over its time; its result will be dropped")


class Job:
    """One function to run in the worker thread, and the future the event loop awaits for its result."""

    def __init__(self, fn: Callable[[], Any], future: "asyncio.Future[Any]"):
        self.fn = fn
        self.future = future
        self.lock = threading.Lock()
        """Guards ``state``: a stop is raised only while the job is running, never in the job after it."""
        self.state = "queued"
        """queued, running, stopped (over time, being stopped) or done."""
        self.ident: Optional[int] = None
        self.timer: Optional[asyncio.TimerHandle] = None


class Worker:
    """A daemon thread that runs jobs in order, stopping any that runs longer than ``limit`` seconds."""

    def __init__(self, limit: float):
        self.limit = limit
        self._queue: "queue.SimpleQueue[Optional[tuple[Job, asyncio.AbstractEventLoop]]]" = queue.SimpleQueue()
        self._thread: Optional[threading.Thread] = None

    def submit(self, fn: Callable[[], Any]) -> "asyncio.Future[Any]":
        """Queue ``fn``; return a future of its result (call on the event loop)."""
        loop = asyncio.get_running_loop()
        job = Job(fn, loop.create_future())
        if self._thread is None:
            # A daemon: a lint still running at exit must not keep the process alive.
            self._thread = threading.Thread(target=self._run, name="listing-lint-worker", daemon=True)
            self._thread.start()
        self._queue.put((job, loop))
        return job.future

    def close(self) -> None:
        """Let the thread end after the jobs queued so far."""
        if self._thread is not None:
            self._queue.put(None)

    # -- the worker thread -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, loop = item
            try:
                self._run_job(job, loop)
            except Stopped:  # a stop that arrived as the job was ending: it is over anyway
                pass
            except RuntimeError:  # the event loop is closed: the server is exiting
                return

    def _run_job(self, job: Job, loop: asyncio.AbstractEventLoop) -> None:
        with job.lock:
            if job.future.cancelled():
                job.state = "done"
                return
            job.state, job.ident = "running", threading.get_ident()
        loop.call_soon_threadsafe(self._arm, job, loop)
        outcome: tuple[bool, Any]
        try:
            try:
                outcome = (True, job.fn())
            finally:
                with job.lock:
                    stopped = job.state == "stopped"
                    job.state = "done"
                    if stopped:
                        _raise_in(job.ident, None)  # withdraw the stop if it has not been raised yet
        except Stopped:
            return
        except Exception as exc:
            outcome = (False, exc)
        if not stopped:
            loop.call_soon_threadsafe(self._settle, job, outcome)

    # -- the event loop --------------------------------------------------------------------------

    def _arm(self, job: Job, loop: asyncio.AbstractEventLoop) -> None:
        if job.state == "running":
            job.timer = loop.call_later(self.limit, self._expire, job)

    def _expire(self, job: Job) -> None:
        with job.lock:
            if job.state != "running":
                return
            job.state = "stopped"
            _raise_in(job.ident, Stopped)
        log.warning("a lint ran over %gs and was stopped", self.limit)
        if not job.future.done():
            job.future.set_exception(OverTime(f"stopped after {self.limit:g}s"))

    def _settle(self, job: Job, outcome: tuple[bool, Any]) -> None:
        if job.timer is not None:
            job.timer.cancel()
        if job.future.done():
            return
        ok, value = outcome
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)
