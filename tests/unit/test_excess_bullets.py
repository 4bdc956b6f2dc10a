"""excess-bullets reports a listing once, naming the seller and the vendor limit, both configurable (issue 10)."""

from __future__ import annotations

import pytest

from listing_lint.config import Config
from listing_lint.engine.lint import lint
from listing_lint.extract.record import listing_from_record


def bullets(n: int) -> list[str]:
    return [f"Feature number {i} of the kettle" for i in range(1, n + 1)]


def findings(n: int, **limits):
    config = Config(limits=tuple(limits.items()))
    listing = listing_from_record({"title": "Vantora Kettle", "bullets": bullets(n)})
    return [f for f in lint(listing, config) if f.rule == "excess-bullets"]


@pytest.mark.parametrize("n", [0, 1, 5])
def test_five_or_fewer_bullets_are_fine(n):
    assert findings(n) == []


@pytest.mark.parametrize("n", [6, 7, 10, 12, 30])
def test_a_listing_past_the_seller_limit_is_reported_once_on_its_sixth_bullet(n):
    found = findings(n)
    assert len(found) == 1
    assert found[0].field == "bullet 6"
    assert f"has {n} bullets" in found[0].message
    assert "5" in found[0].message and "10" in found[0].message


def test_within_the_vendor_limit_the_message_says_so():
    message = findings(7)[0].message
    assert "more than the 5 a seller listing shows (vendor listings show 10)" in message
    assert "bullets 6–7 may not be shown" in message


def test_past_both_limits_the_message_names_both():
    message = findings(12)[0].message
    assert "more than both the seller limit (5) and the vendor limit (10)" in message
    assert "bullets 6–12 will not be shown" in message


def test_a_single_extra_bullet_is_named_in_the_singular():
    assert "bullet 6 may not be shown" in findings(6)[0].message


@pytest.mark.parametrize(("limits", "n", "expected"), [
    pytest.param({"bullet-max-count": 10}, 10, 0, id="vendor-account-sets-the-limit-to-ten"),
    pytest.param({"bullet-max-count": 10}, 11, 1, id="vendor-account-past-ten"),
    pytest.param({"bullet-max-count": 3}, 4, 1, id="lower-seller-limit"),
    pytest.param({"vendor-bullet-max-count": 6}, 7, 1, id="lower-vendor-limit"),
])
def test_both_limits_are_settings(limits, n, expected):
    found = findings(n, **limits)
    assert len(found) == expected
    if found:
        assert f"has {n} bullets" in found[0].message


def test_the_vendor_limit_setting_changes_the_message():
    message = findings(7, **{"vendor-bullet-max-count": 6})[0].message
    assert "vendor limit (6)" in message


def test_the_vendor_limit_key_is_accepted_by_the_config_loader(tmp_path):
    from listing_lint.config import load_config

    path = tmp_path / "listing-lint.toml"
    path.write_text("[limits]\nbullet-max-count = 5\nvendor-bullet-max-count = 10\n", encoding="utf-8")
    config = load_config(path)
    assert config.limit("vendor-bullet-max-count") == 10
