"""An install without a C compiler (no engine/_tokens, no engine/_heuristics) lints with the Python twins and
finds exactly the same."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import BRANDS_SAMPLE, SHARED

pytest.importorskip("listing_lint.engine._tokens", reason="the C extension was not built: nothing to compare with")

_SCRIPT = """
import json, sys
if sys.argv[1] == "python":
    # as an install whose build skipped the extensions
    sys.modules["listing_lint.engine._tokens"] = sys.modules["listing_lint.engine._heuristics"] = None
from listing_lint import Config
from listing_lint.engine.lint import RuleSet
from listing_lint.extract.record import listing_from_record
import listing_lint.engine.vocab, listing_lint.engine.wordtable, listing_lint.engine.lexicon as lexicon
import listing_lint.engine.detectors.brand as brand, listing_lint.engine.wellformed as wellformed
import listing_lint.engine.detectors.brand_evidence as brand_evidence
import listing_lint.engine.kinds.repetition as repetition
brands = [b.strip() for b in open(sys.argv[3], encoding="utf-8") if b.strip()][:1500]
rules = RuleSet(Config(competitors=brands, marketplace=sys.argv[4]))
kinds = [type(rules.context.literal_index._find).__name__, listing_lint.engine.vocab.Vocab.__name__,
         listing_lint.engine.wordtable.WordTable.__name__, lexicon.typo_table.__name__,
         brand.file_brands.__name__, repr(brand.confirm_prose), repr(wellformed._ascii_shapes),
         repr(brand_evidence._evidence_ascii), repr(brand_evidence._entity_ascii), repr(repetition._ascii_most_uses)]
out = []
for n, line in enumerate(open(sys.argv[2], encoding="utf-8")):
    if n % 4:
        continue
    r = json.loads(line)
    out.extend([r["id"], f.code, f.start, f.end, f.message, [str(x) for x in f.fixes]]
               for f in rules.lint(listing_from_record(r, r["id"])))
print(json.dumps([kinds, out]))
"""


@pytest.mark.parametrize("marketplace", ["amazon.com", "amazon.de"])
def test_the_python_twins_find_what_the_compiled_engine_finds(marketplace):
    def run(mode: str):
        done = subprocess.run([sys.executable, "-c", _SCRIPT, mode, str(SHARED / "corpus" / "real-listings.jsonl"),
                               str(BRANDS_SAMPLE), marketplace],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    (compiled_kinds, compiled), (python_kinds, python) = run("compiled"), run("python")
    assert compiled_kinds == ["builtin_function_or_method", "Vocab", "WordTable", "typo_table", "file_brands",
                              "<built-in function confirm_prose>", "<built-in function ascii_shapes>",
                              "<built-in function evidence_ascii>", "<built-in function entity_ascii>",
                              "<built-in function ascii_most_uses>"]
    # The twins really ran (without the compiled confirming, shape count, evidence, named-entity test and
    # repeat count, BrandMatcher._confirm confirms every name, py_shapes counts every fix's shapes,
    # py_brand_evidence and py_named_entity read every name's context and Repetition counts every title's words).
    assert python_kinds == ["function", "PyVocab", "PyWordTable", "py_typo_table", "py_file_brands", "None", "None",
                            "None", "None", "None"]
    assert len(compiled) > 200
    assert python == compiled
