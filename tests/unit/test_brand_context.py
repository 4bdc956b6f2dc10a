"""Competitor names that are also everyday words, first names or parts of other names (issue 10, part 5)."""

from __future__ import annotations

import json

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint import Config, FieldKind, Severity
from listing_lint.config import load_config
from listing_lint.engine.detectors import brand_words
from listing_lint.engine.detectors.brand import BrandMatcher
from listing_lint.engine.lint import ruleset_for, single_field_listing
from listing_lint.engine.spec import SpecError

COMPETITORS = ("Stanley", "Coach", "Nike", "Yeti", "Apple", "Red", "Box", "Mini", "Kit", "Black", "Magic",
               "Julia", "Hugo", "Ford", "Samsung", "Dyson", "C", "D", "R", "X", "V", "HP", "Org", "Monster",
               "Tamiya", "Roblox", "Helium", "Messenger", "Picnic", "smart", "Remix", "Luau")
CONFIG = Config(competitors=COMPETITORS, own_brands=("Vantora",))
PROSE = [FieldKind.TITLE, FieldKind.BULLET, FieldKind.DESCRIPTION]


def brand_findings(text: str, field: FieldKind = FieldKind.DESCRIPTION, config: Config = CONFIG):
    listing = single_field_listing(text, field)
    return [f for f in ruleset_for(config).lint(listing) if f.rule == "competitor-brand"]


def flagged(text: str, **kw) -> list[str]:
    return [text[f.start:f.end] for f in brand_findings(text, **kw)]


# Named entities that contain a competitor's name: events and prizes, "the X of Y", titled people,
# people whose first name is the brand, names after a title word. Every combination is generated.
EVENTS = ["Cup", "Trophy", "Championship", "Museum", "Award", "Memorial"]
NAMED_ENTITIES = (
    [f"Penguins win the {n} {e} again" for n in ("Stanley", "Nike", "Ford", "Samsung") for e in EVENTS]
    + [f"fans of the {n} {e}" for n in ("Stanley", "Apple", "Dyson") for e in EVENTS]
    + [f"the {n} of {p} is a famous statue" for n in ("Nike", "Apple", "Yeti", "Samsung") for p in ("Samothrace", "Paris", "Rome")]
    + [f"a marble statue of the {t} {n}" for n in ("Nike", "Julia", "Hugo") for t in ("goddess", "Saint", "Queen", "king")]
    + [f"thanks to {t} {n} for the lesson" for t in ("Coach",) for n in ("Ron", "Mary", "James", "Linda")]
    + [f"written by {n} {s} and illustrated by others" for n in ("Julia", "Hugo", "Stanley") for s in ("Donaldson", "Kubrick", "Drax")]
    # Crafts: a designation and a craft noun after the name, a crew role before it, a type designation before it.
    + [f"a poster of the {n} {d} {c}" for n in ("Tamiya", "Samsung", "Ford") for d in ("V", "5", "11", "IV")
       for c in ("Rocket", "rocket", "mission", "Spacecraft")]
    + [f"he is the {r} of {n} 1 and flies it" for n in ("Tamiya", "Roblox") for r in ("pilot", "captain", "crew")]
    + [f"a model of the {d} {n} helicopter" for n in ("Tamiya", "Roblox", "Dyson") for d in ("AH-64", "F-16", "UH-60A")]
    # A Japanese honorific makes a character or a person.
    + [f"a plush of {n}-{h} with a bow" for n in ("Tamiya", "Roblox", "Monster") for h in ("chan", "kun", "san")]
)


@pytest.mark.parametrize("text", ["Tamiya rocket kit with engines", "Samsung 4 pack of cables",
                                  "Samsung galaxy shuttle case", "made by Tamiya, pilot approved"])
def test_brand_before_a_craft_word_without_a_designation_is_still_brand_use(text):
    assert flagged(text) != []


@pytest.mark.parametrize("text", NAMED_ENTITIES)
def test_named_entities_containing_a_brand_are_not_brand_use(text):
    assert flagged(text) == []


