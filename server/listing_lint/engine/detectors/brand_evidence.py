"""Layer 3 (engine detector helper): read the words around a competitor name for signs of brand use.

Two questions, both answered from the text around one match:
- is the name part of a named entity that is not the brand (``the Stanley Cup``, ``Coach Ron``, ``the Nike of
  Samothrace``, ``goddess Nike``)? Then it is never reported;
- for a name that is also an everyday word, is there evidence that it is meant as the brand: a product noun
  or model number beside it, ``by X``, ``X brand``, ``X®``, or its registered casing in running text?
"""

from __future__ import annotations

import functools
from typing import Optional

import regex

from ...patterns import compile_pattern
from ..context import data_words, word_list
from ..spec import bundled_rules_dir, read_toml
from .brand_words import MIN_ZIPF, is_ambiguous_name, is_everyday, is_first_name, zipf

WORD = compile_pattern(r"\w+(?:['’]\w+)?")
TITLE_SMALL_WORDS = frozenset("a an the and or nor but of for to in on at by with from as vs via & x".split())
"""Words Title Case leaves in lower case; they say nothing about whether the next word is a name."""
LINKING_VERBS = frozenset("is are was were".split())
_NOT_IN_RUN = TITLE_SMALL_WORDS | LINKING_VERBS
SENTENCE_START = ".!?。！？:;-–—•*|([{【「\"“'‘/"
NOUN_FIRST_LANGS = frozenset({"fr", "es", "it", "pt"})
"""Languages that put the product noun before the brand; in English "carry case Box" is two phrases."""
SIMILE = compile_pattern(r"\b(?:like|unlike|wie|comme|como|come)\s+(?:a|an|ein|eine|einen|un|une|uno|una)\s*$", regex.I)
DEFINITE_ARTICLES = frozenset("the der die das le la les el los las il lo gli".split())
THE_BEFORE = compile_pattern(r"\b(?:the|der|die|das|le|la|el|il|lo)\s+$", regex.I)
OF_AFTER = compile_pattern(r"^\s+(?:of|von|de|di|del|della|du|des)\s+(?:the\s+|la\s+|le\s+)?\p{Lu}")
POSSESSIVE_BEFORE = compile_pattern(r"\b\p{Lu}\p{Ll}+['’]s\s$")
DOTTED_BEFORE = compile_pattern(r"\w\.$")
DOTTED_AFTER = compile_pattern(r"\.\w")
MARK_AFTER = compile_pattern(r"^\s?[®™]")
BRAND_AFTER = compile_pattern(
    r"^(?:['’]s(?:\s+\w+){0,2}\s+|\s+|-)(?:brand(?:ed|s)?|trademark|marke|marque|marca|marchio)\b", regex.I)
HONORIFIC_AFTER = compile_pattern(r"-(?:chan|kun|san|sama|senpai|sensei|tan)\b")
TECHNOLOGY_AFTER = compile_pattern(r"-(?:enabled|capable|ready|compliant|certified|compatible|equipped)\b", regex.I)
"""After an initialism, a capability: "NFC-enabled device", "USB-C-ready"; the technology, not a maker."""
DESIGNATION_BEFORE = compile_pattern(r"\b\p{Lu}{1,3}-\d{1,3}[A-Z]?\s$")
"""A military or aircraft type designation (AH-64, F-16, UH-60A) right before a name."""
CRAFT_AFTER = compile_pattern(r"[ -](?:\d{1,2}|[IVX]{1,4}|[A-Z])[ -](?P<noun>\p{L}+)")
"""After a name, a designation (1, 11, V, XIII, S) and the next word, for the craft test: without one, "Estes
rocket" is a rocket maker's product."""
EPITHET_AFTER = compile_pattern(r"\s(?:the|der|die|das|le|la|el|il|lo)\s\p{Lu}\p{Ll}+", regex.I)
"""An article and a capitalised noun after a name make an epithet: "Conan The Brigand", "Jake the Snake",
"Karl der Große", "Louis le Grand"."""
ORIGIN_BEFORE = compile_pattern(
    r"(?:\b(?:made|manufactured|produced|assembled|printed|grown|sourced|imported|crafted|bottled|brewed)\s+"
    r"(?:in|from)|\bproduct\s+of|\b(?:hergestellt|produziert)\s+in|\b(?:fabriqué|produit|conçu)\s+(?:en|au|aux)|"
    r"\b(?:fabricado|hecho|producido)\s+en|\b(?:prodotto|fatto|realizzato|fabbricato)\s+in)\s+(?:the\s+)?$",
    regex.I)
