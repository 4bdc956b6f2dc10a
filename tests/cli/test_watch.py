"""``check --watch``: a real process that lints again when a file is edited or added (bounded waits)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

DEADLINE = 30.0  # seconds to wait for each step; a loaded 2-core CI box needs slack, a pass takes ~1 s


def _reader(stream, sink: "queue.Queue[str]") -> None:
    for line in stream:
        sink.put(line)


class Watcher:
    """A `listing-lint check --watch` process whose stdout and stderr lines are read as they come."""

    def __init__(self, folder: Path):
        env = {**os.environ, "LISTING_LINT_WATCH_INTERVAL": "0.2", "PYTHONUNBUFFERED": "1"}
        # Ctrl+C as a terminal delivers it: a test run started in the background (`pytest &`, nohup, some CI
        # runners) has SIGINT ignored, children inherit that, and Python then never raises KeyboardInterrupt.
        self.proc = subprocess.Popen([sys.executable, "-m", "listing_lint", "check", ".", "--watch", "--format",
                                      "concise", "--no-cache"], cwd=folder, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding="utf-8",
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: "queue.Queue[str]" = queue.Queue()
        self.seen: list[str] = []
        self.used: set[int] = set()
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=_reader, args=(stream, self.lines), daemon=True).start()

    def wait_for(self, text: str) -> str:
        # stdout and stderr are two pipes: a line of one may arrive before an earlier line of the other, so a
        # line seen while waiting for another still counts, once.
        for n, line in enumerate(self.seen):
            if n not in self.used and text in line:
                self.used.add(n)
                return line
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.proc.poll() is None, f"--watch exited {self.proc.returncode}: {self.seen}"
                continue
            self.seen.append(line)
            if text in line:
                self.used.add(len(self.seen) - 1)
                return line
        raise AssertionError(f"no line with {text!r} within {DEADLINE} s; saw: {self.seen}")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)  # what Ctrl+C sends
        try:
            return self.proc.wait(timeout=DEADLINE)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


def test_watch_lints_again_when_a_file_changes(tmp_path: Path) -> None:
    listing = tmp_path / "mug.listing.md"
    listing.write_text("# Title\nVantora Travel Mug 12 oz\n", encoding="utf-8")
    watcher = Watcher(tmp_path)
    try:
        watcher.wait_for("All clear: 1 listing")
        watcher.wait_for("Watching 1 file")
        # An edit that adds an address: the new finding appears without running anything again.
        listing.write_text("# Title\nVantora Travel Mug 12 oz\n\n# Bullets\n- Questions? help@vantora.com\n",
                           encoding="utf-8")
        os.utime(listing, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))  # coarse-mtime file systems
        watcher.wait_for("Changed: mug.listing.md")
        line = watcher.wait_for("contact-email")
        assert line.startswith("mug.listing.md:5:")
        # A new listing file in the folder is picked up too, and only it is linted.
        (tmp_path / "cup.listing.md").write_text("# Title\nVantora Cup, see www.vantora.com\n", encoding="utf-8")
        watcher.wait_for("Changed: cup.listing.md")
        assert watcher.wait_for("external-url").startswith("cup.listing.md:2:")
    finally:
        code = watcher.stop()
    assert code == 130  # stopped by Ctrl+C, as a shell reports it


def test_watch_refuses_options_it_cannot_honour(tmp_path: Path) -> None:
    (tmp_path / "a.listing.md").write_text("# Title\nMug\n", encoding="utf-8")
    for extra in (["--diff"], ["--output", "r.html", "--format", "html"]):
        result = subprocess.run([sys.executable, "-m", "listing_lint", "check", ".", "--watch", *extra],
                                cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "--watch cannot be combined" in result.stderr
