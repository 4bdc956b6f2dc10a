"""The server's memory stays bounded while one document is edited (issue 14: 55 MB to 120 MB over 20,000 edits).

pygls 2.1.1 keeps a future for every notification it handles; the server drops them once they are done
(``lsp/protocol.py``). The resident set of the real server process is read from ``/proc/<pid>/status``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .lsp_harness import listing_md, policy_config
from .test_jsonrpc import RawServer

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/status")

WARM_UP = 2_000
EDITS = 5_000
LIMIT_KB = 2 * 1024
"""The issue asks for under 10 MB per 5,000 edits, but pygls's leak alone came to 9.3 MB (1.9 kB an edit), so a
10 MB bound would not catch it. With the futures dropped, the growth measured was a few kB."""


def rss_kb(pid: int) -> int:
    """Return a process's resident set size (VmRSS) in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for process {pid}")


def test_5000_edits_grow_the_server_by_under_2_mb(tmp_path):
    policy_config(tmp_path)
    srv = RawServer(tmp_path)
    try:
        srv.answer_to(srv.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {
            "textDocument": {"publishDiagnostics": {"versionSupport": True}}}}))
        srv.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        uri = (tmp_path / "kettle.listing.md").as_uri()
        text = listing_md(title="Vantora Kettle", bullets=("Boils fast.", "See www.vantora.com"))
        srv.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
        version = 1

        def edit(n: int) -> None:
            # Type a letter over the title's last one: the document keeps its size, and every edit is linted
            # or coalesced with the next.
            nonlocal version
            for _ in range(n):
                version += 1
                letter = "ab"[version % 2]
                srv.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": {"line": 1, "character": 13},
                                                  "end": {"line": 1, "character": 14}}, "text": letter}]}})
            # Wait until the server has handled them all: the last version is published.
            srv.until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri and m["params"].get("version") == version, timeout=120)
            srv.received.clear()

        edit(WARM_UP)
        before = rss_kb(srv.proc.pid)
        edit(EDITS)
        after = rss_kb(srv.proc.pid)
        growth = after - before
        print(f"RSS {before} kB -> {after} kB after {EDITS} edits: {growth:+} kB ({growth * 1024 / EDITS:.0f} B/edit)")
        assert growth < LIMIT_KB, f"RSS grew by {growth} kB over {EDITS} edits (from {before} kB)"
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()
        srv.proc.wait(10)
