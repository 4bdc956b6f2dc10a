"""Property test (hypothesis): the deobfuscation pass finds, from its candidate starts, exactly what a full scan finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from listing_lint.engine.detectors import deobfuscate

# Pieces of disguised addresses and of the prose around them, in every case and blank the pattern reads,
# plus letters whose lower case differs from what re.IGNORECASE folds them to ("İ", "ı", "ſ", "K").
PIECES = [
    " ", "  ", "\t", "\n", "\r", "at", "AT", "ät", "ÄT", "arroba", "arobaſe", "dot", "DOT", "poınt", "point",
    "punkt", "pun\u212at", "punto", ".", "@", "(", ")", "[", "<", ">", "<b>", "www", "WWW", "a", "x", "gee",
    "com", "fr", "1", "【", "】", "（", "）", "アット", "★", "点", "ドット", "İ", "# = @",
]
WORDS = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@settings(max_examples=1500, deadline=None)
@given(WORDS)
@example("x poınt fr")  # "ı" reads as "i" to re.IGNORECASE, not to str.lower
@example("x arobaſe y.com")
@example("a\r@b")
@example("shop İ x at y dot com")  # "İ" lower-cases to two characters
def test_candidate_scan_matches_full_scan(text: str) -> None:
    full = [(m.span(), m.lastgroup) for m in deobfuscate.TOKEN.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in deobfuscate._token_matches(text)] == full


def test_real_disguises_are_found_from_candidates() -> None:
    text = "Write to shop (at) vantora (dot) com or info arroba tienda punto es, or www. vantora .com"
    assert [m.lastgroup for m in deobfuscate._token_matches(text)] == ["bat", "bdot", "wat", "sdot", "wdot", "tdot"]
