"""Measure the language server as an editor sees it: edit-to-diagnostics latency, start-up time and memory.

Usage: python bench/lsp_latency.py [--edits 500] [--starts 5] [--open 200] [--corpus FILE] [--brands FILE]
                                   [--only latency,many,catalog,start,actions,memory]

A real client (pygls, over stdio) drives ``python -m listing_lint server``:
- latency: a ~3 KB ``.listing.md`` built from the shared corpus, with the shared 3,446 brand names configured
  as competitors (``competitors-files`` in a ``listing-lint.toml``); each edit types two letters over
  two (a new text every time, as typing makes: the server remembers the findings of copy it has linted), and the clock runs from sending ``didChange`` to receiving the ``publishDiagnostics`` of that
  version, one edit at a time. Measured twice: with a raw JSON-RPC client (json.loads only, like an editor's
  native parser; its own garbage collector is paused while it times, see ``client_collector_paused``) and
  with pygls's client (which also turns each message into lsprotocol objects);
- many findings: the same edits on a listing with 400 findings (130 bullets with three "N/A" each, 10 with a
  link), raw JSON client, with diagnostics pushed and pulled (``textDocument/diagnostic`` after each change, as
  VS Code does); the engine's own lint time of that listing is given beside it;
- catalog: the same edits in one row of a 2,000-row CSV export built from the shared corpus (the rows an edit
  leaves alone keep their findings, ``document.ListingMemo``), raw JSON client;
- start: from starting the process to the ``initialize`` response, and to the first ``publishDiagnostics`` of a
  small listing opened right after ``initialized``, for listing-lint and for a bare pygls server
  (bench/bare_pygls_server.py, one fixed diagnostic per didOpen), started alternately (median of several starts);
- code actions: the time to answer a quick-fix ``codeAction`` carrying every diagnostic of a document with 100
  findings, and of one ten times as long with 1,000 (issue 14: it grew quadratically); linear is a ratio of 10;
- memory: VmRSS of the server with N different listings open and linted.
Targets (issues 3 and 13): median < 5 ms, p99 < 10 ms (ordinary listing), p99 <= 25 ms (400 findings),
start within 1.2x a bare pygls server's, RSS < 100 MB.

Set LSP_BENCH_PROFILE=DIR to attach py-spy (``pip install py-spy``) to each listing-lint server the raw client
starts, writing a speedscope profile per server to DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import gc
import io
import itertools
import json
import os
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
SERVER_WITHOUT_CLI = [sys.executable, "-c", "import sys; from listing_lint.lsp.server import start; sys.exit(start())"]
"""The server started without the command line's module, which imports the engine for `check` (cli/main.py)."""
BARE_SERVER = [sys.executable, str(Path(__file__).resolve().parent / "bare_pygls_server.py")]
_profiles = itertools.count()


