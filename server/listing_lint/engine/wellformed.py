"""Layer 3 (engine): find the shapes of broken copy a bad edit leaves, so fixes can be checked before use.

Each shape is counted in a field's text. A fix is judged by the shapes it adds: listing copy is often
untidy before any fix ("Free Shipping!!", a double space), and that is not the fix's doing.

Shapes: an empty field, a word that cannot end a clause before punctuation, a conjunction or the end
("Manuals at.", "Email or call", "are and come"), an article right before a preposition ("the in its
class"), a label with nothing after it ("Tel:"), doubled punctuation (", ,", ".,"), a space before
punctuation, a double space, a space at either end, brackets or quotes left unbalanced or empty, a
separator ending or starting a field, and a sentence starting in lower case.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import regex

from ..patterns import compile_pattern, compile_re
from .fixwords import ARTICLE_PREPOSITION_PAIRS, ARTICLE_WORDS, CONJUNCTION_WORDS, DANGLING_WORDS, PREPOSITION_WORDS

_WORD = r"[\p{L}\p{M}'’-]+"
CANDIDATE = _WORD + r"|(?<![\p{L}\p{M}'’-])&(?![\p{L}\p{M}'’-])"
"""A run of word characters, or an "&" standing alone: the only places a dangling word can be.

Every dangling word but "&" is made of word characters and must fill its run, so a run is looked up in
DANGLING_WORDS instead of trying the hundred-odd words as alternatives at every position (ten times dearer)."""
FOLLOW = r"(?=[ \t]*(?:[.!?,;:。！？，；]|$)|[ \t]+(" + _WORD + r")\b)"
"""What must follow a dangling word: punctuation or the line's end, or another word (captured)."""
CJK_DANGLING = (r"(?:致电|致電|拨打|撥打|联系|访问|訪問|发送至|至|请|請)[。！，,；]|(?:は|を)(?:まで|へ)|[はをへ][。！？]"
                r"|[：:][ \t]*[。！？，、]")
LABEL_AT_END = r"[:：][ \t]*$"
DOUBLED = (r"(?<![.])\.\.(?![.])|[,;:][ \t]*[,;:.!?]|(?<![.])\.[ \t]*[,;:]|(?<![.\d])\.[ \t]+\.(?!\.)"
           r"|[，、；：][ \t]*[，。、；：！？]|。[ \t]*[，、。；]")
SPACE_BEFORE = r"(?<=\S)[ \t]+[,.;:!?)\]」】）。，、](?![.\w])|[(\[「【（][ \t]+"
DOUBLE_SPACE = r"(?<=\S)[ \t]{2,}(?=\S)"
EDGE_SPACE = r"^[ \t]+|[ \t]+$"
EMPTY_PAIR = (r"\([ \t]*\)|\[[ \t]*\]|\{[ \t]*\}|\"[ \t]*\"|“[ \t]*”|„[ \t]*“|«[ \t]*»|【[ \t]*】|（[ \t]*）"
              r"|「[ \t]*」|『[ \t]*』")
EDGE_SEPARATOR = r"^[ \t]*[,;:.!?|/·–—、，：；。]|[,;|/·–—\-][ \t]*$"
FIRST_SEPARATORS = ",;:.!?|/·–—、，：；。"
LAST_SEPARATORS = ",;|/·–—-"
LOWER_START = r"(?:[.!?][ \t]+|[。！？])\p{Ll}"
"""A lower-case letter opening a sentence after another: each match holds one."""
LOWER_FIRST = r"[ \t]*\p{Ll}"
"""A lower-case letter opening the text. Apart from LOWER_START: as one pattern's alternative, it kept the
scan from skipping to the sentence ends (five times dearer)."""
ASCII_FORMS = {
    CANDIDATE: r"[A-Za-z'-]+|(?<![A-Za-z'-])&(?![A-Za-z'-])",
    FOLLOW: r"(?=[ \t]*(?:[.!?,;:]|$)|[ \t]+([A-Za-z'-]+)\b)",
    LOWER_START: r"[.!?][ \t]+[a-z]",
    LOWER_FIRST: r"[ \t]*[a-z]",
}
"""The patterns with Unicode properties, as they read ASCII text, for Python's own ``re``: most copy is ASCII,
and ``re`` runs these classes about twice as fast as ``regex`` runs the properties."""
PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("【", "】"), ("（", "）"), ("「", "」"), ("『", "』"), ("“", "”"))


@functools.lru_cache(maxsize=None)
def _compiled(ascii_text: bool) -> tuple:
    # Compiled on the first fix checked, not on import: a run with nothing to fix never pays for them.
    m, mi = regex.MULTILINE, regex.MULTILINE | regex.IGNORECASE

    def compile_(pattern: str, flags: int = 0):
        if ascii_text and pattern in ASCII_FORMS:
            return re.compile(ASCII_FORMS[pattern], flags)
        return compile_pattern(pattern, flags)

    return (compile_(CANDIDATE), compile_(FOLLOW, mi), compile_pattern(CJK_DANGLING),
            compile_pattern(LABEL_AT_END, m), compile_pattern(DOUBLED), compile_pattern(SPACE_BEFORE),
            compile_pattern(DOUBLE_SPACE), compile_pattern(EDGE_SPACE, m), compile_pattern(EMPTY_PAIR),
            compile_pattern(EDGE_SEPARATOR, m), compile_(LOWER_START), compile_(LOWER_FIRST))


