"""Contact and address detectors (POL001, POL002, POL003, POL009) on classes of wording, not on single strings.

Phone numbers come from libphonenumber's own example numbers for each marketplace's region, written in the
national and the international format; disguised addresses are built from every word for "at" and "dot"
and every bracket; spoofs from templates crossed with look-alike characters and obfuscations.
"""

from __future__ import annotations

import json

import random
import re

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from listing_lint import Config, FieldKind
from listing_lint.engine.detectors.confusables import generate, skeleton, table
from listing_lint.engine.detectors.domains import is_amazon_own, registrable
from listing_lint.engine.detectors.email import find_emails
from listing_lint.engine.detectors.phone import MIN_UNCUED_NSN, _digits_of, find_phones, region_for
from listing_lint.engine.detectors.url import find_urls
from listing_lint.engine.lint import ruleset_for, single_field_listing

MARKETPLACES = {
    "US": "amazon.com", "GB": "amazon.co.uk", "DE": "amazon.de", "FR": "amazon.fr", "ES": "amazon.es",
    "IT": "amazon.it", "JP": "amazon.co.jp", "CN": "amazon.cn", "CA": "amazon.ca", "BR": "amazon.com.br",
    "NL": "amazon.nl", "MX": "amazon.com.mx", "IN": "amazon.in", "AU": "amazon.com.au", "SE": "amazon.se",
    "PL": "amazon.pl", "TR": "amazon.com.tr", "AE": "amazon.ae", "SG": "amazon.sg",
}
NUMBER_TYPES = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)


def _numbers(region: str) -> list[phonenumbers.PhoneNumber]:
    found = [phonenumbers.example_number_for_type(region, t) for t in NUMBER_TYPES]
    return [n for n in found if n is not None]


def _lint(text: str, rule: str, marketplace: str | None = None, kind: FieldKind = FieldKind.DESCRIPTION):
    listing = single_field_listing(text, kind)
    if marketplace:
        listing = listing._replace(marketplace=marketplace)
    return [text[f.start:f.end] for f in ruleset_for(Config(select=(rule,))).lint(listing) if f.code == rule]


def _found(text: str, region: str) -> list[str]:
    return [text[s:e] for s, e in find_phones(text, region)]


# --- phone numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("region", sorted(MARKETPLACES))
def test_marketplace_region(region):
    assert region_for(MARKETPLACES[region]) == region
    assert region_for("https://www." + MARKETPLACES[region].upper() + "/") == region
    assert region_for(region.lower()) == region


def test_marketplace_ids_and_unknown_marketplaces():
    assert region_for("A1F83G8C2ARO7P") == "GB" and region_for("A1VC38T7YXB528") == "JP"
    assert region_for("ebay.com") == "US" and region_for("shop.example") == "US" and region_for(None) == "US"


@pytest.mark.parametrize("region", sorted(MARKETPLACES))
def test_national_format_without_a_label_in_its_own_marketplace(region):
    for number in _numbers(region):
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        text = f"Questions about assembly? {written} (weekdays)."
        # Without a label, only numbers of eight national digits or more are reported ("08-12 34 56" in
        # Stockholm is as short as a catalogue number); with a label every length is (the tests below).
        expected = [written] if len(phonenumbers.national_significant_number(number)) >= MIN_UNCUED_NSN else []
        assert _lint(text, "POL003", MARKETPLACES[region]) == expected, (region, written)


@pytest.mark.parametrize("region", ["GB", "DE", "US", "FR"])
def test_several_numbers_after_one_label(region):
    first, second = (phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL) for n in _numbers(region))
    for joiner in (", ", " or ", " / "):
        assert _found(f"Call {first}{joiner}{second}", region) == [first, second]


@pytest.mark.parametrize("written", ["138 0013 8000", "138-0013-8000", "138.0013.8000"])
@pytest.mark.parametrize("label", ["售后电话：", "客服电话 ", "Call "])
def test_a_digit_group_starting_00_inside_a_number_is_not_the_international_prefix(label, written):
    assert _found(f"{label}{written}（工作日9:00-18:00）", "CN") == [written]


def test_00_before_a_country_code_is_still_the_international_prefix():
    assert _found("Tel. 0049 30 12345678", "DE") == ["0049 30 12345678"]
    assert _found("Call 0044 20 7946 0958 today", "US") == ["0044 20 7946 0958"]


def test_numbers_in_a_list_of_part_numbers_are_not_phone_numbers():
    for region in ("IN", "GB", "DE"):
        assert _found("Works with sets #70014, 70016 70017 and 70018", region) == []


