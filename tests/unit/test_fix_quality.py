"""Fixes leave copy a seller can publish (issue 10): the carrying phrase goes, never a fragment.

Two layers are tested: the edit planner (engine/edits.py) on its own, for every language's labels and
word orders, and whole documents fixed by the library's fix loop, for the shapes Fix All used to leave
("- Recipes and manuals at", "- Questions? Email or call.", "- to happy customers!", empty bullets).
The broken-copy checker (engine/wellformed.py) that the benchmark and the fix guard use is tested too.
"""

from __future__ import annotations

import json

import pytest

from listing_lint import Applicability, Config
from listing_lint.document import fix_document, lint_text
from listing_lint.engine.edits import carrier_span, plan_removal
from listing_lint.engine.wellformed import added_shapes, shapes


def carried(text: str, contact: str) -> str:
    """Return what a contact removal takes from ``text``."""
    start = text.index(contact)
    s, e = carrier_span(text, start, start + len(contact))
    return text[s:e]


def planned(text: str, match: str, prose: bool = True, contact: bool = True) -> tuple[str, object]:
    """Return ``text`` after removing ``match`` as a contact fix (or, with ``contact`` false, a claim's) plans
    it, and the applicability the planner lowered it to (None: the rule's own)."""
    start = text.index(match)
    s, e, new, lowered = plan_removal(text, start, start + len(match), contact, prose)
    return text[:s] + new + text[e:], lowered


def removed(text: str, contact: str, prose: bool = True) -> str:
    """Return ``text`` after removing ``contact`` as a contact fix plans it."""
    return planned(text, contact, prose)[0]


@pytest.mark.parametrize(("text", "contact", "expected"), [
    pytest.param("Recipes and manuals at www.x.com", "www.x.com", "at www.x.com", id="en-preposition"),
    pytest.param("Email us at help@x.com", "help@x.com", "Email us at help@x.com", id="en-verb-pronoun-prep"),
    pytest.param("Questions? Call 555-010-4477", "555-010-4477", "Call 555-010-4477", id="en-verb"),
    pytest.param("Tel: 0301234567", "0301234567", "Tel: 0301234567", id="en-label"),
    pytest.param("Phone 0301234567", "0301234567", "Phone 0301234567", id="en-label-no-colon"),
    pytest.param("UK helpline +44 20 7946 0958", "+44 20 7946 0958", "UK helpline +44 20 7946 0958",
                 id="label-with-qualifier"),
    pytest.param("Customer service email: a@x.com", "a@x.com", "Customer service email: a@x.com", id="long-label"),
    pytest.param("Ships fast, or call 555-010-4477", "555-010-4477", "or call 555-010-4477",
                 id="coordinated-clause"),
    pytest.param("Please feel free to contact us by email at a@x.com", "a@x.com", "by email at a@x.com",
                 id="verb-inside-a-clause-stays"),
    pytest.param("Contact a specialist at 555-0104 or by emailing a@x.com", "a@x.com", "or by emailing a@x.com",
                 id="means-phrase"),
    pytest.param("E-Mail: info@x.de", "info@x.de", "E-Mail: info@x.de", id="de-label"),
    pytest.param("Telefon: 030 1234567", "030 1234567", "Telefon: 030 1234567", id="de-telefon"),
    pytest.param("Rufen Sie uns unter 030 1234567 an", "030 1234567", "Rufen Sie uns unter 030 1234567",
                 id="de-opening-verb"),
    pytest.param("Bei Fragen sind wir unter 030 1234567 erreichbar", "030 1234567", "unter 030 1234567",
                 id="de-preposition"),
    pytest.param("Tél : 01 23 45 67 89", "01 23 45 67 89", "Tél : 01 23 45 67 89", id="fr-label"),
    pytest.param("Écrivez-nous à contact@x.fr", "contact@x.fr", "Écrivez-nous à contact@x.fr", id="fr-verb-pronoun"),
    pytest.param("Vous pouvez aussi nous écrire à contact@x.fr", "contact@x.fr", "à contact@x.fr",
                 id="fr-preposition"),
    pytest.param("Teléfono: 912 345 678", "912 345 678", "Teléfono: 912 345 678", id="es-label"),
    pytest.param("Correo electrónico: hola@x.es", "hola@x.es", "Correo electrónico: hola@x.es", id="es-correo"),
    pytest.param("Telefono: 02 1234 5678", "02 1234 5678", "Telefono: 02 1234 5678", id="it-label"),
    pytest.param("电话：13812345678", "13812345678", "电话：13812345678", id="zh-label"),
    pytest.param("售后邮箱：service@x.cn", "service@x.cn", "售后邮箱：service@x.cn", id="zh-qualified-label"),
    pytest.param("请致电13812345678", "13812345678", "请致电13812345678", id="zh-verb"),
    pytest.param("電話：03-1234-5678", "03-1234-5678", "電話：03-1234-5678", id="ja-label"),
    pytest.param("お問い合わせ先：03-1234-5678", "03-1234-5678", "お問い合わせ先：03-1234-5678", id="ja-contact-label"),
    pytest.param("03-1234-5678までお問い合わせください", "03-1234-5678", "03-1234-5678までお問い合わせください",
                 id="ja-particle-after"),
])
def test_the_carrying_phrase_goes_with_the_contact(text, contact, expected):
    assert carried(text, contact) == expected


