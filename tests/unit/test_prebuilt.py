"""The package's prebuilt entries (prebuilt.data) are current, are what a run would work out, and only save time."""

from __future__ import annotations

import json
import subprocess
import sys

from listing_lint.engine import prebuilt, spec

from conftest import ROOT


def test_the_prebuilt_file_is_current():
    # Run scripts/build_prebuilt.py after changing a bundled pack or lexicon, or the code that compiles lexicons.
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_prebuilt.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


_RUN = """
import json, sys
from listing_lint import Config
from listing_lint.engine import concept_gate, lexicon, spec
from listing_lint.engine.detectors import brand_words
from listing_lint.engine.lint import RuleSet
from listing_lint.model import Field, FieldKind, Listing
made = []
if sys.argv[1] == "forbid":
    # Nothing bundled may be worked out afresh: every pack parsed, every lexicon compiled and filed, comes prebuilt.
    def refuse(*args, **kwargs):
        made.append(args[0] if args else "?")
        raise AssertionError("worked out afresh")
    spec._parse_toml = refuse
    lexicon.compile_entry = refuse
    concept_gate._Language._file = refuse
    brand_words._made = refuse  # the word frequencies a possible misspelling ("reveiw") is looked up in
out = []
for market, text in (("amazon.com", "Leave us a 5-star review and get a free gift card! Call 0800 123 4567."),
                     ("amazon.com", "Leave a reveiw and get a gift."),
                     ("amazon.de", "Für eine 5-Sterne-Bewertung schenken wir Ihnen einen Gutschein."),
                     ("amazon.co.jp", "レビューを書いてくれたらギフト券をプレゼント")):
    rules = RuleSet(Config(marketplace=market))
    listing = Listing(fields=(Field(FieldKind.DESCRIPTION, text, 0),), text=text, path="x", marketplace=market)
    out += [[f.code, f.start, f.end, f.message] for f in rules.lint(listing)]
    gate = rules.context.concept_gate()
    for code in sorted(rules.context.lexicons.languages):
        rules.context.lexicons.languages[code].ensure()
        gate._language(code)
print(json.dumps([out, made]))
"""


def _run(mode: str, **env) -> list:
    done = subprocess.run([sys.executable, "-c", _RUN, mode], capture_output=True, text=True, check=True,
                          env={**__import__("os").environ, **env})
    return json.loads(done.stdout)


def test_a_run_without_a_cache_folder_works_nothing_bundled_out_afresh_and_finds_the_same():
    prebuilt_findings, made = _run("forbid")
    assert made == []
    afresh, _ = _run("allow", LISTING_LINT_PREBUILT="off")
    assert prebuilt_findings and prebuilt_findings == afresh
    assert [f[0] for f in afresh].count("POL006") == 4  # the review incentive, in three languages and misspelt


def test_a_damaged_or_missing_file_only_costs_time(tmp_path, monkeypatch):
    for content in (b"", b"not json\n{}", b'{"format": 1, "index": {"zz": [0, 5]}}\n12345',
                    b'{"format": 2, "index": {}}\n'):
        path = tmp_path / "prebuilt.data"
        path.write_bytes(content)
        assert prebuilt._read(path) == {}
    assert prebuilt._read(tmp_path / "missing.data") == {}


def test_an_entry_its_user_refuses_is_worked_out_afresh(monkeypatch):
    monkeypatch.setattr(spec, "_PARSED", {})
    monkeypatch.setattr(spec, "_USED", set())
    monkeypatch.setattr(spec, "_STORE", [None, False, False])
    key = spec.blake2b(b"a test's table", digest_size=16).hexdigest()
    monkeypatch.setattr(prebuilt, "_ENTRIES", [{key: '"not a list"'}])

    def convert(data):
        if not isinstance(data, list):
            raise ValueError("not a list")
        return data

    made = []
    assert spec.kept_data("a test's table", lambda keep: made.append(keep) or (None, [1, 2]), convert) == [1, 2]
    assert made == [False] and prebuilt.known(key) is None  # refused once, never looked up again
    monkeypatch.setattr(prebuilt, "_ENTRIES", [{key: "[3]"}])
    assert spec.kept_data("a test's table", lambda keep: (None, [1, 2]), convert) == [3]
