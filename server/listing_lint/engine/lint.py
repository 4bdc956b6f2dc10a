"""Layer 3 (engine): select and compile rules for a config, run them over a listing, build findings."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, Optional

from ..config import Config, config_from_dict
from ..diagnostics import Finding, Severity
from ..model import Escape, Field, Listing, LineIndex
from .context import LintContext
from .edits import build_fixes, format_message
from .kinds import Kind
from .kinds.concept import Concept
from .kinds.count import Count
from ..profiles import for_platform
from .kinds.detector import Detector
from .kinds.existence import Existence
from .kinds.length import Length
from .kinds.repetition import Repetition
from .literals import LiteralIndex
from .repeats import Repeats, repeat_key
from .spec import Pack, RuleSpec, SpecError, bundled_rules_dir, load_pack, load_rule_file


MAX_PER_RULE_AND_FIELD = 100
"""Findings listed per rule and field; the rest are counted in one summary finding."""

KIND_CLASSES: dict[str, type[Kind]] = {
    "existence": Existence,
    "detector": Detector,
    "length": Length,
    "count": Count,
    "repetition": Repetition,
    "concept": Concept,
}


class Rule(NamedTuple):
    """A rule ready to run: its spec, compiled kind and the severity in force."""

    spec: RuleSpec
    kind: Kind
    severity: Severity
    fields: frozenset


def load_packs(config: Config) -> list[Pack]:
    """Load the bundled packs and the config's own packs (folders or single TOML files)."""
    root = bundled_rules_dir()
    packs = [load_pack(d) for d in sorted(root.iterdir()) if d.is_dir() and (d / "pack.toml").exists()]
    for path in config.rule_packs:
        p = Path(path)
        if not p.exists():
            raise SpecError(config.path or path, f"rule pack {path} does not exist", key="rule-packs")
        pack = load_pack(p) if p.is_dir() else load_rule_file(p)
        verify_examples(pack)
        packs.append(pack)
    return packs


def verify_examples(pack: Pack) -> None:
    """Run a user pack's examples; a pack whose examples fail does not load (bundled packs are tested in CI)."""
    from .examples import check_example
    from .spec import line_of_key

    for spec in pack.rules:
        for n, example in enumerate(spec.examples):
            failure = check_example(pack, spec, example)
            if failure is not None:
                text = Path(spec.path).read_text("utf-8", errors="replace") if Path(spec.path).is_file() else ""
                line = _example_line(text, example.text) or line_of_key(text, "examples")
                raise SpecError(spec.path, f"rule {spec.id} {spec.name}: {failure}", line=line,
                                key=f"examples[{n}]")


def _example_line(text: str, example: str) -> Optional[int]:
    """Return the line of a TOML file where an example's text appears, if it can be found."""
    for quoted in (f'"{example}"', f"'{example}'"):
        at = text.find(quoted)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return None


def matches(selector: str, spec: RuleSpec) -> bool:
    """Return whether a selector (slug, code, code prefix, pack name or ALL) names a rule."""
    return (
        selector in ("ALL", spec.name, spec.pack, spec.id)
        or (selector[:1].isupper() and spec.id.startswith(selector))
    )


def compile_rule(spec: RuleSpec, severity: Severity) -> Rule:
    """Compile a spec's kind (a bad option is reported with the rule file's line)."""
    return Rule(spec, KIND_CLASSES[spec.kind](spec), severity, frozenset(spec.fields))


def _plan(rules: list[Rule]) -> list[tuple[frozenset, list[tuple]]]:
    """Group rules by the field kinds they read, each scope once, in the order the rules first name it: what
    ``RuleSet.lint`` walks for each listing, each rule as (its literals, its gate, itself)."""
    groups: dict[frozenset, list[tuple]] = {}
    for rule in rules:
        groups.setdefault(frozenset(rule.fields), []).append(
            (rule.kind.listing_literals, rule.kind.fields_to_check, rule))
    return list(groups.items())


def _walk(plan: list[tuple[frozenset, list[tuple]]], kinds: tuple) -> list[tuple[Optional[object], list[tuple]]]:
    """Return the plan for a listing whose fields are of these kinds, in order: each scope holding some of them
    with how its fields are picked (None: all of them; a slice, when they stand together, as they mostly do;
    else their places), the scopes holding none left out."""
    walk = []
    for scope, members in plan:
        places = [n for n, kind in enumerate(kinds) if kind in scope]
        if not places:
            continue
        if len(places) == len(kinds):
            walk.append((None, members))
        elif places[-1] - places[0] + 1 == len(places):
            walk.append((slice(places[0], places[-1] + 1), members))
        else:
            walk.append((tuple(places), members))
    return walk


