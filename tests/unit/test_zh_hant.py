"""The traditional-character Chinese lexicon (rules/lexicons/zh-hant.toml) is what OpenCC makes of zh.toml, and it reads."""

from __future__ import annotations

from conftest import ROOT, load_script
from listing_lint import Config
from listing_lint.engine.lint import RuleSet, single_field_listing
from listing_lint.model import FieldKind


def test_shipped_traditional_forms_are_those_of_the_current_lexicon():
    builder = load_script(ROOT / "scripts" / "build_zh_hant.py")
    assert builder.OUT.read_text("utf-8") == builder.build(), "zh.toml changed: run python scripts/build_zh_hant.py"


def test_traditional_copy_reads_as_its_simplified_twin():
    rules = RuleSet(Config(marketplace="amazon.cn"))

    def fired(text: str) -> set[str]:
        return {f.rule for f in rules.lint(single_field_listing(text, FieldKind.INSERT_CARD))}

    for simplified, traditional in [
        ("若有任何不满意，请先与我们联系，请勿直接给差评。", "若有任何不滿意，請先與我們聯繫，請勿直接給差評。"),
        ("关注我们的公众号领取优惠", "關注我們的公眾號領取優惠"),
        ("台北五星级饭店导览", "台北五星級飯店導覽"),
    ]:
        assert fired(traditional) == fired(simplified), (simplified, traditional)