@pytest.mark.parametrize(("text", "contact", "expected"), [
    pytest.param("Recipes and manuals at www.x.com", "www.x.com", "Recipes and manuals", id="phrase-only"),
    pytest.param("Questions? Email a@x.com or call 555-010-4477.", "a@x.com", "", id="nothing-else-survives"),
    pytest.param("Questions? Email a@x.com or call 555-010-4477.", "555-010-4477", "", id="either-contact-first"),
    pytest.param("Two-year warranty. Email a@x.com anytime.", "a@x.com", "Two-year warranty.", id="filler-only"),
    pytest.param("Questions? Email a@x.com. We reply within a day.", "a@x.com", "Questions? We reply within a day.",
                 id="lead-in-stays-when-more-follows"),
    pytest.param("Kettle. Call 555-010-4477 for setup help.", "555-010-4477", "Kettle.", id="fragment-left-behind"),
    pytest.param("Order refills from x[.]com today", "x[.]com", "Order refills today", id="mid-sentence"),
    pytest.param("Easy to assemble. Setup video: www.x.com", "www.x.com", "Easy to assemble.", id="label-colon"),
    pytest.param("Spülmaschinenfest. Tel: 0301234567", "0301234567", "Spülmaschinenfest.", id="de-sentence"),
    pytest.param("Spülmaschinenfest. Rufen Sie uns unter 030 1234567 an.", "030 1234567", "Spülmaschinenfest.",
                 id="de-separable-verb-left-alone-goes"),
    pytest.param("Ships fast, or call 555-010-4477", "555-010-4477", "Ships fast", id="coordinated-clause"),
    pytest.param("不锈钢刀片。电话：13812345678", "13812345678", "不锈钢刀片。", id="zh-sentence"),
    pytest.param("食洗機対応。電話：03-1234-5678", "03-1234-5678", "食洗機対応。", id="ja-sentence"),
    pytest.param("如有问题可拨打客服电话：400-966-9966，不满意可退货。", "400-966-9966", "不满意可退货。",
                 id="zh-clause-comma-goes-too"),
    pytest.param("A look-alike address (like http://signin-x.co.uk) is a fake.", "http://signin-x.co.uk",
                 "A look-alike address is a fake.", id="empty-aside-goes"),
])
def test_a_contact_removal_leaves_a_sentence_or_nothing(text, contact, expected):
    assert removed(text, contact) == expected


@pytest.mark.parametrize(("text", "contact", "expected"), [
    pytest.param("更多灵感请在小红书搜索「木语」，或访问 www.muyu-home.com。", "www.muyu-home.com",
                 "更多灵感请在小红书搜索「木语」。", id="zh-conjunction-and-comma-go"),
    pytest.param("本产品采用优质竹材或发邮件至 help@muyu.cn。", "help@muyu.cn", "本产品采用优质竹材。",
                 id="zh-clause-before-the-conjunction-stays"),
    pytest.param("Spedizione in 24 ore 📱 347 123 4567", "347 123 4567", "Spedizione in 24 ore", id="phone-emoji-label"),
])
def test_what_only_joined_or_labelled_the_contact_goes_with_it(text, contact, expected):
    assert removed(text, contact) == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("# Description\nSturdy bamboo. For help call 555-010-4477 or email help@vantora.com any time.\n",
                 "Sturdy bamboo.", id="en"),
    pytest.param("---\nmarketplace: amazon.cn\n---\n# Description\n本产品采用优质竹材，售后请拨打 13812345678 或发邮件至 "
                 "help@muyu.cn。\n", "本产品采用优质竹材。", id="zh"),
])
def test_two_contacts_in_one_sentence_are_fixed_one_after_the_other(text, expected):
    fixed, _, _ = fix_document("d.listing.md", text, Config(), Applicability.UNSAFE)
    assert fixed.rstrip("\n").splitlines()[-1] == expected


