"""The language server's converted-diagnostics cache (lsp/convert.py): reuse never changes what is published.

After each edit of a random sequence, the server's conversion, reusing the previous lint's diagnostics, must
equal a fresh conversion of the same findings, and each diagnostic's JSON must be what pygls would send for it.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter

from listing_lint.config import Config
from listing_lint.document import lint_text
from listing_lint.lsp.convert import Positions, convert_findings, diagnostic_json, to_diagnostic
from listing_lint.lsp.server import _lint_document

CONFIG = Config()._replace(own_brands=("Vantora",), competitors=("Anker", "Yeti"))
NAME = "/tmp/cache.listing.md"
CONVERTER = default_converter()

BASE = ("# Title\nVantora Kettle 🚀 N/A, better than Anker\n\n## Bullet points\n"
        "- Size N/A, colour N/A\n- Visit vantora.com or mail help@vantora.com\n- 日本語 𝐁𝐨𝐥𝐝 Best Seller!!!\n"
        "- Call (555) 123-4567\n\n## Description\nA kettle. See www.vantora.com/faq for N/A details.\n")
PIECES = ["N/A", " vantora.com ", "x", "\n", "\n- ", "🚀", "𝐁", "é", "Best Seller", " Yeti ", "", "!!!", "\r\n"]


def published(text: str, previous: dict | None):
    """Lint ``text`` as the server does, reusing ``previous``; return the Linted."""
    return _lint_document(NAME, text, CONFIG, Positions(text), previous)


def fresh(text: str) -> list[types.Diagnostic]:
    """Convert the findings of ``text`` without any cache."""
    result = lint_text(NAME, text, CONFIG, "markdown")
    positions = Positions(text)
    return [to_diagnostic(f, positions) for f in result.findings]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 6), st.sampled_from(PIECES)), max_size=8))
def test_reused_diagnostics_equal_a_fresh_conversion_after_random_edits(edits):
    text = BASE
    linted = published(text, None)
    for where, removed, inserted in edits:
        at = int(where * len(text))
        text = text[:at] + inserted + text[at + removed:]
        linted = published(text, linted.cache)
        expected = fresh(text)
        assert linted.diagnostics[:len(expected)] == expected
        assert [json.loads(p) for p in linted.payload] == [CONVERTER.unstructure(d) for d in linted.diagnostics]


def test_an_edit_reconverts_only_the_findings_it_moves():
    before = published(BASE, None)
    assert len(before.diagnostics) >= 8
    # One character more at the end of the description: every finding before that line keeps its positions.
    at = BASE.index("A kettle.")
    text = BASE[:at] + "x" + BASE[at:]
    after = published(text, before.cache)
    last_line = text[:at].count("\n")
    for old, new, payload in zip(before.diagnostics, after.diagnostics, after.payload):
        if new.range.start.line < last_line:
            assert new is old and payload in before.payload
    moved = [d for d in after.diagnostics if d.range.start.line == last_line]
    assert moved and not any(d is o for d in moved for o in before.diagnostics)
    assert after.diagnostics == fresh(text)


def test_the_cache_holds_only_the_last_lint():
    linted = published(BASE, None)
    for n in range(5):
        text = BASE.replace("Size N/A", "Size N/A" + " N/A" * n)
        linted = published(text, linted.cache)
    assert len(linted.cache) <= len(linted.diagnostics)


@pytest.mark.parametrize("diagnostic", [
    pytest.param(types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 0)), message="m",
                                  severity=types.DiagnosticSeverity.Information, source="listing-lint"), id="plain"),
    pytest.param(types.Diagnostic(range=types.Range(types.Position(1, 2), types.Position(3, 4)), message="é \"q\"",
                                  severity=types.DiagnosticSeverity.Error, code="POL001",
                                  code_description=types.CodeDescription(href="https://example.com/p"),
                                  source="listing-lint", data={"rule": "r", "fixes": []}), id="full"),
    pytest.param(types.Diagnostic(range=types.Range(types.Position(0, 0), types.Position(0, 1)), message="m"),
                 id="bare"),
])
def test_diagnostic_json_is_what_pygls_sends(diagnostic):
    assert json.loads(diagnostic_json(diagnostic)) == CONVERTER.unstructure(diagnostic)
    assert diagnostic_json(diagnostic).isascii()  # the Content-Length counts characters as bytes


def test_convert_findings_keeps_duplicates_and_order():
    result = lint_text(NAME, BASE, CONFIG, "markdown")
    findings = result.findings + result.findings[:2]
    diagnostics, payload, cache = convert_findings(findings, Positions(BASE))
    assert diagnostics == [to_diagnostic(f, Positions(BASE)) for f in findings]
    assert len(payload) == len(findings) and len(cache) == len(result.findings)
