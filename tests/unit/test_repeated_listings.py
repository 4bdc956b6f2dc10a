"""A listing whose copy the rule set linted before takes its findings again: the same as linting it afresh."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from listing_lint import Config
from listing_lint.engine.lint import RuleSet
from listing_lint.extract import extract
from listing_lint.extract.record import listing_from_record
from listing_lint.model import Field, FieldKind, Listing

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"
BRANDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "brands-sample.txt"

BODY = ("# Title\nSoft cotton tee by Nike, the best seller on Amazon\n"
        "## Bullet points\n- Email us at help@shop-mail.com for a free gift\n- Machine washable\n"
        "- help@shop-mail.com")
"""A listing whose last bullet is only an address: its fix removes the whole bullet, and with it the line break
before it when nothing follows (``edits.drop_bullet``)."""


def _fresh(config: Config) -> RuleSet:
    rules = RuleSet(config)
    rules.repeats.max_size = 0  # remembers nothing: every listing is linted afresh
    return rules


def _documents() -> list[str]:
    """The same copy at other places and with other endings: front matter of other lengths, a final line break or
    none, more text after it, CRLF line breaks, a listing of another brand or marketplace."""
    docs = []
    for sku in ("A", "SKU-000123-LONGER"):
        for market in ("", "marketplace: ebay.com\n"):
            head = f"---\nsku: {sku}\n{market}---\n"
            for tail in ("", "\n", "\n\n## Description\nSoft and light.\n"):
                doc = head + BODY + tail
                docs += [doc, doc.replace("\n", "\r\n"), doc.replace("\n---\n# Title", "\nbrand: Nike\n---\n# Title")]
    return docs


def _findings(rules: RuleSet, text: str) -> list:
    listing = extract("x.listing.md", text, "markdown").listings[0]
    return rules.lint(listing)


def test_a_repeated_listing_gets_the_findings_a_fresh_lint_gives() -> None:
    config = Config(competitors=("Nike",))
    remembering, fresh = RuleSet(config), _fresh(config)
    docs = _documents()
    dropped_whole = 0
    for text in docs + docs[::-1]:  # each document meets its copy at another place, before and after
        expected = _findings(fresh, text)
        assert _findings(remembering, text) == expected, text
        dropped_whole += any(f.fix and f.fix.title.startswith("Remove the bullet point") for f in expected)
    assert remembering.repeats.hits >= len(docs), "the copy met again was linted afresh"
    assert dropped_whole, "no fix removed a whole bullet: the end of the text played no part"


def test_real_listings_linted_twice_give_the_same_findings() -> None:
    brands = tuple(b.strip() for b in open(BRANDS, encoding="utf-8") if b.strip())
    config = Config(competitors=brands)
    remembering, fresh = RuleSet(config), _fresh(config)
    records = [json.loads(line) for line in islice(open(SHARED / "real-listings.jsonl", encoding="utf-8"), 400)]
    listings = [listing_from_record(r, f"r{n}") for n, r in enumerate(records)]
    first = [remembering.lint(x) for x in listings]
    again = [remembering.lint(x) for x in listings]
    assert remembering.repeats.hits == len([x for x in listings if x.fields])
    assert again == first == [fresh.lint(x) for x in listings]


def test_findings_reaching_outside_the_rows_are_not_remembered() -> None:
    # The listing's only field is a bullet at the end of the text: its fix takes the line break before its line.
    text = "---\nsku: A\n---\n## Bullet points\n- help@shop-mail.com"
    rules = RuleSet(Config())
    findings = _findings(rules, text)
    removal = [e for f in findings for x in f.fixes for e in x.edits if e.end == len(text)]
    assert removal and removal[0].start < text.index("- help"), "the fix should take the line break before it"
    assert not rules.repeats.found
    assert _findings(rules, "---\nsku: LONGER\n---\n## Bullet points\n- help@shop-mail.com") == [
        f._replace(start=f.start + 5, end=f.end + 5, fixes=tuple(x._replace(edits=tuple(
            e._replace(start=e.start + 5, end=e.end + 5) for e in x.edits)) for x in f.fixes)) for f in findings]


def test_copy_at_the_start_of_its_text_is_told_from_the_same_copy_further_on() -> None:
    # A bullet at the very start has no line break before it to remove with it: its finding has no fix there.
    rules, fresh = RuleSet(Config()), _fresh(Config())
    bullet = "- help@shop-mail.com"
    for text in (bullet, "x\n" + bullet, bullet, "x\n" + bullet):
        listing = Listing(fields=(Field(FieldKind.BULLET, bullet[2:], len(text) - len(bullet) + 2),), text=text)
        assert rules.lint(listing) == fresh.lint(listing)
    assert rules.repeats.hits == 1


def test_a_catalog_row_with_the_copy_of_another_gets_its_findings_moved_cell_by_cell() -> None:
    # Variation rows: the same copy, with SKUs and prices of other lengths between the cells, quoted or not.
    config = Config(competitors=("Nike",))
    rules, fresh = RuleSet(config), _fresh(config)
    title = 'Tee by Nike, "the best seller" on Amazon'
    rows = []
    for n, (sku, price) in enumerate([("A1", "9"), ("SKU-LONG-0002", "19.99"), ("B", "129.50"), ("A1", "9")]):
        quoted = '"' + title.replace('"', '""') + '"'
        bullet = "Email help@shop-mail.com for a gift" if n % 2 else '"Email help@shop-mail.com for a gift"'
        rows.append(f"{sku},{quoted},{price},{bullet},Soft cotton\n")
    rows.append(rows[0].replace("Nike", "Nice"))  # other copy of the same length in the same places
    text = "item_sku,item_name,standard_price,bullet_point1,bullet_point2\n" + "".join(rows)
    listings = extract("catalog.csv", text, "csv").listings
    assert len(listings) == 5
    for listing in listings + listings:
        assert rules.lint(listing) == fresh.lint(listing)
    assert rules.repeats.hits >= 6, "rows differing only in SKU and price were linted afresh"
    assert any(f.fixes for f in fresh.lint(listings[1])), "no finding with a fix: the cells' moves are not tested"


@pytest.mark.parametrize("size", [0, 1])
def test_the_memory_is_bounded(size: int) -> None:
    rules = RuleSet(Config())
    rules.repeats.max_size = 4000 * size  # room for about a hundred of these listings (35 characters each)
    for n in range(300):
        _findings(rules, f"# Title\nCotton tee number {n} with a pocket\n")
    if size:
        assert 0 < len(rules.repeats.found) < 300 and rules.repeats.size <= rules.repeats.max_size
    else:
        assert not rules.repeats.found


def test_after_a_window_without_repeats_a_listing_is_kept_when_met_again(monkeypatch) -> None:
    # A catalog of new copy: keeping every listing would cost time for nothing, so after a window with too few
    # hits a listing is kept only on its second sighting, and found on its third; the findings stay a fresh lint's.
    from listing_lint.engine.repeats import Repeats

    monkeypatch.setattr(Repeats, "WINDOW", 20)
    monkeypatch.setattr(Repeats, "EAGER_HITS", 2)
    rules, fresh = RuleSet(Config()), _fresh(Config())

    def lint(n: int) -> list:
        text = f"# Title\nCotton tee number {n}, the best seller\n"
        found = _findings(rules, text)
        assert found == _findings(fresh, text)
        return found

    for n in range(25):
        lint(n)
    # The window closes as the twentieth listing is looked for: the first nineteen were kept.
    assert not rules.repeats.eager and len(rules.repeats.found) == 19
    lint(100)
    assert len(rules.repeats.found) == 19, "a listing met once was kept while few listings repeat"
    lint(100)
    assert len(rules.repeats.found) == 20, "a listing met twice was not kept"
    hits = rules.repeats.hits
    lint(100)
    assert rules.repeats.hits == hits + 1
    for _ in range(3):  # a window in which listings repeat: every listing is kept when first met again
        for n in range(5):
            lint(n)
    for n in range(30):
        lint(n)  # (the window closes within these)
    assert rules.repeats.eager


def test_an_editors_document_memo_keeps_every_listing(monkeypatch) -> None:
    from listing_lint.engine.repeats import UNBOUNDED, Repeats

    monkeypatch.setattr(Repeats, "WINDOW", 20)
    kept = Repeats(UNBOUNDED, UNBOUNDED)  # looked in with get and put alone, as document.ListingMemo does
    for n in range(100):
        key = (False, f"row {n}\n", False, None, None)
        assert kept.get(key, (0, 6)) is None
        kept.put(key, (0, 6), [])
    assert len(kept.found) == 100


def test_replacing_the_rules_forgets_what_the_old_ones_found() -> None:
    rules = RuleSet(Config())
    text = "# Title\nCotton tee, the best seller\n"
    assert _findings(rules, text)
    rules.rules = [r for r in rules.rules if r.spec.name != "sales-claim"]  # as bench/rule_costs.py does
    assert not [f for f in _findings(rules, text) if f.rule == "sales-claim"]
