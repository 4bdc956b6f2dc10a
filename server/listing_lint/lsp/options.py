"""Layer 5a (LSP): editor settings (initializationOptions / workspace/configuration), camelCase on the wire."""

from __future__ import annotations

from typing import Any, Optional

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from ..config import Config
from ..diagnostics import Severity
from ..names import close_matches


@attrs.define
class Settings:
    """What an editor may set; every field is optional and overrides the config file."""

    enable: bool = True
    own_brands: Optional[list[str]] = None
    """Your brands (never flagged); added to the config file's ``brands.own``."""
    competitors: Optional[list[str]] = None
    """Competitor names; added to the config file's ``brands.competitors``."""
    competitors_files: Optional[list[str]] = None
    select: Optional[list[str]] = None
    ignore: Optional[list[str]] = None
    severity: Optional[dict[str, str]] = None
    marketplace: Optional[str] = None
    max_document_size: int = 2_000_000
    """Documents larger than this many characters get one information diagnostic instead of a lint."""
    field_lengths: bool = True
    """Show each field's length against its limit as an inlay hint."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


converter = cattrs.Converter(forbid_extra_keys=False)
converter.register_structure_hook(
    Settings,
    make_dict_structure_fn(Settings, converter, **{
        a.name: override(rename=_camel(a.name)) for a in attrs.fields(Settings)
    }),
)


def unwrap(raw: Any) -> Any:
    """Return the listing-lint settings of a payload that may wrap them in a ``listingLint`` section."""
    if isinstance(raw, dict) and isinstance(raw.get("listingLint"), dict):
        return raw["listingLint"]
    return raw


def layered(*layers: Any) -> Any:
    """Lay raw settings over each other, later layers winning key by key (None layers are skipped).

    initializationOptions < workspace/configuration for the workspace < for the folder: a client that
    answers workspace/configuration with only some keys keeps the others from its initializationOptions.
    """
    merged: Any = None
    for layer in layers:
        layer = unwrap(layer)
        if layer is None:
            continue
        merged = {**merged, **layer} if isinstance(merged, dict) and isinstance(layer, dict) else layer
    return merged


KINDS = {
    "enable": "bool", "own_brands": "strings", "competitors": "strings", "competitors_files": "strings",
    "select": "strings", "ignore": "strings", "severity": "severities", "marketplace": "string",
    "max_document_size": "count", "field_lengths": "bool",
}
"""The shape each setting must have. Checked before cattrs sees the value: its default hooks would turn
``"select": "policy"`` into ``["p", "o", "l", ...]`` and ``"enable": "no"`` into True without a word."""
assert set(KINDS) == {a.name for a in attrs.fields(Settings)}


def _shape_problem(key: str, kind: str, value: Any) -> Optional[str]:
    """Return what is wrong with a setting's value (``key`` as the editor spelt it), or None."""
    expected = {"bool": "true or false", "string": "a string", "count": "a positive whole number",
                "strings": "a list of strings", "severities": 'an object of rule = "error|warning|info|hint"'}[kind]
    ok = {
        "bool": isinstance(value, bool),
        "string": isinstance(value, str),
        "count": isinstance(value, int) and not isinstance(value, bool) and value > 0,
        "strings": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "severities": isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
    }[kind]
    if not ok:
        return f"{key} must be {expected}, got {value!r}"
    if kind == "severities":
        for rule, level in value.items():
            try:
                Severity.parse(level)
            except ValueError as exc:
                return f"{key}.{rule}: {exc}"
    return None


def read_settings(raw: Any) -> tuple[Settings, Optional[str], Optional[dict[str, Any]]]:
    """Read settings sent by an editor: (settings, a message for the user or None, the usable raw values).

    A value of the wrong shape makes every setting fall back to its default (and says which one and why);
    an unknown key is ignored with a did-you-mean, and the other settings still apply.
    """
    raw = unwrap(raw)
    if raw is None:
        return Settings(), None, None
    if not isinstance(raw, dict):
        return Settings(), f"listing-lint settings must be an object, got {type(raw).__name__}; using defaults", None
    names = {_camel(name): name for name in KINDS}
    usable: dict[str, Any] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for key, value in raw.items():
        name = names.get(key)
        if name is None:
            close = close_matches(key, list(names))
            unknown.append(repr(key) + (f" (did you mean {close[0]!r}?)" if close else ""))
        elif value is not None:
            problem = _shape_problem(key, KINDS[name], value)
            if problem:
                problems.append(problem)
            else:
                usable[key] = value
    if problems:
        return Settings(), f"invalid listing-lint settings: {'; '.join(problems)}; using defaults", None
    settings = converter.structure(usable, Settings)
    message = f"unknown listing-lint settings ignored: {', '.join(unknown)}" if unknown else None
    return settings, message, usable


def parse_settings(raw: Any) -> tuple[Settings, Optional[str]]:
    """Read settings sent by an editor; on a bad value return defaults and a message saying what was wrong."""
    settings, message, _ = read_settings(raw)
    return settings, message


def apply_settings(config: Config, settings: Settings) -> Config:
    """Lay editor settings over a config read from a file."""
    changes: dict[str, Any] = {}
    if settings.own_brands:
        changes["own_brands"] = config.own_brands + tuple(settings.own_brands)
    if settings.competitors:
        changes["competitors"] = config.competitors + tuple(settings.competitors)
    if settings.select:
        changes["select"] = tuple(settings.select)
    if settings.ignore:
        changes["ignore"] = config.ignore + tuple(settings.ignore)
    if settings.severity:
        changes["severity"] = config.severity + tuple((k, Severity.parse(v)) for k, v in settings.severity.items())
    if settings.marketplace:
        changes["marketplace"] = settings.marketplace
    return config._replace(**changes) if changes else config
