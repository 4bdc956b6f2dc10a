"""Layer 5a (LSP): watched config files and changed settings: reload configs and lint open documents again."""

from __future__ import annotations

from lsprotocol import types


def register(server) -> None:
    """Register the workspace handlers."""

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls, params: types.DidChangeWatchedFilesParams) -> None:
        ls.reload()
        ls.request_diagnostic_refresh()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls, params: types.DidChangeConfigurationParams) -> None:
        workspace = ls.client_capabilities.workspace
        if workspace is not None and workspace.configuration:
            await ls.refresh_settings()
        else:
            ls.apply_pushed_settings(params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def did_change_folders(ls, params: types.DidChangeWorkspaceFoldersParams) -> None:
        await ls.refresh_settings()
