"""Competitor names used for something else of the same name: an epithet, a place of origin, one numbered
member of a team, a story character's role, a show's title, a size word, a shouted everyday word (issue 10)."""

from __future__ import annotations

import pytest

from listing_lint import Config, FieldKind, Severity
from listing_lint.engine.detectors import brand_words
from listing_lint.engine.lint import ruleset_for, single_field_listing

COMPETITORS = ("Conan", "Tamiya", "Roblox", "Samsung", "Iceland", "European Union", "Thunderbird", "Nano",
               "Mega", "Micro", "Magic", "Go", "Yeti", "Apple", "Stanley")
CONFIG = Config(competitors=COMPETITORS)
PROSE = [FieldKind.TITLE, FieldKind.BULLET, FieldKind.DESCRIPTION]


def findings(text: str, field: FieldKind = FieldKind.DESCRIPTION):
    listing = single_field_listing(text, field)
    return [f for f in ruleset_for(CONFIG).lint(listing) if f.rule == "competitor-brand"]


def flagged(text: str, field: FieldKind = FieldKind.DESCRIPTION) -> list[str]:
    return [text[f.start:f.end] for f in findings(text, field)]


EPITHETS = [f"{name} {article} {noun}" for name in ("Conan", "Tamiya", "Roblox")
            for article in ("the", "The") for noun in ("Brigand", "Barbarian", "Great")]


@pytest.mark.parametrize("field", PROSE, ids=lambda k: k.value)
@pytest.mark.parametrize("phrase", EPITHETS)
def test_a_name_and_its_epithet_are_a_character(phrase, field):
    assert flagged(f"{phrase} | a supplement for the core rulebook", field=field) == []


@pytest.mark.parametrize("text", ["Samsung The Frame TV mount", "Tamiya The Tank 35157 kit"])
def test_an_epithet_like_phrase_before_a_product_noun_or_model_is_brand_use(text):
    assert flagged(text) != []


ORIGINS = ["Made in", "made in", "Manufactured In", "produced in the", "Product of", "imported from",
           "Hergestellt in", "Fabriqué en", "Hecho en", "Prodotto in"]


@pytest.mark.parametrize("origin", ORIGINS)
@pytest.mark.parametrize("place", ["Iceland", "European Union"])
def test_a_place_of_origin_is_not_brand_use(origin, place):
    assert flagged(f"Solid oak tray. {origin} {place} | Brand: Vantora") == []


FLEET = ["Thunderbird 1", "Thunderbird 2", "Thunderbird S", "Thunderbird IV"]


@pytest.mark.parametrize("member", FLEET)
@pytest.mark.parametrize("wording", ["Thunderbirds Are Go {m} action vehicle",
                                     "he is in full {m} uniform, like all the Thunderbirds crew",
                                     "Control to {m}. The Thunderbirds are go"])
def test_a_numbered_member_of_a_team_named_in_the_plural_is_not_brand_use(member, wording):
    assert flagged(wording.format(m=member)) == []


@pytest.mark.parametrize("text", ["Samsung 4 pack of cables", "a Tamiya 1 kit for Tamiya fans",
                                  "Thunderbird 2 toy car by the makers of Thunderbird"])
def test_a_designation_without_the_plural_is_still_brand_use(text):
    assert flagged(text) != []


@pytest.mark.parametrize("field", [FieldKind.BULLET, FieldKind.DESCRIPTION], ids=lambda k: k.value)
@pytest.mark.parametrize("role", ["Clone trooper", "the wizard", "the villain", "our mascot", "the knight"])
@pytest.mark.parametrize("name", ["Tamiya", "Roblox"])
def test_a_story_role_before_a_name_makes_a_character(role, name, field):
    assert flagged(f"Meet {role} {name}, who leads the squad", field=field) == []


@pytest.mark.parametrize("field", PROSE, ids=lambda k: k.value)
@pytest.mark.parametrize("text", ["inspired by the My Little Pony: Friendship is Magic television series",
                                  "as seen in the Magic TV show", "from the Magic tv programme on Fridays"])
def test_a_product_noun_that_opens_a_show_title_is_not_evidence(text, field):
    assert flagged(text, field=field) == []


def test_a_product_noun_alone_is_still_evidence():
    assert flagged("my Yeti tumbler and my Magic television") == ["Yeti", "Magic"]


@pytest.mark.parametrize("name", ["Nano", "Mega", "Micro"])
def test_size_words_are_everyday_words(name):
    assert brand_words.is_ambiguous_name(name, "en")


@pytest.mark.parametrize("field", PROSE, ids=lambda k: k.value)
@pytest.mark.parametrize("text", ["Iron Spider with Nano Gauntlet", "iron spider with Nano gauntlet",
                                  "Metal Model Kit Metallic Nano Puzzle", "Mini Drone Nano Hexacopter Toy",
                                  "HIGH QUALITY MEGA MORPH KIDS COSTUME", "Micro Puzzle Educational Toy"])
def test_a_size_word_in_a_product_name_is_not_brand_use(text, field):
    assert flagged(text, field=field) == []


@pytest.mark.parametrize("text", ["a gauntlet made by Nano", "Nano® gauntlet", "a quality Nano brand drone"])
def test_a_size_word_with_evidence_is_still_brand_use(text):
    assert flagged(text) != []


@pytest.mark.parametrize("text", ["COLORFORMS STICK LIKE MAGIC! No glue", "IT WORKS LIKE MAGIC",
                                  "Track section for use with GO!!! and Digital 143", "READY, SET, GO! Race on"])
