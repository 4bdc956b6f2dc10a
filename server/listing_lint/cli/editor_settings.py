"""Layer 5b (CLI): ``check --editor-settings JSON``: an editor's settings laid over a config as the server lays them."""

from __future__ import annotations

import json
from pathlib import Path

from ..config import Config, read_setting_brand_files
from ..lsp.options import apply_settings, read_settings


def apply_editor_settings(config: Config, raw: str) -> Config:
    """Return ``config`` with the editor settings in ``raw`` applied; raise ValueError for unusable settings.

    The same functions as the language server's (``read_settings``, ``apply_settings``, competitorsFiles
    read the same way, from inside the current folder only), so an editor's "lint workspace" reports what
    its open documents show.
    """
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--editor-settings is not valid JSON: {exc}") from None
    settings, message, _ = read_settings(data)
    if message and "using defaults" in message:
        raise ValueError(f"--editor-settings: {message}")
    config = apply_settings(config, settings)
    if settings.competitors_files:
        # The editor runs "lint workspace" in the workspace folder: its files obey the server's rule.
        names, problems = read_setting_brand_files(settings.competitors_files, [Path.cwd()])
        if problems:
            raise ValueError(f"--editor-settings: {'; '.join(problems)}")
        config = config.merged(competitors=config.competitors + tuple(names))
    return config