@pytest.mark.parametrize(("text", "contact", "expected"), [
    # A possessive, a pronoun or a particle left at the cut, in each language's word order.
    pytest.param("Pflegetipps. Weitere Rezepte finden Sie auf unserer Homepage kuechen.de", "kuechen.de",
                 "Pflegetipps.", id="de-possessive"),
    pytest.param("Pflegetipps. Rechnungskopien erhalten Sie per E-Mail an a@x.de.", "a@x.de", "Pflegetipps.",
                 id="de-verb-second-pronoun"),
    pytest.param("Pflegetipps. Die Garantie aktivieren Sie ausschließlich über a@x.de", "a@x.de", "Pflegetipps.",
                 id="de-pronoun-then-adverb"),
    pytest.param("Sturdy. Recipes and care videos live on our site: www. brewhaus .co/videos",
                 "www. brewhaus .co/videos", "Sturdy.", id="en-possessive-before-label"),
    pytest.param("Sturdy. Questions about your kettle? Drop us a line at help@x.co", "help@x.co",
                 "Sturdy. Questions about your kettle?", id="en-pronoun"),
    pytest.param("Sturdy. Warranty: head over to x dot com slash register today.", "x dot com slash register",
                 "Sturdy.", id="en-particle"),
    pytest.param("Robuste. Scannez le QR code ou tapez bit.ly/notice pour télécharger la notice.", "bit.ly/notice",
                 "Robuste.", id="fr-pointing-verb"),
    pytest.param("Sólido. Para pedidos de mayoreo escribe a ventas@x.mx", "ventas@x.mx", "Sólido.",
                 id="es-contact-verb-left"),
    pytest.param("Sólido. Más recetas en nuestra web: www.x.es/recetas", "www.x.es/recetas", "Sólido.",
                 id="es-possessive"),
    # What follows the cut needed it.
    pytest.param("Sturdy. Toll-free support line 1-800-555-0199 is staffed 24/7 by our team.", "1-800-555-0199",
                 "Sturdy.", id="en-subject-removed"),
    pytest.param("Sólido. Síguenos en IG: casaverde.es y participa en nuestros sorteos", "casaverde.es", "Sólido.",
                 id="es-label-then-conjunction"),
    pytest.param("頑丈です。取扱説明書はこちら→ https://bit.ly/3xYz", "https://bit.ly/3xYz", "頑丈です。",
                 id="ja-arrow"),
    pytest.param("Sturdy. For the full video walkthrough, head to bit . ly / kettle-guide.", "bit . ly / kettle-guide",
                 "Sturdy.", id="en-introductory-phrase-left-alone"),
    pytest.param("Sí. Para más info escríbenos por WhatsApp al +34 612 345 678 y te contestamos al momento.",
                 "+34 612 345 678", "Sí.", id="es-verb-taken-before-a-conjunction"),
])
def test_a_contact_whose_sentence_needed_it_takes_the_sentence_and_is_unsafe(text, contact, expected):
    after, lowered = planned(text, contact)
    assert after == expected
    assert lowered is Applicability.UNSAFE


@pytest.mark.parametrize(("text", "contact", "expected"), [
    pytest.param("Recipes and manuals at www.x.com", "www.x.com", "Recipes and manuals", id="noun-phrase"),
    pytest.param("Retrouvez tous nos tutoriels sur maisonlune[.]fr", "maisonlune[.]fr", "Retrouvez tous nos tutoriels",
                 id="fr-noun-phrase"),
    pytest.param("Registrieren Sie Ihr Gerät unter www.x.de/reg – dort finden Sie die Anleitung.", "www.x.de/reg",
                 "Registrieren Sie Ihr Gerät – dort finden Sie die Anleitung.", id="de-imperative-pronoun-is-no-cut"),
    pytest.param("Questions? Please feel free to contact us by email at a@x.com.", "a@x.com",
                 "Questions? Please feel free to contact us.", id="contact-verb-with-its-pronoun-is-whole"),
    pytest.param("詳しい使い方は公式サイト（www.x.jp）をご覧ください。", "www.x.jp", "詳しい使い方は公式サイトをご覧ください。",
                 id="ja-bracketed-aside"),
    pytest.param("Visita nuestra tienda online en https://x.es para más modelos.", "https://x.es",
                 "Visita nuestra tienda para más modelos.", id="es-adjunct-in-the-middle"),
])
def test_a_contact_in_a_phrase_of_its_own_still_goes_alone_and_safely(text, contact, expected):
    after, lowered = planned(text, contact)
    assert after == expected
    assert lowered is None


