"""Meta-tests over the bundled rule packs (proselint's test_check_structures): structure, naming, links, docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from listing_lint.config import Config
from listing_lint.engine.lint import load_packs
from listing_lint.engine.spec import RULE_NAME, SpecError, load_pack

from conftest import ROOT

PACKS = load_packs(Config())
SPECS = [s for p in PACKS for s in p.rules]
SLUGS_IN_CONTRACT = {
    "external-url", "contact-email", "contact-phone", "off-platform-contact", "competitor-brand",
    "review-incentive", "biased-review-request", "sales-claim", "spoofed-amazon-domain",
}


def test_ids_and_names_are_unique():
    ids = [s.id for s in SPECS]
    names = [s.name for s in SPECS]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_file_name_matches_id_and_name(spec):
    assert Path(spec.path).name == f"{spec.id}-{spec.name}.toml"
    assert RULE_NAME.match(spec.name) and not spec.name.startswith(("no-", "avoid-"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_rule_documents_its_policy(spec):
    assert spec.policy.startswith("https://")
    assert len(spec.rationale) > 80, "the rationale should explain the policy, not just name it"
    assert spec.sources, "cite where the policy comes from"
    if spec.fix is not None and spec.fix.applicability.label != "safe":
        assert spec.fix.safety


def test_issue_slugs_exist():
    assert SLUGS_IN_CONTRACT <= {s.name for s in SPECS}


def test_wording_rules_cover_every_language():
    """Each wording rule is a concept rule, and every language's lexicon can express each of its concepts."""
    from listing_lint.engine.lexicon import bundled_lexicon_paths, load_lexicons

    lexicons = load_lexicons(bundled_lexicon_paths())
    assert {"en", "zh", "de", "fr", "es", "it", "ja", "pt", "nl"} <= set(lexicons.languages)

    def concepts(code):
        lang = lexicons.languages[code].ensure()
        entries = [e for group in lang.by_first.values() for e in group] + lang.by_ref
        entries += [e for group in lang.by_prefix.values() for e in group]
        return {e.concept for e in entries if not e.excuse}

    everywhere = concepts("any")
    for spec in SPECS:
        if spec.name in {"off-platform-contact", "review-incentive", "biased-review-request", "sales-claim"}:
            assert spec.kind == "concept", spec.name
            for code in set(lexicons.languages) - {"any"}:
                own = concepts(code) | everywhere
                for when in spec.options["when"]:
                    for element in when["all"]:
                        assert set(element.split("|")) & own, (spec.name, code, element)


def test_readme_rule_table_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rules_table.py"), "--check"])
    assert result.returncode == 0, "run `python scripts/gen_rules_table.py` to refresh README.md"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('id = "X1"\n', "is not a rule id"),
        ('id = "POL900"\nname = "Bad_Name"\n', "is not kebab-case"),
        ('id = "POL900"\nname = "thing"\nkind = "magic"\n', "unknown kind"),
        ('id = "POL900"\nname = "thing"\nkind = "existence"\nseverity = "loud"\n', "unknown severity"),
        ('id = "POL900"\nname = "thing"\nkind = "existence"\nseverity = "error"\nmessage = "m"\n'
         'rationale = "r"\npolicy = "http://x"\n', "must be an https:// address"),
        ('id = "POL900"\nname = "thing"\nkind = "existence"\nseverity = "error"\nmessage = "m"\nrationale = "r"\n'
         'policy = "https://x"\npatterns = ["a"]\n[fix]\nkind = "remove"\ntitle = "t"\napplicability = "unsafe"\n'
         '[[examples]]\nbad = "a"\nfixed = ""\n[[examples]]\ngood = "b"\n', "must say why in `safety`"),
        ('id = "POL900"\nname = "thing"\nkind = "existence"\nseverity = "error"\nmessage = "m"\nrationale = "r"\n'
         'policy = "https://x"\npatterns = ["a"]\n[[examples]]\nbad = "a"\n', "at least one `bad` and one `good`"),
        ('id = "POL900"\nname = "thing"\nkind = "existence"\nseverity = "error"\nmessage = "m"\n'
         'rationale = "r"\npolicy = "https://x"\n[[examples\n', "not valid TOML"),
    ],
)
def test_malformed_rule_reports_file_line_and_key(tmp_path, content, message):
    (tmp_path / "pack.toml").write_text('name = "mine"\n', encoding="utf-8")
    (tmp_path / "POL900-thing.toml").write_text(content, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_pack(tmp_path)
    assert message in str(info.value)
    assert str(tmp_path / "POL900-thing.toml") in str(info.value)


# What a seller reads cites public sources only (issue 10): never the word "seed", never a file of this
# repository or of the shared folder beside it. A source may be a Seller Central id ("SC 200390640"), an
# https address, or an article named by publisher, title and year.
INTERNAL_WORDING = [
    ("the word 'seed'", r"\bseeds?\b"),
    ("a shared/ path", r"(?:^|[\s/(\"'])shared/"),
    ("a repository path", r"(?:^|[\s(\"'`])(?:server|rules|tests|bench|docs|examples|editors|scripts)/[\w.-]"),
    ("a .txt or other file path", r"[\w-]+\.(?:txt|md|toml|py|jsonl)\b"),
]


def _seller_facing(spec) -> list[tuple[str, str]]:
    texts = [("message", spec.message), ("rationale", spec.rationale)]
    texts += [(f"sources[{i}]", s) for i, s in enumerate(spec.sources)]
    if spec.fix is not None:
        texts += [("fix.title", spec.fix.title), ("fix.safety", spec.fix.safety or "")]
    texts += [(f"option {k}", v) for k, v in spec.options.items() if k in ("over-both",) and isinstance(v, str)]
    return texts


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_seller_facing_text_cites_public_sources_only(spec):
    import re

    leaks = [f"{where} has {what}: {text.strip()[:120]!r}"
             for where, text in _seller_facing(spec)
             for what, pattern in INTERNAL_WORDING if re.search(pattern, text, re.IGNORECASE)]
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize(("text", "leaks"), [
    pytest.param("Seller-community reports (seed 000) list it", True, id="seed"),
    pytest.param("shared/seeds/000_b2a823fdef763137.txt", True, id="seed-file"),
    pytest.param("shared/POLICY.md#phishing", True, id="shared-md"),
    pytest.param("see rules/data/tlds.txt", True, id="repo-path"),
    pytest.param("SC 200390640", False, id="seller-central-id"),
    pytest.param("AMZ123 seller news, gift-card cash-back for reviews and the new review-request rules (2024)",
                 False, id="article"),
    pytest.param("https://sellercentral.amazon.com/help/hub/reference/external/200390640", False, id="address"),
    pytest.param("Proceeds go to seed banks for farmers", True, id="the-word-seed-is-banned-even-innocently"),
])
def test_the_leak_check_itself(text, leaks):
    import re

    assert any(re.search(p, text, re.IGNORECASE) for _, p in INTERNAL_WORDING) is leaks
