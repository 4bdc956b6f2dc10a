"""Layer 5a (LSP): the listing-lint language server: documents, configs per folder, and lint scheduling."""

from __future__ import annotations

import asyncio
import fnmatch
import json
import logging
import os
import stat
import sys
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import unquote, urlparse

import attrs
from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from .. import __version__
from ..config import Config, check_selector, find_config, load_config
from ..engine.spec import SpecError
from . import transport
from .convert import SOURCE, Positions, convert_findings, diagnostic_json
from .heap import HeapFreezer
from .options import Settings, apply_settings, layered, parse_settings
from .protocol import ListingLintProtocol
from .worker import OverTime, Worker

if TYPE_CHECKING:
    from ..document import DocumentResult, ListingMemo

# The engine's rule kinds, detectors and document readers are imported on first use, mostly by the first lint in
# the worker thread: the server answers `initialize` without them (start-up is measured in bench/lsp_latency.py).
# The package itself brings the config and the rule spec reader.

log = logging.getLogger("listing_lint.lsp")

CONFIG_GLOBS = ("**/listing-lint.toml", "**/.listing-lint.toml", "**/pyproject.toml")
LINT_TIME_LIMIT = 30.0
"""Seconds a lint (or a fix-all) may run before it is stopped and reported; LISTING_LINT_LINT_TIME_LIMIT
overrides it. A 1 MB listing with 24,000 findings takes about 15 s on a laptop; a rule that backtracks on
every field would run for ever."""
MAX_DIAGNOSTICS = 1000
"""Diagnostics sent per document; past it, one more says how many are left out. A pasted 1 MB title made
200,000 findings (one per repeated word), which took the server 30 s per keystroke to send and the editor
as long to show."""


def uri_to_path(uri: str) -> Optional[Path]:
    """Return the local path of a file: URI, or None for other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def lint_time_limit() -> float:
    """Return LINT_TIME_LIMIT, or the positive number of seconds in LISTING_LINT_LINT_TIME_LIMIT."""
    try:
        value = float(os.environ.get("LISTING_LINT_LINT_TIME_LIMIT", ""))
    except ValueError:
        return LINT_TIME_LIMIT
    return value if 0 < value < float("inf") else LINT_TIME_LIMIT


def body_start(source: str) -> int:
    """Return where the listing starts in a document's text: after one leading U+FEFF, as the CLI reads a file.

    A file saved with a byte order mark reaches ``check`` without it (``extract.source.decode``), but an
    editor may keep it in the text it sends; linted with it, a Markdown listing lost every finding and a
    JSON listing was "invalid JSON" in the editor only (issue 14).
    """
    return 1 if source.startswith("\ufeff") else 0


@attrs.define
class Linted:
    """The last lint of a document: the text it saw, its result and the diagnostics sent."""

    version: Optional[int]
    text: str
    """The text linted: the document's text without a leading BOM (offsets in findings count from here)."""
    result: Optional[DocumentResult]
    diagnostics: list[types.Diagnostic]
    positions: Positions
    """Offsets in ``text`` to positions in the document, and back."""
    source: str = ""
    """The document's text as the client has it (``text`` after any BOM)."""
    generation: int = 0
    """The server's config generation when linted: a reload makes older results stale."""
    rules: Any = None
    """The rule set linted with (hover and inlay hints read it instead of looking it up on the event loop)."""
    payload: Optional[list[str]] = None
    """The JSON of each of ``diagnostics``, ready to publish; None: publish them through pygls."""
    cache: dict = attrs.Factory(dict)
    """Converted diagnostics per finding identity (``convert.convert_findings``), for the next lint to reuse."""
    listings: Any = None
    """The findings of a catalog's listings by their rows (``document.ListingMemo``), for the next lint to reuse."""