"""A place of origin before a name: "Manufactured in European Union", "Made in Iceland", "fabriqué en France"."""
DESIGNATION_AFTER = compile_pattern(r"[ -](?:\d{1,2}|[IVX]{1,4}|[A-Z])(?!\w|[.,/:-]\w)")
"""A one-character number, letter or roman numeral after a name: "Thunderbird 2", "Thunderbird S"."""
COMPARED_BEFORE = frozenset("than as to vs versus beats outperforms als que di".split())
BARE_LIKE_BEFORE = compile_pattern(r"\b(?:like|wie|comme|como|come)\s+$", regex.I)
MODEL = compile_pattern(r"^(?=[\w-]*\d)[\w][\w.-]*$")
"""A model designation holds a digit: 270, S23, V11, WH-1000XM4."""
MEASURE = compile_pattern(r"^\d+(?:[.,]\d+)?(?:pcs?|pieces?|cm|mm|m|in|ft|oz|ml|l|g|kg|lbs?|x|pk|pack|ct|mah|w)?$", regex.I)
"""A count or a measurement ("300pc", "12", "16cm"), not a model number, unless it has three digits or more."""
CUE_IS_PREPOSITION = compile_pattern(
    r"^(?:(?:designed|made|built|suitable|perfect|great|ideal)\s+)?(?:for|für|pour|para|per|con)$", regex.I)
"""Cues that also introduce an audience or a use ("suitable for Helium", "perfect for Beginners")."""

try:
    from .._heuristics import entity_ascii as _entity_ascii, evidence_ascii as _evidence_ascii
except ImportError:  # pragma: no cover - an install without a compiler
    _entity_ascii = _evidence_ascii = None


@functools.lru_cache(maxsize=None)
def lexicon() -> dict[str, frozenset[str]]:
    """Return the word lists of ``rules/data/brand-context.toml`` as sets of lower-case words."""
    data, _ = read_toml(bundled_rules_dir() / "data" / "brand-context.toml")
    return {key: frozenset(w.casefold() for w in words) for key, words in data.items()}


def _in(word: str, key: str) -> bool:
    """Tell whether a word or its singular is in one of the context lists."""
    words = lexicon()[key]
    w = word.casefold()
    return w in words or (w.endswith("s") and (w[:-1] in words or (w.endswith("es") and w[:-2] in words)))


def _eponym(name: str, noun: str) -> bool:
    """Tell whether a name and the noun after it name a generic thing called after someone ("Gatling gun")."""
    words = lexicon()["eponyms"]
    phrase = f"{name.casefold()} {noun.casefold()}"
    return phrase in words or (phrase.endswith("s") and phrase[:-1] in words) or (
        phrase.endswith("es") and phrase[:-2] in words)


def _plain_capitalised(name: str) -> bool:
    """Tell whether a name is one word spelt like a capitalised plain word ("Kong", not "WWE" or "iOS")."""
    return name.isalpha() and name[:1].isupper() and name[1:].islower()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _words_ahead(n: int) -> "regex.Pattern[str]":
    """Return the pattern of up to ``n`` words and the separators before them, read as ``WORD.finditer`` reads
    them: what it skips between two words is never a word character."""
    pattern = ""
    for _ in range(n):
        pattern = rf"(\W*)({WORD.pattern}){'(?:' + pattern + ')?' if pattern else ''}"
    return compile_pattern(pattern)


_AHEAD = {n: _words_ahead(n) for n in (1, 2, 3)}
_LAST_RUN = compile_pattern(r"(?r)\w+")
"""The last run of word characters, found from the end: the last word where no apostrophe joins two runs."""


def _next_words(text: str, end: int, n: int = 2) -> list[tuple[str, str]]:
    """Return up to ``n`` (separator, word) pairs after ``end``; a separator is the text before each word."""
    # One match, not an iterator of n: this runs for most competitor candidates.
    m = _AHEAD[n].match(text, end, min(len(text), end + 60))
    if m is None:
        return []
    groups = m.groups()
    return [(groups[i], groups[i + 1]) for i in range(0, 2 * n, 2) if groups[i + 1] is not None]