@pytest.mark.parametrize("marketplace", ["amazon.com", "amazon.de", "amazon.co.jp"])
@pytest.mark.parametrize("region", sorted(MARKETPLACES))
def test_international_format_in_any_marketplace(region, marketplace):
    for number in _numbers(region):
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        assert _found(f"Support line {written} for spare parts", region_for(marketplace)) == [written]
        # "00" is the international prefix of most of the world, also where the marketplace's own is not.
        dialled = "00 " + written[1:]
        assert _found(f"Support line {dialled} for spare parts", region_for(marketplace)) == [dialled]


LABELS = ["Tel", "Tel.", "TEL", "Tél.", "Telefon", "Teléfono", "Telefono", "Phone", "Call", "Call us on",
          "WhatsApp", "Mobile", "Hotline", "Fax", "電話", "电话", "客服电话", "お問い合わせ", "☎"]


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("region", ["US", "GB", "DE", "FR", "IT", "JP", "CN", "BR"])
def test_every_label_with_every_national_format(label, region):
    for number in _numbers(region):
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        digits = phonenumbers.normalize_digits_only(national)
        for written in (national, digits):
            for sep in (" ", ": ", "：", " - ", "\t"):
                text = f"{label}{sep}{written}"
                assert _found(text, region) == [written], text


@pytest.mark.parametrize("label", ["TEL", "Tel:", "電話", "Phone", "WhatsApp"])
@pytest.mark.parametrize("region", ["JP", "CN", "DE", "GB", "IT", "FR"])
def test_a_labelled_number_of_another_region_on_amazon_com(label, region):
    # Sellers paste their home office's number into a US listing; the label vouches for it.
    for number in _numbers(region):
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        assert _lint(f"{label} {written}", "POL003", "amazon.com") == [written]


@pytest.mark.parametrize(("cue", "region", "marketplace"), [
    ("Ruf uns an:", "DE", "amazon.com"), ("Rufen Sie uns an unter", "DE", "amazon.com"),
    ("Appelez le", "FR", "amazon.com"), ("Appelez-nous au", "FR", "amazon.com"), ("Llámanos al", "ES", "amazon.com"),
    ("Chiamaci al", "IT", "amazon.com"), ("Bel ons op", "NL", "amazon.com"), ("Ligue para", "BR", "amazon.com.br"),
])
def test_a_spoken_call_cue_in_each_language(cue, region, marketplace):
    """"Call us" in the copy's own words vouches for a number, of that country in a US listing too."""
    for number in _numbers(region):
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        assert _lint(f"{cue} {written}", "POL003", marketplace) == [written], f"{cue} {written}"


@pytest.mark.parametrize("after", [" call or text", " (call or WhatsApp)", " - toll-free", " 电话"])
@pytest.mark.parametrize("region", ["US", "GB", "DE", "JP"])
def test_a_label_after_the_number(after, region):
    for number in _numbers(region):
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        assert _found(f"{written}{after}", region) == [written]


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("（", "）"), ("[", "]"), ("［", "］")])
@pytest.mark.parametrize("region, marketplace", [("US", None), ("GB", "amazon.co.uk"), ("JP", "amazon.co.jp")])
def test_a_number_in_brackets_is_flagged_without_them(opener, closer, region, marketplace):
    """libphonenumber reads an opening bracket into a number; a finding showing "(" without its ")" shows half a
    pair. A bracket holding only the area code is the number's own."""
    for number in _numbers(region):
        written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        if written.startswith("("):
            continue
        assert _lint(f"Tel {opener}{written}{closer} weekdays.", "POL003", marketplace) == [written], written
    area = "Call (212) 555-0123 today."
    assert _lint(area, "POL003") == ["(212) 555-0123"]


