"""Layer 3 (engine): turn a rule's fix spec and a hit into concrete source edits that leave well-formed copy."""

from __future__ import annotations

import bisect
import functools
import itertools

import json
from typing import Optional

import regex

from ..diagnostics import Applicability, Edit, Fix
from ..model import Escape, Field, FieldKind, Listing
from ..patterns import compile_pattern
from . import fixwords as w
from .detectors.text_forms import HTML_TAG_NAMES
from .kinds import Hit
from .spec import FixSpec
from .wellformed import added_shapes

_LEAD_SEPARATOR = compile_pattern(r"[ \t]*[,;:][ \t]*")
SENTENCE_END = compile_pattern(
    r"(?<!\b(?i:tel|tél|tfno|nr|no|ca|approx|st|dr|mr|mrs|ms|vs|fig|ref|art|e\.g|i\.e|z\.\s?b|bzw|inkl|ggf))"
    r"[.!?]+(?=[\s\"'”’)\]]|$)|[。！？]+|\r\n|\r|\n")
"""A sentence ends at its punctuation or at a line break: CRLF and a lone CR too, or removing the sentence
would take the CR of its line break with it and leave a bare LF in a CRLF file. The period of an
abbreviation ("Tel. 030 …", "z. B.") ends none."""
BRACKETS = {"(": ")", "[": "]", "{": "}", "【": "】", "（": "）", "<": ">", "「": "」", "『": "』",
            '"': '"', "“": "”", "„": "“", "«": "»"}
TEMPLATE = compile_pattern(r"\{(match|\d+|brand)(?:\|(title|lower|upper))?\}")
SPACES = " \t"
_KIND_VALUES = {kind: kind.value for kind in FieldKind}
"""Each field kind's name as the fix guard takes it (an enum's ``value`` is a Python property)."""
PROSE = frozenset({FieldKind.BULLET, FieldKind.DESCRIPTION, FieldKind.INSERT_CARD})
"""Fields written as sentences: a removal there must leave a sentence, not a fragment."""
BULLET_MARK = compile_pattern(r"[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+")
WORD = compile_pattern(r"[\p{L}\p{M}\p{N}'’-]+")
LEFTOVER = compile_pattern(r"[\s\p{P}\p{S}]+")


def count_words(text: str, limit: int) -> int:
    """Return how many words (``WORD``) the text holds, counting no further than ``limit``: the fixes ask whether a
    sentence has a few words left, and a long one need not be read to its end to say no."""
    return sum(1 for _ in itertools.islice(WORD.finditer(text), limit))


def render(template: str, values: dict) -> str:
    """Fill ``{match}``, ``{1}`` and ``{match|title}`` in a template; nothing else is evaluated."""

    def sub(m: "regex.Match[str]") -> str:
        value = str(values.get(m.group(1), ""))
        flt = m.group(2)
        return value.title() if flt == "title" else value.lower() if flt == "lower" else value.upper() if flt else value

    return TEMPLATE.sub(sub, template)


PLACEHOLDER = compile_pattern(r"\{(\w+)\}")


def format_message(template: str, values: dict) -> str:
    """Fill ``{name}`` placeholders from values, leaving unknown ones as written."""
    parts = _message_parts(template)
    if len(parts) == 1:
        return template
    out = [parts[0]]
    for i in range(1, len(parts), 2):
        name = parts[i]
        out.append(str(values[name]) if name in values else "{" + name + "}")
        out.append(parts[i + 1])
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _message_parts(template: str) -> tuple[str, ...]:
    """Return a template's text and placeholder names, alternating (text first and last): a run's findings share
    a few dozen templates, each split once rather than searched for every finding."""
    return tuple(PLACEHOLDER.split(template))


ABBREVIATION = compile_pattern(r"(?<![\p{L}\p{N}])\p{L}{1,4}\.[ \t]+\p{Ll}")
"""A short word's period with a lower-case word after it ("24 Std. mit einem Entwurf", "ca. 5 cm" aside): an
abbreviation inside the sentence, not its end."""


@functools.lru_cache(maxsize=16)
def _sentence_ends(text: str) -> tuple[list[int], list[int], list[bool]]:
    """Return the starts and ends of a text's sentence ends, and which are line breaks (found once per text)."""
    found = [m for m in SENTENCE_END.finditer(text)
             if not (m.group() == "." and ABBREVIATION.match(text, _word_start(text, m.start())))]
    return ([m.start() for m in found], [m.end() for m in found],
            [m.group() in ("\r\n", "\r", "\n") for m in found])


