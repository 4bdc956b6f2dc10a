"""The concept engine: tokens mapped back to the source, stemmed lexicon entries, gaps, references, excuses."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.config import Config
from listing_lint.engine.concepts import find_concepts
from listing_lint.engine.lexicon import Lexicons
from listing_lint.engine.lint import RuleSet, single_field_listing
from listing_lint.engine.normalize import tokenize
from listing_lint.model import FieldKind
from listing_lint.engine.spec import SpecError, parse_rule
from listing_lint.model import FieldKind


def test_tokens_map_back_to_the_source_through_nfkc_and_case_folding():
    text = "ＲＥＶＩＥＷ us — Straße ５星 d’un"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["review", "us", "strasse", "5", "星", "d", "un"]
    assert [text[t.start:t.end] for t in tokens] == ["ＲＥＶＩＥＷ", "us", "Straße", "５", "星", "d", "un"]


def test_a_line_break_is_not_a_sentence_end_but_punctuation_and_a_blank_line_are():
    tokens = tokenize("leave a\nreview. Get a gift\n\nfree")
    by_word = {t.text: t.sentence for t in tokens}
    assert by_word["leave"] == by_word["review"] == 0
    assert by_word["get"] == by_word["gift"] == 1
    assert by_word["free"] == 2


def test_decimal_numbers_do_not_end_a_sentence():
    assert {t.sentence for t in tokenize("Rated 4.5 stars by buyers")} == {0}


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="abcXYZ019 .,'’-$%#+=&@?!\n\t", max_size=60))
def test_ascii_text_is_tokenized_as_the_unicode_pattern_would(text):
    """ASCII copy is read by the standard library's engine (normalize._ASCII_TOKEN), the rest by ``regex``: the
    same tokens, kinds and spans either way."""
    from listing_lint.engine import normalize

    folded = normalize.fold(text)[0].replace("’", "'")
    if folded.isascii():
        found = [(m.group(), m.lastgroup, m.span()) for m in normalize._ASCII_TOKEN.finditer(folded)]
        assert found == [(m.group(), m.lastgroup, m.span()) for m in normalize._TOKEN.finditer(folded)]


def test_a_question_mark_is_a_token_and_still_ends_its_sentence():
    tokens = tokenize("Love it? Leave a review.")
    assert [(t.text, t.sentence) for t in tokens][:4] == [("love", 0), ("it", 0), ("?", 0), ("leave", 1)]


@pytest.mark.parametrize(("text", "lang"), [
    ("Love it? Leave us a review on Amazon!", "en"), ("Enjoying your new kettle? Please leave a review.", "en"),
    ("Zufrieden? Dann freuen wir uns über eine Bewertung.", "de"), ("喜欢吗？欢迎留下评价", "zh"),
    ("気に入った？レビューしてね！", "ja"),
])
def test_a_question_asked_of_happy_buyers_leads_into_the_request_after_it(text, lang):
    found = find_concepts(text, _bundled(), MARKETPLACE[lang])
    question = [occ for per in found.by_concept.get("happy-condition", {}).values() for occ in per]
    assert any(occ.sentence == 1 for occ in question)
    rules = RuleSet(Config(select=("biased-review-request",), marketplace=MARKETPLACE[lang]))
    assert [f.rule for f in rules.lint(single_field_listing(text, FieldKind.INSERT_CARD))] == ["biased-review-request"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Looking for a gift? Over 2,000 happy reviewers.", "en"), ("Need a gift? Read the reviews.", "en"),
    ("在找礼物吗？这款套装已有2000多条评价", "zh"),
])
def test_the_other_words_of_a_question_stay_in_it(text, lang):
    rules = RuleSet(Config(select=("review-incentive", "biased-review-request"), marketplace=MARKETPLACE[lang]))
    assert rules.lint(single_field_listing(text, FieldKind.INSERT_CARD)) == []


def test_a_quoted_katakana_word_is_whole():
    rules = RuleSet(Config(select=("review-incentive",), marketplace="amazon.co.jp"))
    [finding] = rules.lint(single_field_listing("レビュー投稿でクーポンプレゼント", FieldKind.INSERT_CARD))
    assert "'レビュー'" in finding.message


@pytest.mark.parametrize("text", [
    "ﾚﾋﾞｭｰを書いていただいた方にｷﾞﾌﾄｶｰﾄﾞをﾌﾟﾚｾﾞﾝﾄ",  # half-width katakana, voiced marks as spacing characters
    "レヒ\u3099ューを書いていただいた方にキ\u3099フトカート\u3099をフ\u309aレセ\u3099ント",  # combining marks
])
def test_katakana_with_separate_sound_marks_reads_as_the_composed_kana(text):
    """Legacy Japanese systems write kana half-width, with ﾞ and ﾟ after the kana they voice; NFKC joins them."""
    assert "".join(t.text for t in tokenize(text)) == "レビューを書いていただいた方にギフトカードをプレゼント"
    rules = RuleSet(Config(select=("review-incentive",), marketplace="amazon.co.jp"))
    [finding] = rules.lint(single_field_listing(text, FieldKind.DESCRIPTION))
    # Each span takes in the marks of its last kana ("ﾄﾞ"): a fix of it leaves no mark behind.
    review, reward = text[:text.index("を")], text[text.index("方に") + 2:text.rindex("を")]
    assert finding.message == f"'{reward}' is offered in return for '{review}'."
    assert finding.end == text.rindex("を")


MARKETPLACE = {"en": "amazon.com", "de": "amazon.de", "zh": "amazon.cn", "ja": "amazon.co.jp"}


def _bundled():
    from listing_lint.engine.lexicon import bundled_lexicon_paths, load_lexicons

    return load_lexicons(bundled_lexicon_paths())


def _lexicon(tmp_path, body: str, name: str = "en") -> Lexicons:
    path = tmp_path / f"{name}.toml"
    path.write_text(textwrap.dedent(body), "utf-8")
    return Lexicons((path,))


def test_entries_match_every_inflection_through_the_stemmer(tmp_path):
    lex = _lexicon(tmp_path, """
        language = "en"
        [concepts]
        act = ["leave ~3 review"]
    """)
    for text in ("Leaving us a review", "leaves a quick review", "leave   reviews", "LEAVE\nA REVIEW"):
        assert "act" in find_concepts(text, lex).by_concept, text
    assert "act" not in find_concepts("leave it at the door, then review nothing", lex).by_concept


def test_an_exact_word_is_that_word_alone_not_its_stem(tmp_path):
    lex = _lexicon(tmp_path, """
        language = "es"
        [concepts]
        liked = ["si ~4 =gusta", "=gustó"]
        stem = ["si ~4 gusta"]
    """, name="es")
    for text in ("Si te gusta, déjanos una reseña.", "Si el producto te GUSTA", "¿Le gusto?"):
        assert "liked" in find_concepts(text, lex, "amazon.es").by_concept, text
    polite = "Si tienes un momento, nos gustaría conocer tu opinión."
    assert "liked" not in find_concepts(polite, lex, "amazon.es").by_concept
    assert "stem" in find_concepts(polite, lex, "amazon.es").by_concept  # the stem takes "gustaría" in


def test_references_and_excuses(tmp_path):
    lex = _lexicon(tmp_path, """
        language = "en"
        [concepts.reward]
        terms = ["gift", "refund"]
        excuse = ["gift box", "# day refund"]
        [concepts.review]
        terms = ["review"]
        [concepts.linked]
        terms = ["{reward} ~2 for ~2 {review}"]
    """)
    found = find_concepts("A gift box, a 30-day refund, and a gift for your review.", lex)
    rewards = found.by_concept["reward"][0]
    assert len(rewards) == 1  # only the last "gift" is a reward
    assert "linked" in found.by_concept


def test_chinese_entries_are_runs_of_characters(tmp_path):
    lex = _lexicon(tmp_path, """
        language = "zh"
        stemmer = "none"
        [concepts]
        review = ["好评", "晒图"]
        reward = ["返 #", "返现"]
    """, name="zh")
    found = find_concepts("晒图返10元", lex)
    assert {"review", "reward"} <= set(found.by_concept)


@pytest.mark.parametrize("body, message", [
    ('language = "en"\n[concepts]\nx = ["{nothing}"]\n', "unknown concept"),
    ('language = "en"\n[concepts]\nx = ["~2 gift"]\n', "must start and end with a word"),
    # Terms are checked a concept at a time: a bad one among good ones, at either end, is still named.
    ('language = "en"\n[concepts]\nx = ["free gift", "gift ~3", "bonus"]\n', "entry 'gift ~3' must start and end"),
    ('language = "en"\n[concepts]\nx = ["rev*", "g*", "bonus"]\n', "entry 'g\\*': a prefix before"),
    ('language = "en"\n[concepts]\nx = { terms = ["ok"], excuse = ["no x*"] }\n', "a prefix before"),
    ('language = "en"\n[concepts]\nx = ["ok", "  "]\n', "non-empty strings"),
    ('language = "en"\n[concepts]\nx = ["ok", 3]\n', "non-empty strings"),
    ('language = "en"\nstemmer = "klingon"\n', "unknown Snowball stemmer"),
    ('language = "en"\nwords = []\n', "unknown key"),
    ('language = "en"\n[concepts]\na = ["{b}"]\nb = ["{a}"]\n', "loop"),
])
def test_bad_lexicons_are_clear_errors(tmp_path, body, message):
    path = tmp_path / "en.toml"
    path.write_text(body, "utf-8")
    with pytest.raises(SpecError, match=message):
        Lexicons((path,))


RULE = """
id = "USR001"
name = "paid-review"
kind = "concept"
severity = "error"
message = "'{match}' pays for a review."
policy = "https://sellercentral.amazon.com/help/hub/reference/external/E8SYAZUBGVFBHCH"
rationale = "Paid reviews."
negation = "negation"
[[when]]
all = ["review", "reward"]
message = "'{2}' is offered for '{1}'."
[[examples]]
bad = "x"
[[examples]]
good = "y"
"""


def _rule_set(rule_text: str = RULE) -> RuleSet:
    import tomllib

    spec = parse_rule("user.toml", rule_text, tomllib.loads(rule_text), "user")
    return RuleSet(Config(), specs=[spec])


def test_the_rule_finds_both_orders_and_names_both_parts():
    rules = _rule_set()
    for text in ("Write a review and we send a $10 gift card.", "A $10 gift card for every review you write."):
        found = rules.lint(single_field_listing(text, FieldKind.INSERT_CARD))
        assert len(found) == 1, text
        assert "'gift card' is offered for 'review'" in found[0].message


def test_a_negation_before_the_combination_cancels_it():
    rules = _rule_set()
    found = rules.lint(single_field_listing("We never give a gift card for a review.", FieldKind.INSERT_CARD))
    assert found == []


def test_a_rule_naming_an_unknown_concept_is_an_error():
    with pytest.raises(SpecError, match="unknown concept 'rewardz'"):
        _rule_set(RULE.replace('all = ["review", "reward"]', 'all = ["review", "rewardz"]'))


def test_a_when_table_with_an_unknown_key_is_an_error():
    with pytest.raises(SpecError, match="unknown key 'any'"):
        _rule_set(RULE.replace('all = ["review", "reward"]', 'any = ["review"]'))


def test_a_user_pack_adds_a_language_and_its_examples_run_with_it(tmp_path):
    from listing_lint.engine.lint import load_packs

    pack = tmp_path / "my-pack"
    (pack / "lexicons").mkdir(parents=True)
    (pack / "pack.toml").write_text('name = "mine"\n', "utf-8")
    # Danish: a language listing-lint does not ship, added as data with Snowball's Danish stemmer.
    (pack / "lexicons" / "da.toml").write_text(textwrap.dedent("""
        language = "da"
        stopwords = ["og", "en", "et", "til", "af", "for", "med", "din", "vi"]
        [concepts]
        review = ["anmeldelse", "bedømmelse"]
        reward = ["gavekort", "rabat"]
    """), "utf-8")
    rule = RULE.replace('bad = "x"', 'bad = "Skriv en anmeldelse og få et gavekort til 100 kr."')
    rule = rule.replace('good = "y"', 'good = "Gratis fragt og et gavekort kan købes i butikken."')
    (pack / "USR001-paid-review.toml").write_text(rule, "utf-8")
    config = Config(rule_packs=(str(pack),))
    packs = load_packs(config)  # runs the pack's examples: they need the Danish lexicon to pass
    assert any(p.name == "mine" for p in packs)
    rules = RuleSet(config)
    text = "Giv os en bedømmelse, så sender vi rabat på næste ordre."
    found = [f for f in rules.lint(single_field_listing(text, FieldKind.INSERT_CARD)) if f.rule == "paid-review"]
    assert len(found) == 1 and "'rabat' is offered for 'bedømmelse'" in found[0].message


def test_a_user_pack_whose_example_needs_a_missing_word_does_not_load(tmp_path):
    from listing_lint.engine.lint import load_packs

    pack = tmp_path / "my-pack"
    (pack / "lexicons").mkdir(parents=True)
    (pack / "pack.toml").write_text('name = "mine"\n', "utf-8")
    (pack / "lexicons" / "da.toml").write_text('language = "da"\n[concepts]\nreview = ["anmeldelse"]\n', "utf-8")
    rule = RULE.replace('bad = "x"', 'bad = "Skriv en anmeldelse og få et gavekort."').replace('good = "y"', 'good = "Tak."')
    (pack / "USR001-paid-review.toml").write_text(rule, "utf-8")
    with pytest.raises(SpecError, match="is not flagged"):
        load_packs(Config(rule_packs=(str(pack),)))


def test_a_rule_yields_to_another_rule_reporting_the_same_words():
    rules = RuleSet(Config(select=("review-incentive", "biased-review-request")))
    card = "Loved your new kettle? Send us a screenshot of your review and we'll mail you a $10 gift card!"
    assert [f.rule for f in rules.lint(single_field_listing(card, FieldKind.INSERT_CARD))] == ["review-incentive"]
    # Alone, the same card is a request made to happy buyers only.
    alone = RuleSet(Config(select=("biased-review-request",)))
    assert [f.rule for f in alone.lint(single_field_listing(card, FieldKind.INSERT_CARD))] == ["biased-review-request"]
    # A finding elsewhere in the field is kept.
    two = "Love it? Leave a review! Every review earns you a $10 gift card."
    assert sorted(f.rule for f in rules.lint(single_field_listing(two, FieldKind.INSERT_CARD))) == [
        "biased-review-request", "review-incentive"]


@pytest.mark.parametrize("kind", [FieldKind.BULLET, FieldKind.DESCRIPTION])
def test_a_free_gift_offered_for_a_review_is_the_incentive_not_a_promotional_phrase(kind):
    """Reported once: removing "free gift" alone would leave "get a card" for a review, the same offer."""
    rules = RuleSet(Config(select=("review-incentive", "promotional-phrase")))
    offer = "Leave a 5-star review and get a free gift card!"
    assert [f.rule for f in rules.lint(single_field_listing(offer, kind))] == ["review-incentive"]
    # A free gift that is no reward for a review is still promotional wording.
    gift = "Free gift with every order. Leave a review to help other buyers."
    assert [f.rule for f in rules.lint(single_field_listing(gift, kind))] == ["promotional-phrase"]


def test_yields_to_an_unknown_rule_is_an_error_naming_the_line(tmp_path):
    pack = tmp_path / "my-pack"
    pack.mkdir()
    (pack / "pack.toml").write_text('name = "mine"\n', "utf-8")
    rule = RULE.replace('kind = "concept"', 'kind = "concept"\nyields-to = ["review-incentve"]')
    rule = rule.replace('bad = "x"', 'bad = "Write a review and get a gift card."')
    (pack / "USR001-paid-review.toml").write_text(rule, "utf-8")
    with pytest.raises(SpecError, match="unknown rule 'review-incentve'") as err:
        RuleSet(Config(rule_packs=(str(pack),)))
    assert err.value.line == rule.splitlines().index('yields-to = ["review-incentve"]') + 1


@pytest.mark.parametrize("text", [
    "Amazon's Community Guidelines prohibit offering compensation, such as free products or refunds, in exchange "
    "for reviews.",
    "Offering a gift card for a 5-star review is not allowed on Amazon.",
    "Sellers may not offer refunds in exchange for reviews; doing so violates the policy.",
])
def test_a_sentence_that_states_the_ban_does_not_break_it(text):
    rules = RuleSet(Config(select=("review-incentive", "biased-review-request")))
    assert rules.lint(single_field_listing(text, FieldKind.DESCRIPTION)) == []


def test_a_ban_cancels_only_its_own_sentence():
    rules = RuleSet(Config(select=("review-incentive",)))
    text = "Paid reviews are prohibited. Leave a review and get a free gift card!"
    [finding] = rules.lint(single_field_listing(text, FieldKind.INSERT_CARD))
    assert text[finding.start:finding.end].startswith("review and get")


@pytest.mark.parametrize(("text", "claim"), [
    ("Ranked in the top 1% on Amazon in Kitchen & Dining for two years running.", "Ranked in the top 1% on Amazon"),
    ("BEST KETTLE - SOLD OUT 3 TIMES", "SOLD OUT 3 TIMES"),
    ("Over 100K+ orders shipped worldwide", "100K+ orders"),
])
def test_percentile_ranks_sell_outs_and_order_counts_are_sales_claims(text, claim):
    rules = RuleSet(Config(select=("sales-claim",)))
    assert [text[f.start:f.end] for f in rules.lint(single_field_listing(text, FieldKind.DESCRIPTION))] == [claim]


@pytest.mark.parametrize("text", ["Free shipping on $25+ orders. Top 10% quality steel.",
                                  "Sold out? Check back soon, restocks every 2 weeks."])
def test_small_order_counts_and_restock_notes_are_no_sales_claims(text):
    assert RuleSet(Config(select=("sales-claim",))).lint(single_field_listing(text, FieldKind.DESCRIPTION)) == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab* \n\t\u00a0\u2003", max_size=24))
def test_short_prefix_check_finds_what_the_prefix_pattern_finds(text):
    # The lexicon loader checks a concept's terms at once with this helper instead of the prefix pattern.
    from listing_lint.engine.lexicon import _PREFIX, _short_prefix

    assert _short_prefix(text) == any(len(p) < 3 for p in _PREFIX.findall(text))


def test_entries_led_by_a_number_and_a_gap_are_found_as_when_tried_at_every_number(monkeypatch):
    """"# ~1 zufrieden* Kunden" is tried only at a number followed within its gap by its word or prefix, and in
    the order of the lexicon: on copy with many numbers, in every language, the concepts found are those of
    trying every such entry at every number."""
    import json
    import random

    from listing_lint.engine import concepts
    from listing_lint.engine.lexicon import Language, bundled_lexicon_paths, load_lexicons

    from conftest import SHARED

    lexicons = load_lexicons(bundled_lexicon_paths())
    langs = sorted(lexicons.languages)
    words = ["zufriedene", "Kunden", "clientes", "felizes", "satisfaits", "clients", "customers", "happy", "sold",
             "verkauft", "vendidos", "venduti", "Familien", "households", "over", "more than", "million", "of", "our",
             "have", "used", "people", "très", "muy", "molto", "sehr", ",", ".", "台", "件", "万", "人"]
    rng = random.Random(9)
    texts = [" ".join(rng.choice(words + [str(rng.randint(1, 99_999))] * 6) for _ in range(rng.randint(3, 25)))
             for _ in range(400)]
    texts += [json.loads(line)["text"] for line in open(SHARED / "corpus" / "labelled-dev.jsonl", encoding="utf-8")]

    def found(text):
        tokens = tokenize(text)
        return {c: [tuple(o) for o in occs] for c, occs in concepts._find(tokens, langs, lexicons).items()}

    indexed = [found(t) for t in texts]
    everywhere = property(lambda lang: ([(n, e) for n, e in enumerate(lang.by_number.get("", ()))], {}, {}, 0))
    monkeypatch.setattr(Language, "by_number_after_gap", everywhere)
    assert [found(t) for t in texts] == indexed
    assert sum("sales-volume" in f for f in indexed) > 50  # the texts make such entries match, often


REQUIRING_RULE = """
id = "USR002"
name = "sparkle"
kind = "existence"
severity = "warning"
message = "'{match}' sparkles."
policy = "https://sellercentral.amazon.com/help/hub/reference/external/201100890"
rationale = "Symbols."
ignorecase = false
requires = '[\\p{Extended_Pictographic}]'
patterns = ['\\w+\\s?\\p{Extended_Pictographic}', 'glitter']
[[examples]]
bad = "shine ✨"
[[examples]]
good = "shine"
"""


def test_a_field_without_what_a_rule_requires_is_not_searched():
    """``requires``: a field where it finds nothing is not searched, so a pattern that could match there
    without it ("glitter") reports nothing; with it, every pattern is searched as usual."""
    rules = _rule_set(REQUIRING_RULE)
    found = lambda text: [f.message for f in rules.lint(single_field_listing(text, FieldKind.BULLET))]  # noqa: E731
    assert found("glitter gel") == []
    assert found("glitter gel ✨") == ["'glitter' sparkles.", "'gel ✨' sparkles."]