def _ean13(rng: random.Random) -> str:
    body = [rng.randrange(10) for _ in range(12)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return "".join(map(str, body + [check]))


NOT_PHONES = [
    "UPC {upc} and EAN {ean}", "ISBN 978-{a}-{b}-{c}-{d}", "Model {a3}-{b3}-{c4} replacement filter",
    "Part No. {a3}-{b3}-{c4}", "SKU: {ean}", "Item #{a3} {b3} {c4}", "Size 120 x 60 x 45 cm",
    "Manufactured 2019-05-01, batch 2019-05-02", "rated for 50,000 hours", "800 / 1200 / 1600 / 3200 DPI",
    "3000-4000 mAh, 1500-2000 W", "candle numbers 1-2-3-4-5-6-7-8-9-0", "{ean}", "{upc}",
    "Dimensions: 12.5 x 30.2 x 45.7 inches", "Pack of 1, 2, 3, 4, 5, 6, 7 or 8",
]


@pytest.mark.parametrize("region", sorted(MARKETPLACES))
def test_product_codes_sizes_and_dates_are_not_phone_numbers(region):
    rng = random.Random(region)
    for template in NOT_PHONES:
        for _ in range(5):
            ean = _ean13(rng)
            text = template.format(
                upc=ean[1:], ean=ean, a=rng.randrange(10), b=rng.randrange(10, 99), c=rng.randrange(100000, 999999),
                d=rng.randrange(10), a3=rng.randrange(100, 999), b3=rng.randrange(100, 999),
                c4=rng.randrange(1000, 9999))
            assert _found(text, region) == [], (region, text)


# --- email addresses ---------------------------------------------------------------------------------

AT_FORMS = ["(at)", "[at]", "{at}", "<at>", "(ät)", "[AT]", "(arroba)", "(chiocciola)", "(arobase)", "(@)", "アット"]
DOT_FORMS = ["(dot)", "[dot]", "(punkt)", "(punto)", "(point)", "[.]", "(.)", "{dot}", "点", "ドット"]


@pytest.mark.parametrize("at", AT_FORMS)
@pytest.mark.parametrize("dot", DOT_FORMS)
def test_disguised_email_with_every_word_for_at_and_dot(at, dot):
    for spacing in (" ", ""):
        address = f"info{spacing}{at}{spacing}vantora{spacing}{dot}{spacing}de"
        text = f"Fragen? {address} antwortet."
        assert [text[s:e] for s, e in find_emails(text)] == [address], text


@pytest.mark.parametrize("provider, written", [
    ("gmail", "(gee) mail"), ("gmail", "g mail"), ("hotmail", "hot mail"), ("outlook", "out look"),
    ("gmail", "[gee]mail"), ("yahoo", "y a h o o"),
])
@pytest.mark.parametrize("at, dot", [(" at ", " dot "), (" (at) ", " (dot) "), (" [at] ", " [.] ")])
def test_spelled_out_providers(provider, written, at, dot):
    address = f"jo.smith{at}{written}{dot}com"
    text = f"Write to {address} for a refund"
    assert [text[s:e] for s, e in find_emails(text)] == [address], text


@pytest.mark.parametrize("mailbox", ["info", "support", "jo.smith", "kontakt", "ventas"])
@pytest.mark.parametrize("at, dot", [(" at ", " dot "), (" AT ", " DOT "), (" at ", " punto "), (" arroba ", " punto "),
                                     (" @ ", " . "), (" at ", " . "), (" chiocciola ", " punto ")])
def test_spelled_at_and_dot(mailbox, at, dot):
    for tld in ("com", "it", "de", "co" + dot + "uk"):
        address = f"{mailbox}{at}vantora{dot}{tld}"
        text = f"Scrivi a {address} per assistenza"
        assert [text[s:e] for s, e in find_emails(text)] == [address], text


@pytest.mark.parametrize("lead", ["More info", "For details", "Find out more", "Get more information", "See us"])
def test_prose_before_a_spelled_at_makes_it_a_web_address(lead):
    text = f"{lead} at vantora dot com today"
    assert list(find_emails(text)) == []
    assert [text[s:e] for s, e, _ in find_urls(text)] == ["vantora dot com"]


@pytest.mark.parametrize("address", [
    "info★vantora.co.jp", "info☆vantora.jp", "infoアットvantora.jp", "name(a)vantora.de", "name [a] vantora.nl",
    "ventas arroba vantora.es", "info chiocciola vantora.it", "contact arobase vantora.fr", "info ät vantora.de",
])
def test_at_stand_ins_with_a_plain_dot(address):
    for field in (FieldKind.DESCRIPTION, FieldKind.INSERT_CARD):
        assert _lint(f"お問い合わせ・Kontakt: {address}", "POL002", kind=field) == [address]


def test_spaced_letters_and_spaced_at():
    for text, address in [("Mail: s u p p o r t @ v a n t o r a . c o m now", "s u p p o r t @ v a n t o r a . c o m"),
                          ("Mail: support @ vantora.com now", "support @ vantora.com"),
                          ("x (dot) y (at) g m a i l (dot) com", "x (dot) y (at) g m a i l (dot) com")]:
        assert [text[s:e] for s, e in find_emails(text)] == [address]


@pytest.mark.parametrize("text", [
    "Made at our factory in Ohio. Ships from Amazon.", "Find us at vantora dot com",
    "Sold at vantora.com and in stores", "Look at the polka dot pattern", "Available at 5 p.m. daily",
    "Visit us at the store", "It is the point at which the handle bends", "El punto es que funciona",
    "Alles auf den Punkt gebracht", "@vantora on social media", "Rated 4.5 @ 20 dollars",
    "I love it . it works . de facto great", "Great product . Com fortable too", "Sold at 5 . 99 dollars",
])
def test_prose_with_at_and_dot_is_not_an_email(text):
    assert list(find_emails(text)) == []


# --- web addresses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("dot", ["[.]", "(.)", "(dot)", "[dot]", " dot ", "点", " (punkt) "])
@pytest.mark.parametrize("tld", ["com", "shop", "co.uk", "de"])
def test_disguised_hosts(dot, tld):
    host = "vantora" + dot + tld.replace(".", dot)
    text = f"Order refills from {host} today"
    assert [(text[s:e], k) for s, e, k in find_urls(text)] == [(host, "obfuscated")], text


@pytest.mark.parametrize("text", [
    "Works with Vue.js and Node.js", "Fits the 2.5mm jack", "e.g. the small one", "Made in the U.S.A.",
    "Sturdy frame.Great for kids", "Ships from co.uk", "Version 1.2.3 firmware", "Sold on Amazon.com",
    "Find it on amazon.de, amazon.co.jp and amazon.com.br", "similar to business.amazon.co.jp.",
    "I love it . it works", "Great product . Com fortable", "Rated 5 . It works", "el punto de venta",
    "El punto es que funciona", "au point de vue pratique",
])
def test_not_web_addresses(text):
    assert list(find_urls(text)) == []


def test_host_that_runs_into_other_text_ends_at_its_public_suffix():
    text = "Amazon.co.jp-Amazonポイント and vantora.co.uk-Shop, or vantora.com™ and vantora.de®"
    assert [text[s:e] for s, e, _ in find_urls(text)] == ["vantora.co.uk", "vantora.com", "vantora.de"]


# --- spoofed Amazon addresses ------------------------------------------------------------------------

OWN_SUFFIXES = ["com", "co.uk", "de", "fr", "es", "it", "co.jp", "cn", "ca", "com.br", "nl", "com.mx", "in",
                "com.au", "se", "pl", "sg", "ae", "sa", "com.tr", "eu", "com.be", "ie", "eg"]


@pytest.mark.parametrize("suffix", OWN_SUFFIXES)
def test_amazons_own_hosts_are_never_spoofs(suffix):
    for sub in ("", "www.", "pay.", "sell.", "business.", "Sell.", ""):
        host = f"{sub}amazon.{suffix}"
        assert is_amazon_own(host)
        for text in (f"https://{host}/help/201754760", f"See {host} for details", f"Mail seller@{host}",
                     f"{host.capitalize()}-Amazonポイント"):
            assert _lint(text, "POL009") == [], text


SPOOF_HOSTS = ["amazon-billing-update.com", "signin-amazon.co.uk", "amazon.evil.com", "amazon.com.biz",
               "amazonxx.shop", "payments-amazon.net", "amazon.us.com", "amazon-support.help", "amzn-refund.top"]
LOOKALIKES = [("a", "а"), ("o", "о"), ("o", "0"), ("m", "rn"), ("a", "ａ"), ("a", "𝐚"), ("n", "ո")]


@pytest.mark.parametrize("host", SPOOF_HOSTS)
def test_spoofs_plain_disguised_and_with_lookalikes(host):
    variants = {host, host.replace(".", "[.]"), host.replace(".", " (dot) ")}
    label, rest = host.split(".", 1)
    for plain, fake in LOOKALIKES:
        variants.add(label.replace(plain, fake, 1) + "." + rest)
    for written in variants:
        for text in (f"Verify your order at {written} now", f"Pay at https://{written}/verify",
                     f"Questions: help@{written}"):
            found = _lint(text, "POL009")
            assert len(found) == 1 and written in found[0], (text, found)


@pytest.mark.parametrize("text", [
    "Tours of the rainforest: amazonas-tours.com", "Jewellery in amazonite: amazonite-gems.shop",
    "Sold by Amazon.com Services LLC", "Images: https://m.media-amazon.com/images/I/x.jpg",
    "Cloud backup on aws.amazon.com and s3.amazonaws.com", "Careers at amazon.jobs", "Short link amzn.to/3xYz",
])
def test_words_and_hosts_that_are_not_spoofs(text):
    assert _lint(text, "POL009") == []


@pytest.mark.parametrize("text, spoof", [
    ("Verify at amazon.com-account.info/login", "amazon.com-account.info/login"),
    ("Log in: http://amazon.co.uk.security-check.com", "http://amazon.co.uk.security-check.com"),
    ("Reset at https://amazon.com@evil.example/reset", "https://amazon.com@evil.example/reset"),
    ("Mail amazon.security@outlook.com today", "amazon.security@outlook.com"),
    ("h t t p s : / / amaz0n-login . xyz", "h t t p s : / / amaz0n-login . xyz"),
])
def test_classic_phishing_shapes(text, spoof):
    assert _lint(text, "POL009") == [spoof]


def test_amazon_name_in_a_free_mailbox_is_a_spoof_but_not_on_a_sellers_domain():
    assert _lint("Write to amazon-security@hotmail.com", "POL009") == ["amazon-security@hotmail.com"]
    assert _lint("Write to аmazon.support@gmail.com", "POL009") == ["аmazon.support@gmail.com"]
    assert _lint("Email amazonsupport@redcatracing.com for parts", "POL009") == []


def test_registrable_domain_comes_from_the_public_suffix_list():
    assert registrable("pay.amazon.eu") == "amazon.eu"
    assert registrable("a.b.amazon.com.br") == "amazon.com.br"
    assert registrable("amazon.com.biz") == "com.biz"
    assert registrable("co.uk") is None


def _nothing_filed() -> None:
    """Forget the public suffix rules this process filed."""
    from listing_lint.engine.detectors import domains

    for cached in (domains._rules_by_tld, domains.top_levels, domains._psl, domains.public_suffix):
        cached.cache_clear()


@pytest.mark.parametrize("made", ["without a cache folder", "to keep", "read back as kept"])
def test_public_suffix_read_per_top_level_domain_equals_the_whole_list(monkeypatch, nothing_kept, made):
    """The detector parses only the rules under a host's top-level domain; the library reading the whole ICANN
    section must give every host the same suffix (wildcards, exceptions and IDN entries included), with the
    rules filed afresh, filed to keep, or read back from a cache folder."""
    from publicsuffixlist import PSLFILE, PublicSuffixList

    from listing_lint.engine import spec
    from listing_lint.engine.detectors import domains
    from listing_lint.engine.detectors.domains import public_suffix

    _nothing_filed()
    if made != "without a cache folder":
        spec.keep_parsed(dict)
    if made == "read back as kept":
        domains.top_levels()
        kept = spec.parsed_to_keep()
        assert len(kept) == 1
        nothing_kept(kept)
        _nothing_filed()
        monkeypatch.setattr(domains, "_filed", None)  # nothing may be filed again

    text = open(PSLFILE, encoding="utf-8").read()
    section = text[text.find("// ===BEGIN ICANN DOMAINS==="):text.find("// ===END ICANN DOMAINS===")]
    rules = [line for line in section.splitlines() if line and not line.startswith("//")]
    assert len(rules) > 5000
    whole = PublicSuffixList(rules, accept_unknown=False, accept_encoded_idn=False)
    hosts = {"amazon.co.uk", "x.blogspot.com", "amazon.us.com", "shop.ck", "www.ck", "a.www.ck", "foo.invalid",
             "city.kawasaki.jp", "x.city.kawasaki.jp", "a.kawasaki.jp", "例子.中国", "com"}
    for rule in rules:
        name = rule.lstrip("!*.")
        hosts.update((name, f"shop.{name}", f"a.b.{name}", f"www.{name}"))
    assert [h for h in sorted(hosts) if public_suffix(h) != whole.publicsuffix(h)] == []
    assert domains.top_levels() == {rule.rsplit(".", 1)[-1] for rule in rules}


def test_damaged_kept_public_suffix_rules_are_filed_again(nothing_kept):
    from listing_lint.engine import spec
    from listing_lint.engine.detectors import domains

    _nothing_filed()
    spec.keep_parsed(dict)
    expected = domains.top_levels()
    (key, text), = spec.parsed_to_keep().items()
    rules = json.loads(text)["by-tld"]
    for damaged in ({"by-tld": {**rules, "com": "com"}}, {"by-tld": {**rules, "com": [1]}}, {"by-tld": []}, [1], {}):
        nothing_kept({key: json.dumps(damaged)})
        _nothing_filed()
        assert domains.top_levels() == expected and "com" in expected
        assert domains.public_suffix("shop.example.co.uk") == "co.uk"


def test_skeleton_keeps_offsets_and_matches_unicode_confusables():
    text = "аmаzоn ＡＭＡＺＯＮ 𝐚𝐦𝐚𝐳𝐨𝐧 ⓐⓜⓐⓩⓞⓝ"
    assert skeleton(text) == "amazon amazon amazon amazon"
    shipped = table()
    regenerated = {int(line.split()[0], 16): ord(line.split()[1]) for line in generate() if not line.startswith("#")}
    # The shipped file is what the generator makes from the installed confusables data (no drift, no edits).
    assert {k: v for k, v in shipped.items() if k in regenerated} == {k: regenerated[k] for k in shipped if k in regenerated}
    assert set(regenerated) <= set(shipped)


# --- half-spelled disguises ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "address"), [
    ("Recipes and care videos live on our site: www. brewhaus .co/videos", "www. brewhaus .co/videos"),
    ("More at www. maisonlune.fr", "www. maisonlune.fr"),
    ("Tutorials: brewhaus .com/videos", "brewhaus .com/videos"),
])
def test_a_dot_spaced_on_one_side_after_www_or_before_a_tld(text, address):
    assert _lint(text, "POL001") == [address]