def profile(pid: int) -> None:
    """Attach py-spy to a listing-lint server when LSP_BENCH_PROFILE names a folder for its profile.

    py-spy records until the server exits. It is attached rather than made the server's parent: it writes its
    progress to stdout, which is the server's JSON-RPC stream.
    """
    import subprocess

    folder = os.environ.get("LSP_BENCH_PROFILE")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        out = Path(folder) / f"server-{next(_profiles)}.speedscope.json"
        subprocess.Popen(["py-spy", "record", "--format", "speedscope", "--rate", "500", "--threads", "--nonblocking",
                          "-o", str(out), "--pid", str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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


def catalog_csv(records: list[dict], n: int) -> str:
    """Return a catalog export of ``n`` rows (the corpus cycled), as a seller downloads it: SKU, title, two
    bullet points and the description."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item_sku", "item_name", "bullet_point1", "bullet_point2", "product_description"])
    for i in range(n):
        r = records[i % len(records)]
        bullets = [*(r.get("bullets") or []), "", ""]
        writer.writerow([f"SKU{i}", r["title"], bullets[0], bullets[1], r.get("description") or ""])
    return out.getvalue()


def many_findings_listing() -> str:
    """Return a listing with 400 findings: 130 bullets with three "N/A" each (STY009) and 10 with a link."""
    bullets = [f"- Size N/A, colour N/A, weight N/A, model {i}" for i in range(130)]
    bullets += [f"- Recipes and care tips at vantora{i}.com" for i in range(10)]
    return "# Title\nVantora Kettle 32 oz\n\n## Bullet points\n" + "\n".join(bullets) + "\n\n## Description\nA kettle.\n"


def placeholder_listing(count: int) -> str:
    """Return a listing of ``count`` bullets of about 250 characters, each with one finding ("N/A")."""
    filler = " ".join(["Brushed steel body with a soft grip handle and a wide spout for easy pouring."] * 3)
    bullets = [f"- Size N/A, model {i}. {filler}" for i in range(count)]
    return "# Title\nVantora Kettle 32 oz\n\n## Bullet points\n" + "\n".join(bullets) + "\n"


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


@contextlib.contextmanager
def client_collector_paused():
    """Pause this (the client's) cyclic garbage collector while the raw client times edits.

    Parsing a 158 KB publish makes thousands of objects, so now and then Python runs a full collection in the
    client, over the pygls and lsprotocol modules this script imported: 30 to 35 ms inside one ``json.loads``
    (seen with ``gc.callbacks``), which landed in the p99 as if the server had been slow. An editor's parser
    has no such pause on this scale; the messages hold no cycles, so reference counting frees them all.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def edit(line: int, column: int, n: int) -> dict:
    """Return the n-th content change: two letters typed over the two at ``column``, spelling n in base 26, so that
    every edit leaves text the server has not seen (its rule set remembers the findings of copy it has linted,
    and an edit back to earlier text would time that memory, not a lint)."""
    letters = chr(97 + n // 26 % 26) + chr(97 + n % 26)
    return {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 2}},
            "text": letters}


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

    def __init__(self, command: list[str] | None = None) -> None:
        self.proc: asyncio.subprocess.Process
        self.next_id = 0
        self.command = command or SERVER

    async def start(self, root: Path, capabilities: dict | None = None) -> float:
        """Start the server and initialise it; return the seconds from spawning it to the initialize response."""
        t0 = time.perf_counter()
        self.proc = await asyncio.create_subprocess_exec(*self.command, stdin=asyncio.subprocess.PIPE,
                                                         stdout=asyncio.subprocess.PIPE)
        if self.command is SERVER:
            profile(self.proc.pid)
        await self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                          "capabilities": capabilities or {},
                                          "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}]})
        elapsed = time.perf_counter() - t0
        self.notify("initialized", {})
        return elapsed

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


async def measure_latency_raw(root: Path, text: str, edits: int, name: str = "bench.listing.md",
                              line: int | None = None) -> tuple[list[float], int]:
    """Return the didChange -> publishDiagnostics latencies (seconds) seen by the raw JSON client, and the findings.

    Edits go to ``line`` (default: the last line of the text), 10 characters from its start.
    """
    client = RawClient()
    await client.start(root)
    uri = (root / name).as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": text}})
    diagnostics = await asyncio.wait_for(client.published(uri, 1), 60)
    line, column = (text.count("\n") - 1 if line is None else line), 10
    latencies = []
    with client_collector_paused():
        for n in range(edits + 20):
            version = n + 2
            t0 = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [edit(line, column, n)]})
            await asyncio.wait_for(client.published(uri, version), 30)
            if n >= 20:
                latencies.append(time.perf_counter() - t0)
    await client.stop()
    return latencies, len(diagnostics)


async def measure_pull_latency_raw(root: Path, text: str, edits: int, name: str, line: int) -> list[float]:
    """Return the didChange -> textDocument/diagnostic response latencies (seconds) of a client that pulls
    diagnostics, as VS Code does: the raw JSON client sends the pull right after each change."""
    client = RawClient()
    await client.start(root, {"textDocument": {"diagnostic": {"dynamicRegistration": False}}})
    uri = (root / name).as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                            "text": text}})
    await asyncio.wait_for(client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}), 60)
    latencies = []
    with client_collector_paused():
        for n in range(edits + 20):
            t0 = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": n + 2},
                                                     "contentChanges": [edit(line, 10, n)]})
            await asyncio.wait_for(client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}), 30)
            if n >= 20:
                latencies.append(time.perf_counter() - t0)
    await client.stop()
    return latencies