_KIND = itemgetter(0)
"""A field's kind (``Field`` is a named tuple and ``kind`` its first item)."""


class RuleSet:
    """The rules a config selects, compiled once and reused for every listing."""

    def __init__(self, config: Config, specs: Optional[Sequence[RuleSpec]] = None,
                 packs: Optional[list[Pack]] = None, remember: bool = True) -> None:
        """Compile the rules a config selects from its packs (loaded here unless given), or only ``specs``;
        ``remember=False`` lints every listing afresh, even one whose copy it has linted (the engine's benchmarks)."""
        self.config = config
        self.packs = (packs if packs is not None else load_packs(config)) if specs is None else []
        all_specs = [r for p in self.packs for r in p.rules] if specs is None else list(specs)
        seen: dict[str, RuleSpec] = {}
        for spec in all_specs:
            for key in (spec.id, spec.name):
                if key in seen and seen[key] is not spec:
                    raise SpecError(spec.path, f"rule {key!r} is already defined in {seen[key].path}", key="id")
                seen[key] = spec
        self.specs = all_specs
        self.rules: list[Rule] = []
        for spec in all_specs:
            if spec.status == "removed" or not self._selected(spec, explicit=specs is not None):
                continue
            severity = spec.severity
            for selector, level in config.severity:
                if matches(selector, spec):
                    severity = level
            self.rules.append(compile_rule(spec, severity))
        self.context = LintContext(config)
        self.repeats = Repeats() if remember else Repeats(0)
        """The findings of listings linted before, for a listing with the same copy (``repeats.repeat_key``)."""
        self._failures = 0
        """Rules that crashed or timed out so far: a listing where one did is not remembered."""
        self._plan: tuple = (None, [], {})
        """The rules as ``lint`` walks them: (rules list, [(scope, [(listing literals, gate, rule)])], and by the
        kinds of a listing's fields, in order, its ``_walk``)."""
        literals: set[str] = set()
        for rule in self.rules:
            for _, _, lits in getattr(rule.kind, "patterns", ()):
                literals |= lits or set()
            literals |= rule.kind.literals_wanted
        self.context.literal_index = LiteralIndex(literals)
        self._yields = self._check_yields(complete=specs is None)
        concept_rules = [r for r in self.rules if isinstance(r.kind, Concept)]
        if concept_rules:
            self.context.lexicons = self._lexicons(concept_rules)

    def _lexicons(self, rules: list[Rule]):
        """Load the bundled lexicons plus those of the config's rule packs, and check every concept a rule names."""
        from .lexicon import bundled_lexicon_paths, load_lexicons

        paths = list(bundled_lexicon_paths())
        for pack in self.config.rule_packs:
            # A pack adds terms and languages in a lexicons/ folder inside it (or beside a one-file pack).
            folder = Path(pack) / "lexicons" if Path(pack).is_dir() else Path(pack).parent / "lexicons"
            if folder.is_dir():
                paths.extend(sorted(folder.glob("*.toml")))
        lexicons = load_lexicons(tuple(dict.fromkeys(paths)))
        for rule in rules:
            unknown = sorted(rule.kind.concept_names() - lexicons.concepts)
            if unknown:
                raise rule.kind.error("when", f"unknown concept {unknown[0]!r} (the lexicons define: "
                                      f"{', '.join(sorted(lexicons.concepts))})")
        return lexicons

    def _check_yields(self, complete: bool) -> dict[str, frozenset[str]]:
        """Check that every rule a ``yields-to`` names exists (when every pack is loaded: a rule set built from
        a few specs, as for a rule's examples, may leave the named rule out); return what each selected rule
        that yields yields to, by rule name."""
        known = {key for spec in self.specs for key in (spec.id, spec.name)}
        for rule in self.rules if complete else ():
            unknown = sorted(rule.kind.yields_to - known)
            if unknown:
                raise rule.kind.error("yields-to", f"unknown rule {unknown[0]!r}")
        return {rule.spec.name: rule.kind.yields_to for rule in self.rules if rule.kind.yields_to}

    def _selected(self, spec: RuleSpec, explicit: bool) -> bool:
        config = self.config
        if config.select:
            chosen = any(matches(s, spec) for s in config.select)
            # Preview rules run only when named, not through a pack or ALL.
            if chosen and spec.status == "preview":
                chosen = any(s in (spec.name, spec.id) for s in config.select)
        else:
            chosen = explicit or spec.status != "preview"
        return chosen and not any(matches(s, spec) for s in config.ignore)

    def known_selectors(self) -> set[str]:
        """Return every slug, code and pack name, for did-you-mean hints."""
        names = {"ALL"}
        for spec in self.specs:
            names.update((spec.id, spec.name, spec.pack))
        return names

    def lint(self, listing: Listing) -> list[Finding]:
        """Run every selected rule on the listing and return findings sorted by position (a listing whose copy
        this rule set has linted before takes the findings it had then, moved to where the copy stands now)."""
        repeats = self.repeats
        fields = listing.fields
        # A JSON listing's lines hold its SKU beside its copy, so no two are the same: looking for one would only
        # cost time (an editor's catalog memo, document.ListingMemo, still keeps an edited file's rows).
        if not repeats.max_size or not fields or fields[0].escape is Escape.JSON:
            return self._lint(listing)
        if self._plan[0] is not self.rules:
            repeats.clear()  # the rules were replaced (bench/rule_costs.py): what they found no longer holds
        if repeats.first_sight(listing):
            return self._lint(listing)
        key, spans = repeat_key(listing)
        if key is None:
            return self._lint(listing)
        findings = repeats.get(key, spans)
        if findings is None:
            failures = self._failures
            findings = self._lint(listing)
            if self._failures == failures:  # a time-out may not happen again, and a crash is best seen afresh
                repeats.put(key, spans, findings)
        return findings

    def _lint(self, listing: Listing) -> list[Finding]:
        ctx = self.context
        ctx.listing_brand = listing.brand
        present = ctx.literals_in_listing(listing)  # also resets the per-listing literal cache
        ctx.new_listing(listing)
        findings: list[Finding] = []
        plan = self._plan
        if plan[0] is not self.rules:  # made again whenever the list of rules is replaced (bench/rule_costs.py)
            plan = self._plan = (self.rules, _plan(self.rules), {})
        fields = listing.fields
        kinds = tuple(map(_KIND, fields))
        # Rules share a handful of scopes, and listings a handful of field layouts: which of a listing's fields
        # each scope takes is worked out once per layout.
        walk = plan[2].get(kinds)
        if walk is None:
            if len(plan[2]) >= 1024:
                plan[2].clear()
            walk = plan[2][kinds] = _walk(plan[1], kinds)
        for picks, members in walk:
            if picks is None:
                in_scope = fields
            elif type(picks) is slice:
                in_scope = fields[picks]
            else:
                in_scope = [fields[n] for n in picks]
            for needs, gate, rule in members:
                if needs is not None and needs.isdisjoint(present):
                    continue  # most rules, most listings: one set test, no call
                # The gate is asked here, not in _run: most rules that get this far find no field worth searching.
                try:
                    pending = gate(listing, in_scope, ctx)
                except Exception as exc:  # a broken gate must not take the other rules down
                    findings.append(self._crashed(rule, listing, in_scope[0], exc))
                    continue
                if pending:
                    self._run(rule, listing, pending, ctx, findings)
        if self._yields and len(findings) > 1:
            findings = self._without_yielded(findings)
        if listing.suppressions:
            findings = self._unsuppressed(listing, findings)
        # Another platform's wording and style rules (profiles.py); Amazon's listings pass through untouched.
        findings = for_platform(findings, listing.marketplace or ctx.config.marketplace, listing.text)
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        return findings

    def _without_yielded(self, findings: list[Finding]) -> list[Finding]:
        """Drop each finding that overlaps a finding of a rule its rule yields to (review-incentive reports
        "Loved it? Send us your review for a gift card"; biased-review-request need not report it again)."""
        yields = self._yields
        yielding = [f for f in findings if f.rule in yields]
        if not yielding:
            return findings
        # Only the findings of rules something yields to are compared: a document with hundreds of findings
        # of other rules costs one pass, not hundreds squared.
        targets = set().union(*(yields[f.rule] for f in yielding))
        others = [g for g in findings if g.rule in targets or g.code in targets]
        dropped = {id(f) for f in yielding if any(
            (g.rule in yields[f.rule] or g.code in yields[f.rule]) and g.start < f.end and f.start < g.end
            for g in others)}
        return [f for f in findings if id(f) not in dropped] if dropped else findings

    def _run(self, rule: Rule, listing: Listing, pending: list[Field], ctx: LintContext,
             findings: list[Finding]) -> None:
        """Search the fields a rule's gate let through; a pattern that times out on one field is reported there
        and the later fields still run."""
        shown: dict[int, int] = {}
        hidden: dict[int, list] = {}
        try:
            while pending:
                try:
                    for hit in rule.kind.check(listing, pending, ctx):
                        # Past the cap a hit is only counted: building findings and fixes is the dear part,
                        # and a field holding thousands of one problem needs one line saying so, not thousands.
                        key = id(hit.field)
                        if shown.get(key, 0) < MAX_PER_RULE_AND_FIELD:
                            shown[key] = shown.get(key, 0) + 1
                            findings.append(self._finding(rule, hit, listing))
                        else:
                            more = hidden.setdefault(key, [hit, 0])
                            more[1] += 1
                    return
                except TimeoutError as exc:
                    field = getattr(exc, "field", None)
                    at = next((i for i, f in enumerate(pending) if f is field), None)
                    where = field if at is not None else pending[0]
                    detector = getattr(exc, "detector", None)
                    if detector:
                        why = (f"the {detector} detector took longer than that on this text, so the rest of "
                               f"{where.name} was not checked; shorten or split the text")
                    else:
                        why = ("one of its patterns backtracks too much on this text, or the text is far too "
                               "long; fix or remove the pattern")
                    self._failures += 1
                    limit = getattr(exc, "limit", ctx.regex_timeout)
                    findings.append(self._failure(rule, where, (
                        f"rule {rule.spec.name} timed out after {limit:.3g}s on {where.name} "
                        f"({len(where.text):,} characters) and was stopped there: {why}")))
                    if at is None:
                        return
                    pending = pending[at + 1:]
                except Exception as exc:  # a broken rule must not take the other rules down
                    findings.append(self._crashed(rule, listing, pending[0], exc))
                    return
        finally:
            for hit, count in hidden.values():
                findings.append(self._overflow(rule, hit, count))

    def _crashed(self, rule: Rule, listing: Listing, field: Field, exc: Exception) -> Finding:
        """Log a rule's crash and return the finding that reports it where it happened."""
        self._failures += 1
        import logging  # only on a crash: a run that needs no log does not load the logging package (6 ms)

        logging.getLogger("listing_lint.engine").exception("rule %s crashed on %s", rule.spec.name, listing.path)
        return self._failure(rule, field, f"rule {rule.spec.name} crashed ({exc!r}); the other rules still ran. "
                             "Please report this.")

    def _overflow(self, rule: Rule, hit, count: int) -> Finding:
        """Return the one finding that stands for a field's hits of a rule past the cap."""
        field: Field = hit.field
        return Finding(
            code=rule.spec.id, rule=rule.spec.name, severity=rule.severity,
            message=(f"{count:,} more {rule.spec.name} finding{'s' if count != 1 else ''} in {field.name} "
                     f"{'are' if count != 1 else 'is'} not listed (at most {MAX_PER_RULE_AND_FIELD} per rule "
                     "and field): fix the ones above and lint again."),
            start=field.source_offset(hit.start), end=field.source_offset(hit.end), field=field.name,
            url=rule.spec.policy,
        )

    def _finding(self, rule: Rule, hit, listing: Optional[Listing] = None) -> Finding:
        spec = rule.spec
        field: Field = hit.field
        values = dict(hit.values)
        values.setdefault("field", field.name)
        message = format_message(hit.message or spec.message, values)
        fixes = build_fixes(spec.fix, hit, values, listing) if spec.fix is not None else ()
        severity = hit.severity if hit.severity is not None else rule.severity
        return Finding(
            code=spec.id, rule=spec.name, severity=severity, message=message,
            start=field.source_offset(hit.start), end=field.source_offset(hit.end),
            field=field.name, url=spec.policy, fixes=fixes,
        )

    @staticmethod
    def _failure(rule: Rule, field: Field, message: str) -> Finding:
        return Finding(code=rule.spec.id, rule=rule.spec.name, severity=Severity.ERROR, message=message,
                       start=field.source_offset(0), end=field.source_offset(0), field=field.name,
                       url=rule.spec.policy)

    def _unsuppressed(self, listing: Listing, findings: list[Finding]) -> list[Finding]:
        index = LineIndex(listing.text)
        by_code = {r.spec.id: r.spec for r in self.rules}
        kept = []
        for f in findings:
            selectors = listing.suppressions.get(index.line_of(f.start))
            if selectors is not None and (not selectors or any(matches(s, by_code[f.code]) for s in selectors)):
                continue
            kept.append(f)
        return kept


