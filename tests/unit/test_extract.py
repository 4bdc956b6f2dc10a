"""Extractors map every field character back to its exact place in the source, in every format."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listing_lint.extract import detect_format, extract
from listing_lint.model import FieldKind

MARKDOWN = """---
sku: VT-1
brand: "Vantora"
marketplace: amazon.de
---
Intro text outside any field is ignored.

### TITLE:
Vantora Blender 🚀 粉碎机

## Key Features
- First bullet
- Second bullet
  continues here
* Third bullet

## Product Description
Line one.
<!-- a note -->
Line two.

## Package insert
Thank you!

## Backend keywords
blender smoothie
"""


def _assert_maps_back(text: str, field) -> None:
    for i, ch in enumerate(field.text):
        src = text[field.source_offset(i)]
        # Escapes and joined lines are the only places a character may differ from its source.
        if ch != src:
            assert src in '\\"\n\r ' or ch in "\n\"", (field.name, i, ch, src)


def test_markdown_fields_synonyms_and_front_matter():
    result = extract("x.listing.md", MARKDOWN)
    assert not result.errors
    (listing,) = result.listings
    assert (listing.sku, listing.brand, listing.marketplace) == ("VT-1", "Vantora", "amazon.de")
    kinds = [(f.kind, f.index, f.text) for f in listing.fields]
    assert kinds == [
        (FieldKind.TITLE, 0, "Vantora Blender 🚀 粉碎机"),
        (FieldKind.BULLET, 0, "First bullet"),
        (FieldKind.BULLET, 1, "Second bullet\ncontinues here"),
        (FieldKind.BULLET, 2, "Third bullet"),
        (FieldKind.DESCRIPTION, 0, "Line one.\nLine two."),
        (FieldKind.INSERT_CARD, 0, "Thank you!"),
        (FieldKind.SEARCH_TERMS, 0, "blender smoothie"),
    ]
    for f in listing.fields:
        _assert_maps_back(MARKDOWN, f)
        assert MARKDOWN[f.source_offset(0)] == f.text[0]
        assert MARKDOWN[f.end - 1] == f.text[-1]


def test_markdown_insert_card_alone_is_a_listing():
    (listing,) = extract("card.listing.md", "## Thank-you card\nThanks for your order.\n").listings
    assert [f.kind for f in listing.fields] == [FieldKind.INSERT_CARD]


def test_markdown_suppression_comment_targets_next_line():
    text = "# Bullets\n<!-- listing-lint-disable-next-line external-url, POL002 -->\n- a\n- b <!-- listing-lint-disable-line -->\n"
    (listing,) = extract("s.listing.md", text).listings
    assert listing.suppressions == {2: frozenset({"external-url", "POL002"}), 3: frozenset()}
    assert [f.text for f in listing.fields] == ["a", "b"]


def test_markdown_unclosed_front_matter_is_reported():
    result = extract("f.listing.md", "---\nsku: 1\n# Title\nx\n")
    assert result.errors and "never closed" in result.errors[0].message


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        (r'"plain"', "plain"),
        (r'"Caf\u00e9 \"best\" \\ end"', 'Café "best" \\ end'),
        (r'"emoji \ud83d\ude80 ok"', "emoji 🚀 ok"),
        (r'"line\nbreak\ttab"', "line\nbreak\ttab"),
    ],
)
def test_json_string_positions_account_for_escapes(raw, decoded):
    text = '{"title": ' + raw + ', "bullets": ["b1"]}'
    result = extract("x.listing.json", text)
    assert not result.errors
    (listing,) = result.listings
    title = listing.fields[0]
    assert title.text == decoded
    for i, ch in enumerate(decoded):
        piece = text[title.source_offset(i):title.source_offset(i + 1)]
        assert piece == ch or piece.startswith("\\"), (i, ch, piece)
    assert text[title.end] == '"'


def test_json_invalid_reports_line_and_column():
    result = extract("bad.listing.json", '{\n  "title": "x",\n  "bullets": [1,\n}')
    assert not result.listings
    (err,) = result.errors
    assert (err.line, err.path) == (4, "bad.listing.json") and "invalid JSON" in err.message


def test_jsonl_bad_row_is_reported_and_other_rows_linted():
    text = '{"sku": "A", "title": "one"}\n{"sku": "B", "title": \n{"sku": "C", "title": "three"}\n'
    result = extract("c.jsonl", text)
    assert [lst.sku for lst in result.listings] == ["A", "C"]
    assert result.errors[0].line == 2
    c_title = result.listings[1].fields[0]
    assert text[c_title.source_offset(0):c_title.end] == "three"


CSV = (
    'item_sku,brand_name,item_name,bullet_point1,bullet_point2,product_description,generic_keywords\r\n'
    'S1,Vantora,"Blender, 1200W ""Pro""",b one,"multi\nline",desc,kw one\r\n'
    'S2,Vantora,Kettle,,b two,,\r\n'
)


def test_csv_cells_map_to_rows_and_columns():
    result = extract("cat.csv", CSV)
    assert not result.errors
    s1, s2 = result.listings
    assert (s1.sku, s1.brand) == ("S1", "Vantora")
    title = s1.fields[0]
    assert title.text == 'Blender, 1200W "Pro"'
    assert CSV[title.source_offset(0):title.end] == 'Blender, 1200W ""Pro""'
    assert [f.name for f in s1.fields] == ["title", "bullet 1", "bullet 2", "description", "search terms"]
    assert [f.name for f in s2.fields] == ["title", "bullet 1"]
    assert s2.fields[1].text == "b two"


def test_amazon_flat_file_template_rows_and_all_listings_report():
    flat = "TemplateType=fptcustom\tVersion=2021\nSKU\tProduct Name\nitem_sku\titem_name\tbullet_point1\nA1\tTitle A\tBullet A\n"
    result = extract("flat.txt", flat)
    assert [(lst.sku, [f.text for f in lst.fields]) for lst in result.listings] == [("A1", ["Title A", "Bullet A"])]
    report = "seller-sku\titem-name\titem-description\nB1\tName B\tDesc B\n"
    (listing,) = extract("report.txt", report).listings
    assert listing.sku == "B1" and [f.kind for f in listing.fields] == [FieldKind.TITLE, FieldKind.DESCRIPTION]


def test_unrelated_text_file_is_not_a_listing():
    result = extract("notes.txt", "Just some notes\nabout the launch\n")
    assert not result.recognised and not result.listings


def test_unterminated_quote_is_reported():
    result = extract("bad.csv", 'item_sku,item_name\nA,"never closed\nB,x\n')
    assert result.errors and "never closed" in result.errors[0].message


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.listing.md", "markdown"), ("a.listing.json", "json"), ("a.jsonl", "jsonl"), ("a.csv", "csv"),
     ("a.tsv", "tsv"), ("report.txt", "tsv"), ("image.png", None)],
)
def test_detect_format(name, fmt):
    assert detect_format(name) == fmt


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["-", "*", "+", " ", "\t", "1", "12", "1234", ".", ")", "a", "\u00a0", "\u0661",
                                 "#", "\r"]), max_size=7).map("".join))
def test_a_list_marker_is_read_where_the_list_item_pattern_reads_it(line):
    """extract_markdown reads "- " at the start of a line without the pattern: it must end where LIST_ITEM does."""
    from listing_lint.extract.markdown import LIST_ITEM, _list_marker_end

    item = LIST_ITEM.match(line)
    assert _list_marker_end(line) == (item.end() if item else 0)
