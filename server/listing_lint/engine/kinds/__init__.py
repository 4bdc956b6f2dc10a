"""Layer 3 (engine): the rule kinds, each turning a rule spec's options into a checker of listing fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from pathlib import Path
from typing import Any, NamedTuple, Optional, TYPE_CHECKING

from ...diagnostics import Applicability, Severity
from ...model import Field, Listing
from ...names import close_matches
from ..spec import COMMON_KEYS, RuleSpec, SpecError, line_of_key

if TYPE_CHECKING:
    from ..context import LintContext


class Hit(NamedTuple):
    """Something a kind found: a span of one field's text, plus what the message and fix need."""

    field: Field
    start: int
    end: int
    lang: str = "en"
    values: Mapping[str, Any] = MappingProxyType({})
    severity: Optional[Severity] = None
    """A fixed severity that config overrides do not change (e.g. info for a compatibility statement)."""
    message: Optional[str] = None
    """A message template replacing the rule's own for this hit."""
    fixable: bool = True
    fix_start: Optional[int] = None
    """Where a removal starts when more than the flagged text goes (a comparison's "better than")."""
    applicability: Optional[Applicability] = None
    """Overrides the rule's fix applicability for this hit (removing a word from search terms is safe)."""


GENERAL_OPTIONS: dict[str, type] = {"yields-to": list}
"""Options any rule may set, whatever its kind."""


class Kind:
    """Base of every rule kind: validate options once, then check fields."""

    options_schema: dict[str, type | tuple[type, ...]] = {}
    required: tuple[str, ...] = ()
    yields_to: frozenset = frozenset()
    """Rules (names or codes) whose finding on the same text replaces this rule's: one problem, one finding."""
    listing_literals: Optional[frozenset] = None
    """Literals one of which a listing must hold for the rule to find anything in it (None: no such test)."""
    literals_wanted: frozenset = frozenset()
    """Literals the engine's one literal pass must find for the rule besides its patterns' (engine/literals.py)."""

    def __init__(self, spec: RuleSpec, text: str = "") -> None:
        self.spec = spec
        self._text = text
        self._read_general_options()
        for key, value in spec.options.items():
            if key in GENERAL_OPTIONS:
                continue
            if key not in self.options_schema:
                known = ", ".join(sorted(self.options_schema)) or "none"
                # A misspelt common key ("mesage") lands among the options: suggest from both.
                close = close_matches(key, sorted(set(self.options_schema) | COMMON_KEYS))
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.error(key, f"unknown key for a rule of kind {spec.kind!r}{hint} (its options: {known})")
            typ = self.options_schema[key]
            if not isinstance(value, typ) or (isinstance(value, bool) and typ is int):
                raise self.error(key, f"has the wrong type {type(value).__name__}")
        # After the unknown keys, so a misspelt required option is reported as the misspelling it is.
        for key in self.required:
            if key not in spec.options:
                raise self.error(key, "required option is missing")

    def _read_general_options(self) -> None:
        """Check and keep the options every kind has (``GENERAL_OPTIONS``)."""
        yields = self.spec.options.get("yields-to", [])
        if not isinstance(yields, list) or not all(isinstance(x, str) and x for x in yields):
            raise self.error("yields-to", "expected a list of rule names or codes")
        self.yields_to = frozenset(yields)

    def error(self, key: str, message: str) -> SpecError:
        """Return a SpecError pointing at an option of this rule (its file is read only now, to find the line)."""
        text = self._text
        path = Path(self.spec.path) if self.spec.path else None
        if not text and path is not None and path.is_file():
            text = path.read_text("utf-8", errors="replace")
        return SpecError(self.spec.path, message, line=line_of_key(text, key), key=key)

    def opt(self, key: str, default: Any = None) -> Any:
        """Return an option's value or a default."""
        return self.spec.options.get(key, default)

    _for_config: Optional[tuple] = None

    def for_config(self, ctx: "LintContext", compute: Callable[["LintContext", Any], Any], key: Any = None) -> Any:
        """Return ``compute(ctx, key)``, worked out again only when the config (immutable) or ``key`` changes: what
        a rule reads from its options and the config is the same for every listing of a run (a length limit)."""
        memo = self._for_config
        if memo is None or memo[0] is not ctx.config or memo[1] != key:
            memo = self._for_config = (ctx.config, key, compute(ctx, key))
        return memo[2]

    def fields_to_check(self, listing: Listing, fields: Sequence[Field], ctx: "LintContext") -> Sequence[Field]:
        """Return the fields in scope that could hold a hit: a cheap superset, so a listing that cannot
        (most listings, for most rules) costs the engine no call to ``check`` at all."""
        return fields

    def check(self, listing: Listing, fields: Iterable[Field], ctx: "LintContext") -> Iterator[Hit]:
        """Yield hits for the fields in the rule's scope (those ``fields_to_check`` returned)."""
        for field in fields:
            yield from self.check_field(field, ctx)

    def check_field(self, field: Field, ctx: "LintContext") -> Iterator[Hit]:
        """Yield hits in one field."""
        return iter(())