# In running text, a capitalised word right before a capitalised name makes one longer proper name
# ("Donkey Kong", "Hong Kong", "Clone Trooper Hevy"), whatever the name.
LONGER_NAMES = [f"{before} {name}" for before in ("Donkey", "Hong", "Trooper", "Gorgon") for name in
                ("Tamiya", "Roblox", "Samsung", "Yeti")]


@pytest.mark.parametrize("field", [FieldKind.BULLET, FieldKind.DESCRIPTION], ids=lambda k: k.value)
@pytest.mark.parametrize("phrase", LONGER_NAMES)
def test_last_word_of_a_longer_proper_name_is_not_brand_use(phrase, field):
    assert flagged(f"features Mario, Luigi and {phrase} for every fan", field=field) == []


@pytest.mark.parametrize("field", PROSE, ids=lambda k: k.value)
@pytest.mark.parametrize("owner", ["Leonardo's", "Scott’s", "Mary's"])
@pytest.mark.parametrize("name", ["Tamiya", "Roblox", "Yeti"])
def test_a_persons_thing_is_not_brand_use(owner, name, field):
    assert flagged(f"Nickelodeon tent with {owner} {name} and shield", field=field) == []


@pytest.mark.parametrize(("text", "field"), [
    ("McFarlane Toys Roblox Action Figure", FieldKind.TITLE),  # a maker's name before a licensed brand
    ("Like Samsung, our case is slim", FieldKind.BULLET),      # a capital that only opens the sentence
    ("Slim case. Unlike Samsung cases it has a lip", FieldKind.DESCRIPTION),
])
def test_a_capital_before_does_not_hide_a_brand_in_titles_or_at_sentence_start(text, field):
    assert flagged(text, field=field) != []


# Everyday words in their everyday use: colours, sizes, box contents, Title Case runs, letters.
EVERYDAY = [
    "Available in Red, Blue and Green",
    "Colour: Red",
    "Colour Name: Black Drone with camera",
    "Includes 6 Blue, Yellow and Black Swirls",
    "Great design. Box Contains 1 x Racing Car",
    "Box Contains 12 x Crayons",
    "Craft Kit Includes 8 Projects to Inspire Kindness",
    "Barbie 300pc 3D Nail Art Design Kit",
    "This is the last Monster book you will need",
    "the Monster Kraken needs water",
    "Small fits 48-53cm while Medium fits 53-58cm",
    "Hello Kitty Mini-Mandalas for kids",
    "Friendship is Magic TV Series plush",
    "explore the world with your R/C helicopter",
    "compatible with V.Smile and V.Smile Pocket consoles",
    "the same X-Shot quality",
    "Can you draw a 'C' shape?",
    "Requires 6 D batteries (not included)",
    "every HP fan will love this wand",
    "B. Toy: we.Org receives a portion of sales",
    "keeps tea hot like magic",
    "apple pie filling in a cast iron skillet",
    "Wheels that roll like a Plane about to take off",
    "The foil balloon is suitable for Helium and air",
    "Great for Picnic lovers",
    "This pretend smart phone is a rattle",
    "My Little Pony Friendship is Magic Fluttershy Soft Plush",
    "Endless play with the kit. Remix 500 creations made by the community",
    "Look to us for your Halloween, Luau and Easter supplies",
]


@pytest.mark.parametrize("field", PROSE, ids=lambda k: k.value)
@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_words_are_not_brand_use(text, field):
    assert flagged(text, field=field) == []


@pytest.mark.parametrize("text", ["Messenger bag with faux leather strap", "Picnic basket with a handle"])
def test_a_sentence_opening_noun_phrase_is_not_brand_use(text):
    assert flagged(text, field=FieldKind.BULLET) == []


def test_a_title_opening_with_brand_and_product_noun_is_brand_use():
    assert flagged("Coach handbag in pebbled leather, brown", field=FieldKind.TITLE) == ["Coach"]


def test_a_lower_case_name_needs_a_cue():
    assert flagged("This pretend smart phone rattles") == []
    assert flagged("A city car made by smart in 2015") == ["smart"]