def _prev_word(text: str, start: int) -> tuple[str, str]:
    """Return (word, separator) just before ``start``; ("", ...) at the start of the text."""
    before = text[max(0, start - 40):start]
    if "'" not in before and "’" not in before:
        last = _LAST_RUN.search(before)  # with no apostrophe, a word is a run of word characters
    else:
        last = None
        for last in WORD.finditer(before):
            pass
    if last is None:
        return "", before
    return last.group(), before[last.end():]


def named_entity(text: str, start: int, end: int, name: str, title: bool = False) -> bool:
    """Tell whether the name is part of a named entity other than the brand (an event, a person, a place).

    ``title`` says the text is a product title, where every word is capitalised and a maker's name often
    comes before a licensed brand ("Airfix Boeing B-17"), so a capitalised word before says nothing. An ASCII
    name in ASCII copy is read in C (``_heuristics.entity_ascii``); ``py_named_entity`` reads the rest.
    """
    if _entity_ascii is not None:
        found = _entity_ascii(text, start, end, name, title, _entity_lists(), (_plural_in, is_ambiguous_name))
        if found is not NotImplemented:
            return found
    return py_named_entity(text, start, end, name, title)


@functools.lru_cache(maxsize=None)
def _entity_lists() -> tuple[frozenset[str], ...]:
    """The word lists the compiled named-entity test looks words up in, in the order it takes them."""
    words = lexicon()
    return (words["person_titles"], words["craft_roles"], words["craft_words"], words["event_words"],
            words["product_nouns"], words["brand_cues_before"], words["count_words"], TITLE_SMALL_WORDS,
            words["eponyms"], data_words("first-names"), COMPARED_BEFORE)


def py_named_entity(text: str, start: int, end: int, name: str, title: bool = False) -> bool:
    """Tell whether the name is part of a named entity other than the brand, in any script (the Python twin of
    ``entity_ascii``)."""
    if sum(c.isalnum() for c in name) < 3 and _glued(text, start, end):
        return True  # "R/C", "V.Smile", "X-Shot", "'C' shape": a letter inside a longer token
    if "." not in name and (DOTTED_BEFORE.search(text, max(0, start - 2), start) or DOTTED_AFTER.match(text, end)):
        return True  # "we.Org", "Vue.js": part of a domain or a file name
    before = text[max(0, start - 12):start]
    after = text[end:end + 40]
    if THE_BEFORE.search(before) and OF_AFTER.match(after):
        return True  # "the Nike of Samothrace", "die Venus von Milo"
    prev, sep = _prev_word(text, start)
    if prev and sep.strip() in ("", ".") and _in(prev, "person_titles") and _capitalised(text[start:end]):
        return True  # "goddess Nike", "St. Julia"
    if prev.casefold() in ("of", "von", "de", "du", "di", "del") and sep.strip() == "" and _capitalised(text[start:end]):
        role, role_sep = _prev_word(text, start - len(sep) - len(prev))
        if role and role_sep.strip() == "" and _in(role, "craft_roles"):
            return True  # "the pilot of Thunderbird 1": a craft
    matched = text[start:end]
    if matched.isupper() and len(matched) <= 4 and TECHNOLOGY_AFTER.match(text, end, min(len(text), end + 14)):
        return True  # "NFC-enabled device": a technology named by its initialism
    if HONORIFIC_AFTER.match(text, end, min(len(text), end + 8)):
        return True  # "Kuma-chan", "Hana-san": a character or a person
    if DESIGNATION_BEFORE.search(text, max(0, start - 16), start) and _capitalised(text[start:end]):
        return True  # "AH-64 Apache", "F-16 Falcon": an aircraft or vehicle type's name
    if _shouted_word(text, start, end, name):
        return True  # "STICK LIKE MAGIC", "for use with GO!!!": capitals hide whether it is the word or the name
    if ORIGIN_BEFORE.search(text, max(0, start - 40), start) and _capitalised(text[start:end]):
        return True  # "Made in Iceland", "Manufactured in European Union": a place
    if _plain_capitalised(name) and text[start:end] == name:
        epithet = EPITHET_AFTER.match(text, end, min(len(text), end + 30))
        if epithet and not _product_follows(text, epithet.end()):
            return True  # "Conan The Brigand", "Jake the Snake": a character's name and epithet
        if DESIGNATION_AFTER.match(text, end, min(len(text), end + 6)) and _plural_in(text, name):
            return True  # "the Thunderbirds ... Thunderbird 2": one numbered member of a team or fleet
    craft = CRAFT_AFTER.match(text, end, min(len(text), end + 40))
    if craft and _in(craft.group("noun"), "craft_words"):
        return True  # "the Saturn V rocket", "a Saturn 5 Rocket": one vehicle's name
    if sep == " " and _plain_capitalised(name) and POSSESSIVE_BEFORE.search(text, max(0, start - 40), start):
        return True  # "Leonardo's Katana", "Scott's Thunderbird": a person's thing, titles included
    if (not title and sep == " " and _plain_capitalised(name) and text[start:end] == name and _capitalised(prev)
            and not prev.isupper() and not any(c.isdigit() for c in prev) and not _in(prev, "brand_cues_before")
            and prev.casefold() not in TITLE_SMALL_WORDS and not _model(_next_words(text, end, 2), 3)
            and not BRAND_AFTER.match(text[end:end + 60])
            and not _sentence_start(text, start - len(sep) - len(prev))):  # "Like Nike": a capital opening a sentence
        return True  # "Donkey Kong", "Hong Kong", "Gorgon Medusa": the last word of a longer proper name
    following = _next_words(text, end, 2)
    if following and following[0][0] in (" ", "-") and _eponym(name, following[0][1]):
        return True  # "Gatling gun", "Phillips screwdriver", "Diesel engine": a thing named after someone
    if following:
        sep, nxt = following[0]
        if sep.strip() == "" and _capitalised(nxt) and not nxt.isupper():
            if _in(nxt, "event_words"):
                return True  # "the Stanley Cup", "Ford Museum": a capitalised "cup" names the prize
            person = _in(name, "person_titles") or is_first_name(name)
            if person and not _in(nxt, "product_nouns") and not _model(following[1:], 3):
                return True  # "Coach Ron", "Julia Donaldson", "Stanley Kubrick"
    return False


