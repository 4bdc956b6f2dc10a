"""Layer 3 (engine kind): flag text that matches any of a rule's patterns, per language.

What it does: searches each field in scope for the rule's regular expressions (the ``regex``
module's syntax) and reports every match not covered by an exception.

Options:
- ``patterns``: a list of patterns, or a table of language -> list (``en``, ``zh``, ``de``, ``fr``,
  ``es``, ``it``, ``ja``); the language picks the fix template.
- ``exceptions``: patterns whose matches make an overlapping hit disappear.
- ``ignorecase``: match without regard to case (default true).

Example: ``patterns = { en = ['\\bbest[- ]?sell(?:er|ing)\\b'] }`` flags "Best Seller".

Fix safety: decided by the rule's ``fix`` table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import regex

from ...model import Field
from ..spec import LANGUAGES, RuleSpec
from . import Hit, Kind

if TYPE_CHECKING:
    from ..context import LintContext


def compile_patterns(kind: Kind, key: str, patterns: list[str], flags: int) -> "regex.Pattern[str]":
    """Compile a list of patterns into one alternation, naming the bad one on error."""
    for p in patterns:
        if not isinstance(p, str):
            raise kind.error(key, "patterns must be strings")
        try:
            regex.compile(p, flags)
        except regex.error as exc:
            raise kind.error(key, f"invalid regular expression {p!r}: {exc}") from None
    return regex.compile("|".join(f"(?:{p})" for p in patterns), flags)


class Existence(Kind):
    """Report every match of the rule's patterns."""

    options_schema = {"patterns": (list, dict), "exceptions": list, "ignorecase": bool}
    required = ("patterns",)

    def __init__(self, spec: RuleSpec, text: str = "") -> None:
        super().__init__(spec, text)
        flags = regex.V0 | (regex.IGNORECASE if self.opt("ignorecase", True) else 0)
        raw = self.opt("patterns")
        by_lang = raw if isinstance(raw, dict) else {"any": raw}
        self.patterns: list[tuple[str, regex.Pattern[str]]] = []
        for lang, pats in by_lang.items():
            if lang not in LANGUAGES:
                raise self.error("patterns", f"unknown language {lang!r} (expected {', '.join(LANGUAGES)})")
            if not isinstance(pats, list) or not pats:
                raise self.error("patterns", f"patterns.{lang} must be a non-empty list of strings")
            self.patterns.append((lang, compile_patterns(self, f"patterns.{lang}", pats, flags)))
        exceptions = self.opt("exceptions", [])
        self.exceptions = compile_patterns(self, "exceptions", exceptions, flags) if exceptions else None
        # One search over all of a listing's text decides whether the per-field searches are needed.
        self.gate = regex.compile("|".join(f"(?:{p.pattern})" for _, p in self.patterns), flags)

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Skip the listing with one search when no pattern matches anywhere in it."""
        if self.gate.search(ctx.joined_text(listing), timeout=ctx.regex_timeout) is None:
            return
        for field in fields:
            yield from self.check_field(field, ctx)

    def check_field(self, field: Field, ctx: "LintContext") -> Iterator[Hit]:
        """Yield non-overlapping matches of every language's patterns."""
        text = field.text
        timeout = ctx.regex_timeout
        taken: list[tuple[int, int]] = []
        excepted = None
        for lang, pattern in self.patterns:
            for m in pattern.finditer(text, timeout=timeout):
                start, end = m.span()
                if start == end or any(s < end and start < e for s, e in taken):
                    continue
                if self.exceptions is not None:
                    if excepted is None:
                        excepted = [x.span() for x in self.exceptions.finditer(text, timeout=timeout)]
                    if any(s <= start and end <= e or (s < end and start < e) for s, e in excepted):
                        continue
                taken.append((start, end))
                yield Hit(field, start, end, lang="en" if lang == "any" else lang, values={"match": m.group(0)})
