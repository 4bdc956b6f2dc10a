"""Run the CLI without the privileges that let root ignore file permissions, so permission tests are honest.

The test suite often runs as root (containers, CI), and root reads a ``chmod 000`` file anyway. Switching to
an unprivileged user does not work here: the interpreter lives under /root. Instead, the child drops
capabilities from its bounding set before it runs Python (``prctl(PR_CAPBSET_DROP)``), so the new program
starts without them: without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, root obeys mode bits like anyone
else; without CAP_CHOWN, it cannot give a file away. Run as an ordinary user, nothing needs dropping.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PR_CAPBSET_DROP = 24
CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 0, 1, 2, 3
FILE_PERMISSIONS = (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)


def dropping(*caps: int) -> Callable[[], None]:
    """Return a ``preexec_fn`` that drops ``caps`` from the child's bounding set (nothing when not root)."""

    def drop() -> None:
        if os.geteuid() != 0:
            return
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in caps:
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                err = ctypes.get_errno()
                raise OSError(err, f"prctl(PR_CAPBSET_DROP, {cap}): {os.strerror(err)}")

    return drop


def run_without(caps: tuple[int, ...], *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m listing_lint ARGS`` in ``cwd`` without ``caps``."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([sys.executable, "-m", "listing_lint", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, preexec_fn=dropping(*caps))


def require_permissions_apply(probe: Path, caps: tuple[int, ...] = FILE_PERMISSIONS) -> None:
    """Skip (saying why) unless a child without ``caps`` is really refused ``probe``, a ``chmod 000`` file."""
    code = f"import sys\ntry:\n    open({str(probe)!r}, 'rb').read()\nexcept PermissionError:\n    sys.exit(0)\nsys.exit(3)"
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              preexec_fn=dropping(*caps))
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot start a process without file-permission privileges here: {exc}")
    if proc.returncode != 0:
        pytest.skip("file permissions do not apply to this test's processes (root without a way to drop "
                    f"CAP_DAC_OVERRIDE; exit {proc.returncode}: {proc.stderr.strip()[-200:]})")