@pytest.mark.parametrize("text", [
    "Mise au point de la machine en 5 minutes.", "The end . Com on, try it.", "Sizes: S .5 M",
    "Great for camping. Com fortable grip.", "Un point de vente agréé.",
])
def test_prose_with_a_stray_dot_or_point_is_no_address(text):
    assert _lint(text, "POL001") == [] and _lint(text, "POL002") == []


@pytest.mark.parametrize("at", [" arobase ", " at ", " (at) "])
def test_point_spelled_before_a_tld_is_a_dot(at):
    text = f"Écrivez-nous à contact{at}maisonlune point fr"
    assert _lint(text, "POL002", "amazon.fr") == [f"contact{at}maisonlune point fr"]


@pytest.mark.parametrize(("text", "finding"), [
    ("邮箱：kefu#jiayuan.cn（请把#换成@）", "kefu#jiayuan.cn（请把#换成@）"),
    ("批发合作请发邮件至：sales#jiajuhome.cn（#换成@）", "sales#jiajuhome.cn（#换成@）"),
    ("Email: info#shop.com (replace # with @)", "info#shop.com (replace # with @)"),
    ("Write to support*brand.com (* = @) for help.", "support*brand.com (* = @)"),
    ("Mail: service$shop.de (ersetzen Sie $ durch @)", "service$shop.de (ersetzen Sie $ durch @)"),
])
def test_a_stand_in_for_at_that_the_copy_explains_is_read_as_at(text, finding):
    assert _lint(text, "POL002") == [finding]


