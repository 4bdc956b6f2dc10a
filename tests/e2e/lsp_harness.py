"""End-to-end harness: start the real language server as a subprocess and drive it with pytest-lsp's client.

Fixtures (conftest.py exposes them; every test module sets ``pytestmark = LOOP``):
- ``shared``: one server for the whole session, a push-diagnostics client without special settings. Tests
  put their files (and a ``listing-lint.toml`` choosing the rules they assert on) in their own ``tmp_path``,
  so they do not see each other's configs. Starting a server costs about a second here (importing
  lsprotocol alone takes half of it), so sharing keeps the suite fast.
- ``configured``: one server for the session started with CONFIGURED_OPTIONS as initializationOptions.
- ``start``: a factory for a server of the test's own: workspace folders, initializationOptions, client
  capabilities and ``workspace/configuration`` answers of its choice; shut down (or killed) at teardown.
- ``server_fixture(...)`` makes a module's own server fixture.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import pytest
import pytest_asyncio
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features

SERVER_CMD = [sys.executable, "-m", "listing_lint", "server"]
TIMEOUT = 15.0
"""Seconds to wait for anything from the server (generous: the CI machine may be busy)."""

POLICY_RULES = ["external-url", "contact-email", "contact-phone", "competitor-brand", "spoofed-amazon-domain"]
"""The rules tests assert on by name: new rules added to the packs cannot change what these tests see."""

LOOP = pytest.mark.asyncio(loop_scope="session")
"""Every e2e test runs in the session's event loop, the loop the shared server's client lives in."""


def policy_config(folder: Path, brands: str = "") -> Path:
    """Write a ``listing-lint.toml`` selecting POLICY_RULES (plus a ``[brands]`` body, if given) into ``folder``."""
    text = f"[rules]\nselect = {POLICY_RULES!r}\n".replace("'", '"')
    if brands:
        text += f"\n[brands]\n{brands}\n"
    return write_config(folder, text)


class Client(LanguageClient):
    """pytest-lsp's client, keeping every publishDiagnostics (with its version) and every registration."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []
        self.configuration_requests: list[types.ConfigurationParams] = []
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.init_result: Optional[types.InitializeResult] = None
        self.root: Optional[Path] = None

    # -- documents --------------------------------------------------------------------------------

    def open(self, path: Path, text: Optional[str] = None, language_id: str = "markdown") -> str:
        """Send didOpen for ``path`` (with ``text``, or the file's content) and return its URI."""
        if text is None:
            text = path.read_text("utf-8")
        uri = path.as_uri()
        self.versions[uri] = 1
        self.texts[uri] = text
        self.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
        return uri

    def replace(self, uri: str, text: str) -> int:
        """Send a full-text didChange; return the new version."""
        return self.change(uri, [types.TextDocumentContentChangeWholeDocument(text=text)])

    def change(self, uri: str, changes: list) -> int:
        """Send a didChange with the given content changes; return the new version."""
        version = self.versions[uri] = self.versions[uri] + 1
        for change in changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                self.texts[uri] = apply_edits(self.texts[uri], [types.TextEdit(change.range, change.text)])
            else:
                self.texts[uri] = change.text
        self.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=changes))
        return version

    def close(self, uri: str) -> None:
        """Send didClose."""
        self.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))

    # -- waiting ----------------------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
        """Poll until ``predicate()`` is truthy and return its value; fail the test with ``what`` on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:g}s waiting for {what}")
            await asyncio.sleep(0.005)

    async def diagnostics_for(self, uri: str, version: Optional[int] = None,
                              where: Optional[Callable[[list[types.Diagnostic]], bool]] = None,
                              timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """Wait for diagnostics published for ``uri`` (for ``version`` if given, matching ``where`` if given)."""
        def latest():
            for p in reversed(self.published):
                if p.uri == uri:
                    if version is not None and p.version != version:
                        return None
                    if where is not None and not where(list(p.diagnostics)):
                        return None
                    return [list(p.diagnostics)]
            return None

        found = await self.wait_for(latest, f"diagnostics of {uri} (version {version})", timeout)
        return found[0]

    async def message(self, contains: str, timeout: float = TIMEOUT) -> types.ShowMessageParams:
        """Wait for a window/showMessage whose text contains ``contains``."""
        return await self.wait_for(lambda: next((m for m in self.messages if contains in m.message), None),
                                   f"a showMessage containing {contains!r}", timeout)


def _publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.published.append(params)
    client.diagnostics[params.uri] = params.diagnostics


def _register(client: Client, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)


def _configuration(client: Client, params: types.ConfigurationParams) -> list[Any]:
    client.configuration_requests.append(params)
    return [client.get_configuration(section=item.section, scope_uri=item.scope_uri) for item in params.items]


LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""What ends a line for an LSP client: not U+2028, U+0085, form feeds or the other breaks of str.splitlines."""


