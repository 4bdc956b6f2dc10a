"""`listing-lint server` exits cleanly when its input ends or is closed, whatever kind of file stdin is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 30  # a clean exit takes well under a second; the bound only stops a hang from stalling the suite


def _server(stdin, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "listing_lint", "server"], stdin=stdin, capture_output=True,
                          timeout=TIMEOUT, **kwargs)


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _check_clean(result: subprocess.CompletedProcess) -> None:
    err = result.stderr.decode(errors="replace")
    assert result.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err, err


def test_dev_null(tmp_path: Path) -> None:
    # /dev/null is a character device the event loop cannot poll (epoll says EPERM).
    with open(os.devnull, "rb") as null:
        _check_clean(_server(null))


def test_closed_stdin() -> None:
    # Started with fd 0 closed (`listing-lint server <&-`): Python sees no stdin at all.
    result = _server(None, preexec_fn=lambda: os.close(0))
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"standard input or output is closed" in result.stderr


@pytest.mark.parametrize("content", [b"", b"not a message at all\n"], ids=["empty", "garbage"])
def test_regular_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "input"
    path.write_bytes(content)
    with path.open("rb") as f:
        result = _server(f)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    if content:  # the garbage is answered as JSON-RPC asks, then the end of the file ends the server
        assert b'"code": -32700' in result.stdout


def test_pipe_closed_after_initialize() -> None:
    """A client that dies mid-session (no shutdown, no exit): the end of the pipe ends the server."""
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": None, "rootUri": None, "capabilities": {}}}
    result = _server(None, input=_frame(init) + _frame({"jsonrpc": "2.0", "method": "initialized",
                                                                   "params": {}}))
    assert b'"id": 1' in result.stdout and b'"capabilities"' in result.stdout  # it did answer first
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