class ListingLintServer(LanguageServer):
    """A pygls server that lints listing documents and keeps per-folder configs fresh."""

    def __init__(self) -> None:
        super().__init__("listing-lint", __version__, protocol_cls=ListingLintProtocol)
        self.settings = Settings()
        self.init_options: Any = None
        """The client's initializationOptions when valid: the bottom layer of every settings refresh."""
        self.folder_settings: dict[str, Settings] = {}
        self.configs: dict[Path, Config] = {}
        """Configs loaded since the last reload, per config file path."""
        self.last_good: dict[Path, Config] = {}
        """Last good config per config file path: a broken edit keeps it in force (kept across reloads)."""
        self.failed: dict[Path, Config] = {}
        """Config files that failed to load since the last reload, and the config used instead."""
        self.resolved: dict[tuple[Optional[Path], int], tuple[Config, Settings, Config]] = {}
        """Config file + editor settings -> the merged config (the same object each time, so that the
        engine's rule-set cache hits by identity instead of hashing thousands of brand names per lint)."""
        self.config_errors: dict[str, SpecError] = {}
        self.linted: dict[str, Linted] = {}
        self.pending: set[str] = set()
        """Documents with a publish scheduled for this turn of the event loop (a burst makes one)."""
        self.publishing: set[str] = set()
        """Documents whose publisher task is running; it lints again until the text it linted is the latest."""
        self.jobs: dict[str, asyncio.Future] = {}
        """The lint running or queued in the worker per document, resolving to its Linted."""
        self.generation = 0
        self.worker = Worker(lint_time_limit())
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self._tasks: set[asyncio.Task] = set()
        self.pull_diagnostics = False
        self.watch_registered = False
        self.kept: Any = None
        """The cache folder's parsed rule files and compiled patterns (a ``KeptData``, ``_use_kept_data``), once in use."""
        self.heap = HeapFreezer()

    # -- configuration ----------------------------------------------------------------------------

    def settings_for(self, path: Optional[Path]) -> Settings:
        """Return the editor settings of the workspace folder holding ``path``."""
        if path is not None:
            best = None
            for folder_uri, settings in self.folder_settings.items():
                folder = uri_to_path(folder_uri)
                if folder is not None and (folder == path or folder in path.parents):
                    if best is None or len(str(folder)) > len(str(best[0])):
                        best = (folder, settings)
            if best is not None:
                return best[1]
        return self.settings

    def config_for(self, uri: str) -> Config:
        """Return the config for a document: its nearest config file overlaid with editor settings."""
        if self.kept is None:
            self._use_kept_data()
        path = uri_to_path(uri)
        settings = self.settings_for(path)
        base = Config()
        found = find_config(path.parent) if path is not None else None
        if found is not None:
            base = self.load_config_file(found)
        cached = self.resolved.get((found, id(settings)))
        if cached is not None and cached[0] is base and cached[1] is settings:
            return cached[2]
        config = self._merge(base, settings)
        self.resolved[(found, id(settings))] = (base, settings, config)
        return config

    def _use_kept_data(self) -> None:
        """Take the parsed rule files and compiled patterns that runs of ``listing-lint check`` (or this server
        before) kept in the cache folder, as the command line does: parsing the bundled rule packs and lexicons
        is a sixth of the first lint. ``LISTING_LINT_CACHE_DIR`` names the folder; a folder that is not the
        user's alone is not used (cache_folder.py)."""
        from ..cache_folder import KeptData, default_cache_dir
        from ..patterns import prime_re_cache

        prime_re_cache()  # libphonenumber's patterns, compiled on the first phone number, come ready-made
        self.kept = KeptData(default_cache_dir())
        self.kept.start()

    def _merge(self, base: Config, settings: Settings) -> Config:
        config = apply_settings(base, settings)
        if settings.competitors_files:
            from ..config import read_setting_brand_files

            # Workspace settings obey the config file's rule: files inside the folder, regular and bounded.
            names, problems = read_setting_brand_files(settings.competitors_files, self._settings_roots(settings))
            for problem in problems:
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error,
                                                                 message=f"listing-lint {problem}"))
                log.error(problem)
            config = config._replace(competitors=config.competitors + tuple(names))
        self._check_selectors(config, settings)
        return config

    def _settings_roots(self, settings: Settings) -> list[Path]:
        """Return the folders whose files ``settings`` may name: its workspace folder, or every one for the
        workspace-wide settings."""
        for folder_uri, folder_settings in self.folder_settings.items():
            if folder_settings is settings:
                folder = uri_to_path(folder_uri)
                return [folder] if folder is not None else []
        roots = [p for p in (uri_to_path(u) for u in self.workspace.folders) if p is not None]
        if not roots and self.workspace.root_path:
            roots.append(Path(self.workspace.root_path))
        return roots

    def _check_selectors(self, config: Config, settings: Settings) -> None:
        """Warn about rule names in the editor settings that select nothing (once per config and settings)."""
        named = [("select", settings.select or []), ("ignore", settings.ignore or []),
                 ("severity", list(settings.severity or {}))]
        if not any(names for _, names in named):
            return
        from ..engine.lint import ruleset_for

        try:
            known = ruleset_for(config).known_selectors()
        except SpecError:  # a broken rule pack is reported with its config file
            return
        for key, names in named:
            for name in names:
                try:
                    check_selector(name, known, "settings", "", key)
                except SpecError as exc:
                    message = f"listing-lint setting {key}: {exc.detail}"
                    self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=message))
                    log.warning(message)

    def load_config_file(self, path: Path) -> Config:
        """Load a config file; on error publish it on the file, tell the user and keep the last good one."""
        cached = self.configs.get(path)
        if cached is None:
            cached = self.failed.get(path)
        if cached is not None:
            return cached
        from ..engine.lint import validate_selectors

        try:
            config = load_config(path)
            validate_selectors(config)  # also compiles the rules, so a bad rule pack surfaces here
        except SpecError as exc:
            # Reported once per reload (not on every keystroke); linting goes on with the last good config.
            fallback = self.failed[path] = self.last_good.get(path, Config())
            self.report_config_error(exc)
            return fallback
        self.clear_config_error(path)
        self.configs[path] = self.last_good[path] = config
        return config

    def report_config_error(self, exc: SpecError) -> None:
        """Show a config problem: a diagnostic on the config file, a message, and the log."""
        uri = Path(exc.path).resolve().as_uri() if exc.path and not exc.path.startswith("<") else None
        if uri is not None:
            line = max(0, (exc.line or 1) - 1)
            self.config_errors[uri] = exc
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[
                types.Diagnostic(
                    range=types.Range(types.Position(line, 0), types.Position(line + 1, 0)),
                    message=f"{exc.key + ': ' if exc.key else ''}{exc.detail}",
                    severity=types.DiagnosticSeverity.Error,
                    source=SOURCE,
                )
            ]))
        self.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Error,
            message=f"listing-lint: {exc}. Linting goes on with the last good configuration.",
        ))
        log.error("config error: %s", exc)

    def clear_config_error(self, path: Path) -> None:
        """Remove the diagnostics of a config file that is valid again."""
        uri = path.resolve().as_uri()
        if self.config_errors.pop(uri, None) is not None:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reload(self) -> None:
        """Forget cached configs (keeping the last good ones as fallbacks) and lint every open document again."""
        self.heap.thaw()
        self.configs.clear()
        self.failed.clear()
        self.resolved.clear()
        self.linted.clear()
        self.generation += 1  # a lint running now uses the old config: its result is not kept
        for document in list(self.workspace.text_documents.values()):
            self.schedule(document.uri)

    def request_diagnostic_refresh(self) -> None:
        """Ask a pull-diagnostics client to pull again (after a config or settings change)."""
        workspace = self.client_capabilities.workspace
        diagnostics = workspace.diagnostics if workspace else None
        if self.pull_diagnostics and diagnostics is not None and diagnostics.refresh_support:
            self.workspace_diagnostic_refresh(None)

    async def refresh_settings(self) -> None:
        """Fetch the ``listingLint`` settings for the workspace and each folder, then lint again."""
        folders = list(self.workspace.folders)
        items = [types.ConfigurationItem(section="listingLint")] + [
            types.ConfigurationItem(scope_uri=uri, section="listingLint") for uri in folders]
        try:
            values = await self.workspace_configuration_async(types.ConfigurationParams(items=items))
        except Exception as exc:  # a client that fails the request keeps the settings it gave at start
            log.warning("workspace/configuration failed: %s", exc)
            return
        workspace_value = values[0] if values else None
        if workspace_value is not None:
            self.settings = self._checked(layered(self.init_options, workspace_value), "workspace")
        self.folder_settings = {
            uri: self._checked(layered(self.init_options, workspace_value, value), uri)
            for uri, value in zip(folders, values[1:]) if value is not None}
        self.reload()
        self.request_diagnostic_refresh()

    def apply_pushed_settings(self, raw: Any) -> None:
        """Use settings pushed with didChangeConfiguration by a client without workspace/configuration."""
        if raw is not None:
            self.settings = self._checked(layered(self.init_options, raw), "workspace")
        self.reload()
        self.request_diagnostic_refresh()

    def _checked(self, raw: Any, where: str) -> Settings:
        settings, problem = parse_settings(raw)
        if problem:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning,
                                                             message=f"{problem} ({where})"))
            log.warning("%s (%s)", problem, where)
        return settings

    # -- linting ----------------------------------------------------------------------------------

    def document(self, uri: str) -> Optional[TextDocument]:
        """Return the open document with this URI, or None (never a document read from disk).

        pygls keys open documents by the percent-decoded URI, while editors send it encoded
        (``with%20space.listing.md``): a lookup by the URI as sent finds nothing, and such a file was
        never linted.
        """
        return self.workspace.text_documents.get(unquote(uri))

    def is_listing(self, uri: str) -> bool:
        """Return whether a document is a listing by its name or the config's include globs."""
        path = uri_to_path(uri)
        name = path.name if path is not None else uri.rsplit("/", 1)[-1]
        if name.endswith((".listing.md", ".listing.json", ".jsonl", ".csv", ".tsv")):
            return True
        if path is None:
            return False
        from ..extract import detect_format

        config = self.config_for(uri)
        return any(fnmatch.fnmatch(name, g) for g in config.include) and detect_format(name) is not None

    def schedule(self, uri: str) -> None:
        """Lint a document off the event loop and publish; a burst of edits makes one lint of the latest text.

        The publish goes out under the document's version when it is sent, also when an edit left the text
        as it was (the result is reused, the version is new).
        """
        if uri in self.pending or uri in self.publishing:
            return  # a running publisher lints again if the text has changed by the time its lint ends
        self.pending.add(uri)
        asyncio.get_running_loop().call_soon(self._start_publisher, uri)

    def _start_publisher(self, uri: str) -> None:
        self.pending.discard(uri)
        if uri in self.publishing or self.document(uri) is None:
            return
        self.publishing.add(uri)
        task = asyncio.ensure_future(self._publish_latest(uri))
        self._tasks.add(task)  # the event loop keeps only a weak reference to a task
        task.add_done_callback(self._tasks.discard)

    async def _publish_latest(self, uri: str) -> None:
        try:
            linted = await self.current(uri)
            document = self.document(uri)
            if linted is not None and document is not None and not self.pull_diagnostics:
                if linted.payload is not None:
                    # Each diagnostic's JSON was written once, when its finding first appeared (convert.py):
                    # through pygls, every publish converted and serialised all of them again.
                    self.protocol.send_json(
                        '{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":%s,'
                        '"version":%s,"diagnostics":[%s]}}'
                        % (json.dumps(uri), json.dumps(document.version), ",".join(linted.payload)))
                else:
                    self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                        uri=uri, version=document.version, diagnostics=linted.diagnostics))
        except Exception:  # the server must outlive any bug in a handler
            log.exception("linting %s failed", uri)
        finally:
            self.publishing.discard(uri)

    async def current(self, uri: str) -> Optional[Linted]:
        """Return the lint of an open listing's latest text, waiting for the worker to lint it if needed.

        While a lint runs, requests, ``$/cancelRequest`` and ``shutdown`` are still answered (the lint is in
        the worker thread); a request waiting here can be cancelled without stopping the lint it waits for.
        """
        self.loop = asyncio.get_running_loop()
        while True:
            document = self.document(uri)
            if document is None or not self.is_listing(uri):
                return None
            source = document.source
            linted = self.linted.get(uri)
            if linted is not None and linted.generation == self.generation and (
                    linted.source is source or linted.source == source):
                linted.version = document.version
                return linted
            job = self.jobs.get(uri)
            if job is None:
                linted = self._lint_or_start(uri, document.version, source)
                if linted is not None:
                    return linted
                job = self.jobs[uri]
            # Shielded: a cancelled request must not cancel the lint that others wait for too.
            await asyncio.shield(job)

    def _lint_or_start(self, uri: str, version: Optional[int], source: str) -> Optional[Linted]:
        """Return the Linted of a document that needs no lint (disabled, too large), or start its lint."""
        path = uri_to_path(uri)
        settings = self.settings_for(path)
        encoding = self.workspace.position_encoding
        skip = body_start(source)
        positions = Positions(source, encoding, skip)
        linted = None
        if not settings.enable:
            linted = Linted(version, source[skip:], None, [], positions, source, self.generation)
        elif len(source) > settings.max_document_size:
            diag = types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                message=f"Document is {len(source):,} characters, over listing-lint's limit of "
                        f"{settings.max_document_size:,} (setting maxDocumentSize); not linted. "
                        "Run `listing-lint check` on it instead.",
                severity=types.DiagnosticSeverity.Information,
                source=SOURCE,
            )
            linted = Linted(version, source[skip:], None, [diag], positions, source, self.generation)
        if linted is not None:
            self.linted[uri] = linted
            return linted
        name = str(path) if path is not None else uri
        config = self.config_for(uri)
        generation = self.generation
        previous = self.linted.get(uri)
        job = self.worker.submit(partial(_lint_document, name, source, config, positions,
                                         previous.cache if previous is not None else None,
                                         previous.listings if previous is not None else None))
        done = asyncio.get_running_loop().create_future()
        self.jobs[uri] = done

        def finished(job: asyncio.Future) -> None:
            if self.jobs.get(uri) is done:
                del self.jobs[uri]
            exc = job.exception() if not job.cancelled() else asyncio.CancelledError()
            if exc is None:
                linted = job.result()
                if self.kept is not None:
                    self.kept.save()  # nothing to write after the first lints: no file parsed, no pattern compiled
                self.heap.after_lint()
            else:  # published like a result, so that the editor says so instead of keeping old diagnostics
                linted = Linted(version, source[skip:], None, [_lint_problem(exc, self.worker.limit)], positions)
                if not isinstance(exc, OverTime):
                    log.error("linting %s failed", uri, exc_info=exc)
            linted.version, linted.source, linted.generation = version, source, generation
            if generation == self.generation and self.document(uri) is not None:
                self.linted[uri] = linted
            done.set_result(linted)

        job.add_done_callback(finished)
        return None

    async def fixed_source(self, uri: str, linted: Linted) -> Optional[tuple[str, int]]:
        """Return a document's text with every safe fix applied (as ``check --fix``) and the number applied.

        Runs in the worker like a lint; None when it fails or runs over the time limit.
        """
        from ..diagnostics import Applicability
        from ..document import fix_document
        from ..extract import detect_format

        path = uri_to_path(uri)
        name = str(path) if path is not None else uri
        config = self.config_for(uri)
        try:
            fixed, applied, _ = await self.worker.submit(partial(
                fix_document, name, linted.text, config, Applicability.SAFE, detect_format(name) or "markdown"))
        except Exception as exc:
            log.error("fixing %s failed: %s", uri, _lint_problem(exc, self.worker.limit).message,
                      exc_info=None if isinstance(exc, OverTime) else exc)
            return None
        # The text before the listing (a BOM) stays, as `check --fix` keeps a file's BOM.
        return linted.source[:len(linted.source) - len(linted.text)] + fixed, applied


