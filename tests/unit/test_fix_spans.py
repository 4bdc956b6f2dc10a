"""Where fixes cut: removing a sentence keeps the line break after it, whatever the line breaks are (issue 6).

Found by the language-server fuzz test: in a CRLF file, a sentence ending a line of a multi-line field was
removed with the CR of its line break, leaving a bare LF, and the edit ended between CR and LF, a position
an LSP client cannot even express.
"""

from __future__ import annotations

import re

import pytest

from listing_lint import Applicability, Config
from listing_lint.document import fix_document, lint_text
from listing_lint.engine.edits import sentence_span


@pytest.mark.parametrize("text, expected", [
    pytest.param("Kettle. Add WeChat now\r\nnext", "Add WeChat now", id="crlf"),
    pytest.param("Kettle. Add WeChat now\rnext", "Add WeChat now", id="lone-cr"),
    pytest.param("Kettle. Add WeChat now\nnext", "Add WeChat now", id="lf"),
    pytest.param("Kettle. Add WeChat now! More", "Add WeChat now!", id="punctuation"),
    pytest.param("first\r\nAdd WeChat now", "Add WeChat now", id="after-crlf"),
])
def test_a_sentence_ends_at_any_line_break(text, expected):
    start = text.index("WeChat")
    s, e = sentence_span(text, start, start + 6)
    assert text[s:e] == expected


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("Handmade. Send your text to a@x.de, we reply within 24 Std. mit einem Entwurf. Oak.",
                 "Send your text to a@x.de, we reply within 24 Std. mit einem Entwurf.", id="de-std"),
    pytest.param("Handmade. Send your text to a@x.de, reply in approx. two days. Oak.",
                 "Send your text to a@x.de, reply in approx. two days.", id="en-approx"),
    pytest.param("Handmade. Send your text to a@x.de. Oak.", "Send your text to a@x.de.", id="capital-after"),
])
def test_a_short_word_s_period_before_a_lower_case_word_ends_no_sentence(text, expected):
    start = text.index("a@x.de")
    s, e = sentence_span(text, start, start + 6)
    assert text[s:e] == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_removing_a_sentence_keeps_the_line_endings(newline):
    # Two "# Title" headings: the second title spans several lines.
    text = newline.join(["# Title", "Kettle", "", "# Title", "加微信领取礼品", "", "Kettle## Bullet points",
                         "- Kettle", ""])
    findings = lint_text("p.listing.md", text, Config()).findings
    assert any(f.rule == "off-platform-contact" for f in findings)
    for f in findings:
        for fix in f.fixes:
            for edit in fix.edits:
                for at in (edit.start, edit.end):
                    assert not (text[at - 1:at] == "\r" and text[at:at + 1] == "\n"), (f.rule, fix.title)
    fixed, applied, _ = fix_document("p.listing.md", text, Config(), Applicability.UNSAFE)
    assert applied and "加微信" not in fixed
    assert set(re.findall(r"\r\n|\r|\n", fixed)) == {newline}


@pytest.mark.parametrize("bullet, safe_result", [
    # The aside said something of the web address: it goes with it.
    pytest.param("Recipes at www.shop.com (free).", "Recipes.", id="aside-after-link"),
    pytest.param("Spare parts from www.shop.de [EU only] in a week.", "Spare parts in a week.", id="square-brackets"),
    # What is left starts with "and": the sentence leaned on the address, so no safe fix is offered.
    pytest.param("Questions? Mail info@shop.com (weekdays) and we answer fast.", None, id="aside-then-conjunction"),
])
def test_a_bracketed_aside_after_a_contact_goes_with_it(bullet, safe_result):
    text = f"# Title\nKettle\n\n## Bullet points\n- {bullet}\n"
    fixed, applied, _ = fix_document("a.listing.md", text, Config(), Applicability.SAFE)
    if safe_result is None:
        assert applied == 0 and "(weekdays)" in fixed
    else:
        assert applied == 1
        assert fixed == f"# Title\nKettle\n\n## Bullet points\n- {safe_result}\n"


@pytest.mark.parametrize("description", [
    "Make tea fast. <b>Visit www.shop.com for recipes.</b> Enjoy!",
    "Make tea fast. <B>Visit www.shop.com</B> for recipes. Enjoy!",
])
def test_a_contact_in_a_marked_up_sentence_is_not_cut_as_safe(description):
    # The tags hide where the call to action starts: a safe cut left "<b>Visit for recipes.</b>".
    text = f"# Title\nKettle\n\n## Description\n{description}\n"
    fixed, applied, _ = fix_document("a.listing.md", text, Config(), Applicability.SAFE)
    assert applied == 0 and fixed == text


def test_the_same_sentence_without_markup_is_still_removed_safely():
    text = "# Title\nKettle\n\n## Description\nMake tea fast. Visit www.shop.com for recipes. Enjoy!\n"
    fixed, applied, _ = fix_document("a.listing.md", text, Config(), Applicability.SAFE)
    assert applied == 1 and fixed.endswith("Make tea fast. Enjoy!\n")


@pytest.mark.parametrize("field_heading, replaced", [
    pytest.param("## Search terms\n", False, id="search-terms"),
    pytest.param("## Bullet points\n- ", True, id="bullet"),
])
def test_a_review_offer_in_search_terms_is_removed_not_replaced_by_a_request(field_heading, replaced):
    # Found by test_fix_properties: the neutral request that replaces the offer in a bullet point took 59 bytes
    # of search terms, which no buyer reads, and pushed them over their byte limit.
    offer = "leave a 5-star review and get a free gift card!"
    text = f"# Title\nKettle\n\n{field_heading}kettle {offer} teapot\n"
    (finding,) = [f for f in lint_text("p.listing.md", text, Config()).findings if f.rule == "review-incentive"]
    fixed, applied, _ = fix_document("p.listing.md", text, Config(), Applicability.UNSAFE)
    assert applied == 1 and "gift" not in fixed and "teapot" in fixed
    assert ("honest review" in fixed) is replaced
    assert finding.fix.title.startswith("Replace" if replaced else "Remove the sentence with")


@pytest.mark.parametrize("title, fixed_title", [
    pytest.param("Vantora Blender 1200W - Leave a 5-star review and get a free gift card", "Vantora Blender 1200W",
                 id="last-part"),
    pytest.param("Leave a 5-star review and get a free gift card, Vantora Blender 1200W", "Vantora Blender 1200W",
                 id="first-part"),
    pytest.param("Vantora Blender | 5-star review gets a free gift card | BPA free", "Vantora Blender | BPA free",
                 id="middle-part"),
    # The offer is the whole title: removing it would leave no title, so nothing is offered.
    pytest.param("Leave a 5-star review and get a free gift card", None, id="whole-title"),
])
def test_a_sentence_fix_in_a_title_takes_the_part_of_the_title_not_the_title(title, fixed_title):
    # A title lists terms: "sentence" fixes once replaced the whole title, product name included, with a
    # review request.
    text = f"# Title\n{title}\n"
    (finding,) = lint_text("p.listing.md", text, Config()).findings
    fixed, applied, _ = fix_document("p.listing.md", text, Config(), Applicability.UNSAFE)
    if fixed_title is None:
        assert finding.fixes == () and fixed == text
    else:
        assert [fix.title.split(" with ")[0] for fix in finding.fixes] == ["Remove the part of the title"]
        assert fixed == f"# Title\n{fixed_title}\n" and applied == 1
