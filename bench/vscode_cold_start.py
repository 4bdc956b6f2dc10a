"""Measure the Python part of the VS Code cold start: how much of "double-click to first squiggle" is Python.

Usage: python bench/vscode_cold_start.py [--runs 5] [--python EXE] [--libs vscode-client/bundled/libs]

The editor part (extension host, activation, the whole click-to-squiggle time) is logged by
tests/vscode/test_code_server.py to build/vscode-timings.txt. This script starts the server exactly
as the extension does (``EXE -I -X utf8 vscode-client/python/launch.py --libs LIBS server``, in a
throw-away workspace folder) and talks raw JSON-RPC to it, as an editor would, to time:
- interpreter: ``EXE -I -c pass``, and the same through ``python3`` on PATH when that is a shim;
- import: ``import listing_lint.lsp.server`` from the bundle, wall time and ``-X importtime``'s total,
  with the bytecode cache the first start leaves behind (warm) and without one (``-B`` on a copy of
  the bundle with no ``__pycache__``: the first start after installing the .vsix, which ships no .pyc);
- server: process start -> ``initialize`` answered -> first ``publishDiagnostics`` with findings for
  a ``.listing.md`` opened right after ``initialized`` (the rule set is built and the first lint runs
  in this step).
Each figure is the median of ``--runs`` runs, with the range. Run ``npm run package`` in
vscode-client first (it builds bundled/libs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "vscode-client" / "python" / "launch.py"
LIBS = ROOT / "vscode-client" / "bundled" / "libs"

LISTING = """\
---
sku: VT-BL-1200
brand: Vantora
---
# Title
Vantora Countertop Blender 1200W, Six Speeds

# Bullet points
- Recipes and manuals at www.vantora.com/recipes
- Crushes ice faster than Ninja blenders.
- Leave a 5-star review and get a free gift card!
"""
CONFIG = '[brands]\nown = ["Vantora"]\ncompetitors = ["Ninja"]\n'


def summary(values: list[float]) -> str:
    """Median and range, in seconds."""
    return f"{statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f}, n={len(values)})"


def wall(cmd: list[str], cwd: Path | None = None) -> float:
    """Run ``cmd`` and return its wall time; fail loudly when it fails."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=cwd, capture_output=True)
    return time.perf_counter() - started


def import_time(python: str, libs: Path, extra: list[str]) -> tuple[float, float, list[tuple[int, str]]]:
    """Return (wall s, -X importtime total s, the six slowest direct imports) of importing the server."""
    code = f"import sys; sys.path.insert(0, {str(libs)!r}); import listing_lint.lsp.server"
    started = time.perf_counter()
    proc = subprocess.run([python, "-I", *extra, "-X", "importtime", "-c", code], check=True, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - started
    rows = [m.groups() for m in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", proc.stderr)]
    total = sum(int(cum) for _, cum, indent, _ in rows if len(indent) == 1)
    # What the server module imports directly (one level below it), slowest first.
    below = [(int(cum), name) for _, cum, indent, name in rows if len(indent) == 3]
    return elapsed, total / 1e6, sorted(below, reverse=True)[:6]


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


async def read_message(stream: asyncio.StreamReader) -> dict:
    length = 0
    while (line := await stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if not length:
        raise EOFError("the server closed its output")
    return json.loads(await stream.readexactly(length))


async def server_start(command: list[str], workspace: Path) -> tuple[float, float]:
    """Start the server; return (start -> initialize answered, initialize answered -> first findings)."""
    listing = workspace / "blender.listing.md"
    uri = listing.as_uri()
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(*command, cwd=workspace, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
    assert proc.stdin and proc.stdout
    proc.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": workspace.as_uri(), "capabilities": {},
        "workspaceFolders": [{"uri": workspace.as_uri(), "name": workspace.name}]}}))
    while (msg := await read_message(proc.stdout)).get("id") != 1:
        pass
    initialized = time.perf_counter()
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": LISTING}}}))
    while True:
        msg = await read_message(proc.stdout)
        if msg.get("method") == "workspace/configuration":  # answer with no settings: the config file decides
            proc.stdin.write(frame({"jsonrpc": "2.0", "id": msg["id"], "result": [None] * len(msg["params"]["items"])}))
        elif msg.get("id") is not None and "method" in msg:  # any other request from the server
            proc.stdin.write(frame({"jsonrpc": "2.0", "id": msg["id"], "result": None}))
        elif msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["diagnostics"]:
            break
    diagnosed = time.perf_counter()
    proc.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    while (await read_message(proc.stdout)).get("id") != 2:
        pass
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
    await asyncio.wait_for(proc.wait(), 10)
    return initialized - started, diagnosed - initialized


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", help="interpreter (default: the one python3 on PATH runs)")
    parser.add_argument("--libs", type=Path, default=LIBS, help="the bundle (default: vscode-client/bundled/libs)")
    args = parser.parse_args()
    if not (args.libs / "listing_lint").is_dir():
        parser.error(f"no bundle at {args.libs}: run `npm run package` in vscode-client first")
    on_path = shutil.which("python3")
    # The interpreter python3 runs, outside any virtual environment: the extension's bundle needs no venv.
    base = ("import os, sys; print(sys.executable if sys.prefix == sys.base_prefix else "
            "os.path.join(sys.base_prefix, 'bin', os.path.basename(sys.executable)))")
    python = args.python or subprocess.run([on_path or sys.executable, "-c", base], check=True, capture_output=True,
                                           text=True).stdout.strip()
    version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"], check=True,
                             capture_output=True, text=True).stdout.strip()
    print(f"Python {version} ({python}); bundle {args.libs}; load average {os.getloadavg()[0]:.1f}; "
          f"{os.cpu_count()} CPUs")

    print(f"interpreter start ({python} -I -c pass): {summary([wall([python, '-I', '-c', 'pass']) for _ in range(args.runs)])}")
    if on_path and on_path != python and Path(on_path).read_bytes()[:2] == b"#!":
        print(f"  through the shim {on_path}: {summary([wall([on_path, '-I', '-c', 'pass']) for _ in range(args.runs)])}")

    with tempfile.TemporaryDirectory() as tmp:
        cold_libs = Path(tmp) / "libs"
        shutil.copytree(args.libs, cold_libs, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        import_time(python, args.libs, [])  # leave the warm bytecode cache a first start leaves
        for label, libs, extra in (("warm bytecode cache", args.libs, []), ("no bytecode cache", cold_libs, ["-B"])):
            runs = [import_time(python, libs, extra) for _ in range(args.runs)]
            print(f"import listing_lint.lsp.server, {label}: wall {summary([r[0] for r in runs])}; "
                  f"-X importtime {summary([r[1] for r in runs])}")
            print("  slowest imports below it (last run): "
                  + ", ".join(f"{name} {cum / 1e6:.3f} s" for cum, name in runs[-1][2]))

        workspace = Path(tmp) / "workspace"
        workspace.mkdir()
        (workspace / "blender.listing.md").write_text(LISTING)
        (workspace / "listing-lint.toml").write_text(CONFIG)
        command = [python, "-I", "-X", "utf8", str(LAUNCHER), "--libs", str(args.libs), "server"]
        print("server: " + " ".join(command))
        starts = [asyncio.run(server_start(command, workspace)) for _ in range(args.runs)]
        print(f"  start -> initialize answered: {summary([s[0] for s in starts])}")
        print(f"  initialize answered -> first diagnostics (rule set build + first lint): "
              f"{summary([s[1] for s in starts])}")
        print(f"  start -> first diagnostics: {summary([s[0] + s[1] for s in starts])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
