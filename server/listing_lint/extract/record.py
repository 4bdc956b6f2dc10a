"""Layer 2 (extract): build a Listing from a plain record (a dict), for library users and the corpus."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from ..model import Field, FieldKind, Listing

# Record keys for each field, in the order they are laid out in the synthetic text.
RECORD_KEYS: tuple[tuple[str, FieldKind], ...] = (
    ("title", FieldKind.TITLE),
    ("bullets", FieldKind.BULLET),
    ("description", FieldKind.DESCRIPTION),
    ("insert_card", FieldKind.INSERT_CARD),
    ("search_terms", FieldKind.SEARCH_TERMS),
)


def listing_from_record(record: Mapping[str, Any], path: str = "<record>") -> Listing:
    """Build a Listing from ``{"title", "bullets", "description", "insert_card", "search_terms", "sku", ...}``.

    The fields are laid out one per line in ``Listing.text``, so findings' offsets point into that text.
    """
    parts: list[str] = []
    fields: list[Field] = []
    pos = 0
    for key, kind in RECORD_KEYS:
        value = record.get(key)
        values = value if isinstance(value, (list, tuple)) else [value]
        for index, text in enumerate(values):
            if not isinstance(text, str) or not text:
                continue
            fields.append(Field(kind, text, pos, index=index if kind is FieldKind.BULLET else 0))
            parts.append(text)
            pos += len(text) + 1
    return Listing(
        fields=tuple(fields), text="\n".join(parts), path=path,
        sku=_str(record.get("sku")), brand=_str(record.get("brand")), marketplace=_str(record.get("marketplace")),
    )


def _str(value: Any) -> Optional[str]:
    return value if isinstance(value, str) and value else None