@pytest.mark.parametrize("text", ["型号#A12，颜色#B3", "Size #10, pack*2, 100% cotton", "Use code A#B at checkout"])
def test_a_hash_or_star_without_such_a_note_is_no_at(text):
    assert _lint(text, "POL002") == []


@pytest.mark.parametrize("app", ["Instagram", "IG", "TikTok", "Facebook", "X"])
def test_an_app_name_before_a_spaced_handle_is_no_mailbox(app):
    text = f"Follow us on {app} @vantora.kitchen for recipes"
    assert _lint(text, "POL002") == []


def test_a_mailbox_before_a_spaced_at_is_still_an_address():
    assert _lint("Mail info @vantora.com today", "POL002") == ["info @vantora.com"]


@pytest.mark.parametrize(("text", "region", "number"), [
    ("Schreiben Sie uns per WhatsApp:\n+49 151\n2345 6789", "DE", "+49 151\n2345 6789"),
    ("Tel +44 20\n7946 0958", "GB", "+44 20\n7946 0958"),
])
def test_an_international_number_broken_over_two_lines_is_one_number(text, region, number):
    assert _found(text, region) == [number]


@pytest.mark.parametrize(("text", "region", "number"), [
    pytest.param("Assistenza rapida su WhatsApp 📱 347 🔹 123 🔹 4567", "IT", "347 🔹 123 🔹 4567",
                 id="emoji-between-groups"),
    pytest.param("Call 555 ✨ 010 ✨ 4477 for help.", "US", "555 ✨ 010 ✨ 4477", id="sparkles-between-groups"),
    pytest.param("Any questions? Ring us on O7700 9OO 461 today", "GB", "O7700 9OO 461", id="letter-o-for-zero"),
    pytest.param("Erreichbar per Natel: null sieben neun, vier vier drei, zwölf, achtundsechzig.", "CH",
                 "null sieben neun, vier vier drei, zwölf, achtundsechzig", id="german-words-unit-first"),
    pytest.param("Textez-nous sur notre cellulaire : 514 – 8 0 2 – 3 3 1 7, merci", "CA",
                 "514 – 8 0 2 – 3 3 1 7", id="quebec-cue-spaced-digits"),
    pytest.param("Ruf uns einfach an: 0157 23 44 910", "DE", "0157 23 44 910", id="filler-after-the-cue"),
    pytest.param("Fragen? Ruf uns einfach an: null-eins-fünf-sieben 23 44 neun-eins-null", "DE",
                 "null-eins-fünf-sieben 23 44 neun-eins-null", id="filler-then-hyphenated-words"),
    pytest.param("Just call us on 0157 23 44 910", "DE", "0157 23 44 910", id="just-call-us"),
])
def test_a_number_still_reads_as_a_phone_through_its_disguise(text, region, number):
    assert _found(text, region) == [number]