def brand_evidence(text: str, start: int, end: int, name: str, lang: str, title: bool = False) -> Optional[str]:
    """Return why an everyday-word name reads as the brand here ("product noun", ...), or None.

    ``title`` says the text is a product title, which by marketplace convention opens with the brand. An ASCII
    name in ASCII copy is read in C (``_heuristics.evidence_ascii``, a sixth of the cost); ``py_brand_evidence``
    reads the rest.
    """
    if _evidence_ascii is not None:
        found = _evidence_ascii(text, start, end, name, title, lang, lang in NOUN_FIRST_LANGS, _word_lists(),
                                _product_line_word)
        if found is not NotImplemented:
            return found
    return py_brand_evidence(text, start, end, name, lang, title)


@functools.lru_cache(maxsize=None)
def _word_lists() -> tuple[frozenset[str], ...]:
    """The word lists the compiled reading looks words up in, in the order it takes them."""
    words = lexicon()
    return (words["brand_cues_before"], words["product_nouns"], words["event_words"], words["work_words"],
            words["count_words"], TITLE_SMALL_WORDS, _NOT_IN_RUN, DEFINITE_ARTICLES)


def _product_line_word(matched: str, nxt: str, lang: str) -> bool:
    """Tell whether neither word is a first name and the next is no everyday word ("Yeti Rambler"): the word
    statistics part of the product-line test, which the compiled reading asks of Python too."""
    return (not is_first_name(matched) and not is_first_name(nxt) and zipf(nxt, lang) < MIN_ZIPF
            and not _everyday_form(nxt, lang))