# Evidence of brand use for an everyday-word name: each must be reported, in every prose field.
BRAND_USE = [
    ("Keeps drinks cold, just like my Yeti tumbler", "Yeti"),
    ("a gift for anyone who owns a Yeti Rambler already", "Yeti"),
    ("same fit as the Nike Air 270 running shoe", "Nike"),
    ("handbag designed by Coach in New York", "Coach"),
    ("genuine Coach leather purse", "Coach"),
    ("a Coach® handbag in tan", "Coach"),
    ("a quality Coach brand purse", "Coach"),
    ("a cheaper Stanley alternative for your desk", "Stanley"),
    ("our tumbler, a Stanley dupe at half the price", "Stanley"),
    ("keeps ice longer than Yeti", "Yeti"),
    ("similar to Apple earbuds", "Apple"),
    ("this printer takes HP 61 ink cartridges", "HP"),
]


@pytest.mark.parametrize("field", PROSE, ids=lambda k: k.value)
@pytest.mark.parametrize(("text", "name"), BRAND_USE)
def test_evidence_of_brand_use_is_reported(text, name, field):
    assert name in flagged(text, field=field)


@pytest.mark.parametrize("after", ["", ".", ", taille 42", " (taille 42)", " - noires"])
def test_a_product_noun_before_the_name_is_brand_use_whatever_follows(after):
    """In French, Spanish, Italian and Portuguese the noun comes first ("chaussures Aigle"); what comes after
    the name (a comma, a bracket) does not change that."""
    config = Config(competitors=("Aigle",), marketplace="amazon.fr")
    assert flagged(f"Des chaussures Aigle{after}", config=config) == ["Aigle"]
    assert flagged(f"Un aigle royal{after}", config=config) == []


@pytest.mark.parametrize("text", ["KEEPS ICE LONGER THAN YETI", "Better than YETI", "Keeps ice longer than Yeti"])
def test_comparison_is_an_error_in_any_case(text):
    findings = brand_findings(text)
    assert [f.severity for f in findings] == [Severity.ERROR]
    assert text[findings[0].start:findings[0].end].casefold() == "yeti"


def test_all_caps_copy_matches_a_title_case_name():
    assert flagged("YETI TUMBLER 20 OZ, STAINLESS", field=FieldKind.TITLE) == ["YETI"]


@pytest.mark.parametrize("text", ["Case compatible with Apple Watch bands", "Replacement for Samsung Galaxy S23 case",
                                  "Strap that fits Apple Watch Series 9"])
def test_compatibility_stays_information(text):
    findings = brand_findings(text)
    assert findings and all(f.severity is Severity.INFO for f in findings)


def test_search_terms_are_evidence_but_hedged_when_lower_case():
    findings = brand_findings("insulated tumbler yeti stanley", field=FieldKind.SEARCH_TERMS)
    assert {f.severity for f in findings} == {Severity.WARNING}
    assert len(findings) == 2


def test_unambiguous_names_need_no_evidence():
    assert flagged("Works great, I also bought Samsung last year") == ["Samsung"]


def test_config_marks_override_the_word_statistics():
    text = "Works great, I also bought Samsung last year and a Coach"
    marked = Config(competitors=COMPETITORS, ambiguous_brands=("Samsung",), unambiguous_brands=("Coach",))
    assert flagged(text, config=marked) == ["Coach"]
    assert flagged(text) == ["Samsung"]


@pytest.mark.parametrize(("lang", "name", "ambiguous"), [
    ("en", "Coach", True), ("en", "Box", True), ("en", "Stanley", True), ("en", "Julia", True),
    ("en", "C", True), ("en", "HP", True), ("en", "Samsung", False), ("en", "Tamiya", False),
    ("en", "Luau", True), ("en", "Remix", True),  # rarer dictionary words
    ("de", "Anker", True), ("en", "Anker", False), ("de", "Samsung", False), ("fr", "Samsung", False),
])
def test_ambiguity_follows_the_listing_language(lang, name, ambiguous):
    assert brand_words.is_ambiguous_name(name, lang) is ambiguous


