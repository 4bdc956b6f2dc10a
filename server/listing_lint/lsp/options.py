"""Layer 5a (LSP): editor settings (initializationOptions / workspace/configuration), camelCase on the wire."""

from __future__ import annotations

from typing import Any, Optional

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from ..config import Config
from ..diagnostics import Severity


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


def parse_settings(raw: Any) -> tuple[Settings, Optional[str]]:
    """Read settings sent by an editor; on a bad value return defaults and a message saying what was wrong."""
    if raw is None:
        return Settings(), None
    if isinstance(raw, dict) and isinstance(raw.get("listingLint"), dict):
        raw = raw["listingLint"]
    if not isinstance(raw, dict):
        return Settings(), f"listing-lint settings must be an object, got {type(raw).__name__}; using defaults"
    try:
        settings = converter.structure(raw, Settings)
    except Exception as exc:  # cattrs raises class-grouped errors; show their text and go on with defaults
        detail = "; ".join(cattrs.transform_error(exc)) if isinstance(exc, cattrs.BaseValidationError) else str(exc)
        return Settings(), f"invalid listing-lint settings ({detail}); using defaults"
    if settings.severity:
        for rule, level in settings.severity.items():
            try:
                Severity.parse(level)
            except ValueError as exc:
                return Settings(), f"invalid listing-lint setting severity.{rule}: {exc}; using defaults"
    return settings, None


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
    return attrs.evolve(config, **changes) if changes else config