def _word_start(text: str, at: int) -> int:
    """Return where the word that ends at ``at`` starts (``at`` itself when none does)."""
    k = at
    while k > 0 and k > at - 5 and text[k - 1].isalpha():
        k -= 1
    return k


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of the sentence holding ``[start, end)``, without surrounding space.

    Logarithmic per call: a field with thousands of findings ("Rate us 5 stars." 6,000 times) would
    otherwise rescan from its start for each one.
    """
    starts, ends, breaks = _sentence_ends(text)
    i = bisect.bisect_right(ends, start) - 1  # the last sentence end before the span
    s = ends[i] if i >= 0 else 0
    while s < start and text[s].isspace():
        s += 1
    j = bisect.bisect_right(ends, end)  # the first sentence end after the span's end
    if j == len(ends):
        return s, len(text)
    return s, (max(starts[j], end) if breaks[j] else ends[j])


SEPARATORS = ",;/|-–—·，、；"
TITLE_SEPARATOR = compile_pattern(r"[ \t]+[-–—|·/][ \t]+|[,;][ \t]+")
"""What parts a title: " - ", " | ", ", " (a hyphen inside a word, as in "5-star", does not)."""


def title_part(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the bounds of the part of a title holding ``[start, end)``: titles list terms, not sentences.

    "Vantora Blender 1200W - Leave a 5-star review for a gift card" has two parts; a fix that takes the
    sentence takes the second, not the title.
    """
    s, e = sentence_span(text, start, end)
    for m in TITLE_SEPARATOR.finditer(text, s, e):
        if m.end() <= start:
            s = m.end()
        elif m.start() >= end:
            return s, m.start()
    return s, e


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
    if (left == 0 or text[left - 1] in "\r\n") and right < n and (
            text[right] in "，、：；" or text[right] in SEPARATORS + ":" and right + 1 < n and text[right + 1] in SPACES):
        # "X, rest" at the start of a line: the separator after X goes with it.
        right += 1
        while right < n and text[right] in SPACES:
            right += 1
        return start, right
    after = right
    before = left
    at_line_start = before == 0 or text[before - 1] in "\r\n"
    at_line_end = after == n or text[after] in "\r\n"
    if at_line_start and at_line_end and (before > 0 or after < n):
        # The whole line goes: take one line break with it, the one before when there is one, so that
        # the line's own break ends the line before (a CRLF is never split).
        if before > 0:
            before -= 2 if text[before - 2:before] == "\r\n" else 1
            return before, after
        return before, after + (2 if text[after:after + 2] == "\r\n" else 1)
    glued_left = before == start and start > 0 and not text[start - 1].isspace()
    if glued_left and after > end and after < n and _cjk(text[start - 1]) and _cjk(text[after]):
        # "欢迎选购，售后请拨打 138… 或…": Chinese and Japanese need no space between words.
        return start, after
    if after > end and (at_line_start or at_line_end):
        return (before if at_line_end else start), after
    if after > end and not glued_left:
        return start, after
    if before < start and (after == n or not text[after].isalnum()):
        # Nothing but punctuation or the end follows: take the space before instead.
        return before, end
    # Glued to the word before ("Top! Mini", "Vantora™ blades"): keep the space that separates words.
    return start, end


