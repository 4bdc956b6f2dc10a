"""Layer 3 (engine): find the shapes of broken copy a bad edit leaves, so fixes can be checked before use.

Each shape is counted in a field's text. A fix is judged by the shapes it adds: listing copy is often
untidy before any fix ("Free Shipping!!", a double space), and that is not the fix's doing.

Shapes: an empty field, a word that cannot end a clause before punctuation, a conjunction or the end
("Manuals at.", "Email or call", "are and come"), a label with nothing after it ("Tel:"), doubled
punctuation (", ,", ".,"), a space before punctuation, a double space, a space at either end, brackets
or quotes left unbalanced or empty, a separator ending or starting a field, and a sentence starting
in lower case.
"""

from __future__ import annotations

from collections import Counter

import regex

from .fixwords import ARTICLE_WORDS, CONJUNCTION_WORDS, DANGLING_WORDS, PREPOSITION_WORDS

_WORD = r"[\p{L}\p{M}'’-]+"
DANGLING = regex.compile(
    r"(?<![\p{L}\p{M}'’-])(" + "|".join(regex.escape(x) for x in sorted(DANGLING_WORDS, key=len, reverse=True))
    + r")(?![\p{L}\p{M}'’-])(?=[ \t]*(?:[.!?,;:。！？，；]|$)|[ \t]+(" + _WORD + r")\b)",
    regex.MULTILINE | regex.IGNORECASE)
"""Only the words that can dangle are visited: a field of plain prose costs one scan."""
CJK_DANGLING = regex.compile(
    r"(?:致电|致電|拨打|撥打|联系|访问|訪問|发送至|至|请|請)[。！，,；]|(?:は|を)(?:まで|へ)|[はをへ][。！？]"
    r"|[：:][ \t]*[。！？，、]")
LABEL_AT_END = regex.compile(r"[:：][ \t]*$", regex.MULTILINE)
DOUBLED = regex.compile(r"(?<![.])\.\.(?![.])|[,;:][ \t]*[,;:.!?]|(?<![.])\.[ \t]*[,;:]|(?<![.\d])\.[ \t]+\.(?!\.)|[，、；：][ \t]*[，。、；：！？]"
                        r"|。[ \t]*[，、。；]")
SPACE_BEFORE = regex.compile(r"(?<=\S)[ \t]+[,.;:!?)\]」】）。，、](?![.\w])|[(\[「【（][ \t]+")
DOUBLE_SPACE = regex.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
EDGE_SPACE = regex.compile(r"^[ \t]+|[ \t]+$", regex.MULTILINE)
EMPTY_PAIR = regex.compile(r"\([ \t]*\)|\[[ \t]*\]|\{[ \t]*\}|\"[ \t]*\"|“[ \t]*”|„[ \t]*“|«[ \t]*»|【[ \t]*】|（[ \t]*）"
                           r"|「[ \t]*」|『[ \t]*』")
EDGE_SEPARATOR = regex.compile(r"^[ \t]*[,;:.!?|/·–—、，：；。]|[,;|/·–—\-][ \t]*$", regex.MULTILINE)
LOWER_START = regex.compile(r"(?:(?<=[.!?][ \t]+)|(?<=[。！？]))\p{Ll}|\A[ \t]*\p{Ll}")
PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("【", "】"), ("（", "）"), ("「", "」"), ("『", "』"), ("“", "”"))

PROSE = frozenset({"bullet", "description", "insert_card"})
"""Fields written as sentences; titles and search terms are lists of terms."""


def shapes(text: str, kind: str = "bullet") -> Counter:
    """Count the broken-copy shapes in one field's text (``kind``: the field kind's value)."""
    found: Counter = Counter()
    if not text.strip():
        found["empty field"] += 1
        return found
    if kind != "search_terms":
        for m in DANGLING.finditer(text):
            word, following = m.group(1).lower(), m.group(2)
            if word not in DANGLING_WORDS:
                continue
            if following is None:
                found[f"dangling '{word}'"] += 1
            elif following.lower() in CONJUNCTION_WORDS or (
                    word in _HARD and following.lower() in PREPOSITION_WORDS - ARTICLE_WORDS):
                found[f"dangling '{word}'"] += 1
        found["dangling contact word"] += len(CJK_DANGLING.findall(text))
        found["label with nothing after it"] += len(LABEL_AT_END.findall(text))
        found["doubled punctuation"] += len(DOUBLED.findall(text))
        found["space before punctuation"] += len(SPACE_BEFORE.findall(text))
        found["empty brackets or quotes"] += len(EMPTY_PAIR.findall(text))
        found["separator at an end"] += len(EDGE_SEPARATOR.findall(text))
    found["double space"] += len(DOUBLE_SPACE.findall(text))
    found["space at an end"] += len(EDGE_SPACE.findall(text))
    for a, b in PAIRS:
        if text.count(a) != text.count(b):
            found["unbalanced brackets"] += 1
    if text.count('"') % 2:
        found["unbalanced brackets"] += 1
    if kind in PROSE:
        found["sentence starts in lower case"] += len(LOWER_START.findall(text))
    return +found


_HARD = frozenset("at to via for from with".split())
"""Prepositions that are never followed by another one ("Write to for spares"); "out of" and "from under" are fine."""


def added_shapes(before: str, after: str, kind: str = "bullet") -> list[str]:
    """Return the shapes ``after`` has more of than ``before`` (empty when the edit broke nothing)."""
    old, new = shapes(before, kind), shapes(after, kind)
    return sorted(k for k, v in new.items() if v > old.get(k, 0))