def test_a_sentence_that_only_pointed_at_the_contact_goes_safely():
    # "詳しくは公式サイト … をご覧ください" says nothing without the site: it goes whole, with nothing else lost.
    after, lowered = planned("頑丈です。詳しくは公式サイト https://x.jp/manual をご覧ください。便利です。",
                             "https://x.jp/manual")
    assert after == "頑丈です。便利です。"
    assert lowered is None
    assert planned("頑丈です。ご質問は a@x.jp までお気軽にどうぞ。", "a@x.jp") == ("頑丈です。", None)


@pytest.mark.parametrize(("text", "contact", "expected"), [
    pytest.param("Kettle. Questions? Call us: +1 (800) 555-0142 ext. 207", "+1 (800) 555-0142", "Kettle.",
                 id="en-ext"),
    pytest.param("Bouilloire. Service client : +33 1 23 45 67 89 poste 12", "+33 1 23 45 67 89", "Bouilloire.",
                 id="fr-poste"),
    pytest.param("Bollitore. Assistenza: +39 02 1234 5678 int. 4", "+39 02 1234 5678", "Bollitore.", id="it-int"),
    pytest.param("电水壶。客服电话：+86 400-123-4567 转 8", "+86 400-123-4567", "电水壶。", id="zh-zhuan"),
])
def test_a_phone_extension_goes_with_its_number(text, contact, expected):
    assert removed(text, contact) == expected


def test_a_spelled_or_spaced_path_belongs_to_its_disguised_address():
    from listing_lint.engine.detectors.url import addresses_in

    for text, address in (("waiting for you at kitchenhaven dot co dot uk slash guides", "kitchenhaven dot co dot uk slash guides"),
                          ("disponible sur maisonlumiere point fr / tuto", "maisonlumiere point fr / tuto"),
                          ("watch the video at youtu . be / Xk2f9aLmQ0c first", "youtu . be / Xk2f9aLmQ0c")):
        assert [text[a.span[0]:a.span[1]] for a in addresses_in(text)] == [address]


@pytest.mark.parametrize(("text", "claim", "expected"), [
    pytest.param("LA SCELTA DI OLTRE UN MILIONE DI ITALIANI – cuscino in memory foam", "SCELTA DI OLTRE UN MILIONE",
                 "Cuscino in memory foam", id="capitalised-header"),
    pytest.param("Our best seller – easy to clean.", "best seller", "Easy to clean.", id="function-words-left"),
    pytest.param("BESTSELLER: hält 12 Std. heiß.", "BESTSELLER", "Hält 12 Std. heiß.", id="colon"),
])
def test_a_claim_in_a_bullet_s_header_takes_the_header(text, claim, expected):
    assert planned(text, claim, contact=False)[0] == expected


def test_a_header_with_other_words_keeps_them():
    text = "Stainless Steel Kettle, our best seller – easy to clean."
    assert "Stainless Steel Kettle" in planned(text, "best seller", contact=False)[0]


def test_a_claim_takes_the_particle_that_tied_it_to_its_noun():
    text = "销量第一的压蒜器"
    s, e, new, _ = plan_removal(text, 0, 4, False, False)
    assert text[:s] + new + text[e:] == "压蒜器"


def test_a_sentence_left_starting_with_a_preposition_goes_whole_and_is_unsafe():
    after, lowered = planned("Dishwasher safe lid. Free shipping on every order!", "Free shipping", contact=False)
    assert after == "Dishwasher safe lid."
    assert lowered is Applicability.UNSAFE


def test_the_next_word_is_capitalised_when_it_starts_the_sentence():
    assert planned("Sturdy. Limited time only the jar is glass.", "Limited time only", contact=False)[0] == \
        "Sturdy. The jar is glass."


