"""Layer 5a (LSP): the listing-lint language server: documents, configs per folder, and lint scheduling."""

from __future__ import annotations

import asyncio
import fnmatch
import logging
import os
import stat
import sys
import threading
from functools import partial
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote, urlparse

import attrs
from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from .. import __version__
from ..config import Config, check_selector, find_config, load_config
from ..document import DocumentResult, lint_text
from ..engine.lint import ruleset_for, validate_selectors
from ..engine.spec import SpecError
from ..extract import detect_format
from . import transport
from .convert import SOURCE, Positions, to_diagnostic
from .options import Settings, apply_settings, layered, parse_settings
from .protocol import ListingLintProtocol

log = logging.getLogger("listing_lint.lsp")

CONFIG_GLOBS = ("**/listing-lint.toml", "**/.listing-lint.toml", "**/pyproject.toml")
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


@attrs.define
class Linted:
    """The last lint of a document: the text it saw, its result and the diagnostics sent."""

    version: Optional[int]
    text: str
    result: Optional[DocumentResult]
    diagnostics: list[types.Diagnostic]
    positions: Positions


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
        self.pull_diagnostics = False
        self.watch_registered = False

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

    def _merge(self, base: Config, settings: Settings) -> Config:
        config = apply_settings(base, settings)
        if settings.competitors_files:
            from ..config import read_brand_file

            names: list[str] = []
            for name in settings.competitors_files:
                p = Path(name).expanduser()
                try:
                    names.extend(read_brand_file(p))
                except SpecError as exc:
                    self.report_config_error(exc)
            config = attrs.evolve(config, competitors=config.competitors + tuple(names))
        self._check_selectors(config, settings)
        return config

    def _check_selectors(self, config: Config, settings: Settings) -> None:
        """Warn about rule names in the editor settings that select nothing (once per config and settings)."""
        named = [("select", settings.select or []), ("ignore", settings.ignore or []),
                 ("severity", list(settings.severity or {}))]
        if not any(names for _, names in named):
            return
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
        self.configs.clear()
        self.failed.clear()
        self.resolved.clear()
        self.linted.clear()
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
        config = self.config_for(uri)
        return any(fnmatch.fnmatch(name, g) for g in config.include) and detect_format(name) is not None

    def schedule(self, uri: str) -> None:
        """Lint a document soon; many edits in a row cause one lint of the latest text, not a queue."""
        if uri in self.pending:
            return
        self.pending.add(uri)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._lint_now(uri)
            return
        loop.call_soon(self._lint_now, uri)

    def _lint_now(self, uri: str) -> None:
        self.pending.discard(uri)
        try:
            document = self.document(uri)
            if document is None:
                return
            linted = self.lint(uri)
            if linted is not None and not self.pull_diagnostics:
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                    uri=uri, version=linted.version, diagnostics=linted.diagnostics))
        except Exception:  # the server must outlive any bug in a handler
            log.exception("linting %s failed", uri)

    def lint(self, uri: str) -> Optional[Linted]:
        """Lint the latest text of an open document (reusing the last result when nothing changed)."""
        document = self.document(uri)
        if document is None or not self.is_listing(uri):
            return None
        text = document.source
        previous = self.linted.get(uri)
        if previous is not None and previous.text is text:
            return previous
        positions = Positions(text, self.workspace.position_encoding)
        path = uri_to_path(uri)
        settings = self.settings_for(path)
        name = str(path) if path is not None else uri
        if not settings.enable:
            linted = Linted(document.version, text, None, [], positions)
        elif len(text) > settings.max_document_size:
            diag = types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                message=f"Document is {len(text):,} characters, over listing-lint's limit of "
                        f"{settings.max_document_size:,} (setting maxDocumentSize); not linted. "
                        "Run `listing-lint check` on it instead.",
                severity=types.DiagnosticSeverity.Information,
                source=SOURCE,
            )
            linted = Linted(document.version, text, None, [diag], positions)
        else:
            config = self.config_for(uri)
            result = lint_text(name, text, config, detect_format(name) or "markdown")
            findings, errors = result.findings, result.errors[:MAX_DIAGNOSTICS]
            shown = findings[:MAX_DIAGNOSTICS - len(errors)]
            diagnostics = [to_diagnostic(f, positions) for f in shown]
            for err in errors:
                diagnostics.append(types.Diagnostic(
                    range=positions.line_range(err.line - 1, err.column - 1),
                    message=err.message, severity=types.DiagnosticSeverity.Error, source=SOURCE))
            left_out = len(findings) - len(shown) + len(result.errors) - len(errors)
            if left_out:
                diagnostics.append(types.Diagnostic(
                    range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                    message=f"{left_out:,} more problems are not shown: listing-lint shows at most "
                            f"{MAX_DIAGNOSTICS:,} per document in the editor. Run `listing-lint check` on it "
                            "to see them all.",
                    severity=types.DiagnosticSeverity.Information, source=SOURCE))
            linted = Linted(document.version, text, result, diagnostics, positions)
        self.linted[uri] = linted
        return linted


class LogForwarder(logging.Handler):
    """Send the engine's log records (a rule that crashed) to the editor as window/logMessage."""

    def __init__(self, server: ListingLintServer):
        super().__init__(logging.INFO)
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        kind = types.MessageType.Error if record.levelno >= logging.ERROR else types.MessageType.Info
        try:
            self.server.window_log_message(types.LogMessageParams(type=kind, message=self.format(record)))
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
