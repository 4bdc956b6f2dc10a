"""Property: a Markdown listing's fields are its source text, trimmed, wherever the lines end ("\\n" or "\\r\\n")."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from listing_lint.extract.markdown import extract_markdown

LINES = st.sampled_from([
    "# Title", "## Bullet points", "## Description", "### Search terms", "   # Title ##  ", "#Title", "## Insert card",
    "- a bullet", "* star item", "+ plus", "1. numbered", "12) paren", "-no space", "-\ttab item", "  - indented",
    "- \xa0no-break space", "- \u3000wide space", "- ends in a wide space\u3000", "-  two spaces", "- ", "-",
    "continued line", "", " ", "\t", "\u3000wide", "trailing spaces   ", "\xa0leading no-break space",
    "text <!-- listing-lint-disable-line POL001 -->", "<!-- listing-lint-disable-next-line -->",
    "<!-- plain comment -->", "<!-- unclosed", "x <!-- a --> y", "---", "sku: X1", "brand: 'Acme'", "emoji 😀 text",
])
DOCUMENTS = st.builds(lambda front, lines, end: "\n".join((["---", "sku: S1", "---"] if front else []) + lines) + end,
                      st.booleans(), st.lists(LINES, max_size=30), st.sampled_from(["", "\n"]))


def _fields(text: str) -> list[tuple]:
    (listing,), errors = extract_markdown("p.listing.md", text)
    # A field of several lines is their span of the source, line breaks included as they are written.
    return [(f.kind, f.text.replace("\r\n", "\n"), f.index) for f in listing.fields] + [
        (listing.sku, listing.brand, len(errors))]


@settings(max_examples=1500, deadline=None)
@given(DOCUMENTS)
@example("---\nsku: S1\n---\n# Title\nKettle\n## Bullet points\n- \xa0one\n- two\u3000\n-  three\n")
def test_each_field_is_its_source_text_trimmed(text: str) -> None:
    (listing,), _ = extract_markdown("p.listing.md", text)
    for field in listing.fields:
        assert field.text and field.text == field.text.strip()
        if field.offsets is None:
            assert text[field.start:field.start + len(field.text)] == field.text
        else:  # lines joined: each character but the joiner is where its offset says
            assert all(text[o] == ch for o, ch in zip(field.offsets, field.text) if ch != "\n")


@settings(max_examples=1500, deadline=None)
@given(DOCUMENTS)
def test_fields_are_the_same_whatever_ends_the_lines(text: str) -> None:
    fields = _fields(text)
    assert _fields(text.replace("\n", "\r\n")) == fields
    (crlf,), _ = extract_markdown("p.listing.md", text.replace("\n", "\r\n"))
    for field in crlf.fields:  # and their places are those of the "\r\n" text
        if field.offsets is None:
            assert text.replace("\n", "\r\n")[field.start:field.start + len(field.text)] == field.text