async def measure_starts(root: Path, starts: int, text: str) -> dict[str, tuple[list[float], list[float]]]:
    """Start listing-lint's server (as editors do, and without the CLI's imports) and a bare pygls server in turn,
    ``starts`` times each.

    Return, per server, the seconds from spawning it to the initialize response, and to the first
    publishDiagnostics of ``text`` opened (as a ``.listing.md``) right after ``initialized``.
    """
    commands = {"listing-lint": SERVER, "listing-lint without the CLI": SERVER_WITHOUT_CLI, "bare pygls": BARE_SERVER}
    out: dict[str, tuple[list[float], list[float]]] = {label: ([], []) for label in commands}
    uri = (root / "small.listing.md").as_uri()
    for _ in range(starts):
        for label, command in commands.items():
            client = RawClient(command)
            t0 = time.perf_counter()
            init = await client.start(root)
            client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                                    "version": 1, "text": text}})
            await asyncio.wait_for(client.published(uri, 1), 60)
            out[label][0].append(init)
            out[label][1].append(time.perf_counter() - t0)
            await client.stop()
    return out


async def measure_code_actions(root: Path, runs: int = 7) -> dict[int, float]:
    """Return the median seconds to answer a quick-fix codeAction carrying every diagnostic of a document with
    100 findings, and of one with 1,000 (ten times as long): linear work gives a ratio of about 10."""
    client = RawClient()
    await client.start(root)
    out: dict[int, float] = {}
    for count in (100, 1000):
        text = placeholder_listing(count)
        uri = (root / f"actions-{count}.listing.md").as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                                "version": 1, "text": text}})
        carried = [d for d in await asyncio.wait_for(client.published(uri, 1), 120) if d.get("data")]
        assert len(carried) >= count, f"only {len(carried)} diagnostics with fixes"
        carried = carried[:count]
        last = text.count("\n")
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            await client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": last, "character": 0}},
                "context": {"diagnostics": carried, "only": ["quickfix"]}})
            times.append(time.perf_counter() - t0)
        out[count] = statistics.median(times)
    await client.stop()
    return out