def test_a_shouted_everyday_word_is_the_word(text):
    assert flagged(text) == []


@pytest.mark.parametrize("text", ["KEEPS ICE LONGER THAN YETI!", "Better than YETI!", "BETTER THAN APPLE!"])
def test_a_shouted_comparison_is_still_an_error(text):
    assert [f.severity for f in findings(text)] == [Severity.ERROR]


def _listing_findings(title: str, bullet: str, competitors=COMPETITORS) -> list[str]:
    from listing_lint.model import Field, Listing

    text = f"{title}\n{bullet}"
    listing = Listing(fields=(Field(FieldKind.TITLE, title, 0), Field(FieldKind.BULLET, bullet, len(title) + 1)),
                      text=text)
    return [text[f.start:f.end] for f in ruleset_for(Config(competitors=competitors)).lint(listing)
            if f.rule == "competitor-brand"]


@pytest.mark.parametrize(("name", "title", "bullet"), [
    ("Hevy", "Clone Wars Hevy in Training Armour Figure", "Clone trooper Hevy is part of Domino Squad."),
    ("Conan", "Conan Adventures Core Book", "Play Conan the Barbarian in an age undreamed of."),
    ("Thunderbird", "Thunderbird S Stealth Vehicle", "Fly with the Thunderbirds: Thunderbird 2 carries the pods."),
])
def test_a_name_the_listing_uses_for_a_character_is_that_character_everywhere_in_it(name, title, bullet):
    assert _listing_findings(title, bullet, COMPETITORS + (name,)) == []


def test_a_comparison_with_the_name_is_still_reported_beside_its_other_sense():
    found = _listing_findings("Insulated Tumbler 30 oz, keeps ice longer than Stanley",
                              "Great for fans watching the Stanley Cup final.")
    assert found == ["Stanley"]


@pytest.mark.parametrize("text", ["Official Rainbow Loom Brand rubber bands", "Official Rainbow Loom Brand Bands"])
def test_brand_after_a_longer_name_names_that_name(text):
    assert _listing_findings(text, "600 bands.", ("Loom",)) == []


def test_brand_after_the_name_alone_is_evidence():
    assert _listing_findings("Rubber bands, Loom brand, 600 count", "600 bands.", ("Loom",)) == ["Loom"]


def test_a_lower_case_name_in_capitals_is_the_initialism():
    assert _listing_findings("Photo print", "Long lasting fade-resistant UV inks.", ("uv",)) == []
    assert _listing_findings("Photo print", "Printed with uv® inks.", ("uv",)) == ["uv"]


@pytest.mark.parametrize("text", ["NFC-enabled device required (sold separately).", "Works with any NFC-capable phone."])
def test_an_initialism_before_a_capability_is_the_technology(text):
    assert _listing_findings("Race track set", text, ("NFC",)) == []


def test_a_name_before_a_capability_in_its_own_casing_is_still_reported():
    assert _listing_findings("Race track set", "Alexa-enabled speaker", ("Alexa",)) == ["Alexa"]


@pytest.mark.parametrize("text", [
    "Includes a palette knife and a Gatling gun", "Phillips screwdriver set, 6 pieces", "Diesel engine model kit",
    "Mason jars with lids, 12 pack", "Tesla coil science kit", "Cast-iron Dutch oven with lid",
])
def test_a_thing_named_after_someone_is_not_the_brand(text):
    """"Gatling gun", "Phillips screwdriver": the name and its noun are a generic thing, whoever sells it."""
    found = [f for f in ruleset_for(Config(competitors=("Gatling", "Phillips", "Diesel", "Mason", "Tesla", "Dutch")))
             .lint(single_field_listing(text, FieldKind.BULLET)) if f.rule == "competitor-brand"]
    assert found == []


@pytest.mark.parametrize("text", ["Phillips Sonicare replacement heads", "Lasts longer than Phillips shavers"])
def test_the_same_name_before_another_noun_is_still_the_brand(text):
    found = [f for f in ruleset_for(Config(competitors=("Phillips",))).lint(single_field_listing(text, FieldKind.BULLET))
             if f.rule == "competitor-brand"]
    assert found != []


@pytest.mark.parametrize("text", ["Little Live Pets Flutter Wings Starter Pack Frozen Iceland",
                                  "Perfect for hiking in Patagonia and the Alps."])
def test_a_competitor_named_after_a_place_is_the_place_without_evidence_of_the_brand(text):
    found = [f for f in ruleset_for(Config(competitors=("Iceland", "Patagonia"))).lint(
        single_field_listing(text, FieldKind.BULLET)) if f.rule == "competitor-brand"]
    assert found == []


@pytest.mark.parametrize("text", ["Warmer than Patagonia jackets", "Soft shell jacket, like the Patagonia Nano Puff",
                                  "Our parka vs. Patagonia: twice as warm"])
def test_a_place_named_competitor_with_evidence_is_still_reported(text):
    found = [f for f in ruleset_for(Config(competitors=("Patagonia",))).lint(
        single_field_listing(text, FieldKind.BULLET)) if f.rule == "competitor-brand"]
    assert found != []


def test_a_longer_name_with_a_place_in_it_is_not_ambiguous():
    assert not brand_words.is_ambiguous_name("Air Canada", "en")
    assert brand_words.is_ambiguous_name("Iceland", "en")
