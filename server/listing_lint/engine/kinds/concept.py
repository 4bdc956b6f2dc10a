"""Layer 3 (engine kind): flag a sentence where the concepts a rule names occur together, in any order.

What it does: reads each field's concept occurrences (``engine/concepts.py``, from the lexicons in
``rules/lexicons/``) and reports a sentence in which every concept of one of the rule's ``when``
combinations occurs, unless a negation comes just before them. Optional ``patterns`` (as in the
existence kind) are searched too, for wording a regular expression is the right tool for.

Options:
- ``when``: a list of tables, tried in order; each has
  - ``all``: the concepts that must all occur in one sentence; ``"a|b"`` accepts either; a table
    naming one concept reports each of its occurrences, the longest reading of each;
  - ``near`` (optional): at most this many words from the first concept to the last (a Chinese or
    Japanese character counts as half a word);
  - ``order`` (optional, default false): the concepts must occur in the order listed;
  - ``follow-up`` (optional, default false): every concept but the last may also stand in the sentence
    before, when this one opens with a ``follow-up`` word of the lexicons ("Leave a review on Amazon. Then
    email us a screenshot for a free gift");
  - ``message`` (optional): replaces the rule's message; ``{1}``, ``{2}``... quote each concept's
    words and ``{match}`` the whole span.
- ``negation`` (optional): a concept that cancels a combination when it occurs in the same sentence
  at most ``negation-window`` tokens (default 6) before it ("no reward is offered for a review").
- ``cancel`` (optional): a concept (``"a|b"``: either) that cancels every combination and pattern match of
  its sentence, wherever it stands: a ban ("Amazon prohibits free products in exchange for reviews",
  "…提供することは禁止されています") states the rule, it does not break it.
- ``patterns``, ``exceptions``, ``ignorecase``: as in the existence kind. Pattern matches are reported
  first; a combination overlapping one, or an exception's match, is not reported.

Example: ``when = [{ all = ["review", "reward"] }]`` flags "Leave us a review and get a $10 gift card"
and "Gift card for every 5-star review", but not "Over 2,000 5-star reviews. Free shipping over $25."

Fix safety: decided by the rule's ``fix`` table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Optional

from ...model import Field
from ..concepts import FOLLOW_UP, FieldConcepts, Occurrence
from ..spans import Claimed, Fixed
from ..spec import RuleSpec
from . import Hit
from .existence import Existence

_WHEN_KEYS = {"all": list, "near": int, "order": bool, "follow-up": bool, "message": str}


class Combination:
    """One ``when`` table: alternatives per element, plus its distance and order constraints."""

    __slots__ = ("elements", "near", "order", "follow_up", "message")

    def __init__(self, elements: list[tuple[str, ...]], near: Optional[int], order: bool, message: Optional[str],
                 follow_up: bool = False):
        self.elements = elements
        self.near = near
        self.order = order
        self.follow_up = follow_up
        self.message = message

    @property
    def concepts(self) -> set[str]:
        return {c for alts in self.elements for c in alts}


class Concept(Existence):
    """Report sentences where a rule's concepts co-occur (and, optionally, its patterns' matches)."""

    options_schema = {**Existence.options_schema, "when": list, "negation": str, "negation-window": int, "cancel": str}
    required = ("when",)

    def __init__(self, spec: RuleSpec, text: str = "") -> None:
        super().__init__(spec, text)
        self.whens: list[Combination] = []
        for n, table in enumerate(self.opt("when")):
            key = f"when[{n}]"
            if not isinstance(table, dict):
                raise self.error("when", f"{key} must be a table such as {{ all = [\"review\", \"reward\"] }}")
            for k, v in table.items():
                typ = _WHEN_KEYS.get(k)
                if typ is None:
                    raise self.error("when", f"{key}: unknown key {k!r} (expected {', '.join(_WHEN_KEYS)})")
                if not isinstance(v, typ) or (typ is int and isinstance(v, bool)):
                    raise self.error("when", f"{key}.{k} has the wrong type {type(v).__name__}")
            names = table.get("all")
            if not names or not all(isinstance(x, str) and x for x in names):
                raise self.error("when", f"{key}.all must list one or more concept names")
            elements = [tuple(part.strip() for part in x.split("|")) for x in names]
            self.whens.append(Combination(elements, table.get("near"), table.get("order", False), table.get("message"),
                                          table.get("follow-up", False)))
        self.listing_literals = None  # a combination of concepts needs no pattern's literal
        self.negation: Optional[str] = self.opt("negation")
        self.negation_window = self.opt("negation-window", 6)
        cancel = self.opt("cancel")
        self.cancels: tuple[str, ...] = tuple(c.strip() for c in cancel.split("|") if c.strip()) if cancel else ()
        self._masks: tuple = (None, 0, ())
        """(the lexicons, the bits of every concept that can start some combination, per combination each
        element's alternatives as bits): ``could_fire`` is a few integer tests."""
        self._fires: dict[int, bool] = {}
        """Whether some combination could fire, by the gate's bits of a text (for the gate in ``_masks``)."""

    def concept_names(self) -> set[str]:
        """Return every concept this rule names (checked against the lexicons when the rule set is built)."""
        names = set().union(*(w.concepts for w in self.whens))
        names.update(c for c in (self.negation, *self.cancels) if c)
        if any(w.follow_up for w in self.whens):
            names.add(FOLLOW_UP)
        return names

    def could_fire(self, possible: int, ctx) -> bool:
        """Tell whether some combination's concepts could all occur among these (the gate's bits)."""
        lexicons, first, needs = self._masks
        if lexicons is not ctx.lexicons:  # each lexicon set has one gate (concepts.gate), which gives the bits
            gate = ctx.concept_gate()
            needs = tuple(tuple(gate.mask(alts) for alts in when.elements) for when in self.whens)
            first = 0
            for alts in needs:
                first |= alts[0]
            self._masks = (ctx.lexicons, first, needs)
            self._fires.clear()
        if not possible & first:
            return False
        # A few hundred distinct sets of concepts come up in a catalog: each is worked out once.
        fires = self._fires.get(possible)
        if fires is None:
            if len(self._fires) >= 4096:
                self._fires.clear()
            fires = self._fires[possible] = any(all(alts & possible for alts in combination) for combination in needs)
        return fires

    def fields_to_check(self, listing, fields, ctx):  # type: ignore[override]
        """Return the fields where a pattern's literal occurs or some combination of concepts could."""
        by_patterns = super().fields_to_check(listing, fields, ctx) if self.patterns else ()
        if ctx.lexicons is None or not self.could_fire(ctx.listing_concepts(), ctx):
            return by_patterns
        chosen = {id(f) for f in by_patterns}
        return [f for f in fields if id(f) in chosen or self.could_fire(ctx.possible_concepts(f), ctx)]

    def check(self, listing, fields, ctx):  # type: ignore[override]
        """Report pattern matches first (their spans are tuned for fixes), then combinations overlapping none."""
        # Most listings: no combination of the rule's concepts can occur anywhere in them.
        concepts = ctx.lexicons is not None and self.could_fire(ctx.listing_concepts(), ctx)
        for field in fields:
            taken = Claimed()
            if self.patterns:
                present = ctx.literals_in(field)
                if self.literals is None or not self.literals.isdisjoint(present):
                    hits = []
                    try:
                        hits.extend(self._search(field, present, ctx))
                    except TimeoutError as exc:
                        exc.field = field  # type: ignore[attr-defined]
                        yield from hits  # what the patterns found before the time limit still counts
                        raise
                    if hits and self.cancels and ctx.lexicons is not None:
                        found = ctx.concepts_in(field)
                        cancelled = {s for c in self.cancels for s in found.by_concept.get(c, ())}
                        if cancelled:
                            block = Fixed(found.sentence_spans(cancelled))
                            hits = [h for h in hits if not block.overlaps(h.start, h.end)]
                    for hit in hits:
                        taken.add(hit.start, hit.end)
                        yield hit
            if not concepts or not self.could_fire(ctx.possible_concepts(field), ctx):
                continue  # most fields: no combination of the rule's concepts can occur in them
            found = ctx.concepts_in(field)
            excepted = None
            # A sentence a pattern already reported gets no second finding from the same rule.
            reported = found.sentences_overlapping(taken) if taken.starts else set()
            for hit in self._combinations(field, found, reported):
                if self.exceptions is not None:
                    if excepted is None:
                        excepted = Fixed(m.span() for m in self._exceptions_in(field.text, ctx))
                    if excepted.overlaps(hit.start, hit.end):
                        continue
                taken.add(hit.start, hit.end)
                yield hit

    def _combinations(self, field: Field, found: FieldConcepts, done: set[int]) -> Iterator[Hit]:
        present = found.by_concept
        for when in self.whens:
            if not all(any(c in present for c in alts) for alts in when.elements):
                continue  # most fields: some concept of the combination is absent
            first = when.elements[0]
            sentences = {s for c in first for s in found.sentences(c)}
            if when.follow_up and found.continued:
                sentences |= {s + 1 for s in sentences if s + 1 in found.continued}
            sentences = sorted(sentences - done)
            if self.cancels:
                sentences = [s for s in sentences if not self._cancelled(found, s)]
            for sentence in sentences:
                if len(when.elements) == 1:
                    # One concept ("sales-volume"): every claim in the sentence, the longest reading of each.
                    hits = self._singles(when, found, sentence)
                else:
                    choice = self._best(when, found, sentence)
                    hits = [] if choice is None else [choice]
                if hits:
                    done.add(sentence)
                for choice in hits:
                    yield self._hit(field, found, when, choice)

    def _cancelled(self, found: FieldConcepts, sentence: int) -> bool:
        return any(found.in_sentence(c, sentence) for c in self.cancels)

    def _singles(self, when: Combination, found: FieldConcepts, sentence: int) -> list[tuple[Occurrence, ...]]:
        pool = sorted((o for c in when.elements[0] for o in found.in_sentence(c, sentence)),
                      key=lambda o: (o.first - o.last, o.first))
        taken = Claimed()
        out = []
        for occ in pool:
            if taken.claim(occ.first, occ.last) and not self._negated(found, sentence, occ.first, occ.last):
                out.append((occ,))
        return sorted(out, key=lambda c: c[0].first)

    def _best(self, when: Combination, found: FieldConcepts, sentence: int) -> Optional[tuple[Occurrence, ...]]:
        """Return the tightest set of occurrences satisfying a combination in one sentence, if any."""
        pools = []
        for n, alts in enumerate(when.elements):
            pool = [o for c in alts for o in found.in_sentence(c, sentence)]
            if when.follow_up and n < len(when.elements) - 1 and sentence in found.continued:
                pool += [o for c in alts for o in found.in_sentence(c, sentence - 1)]
            if not pool:
                return None
            pools.append(pool[:12])
        best, best_width = None, None
        for combo in itertools.islice(itertools.product(*pools), 2000):
            if when.order and any(a.first >= b.first for a, b in zip(combo, combo[1:])):
                continue
            if len({(o.first, o.last) for o in combo}) < len(combo) and len(combo) > 1:
                continue  # one word cannot stand for two concepts
            lo = min(o.first for o in combo)
            hi = max(o.last for o in combo)
            width = found.width(lo, hi)
            if when.near is not None and width > when.near:
                continue
            if self._negated(found, sentence, lo, hi):
                continue
            if best_width is None or width < best_width:
                best, best_width = combo, width
        return best

    def _negated(self, found: FieldConcepts, sentence: int, lo: int, hi: int) -> bool:
        if not self.negation:
            return False
        return any(lo - self.negation_window <= o.first and o.last <= hi
                   for o in found.in_sentence(self.negation, sentence))

    def _hit(self, field: Field, found: FieldConcepts, when: Combination, combo: tuple[Occurrence, ...]) -> Hit:
        lo = min(o.first for o in combo)
        hi = max(o.last for o in combo)
        start, end = found.span(lo, hi)
        text = field.text
        values = {"match": text[start:end]}
        for n, occ in enumerate(combo, 1):
            s, e = found.span(occ.first, occ.last)
            values[str(n)] = " ".join(text[s:e].split())
        lang = found.language_of(combo)
        return Hit(field, start, end, lang=lang, values=values, message=when.message)
