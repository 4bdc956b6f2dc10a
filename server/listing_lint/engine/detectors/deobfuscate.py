"""Layer 3 (engine detector helper): undo address disguises, keeping a map back to the original offsets.

``name (ät) domain (punkt) com`` reads ``name@domain.com``; ``x (dot) y (at) (gee) mail (dot) com`` reads
``x.y@gmail.com``; ``shop[.]com``, ``shop dot com``, ``s u p p o r t`` and the words for "at" and "dot" in
the listing languages (at, ät, arroba, chiocciola, arobase, アット; dot, punkt, punto, point, 点, ドット)
are read the same way. One linear pass finds every disguise: each alternative starts at a bracket, a
space or a letter and reads a bounded number of characters, so no input can make it backtrack.

The address detectors match plain forms on the clean text and map their spans back. What a token was
(bracketed, spelled between spaces, plain) stays known, because a spelled " at " or " dot " is also
plain prose and needs more evidence than a bracketed one.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import NamedTuple, Optional

from ...patterns import compile_re
from .text_forms import HTML_TAG_NAMES, ascii_fold

SOFT_AT = "\ue000"
"""Stands for a spelled " at " in the clean text: an email may use it, a host scan treats it as a space."""

AT_WORDS = r"at|ät|arroba|chiocciola|arobase|atmark|klammeraffe|アットマーク|あっとまーく|アット|あっと|艾特"
# Spelled between spaces, every word for "at" but the English one is an address's "@": none is prose.
SPELLED_AT_WORDS = r"ät|arroba|chiocciola|arobase|atmark|klammeraffe"
DOT_WORDS = r"dot|punkt|punto|point|pkt|点|點|ドット|てん"
# Top-level domains a spelled or half-spaced dot may stand before ("shop point fr", "brewhaus .co").
SPACED_TLDS = r"(?:com|co|net|org|info|shop|store|online|eu|uk|de|fr|it|es|nl|be|ch|at|jp|cn|ca|au|io|br|pt)"
# Spelled between spaces, only the words that are rare in prose before a TLD; "point" only before one that
# is not a French word ("au point de" is French prose, "maisonlune point fr" an address).
SPACED_DOT_WORDS = r"dot|punkt|punto|point(?=[ \t]{1,3}(?:com|net|org|fr|be|ch|ca|eu|io|info|shop|store)(?![A-Za-z0-9]))"
OPEN = r"[\[\(\{<【「〔（]"
CLOSE = r"[\]\)\}>】」〕）]"
# Letters spelled out in brackets before the rest of a word: "(gee) mail" is gmail.
LETTER_NAMES = {
    "ay": "a", "bee": "b", "cee": "c", "see": "c", "dee": "d", "ef": "f", "gee": "g", "jee": "g",
    "aitch": "h", "eye": "i", "jay": "j", "kay": "k", "el": "l", "em": "m", "en": "n", "oh": "o", "pee": "p",
    "cue": "q", "ar": "r", "ess": "s", "tee": "t", "you": "u", "vee": "v", "ex": "x", "why": "y", "wye": "y",
    "zee": "z", "zed": "z",
}
_NAMES = "|".join(sorted(LETTER_NAMES, key=len, reverse=True))
_NOT_A_TAG = rf"(?!<(?:{HTML_TAG_NAMES})>)"
"""HTML's own short tags ("<b>www.shop.com</b>") are markup, not a bracketed letter or "at" in disguise."""