def _lint_document(name: str, source: str, config: Config, positions: Positions,
                   previous: Optional[dict] = None, listings: Optional[ListingMemo] = None) -> Linted:
    """Lint a document's text and build its diagnostics and their JSON (in the worker thread).

    ``previous``: the cache of the document's last lint, whose converted diagnostics are reused; ``listings``:
    its listings' findings, which a catalog's unchanged rows keep (only the worker thread touches it).
    """
    from ..document import ListingMemo, lint_text
    from ..engine.lint import ruleset_for
    from ..extract import detect_format

    text = source[positions.skip:]
    listings = listings if listings is not None else ListingMemo()
    result = lint_text(name, text, config, detect_format(name) or "markdown", listings)
    findings, errors = result.findings, result.errors[:MAX_DIAGNOSTICS]
    shown = findings[:MAX_DIAGNOSTICS - len(errors)]
    diagnostics, payload, cache = convert_findings(shown, positions, previous)
    extra = []
    for err in errors:
        extra.append(types.Diagnostic(
            range=positions.line_range(err.line - 1, err.column - 1),
            message=err.message, severity=types.DiagnosticSeverity.Error, source=SOURCE))
    left_out = len(findings) - len(shown) + len(result.errors) - len(errors)
    if left_out:
        extra.append(types.Diagnostic(
            range=types.Range(types.Position(0, 0), types.Position(0, 0)),
            message=f"{left_out:,} more problems are not shown: listing-lint shows at most "
                    f"{MAX_DIAGNOSTICS:,} per document in the editor. Run `listing-lint check` on it "
                    "to see them all.",
            severity=types.DiagnosticSeverity.Information, source=SOURCE))
    diagnostics += extra
    payload += [diagnostic_json(d) for d in extra]
    # The rule set is looked up here, in the worker: the engine's cache of it is not for two threads at once.
    return Linted(None, text, result, diagnostics, positions, rules=ruleset_for(config), payload=payload,
                  cache=cache, listings=listings)