PROSE = frozenset({"bullet", "description", "insert_card"})
"""Fields written as sentences; titles and search terms are lists of terms."""


def shapes(text: str, kind: str = "bullet") -> "Counter | dict[str, int]":
    """Count the broken-copy shapes in one field's text (``kind``: the field kind's value): ASCII text in C
    (``_heuristics.ascii_shapes``, a quarter of the cost), any other with ``py_shapes``."""
    if _ascii_shapes is not None and text.isascii() and text.strip():
        return _ascii_shapes(text, kind != "search_terms", kind in PROSE, _WORD_LISTS)
    return py_shapes(text, kind)


def py_shapes(text: str, kind: str = "bullet") -> Counter:
    """Count the broken-copy shapes in one field's text, in any script (the Python twin of ``ascii_shapes``)."""
    found: Counter = Counter()
    if not text.strip():
        found["empty field"] += 1
        return found
    ascii_text = text.isascii()
    (candidate, follow, cjk_dangling, label_at_end, doubled, space_before, double_space, edge_space, empty_pair,
     edge_separator, lower_start, lower_first) = _compiled(ascii_text)
    # The cheap tests before some scans only skip a scan that cannot match (only "\n" ends a line for `regex`);
    # zero counts are never stored, so the Counter holds only the shapes found.
    one_line = "\n" not in text
    if kind != "search_terms":
        # ASCII text is read in lower case (same length, same positions), so no word is lowered one by one.
        scanned = text.lower() if ascii_text else text
        for m in candidate.finditer(scanned):
            word = m.group() if ascii_text else m.group().lower()
            if word not in DANGLING_WORDS:
                continue
            after = follow.match(scanned, m.end())
            if after is None:
                continue
            following = after.group(1)
            if following is None:
                found[f"dangling '{word}'"] += 1
                continue
            following = following.lower()
            if following in CONJUNCTION_WORDS or (word in _HARD and following in _HARD_AFTER) or (
                    (word, following) in ARTICLE_PREPOSITION_PAIRS):
                found[f"dangling '{word}'"] += 1
        for shape, pattern in (("dangling contact word", cjk_dangling), ("label with nothing after it", label_at_end),
                               ("doubled punctuation", doubled), ("space before punctuation", space_before),
                               ("empty brackets or quotes", empty_pair), ("separator at an end", edge_separator)):
            if GUARDS[shape](text, ascii_text):
                n = len(pattern.findall(text))
                if n:
                    found[shape] += n
    if "  " in text or "\t" in text:
        n = len(double_space.findall(text))
        if n:
            found["double space"] += n
    if not one_line or text[0] in " \t" or text[-1] in " \t":
        n = len(edge_space.findall(text))
        if n:
            found["space at an end"] += n
    for a, b in PAIRS:
        if text.count(a) != text.count(b):
            found["unbalanced brackets"] += 1
    if text.count('"') % 2:
        found["unbalanced brackets"] += 1
    if kind in PROSE:
        n = len(lower_start.findall(text)) + (lower_first.match(text) is not None)
        if n:
            found["sentence starts in lower case"] += n
    return found


_HARD = frozenset("at to via for from with".split())
"""Prepositions that are never followed by another one ("Write to for spares"); "out of" and "from under" are fine."""
_HARD_AFTER = PREPOSITION_WORDS - ARTICLE_WORDS
_SPACE_BEFORE_PAIR = compile_re(r" [,.;:!?)\]]|[(\[] ")
"""A space before ",.;:!?)]" or after "([": the ASCII pairs SPACE_BEFORE can match."""
_OPENER_OR_QUOTE = compile_re(r'[(\[{"]')
_WORD_LISTS = (DANGLING_WORDS, CONJUNCTION_WORDS, _HARD, _HARD_AFTER, ARTICLE_PREPOSITION_PAIRS,
               max(map(len, DANGLING_WORDS)))
"""What the compiled count of dangling words looks words up in, and the longest dangling word."""

try:
    from ._heuristics import ascii_shapes as _ascii_shapes
except ImportError:  # pragma: no cover - an install without a compiler
    _ascii_shapes = None
GUARDS = {
    "dangling contact word": lambda text, ascii_text: not ascii_text,
    "label with nothing after it": lambda text, ascii_text: ":" in text or "：" in text,
    "doubled punctuation": lambda text, ascii_text: not ascii_text or (
        ".." in text or ". " in text or ".\t" in text or "," in text or ";" in text or ":" in text),
    "space before punctuation": lambda text, ascii_text: not ascii_text or "\t" in text or (
        _SPACE_BEFORE_PAIR.search(text) is not None),
    "empty brackets or quotes": lambda text, ascii_text: not ascii_text or _OPENER_OR_QUOTE.search(text) is not None,
    "separator at an end": lambda text, ascii_text: ("\n" in text or text.lstrip(" \t")[:1] in FIRST_SEPARATORS
                                                     or text.rstrip(" \t")[-1:] in LAST_SEPARATORS),
}
"""Per shape, a test of a text (and whether it is ASCII) that is false only when the shape's pattern cannot
match it: most copy passes one or two, and a test of a few characters costs a tenth of a scan."""


def added_shapes(before: str, after: str, kind: str = "bullet") -> list[str]:
    """Return the shapes ``after`` has more of than ``before`` (empty when the edit broke nothing)."""
    new = shapes(after, kind)
    if not new:
        return []  # most edits leave tidy text: no need to count the shapes of the text before
    old = shapes(before, kind)
    return sorted(k for k, v in new.items() if v > old.get(k, 0))