# Every alternative starts at a bracket, a space or tab, an "@" or a CJK character, so the engine skips the
# rest of the text quickly. What must stand before a token (a letter or digit) is checked in Python.
TOKEN = compile_re(
    # "(a)" stands for "@" in German and Dutch addresses ("name(a)domain.de"), not for the letter.
    rf"(?P<bat>{_NOT_A_TAG}{OPEN}[ \t]{{0,2}}(?:{AT_WORDS}|@|a)[ \t]{{0,2}}{CLOSE}[ \t]{{0,3}})"
    rf"|(?P<bdot>{OPEN}[ \t]{{0,2}}(?:{DOT_WORDS}|\.)[ \t]{{0,2}}{CLOSE}[ \t]{{0,3}})"
    rf"|(?P<letter>{_NOT_A_TAG}{OPEN}[ \t]?(?:{_NAMES}|[a-z])[ \t]?{CLOSE}[ \t]{{0,2}}(?=[a-z]))"
    # A line break is a space here: "support\n@\nlumex-home.com" on an insert card.
    rf"|(?P<pat>[ \t\r\n]{{1,3}}@[ \t\r\n]{{0,3}}(?=[^\W_])|@[ \t\r\n]{{1,3}}(?=[^\W_]))"
    rf"|(?P<sat>[ \t]{{1,3}}at[ \t]{{1,3}}(?=[^\W_]|{OPEN}))"
    rf"|(?P<wat>[ \t]{{1,3}}(?:{SPELLED_AT_WORDS})[ \t]{{1,3}}(?=[^\W_]|{OPEN}))"
    rf"|(?P<sdot>[ \t]{{1,3}}(?:{SPACED_DOT_WORDS})[ \t]{{1,3}}(?=[^\W_]))"
    rf"|(?P<pdot>[ \t]{{1,3}}\.[ \t]{{1,3}}(?=[^\W_]))"
    # A dot with space on one side only: after "www" ("www. brewhaus"), or before a TLD ("brewhaus .co/").
    rf"|(?P<tdot>[ \t]{{1,3}}\.(?={SPACED_TLDS}(?![A-Za-z0-9])))"
    r"|(?P<wdot>(?<=www)\.[ \t]{1,3}(?=[^\W_]))"
    # ★ is the usual Japanese stand-in for "@" ("info★shop.jp": replace ★ with @).
    r"|(?P<cat>[ \t]?(?:アット|あっと|艾特|[★☆])[ \t]?(?=[A-Za-z0-9]))"
    r"|(?P<cdot>[ \t]?(?:点|點|ドット)[ \t]?(?=[A-Za-z]))",
    re.I,
)
# Spaced letters: three or more single letters or digits, one space (or " . ") apart ("g m a i l . c o m").
SPACED = compile_re(r"(?<![A-Za-z0-9])[A-Za-z0-9](?: (?:\. )?[A-Za-z0-9](?![A-Za-z0-9])){2,}")
# A note that names a stand-in for "@": "请把#换成@", "将*替换为@", "replace # with @", "(# = @)", "#→@".
STAND_IN_NOTE = compile_re(
    r"(?:请?[把将]|replace|ersetzen sie|remplacez|sostituisci|reemplaza)[ \t]*([#*$%&!~^+])[ \t]*"
    r"(?:换成|替换为|替换成|改成|改为|with|durch|par|con|por|→|->)[ \t]*@"
    r"|[(（][ \t]*([#*$%&!~^+])[ \t]*(?:=|→|->|换成|替换为|替换成|改成|改为)[ \t]*@[ \t]*[)）]",
    re.I,
)
NEEDS_WORD_BEFORE = frozenset({"pat", "sat", "wat", "sdot", "pdot", "tdot", "wdot"})
NEEDS_ALNUM_BEFORE = frozenset({"cat", "cdot"})
LEAD_SPACE = 3

# Cheap tests for whether a disguise that matters could be present: a bracketed at or dot, a spelled dot, an
# "@", a CJK at or dot, spaced letters. A spelled " at " alone is everyday prose and needs one of these too.
# Each starts with a bracket or a space, which the regular expression engine can scan for quickly.
BRACKET_GATE = compile_re(
    rf"{OPEN}[ \t]{{0,2}}(?:{AT_WORDS}|{DOT_WORDS}|[@.]|{_NAMES}|[a-z])[ \t]{{0,2}}{CLOSE}", re.I)
SPACED_GATE = compile_re(r" [A-Za-z0-9] [A-Za-z0-9](?![A-Za-z0-9])")
GATE_WORDS = ("@", " . ", "www. ", " .", " point ", "dot", "punkt", "punto", " ät ", "arroba", "chiocciola",
              "arobase", "atmark", "klammeraffe", "アット", "あっと", "艾特", "★", "☆", "点", "點", "ドット")


def may_change_letters(folded: str) -> bool:
    """Tell whether a folded text could hold a disguise that puts letters in its clean reading (a bracketed letter,
    spaced letters): every other disguise only puts a dot or an "@" where blanks, brackets or words were."""
    return BRACKET_GATE.search(folded) is not None or SPACED_GATE.search(folded) is not None


def _may_hold_disguise(text: str) -> bool:
    lower = text.lower()
    return (any(w in lower for w in GATE_WORDS) or may_change_letters(text)
            or ("www" in lower and WWW_SPACED.search(text) is not None)
            or (not text.isascii() and EMOJI_DOT.search(text) is not None))


AT_KINDS = frozenset({"bat", "pat", "sat", "wat", "cat"})
DOT_KINDS = frozenset({"bdot", "sdot", "pdot", "tdot", "wdot", "cdot", "wsp", "edot"})

# Blanks for dots after "www", in search terms above all: "www boisetlumiere fr".
WWW_SPACED = compile_re(rf"(?<![A-Za-z0-9])www([ \t]{{1,3}})[A-Za-z0-9-]{{2,63}}([ \t]{{1,3}}){SPACED_TLDS}(?![A-Za-z0-9])",
                        re.I)