_CACHE: dict[str, RuleSet] = {}
_LAST: list = [None, None]
"""The last (config, rule set) pair: hashing a config with thousands of brands costs more than a lint."""


_PACKS: dict[tuple, list[Pack]] = {}
"""Packs loaded for rule names before their rule set was built; the rule set takes them (loading them again
cost a small file's run 7 ms, and a user's pack's examples ran twice)."""


def specs_for(config: Config) -> list[RuleSpec]:
    """Return every rule the config's packs define, without compiling any (for rule lists and did-you-mean)."""
    if _LAST[0] is config:
        return _LAST[1].specs
    key = config.fingerprint()
    if key in _CACHE:
        return _CACHE[key].specs
    packs_key = _packs_key(config)
    packs = _PACKS.get(packs_key)
    if packs is None:
        if len(_PACKS) > 16:
            _PACKS.clear()
        packs = _PACKS[packs_key] = load_packs(config)
    return [r for p in packs for r in p.rules]


def _packs_key(config: Config) -> tuple:
    """Return what ``load_packs`` reads of a config: its rule packs (by their files' stat and bytes, as in its
    fingerprint), its path (named in errors) and the bundled rules' folder. Selections and brands play no part:
    the command line checks the names of the config as written and of the config with its options over it."""
    return (Config(rule_packs=config.rule_packs).fingerprint(), config.path, str(bundled_rules_dir()))


