"""Test helper: processes the suite starts (editors, browsers, workers), found and ended through /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone while being read
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def children(pid: int) -> list[int]:
    """Return the processes ``pid`` started itself (from /proc)."""
    return _children_by_parent().get(pid, [])


def descendants(pid: int) -> list[int]:
    """Return every process below ``pid`` (from /proc), children first-seen order."""
    by_parent = _children_by_parent()
    found, todo = [], [pid]
    while todo:
        for child in by_parent.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Tell whether a process is still running (a zombie is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_tree(proc: subprocess.Popen) -> list[int]:
    """End a process (code-server, chromedriver) and every process it started, each by its id; return any
    that survived."""
    pids = [proc.pid, *descendants(proc.pid)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        # Look again each round: a dying process may have started another.
        pids += [p for p in descendants(proc.pid) if p not in pids]
        for pid in pids:
            if alive(pid):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(alive(p) for p in pids):
            time.sleep(0.1)
            try:
                proc.wait(timeout=0)
            except subprocess.TimeoutExpired:
                pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    return [p for p in pids if alive(p)]


def quit_driver(driver: Any, timeout: float = 60.0) -> None:
    """Quit a Selenium driver; when the browser hangs past ``timeout`` seconds, end chromedriver and every process
    it started instead: one hung Chromium must fail its own test, not hang the rest of the suite."""
    quitter = threading.Thread(target=driver.quit, daemon=True)
    quitter.start()
    quitter.join(timeout)
    if quitter.is_alive():
        kill_tree(driver.service.process)