def line_spans(text: str) -> list[tuple[int, int]]:
    """Return ``(start, content end)`` of every line as an LSP client counts them (a final empty line included)."""
    spans, start = [], 0
    for m in LINE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def utf16_len(s: str) -> int:
    """Return the length of ``s`` in UTF-16 code units."""
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def position_of(text: str, offset: int) -> types.Position:
    """Return the LSP position (UTF-16) of a code point offset, as an editor computes it."""
    spans = line_spans(text)
    line = max(i for i, (start, _) in enumerate(spans) if start <= offset)
    start, end = spans[line]
    assert offset <= end, f"offset {offset} is inside the line break of line {line}"
    return types.Position(line, utf16_len(text[start:offset]))


def offset_of(text: str, pos: types.Position, exact: bool = False) -> int:
    """Return the code point offset of an LSP position (UTF-16), as an editor resolves it.

    A character past the end of its line means the line's end, and a line past the last one the end of the
    text (what VS Code does). With ``exact``, such positions and one between the two halves of a surrogate
    pair fail the test instead.
    """
    spans = line_spans(text)
    if pos.line >= len(spans):
        assert not exact, f"{pos} is past the last line ({len(spans) - 1})"
        return len(text)
    start, end = spans[pos.line]
    units = 0
    for i in range(start, end):
        if units >= pos.character:
            assert not exact or units == pos.character, f"{pos} splits a surrogate pair"
            return i
        units += 2 if ord(text[i]) > 0xFFFF else 1
    assert not exact or units >= pos.character, f"{pos} is past the end of its line ({units} units)"
    return end


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to ``text``, as an editor does (a reversed range as its normal
    form, as VS Code's ``Range`` makes it)."""
    spans = sorted(((*sorted((offset_of(text, e.range.start), offset_of(text, e.range.end))), e.new_text)
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def utf16_col(line: str, index: int) -> int:
    """Return the UTF-16 column of ``line[index]``."""
    return len(line[:index].encode("utf-16-le")) // 2


def edits_for(edit: types.WorkspaceEdit, uri: str) -> list[types.TextEdit]:
    """Return the text edits a workspace edit makes to ``uri`` (from ``changes`` or ``documentChanges``)."""
    out: list[types.TextEdit] = list((edit.changes or {}).get(uri, []))
    for change in edit.document_changes or []:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            out.extend(change.edits)
    return out


def listing_md(title: str = "Vantora Blender 1200W", bullets: tuple[str, ...] = ("Crushes ice in seconds.",),
               description: Optional[str] = None, search_terms: Optional[str] = None) -> str:
    """Build a ``*.listing.md`` document."""
    parts = ["# Title", title, "", "## Bullet points", *[f"- {b}" for b in bullets], ""]
    if description is not None:
        parts += ["## Description", description, ""]
    if search_terms is not None:
        parts += ["## Search terms", search_terms, ""]
    return "\n".join(parts)


async def _shutdown(client: "Client") -> None:
    try:
        if client._server is not None and client._server.returncode is None:
            await asyncio.wait_for(client.shutdown_session(), 5)
    except Exception:  # a server that no longer answers is killed below
        pass
    if client._server is not None and client._server.returncode is None:
        client._server.kill()
    await client.stop()


def server_fixture(scope: str = "module", **kwargs: Any):
    """Make a fixture holding one server for a module (or the session), started with ``kwargs`` (see ``start``).

    Its workspace folder is a fresh temporary folder, available as ``client.root``.
    """
    @pytest_asyncio.fixture(scope=scope, loop_scope="session")
    async def fixture(tmp_path_factory):
        root = tmp_path_factory.mktemp("server-root")
        client = await _new_client([], root, **kwargs)
        client.root = root
        yield client
        await _shutdown(client)

    return fixture


shared = server_fixture("session", capabilities=None)
"""One server for the session: a push-diagnostics client without settings (tests put configs in tmp_path)."""

CONFIGURED_OPTIONS = {
    "competitors": ["Ninja"], "ownBrands": ["Anker"], "severity": {"external-url": "warning"},
    "maxDocumentSize": 5000, "fieldLengths": False,
}
RESOLVING_CAPS = types.ClientCapabilities(text_document=types.TextDocumentClientCapabilities(
    publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
    code_action=types.CodeActionClientCapabilities(
        resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]), data_support=True)))
configured = server_fixture("session", init_options=CONFIGURED_OPTIONS, capabilities=RESOLVING_CAPS)
"""A server started with CONFIGURED_OPTIONS as initializationOptions; its client receives pushed diagnostics,
can resolve code actions' edits and has no workspace/configuration."""


async def _new_client(clients: list, root: Optional[Path] = None, *, init_options: Any = None,
                      capabilities: Optional[types.ClientCapabilities] = None,
                      configuration: Optional[dict[str, Any]] = None,
                      folders: Optional[list[Path]] = None,
                      features: Optional[dict[str, Callable]] = None,
                      env: Optional[dict[str, str]] = None) -> "Client":
    client = Client(converter_factory=default_converter, configuration=configuration)
    handlers = dict(DEFAULT_CLIENT_FEATURES)
    handlers[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
    handlers[types.CLIENT_REGISTER_CAPABILITY] = _register
    handlers[types.WORKSPACE_CONFIGURATION] = _configuration
    handlers.update(features or {})
    register_lsp_features(client, handlers)
    await client.start_io(*SERVER_CMD, env=env)
    clients.append(client)
    workspace_folders = None
    if folders:
        workspace_folders = [types.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in folders]
    elif root is not None:
        workspace_folders = [types.WorkspaceFolder(uri=root.as_uri(), name=root.name)]
    client.init_result = await asyncio.wait_for(client.initialize_session(types.InitializeParams(
        capabilities=capabilities or push_caps(),
        root_uri=root.as_uri() if root is not None else None,
        workspace_folders=workspace_folders,
        initialization_options=init_options,
    )), TIMEOUT)
    return client


@pytest_asyncio.fixture(loop_scope="session")
async def start():
    """Return ``await start(root, init_options=..., capabilities=..., configuration=...)`` -> an initialised client."""
    clients: list[Client] = []

    async def _start(root: Optional[Path] = None, **kwargs: Any) -> Client:
        return await _new_client(clients, root, **kwargs)

    yield _start
    for client in clients:
        await _shutdown(client)


def push_caps(**workspace: Any) -> types.ClientCapabilities:
    """Capabilities of a client that receives pushed diagnostics (no textDocument.diagnostic)."""
    return types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(**workspace) if workspace else None,
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)),
    )


def pull_caps(**workspace: Any) -> types.ClientCapabilities:
    """Capabilities of a client that pulls diagnostics with textDocument/diagnostic."""
    return types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(**workspace) if workspace else None,
        text_document=types.TextDocumentClientCapabilities(
            diagnostic=types.DiagnosticClientCapabilities(dynamic_registration=False)),
    )


def write_config(folder: Path, text: str) -> Path:
    """Write ``listing-lint.toml`` into ``folder``."""
    path = folder / "listing-lint.toml"
    path.write_text(text, "utf-8")
    return path


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    """Return the rule codes of diagnostics, in order."""
    return [str(d.code) for d in diagnostics]