MARKDOWN = """# Title
Vantora Blender

## Bullet points
- Crushes ice in seconds.
- Recipes and manuals at www.vantora.com/recipes
- Questions? Email support@vantora.com or call (555) 010-4477.
- Over 50,000 units sold to happy customers!
- Dishwasher safe.
"""


def test_fix_all_on_markdown_leaves_no_broken_bullet():
    fixed, applied, result = fix_document("b.listing.md", MARKDOWN, Config(), Applicability.SAFE)
    assert applied >= 2
    assert "- Recipes and manuals\n" in fixed
    assert "Questions?" not in fixed and "Email" not in fixed and "call" not in fixed
    assert "\n-\n" not in fixed and "\n- \n" not in fixed
    assert "- Crushes ice in seconds.\n" in fixed and "- Dishwasher safe.\n" in fixed
    # The sales claim is unsafe: it stays at the safe threshold, and goes whole (never "- to happy customers!").
    assert "- Over 50,000 units sold to happy customers!" in fixed
    unsafe, _, _ = fix_document("b.listing.md", MARKDOWN, Config(), Applicability.UNSAFE)
    assert "to happy customers" not in unsafe and "\n- \n" not in unsafe


def test_a_json_bullet_that_would_be_emptied_is_removed_from_its_array():
    doc = json.dumps({"title": "Vantora Kettle", "bullets": [
        "Boils in 4 minutes.", "Questions? Email support@vantora.com or call (555) 010-4477.", "Auto shut-off."]},
        indent=2)
    fixed, applied, _ = fix_document("k.listing.json", doc, Config(), Applicability.SAFE)
    assert applied and json.loads(fixed)["bullets"] == ["Boils in 4 minutes.", "Auto shut-off."]


@pytest.mark.parametrize("position", [0, 1, 2])
def test_the_json_array_stays_valid_wherever_the_bullet_was(position):
    bullets = ["Boils in 4 minutes.", "Auto shut-off."]
    bullets.insert(position, "Email support@vantora.com")
    doc = json.dumps({"title": "Vantora Kettle", "bullets": bullets}, indent=2)
    fixed, _, _ = fix_document("k.listing.json", doc, Config(), Applicability.SAFE)
    assert json.loads(fixed)["bullets"] == ["Boils in 4 minutes.", "Auto shut-off."]


def test_a_csv_bullet_that_would_be_emptied_gets_no_fix():
    csv = ("item_sku,item_name,bullet_point1,bullet_point2\n"
           "VT-1,Vantora Kettle,Email support@vantora.com,Auto shut-off\n")
    result = lint_text("k.csv", csv, Config())
    email = [f for f in result.findings if f.rule == "contact-email"]
    assert email and all(f.fix is None for f in email)
    fixed, _, _ = fix_document("k.csv", csv, Config(), Applicability.UNSAFE)
    assert fixed == csv


@pytest.mark.parametrize(("text", "rule"), [
    # Run-together sentences: removing "Brand new" would leave "Skirt..High".
    pytest.param("# Description\nJacket with shirt.Tie.Skirt.Brand new.High school costume\n", "promotional-phrase",
                 id="run-together-sentences"),
    # Removing "#1 best seller" would leave "the in its class".
    pytest.param("# About this item\n- Our blender is the #1 best seller in its class, with a 1200W motor.\n",
                 "sales-claim", id="article-before-preposition"),
])
def test_a_fix_that_would_leave_broken_copy_is_only_a_suggestion(text, rule):
    found = [f for f in lint_text("d.listing.md", text, Config()).findings if f.rule == rule]
    assert found and found[0].fix is not None
    assert found[0].fix.applicability is Applicability.DISPLAY_ONLY
    fixed, applied, _ = fix_document("d.listing.md", text, Config(), Applicability.UNSAFE)
    assert fixed == text and applied == 0


