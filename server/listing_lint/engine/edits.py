"""Layer 3 (engine): turn a rule's fix spec and a hit into concrete source edits."""

from __future__ import annotations

import json
from typing import Optional

import regex

from ..diagnostics import Edit, Fix
from ..model import Escape, Field
from .kinds import Hit
from .spec import FixSpec

SENTENCE_END = regex.compile(r"[.!?]+(?=[\s\"'”’)\]]|$)|[。！？]+|\r\n|\r|\n")
"""A sentence ends at its punctuation or at a line break: CRLF and a lone CR too, or removing the sentence
would take the CR of its line break with it and leave a bare LF in a CRLF file."""
BRACKETS = {"(": ")", "[": "]", "{": "}", "【": "】", "（": "）", "<": ">", "「": "」", "『": "』"}
TEMPLATE = regex.compile(r"\{(match|\d+|brand)(?:\|(title|lower|upper))?\}")
SPACES = " \t"


def render(template: str, values: dict) -> str:
    """Fill ``{match}``, ``{1}`` and ``{match|title}`` in a template; nothing else is evaluated."""

    def sub(m: "regex.Match[str]") -> str:
        value = str(values.get(m.group(1), ""))
        flt = m.group(2)
        return value.title() if flt == "title" else value.lower() if flt == "lower" else value.upper() if flt else value

    return TEMPLATE.sub(sub, template)


PLACEHOLDER = regex.compile(r"\{(\w+)\}")


def format_message(template: str, values: dict) -> str:
    """Fill ``{name}`` placeholders from values, leaving unknown ones as written."""
    # A compiled pattern: regex.sub(str, ...) looks its pattern up in the module's cache on every call, which
    # cost half of each finding's time.
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of the sentence holding ``[start, end)``, without surrounding space."""
    s = 0
    for m in SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    while s < start and text[s].isspace():
        s += 1
    m = SENTENCE_END.search(text, end)
    e = m.end() if m else len(text)
    if m and m.group() in ("\r\n", "\r", "\n"):
        e = m.start()
    return s, e


SEPARATORS = ",;/|-–—·"


def removal_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to remove cleanly: wrapping brackets, an orphaned list separator and one side's space go too."""
    while start > 0 and end < len(text) and BRACKETS.get(text[start - 1]) == text[end]:
        start, end = start - 1, end + 1
    n = len(text)
    left = start
    while left > 0 and text[left - 1] in SPACES:
        left -= 1
    right = end
    while right < n and text[right] in SPACES:
        right += 1
    if left > 0 and text[left - 1] in SEPARATORS and (right == n or text[right] in SEPARATORS + "\r\n"):
        # "A, X, B" -> "A, B" and "A | X" -> "A": the separator before X goes with it.
        start = left - 1
        while start > 0 and text[start - 1] in SPACES:
            start -= 1
        return start, end
    after = end
    while after < n and text[after] in SPACES:
        after += 1
    before = start
    while before > 0 and text[before - 1] in SPACES:
        before -= 1
    at_line_start = before == 0 or text[before - 1] in "\r\n"
    glued_left = before == start and start > 0 and not text[start - 1].isspace()
    if after > end and (at_line_start or after == n or text[after] in "\r\n"):
        return (before if after == n or text[after] in "\r\n" else start), after
    if after > end and not glued_left:
        return start, after
    if before < start and (after == n or not text[after].isalnum()):
        # Nothing but punctuation or the end follows: take the space before instead.
        return before, end
    # Glued to the word before ("Top! Mini", "Vantora™ blades"): keep the space that separates words.
    return start, end


def encode(new_text: str, escape: Escape) -> str:
    """Encode inserted text for the field's source format."""
    if escape is Escape.JSON:
        return json.dumps(new_text, ensure_ascii=False)[1:-1]
    if escape is Escape.CSV_QUOTED:
        return new_text.replace('"', '""')
    if escape is Escape.CSV_BARE and any(c in new_text for c in ',"\r\n'):
        raise ValueError("text cannot be written into an unquoted CSV cell")
    if escape is Escape.TSV and any(c in new_text for c in "\t\r\n"):
        raise ValueError("text cannot be written into a tab-separated cell")
    return new_text


def template_for(spec: FixSpec, lang: str) -> str:
    """Return the fix template for a language, falling back to English, then to the language-neutral one."""
    for key in (lang, "en", "any"):
        if key in spec.templates:
            return spec.templates[key]
    return ""


def build_fix(spec: FixSpec, hit: Hit, values: dict) -> Optional[Fix]:
    """Return the fix for a hit, or None when the hit is not fixable."""
    if not hit.fixable:
        return None
    field: Field = hit.field
    text = field.text
    if spec.kind == "remove":
        s, e = removal_span(text, hit.fix_start if hit.fix_start is not None else hit.start, hit.end)
        new = ""
    elif spec.kind == "remove-sentence":
        s, e = sentence_span(text, hit.start, hit.end)
        s, e = removal_span(text, s, e)
        new = ""
    elif spec.kind == "replace-sentence":
        s, e = sentence_span(text, hit.start, hit.end)
        new = render(template_for(spec, hit.lang), values)
    else:  # replace
        s, e = hit.start, hit.end
        new = render(template_for(spec, hit.lang), values)
    try:
        encoded = encode(new, field.escape)
    except ValueError:
        return None  # the fix cannot be written in this format; the finding stays, unfixed
    edit = Edit(field.source_offset(s), field.source_offset(e), encoded)
    applicability = hit.applicability if hit.applicability is not None else spec.applicability
    return Fix(render(format_message(spec.title, values), values), (edit,), applicability)
