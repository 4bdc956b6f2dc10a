"""Layer 5a (LSP): initialize / initialized: read settings and capabilities, watch config files."""

from __future__ import annotations

import logging

from lsprotocol import types

from ..convert import FastPositionCodec
from ..document import ignore_changes_to_unopened, use_lsp_lines
from ..options import read_settings
from ..server import CONFIG_GLOBS

log = logging.getLogger("listing_lint.lsp")


def register(server) -> None:
    """Register the lifecycle handlers."""

    @server.feature(types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams) -> None:
        # pygls made the workspace just before this handler; documents opened later use its codec.
        workspace = ls.workspace
        if hasattr(workspace, "_position_codec"):
            workspace._position_codec = FastPositionCodec(workspace.position_encoding)
        use_lsp_lines(workspace)
        ignore_changes_to_unopened(workspace)
        settings, problem, usable = read_settings(params.initialization_options)
        ls.settings = settings
        ls.init_options = usable
        if problem:
            ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=problem))
            log.warning(problem)
        caps = params.capabilities.text_document
        ls.pull_diagnostics = bool(caps is not None and caps.diagnostic is not None)

    @server.feature(types.INITIALIZED)
    async def initialized(ls, params: types.InitializedParams) -> None:
        workspace = ls.client_capabilities.workspace
        watch = workspace.did_change_watched_files if workspace else None
        if watch is not None and watch.dynamic_registration:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
                id="listing-lint-config-watch",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    types.FileSystemWatcher(glob_pattern=g) for g in (*CONFIG_GLOBS, "**/*.txt")
                ]),
            )]))
            ls.watch_registered = True
        if workspace is not None and workspace.configuration:
            await ls.refresh_settings()