@pytest.mark.parametrize("text", ["Model 2O2O edition, 5OOml bottle", "Size 1O x 2O cm, 16OZ cup, ZOO 1234"])
def test_a_letter_o_in_sizes_and_codes_makes_no_phone_number(text):
    assert _found(text, "US") == []


@pytest.mark.parametrize(("word", "digits"), [("achtundsechzig", "68"), ("einundzwanzig", "21"), ("zwölf", "12")])
def test_a_german_number_word_says_its_unit_first(word, digits):
    assert _digits_of(word) == digits


def test_emoji_between_unrelated_numbers_join_no_phone_number():
    assert _found("Size 42 ❤️ 1234 ❤️ 567, rated 4.8 ⭐ by 12,000 buyers", "US") == []


def test_numbers_on_separate_lines_without_a_country_code_stay_apart():
    assert _found("Sizes:\n42\n1234567", "US") == []


def test_an_address_broken_over_lines_around_its_at_is_one_address():
    text = "Email us at\nsupport\n@\nlumex-home.com for a free replacement"
    assert _lint(text, "POL002") == ["support\n@\nlumex-home.com"]


@pytest.mark.parametrize("text", [
    "Follow us @vantora.kitchen for recipes", "Thanks!\n@vantora.kitchen on Instagram",
    "Folge uns auf Instagram und Pinterest unter @lumora.living", "über unseren Instagram-Kanal @kuechenliebe.de",
    "Suivez-nous sur @vantora.fr", "Seguici su @vantora.it", "Síguenos en @vantora.es",
])
def test_a_handle_after_a_pronoun_or_a_sentence_end_is_no_mailbox(text):
    assert _lint(text, "POL002") == []


