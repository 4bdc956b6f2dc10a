"""Layer 5b (CLI): ``check --watch``: lint, then poll the paths and lint each file again when it changes."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ..config import Config
from .discover import discover
from .safe_text import escape

INTERVAL = float(os.environ.get("LISTING_LINT_WATCH_INTERVAL", "0.5"))
"""Seconds between polls. Polling needs no OS-specific watcher and no extra package, and a stat per file
every half second is cheap next to linting."""


def _snapshot(paths: list[str], config_for: Callable[[Path], Config]) -> dict[str, tuple[int, int]]:
    """Map each listing file under ``paths`` to (modification time in ns, size)."""
    state: dict[str, tuple[int, int]] = {}
    for p in map(Path, paths):
        for f in discover([p], config_for(p)).files:
            try:
                st = os.stat(f)
            except OSError:
                continue  # deleted between the walk and the stat: the next poll drops it
            state[f] = (st.st_mtime_ns, st.st_size)
    return state


def watch(args: argparse.Namespace, paths: list[str], check: Callable[[list[str]], int],
          config_for: Callable[[Path], Config]) -> int:
    """Run ``check`` over ``paths``, then over each changed or new file, until interrupted."""
    for bad, why in (("-" in paths, "standard input"), (args.output, "--output"), (args.diff, "--diff"),
                     (args.format in ("html", "sarif"), f"--format {args.format}")):
        if bad:
            from .main import UsageError

            raise UsageError(f"--watch cannot be combined with {why}")
    err = sys.stderr
    state = _snapshot(paths, config_for)
    check(paths)
    err.write(f"[{time.strftime('%H:%M:%S')}] Watching {len(state)} file{'s' if len(state) != 1 else ''} "
              "for changes (Ctrl+C stops).\n")
    err.flush()
    sys.stdout.flush()
    while True:
        time.sleep(INTERVAL)
        now = _snapshot(paths, config_for)
        changed = sorted(f for f, sig in now.items() if state.get(f) != sig)
        gone = sorted(f for f in state if f not in now)
        state = now
        if not changed and not gone:
            continue
        for f in gone:
            err.write(f"[{time.strftime('%H:%M:%S')}] {escape(f)} was removed.\n")
        if changed:
            err.write(f"[{time.strftime('%H:%M:%S')}] Changed: {escape(', '.join(changed))}\n")
            err.flush()
            check(changed)
        sys.stdout.flush()
        err.flush()