@pytest.mark.parametrize(("marketplace", "lang"), [
    ("amazon.com", "en"), ("amazon.de", "de"), ("amazon.co.jp", "ja"), ("amazon.com.br", "pt"), (None, "en"),
])
def test_language_of_marketplace(marketplace, lang):
    assert brand_words.language_of(marketplace) == lang


def test_building_the_matcher_reads_no_word_frequencies():
    brand_words.is_ambiguous_name.cache_clear()
    brand_words._zipf_table.cache_clear()
    names = [f"Brand{i}" for i in range(3000)] + list(COMPETITORS)
    matcher = BrandMatcher(names)
    assert matcher.count == len(names)
    assert brand_words.is_ambiguous_name.cache_info().currsize == 0
    assert brand_words._zipf_table.cache_info().currsize == 0


def write_config(tmp_path, body: str):
    path = tmp_path / "listing-lint.toml"
    path.write_text(textwrap.dedent(body), "utf-8")
    return path


def test_config_reads_ambiguous_and_unambiguous(tmp_path):
    path = write_config(tmp_path, """
        [brands]
        competitors = ["Coach", "Samsung"]
        ambiguous = ["Samsung"]
        unambiguous = ["coach"]
    """)
    config = load_config(path)
    assert config.ambiguous_brands == ("Samsung",)
    assert config.unambiguous_brands == ("coach",)


@pytest.mark.parametrize(("body", "message"), [
    ('competitors = ["Coach"]\nambigous = ["Coach"]', "did you mean 'ambiguous'"),
    ('competitors = ["Coach", "Samsung"]\nambiguous = ["Samsnug"]', "did you mean 'Samsung'"),
    ('competitors = ["Coach"]\nambiguous = ["Coach"]\nunambiguous = ["Coach"]', "both"),
    ('competitors = ["Coach"]\nunambiguous = "Coach"\nambiguous = [1]', "expected a list of strings"),
])
def test_config_marks_are_validated(tmp_path, body, message):
    path = write_config(tmp_path, "[brands]\n" + body + "\n")
    with pytest.raises(SpecError) as err:
        load_config(path)
    assert message in str(err.value)


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "in Python"])
@pytest.mark.parametrize("made", ["without a cache folder", "to keep", "read back as kept"])
def test_the_compact_word_frequencies_equal_wordfreqs_lists(made, compiled, monkeypatch, nothing_kept):
    """Every word of every list keeps its frequency; a word of no list has none, even one whose characters
    share their memory with a listed word's ("my" and "祭" are the same two bytes). So for a table made without
    a cache folder, one made to keep and one read back from the kept JSON, built by the compiled module (its
    hash) or in Python (Python's hash, or the stable one for a table to keep)."""
    import gzip

    import msgpack

    from listing_lint.engine import spec

    folder = brand_words._wordfreq_data()
    if folder is None:
        pytest.skip("wordfreq is not installed")
    brand_words._zipf_table.cache_clear()
    if not compiled:
        monkeypatch.setattr(brand_words, "_compiled_arrays", None)
    elif brand_words._compiled_arrays is None:
        pytest.skip("the C extension was not built")
    if made != "without a cache folder":
        spec.keep_parsed(dict)
    if made == "read back as kept":
        for lang in ("en", "de", "ja", "zh"):
            brand_words._zipf_table(lang)
        kept = json.loads(json.dumps(spec.parsed_to_keep()))
        assert len(kept) == 4
        nothing_kept(kept)
        brand_words._zipf_table.cache_clear()
        monkeypatch.setattr(brand_words, "_made", None)  # nothing may be built again
    checked = 0
    for lang in ("en", "de", "ja", "zh"):
        data = msgpack.load(gzip.open(folder / f"small_{lang}.msgpack.gz", "rb"), raw=False)
        expected: dict[str, float] = {}
        for i, bucket in enumerate(data[1:]):
            for word in bucket:
                expected.setdefault(word, 9.0 - i / 100)
        table = brand_words._zipf_table(lang)
        assert len(table) == len(expected)
        assert all(table.get(word) == value for word, value in expected.items())
        checked += len(expected)
        assert table.get("qzxqzx", 0.0) == 0.0
    assert brand_words.zipf("my", "ja") != brand_words.zipf("祭", "ja")
    assert checked > 100_000
    brand_words._zipf_table.cache_clear()


