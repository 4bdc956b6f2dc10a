"""Measure the language server as an editor sees it: edit-to-diagnostics latency, start-up time and memory.

Usage: python bench/lsp_latency.py [--edits 500] [--starts 5] [--open 200] [--corpus FILE] [--brands FILE]

A real client (pygls, over stdio) drives ``python -m listing_lint server``:
- latency: a ~3 KB ``.listing.md`` built from the shared corpus, with the shared 3,446 brand names configured
  as competitors (``competitors-files`` in a ``listing-lint.toml``); each edit inserts or removes one
  character, and the clock runs from sending ``didChange`` to receiving the ``publishDiagnostics`` of that
  version, one edit at a time. Measured twice: with a raw JSON-RPC client (json.loads only, like an editor's
  native parser) and with pygls's client (which also turns each message into lsprotocol objects);
- start: from starting the process to the ``initialize`` response (median of several starts);
- memory: VmRSS of the server with N different listings open and linted.
Targets (issue 3): median < 5 ms, p99 < 10 ms, start < 300 ms, RSS < 100 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SERVER = [sys.executable, "-m", "listing_lint", "server"]


def listing_markdown(record: dict, extra_description: str = "") -> str:
    """Render a corpus record as a ``*.listing.md`` document."""
    parts = ["# Title", record["title"], "", "## Bullet points"]
    parts += [f"- {b}" for b in record.get("bullets") or []]
    description = " ".join(x for x in (record.get("description") or "", extra_description) if x)
    if description:
        parts += ["", "## Description", description]
    return "\n".join(parts) + "\n"


def three_kb_listing(records: list[dict]) -> str:
    """Build a listing of about 3 KB: the corpus record with bullets closest to it, topped up with descriptions."""
    with_bullets = [r for r in records if r.get("bullets")]
    best = min(with_bullets, key=lambda r: abs(len(listing_markdown(r)) - 3000))
    text = listing_markdown(best)
    fillers = iter(r["description"] for r in records if r.get("description"))
    extra = ""
    while len(text) < 2900:
        extra = (extra + " " + next(fillers)).strip()
        text = listing_markdown(best, extra[: 3000 - len(listing_markdown(best))])
    return text


class BenchClient(LanguageClient):
    """A pygls client that resolves a future when diagnostics for a given (uri, version) arrive."""

    def __init__(self) -> None:
        super().__init__("listing-lint-bench", "1")
        self.waiting: dict[tuple[str, int | None], asyncio.Future] = {}
        self.published: dict[str, int] = {}

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: types.PublishDiagnosticsParams) -> None:
            self.published[params.uri] = len(params.diagnostics)
            for key in ((params.uri, params.version), (params.uri, None)):
                future = self.waiting.pop(key, None)
                if future is not None and not future.done():
                    future.set_result(params)

        @self.feature(types.WINDOW_LOG_MESSAGE)
        def on_log(params) -> None:
            pass

        @self.feature(types.WINDOW_SHOW_MESSAGE)
        def on_show(params) -> None:
            print(f"server message: {params.message}", file=sys.stderr)

    def expect(self, uri: str, version: int | None) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = future
        return future


async def start_server(root: Path) -> tuple[BenchClient, float]:
    """Start a server and initialise it; return the client and the start-to-initialize time in seconds."""
    client = BenchClient()
    t0 = time.perf_counter()
    await client.start_io(*SERVER)
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]))
    elapsed = time.perf_counter() - t0
    client.initialized(types.InitializedParams())
    return client, elapsed


async def stop_server(client: BenchClient) -> None:
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def edit(line: int, column: int, n: int) -> dict:
    """Return the n-th content change: insert an 'x' (even n) or remove it again (odd n)."""
    end = column + (n % 2)
    return {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": end}},
            "text": "" if n % 2 else "x"}


async def measure_latency(root: Path, text: str, edits: int) -> tuple[list[float], int]:
    """Return the didChange -> publishDiagnostics latencies (seconds) seen by a pygls client, and the findings."""
    client, _ = await start_server(root)
    uri = (root / "bench.listing.md").as_uri()
    first = client.expect(uri, 1)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=text)))
    await asyncio.wait_for(first, 60)  # the first lint loads the config and builds the brand matcher
    # Edit the last line (the description, or the last bullet), a few characters from its start.
    line, column = text.count("\n") - 1, 10
    latencies = []
    for n in range(edits + 20):  # the first 20 edits warm up and are not counted
        version = n + 2
        change = client.protocol._converter.structure(edit(line, column, n), types.TextDocumentContentChangePartial)
        future = client.expect(uri, version)
        t0 = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]))
        await asyncio.wait_for(future, 30)
        if n >= 20:
            latencies.append(time.perf_counter() - t0)
    findings = client.published[uri]
    await stop_server(client)
    return latencies, findings


class RawClient:
    """A minimal JSON-RPC client over the server's stdio: json.loads only, as fast as an editor's native parser.

    pygls's client turns every incoming message into lsprotocol objects (cattrs), which for nine diagnostics
    with their fixes costs about as much as the lint; this client tells the server's latency from the client's.
    """

    def __init__(self) -> None:
        self.proc: asyncio.subprocess.Process
        self.next_id = 0

    async def start(self, root: Path) -> None:
        self.proc = await asyncio.create_subprocess_exec(*SERVER, stdin=asyncio.subprocess.PIPE,
                                                         stdout=asyncio.subprocess.PIPE)
        await self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {},
                                          "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}]})
        self.notify("initialized", {})

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: object) -> None:
        self._send({"method": method, "params": params})

    async def read(self) -> dict:
        length = 0
        while True:
            header = await self.proc.stdout.readline()
            if not header:
                raise EOFError("the server closed its output")
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":")[1])
            elif header in (b"\r\n", b"\n"):
                break
        message = json.loads(await self.proc.stdout.readexactly(length))
        if "id" in message and "method" in message:  # a request from the server: answer it blankly
            self._send({"id": message["id"], "result": None})
        return message

    async def request(self, method: str, params: object) -> object:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = await self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    async def published(self, uri: str, version: int) -> list:
        while True:
            message = await self.read()
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri \
                    and params.get("version") == version:
                return params["diagnostics"]

    async def stop(self) -> None:
        await self.request("shutdown", None)
        self.notify("exit", None)
        await self.proc.wait()


async def measure_latency_raw(root: Path, text: str, edits: int) -> list[float]:
    """Return the didChange -> publishDiagnostics latencies (seconds) seen by the raw JSON client."""
    client = RawClient()
    await client.start(root)
    uri = (root / "bench.listing.md").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": text}})
    await asyncio.wait_for(client.published(uri, 1), 60)
    line, column = text.count("\n") - 1, 10
    latencies = []
    for n in range(edits + 20):
        version = n + 2
        t0 = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [edit(line, column, n)]})
        await asyncio.wait_for(client.published(uri, version), 30)
        if n >= 20:
            latencies.append(time.perf_counter() - t0)
    await client.stop()
    return latencies


async def measure_start(root: Path, starts: int) -> list[float]:
    times = []
    for _ in range(starts):
        client, elapsed = await start_server(root)
        times.append(elapsed)
        await stop_server(client)
    return times


def engine_lint_ms(root: Path, text: str, runs: int = 50) -> float:
    """Return the median time (ms) of linting the listing in this process: the engine's share of the latency."""
    from listing_lint.config import load_config
    from listing_lint.document import lint_text

    config = load_config(root / "listing-lint.toml")
    path = str(root / "bench.listing.md")
    lint_text(path, text, config, "markdown")
    times = []
    for n in range(runs):
        variant = text + ("x" if n % 2 else "")
        t0 = time.perf_counter()
        lint_text(path, variant, config, "markdown")
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def import_floor_ms(runs: int = 3) -> float:
    """Return the median time (ms) for a bare interpreter to import pygls's server module (and lsprotocol)."""
    import subprocess

    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pygls.lsp.server"], check=True)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure_memory(root: Path, records: list[dict], count: int) -> tuple[float, float]:
    """Return the server's RSS (MB) after initialize and with ``count`` listings open and linted."""
    client, _ = await start_server(root)
    pid = client._server.pid
    await asyncio.sleep(0.2)
    idle = rss_mb(pid)
    futures = []
    for n, record in enumerate(records[:count]):
        uri = (root / f"listing-{n:03d}.listing.md").as_uri()
        futures.append(client.expect(uri, 1))
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=uri, language_id="markdown", version=1, text=listing_markdown(record))))
    await asyncio.wait_for(asyncio.gather(*futures), 300)
    loaded = rss_mb(pid)
    await stop_server(client)
    return idle, loaded


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=500)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--open", type=int, default=200)
    ap.add_argument("--corpus", default=str(SHARED / "corpus" / "real-listings.jsonl"))
    ap.add_argument("--brands", default=str(SHARED / "corpus" / "brands-sample.txt"))
    ap.add_argument("--select", action="append", default=[],
                    help="run only these rules (slugs, codes or packs), e.g. to tell server cost from rule cost")
    args = ap.parse_args()

    records = [json.loads(line) for line in open(args.corpus, encoding="utf-8")]
    brands = [b for b in Path(args.brands).read_text("utf-8").splitlines() if b.strip()]
    text = three_kb_listing(records)
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as tmp:
        root = Path(tmp)
        shutil.copy(args.brands, root / "brands.txt")
        (root / "listing-lint.toml").write_text(
            '[brands]\nown = ["Vantora"]\ncompetitors-files = ["brands.txt"]\n'
            + (f"[rules]\nselect = {json.dumps(args.select)}\n" if args.select else ""), "utf-8")
        (root / "bench.listing.md").write_text(text, "utf-8")

        raw = [x * 1000 for x in await measure_latency_raw(root, text, args.edits)]
        latencies, findings = await measure_latency(root, text, args.edits)
        engine = engine_lint_ms(root, text)
        starts = await measure_start(root, args.starts)
        floor = import_floor_ms()
        idle, loaded = await measure_memory(root, records, args.open)

    ms = [x * 1000 for x in latencies]
    rows = [
        ("didChange -> diagnostics, median (raw JSON client)", f"{statistics.median(raw):.2f} ms", "< 5 ms",
         statistics.median(raw) < 5),
        ("didChange -> diagnostics, p99 (raw JSON client)", f"{percentile(raw, 99):.2f} ms", "< 10 ms",
         percentile(raw, 99) < 10),
        ("didChange -> diagnostics, max (raw JSON client)", f"{max(raw):.2f} ms", "", None),
        ("didChange -> diagnostics, median (pygls client)", f"{statistics.median(ms):.2f} ms", "< 5 ms",
         statistics.median(ms) < 5),
        ("didChange -> diagnostics, p99 (pygls client)", f"{percentile(ms, 99):.2f} ms", "< 10 ms",
         percentile(ms, 99) < 10),
        ("  of which linting (engine, in-process median)", f"{engine:.2f} ms", "", None),
        ("start -> initialize response, median", f"{statistics.median(starts) * 1000:.0f} ms", "< 300 ms",
         statistics.median(starts) < 0.3),
        ("  floor: python -c 'import pygls.lsp.server'", f"{floor:.0f} ms", "", None),
        ("RSS after initialize", f"{idle:.1f} MB", "", None),
        (f"RSS with {args.open} listings open", f"{loaded:.1f} MB", "< 100 MB", loaded < 100),
    ]
    print(f"listing: {len(text.encode('utf-8')):,} bytes, {findings} findings; {len(brands):,} competitor names; "
          f"{len(ms)} edits; {args.starts} starts; Python {sys.version.split()[0]}")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  {'target':<9} ok")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:>10}  {target:<9} {'' if ok is None else ('yes' if ok else 'NO')}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