@pytest.mark.parametrize(("text", "region"), [
    ("Codice articolo 333 456 7890, peso 2 kg", "IT"), ("Referencia 600 123 456", "ES"),
    ("Référence 06 12 34 56 78", "FR"),
])
def test_a_number_labelled_as_an_article_code_is_no_phone_number(text, region):
    assert _found(text, region) == []


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(list("ab.Z_9 -éрΩ™ⓐ(") + [".co", "x.", "..", "é.com", ".рф", ".It", ".Com", ".this",
                                                         "xn--p1ai", "shop", ".de-", ".io™", "５", "．ｃｏｍ"]),
                max_size=30).map("".join))
def test_every_host_written_plainly_has_a_dot_the_url_gate_finds(text):
    from listing_lint.engine.detectors.hosts import hosts_in
    from listing_lint.engine.detectors.text_forms import ascii_fold
    from listing_lint.engine.detectors.url import host_dots

    if any(not host.disguised for host in hosts_in(text)):
        assert host_dots(ascii_fold(text))


# Pieces of addresses in every disguise the URL detector reads, and of the prose around them that looks alike:
# labels after a dot that are and are not top-level domains, letters a disguise adds after a dot, words for "dot"
# inside words, between blanks and between brackets, full-width forms.
_URL_PIECES = st.sampled_from(
    list("ab.Z_9 -é()[]<>@™\t") + ["shop", ".co", ".It", ".Com", ".this", ".c(o)m", ".c o m", "c o m", "(o)",
                                  ".xn--p1ai", ".рф", ".io™", ".de-", " dot ", "(dot)", "( pkt )", "（てん）", "pkt",
                                  " point ", "point com", "polka dot", "anecdote", "appointment", "ｄｏｔ", "．ｃｏｍ",
                                  "www", " . ", " .co", "•com", "🔹it", "[.]", "小点", "https://"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_URL_PIECES, max_size=12).map("".join))
@example("@a\tb\t.io™")  # a tab before the dot: the gate asked only for a space there
def test_the_url_gate_lets_through_every_text_holding_an_address(text):
    from listing_lint.engine.detectors.url import addresses_in, gate

    if addresses_in(text):
        assert gate(text, text.lower(), None)


@pytest.mark.parametrize("text, through", [
    ("Visit shop (pkt) de for more", True), ("info at shop (pkt) de", True), ("shop（てん）com", True),
    ("Play Slither.io™ now", True), ("racing.Com today", True), ("shop.c(o)m", True), ("shop.c o m", True),
    ("an anecdote of an appointment", False), ("the selling point. Polka dots", False),
    ("behind the scenes.This set", False), ("Sd.Kfz. 251 halftrack", False),
])
def test_the_url_gate_turns_away_dots_and_dot_words_no_address_is_read_from(text, through):
    from listing_lint.engine.detectors.url import addresses_in, gate

    assert gate(text, text.lower(), None) is through
    if not through:
        assert addresses_in(text) == ()


@pytest.mark.parametrize("text, address", [
    ("More tips at <b>www.shop.com</b> every week.", "www.shop.com"),
    ("<p>www.shop.com</p>", "www.shop.com"),
    ("Ordina su <B>www.shop.it</B> oggi", "www.shop.it"),
    ("Scopri <em>www.casa-store.it</em>", "www.casa-store.it"),
])
def test_an_html_tag_before_an_address_is_markup_not_a_disguised_letter(text, address):
    from listing_lint.engine.detectors.url import addresses_in

    found = addresses_in(text)
    assert [text[a.span[0]:a.span[1]] for a in found] == [address]