def test_a_damaged_kept_word_frequency_table_is_built_again(nothing_kept):
    from listing_lint.engine import spec

    if brand_words._wordfreq_data() is None:
        pytest.skip("wordfreq is not installed")
    brand_words._zipf_table.cache_clear()
    spec.keep_parsed(dict)
    expected = brand_words.zipf("house", "en")
    (key, text), = spec.parsed_to_keep().items()
    for damaged in ({**json.loads(text), "digest": "0" * 32}, {**json.loads(text), "hashes": "AAAA"}, [1]):
        nothing_kept({key: json.dumps(damaged)})
        brand_words._zipf_table.cache_clear()
        assert brand_words.zipf("house", "en") == expected > 5
    brand_words._zipf_table.cache_clear()


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\t", "\n", "-", "--", "\u00a0", "\x1c", "          ", " - ", "x", "apple",
                                 "alternative", "Alternativen", "dupe", "DUPES", "look-alike", "Knock-off",
                                 "\u212anock-off", "equivalent", "alternativas"]), max_size=5).map("".join))
def test_a_comparison_after_a_name_always_gets_past_the_first_letter_test(after):
    """detect() matches COMPARISON_AFTER only where the first letter after the name's blanks and hyphen could
    start one of its words: that test must never turn away a text the pattern matches."""
    from listing_lint.engine.detectors.brand import COMPARISON_AFTER, _may_compare_after

    text = "Yeti" + after
    if COMPARISON_AFTER.match(text, 4):
        assert _may_compare_after(text, 4)


def test_a_field_whose_names_all_lack_evidence_is_not_handed_to_the_detector():
    """The brand gate leaves out a prose field when every name in it is an everyday word with no cue and no sign
    of brand use: ``detect`` run on such a field anyway reports nothing. Checked on every prose field of the real
    listings, with the 3,446 real names, and on the labelled and probe snippets; many fields are left out, and the
    fields kept include every field ``detect`` reports a name in."""
    from conftest import ROOT, SHARED, real_brands
    from listing_lint.engine.detectors.brand import _may_report, detect, fields_with_candidates
    from listing_lint.extract.record import listing_from_record
    from listing_lint.model import Field, Listing

    rules = ruleset_for(Config(competitors=tuple(real_brands())))
    ctx = rules.context
    listings = [listing_from_record(json.loads(line), f"real-{n}")
                for n, line in enumerate(open(SHARED / "corpus" / "real-listings.jsonl", encoding="utf-8"))]
    for path in [SHARED / "corpus" / "labelled-dev.jsonl", *sorted((ROOT / "bench" / "probes").glob("*.jsonl"))]:
        for line in open(path, encoding="utf-8"):
            if line.strip():
                text = json.loads(line)["text"]
                listings.append(Listing(fields=(Field(FieldKind.DESCRIPTION, text, 0),), text=text, path=str(path)))
    left_out = reported = 0
    for listing in listings:
        rules.lint(listing)  # the engine's per-listing state
        kept = {id(f) for f in fields_with_candidates(listing.fields, ctx)}
        for field in listing.fields:
            if field.kind is FieldKind.SEARCH_TERMS:
                continue
            found = list(ctx.brands.find(field.text, False))
            ctx.listing_memo["brand-found"] = {id(field): (field, found)}
            hits = list(detect(field, ctx, {})) if found else []
            if found and not _may_report(field, found, ctx):
                assert not hits, (listing.path, field.text[:80])
                left_out += 1
            if hits:
                assert id(field) in kept
                reported += 1
    assert left_out > 1000 and reported > 100