@pytest.mark.parametrize(("text", "match", "expected"), [
    pytest.param("Products are brand new and come with a warranty.", "brand new",
                 "Products come with a warranty.", id="auxiliary-and-conjunction"),
    pytest.param("Design, quality and unbeatable prices. Sturdy.", "unbeatable prices", "Design, quality. Sturdy.",
                 id="conjunction-before-the-end"),
    pytest.param("Items of unrivaled quality at a great price. Sturdy.", "great price",
                 "Items of unrivaled quality. Sturdy.", id="preposition-and-article"),
    pytest.param("Puzzles - With over 1 billion sold, Ravensburger leads.", "over 1 billion sold",
                 "Puzzles - Ravensburger leads.", id="opening-with-clause-and-its-comma"),
    pytest.param("Followers cannot be wrong; over 2 million sold.", "over 2 million sold",
                 "Followers cannot be wrong.", id="separator-before-the-end"),
    pytest.param("More than 8 million sold, breaking records.", "More than 8 million sold", "Breaking records.",
                 id="comma-after-an-opening-claim"),
])
def test_a_removal_takes_the_function_words_it_would_orphan(text, match, expected):
    assert planned(text, match, contact=False)[0] == expected


def test_html_tags_leave_neither_double_spaces_nor_joined_words():
    text = "# Description\n<p>Sturdy glass jar.</p><p>Five <b>speeds</b> and a pulse.</p>\n"
    fixed, _, _ = fix_document("d.listing.md", text, Config(), Applicability.UNSAFE)
    assert "Sturdy glass jar. Five speeds and a pulse." in fixed


def test_a_removed_comparison_takes_its_empty_quotes_and_separator():
    doc = json.dumps({"title": 'Vantora 65W Charger, GaN, "Faster than Anker" – Amazon\'s Choice'})
    config = Config(competitors=("Anker",), own_brands=("Vantora",))
    fixed, _, _ = fix_document("c.listing.json", doc, config, Applicability.UNSAFE)
    assert json.loads(fixed)["title"] == "Vantora 65W Charger, GaN"


# The checker: each shape counted once, and only when a fix adds it.
@pytest.mark.parametrize(("before", "after", "shape"), [
    pytest.param("Manuals at www.x.com.", "Manuals at.", "dangling 'at'", id="dangling-preposition"),
    pytest.param("Questions? Email a@x.com or call 555.", "Questions? Email or call.", "dangling 'email'",
                 id="dangling-verb-before-conjunction"),
    pytest.param("Questions? Email a@x.com or call 555.", "Questions? Email a@x.com or call.", "dangling 'call'",
                 id="dangling-contact-verb"),
    pytest.param("Products are brand new and come boxed.", "Products are and come boxed.", "dangling 'are'",
                 id="auxiliary-before-conjunction"),
    pytest.param("Write to a@x.com for spares", "Write to for spares", "dangling 'to'", id="preposition-pair"),
    pytest.param("The best seller in its class.", "The in its class.", "dangling 'the'", id="article-before-preposition"),
    pytest.param("Der meistverkaufte Mixer mit 1200 W.", "Ein mit 1200 W.", "dangling 'ein'", id="de-article-before-preposition"),
    pytest.param("Tel: 0301234567", "Tel:", "label with nothing after it", id="bare-label"),
    pytest.param("电话：13812345678。", "电话：。", "dangling contact word", id="zh-bare-label"),
    pytest.param("Guarantee. Free Shipping. Cash!", "Guarantee.. Cash!", "doubled punctuation", id="double-period"),
    pytest.param("Red, Free Shipping, blue", "Red, , blue", "doubled punctuation", id="double-comma"),
    pytest.param("pitcher 🥤, lid", "pitcher , lid", "space before punctuation", id="space-before-comma"),
    pytest.param("one. <b>Six</b> speeds", "one.  Six  speeds", "double space", id="double-space"),
    pytest.param("Kettle (see x.com)", "Kettle (see", "unbalanced brackets", id="unbalanced"),
    pytest.param('GaN, "Faster than Anker"', 'GaN, ""', "empty brackets or quotes", id="empty-quotes"),
    pytest.param("Press, No.1 Rated", "Press,", "separator at an end", id="trailing-separator"),
    pytest.param("Price: $19.99", ": $19.99", "separator at an end", id="leading-colon"),
    pytest.param("Lid. Free shipping on all orders!", "Lid. on all orders!", "sentence starts in lower case",
                 id="lower-case-start"),
    pytest.param("Email a@x.com", "", "empty field", id="empty"),
    pytest.param("Email a@x.com", "  ", "empty field", id="blank"),
])
def test_the_checker_sees_each_broken_shape(before, after, shape):
    assert shape in added_shapes(before, after, "bullet")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("Recipes at www.x.com", "Recipes", id="clean-removal"),
    pytest.param("Great!! Free shipping. Sturdy.", "Great!! Sturdy.", id="old-untidiness-is-not-the-fix"),
    pytest.param("Rufen Sie uns unter 030 123 an.", "Rufen Sie uns an.", id="de-particle-was-there-before"),
    pytest.param("Size 10... fits all", "Size 10... fits all", id="ellipsis"),
    pytest.param("Contents:\n- a", "Contents:\n- a", id="unchanged"),
    pytest.param("Kunden, die lieben, kaufen.", "Kunden, die an Kaffee glauben, kaufen.", id="de-relative-pronoun"),
    pytest.param("El modelo grande.", "El de mayor capacidad.", id="es-article-standing-for-a-noun"),
    pytest.param("Letters A B C.", "Letters from A to Z.", id="a-to-z"),
])
def test_the_checker_does_not_blame_a_clean_fix(before, after):
    assert added_shapes(before, after, "bullet") == []


