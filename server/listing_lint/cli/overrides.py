"""Layer 5b (CLI): ``--config KEY=VALUE`` overrides, laid over a config file's table as ruff's are."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from ..config import Config, config_from_dict
from ..engine.spec import SpecError, toml_parser, read_toml


class OverrideError(Exception):
    """A ``--config`` value that is neither a file nor a valid KEY=VALUE pair."""


def parse_override(value: str) -> dict[str, Any]:
    """Parse one ``KEY=VALUE`` (TOML, dotted keys allowed); a bare word value is read as a string."""
    tomllib = toml_parser()  # only a run given overrides imports the TOML parser for them
    try:
        data = tomllib.loads(value)
    except tomllib.TOMLDecodeError as exc:
        key, sep, raw = value.partition("=")
        if not sep or not key.strip():
            raise OverrideError(f"--config {value!r} is neither a config file nor a KEY=VALUE override "
                                "(e.g. --config 'brands.own=[\"Vantora\"]')") from None
        # `marketplace=amazon.de` is what people type; TOML needs the quotes, so add them for a bare word.
        try:
            data = tomllib.loads(f'{key.strip()} = "{raw.strip()}"')
        except tomllib.TOMLDecodeError:
            raise OverrideError(f"--config {value!r}: the value is not valid TOML ({exc})") from None
    if not data:
        raise OverrideError(f"--config {value!r} sets nothing")
    return data


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_with_overrides(path: Optional[Path], overrides: list[tuple[str, dict[str, Any]]],
                        folder: Path) -> Config:
    """Load ``path`` (or no file, for ``folder``) with each override laid over its table, then validate.

    Each override is validated on its own first, so a bad one is reported as the option the user typed.
    Paths in overrides resolve against the config file's folder, like the file's own paths.
    """
    base = path.parent if path else folder
    for text, data in overrides:
        config_from_dict(data, f"--config {text!r}", text, base)
    raw: dict[str, Any] = {}
    text, spath = "", "--config"
    if path is not None:
        raw, text = read_toml(path)
        spath = str(path)
        if path.name == "pyproject.toml":
            raw = raw.get("tool", {}).get("listing-lint", {})
            if not isinstance(raw, dict):
                raise SpecError(spath, "expected a table", key="tool.listing-lint")
    for _, data in overrides:
        raw = _deep_merge(raw, data)
    config = config_from_dict(raw, spath, text, base)
    return config if path is not None else config._replace(path=None)
