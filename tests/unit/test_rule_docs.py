"""What `explain`, hovers and reports show of a rule: placeholders filled, public citations only (issue 10)."""

from __future__ import annotations

import re

import pytest

from listing_lint.cli.main import explain_text
from listing_lint.config import Config
from listing_lint.engine.lint import load_packs
from listing_lint.engine.ruledocs import cite, example_wording, fill_generic
from listing_lint.lsp.handlers.hover import rule_markdown

PACKS = load_packs(Config())
CASES = [pytest.param(spec, pack, id=spec.id) for pack in PACKS for spec in pack.rules]
RAW = re.compile(r"\{\w+(?:\|\w+)?\}")


@pytest.mark.parametrize(("spec", "pack"), CASES)
def test_explain_never_prints_a_raw_placeholder(spec, pack):
    text = explain_text(spec, pack)
    shown = "\n".join(line for line in text.splitlines() if not line.startswith(("  bad", "  good", "  fixed")))
    assert not RAW.search(shown), shown


@pytest.mark.parametrize(("spec", "pack"), CASES)
def test_the_example_wording_quotes_a_real_match(spec, pack):
    message, fix_title = example_wording(spec, pack)
    assert not RAW.search(message) and not (fix_title and RAW.search(fix_title))
    if "'{match}'" in spec.message and any(e.bad for e in spec.examples):
        quoted = re.search(r"'([^']+)'", message)
        assert quoted and quoted.group(1) != "…", message
        assert any(quoted.group(1).lower() in e.text.lower() for e in spec.examples if e.bad)


@pytest.mark.parametrize(("spec", "pack"), CASES)
def test_the_hover_without_a_finding_fix_title_has_no_placeholder(spec, pack):
    assert not RAW.search(rule_markdown(spec, "message").split("Fix,")[-1])


@pytest.mark.parametrize(("source", "shown"), [
    pytest.param("SC 200390640", "https://sellercentral.amazon.com/help/hub/reference/external/200390640", id="sc-id"),
    pytest.param("SC YTR6SYGFA5E3EQC", "https://sellercentral.amazon.com/help/hub/reference/external/YTR6SYGFA5E3EQC",
                 id="sc-letters"),
    pytest.param("shared/seeds/000_b2a823fdef763137.txt", None, id="seed-file"),
    pytest.param("shared/POLICY.md#phishing", None, id="policy-file"),
    pytest.param("rules/data/tlds.txt", None, id="repo-file"),
    pytest.param("Seller Forums policy reminder on packaging and inserts", "Seller Forums policy reminder on packaging "
                 "and inserts", id="named-article"),
    pytest.param("https://www.amazon.co.uk/gp/help/customer/display.html?nodeId=202094170",
                 "https://www.amazon.co.uk/gp/help/customer/display.html?nodeId=202094170", id="address"),
])
def test_sources_are_shown_as_public_citations(source, shown):
    assert cite(source) == shown


def test_generic_wording_fills_every_placeholder():
    assert fill_generic("Web address '{match}' in {field}; {unknown}") == "Web address '…' in the field; …"
    assert fill_generic("'{match}' x", {"match": "www.a.com"}) == "'www.a.com' x"