def known_selectors(config: Config) -> set[str]:
    """Return every slug, code and pack name the config can select, for did-you-mean hints."""
    names = {"ALL"}
    for spec in specs_for(config):
        names.update((spec.id, spec.name, spec.pack))
    return names


def ruleset_for(config: Config) -> RuleSet:
    """Return the compiled rule set for a config, building it once per distinct config."""
    if _LAST[0] is config:
        return _LAST[1]
    key = config.fingerprint()
    rs = _CACHE.get(key)
    if rs is None:
        if len(_CACHE) > 16:
            _CACHE.clear()
        rs = _CACHE[key] = RuleSet(config, packs=_PACKS.pop(_packs_key(config), None) if _PACKS else None)
    _LAST[0], _LAST[1] = config, rs
    return rs


def validate_selectors(config: Config) -> None:
    """Raise a SpecError (with did-you-mean) when the config names a rule, code or pack that does not exist."""
    from ..config import check_selector

    known = known_selectors(config)
    path = Path(config.path) if config.path else None
    text = path.read_text("utf-8", errors="replace") if path is not None and path.is_file() else ""
    for key, names in (("rules.select", config.select), ("rules.ignore", config.ignore),
                       ("rules.severity", [s for s, _ in config.severity])):
        for name in names:
            check_selector(name, known, config.path or "config", text, key)


def lint(listing: Listing, config: Config) -> list[Finding]:
    """Lint one listing with a config."""
    return ruleset_for(config).lint(listing)


def example_config(pack_config: dict, example_cfg: dict, base: Path) -> Config:
    """Build the config an example runs with: the pack's example config overlaid by the example's own."""
    merged = _deep_merge(pack_config, example_cfg)
    return config_from_dict(merged, "<example config>", "", base)


def _deep_merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def single_field_listing(text: str, kind, path: str = "<example>") -> Listing:
    """Wrap text as a one-field listing (examples, stdin snippets)."""
    return Listing(fields=(Field(kind, text, 0),), text=text, path=path)


__all__ = ["RuleSet", "Rule", "lint", "ruleset_for", "matches", "example_config", "single_field_listing"]
