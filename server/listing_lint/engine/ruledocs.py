"""Layer 3 (engine): a rule's documentation as a seller reads it: public citations, no raw placeholders.

The CLI's ``explain``, the language server's hover and the SARIF and HTML reports show a rule's message,
fix title and sources outside any finding. A message template holds ``{match}``; shown as written it
reads "Web address '{match}' sends buyers off Amazon". These helpers fill it from the rule's own first
bad example (run through the rule), or with generic wording when there is none, and turn source notes
into public citations: "SC 200390640" becomes the Seller Central page's address, and anything that looks
like a file of this repository is never shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import regex

from ..patterns import compile_pattern
from .edits import PLACEHOLDER
from .spec import RuleSpec

SELLER_CENTRAL = "https://sellercentral.amazon.com/help/hub/reference/external/"
SC_ID = compile_pattern(r"^SC\s+([A-Z0-9]+)$")
INTERNAL = compile_pattern(r"\bseeds?\b|(?:^|[\s/])shared/|\.(?:txt|md|toml|py|jsonl?)\b|^(?:\.{0,2}/|[\w.-]+/[\w./-]+$)",
                           regex.IGNORECASE)
"""A note that names a file (a path, or a name ending in .txt or .md), not a public source: never shown."""
GENERIC = {"match": "…", "count": "N", "limit": "the limit", "vendor_limit": "the vendor limit", "past": "the rest",
           "first": "N", "field": "the field", "brand": "…"}
"""Wording for a placeholder when no example fills it."""


def cite(source: str) -> Optional[str]:
    """Return a source as a seller may read it (a Seller Central id as its address), or None for an internal note."""
    source = source.strip()
    m = SC_ID.match(source)
    if m is not None:
        return SELLER_CENTRAL + m.group(1)
    if not source or INTERNAL.search(source) and not source.startswith("https://"):
        return None
    return source


def citations(spec: RuleSpec) -> list[str]:
    """Return the rule's sources as public citations, without duplicates and without internal notes."""
    out: list[str] = []
    for source in spec.sources:
        c = cite(source)
        if c is not None and c not in out:
            out.append(c)
    return out


def fill_generic(template: str, values: Optional[dict] = None) -> str:
    """Fill every ``{name}`` from values, else with generic wording, so no placeholder is ever shown raw."""
    values = values or {}
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), GENERIC.get(m.group(1), "…"))), template)


_EXAMPLES: dict[tuple[str, str], tuple[Optional[str], Optional[str]]] = {}


def example_wording(spec: RuleSpec, pack=None) -> tuple[str, Optional[str]]:
    """Return the rule's message and fix title as its first bad example shows them (generic when it has none)."""
    key = (spec.path, spec.id)
    if key not in _EXAMPLES:
        _EXAMPLES[key] = _count_wording(spec) if spec.kind == "count" else _run_example(spec, pack)
    message, fix_title = _EXAMPLES[key]
    title = spec.fix.title if spec.fix is not None else None
    return (message or fill_generic(spec.message),
            fix_title or (fill_generic(title) if title is not None else None))


def _count_wording(spec: RuleSpec) -> tuple[Optional[str], Optional[str]]:
    """Word a count rule for a listing two fields past its default limit (its examples use a limit of 0)."""
    limit = spec.options.get("limit")
    if not isinstance(limit, int):
        return None, None
    vendor = spec.options.get("vendor-limit", limit)
    values = {"count": limit + 2, "limit": limit, "vendor_limit": vendor, "first": limit + 1,
              "past": f"bullets {limit + 1}–{limit + 2}"}
    return fill_generic(spec.message, values), None


def _run_example(spec: RuleSpec, pack) -> tuple[Optional[str], Optional[str]]:
    from .lint import RuleSet, example_config, single_field_listing

    example = next((e for e in spec.examples if e.bad), None)
    if example is None:
        return None, None
    base = Path(pack.path) if pack is not None and Path(pack.path).is_dir() else Path(spec.path or ".").parent
    try:
        rules = RuleSet(example_config(pack.example_config if pack is not None else {}, example.config, base),
                        specs=[spec])
        found = [f for f in rules.lint(single_field_listing(example.text, example.field or spec.fields[0]))
                 if f.code == spec.id]
    except Exception:  # documentation must show even when an example cannot run here (a missing brand file)
        return None, None
    if not found:
        return None, None
    return found[0].message, found[0].fix.title if found[0].fix is not None else None