def py_brand_evidence(text: str, start: int, end: int, name: str, lang: str, title: bool = False) -> Optional[str]:
    """Return why an everyday-word name reads as the brand here, in any script (the Python twin of
    ``evidence_ascii``)."""
    matched = text[start:end]
    letters = len(matched) if matched.isalnum() else sum(c.isalnum() for c in matched)
    after = text[end:end + 60]
    if MARK_AFTER.match(after):
        return "trademark sign"
    prev, sep = _prev_word(text, start)
    if BRAND_AFTER.match(after) and not (sep == " " and _capitalised(prev) and not _in(prev, "brand_cues_before")
                                         and prev.casefold() not in TITLE_SMALL_WORDS):
        # "Rainbow Loom Brand": a capitalised word right before the name makes the brand named a longer one.
        return "'brand' after it"
    if prev and sep.strip() == "" and _in(prev, "brand_cues_before"):
        return f"'{prev}' before it"
    if letters < 2 or (name.islower() and matched.islower()):
        # A letter ("A", "X") or a lower-case name in lower case ("smart phone") is the word itself unless
        # one of the cues above says otherwise; letters are most candidates, so this exit saves the most.
        return None
    if name.islower() and matched.isupper() and letters <= 4:
        return None  # a lower-case name in capitals is the initialism ("UV inks" beside the brand "uv")
    following = _next_words(text, end, 3)
    # At the start of a sentence the capital says nothing, so "Messenger bag with ..." and "Picnic basket
    # for ..." are plain noun phrases; "my Yeti tumbler" has a capital that only a name would have.
    initial = _sentence_start(text, start)
    opens_title = title and _char_before(text, start) == ""
    # Inside a Title Case run ("Craft Kit Includes", "Blue, Yellow and Black Swirls") every word is
    # capitalised, so a capitalised word after the name says nothing; only a model number does. Worked out
    # only when a test below gets that far (most candidates fail a cheaper part first).
    run: list[bool] = []

    def in_run() -> bool:
        if not run:
            run.append(_in_title_run(text, start))
        return run[0]

    if following:
        gap, nxt = following[0]
        joined = gap in (" ", "-", "")
        plain_initial = initial and not opens_title and _plain_capitalised(name)
        if joined and letters >= 3 and not plain_initial and _model(following, letters) and not in_run():
            return "model number after it"
        if (joined and letters >= 2 and len(following) > 1 and MODEL.match(nxt) and following[1][0] == " "
                and following[1][1].islower() and _in(following[1][1], "product_nouns")):
            return "model number and product noun after it"  # "HP 61 ink", "Nike 270 sneakers"
        if (joined and letters >= 2 and _in(nxt, "product_nouns") and (nxt.islower() or not in_run())
                and not (initial and not opens_title and name[:1].isupper() and name[1:].islower())
                and _char_before(text, start) != ":"  # "Colour Name: Black Drone": an attribute value
                and not (len(following) > 1 and _capitalised(following[1][1]) and _in(following[1][1], "event_words"))
                and not (len(following) > 1 and following[1][0] == " " and _in(following[1][1], "work_words"))):
            return "product noun after it"  # but not "Magic TV Series" or "Magic television series": a title
        if joined and letters >= 3 and _capitalised(nxt) and not _in(nxt, "event_words") and not in_run():
            if len(following) >= 2 and not initial and _model(following[1:], letters):
                return "product line and model number after it"  # "Nike Air 270", "Galaxy S23"
            # "the Monster Kraken": a definite article before a capitalised pair names one thing, not a product.
            definite = prev.casefold() in DEFINITE_ARTICLES
            if (gap == " " and not initial and not definite and _product_line_word(matched, nxt, lang)
                    and not nxt.isupper() and not any(c.isdecimal() for c in nxt) and len(nxt) > 2):
                return "product line after it"  # "Yeti Rambler": a capitalised non-word after the brand
    if (lang in NOUN_FIRST_LANGS and prev and sep.strip() == "" and prev.islower() and _in(prev, "product_nouns")
            and not initial):
        return "product noun before it"  # "chaussures Nike", "zapatillas Nike"
    # A plain capital is not evidence: sizes, characters and stray capitals look the same ("while Medium
    # fits", "all your Ghost busting calls"). Capitals a plain word would not have are (WWE, iPad, App Store).
    if matched == name and letters >= 3 and _distinctive_casing(name) and not initial:
        if not (name.isupper() and _all_caps_run(text, start, end)):
            return "registered casing"
    return None


def _shouted_word(text: str, start: int, end: int, name: str) -> bool:
    """Tell whether an everyday-word name, in capitals its registered form lacks, reads as the word: after a
    bare "like" (a simile: "WORKS LIKE MAGIC") or before an exclamation mark ("GO!", "STOP!!!").

    Lower-case "like magic" is never matched; capitals carry no more evidence than lower case does.
    """
    matched = text[start:end]
    if not matched.isupper() or name.isupper() or not name[:1].isupper():
        return False
    if BARE_LIKE_BEFORE.search(text, max(0, start - 8), start):
        return is_ambiguous_name(name, "en")
    if not text.startswith("!", end) or _prev_word(text, start)[0].casefold() in COMPARED_BEFORE:
        return False  # "LONGER THAN YETI!": the comparison is the evidence
    return is_ambiguous_name(name, "en")


def _product_follows(text: str, end: int) -> bool:
    """Tell whether a product noun or a model number comes right after ``end`` ("The Frame TV", "The Frame 55")."""
    following = _next_words(text, end, 2)
    return bool(following) and following[0][0] == " " and (
        _in(following[0][1], "product_nouns") or _model(following, 3))