def engine_lint_ms(root: Path, text: str, runs: int = 50) -> float:
    """Return the median time (ms) of linting the listing in this process: the engine's share of the latency."""
    from listing_lint.config import load_config
    from listing_lint.document import lint_text

    config = load_config(root / "listing-lint.toml")
    path = str(root / "bench.listing.md")
    lint_text(path, text, config, "markdown")
    times = []
    for n in range(runs):
        variant = text + f"x{n}"  # new text each time: copy met before would be taken from the rule set's memory
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
    # The servers start with their bytecode cached, as an installed package's is: a shell that sets
    # PYTHONDONTWRITEBYTECODE would otherwise time compiling every module of both servers on each start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "listing-lint-bench-pycache"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=500)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--open", type=int, default=200)
    ap.add_argument("--corpus", default=str(SHARED / "corpus" / "real-listings.jsonl"))
    ap.add_argument("--brands", default=str(SHARED / "corpus" / "brands-sample.txt"))
    ap.add_argument("--only", default="latency,many,catalog,start,actions,memory",
                    help="comma-separated parts to run: latency, many, catalog, start, actions, memory")
    ap.add_argument("--select", action="append", default=[],
                    help="run only these rules (slugs, codes or packs), e.g. to tell server cost from rule cost")
    args = ap.parse_args()
    parts = set(args.only.split(","))

    records = [json.loads(line) for line in open(args.corpus, encoding="utf-8")]
    brands = [b for b in Path(args.brands).read_text("utf-8").splitlines() if b.strip()]
    text = three_kb_listing(records)
    many = many_findings_listing()
    small = listing_markdown(min((r for r in records if r.get("bullets")), key=lambda r: len(listing_markdown(r))))
    rows: list[tuple[str, str, str, bool | None]] = []

    def row(name: str, value: float, unit: str = "ms", target: str = "", ok: bool | None = None) -> None:
        rows.append((name, f"{value:.2f} {unit}" if unit == "ms" else f"{value:.1f} {unit}", target, ok))

    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as tmp:
        root = Path(tmp)
        shutil.copy(args.brands, root / "brands.txt")
        (root / "listing-lint.toml").write_text(
            '[brands]\nown = ["Vantora"]\ncompetitors-files = ["brands.txt"]\n'
            + (f"[rules]\nselect = {json.dumps(args.select)}\n" if args.select else ""), "utf-8")
        (root / "bench.listing.md").write_text(text, "utf-8")
        print(f"ordinary listing: {len(text.encode('utf-8')):,} bytes; {len(brands):,} competitor names; "
              f"{args.edits} edits; {args.starts} starts; Python {sys.version.split()[0]}; "
              f"load average {os.getloadavg()[0]:.2f} at start", flush=True)

        if "latency" in parts:
            raw_s, findings = await measure_latency_raw(root, text, args.edits)
            raw = [x * 1000 for x in raw_s]
            ms = [x * 1000 for x in (await measure_latency(root, text, args.edits))[0]]
            engine = engine_lint_ms(root, text)
            rows.append((f"ordinary listing ({findings} findings)", "", "", None))
            row("didChange -> diagnostics, median (raw JSON client)", statistics.median(raw), target="< 5 ms",
                ok=statistics.median(raw) < 5)
            row("didChange -> diagnostics, p99 (raw JSON client)", percentile(raw, 99), target="<= 10 ms",
                ok=percentile(raw, 99) <= 10)
            row("didChange -> diagnostics, max (raw JSON client)", max(raw))
            row("didChange -> diagnostics, median (pygls client)", statistics.median(ms))
            row("didChange -> diagnostics, p99 (pygls client)", percentile(ms, 99))
            row("  of which linting (engine, in-process median)", engine)
        if "many" in parts:
            raw_s, findings = await measure_latency_raw(root, many, args.edits, "many.listing.md", line=5)
            raw = [x * 1000 for x in raw_s]
            engine = engine_lint_ms(root, many)
            rows.append((f"listing with many findings ({findings} diagnostics, {len(many):,} bytes)", "", "", None))
            row("didChange -> diagnostics, median (raw JSON client)", statistics.median(raw))
            row("didChange -> diagnostics, p99 (raw JSON client)", percentile(raw, 99), target="<= 25 ms",
                ok=percentile(raw, 99) <= 25)
            row("didChange -> diagnostics, max (raw JSON client)", max(raw))
            pulled = [x * 1000 for x in await measure_pull_latency_raw(root, many, args.edits, "many-pull.listing.md", 5)]
            row("didChange -> pulled diagnostics, median (raw JSON client pulling, as VS Code)", statistics.median(pulled))
            row("didChange -> pulled diagnostics, p99 (raw JSON client pulling, as VS Code)", percentile(pulled, 99),
                target="<= 25 ms", ok=percentile(pulled, 99) <= 25)
            row("  of which linting (engine, in-process median)", engine)
        if "catalog" in parts:
            catalog = catalog_csv(records, 2000)
            raw_s, findings = await measure_latency_raw(root, catalog, min(args.edits, 200), "catalog.csv", line=1000)
            raw = [x * 1000 for x in raw_s]
            rows.append((f"catalog of 2,000 rows (CSV, {len(catalog.encode('utf-8')):,} bytes, {findings} diagnostics)",
                         "", "", None))
            row("didChange -> diagnostics, median (raw JSON client)", statistics.median(raw))
            row("didChange -> diagnostics, p99 (raw JSON client)", percentile(raw, 99))
        if "start" in parts:
            starts = await measure_starts(root, args.starts, small)
            bare = starts["bare pygls"]
            rows.append((f"start ({args.starts} starts each, in turn; first publish of a {len(small):,}-byte "
                         "listing opened after initialized)", "", "", None))
            for n, what in enumerate(("initialize response", "first publishDiagnostics")):
                floor = statistics.median(bare[n])
                row(f"bare pygls: spawn -> {what}, median", floor * 1000)
                for label in ("listing-lint", "listing-lint without the CLI"):
                    value = statistics.median(starts[label][n])
                    row(f"{label}: spawn -> {what}, median", value * 1000)
                    rows.append((f"  {label} / bare pygls", f"{value / floor:.2f}x", "<= 1.2x" if n == 0 else "",
                                 value / floor <= 1.2 if n == 0 else None))
            row("python -c 'import pygls.lsp.server'", import_floor_ms())
        if "actions" in parts:
            actions = await measure_code_actions(root)
            rows.append(("codeAction carrying all N diagnostics of a document (median of 7)", "", "", None))
            row("  100 diagnostics", actions[100] * 1000)
            row("  1,000 diagnostics", actions[1000] * 1000)
            growth = actions[1000] / actions[100]
            rows.append(("  ratio (10 = linear)", f"{growth:.1f}x", "< 20x", growth < 20))
        if "memory" in parts:
            idle, loaded = await measure_memory(root, records, args.open)
            row("RSS after initialize", idle, "MB")
            row(f"RSS with {args.open} listings open", loaded, "MB", "< 100 MB", loaded < 100)

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>10}  {'target':<9} ok")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:>10}  {target:<9} {'' if ok is None else ('yes' if ok else 'NO')}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