def _lint_problem(exc: BaseException, limit: float) -> types.Diagnostic:
    """Return the diagnostic saying that a lint was stopped over its time, or failed."""
    if isinstance(exc, OverTime):
        message = (f"listing-lint stopped linting this document after {limit:g} seconds, so its problems are not "
                   "shown. Run `listing-lint check` on it to see them, or shorten it.")
        severity = types.DiagnosticSeverity.Warning
    else:
        message = (f"listing-lint could not lint this document ({type(exc).__name__}: {exc}). Please report "
                   "this; the output log has the details.")
        severity = types.DiagnosticSeverity.Error
    return types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 0)), message=message,
                            severity=severity, source=SOURCE)


class LogForwarder(logging.Handler):
    """Send the engine's log records (a rule that crashed) to the editor as window/logMessage."""

    def __init__(self, server: ListingLintServer):
        super().__init__(logging.INFO)
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        kind = types.MessageType.Error if record.levelno >= logging.ERROR else types.MessageType.Info
        try:
            params = types.LogMessageParams(type=kind, message=self.format(record))
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # the worker thread: only the event loop's thread writes to the client
                if self.server.loop is not None:
                    self.server.loop.call_soon_threadsafe(self.server.window_log_message, params)
                return
            self.server.window_log_message(params)
        except Exception:  # logging must never raise into the caller
            pass


