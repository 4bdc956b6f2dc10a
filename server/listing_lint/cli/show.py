"""Layer 5b (CLI): ``--show-settings`` and ``--show-files``: what a run would use, without linting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..config import Config
from .discover import discover
from .safe_text import escape


def settings(config: Config) -> dict[str, Any]:
    """Return the resolved settings of one config as plain data, brand lists counted rather than listed."""
    data = config._asdict()
    out: dict[str, Any] = {"version": __version__, "config_file": data.pop("path")}
    for key, value in data.items():
        if key in ("own_brands", "competitors") and len(value) > 20:
            value = {"count": len(value), "first": list(value[:20])}
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
            if key in ("columns", "limits"):
                value = dict(value)
            elif key == "severity":
                value = {k: v.label for k, v in value}
            elif key == "per_file_ignores":
                value = {k: list(v) for k, v in value}
        out[key] = value
    out["fallback_encoding"] = config.fallback_encoding()
    return out


def show_settings(config: Config, path: str, out: TextIO) -> None:
    """Print the settings that govern ``path``."""
    data = {"path": path, **settings(config)}
    out.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def show_files(paths: list[str], config_for: Any, out: TextIO) -> int:
    """Print each file a run would lint, one per line (in lint order); return how many."""
    count = 0
    for p in map(Path, paths):
        for path in discover([p], config_for(p)).files:
            out.write(f"{escape(path)}\n")  # one line each, whatever the name holds
            count += 1
    return count