def _cjk(ch: str) -> bool:
    """Tell whether a character is Chinese or Japanese (or their full-width punctuation)."""
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def gap_edit(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Remove ``[start, end)`` and put one space back only where two words would otherwise run together."""
    s, e = removal_span(text, start, end)
    if 0 < s and e < len(text) and not text[s - 1].isspace() and not text[e].isspace() \
            and text[s - 1] not in "([{【（「" and (text[e].isalnum() or text[e] in "([{【（「"):
        return s, e, " "
    return s, e, ""


def search_at_end(pattern: "regex.Pattern[str]", text: str) -> "Optional[regex.Match[str]]":
    """Return ``pattern.search(text)`` for a pattern that ends at the end of the text (``\\s*$``).

    The forward search tries every start; most texts hold no match, which the same pattern searched in reverse
    (``(?r)``) tells from the end alone, five times faster (a sentence before a contact: 4.9 against 23 µs).
    Both find a match in the same texts (no atomic group or possessive quantifier in these patterns: they
    match the same strings either way), and the forward search is still run for the match itself, whose start
    is the leftmost one.
    """
    if _reversed(pattern).search(text) is None:
        return None
    return pattern.search(text)


@functools.lru_cache(maxsize=None)
def _reversed(pattern: "regex.Pattern[str]") -> "regex.Pattern[str]":
    return compile_pattern("(?r)" + pattern.pattern, pattern.flags)


def carrier_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a contact's span to the words that only carry it: a label, a preposition, an opening contact verb.

    "Email us at x" and "Tel: x" go whole; "Recipes at www.x.com" loses "at www.x.com" only, and "feel
    free to contact us by email at x" keeps its verb: only a verb that opens its clause goes.
    """
    floor, _ = sentence_span(text, start, end)
    moved = False
    while start > floor:
        before = text[floor:start]
        # CJK_VERB needs a CJK character: on other text it cannot match, and is not compiled for nothing.
        patterns = (w.LABEL, w.CONTACT_VERB, w.CARRIER_PREP) if before.isascii() else \
            (w.LABEL, w.CONTACT_VERB, w.CARRIER_PREP, w.CJK_VERB)
        for pattern in patterns:
            m = search_at_end(pattern, before)
            if m is None or not m.group().strip():
                continue
            seg = max(before.rfind(c, 0, m.start()) for c in ",;|(–—·:：，") + 1
            head = before[seg:m.start()]
            if pattern is w.CONTACT_VERB and not says_nothing(head):
                means = w.MEANS_BEFORE.search(before, 0, m.start())
                if means is None:
                    continue  # "… feel free to contact us": the verb is part of the sentence
                m = means  # "… or by emailing x": the means phrase carries the contact
            if pattern is w.LABEL and count_words(head, 3) <= 2 and not w.CONTACT_TOKEN.search(head) \
                    and not (any(_cjk(c) for c in head) and w.CONJUNCTION_BEFORE.search(head)):
                # A label's qualifier goes with it when nothing else is in its segment ("UK helpline"). A Chinese
                # clause is one run of characters: one ending in 或 or 和 joins another, which stays.
                start = floor + seg + len(head) - len(head.lstrip())
            else:
                start = floor + m.start()
            break
        else:
            break
        moved = True
        if pattern is w.CONTACT_VERB:
            break
    if moved:
        m = search_at_end(w.CONJUNCTION_BEFORE, text[floor:start])
        if m is not None and text[floor:floor + m.start()].strip():
            # "… or call 555": the conjunction joined this clause to the one before.
            start = floor + m.start()
    m = w.CJK_TRAILER.match(text, end)
    if m is not None and m.end() > end:
        end = m.end()
    return start, end


OPENERS = {"(": ")", "[": "]", "（": "）", "【": "】"}


def _closer(text: str, o: int, frm: int) -> int:
    """Return where the bracket opened at ``o`` closes, searching from ``frm``, or -1 when it does not close on
    that line or another bracket opens first."""
    c = text.find(OPENERS[text[o]], frm)
    if c < 0 or "\n" in text[frm:c] or any(ch in text[frm:c] for ch in OPENERS):
        return -1
    return c


_BRACKET_OR_BREAK_BEFORE = compile_pattern(r"(?r)[(\[（【)\]）】\r\n]")


def bracket_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a removal to the brackets around it when nothing else in them would be left ("(like …)")."""
    # The nearest bracket or line break before the match, found in one backward scan: walking back a
    # character at a time cost a hit at the end of a long description 100 µs.
    near = _BRACKET_OR_BREAK_BEFORE.search(text, 0, start)
    if near is None or text[near.start()] not in OPENERS:
        return start, end
    o = near.start()
    c = _closer(text, o, end)
    if c < 0:
        return start, end
    if says_nothing(text[o + 1:start] + " " + text[end:c], w.ASIDE_WORDS):
        return o, c + 1
    return start, end


_TAG = compile_pattern(rf"</?(?:{HTML_TAG_NAMES})(?:\s[^<>]*)?/?>", regex.I)
"""An HTML tag of the kinds listing copy holds ("<b>", "</p>", "<br/>"), not an address in angle brackets."""


def _marked_up(text: str, start: int, end: int) -> bool:
    """Tell whether the sentence around ``[start, end)`` holds an HTML tag."""
    ss, se = sentence_span(text, start, end)
    return _TAG.search(text, max(0, ss - 8), min(len(text), se + 8)) is not None


ASIDE_LIMIT = 40
"""Characters of a bracketed aside right after a contact that are taken to be about it ("(weekdays)")."""


def extension_after(text: str, end: int) -> int:
    """Widen a phone number's removal over the extension after it ("ext. 207", "poste 12"), which would be left
    naming a line that is no longer there."""
    if end == 0 or not text[end - 1].isdigit():
        return end
    m = w.EXTENSION.match(text, end)
    return m.end() if m is not None else end


def leaves_fragment(left: str, right: str) -> bool:
    """Tell whether what a contact's removal leaves of its sentence (``left`` and ``right`` of it) is a fragment
    that needed the contact: "Weitere Rezepte finden Sie auf unserer", "Drop us", "をご覧ください",
    "Síguenos en IG: y participa", "Is staffed 24/7".

    The words around a contact say so whatever the language's word order: a possessive, pronoun, particle or
    contact verb without its object left at the cut, a particle or a conjunction starting what follows it, a
    label or an arrow that pointed at it, or a clause left without its subject.
    """
    left, right = left.rstrip(), right.lstrip()
    if w.POINTER_END.search(left):
        return True
    last = LAST_WORD.search(left)
    if last is not None and last.group(1).lower() in w.HOLDER_WORDS and not (
            last.group(1).lower() in w.OBJECT_PRONOUNS and w.CONTACT_VERB.search(left[:last.start(1)] + last.group(1))):
        return True  # "Drop us" is cut short; "Contact us" is whole
    if last is not None and any(word.lower() in w.V2_PRONOUNS for word in WORD.findall(left[-40:])[-2:]):
        return True  # a German verb in second place: "Rechnungskopien erhalten Sie (per E-Mail an …)"
    if right and w.CJK_PARTICLE_START.match(right):
        return True
    first = WORD.match(right)
    if left.endswith((":", "：")) and WORD.search(right):
        return True
    if first is not None and first.group().lower() in w.CONJUNCTION_WORDS and (not left or left[-1] in ",;:–—-("):
        return True
    if not left:
        # The contact was the sentence's subject or topic: "Support line 1-800-… is staffed 24/7" leaves
        # "is staffed", and "Hotline: 030 …, Mo–Fr 9–17 Uhr" leaves the hours of a line that is gone.
        return (first is not None and first.group()[:1].islower()) or (
            right[:1] in ",;–—-" and WORD.search(right) is not None)
    return False


def leaves_opener(left: str, right: str) -> bool:
    """Tell whether a contact's removal leaves only the introductory phrase of its sentence: "For the full video
    walkthrough, head to <link>." would leave "For the full video walkthrough."."""
    left = left.rstrip()
    if not left.endswith(",") or WORD.search(right):
        return False
    opener = WORD.search(left)
    return opener is not None and opener.group().lower() in w.STARTERS


def aside_after(text: str, end: int) -> int:
    """Widen a contact's removal over a short bracketed aside right after it, which says something about the
    contact ("Mail info@shop.com (weekdays)", "at www.shop.com (free)") and would be left saying it of nothing."""
    o = end
    while o < len(text) and text[o] in " \t":
        o += 1
    if o >= len(text) or text[o] not in OPENERS:
        return end
    c = _closer(text, o, o + 1)
    return c + 1 if 0 <= c and c - o <= ASIDE_LIMIT else end


@functools.lru_cache(maxsize=None)
def _cjk_filler() -> "regex.Pattern[str]":
    # Compiled on first use: a dear pattern that only a contact removal's leftovers need.
    return compile_pattern(rf"(?:{w.CJK_LABELS}|{w.CJK_VERBS}|请|請|或|和|及|欢迎|歡迎|随时|隨時|{w.CJK_FILLERS})+")


SAYS_NOTHING_LIMIT = 1000
"""Characters of a sentence's remainder past which it is taken to say something (kept, the contact cut)."""


def says_nothing(rest: str, extra: frozenset = frozenset()) -> bool:
    """Tell whether the words left in a sentence say nothing once its contact is gone ("Email or call.")."""
    if len(rest) > SAYS_NOTHING_LIMIT:
        return False  # a run-on "sentence" this long says something; and rescanning it per finding is quadratic
    rest = w.CONTACT_TOKEN.sub(" ", rest)
    rest = w.LEAD_IN.sub(" ", rest)
    for m in WORD.finditer(rest):  # the first word that says something settles it
        word = m.group()
        lower = word.lower()
        if lower in w.FILLER_WORDS or lower in extra or w.CONTACT_VERB.fullmatch(lower) or w.LABEL.fullmatch(lower):
            continue
        # An ASCII word the CJK filler matches ("TEL", "QQ") is a label LABEL matched above: only others are tried.
        if not word.isascii() and _cjk_filler().fullmatch(word):
            continue
        return False
    return True


def sentence_removal(text: str, ss: int, se: int) -> tuple[int, int]:
    """Return what goes when a whole sentence goes: its spaces, and a lead-in it leaves alone ("Questions?")."""
    s, e = removal_span(text, ss, se)
    line_end = text.find("\n", se)
    line_rest = text[se:line_end if line_end >= 0 else len(text)].strip()
    if not line_rest:
        k = ss
        while k > 0 and text[k - 1] in SPACES:
            k -= 1
        _, ends, _ = _sentence_ends(text)
        before = bisect.bisect_right(ends, max(k - 1, 0)) - 1  # the sentence end before this sentence
        ps = ends[before] if before >= 0 else 0
        while ps < k and text[ps].isspace():
            ps += 1
        if ps < k and w.LEAD_IN.fullmatch(text[ps:k]):
            s, e = removal_span(text, ps, se)
    return s, e


# Searched from the end ((?r)): the match ends the text, so a forward search tried, and failed at, every word first.
LAST_WORD = compile_pattern(r"(?r)([\p{L}\p{M}'’-]+)[ \t]*$")
NEXT_TOKEN = compile_pattern(r"[ \t]*(?:([\p{L}\p{M}'’-]+)|([.,;:!?])|$)")
TRAILING_SEPARATOR = compile_pattern(r"(?r)[ \t]*[,;:][ \t]*$")


def orphan_span(text: str, ss: int, se: int, start: int, end: int) -> tuple[int, int]:
    """Widen a removal over the function words it would orphan ("at a great price." goes whole, not "at a.").

    A preposition, article, conjunction or auxiliary right before the removal goes too when punctuation, a
    conjunction or the sentence end follows it ("quality and unbeatable prices." -> "quality.", "are brand
    new and come" -> "come"); an opening "With …," takes its comma; a separator left before the sentence
    end goes ("wrong; over 2 million sold." -> "wrong.").
    """
    for _ in range(3):
        m = LAST_WORD.search(text, ss, start)
        nxt = NEXT_TOKEN.match(text, end, se)
        if m is None or nxt is None or m.group(1).lower() not in w.FUNCTION_WORDS:
            break
        word, punct = nxt.group(1), nxt.group(2)
        ends = word is None and punct in (None, ".", "!", "?", ",", ";", ":")
        joins = word is not None and word.lower() in w.CONJUNCTION_WORDS and m.group(1).lower() not in \
            w.CONJUNCTION_WORDS
        if not (ends or joins):
            break
        start = m.start(1)
        if joins:
            end = nxt.end()
        elif punct == "," and (not text[ss:start].strip() or text[ss:start].rstrip()[-1] in "-–—:;,("):
            end = nxt.end()  # "With over 1 billion sold, Ravensburger …": the clause's comma goes too
    nxt = NEXT_TOKEN.match(text, end, se)
    sep = TRAILING_SEPARATOR.search(text, ss, start)
    if sep is not None and nxt is not None and nxt.group(1) is None and nxt.group(2) in (None, ".", "!", "?"):
        start = sep.start()
    return start, end


HEADER_END = compile_pattern(r"[ \t]+[–—-][ \t]+|[ \t]*[:：][ \t]+")
HEADER_LIMIT = 80
"""Characters a bullet point's capitalised header may hold ("BEST SELLER – …", "LA SCELTA DI … – …")."""


def header_span(text: str, start: int, end: int) -> Optional[tuple[int, int]]:
    """Return the span of the header a removal falls in, with the dash or colon after it, when the header is
    capitalised ("LA SCELTA DI OLTRE UN MILIONE DI ITALIANI – cuscino …") or holds nothing else but function
    words ("Our best seller – …"); else None. A header is one phrase: a claim taken out of it leaves the rest
    of it saying nothing ("LA DI ITALIANI", "Our –")."""
    line = text.rfind("\n", 0, start) + 1
    sep = HEADER_END.search(text, end, min(len(text), line + HEADER_LIMIT + 3))
    if sep is None or "\n" in text[end:sep.start()]:
        return None
    header = text[line:sep.start()]
    letters = [c for c in header if c.isalpha()]
    if len(letters) >= 4 and not any(c.islower() for c in letters):
        return line, sep.end()
    rest = False
    for m in WORD.finditer(text[line:start] + " " + text[end:sep.start()]):
        if m.group().lower() not in w.HOLDER_WORDS:
            return None
        rest = True
    return (line, sep.end()) if rest else None  # "Our best seller – …" would leave "Our – …"


def plan_removal(text: str, start: int, end: int, contact: bool, prose: bool
                 ) -> tuple[int, int, str, Optional[Applicability]]:
    """Return the span to replace, its new text and, when it is lower, the applicability the result allows."""
    if contact:
        start, end = carrier_span(text, start, end)
        end = aside_after(text, extension_after(text, end))
    elif text[end:end + 1] in ("的", "の") and text[end + 1:end + 2].isalpha():
        end += 1  # "销量第一的压蒜器": the particle that tied the claim to the noun goes with it
    start, end = bracket_span(text, start, end)
    if prose and not contact:
        header = header_span(text, start, end)
        if header is not None:
            start, end = header
    if prose or contact:
        ss, se = sentence_span(text, start, end)
        left, right = text[ss:start], text[end:se]
        if not WORD.search(right) and left.rstrip().endswith((":", "：")):
            # "Setup video: <link>" would leave "Setup video:": a short label goes with what it labelled, and
            # a contact's whole sentence goes ("Please visit our website for the full list: <link>").
            seg = max(left.rfind(c) for c in ",;|(–—·") + 1
            if contact or count_words(left[seg:], 5) <= 4:
                start = ss + (0 if contact else seg + len(left[seg:]) - len(left[seg:].lstrip()))
                left = text[ss:start]
        if not WORD.search(left) and not WORD.search(right):
            s, e = sentence_removal(text, ss, se)  # the match was the whole sentence ("Free Shipping.")
            return s, e, "", None
        if (prose and not contact and WORD.search(left) and WORD.search(right)
                and count_words(left + " " + right, 4) <= 3 < count_words(text[start:end], 4)):
            # A claim that is most of its sentence, words left on both sides: "Over 40,000 gardeners … have
            # grown our sweet peas." would leave "Over sweet peas.". The sentence goes, as a fix to review.
            s, e = sentence_removal(text, ss, se)
            return s, e, "", Applicability.UNSAFE
        if contact and says_nothing(left + right):
            s, e = sentence_removal(text, ss, se)
            return s, e, "", None
        if contact and w.CJK_PARTICLE_END.search(left) and says_nothing(right):
            # "ご不明点は<phone>までお問い合わせください。" leaves "ご不明点は。", and "ご質問は<email>までお気軽に
            # どうぞ。" "ご質問はどうぞ。": the sentence was the contact.
            s, e = sentence_removal(text, ss, se)
            return s, e, "", None
        if contact and not left.strip() and w.CONTACT_VERB_START.match(text, start) and w.PURPOSE.match(right):
            # "Visit <link> for recipes.": the call to action and what it offers go together.
            s, e = sentence_removal(text, ss, se)
            return s, e, "", None
        if prose:
            opener_only = contact and leaves_opener(left, right)  # read before the orphaned comma goes
            # "Para más info escríbenos por WhatsApp al … y te contestamos": the clause's verb went with the
            # contact, and "Para más info y te contestamos" is left.
            verb_taken = contact and WORD.search(left) is not None and w.CONTACT_VERB_START.match(text, start) \
                and (first := WORD.search(right)) is not None and first.group().lower() in w.CONJUNCTION_WORDS
            start, end = orphan_span(text, ss, se, start, end)
            left, right = text[ss:start], text[end:se]
            # A bracketed aside goes without a trace: "公式サイト（www.x.jp）をご覧ください".
            aside = text[start:start + 1] in OPENERS and text[end - 1:end] == OPENERS[text[start]]
            if contact and not aside and (opener_only or verb_taken or leaves_fragment(left, right)):
                # The rest of the sentence needed the contact. The sentence goes, and what else it said with
                # it: a person checks that first.
                s, e = sentence_removal(text, ss, se)
                return s, e, "", Applicability.UNSAFE
        if not left.strip():
            lead = _LEAD_SEPARATOR.match(right)
            first = WORD.search(right)
            if first is not None and first.group().lower() in w.STARTERS:
                # "Free shipping on every order!" would leave "on every order!": the sentence goes, and with
                # it what the other words said.
                s, e = sentence_removal(text, ss, se)
                return s, e, "", Applicability.UNSAFE
            if lead is not None and first is not None and first.start() == lead.end():
                end += lead.end()  # "8 million sold, breaking records": the comma goes, "Breaking" starts
                right = text[end:se]
                first = WORD.search(right)
            if (prose and first is not None and first.group()[:1].islower()
                    and not right[:first.start()].strip(" \t–—-")):
                # The next word starts the sentence now: capitalise it.
                s, e = removal_span(text, start, end)
                at = end + first.start()
                if e <= at:
                    return s, at + 1, text[e:at] + text[at].upper(), None
    s, e = removal_span(text, start, end)
    return s, e, "", None


def drop_bullet(listing: Optional[Listing], field: Field) -> Optional[tuple[int, int]]:
    """Return the source span that removes a bullet whole, where its format allows; None where it does not."""
    if listing is None or field.kind is not FieldKind.BULLET:
        return None
    src, fs, fe = listing.text, field.start, field.end
    if field.escape is Escape.NONE:
        line_start = max(src.rfind("\n", 0, fs), src.rfind("\r", 0, fs)) + 1
        if not BULLET_MARK.fullmatch(src, line_start, fs):
            return None
        if src.startswith("\r\n", fe):
            return line_start, fe + 2
        if src.startswith(("\n", "\r"), fe):
            return line_start, fe + 1
        if fe == len(src) and line_start > 0:
            return line_start - (2 if src[line_start - 2:line_start] == "\r\n" else 1), fe
        return None
    if field.escape is Escape.JSON and fs > 0 and src[fs - 1:fs] == '"' and src[fe:fe + 1] == '"':
        a, b = fs - 1, fe + 1
        p = a
        while p > 0 and src[p - 1].isspace():
            p -= 1
        q = b
        while q < len(src) and src[q].isspace():
            q += 1
        if p > 0 and src[p - 1] == ",":
            return p - 1, b  # `, "bullet"`: the comma before it goes
        if p > 0 and src[p - 1] == "[" and q < len(src) and src[q] == ",":
            r = q + 1
            while r < len(src) and src[r].isspace():
                r += 1
            return a, r  # the first of several: its comma and the space up to the next one go
        if p > 0 and src[p - 1] == "[" and q < len(src) and src[q] == "]":
            return p, q  # the only one: the array is left empty
    return None


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


def check_window(text: str, s: int, e: int, reach: int = 100) -> tuple[int, int]:
    """Return the stretch of a field the fix guard reads: the edit and a few sentences around it.

    The window's ends sit at spaces, so a cut never looks like a stray space or a lower-case sentence start,
    and they are the same before and after the edit, so only what the edit changed can add a shape.
    """
    ws = max(0, s - reach)
    if ws > 0:
        ws = next((i + 1 for i in range(ws, s) if text[i].isspace()), s)
    we = min(len(text), e + reach)
    if we < len(text):
        we = next((i for i in range(we, e, -1) if text[i].isspace()), e)
    return ws, we


def blank(text: str) -> bool:
    """Tell whether a field's text holds nothing but spaces and punctuation."""
    return LEFTOVER.fullmatch(text) is not None or not text


def build_fixes(spec: FixSpec, hit: Hit, values: dict, listing: Optional[Listing] = None) -> tuple[Fix, ...]:
    """Return a hit's fixes, the one to apply first; the others are what a seller may pick instead, and what
    the fix loop falls back to when the first would make a new finding (fixes.fix_text).

    A sentence replaced by new wording can also just go: the new sentence may be longer, and take a bullet
    point over its length limit. In a title or search terms the sentence only goes: new wording in search
    terms, which no buyer reads, would spend their byte limit and say nothing, and in a title, whose terms
    are not sentences, it would take the place of the product's name (the part of the title goes, see
    ``title_part``).
    """
    in_title = hit.field.kind is FieldKind.TITLE
    removal_title = f"Remove the {'part of the title' if in_title else 'sentence'} with '{{match}}'"
    if spec.kind == "replace-sentence":
        removal = spec._replace(kind="remove-sentence", title=removal_title)
        specs = [removal] if in_title or hit.field.kind is FieldKind.SEARCH_TERMS else [spec, removal]
    elif spec.kind == "remove-sentence" and in_title:
        specs = [spec._replace(title=removal_title)]
    else:
        specs = [spec]
    return tuple(fix for fix in (build_fix(s, hit, values, listing) for s in specs) if fix is not None)


def build_fix(spec: FixSpec, hit: Hit, values: dict, listing: Optional[Listing] = None) -> Optional[Fix]:
    """Return the fix for a hit, or None when the hit is not fixable.

    A fix that would empty a bullet removes the bullet where the format allows (a Markdown list item, a
    JSON array element) and is not offered elsewhere; one that would leave broken copy (see wellformed.py)
    is offered as a suggestion only.
    """
    if not hit.fixable:
        return None
    field: Field = hit.field
    text = field.text
    applicability = hit.applicability if hit.applicability is not None else spec.applicability
    lowered: Optional[Applicability] = None
    if spec.kind in ("remove", "remove-contact"):
        start = hit.fix_start if hit.fix_start is not None else hit.start
        s, e, new, lowered = plan_removal(text, start, hit.end, spec.kind == "remove-contact",
                                          field.kind in PROSE)
        if spec.kind == "remove-contact" and lowered is None and "<" in text and _marked_up(text, start, hit.end):
            # "<b>Visit www.shop.com for recipes.</b>": the tags hide where the call to action starts, so the
            # cut would leave "Visit for recipes."; a person reads it first.
            lowered = Applicability.UNSAFE
    elif spec.kind == "remove-sentence":
        span = title_part if field.kind is FieldKind.TITLE else sentence_span
        s, e = sentence_removal(text, *span(text, hit.start, hit.end))
        new = ""
    elif spec.kind == "replace-sentence":
        s, e = sentence_span(text, hit.start, hit.end)
        new = render(template_for(spec, hit.lang), values)
    else:  # replace
        new = render(template_for(spec, hit.lang), values)
        if new.strip():
            s, e = hit.start, hit.end
        else:
            s, e, new = gap_edit(text, hit.start, hit.end)
    if lowered is not None:
        applicability = min(applicability, lowered)
    after = text[:s] + new + text[e:]
    title = render(format_message(spec.title, values), values)
    # A removal that takes more than its match says so: the seller sees what goes before applying it.
    plain = spec.kind in ("remove", "remove-contact") and spec.title.startswith("Remove '{match}'")
    if blank(after):
        span = drop_bullet(listing, field)
        if span is None:
            return None  # an empty field is not a fix; the finding stays for the seller to reword
        if plain:
            title = render(format_message("Remove the bullet point with '{match}'", values), values)
        return Fix(title, (Edit(span[0], span[1], ""),), applicability)
    if plain:
        ss, se = sentence_span(text, hit.start, hit.end)
        if s <= ss and e >= se and WORD.search(text[ss:hit.start] + " " + text[hit.end:se]):
            title = render(format_message("Remove the sentence with '{match}'", values), values)
    ignored = ("unbalanced brackets",) if text[hit.start:hit.end].strip("{}[]()【】（）") == "" else ()
    ws, we = check_window(text, s, e)
    if [shape for shape in added_shapes(text[ws:we], text[ws:s] + new + text[e:we], _KIND_VALUES[field.kind])
            if shape not in ignored]:
        applicability = Applicability.DISPLAY_ONLY  # a suggestion a person must finish, never applied by a tool
    try:
        encoded = encode(new, field.escape)
    except ValueError:
        return None  # the fix cannot be written in this format; the finding stays, unfixed
    edit = Edit(field.source_offset(s), field.source_offset(e), encoded)
    return Fix(title, (edit,), applicability)