def _plural_in(text: str, name: str) -> bool:
    """Tell whether the text also uses the name as a plural noun ("Thunderbirds Are Go", "the Jaegers")."""
    return name_pattern(name, "e?s").search(text) is not None


@functools.lru_cache(maxsize=1024)
def name_pattern(name: str, ending: str = "") -> "regex.Pattern[str]":
    """Return the pattern of a name as a whole word, with an ending after it (compiled once per name: looking
    a pattern up in regex's own compile cache costs more than the search)."""
    return compile_pattern(r"(?<!\w)" + regex.escape(name) + ending + r"(?!\w)")


def _glued(text: str, start: int, end: int) -> bool:
    """Tell whether a match is joined to a neighbouring letter by a slash, hyphen, dot or quote."""
    joiners = "/-.'’&+"
    before = text[start - 2:start] if start >= 2 else ""
    after = text[end:end + 2]
    return (len(before) == 2 and before[1] in joiners and before[0].isalnum()) or (
        len(after) == 2 and after[0] in joiners and after[1].isalnum()) or (
        before[-1:] in "'‘\"“" and after[:1] in "'’\"”")


def _everyday_form(word: str, lang: str) -> bool:
    """Tell whether a word or its singular is a frequent everyday word ("Swirls", "Contains").

    Rare dictionary words do not count: a product line is often one ("Yeti Rambler", "Stanley Quencher").
    """
    w = word.casefold()
    forms = (w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w)
    return any(form in word_list("common-words") or (lang != "en" and is_everyday(form, lang)) for form in forms)


def _in_title_run(text: str, start: int) -> bool:
    """Tell whether the nearest word before the name in its sentence, small words aside, is capitalised."""
    before = text[max(0, start - 60):start]
    cut = _RUN_END.search(before)
    # "Friendship is Magic": many titles leave "is" and "are" in lower case too.
    for word in reversed(WORD.findall(before, cut.end() if cut else 0)):
        if word.casefold() not in _NOT_IN_RUN:
            return word[:1].isupper() or word[:1].isdigit()
    return False


_RUN_END = compile_pattern(r"(?r)[.!?;:|•\n]")
"""The last sentence or list break before a name (searched from the end)."""


def simile(cue: str) -> bool:
    """Tell whether a comparison cue is "like a", which compares with a thing ("roll like a Plane"), not a brand."""
    return SIMILE.search(cue) is not None


def weak_compatibility_cue(cue: str) -> bool:
    """Tell whether a compatibility cue is a bare preposition ("for", "suitable for"), too weak alone for an
    everyday word; "compatible with", "fits" and "replacement for" are strong."""
    return CUE_IS_PREPOSITION.match(" ".join(cue.split())) is not None


def _model(following: list[tuple[str, str]], letters: int) -> bool:
    if not following or following[0][0].strip() not in ("", "-"):
        return False
    token = following[0][1]
    if not MODEL.match(token) or (letters < 3 and len(token) < 2):
        return False
    if MEASURE.match(token) and not (token.isdigit() and len(token) >= 3):
        return False  # "Kit 300pc", "Box 12 Assorted", "Percy 26": a size or a count
    if len(following) > 1 and _in(following[1][1], "count_words"):
        return False  # "Box 2 x", "Red 3 pack": a count
    return True


@functools.lru_cache(maxsize=4096)
def _distinctive_casing(name: str) -> bool:
    """Tell whether a name's registered form has capitals a plain word would not have (WWE, iPad, GitHub)."""
    letters = [c for c in name if c.isalpha()]
    return any(c.isupper() for c in letters[1:])


def _char_before(text: str, start: int) -> str:
    """Return the last non-space character before ``start`` ("" at the start), without copying the text."""
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return text[i] if i >= 0 else ""


def _sentence_start(text: str, start: int) -> bool:
    before = _char_before(text, start)
    return not before or before in SENTENCE_START


def _all_caps_run(text: str, start: int, end: int) -> bool:
    """Tell whether the words beside a match are in capitals too (an all-caps heading or title)."""
    prev, _ = _prev_word(text, start)
    following = _next_words(text, end, 1)
    neighbours = [w for w in (prev, following[0][1] if following else "") if w and any(c.isalpha() for c in w)]
    return any(w.isupper() and len(w) > 1 for w in neighbours)