# An emoji or a bullet for the dot before a domain ending: "verdevivo🔹it/cura", "shop•com".
# The symbol comes first, its letter before it is checked after: a pattern led by a character class lets the
# engine skip to the next symbol, where one led by a lookbehind tries every position.
EMOJI_DOT = compile_re(rf"[\u00b7\u2022\u2219\u25a0-\u25ff\u2600-\u27bf\U0001F300-\U0001FAFF](?<=[A-Za-z0-9].)\ufe0f?"
                       rf"(?={SPACED_TLDS}(?:/|(?![A-Za-z0-9])))", re.I)


class Clean(NamedTuple):
    """A field's text with disguises undone, and the way back to the original offsets."""

    text: str
    """The clean text: ``@`` and ``.`` in place of their disguises (``SOFT_AT`` for a spelled " at ")."""
    starts: tuple[int, ...] = ()
    """Clean offset where each token starts, sorted."""
    ends: tuple[int, ...] = ()
    """Clean offset where each token ends."""
    shift: tuple[int, ...] = ()
    """Original offset minus clean offset just after each token."""
    orig: tuple[tuple[int, int], ...] = ()
    """Original span of each token."""
    kinds: tuple[str, ...] = ()
    """What each token was: bat, bdot, pat, sat, wat, sdot, pdot, tdot, wdot, cat, cdot, letter or spaced."""

    def start(self, i: int) -> int:
        """Map a clean start offset to the original text."""
        k = bisect.bisect_right(self.starts, i) - 1
        if k < 0:
            return i
        if i < self.ends[k]:
            return self.orig[k][0]
        return i + self.shift[k]

    def end(self, i: int) -> int:
        """Map a clean end offset (one past a character) to the original text."""
        k = bisect.bisect_left(self.ends, i)
        # A token whose clean span ends exactly at i covers the last character: end where it ends.
        if k < len(self.ends) and self.ends[k] == i and self.starts[k] < i:
            return self.orig[k][1]
        k = bisect.bisect_right(self.starts, i - 1) - 1
        if k < 0:
            return i
        if i - 1 < self.ends[k]:
            return self.orig[k][1]
        return i + self.shift[k]

    def tokens_in(self, start: int, end: int) -> list[str]:
        """Return the kinds of the tokens inside a clean span."""
        lo = bisect.bisect_left(self.ends, start + 1)
        hi = bisect.bisect_left(self.starts, end)
        return list(self.kinds[lo:hi])


def _replacement(kind: str, token: str) -> str:
    if kind in ("bat", "pat", "cat", "wat"):
        return "@"
    if kind == "sat":
        return SOFT_AT
    if kind in DOT_KINDS:
        return "."
    if kind == "letter":
        name = token.strip(" \t[](){}<>【】「」〔〕（）").lower()
        return LETTER_NAMES.get(name, name)
    return token.replace(" ", "")  # spaced letters


# Where a TOKEN match can start, in the lower-cased text: at a bracket or an "@"; at a CJK "at" or "dot" or a
# blank before one; at the dot of "www."; at each of up to three blanks before a word for "at" or "dot", a dot
# or an "@".
_OPENERS = ("[", "(", "{", "<", "【", "「", "〔", "（", "@")
_CJK = ("アット", "あっと", "艾特", "★", "☆", "点", "點", "ドット")
_AFTER_BLANKS = ("@", ".", "at", "ät", "arroba", "chiocciola", "arobase", "atmark", "klammeraffe",
                 "dot", "punkt", "punto", "point")
_BLANKS = " \t\r\n"
_OTHER_CASE = ("ı", "ſ")
"""Letters that ``re.IGNORECASE`` reads as "i" and "s" but ``str.lower`` keeps: such text is scanned whole."""


def _starts(folded: str) -> Optional[list[int]]:
    """Return every position where a TOKEN match could start, sorted, or None to scan the whole text.

    TOKEN's alternatives are named groups, so the ``re`` engine cannot skip ahead by first character and
    tries all thirteen at every position: about 0.3 µs per character. Finding these few places with
    ``str.find`` and matching only there reads the same tokens (a property test checks it): 91 µs to 7 µs for
    the real listing fields that reach this pass.
    """
    lower = folded.lower()
    if len(lower) != len(folded) or any(c in lower for c in _OTHER_CASE):
        return None  # a character whose lower case is longer ("İ") would shift the offsets
    found: set[int] = set()
    for opener in _OPENERS:
        if opener in lower:
            found.update(_occurrences(lower, opener))
    if not lower.isascii():
        for word in _CJK:
            if word in lower:
                for at in _occurrences(lower, word):
                    found.add(at)
                    if at and lower[at - 1] in " \t":
                        found.add(at - 1)
    if "www." in lower:
        found.update(at + 3 for at in _occurrences(lower, "www."))
    for blank in _BLANKS:
        if blank not in lower:
            continue
        for word in _AFTER_BLANKS:
            if blank + word in lower:
                for at in _occurrences(lower, blank + word):
                    for before in range(at, max(-1, at - 3), -1):
                        if lower[before] not in _BLANKS:
                            break
                        found.add(before)
    return sorted(found)