def test_a_bracketed_letter_that_is_no_html_tag_still_joins_the_name():
    from listing_lint.engine.detectors.url import addresses_in

    assert [a.host for a in addresses_in("s<h>op.com and name(a)shop.de")] == ["shop.com"]


@pytest.mark.parametrize("text, number", [
    ("Call our UK team on 020 7946 0958 (Mon–Fri).", "020 7946 0958"),
    ("Service client : 01 23 45 67 89", "01 23 45 67 89"),
    ("Llámanos al 912 345 678", "912 345 678"),       # the cue with its accent
    ("Téléphone : 01 23 45 67 89", "01 23 45 67 89"),
    ("Kundendienst: 030 12345678", "030 12345678"),
    ("Klantenservice: 020 123 4567", "020 123 4567"),
    ("Atención al cliente 912 345 678", "912 345 678"),
])
def test_a_customer_service_cue_in_any_language_makes_another_regions_number_a_phone(text, number):
    # Read on amazon.com: the number is national to another marketplace, and the cue vouches for it.
    assert [text[s:e] for s, e in find_phones(text, "US")] == [number]


@pytest.mark.parametrize("text", [
    "Our UK team tested 1,000,000 cycles.",
    "Customer support for models 2019 1234 567 and later.",
    "Friendly design, 1 234 567 units sold.",
])
def test_team_words_without_a_cue_make_no_phone(text):
    assert list(find_phones(text, "US")) == []


# --- numbers dictated in pairs ----------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "digits"), [
    ("douze", "12"), ("trente-quatre", "34"), ("soixante-dix-huit", "78"), ("quatre-vingt-dix-neuf", "99"),
    ("vingt-et-un", "21"), ("treinta y cuatro", "34"), ("veintiuno", "21"), ("dieciséis", "16"),
    ("trentaquattro", "34"), ("trentotto", "38"), ("ventitré", "23"), ("sechs", "6"),
])
def test_a_number_word_from_ten_to_ninety_nine_reads_as_its_two_digits(word, digits):
    assert _digits_of(word) == digits


@pytest.mark.parametrize("word", ["vent", "trent", "veinti", "ventilation"])
def test_a_stem_alone_is_no_number(word):
    assert _digits_of(word) is None


@pytest.mark.parametrize(("text", "region"), [
    ("Il vento soffia a venti nodi, trenta gradi, quaranta per cento di umidità.", "IT"),
    ("Livraison en douze, trente ou soixante jours.", "FR"),
    ("one, two, three, four, five, six, seven little ducks", "US"),
])
def test_counts_and_durations_in_words_are_no_phone_number(text, region):
    assert list(find_phones(text, region)) == []


@pytest.mark.parametrize(("text", "number"), [
    ("Our pitmasters are on call at 1-800-GRILL-PRO, no hold music.", "1-800-GRILL-PRO"),
    ("Order at 1-800-FLOWERS today", "1-800-FLOWERS"),
    ("Call (888) GRILL-PRO", "(888) GRILL-PRO"),
])
def test_a_toll_free_number_spelled_on_the_keypad_is_a_phone_number(text, number):
    assert [text[s:e] for s, e in find_phones(text, "US")] == [number]


@pytest.mark.parametrize("text", ["Tested to 800 PSI-RATED VALVES", "USB 800-MHZ-RANGE", "Size 800 ML BOTTLE"])
def test_capitals_after_800_without_a_cue_or_country_code_are_no_phone_number(text):
    assert list(find_phones(text, "US")) == []


@pytest.mark.parametrize("text", [
    "Thanks for your order! Text us on four one five – 555 – zero one three two.",
    "Holz aus Bayern. Telefon: null-drei-null / 123 45 67",
    "Merci pour votre achat ! SAV : appelez-nous au zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit.",
    "Grazie per l'acquisto! Assistenza: chiamaci al tre tre nove, uno due tre, quattro cinque sei sette.",
    "Steel rack. For bulk order kindly revert back to us on nine eight one one two three four five six seven.",
    "one, two, three, four, five, six, seven little ducks",
    "Kettle with a 1.7 L jug. Call (555) 123-4567 for setup help.",
])
def test_a_rule_set_reads_spelled_numbers_with_its_own_literal_index(monkeypatch, text):
    """In a lint the rule set's literal pass already looks for two number words side by side: the phone detector
    asks it, finds what it finds alone, and never builds the pairs' own index."""
    from listing_lint.engine.detectors import phone

    alone = [text[s:e] for s, e in find_phones(text, "US")]
    phone._digit_word_pairs.cache_clear()
    monkeypatch.setattr(phone, "_INDEXED", phone.weakref.WeakKeyDictionary())
    assert _lint(text, "POL003", kind=FieldKind.BULLET) == alone
    assert alone or "ducks" in text
    assert phone._digit_word_pairs.cache_info().currsize == 0
