"""The library API: lint_listing is pure and picklable, so it runs unchanged in another process's map step."""

from __future__ import annotations

import multiprocessing
import pickle

from listing_lint import Config, Finding, Listing, lint_listing
from listing_lint.extract.record import listing_from_record

CONFIG = Config(competitors=("Anker", "Ninja"), own_brands=("Vantora",))
ROWS = [
    {"sku": "A1", "title": "Vantora charger, better than Anker", "bullets": ["Visit www.vantora.com for more"]},
    {"sku": "A2", "title": "Vantora kettle 1.7 L", "bullets": ["Email help@vantora.com", "Leave a review and get a free gift."]},
    {"sku": "A3", "title": "Vantora blender", "description": "Quiet motor. Dishwasher-safe jar."},
]


def _lint_row(args: tuple[dict, Config]) -> list[Finding]:
    row, config = args
    return lint_listing(listing_from_record(row), config)


def test_lint_listing_gives_the_same_findings_in_a_spawned_worker_as_here() -> None:
    here = [_lint_row((row, CONFIG)) for row in ROWS]
    # spawn, not fork: the worker starts empty, so everything it needs must travel by pickle.
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        there = pool.map(_lint_row, [(row, CONFIG) for row in ROWS])
    assert there == here
    assert [f.rule for f in here[0]] == ["competitor-brand", "external-url"]
    assert {f.rule for f in here[1]} >= {"contact-email", "review-incentive"}
    assert here[2] == []


def test_listings_configs_and_findings_survive_pickling_and_linting_does_not_change_them() -> None:
    listing = listing_from_record(ROWS[1])
    before = pickle.dumps(listing)
    findings = lint_listing(listing, CONFIG)
    assert pickle.dumps(listing) == before  # pure: the listing is not touched
    assert lint_listing(listing, CONFIG) == findings  # and the same input gives the same answer
    copy: tuple[Listing, Config, list[Finding]] = pickle.loads(pickle.dumps((listing, CONFIG, findings)))
    assert copy == (listing, CONFIG, findings)
    assert lint_listing(copy[0], copy[1]) == findings
    assert lint_listing(listing) == lint_listing(listing, Config())  # None means the defaults