def create_server() -> ListingLintServer:
    """Build the server and register every handler."""
    from .handlers import register_all

    server = ListingLintServer()
    register_all(server)
    handler = LogForwarder(server)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    logger = logging.getLogger("listing_lint")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return server


def start(tcp: Optional[str] = None) -> int:
    """Run the server over stdio, or on ``HOST:PORT``."""
    server = create_server()
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    elif sys.platform == "win32":
        server.start_io()
    else:
        return serve_stdio(server)
    return 0


def _pollable(stream: Any) -> bool:
    """Say whether the event loop can wait on ``stream``: a pipe, a socket or a terminal.

    epoll refuses regular files and most character devices (``< /dev/null``) with EPERM, and asyncio reports
    that only later, from a callback, after which nothing is ever read: ask first instead.
    """
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(fd)


def serve_stdio(server: ListingLintServer) -> int:
    """Serve over stdin/stdout, reading stdin on the event loop when it is a pipe.

    pygls's ``start_io`` reads every header line and body in a worker thread, so the event loop turns
    once per read and a lint scheduled by one ``didChange`` runs before the next message is read: a
    burst of edits queues one lint per edit. Read from an asyncio pipe, every message already received
    is handled before the loop turns, so a burst causes one lint of the latest text. A stdin that is
    not a pipe (a file, some terminals) is read in a worker thread instead. Messages are framed and
    checked by ``transport.serve``, which answers broken ones instead of dropping them.

    Return the exit code: 0 after ``shutdown`` then ``exit``, 1 for an ``exit`` without ``shutdown`` (LSP).
    """
    server._stop_event = threading.Event()
    if sys.stdin is None or sys.stdout is None:
        # Started with stdin or stdout closed (`listing-lint server <&-`): no client can ever talk to us.
        if sys.stderr is not None:  # not the LSP log: it would go to the client, and there is none
            sys.stderr.write("listing-lint server: standard input or output is closed; no client to serve, exiting.\n")
        return 0
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    stdin = sys.stdin.buffer

    async def serve_pipe() -> None:
        loop = asyncio.get_running_loop()
        read: Any
        reader = asyncio.StreamReader()
        if _pollable(stdin):
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stdin)
            read = partial(reader.read, 65536)
        else:
            read = partial(loop.run_in_executor, server.thread_pool, stdin.read1, 65536)
        await transport.serve(read, server.protocol, server._stop_event.is_set)

    code = 0
    try:
        asyncio.run(serve_pipe())
    except BrokenPipeError:
        log.error("Connection to the client is lost; shutting down.")
    except KeyboardInterrupt:
        pass
    except SystemExit as exc:  # pygls's exit handler: 1 when no shutdown came first
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        server.shutdown()
    return code