def test_search_terms_are_not_read_as_sentences():
    assert not shapes("blender smoothie and for ninja", "search_terms")
    assert shapes("", "search_terms")["empty field"] == 1


MARKETPLACE = {"en": "amazon.com", "de": "amazon.de", "fr": "amazon.fr", "es": "amazon.es", "it": "amazon.it",
               "ja": "amazon.co.jp", "zh": "amazon.cn"}


@pytest.mark.parametrize(("lang", "bullet", "expected"), [
    pytest.param("en", "Questions? Call us at (555) 010-4477 or email help@vantora.com.", None, id="en-two-contacts"),
    pytest.param("en", "Made in Ohio. For support email help@vantora.com.", "Made in Ohio.", id="en-purpose-first"),
    pytest.param("en", "Dishwasher safe. Visit www.vantora.com for recipes.", "Dishwasher safe.",
                 id="en-call-to-action-and-its-offer"),
    pytest.param("de", "Spülmaschinenfest. E-Mail: info@vantora.de", "Spülmaschinenfest.", id="de-label"),
    pytest.param("de", "Bei Fragen erreichen Sie uns unter Tel. 030 12345678.", None, id="de-abbreviated-label"),
    pytest.param("fr", "Lavable. Tél : 01 23 45 67 89", "Lavable.", id="fr-label"),
    pytest.param("fr", "Des questions ? Écrivez-nous à contact@vantora.fr", None, id="fr-verb-with-pronoun"),
    pytest.param("es", "Apto para lavavajillas. Teléfono: 912 345 678", "Apto para lavavajillas.", id="es-label"),
    pytest.param("it", "Lavabile. Telefono: 02 1234 5678", "Lavabile.", id="it-label"),
    pytest.param("it", "Per assistenza scrivici a assistenza@vantora.it.", None, id="it-purpose-and-verb"),
    pytest.param("zh", "不锈钢刀片。电话：13812345678", "不锈钢刀片。", id="zh-label"),
    pytest.param("ja", "食洗機対応。電話：03-1234-5678", "食洗機対応。", id="ja-label"),
    pytest.param("ja", "ご不明点は03-1234-5678までお問い合わせください。", None, id="ja-particles-around"),
])
def test_fix_all_in_every_language_leaves_a_sentence_or_drops_the_bullet(lang, bullet, expected):
    doc = (f"---\nmarketplace: {MARKETPLACE[lang]}\n---\n# Title\nVantora Blender\n\n## Bullet points\n"
           f"- Crushes ice.\n- {bullet}\n")
    fixed, applied, _ = fix_document("x.listing.md", doc, Config(), Applicability.SAFE)
    assert applied
    bullets = fixed.split("## Bullet points\n")[1]
    assert bullets == "- Crushes ice.\n" + (f"- {expected}\n" if expected is not None else "")


def test_a_fix_that_takes_more_than_its_match_says_so_in_its_title():
    doc = "# Title\nVantora Kettle\n\n## Bullet points\n- Boils fast. Call 555-010-4477 for setup help.\n- Tel: 0301234567\n"
    titles = {f.field: f.fix.title for f in lint_text("k.listing.md", doc, Config()).findings
              if f.rule == "contact-phone" and f.fix is not None}
    assert titles == {"bullet 1": "Remove the sentence with '555-010-4477'",
                      "bullet 2": "Remove the bullet point with '0301234567'"}