def _occurrences(text: str, word: str) -> list[int]:
    """Return where ``word`` occurs in ``text``, overlapping occurrences included."""
    out = []
    at = text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


def _token_matches(folded: str):
    """Yield what ``TOKEN.finditer(folded)`` yields, trying TOKEN only where a match can start."""
    starts = _starts(folded)
    if starts is None:
        yield from TOKEN.finditer(folded)
        return
    match = TOKEN.match
    resume = 0
    for at in starts:
        if at < resume:
            continue
        m = match(folded, at)
        if m is not None:
            yield m
            resume = m.end()


def _tokens(folded: str) -> list[tuple[int, int, str]]:
    """Return (start, end, kind) of every disguise, in order and without overlaps."""
    tokens: list[tuple[int, int, str]] = []
    last = 0
    for m in _token_matches(folded):
        kind = m.lastgroup
        s, e = m.span()
        prev = folded[s - 1] if s > 0 else ""
        if kind in NEEDS_WORD_BEFORE and not (prev.isalnum() or (kind == "pat" and prev in " \t\r\n")):
            continue
        if kind in NEEDS_ALNUM_BEFORE and not (prev.isascii() and prev.isalnum()):
            continue
        if kind in ("bat", "bdot"):
            floor = max(last, s - LEAD_SPACE)  # a bracketed token takes the spaces before it too
            while s > floor and folded[s - 1] in " \t":
                s -= 1
        tokens.append((s, e, kind))
        last = e
    note = STAND_IN_NOTE.search(folded) if "@" in folded else None
    if note is not None:
        # The seller wrote which character stands for "@": read it so between word characters.
        stand_in = re.escape(note.group(1) or note.group(2))
        tokens = sorted(tokens + [(m.start(), m.end(), "cat") for m in re.finditer(
            rf"(?<=[A-Za-z0-9]){stand_in}(?=[A-Za-z0-9])", folded) if not any(s <= m.start() < e for s, e, _ in tokens)])
    more: list[tuple[int, int, str]] = []
    if SPACED_GATE.search(folded) is not None:
        more += [(m.start(), m.end(), "spaced") for m in SPACED.finditer(folded)]
    if "www" in folded.lower():
        for m in WWW_SPACED.finditer(folded):
            more += [(m.start(1), m.end(1), "wsp"), (m.start(2), m.end(2), "wsp")]
    if not folded.isascii():
        more += [(m.start(), m.end(), "edot") for m in EMOJI_DOT.finditer(folded)]
    if more:
        merged = sorted(tokens + more)
        tokens, end = [], -1
        for token in merged:
            if token[0] >= end:
                tokens.append(token)
                end = token[1]
    return tokens


@functools.lru_cache(maxsize=64)
def deobfuscate(text: str) -> Clean:
    """Return the clean reading of a field's text (full-width forms folded, disguises undone)."""
    folded = ascii_fold(text)
    if not _may_hold_disguise(folded):
        return Clean(folded)
    tokens = _tokens(folded)
    if not tokens:
        return Clean(folded)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    shift: list[int] = []
    orig: list[tuple[int, int]] = []
    kinds: list[str] = []
    last = 0
    clean_len = 0
    for s, e, kind in tokens:
        parts.append(folded[last:s])
        clean_len += s - last
        new = _replacement(kind, folded[s:e])
        parts.append(new)
        starts.append(clean_len)
        clean_len += len(new)
        ends.append(clean_len)
        shift.append(e - clean_len)
        orig.append((s, e))
        kinds.append(kind)
        last = e
    parts.append(folded[last:])
    return Clean("".join(parts), tuple(starts), tuple(ends), tuple(shift), tuple(orig), tuple(kinds))


def original_span(clean: Clean, start: int, end: int) -> tuple[int, int]:
    """Map a clean span back to the original text."""
    if not clean.kinds:
        return start, end
    return clean.start(start), clean.end(end)


def disguises(clean: Clean, start: int, end: int) -> Optional[set[str]]:
    """Return the token kinds inside a clean span (empty when it is written plainly)."""
    return set(clean.tokens_in(start, end)) if clean.kinds else set()
