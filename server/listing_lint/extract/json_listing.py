"""Layer 2 (extract): ``*.listing.json`` and ``.jsonl`` catalogs: listing objects whose strings map to the source."""

from __future__ import annotations

from typing import Any

from ..model import Escape, Field, FieldKind, Listing, LineIndex
from .fields import ExtractError, field_from_decoded
from .json_positions import JSONPositionError, JString, parse
from .record import RECORD_KEYS

ALIASES = {"bullet_points": "bullets", "searchTerms": "search_terms", "insertCard": "insert_card",
           "item_name": "title", "product_description": "description", "generic_keywords": "search_terms"}


def listing_from_object(obj: Any, path: str, text: str, line_base: int = 0) -> Listing | None:
    """Build a Listing from a parsed JSON object; None when it holds no listing field."""
    if not isinstance(obj, dict):
        return None
    obj = {ALIASES.get(k, k): v for k, v in obj.items()}
    fields: list[Field] = []
    for key, kind in RECORD_KEYS:
        value = obj.get(key)
        values = value if isinstance(value, list) else [value]
        for n, item in enumerate(values):
            if isinstance(item, JString) and item.value.strip():
                fields.append(field_from_decoded(kind, item.value, item.offsets, item.start, Escape.JSON,
                                                 index=n if kind is FieldKind.BULLET else 0))

    def meta(key: str) -> str | None:
        v = obj.get(key)
        return v.value if isinstance(v, JString) and v.value else None

    return Listing(fields=tuple(fields), text=text, path=path, sku=meta("sku"), brand=meta("brand"),
                   marketplace=meta("marketplace"), line_base=line_base)


def _error(path: str, text: str, pos: int, message: str) -> ExtractError:
    p = LineIndex(text).position(min(pos, len(text)))
    return ExtractError(path, p.row, p.column, message)


def extract_json(path: str, text: str) -> tuple[list[Listing], list[ExtractError]]:
    """Read a JSON listing (an object, or an array of objects)."""
    try:
        value = parse(text)
    except JSONPositionError as exc:
        return [], [_error(path, text, exc.pos, f"invalid JSON: {exc}")]
    objects = value if isinstance(value, list) else [value]
    listings = [lst for lst in (listing_from_object(o, path, text) for o in objects) if lst is not None]
    if not listings:
        return [], [ExtractError(path, 1, 1, "JSON holds no listing object (expected keys such as title, bullets)")]
    return listings, []


def extract_jsonl(path: str, text: str, line_base: int = 0) -> tuple[list[Listing], list[ExtractError]]:
    """Read a JSON Lines catalog (or a slice of one starting at file line ``line_base``): one listing per line."""
    listings: list[Listing] = []
    errors: list[ExtractError] = []
    pos = 0
    n = len(text)
    line_no = line_base
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line_end = end - 1 if end > pos and text[end - 1] == "\r" else end
        line_no += 1
        if text[pos:line_end].strip():
            try:
                obj = parse(text, pos, line_end)
            except JSONPositionError as exc:
                errors.append(ExtractError(path, line_no, exc.pos - pos + 1, f"invalid JSON on this line: {exc}"))
            else:
                listing = listing_from_object(obj, path, text, line_base)
                if listing is None:
                    errors.append(ExtractError(path, line_no, 1, "line is not a JSON object"))
                else:
                    listings.append(listing)
        pos = end + 1
    return listings, errors
