"""Layer 3 (engine detector): phone numbers in every national and international format, not product codes.

Numbers are found and judged by Google's libphonenumber (the ``phonenumbers`` package), with the listing's
marketplace as the default region. Digits are everywhere in listings (UPC/EAN/ISBN codes, model numbers,
sizes, dates, capacities), so a number counts as a phone number either after a cue word (``Call``,
``Tel:``, ``WhatsApp``, ``电话``, ``お問い合わせ``), where any number the region could dial is enough, or
without one only when libphonenumber says it is a valid number *and* it is written the way phone numbers
are (``+44 …``, ``(555) …``, digit groups), never a bare run of digits.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterator
from typing import Optional

from ...patterns import compile_re
from ..kinds import Hit
from ..normalize import unaccent
from .domains import public_suffix
from .text_forms import ascii_fold

# Any phone number has seven digits with at most a few separators between them: the cheap gate.
DIGIT_RUN = compile_re(r"\d(?:[\s().\-\u2010-\u2015/]{0,3}\d){6}")
_SYMBOLS = "\u2190-\u2bff\u3200-\u32ff\U0001f000-\U0001faff\ufe0f\u200d"
"""Arrows, dingbats, geometric and other symbols and emoji (what Unicode calls So, and the joiners emoji take),
by their blocks: Python's own engine reads these ranges several times faster than ``regex`` reads \\p{So}."""
GATE_RUN = compile_re(rf"[\dO](?:[\s().\-\u2010-\u2015/{_SYMBOLS}]{{0,3}}[\dO]){{6}}")
"""DIGIT_RUN as the gate reads it: a capital O may stand for a zero ("O7700 9OO 461") and a symbol may part the
digit groups ("347 🔹 123 🔹 4567"); ``_find_phones`` reads both as they were meant."""

# Chinese numerals, plain and the "capital" forms of banking (壹叁捌), written for the digits of a number to
# slip past filters: "售后热线：壹叁捌 零零壹叁 捌零零零". 幺 is how "1" is read out in phone numbers.
_NUMERALS = {"零": "0", "〇": "0", "幺": "1", "一": "1", "壹": "1", "二": "2", "贰": "2", "貳": "2", "三": "3",
             "叁": "3", "參": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6", "陸": "6",
             "七": "7", "柒": "7", "八": "8", "捌": "8", "九": "9", "玖": "9"}
_NUMERAL_DIGITS = str.maketrans(_NUMERALS)
_NUMERAL = "[" + "".join(_NUMERALS) + "]"
_DIGIT_OR_NUMERAL = "[0-9" + "".join(_NUMERALS) + "]"
# Seven numerals or digits in a row, a few separators apart, numerals among them ("〇三‐一二三四‐5678"): a
# count ("一二三") or a date is shorter.
_ANY_NUMERAL = compile_re(_NUMERAL)
NUMERAL_RUN = compile_re(rf"{_DIGIT_OR_NUMERAL}(?:[ \t\-\u2010-\u2015ー─━・]{{0,2}}{_DIGIT_OR_NUMERAL}){{6,}}")


# Japanese input methods type the long-vowel mark (ー) or a box-drawing line where a hyphen was meant, and a
# number read out is grouped with the middle dot: "０３ー１２３４ー５６７８", "〇三・一二三四・五六七八".
_DASH_LOOKALIKE = compile_re(r"(?<=\d)[ー─━・](?=\d)")
# A capital O typed for a zero inside a group of digits: "Ring us on O7700 9OO 461". Only in a word of digits
# and O's with an O beside a digit, so "OK", "2OZ" and "ZOO" stay as they are.
# Read only where the gate (GATE_RUN, which takes an O for a digit) let a text through: most never are.
_O_FOR_ZERO = compile_re(r"\b[\dO]*(?:\dO|O\d)[\dO]*\b")
# Emoji and other symbols set between a number's digit groups to slip it past filters: "347 🔹 123 🔹 4567".
# Read as spaces (one for each character, so offsets hold); a number joined so is judged as any other.
_SYMBOL_BETWEEN = compile_re(rf"(\d[ \t]{{0,2}})([{_SYMBOLS}]{{1,4}})(?=[ \t]{{0,2}}\d)")


def digits_folded(text: str) -> str:
    """Return the text with full-width forms folded, runs of Chinese numerals written as digits and dash
    look-alikes between digits written as hyphens (the same length, so offsets hold)."""
    folded = ascii_fold(text)
    if folded.isascii():
        return folded
    if _ANY_NUMERAL.search(folded) is not None:
        folded = NUMERAL_RUN.sub(lambda m: m.group().translate(_NUMERAL_DIGITS), folded)
    if "ー" in folded or "─" in folded or "━" in folded or "・" in folded:
        folded = _DASH_LOOKALIKE.sub("-", folded)
    return folded

# A cue right before a number makes it a phone number. Bounded gaps only: the text between the cue and the
# number is looked at in a window of at most CUE_WINDOW characters, so a long run of spaces costs nothing.
CUE_WINDOW = 48
CUE = compile_re(
    r"(?:\b(?:tel(?:ephone|efon(?:o|nummer)?|[eé]fono|[eé]phone)?|t[eé]l|phone|ph|call(?:ing)?|mobile?|mob|cell|"
    r"text|textez|sms|whats\s?app|viber|signal|telegram|wechat|line|hotline|helpline|fax|numero|n[uú]mero|num[eé]ro|"
    r"natel|cellulaire|cellular|celular|revert(?:\s+back)?|"
    r"contact(?:ez|o|ar|a)?|kontakt|handy|anrufen|rufen?|ruf|appel(?:ez|er)?|bel(?:t)?|lig(?:ue|ar)|"
    r"llam[ae](?:nos)?|llamar|chiam(?:a|are|aci)|"
    r"chiamateci|assistenza|servizio\s+clienti|hotline|support|customer\s+(?:care|service)|helpdesk|"
    r"service\s+(?:client(?:s|ele)?|apres[- ]vente)|kunden(?:dienst|service)|servicio\s+(?:al\s+)?cliente|"
    r"atencion\s+al\s+cliente|klantenservice|atendimento|assistance|"
    r"ring|dial)\b|[☎📞📱]|电话|電話|手机|手機|联系|聯繫|客服|热线|熱線|微信|拨打|撥打|请拨打|請撥打|请拨|請撥|致电|致電|来电|來電|携帯|問い?合わせ|お問合せ|"
    r"ご連絡|連絡先|TEL|FAX)",
    re.I,
)
# What may stand between a cue and its number: punctuation, spaces, a few filler words and the numbers
# before it in a list ("Call 0800 123 4567, 0800 765 4321"), nothing else.
CUE_GAP = compile_re(
    r"(?:[\s:：#.,;\-–—/()（）\[\]【】+\d→➔➜➡⇒▶►👉=>]|\b(?:us|me|at|on|to|us at|us on|number|no|nr|num|n°|no\.|unter|au|al|"
    r"allo|al numero|our|the|free|toll|"
    # the rest of "Ruf uns an", "Rufen Sie uns an unter", "Appelez-nous au", "Bel ons op", "Ligue para"
    r"uns|an|sie|nous|le|ons|op|para|nos|toll-free|gratuit|gratis|verde|anytime|today|now|24/7|"
    r"care|service|team|line|hotline|direct|mobile|office|whatsapp|or|and|o|ou|oder|y|e|先|番号|号码|號碼|"
    # "Ruf uns einfach an:", "just call us on", "appelez-nous simplement au"
    r"einfach|gerne?|jederzeit|direkt|simply|just|simplement|directement|simplemente|directamente|semplicemente|"
    r"direttamente|pure|tranquillamente|"
    # who answers: "Call our UK sales team on", "our friendly customer support line"
    r"uk|eu|usa|us|german|english|french|spanish|italian|local|friendly|customer|support|sales|"
    # opening hours between the cue and the number: "Kundendienst Mo–Fr 9–17 Uhr unter …"
    r"mo|fr|sa|so|mon|fri|sat|sun|lun|ven|sab|dom|uhr|h|am|pm|"
    r"全国统一|统一|免费|フリーダイヤル|まで|へ)\b|[先号碼码番]|[^\S\n])*",
    re.I,
)

CUE_AFTER = compile_re(
    # "(call or text)", "(also WhatsApp)", "(anche WhatsApp)", "(auch per WhatsApp)"
    r"[ \t]{0,3}[(\[（-]?[ \t]{0,2}"
    r"(?:(?:also|anche|auch|aussi|tambi[eé]n|tamb[eé]m|ook)[ \t]+(?:(?:on|via|per|su|sur|por|en|op|no|über)[ \t]+)?)?"
    r"(?:call|text|sms|whats\s?app|phone|tel|mobile|fax|hotline|helpline|"
    r"toll[ -]free|anrufen|appel|llamadas?|chiamate|电话|電話)\b",
    re.I,
)
# Words right before a number that make it a code, not a phone number.
CODE_CONTEXT = compile_re(
    r"(?:\b(?:no|nr|part|model|item|sku|upc|ean|gtin|isbn|issn|asin|mpn|ref|serial|s/n|lot|art|id|size|code|"
    r"order|version|patent|batch|style|catalog|cat|oem|pn|reg|vin|imei|barcode|article|artikel|modell|"
    r"typ|type|mod[eè]le|modelo|modello|articolo|art[ií]culo|codice|c[oó]digo|r[ée]f[ée]rence|referencia|riferimento|"
    r"型番|型号|品番|货号|"
    # German compounds of "number": "Artikelnummer 030-901820", "Bestell-Nr." (not "Telefonnummer")
    r"(?:artikel|bestell|teile|modell|produkt|serien|referenz|ersatzteil|typen|chargen|auftrags|kunden|rechnungs)"
    r"[- ]?(?:nummer|nr))\b\.?|#|№|"
    # the next item of a list of numbers: "(#70014, 70016-70017"
    r"\d[ \t]*[,;&][ \t]*)\s*[:.\-]?\s*$",
    re.I,
)
UNIT_AFTER = compile_re(
    r"^\s?(?:mm|cm|m|km|in|inch|inches|ft|\"|''|hours?|hrs?|mah|wh|w|kw|v|lbs?|kg|g|oz|pcs|pieces|x|%|ml|l|"
    r"dpi|rpm|mhz|ghz|gb|tb|mb|px|k)\b",
    re.I,
)

# Marketplace domain suffix -> default region. Any other ccTLD maps to its own region.
SUFFIX_REGION = {"com": "US", "uk": "GB", "co.uk": "GB", "eu": "DE"}
FALLBACK_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "JP", "CN", "CA", "BR", "NL", "MX", "IN", "AU",
                    "SE", "PL", "TR", "AE", "SA", "SG", "BE", "EG", "IE", "HK", "TW", "KR", "CH", "AT")
_KANA = compile_re(r"[\u3040-\u30ff]")
_HAN = compile_re(r"[\u4e00-\u9fff]")
_HANGUL = compile_re(r"[\uac00-\ud7af]")
MAX_DIGITS = 15  # E.164
# "00 44 …": the international prefix of most of the world, which libphonenumber reads only in those regions.
# Not a digit group inside a number: "138 0013 8000", "138-0013-8000" (a Chinese mobile number).
IDD00 = compile_re(r"(?<![\w+])(?<!\d[ \t.\-/])(?<!\d[ \t.\-/][ \t])00(?=[ \t]?[1-9])")
# One line break inside a number that starts with its country code: the rest is on the next line.
PLUS_LINE_BREAK = compile_re(r"(?<![\w+])\+\d{1,3}(?:[ \t\-]\d{1,5}){0,3}[ \t]?\n(?=[ \t]?\d)")
# A national number broken over lines on a card ("06 12\n34 56 78", "0120-\n345-678"): a line that ends in a
# digit group, the next starting with one.
DIGIT_LINE_BREAK = compile_re(r"(\d[ \t\-\u2010-\u2015]{0,2})\n(?=[ \t]?\d)")
MAX_RETRIED = 16
MIN_UNCUED_NSN = 8  # national significant digits of a number reported without a label
WINDOW_REACH = 24
NUMBER_CHARS = frozenset("0123456789 \t\n().-+/\u2010\u2011\u2012\u2013\u2014\u2015")
CUT_BEFORE = compile_re(r"\d[ \t\-./]{0,2}$")
CUT_AFTER = compile_re(r"[ \t\-./]{0,2}\d")
DATE = compile_re(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})|(\d{1,2})[-./](\d{1,2})[-./](\d{2,4})")
FIRST_DIGIT = compile_re(r"[+(]?\d")


# Amazon's marketplace ids (catalog files carry these in a marketplace_id column) -> region.
MARKETPLACE_IDS = {
    "ATVPDKIKX0DER": "US", "A2EUQ1WTGCTBG2": "CA", "A1AM78C64UM0Y8": "MX", "A2Q3Y263D00KWC": "BR",
    "A1F83G8C2ARO7P": "GB", "A1PA6795UKMFR9": "DE", "A13V1IB3VIYZZH": "FR", "APJ6JRA9NG5V4": "IT",
    "A1RKKUPIHCS9HS": "ES", "A1805IZSGTT6HS": "NL", "A2NODRKZP88ZB9": "SE", "A1C3SOZRARQ6R3": "PL",
    "A33AVAJ2PDY3EV": "TR", "A2VIGQ35RCS4UG": "AE", "A17E79C6D8DWNP": "SA", "A21TJRUUN4KGV": "IN",
    "A1VC38T7YXB528": "JP", "A39IBJ37TRP1C6": "AU", "A19VAU5U5O7RUS": "SG", "AMEN7PMS3EDWL": "BE",
    "ARBP9OOSHTCHU": "EG", "A28R8C7NBKEWEA": "IE",
}


@functools.lru_cache(maxsize=1)
def _lib():
    """Import libphonenumber on first use (~35 ms): most fields hold no seven digits close together."""
    import phonenumbers

    return phonenumbers


@functools.lru_cache(maxsize=64)
def region_for(marketplace: Optional[str]) -> str:
    """Return the phone region of a marketplace (amazon.co.uk or its id A1F83G8C2ARO7P -> GB, amazon.com -> US)."""
    if not marketplace:
        return "US"
    if marketplace.strip().upper() in MARKETPLACE_IDS:
        return MARKETPLACE_IDS[marketplace.strip().upper()]
    host = marketplace.strip().lower().removeprefix("https://").removeprefix("www.").split("/")[0]
    suffix = public_suffix(host) or host.rsplit(".", 1)[-1]
    if suffix in SUFFIX_REGION:
        return SUFFIX_REGION[suffix]
    region = suffix.rsplit(".", 1)[-1].upper()
    return region if region in _lib().SUPPORTED_REGIONS else "US"


def _script_regions(text: str) -> tuple[str, ...]:
    """Regions that the field's script points to: Japanese kana, Chinese characters, Korean."""
    if _KANA.search(text):
        return ("JP",)
    if _HAN.search(text):
        return ("CN", "TW", "HK")
    if _HANGUL.search(text):
        return ("KR",)
    return ()


def _cued(folded: str, start: int) -> bool:
    """Tell whether a cue word stands right before ``start``, with only filler between (accents aside:
    "Llámanos", "Téléphone")."""
    window = unaccent(folded[max(0, start - CUE_WINDOW):start])
    for m in CUE.finditer(window):
        if CUE_GAP.fullmatch(window, m.end()):
            return True
    return False


def _cued_after(folded: str, end: int) -> bool:
    """Tell whether a cue follows right after a number ("555-123-4567 (call or text)")."""
    return CUE_AFTER.match(folded, end, min(len(folded), end + CUE_WINDOW)) is not None


def _shaped(raw: str) -> bool:
    """Tell whether a number is written the way phone numbers are: international, or in digit groups."""
    if raw.startswith("+"):
        return True
    if raw.startswith("00"):
        return len(re.findall(r"\d[\s().\-\u2010-\u2015/]+(?=\d)", raw)) >= 2  # "0015586833775" is a UPC
    groups = [g for g in re.split(r"\D+", raw) if g]
    # National numbers are written in groups of two to five digits ("01978 661046", "602-454-6445"); only a
    # leading trunk or country digit stands alone ("1-800-…"). "1-2-3-4-5-6-7-8-9-0" is a list of numbers.
    return len(groups) > 1 and all(len(g) >= 2 for g in groups[1:])


def _is_date(raw: str) -> bool:
    """Tell whether a number is a calendar date (2019-05-01, 01.05.2019, 5/1/2019)."""
    m = DATE.fullmatch(raw.strip())
    if m is None:
        return False
    groups = [g for g in m.groups() if g is not None]
    parts = [int(g) for g in groups]
    year_first = len(groups[0]) == 4
    day, month = (parts[2], parts[1]) if year_first else (parts[0], parts[1])
    if not year_first and month > 12:
        day, month = month, day  # US order, month first
    return 1 <= month <= 12 and 1 <= day <= 31


def _codeish(folded: str, start: int, end: int) -> bool:
    """Tell whether the words around a number make it a code, a date or a measurement."""
    return _is_date(folded[start:end]) or bool(CODE_CONTEXT.search(folded[max(0, start - 16):start]) or UNIT_AFTER.match(folded[end:end + 8])
                or folded[end:end + 2] in {".0", ",0"} or folded[start - 1:start] in {"-", "/", "."})


def _judge(match, folded: str, offset: int, grouped, valid_needed: bool) -> Optional[tuple[int, int]]:
    """Return the span of a libphonenumber match when it is a phone number, else None.

    ``grouped()`` returns the spans that libphonenumber also finds at STRICT_GROUPING leniency: valid, with
    the national prefix where the region writes one, and digit groups as the region writes them. It is
    called only for the few numbers that need it.
    """
    lib = _lib()
    start, end = offset + match.start, offset + match.end
    if folded[start] == "0" and folded[start - 1:start + 1] == "00":
        start -= 1  # the "00" international prefix that was read as "+"
    raw = folded[start:end]
    digits = sum(c.isdigit() for c in raw)
    if not 7 <= digits <= MAX_DIGITS + 2:
        return None
    if CUT_BEFORE.search(folded, max(0, start - 3), start) or CUT_AFTER.match(folded, end, end + 3):
        return None  # the region read only part of a longer number ("3456789" of "01512 3456789" in the US)
    if _cued(folded, start) or _cued_after(folded, end):
        if valid_needed and not lib.is_valid_number(match.number):
            return None
        return start, end
    if not lib.is_valid_number(match.number) or not _shaped(raw) or _codeish(folded, start, end):
        return None
    if raw[0] == "+" or raw.startswith("00"):
        return start, end  # dialled from abroad: the country code says it is a phone number
    # Without a label, a national number must look like one: grouped the way its region writes numbers
    # ("287298 500" is a part number, "0287 298500" could be a number in Germany) and long enough
    # ("02087 310" is a catalogue number more often than a subscriber).
    if len(lib.national_significant_number(match.number)) >= MIN_UNCUED_NSN and (match.start, match.end) in grouped():
        return start, end
    return None


def _dialable(folded: str) -> str:
    """Write a leading "00" international prefix as " +" (same length), the way every region can read it, and
    a line break inside a number as a space ("+49 151\n2345 6789", "06 12\n34 56 78" on a card). A number
    joined so still needs a cue, or to be valid and grouped as its region writes numbers (``_judge``)."""
    if "\n" in folded:
        folded = DIGIT_LINE_BREAK.sub(r"\1 ", PLUS_LINE_BREAK.sub(lambda m: m.group()[:-1] + " ", folded))
    return IDD00.sub(" +", folded) if "00" in folded else folded


def _windows(folded: str) -> list[tuple[int, int]]:
    """Return the merged stretches of text around each cluster of seven digits, where a number could be.

    libphonenumber is then run on these alone: a description's other text costs it nothing.
    """
    spans: list[tuple[int, int]] = []
    n = len(folded)
    for m in DIGIT_RUN.finditer(folded):
        s, e = m.span()
        floor, ceil = max(0, s - WINDOW_REACH), min(n, e + WINDOW_REACH)
        while s > floor and folded[s - 1] in NUMBER_CHARS:
            s -= 1
        while e < ceil and folded[e] in NUMBER_CHARS:
            e += 1
        s, e = max(0, s - 2), min(n, e + 2)  # the matcher looks at a character either side of a number
        if spans and s <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    return spans


# Digits written as words, to slip a number past filters: "eight one eight – 555 – zero one nine two",
# "null-sechs-sechs-vier / 123 45 67", "55 uno dos tres cuatro 5678", "tre-quattro-sette 123 45 67".
DIGIT_WORDS = {
    "en": "zero one two three four five six seven eight nine",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve",
    "it": "zero uno due tre quattro cinque sei sette otto nove",
    "pt": "zero um dois três quatro cinco seis sete oito nove",
    "nl": "nul een twee drie vier vijf zes zeven acht negen",
}
_DIGIT_OF = {w: str(d) for words in DIGIT_WORDS.values() for d, w in enumerate(words.split())}
_DIGIT_OF["oh"] = "0"  # "eight hundred" is not read; "oh" is, in English numbers ("five oh three")
# French, Spanish and Italian numbers are often dictated in pairs ("zéro six, douze, trente-quatre",
# "seis, doce, treinta y cuatro", "tre tre nove, trentaquattro"): the words for 10 to 99, whole or in parts.
PAIR_PARTS = {
    "fr": ("dix-sept=17 dix-huit=18 dix-neuf=19 quatre-vingts=80 quatre-vingt=80 dix=10 onze=11 douze=12 treize=13 "
           "quatorze=14 quinze=15 seize=16 vingt=20 trente=30 quarante=40 cinquante=50 soixante=60"),
    "es": ("diez=10 once=11 doce=12 trece=13 catorce=14 quince=15 veinte=20 treinta=30 cuarenta=40 cincuenta=50 "
           "sesenta=60 setenta=70 ochenta=80 noventa=90"),
    "it": ("dieci=10 undici=11 dodici=12 tredici=13 quattordici=14 quindici=15 sedici=16 diciassette=17 "
           "diciotto=18 diciannove=19 venti=20 trenta=30 quaranta=40 cinquanta=50 sessanta=60 settanta=70 "
           "ottanta=80 novanta=90"),
    "de": ("zehn=10 elf=11 zwölf=12 dreizehn=13 vierzehn=14 fünfzehn=15 sechzehn=16 siebzehn=17 achtzehn=18 "
           "neunzehn=19 zwanzig=20 dreißig=30 dreissig=30 vierzig=40 fünfzig=50 sechzig=60 siebzig=70 achtzig=80 "
           "neunzig=90"),
}
"""The words a number from 10 to 99 opens with in the languages that dictate numbers in pairs, and their value."""
PAIR_STEMS = "dieci=10 veinti=20 vent=20 trent=30 quarant=40 cinquant=50 sessant=60 settant=70 ottant=80 novant=90"
"""Openings that only stand glued to a unit: "dieciséis", "veintiuno", "ventuno", "trentotto"."""
_LEADS = {w: int(v) for parts in PAIR_PARTS.values() for w, v in (p.split("=") for p in parts.split())}
_STEMS = {w: int(v) for w, v in (p.split("=") for p in PAIR_STEMS.split())}
_UNITS = {**{w: int(d) for w, d in _DIGIT_OF.items()}, "ún": 1, "dós": 2, "trés": 3, "séis": 6, "tré": 3}


def _alternation(words) -> str:
    """Return the words as an alternation, longest first, ties in a fixed order: the pattern's text is then the
    same in every process, as the compiled-pattern store keys it."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_DIGIT_WORD = _alternation(_DIGIT_OF)
_PAIR_WORD = (rf"(?:{_alternation(_LEADS)})(?:(?:-et-|[ \t]et[ \t]|[ \t]y[ \t]|-)?(?:{_alternation(set(_LEADS) | set(_UNITS))}))?"
              rf"|(?:{_alternation(_STEMS)})(?:{_alternation(_UNITS)})")
"""A number from 10 to 99 in words: "douze", "trente-quatre", "soixante-dix-huit", "treinta y cuatro",
"veintiuno", "trentaquattro". A unit alone is a digit word: units side by side are digits, not a sum."""
_VALUES = {**_UNITS, **_STEMS, **_LEADS}
_DE_TENS = {w: v for w, v in _LEADS.items() if w.endswith("ig")}
_DE_UNITS = {w: _UNITS[w] for w in DIGIT_WORDS["de"].split()[1:]} | {"ein": 1}
_DE_COMPOUND = rf"(?:{_alternation(_DE_UNITS)})und(?:{_alternation(_DE_TENS)})"
"""German says the unit first: "achtundsechzig" is 68, "einundzwanzig" 21."""


@functools.lru_cache(maxsize=1)
def _spelling_patterns() -> tuple:
    """Return (SPELLED_RUN, a piece, a number word whole, a number word's parts, a German compound's unit and
    tens), compiled on the first text whose literal screen finds number words side by side: most runs never
    need them, and they are large."""
    return (compile_re(rf"(?<![^\W\d_]){_SPELLED_PIECE}(?:[ \t\-\u2010-\u2015/.,]{{1,3}}{_SPELLED_PIECE}){{2,}}", re.I),
            compile_re(_SPELLED_PIECE, re.I), compile_re(rf"(?:{_DE_COMPOUND}|{_PAIR_WORD})", re.I),
            compile_re(_alternation(_VALUES), re.I),
            compile_re(rf"({_alternation(_DE_UNITS)})und({_alternation(_DE_TENS)})", re.I))


def _digits_of(word: str) -> Optional[str]:
    """Return the digits a digit word or a number word from 10 to 99 stands for ("sechs" is "6",
    "trente-quatre" "34", "quatre-vingt-dix-neuf" "99"), or None for a group of digits."""
    lower = word.lower()
    if lower in _DIGIT_OF:
        return _DIGIT_OF[lower]
    _, _, whole, parts, german = _spelling_patterns()
    if whole.fullmatch(lower) is None:
        return None
    compound = german.fullmatch(lower)
    if compound is not None:
        return str(_DE_UNITS[compound.group(1)] + _DE_TENS[compound.group(2)])
    total = sum(_VALUES[part.group()] for part in parts.finditer(lower))
    return str(total) if 10 <= total <= 99 else None


_SPELLED_PIECE = rf"(?:(?:{_DE_COMPOUND}|{_PAIR_WORD}|{_DIGIT_WORD})(?![^\W\d_])|[0-9]+)"
"""A digit word, a number word or a digit group. A spelled number is three or more of them a few separators
apart, starting and ending at a word edge; a comma too, as numbers are dictated ("zéro six, douze, …")."""
MIN_SPELLED = 3
"""Digit words a run needs before it is read as a number ("one or two" is not one), or two beside digit
groups that make seven digits with them ("zéro six 12 34 56 78")."""


def _spells_a_number(run: str) -> bool:
    pieces = [(p.group(), _digits_of(p.group())) for p in _spelling_patterns()[1].finditer(run)]
    words = sum(digits is not None for _, digits in pieces)
    digits = sum(len(digits if digits is not None else piece) for piece, digits in pieces)
    return words >= MIN_SPELLED or (words >= 2 and digits >= 7)


@functools.lru_cache(maxsize=1)
def digit_word_pairs() -> frozenset[str]:
    """Return every two number words of one language side by side ("eight one", "null-sechs", "six, douze",
    "quattro cinquant"), the least a spelled number holds: one pass in C tells most texts hold none, before
    SPELLED_RUN (which tries every position, about 60 µs a listing) is searched. The engine's literal pass
    looks for them in every listing (``DetectorEntry.rest_literals``)."""
    pairs = set()
    for lang, words in DIGIT_WORDS.items():
        units = words.split() + ["oh"]
        pairs.update(f"{a}{sep}{b}" for a in units for b in units for sep in (" ", "-", ", "))
        # A number dictated in pairs holds a unit beside a word for 10 to 99 ("zéro six, douze"), or two
        # such words whose first ends in a unit ("trente-quatre, cinquante", "trentaquattro cinquanta").
        leads = [w for w, _ in (p.split("=") for p in PAIR_PARTS.get(lang, "").split())]
        leads += [w for w in _STEMS if w[:4] in {lead[:4] for lead in leads}]
        pairs.update(f"{a}{sep}{b}" for a in units for b in leads for sep in (" ", ", "))
        pairs.update(f"{a}{sep}{b}" for a in leads for b in units for sep in (" ", ", "))
    return frozenset(pairs)


@functools.lru_cache(maxsize=1)
def _digit_word_pairs():
    """Return a literal index of ``digit_word_pairs``, for a text the engine's literal pass has not read."""
    from ..literals import LiteralIndex  # its C table is built on the first text with digits

    return LiteralIndex(digit_word_pairs())


def _holds_pair(lower: str, ctx) -> bool:
    """Tell whether a lower-cased text holds two number words side by side, by the rule set's literal index when
    it looks for them (``DetectorEntry.rest_literals``: it does whenever the phone rule is on), else by an index
    of the pairs alone, built on the first text asked about (about 3 ms)."""
    index = getattr(ctx, "literal_index", None)
    if index is not None and _pairs_indexed(index):
        return not digit_word_pairs().isdisjoint(index.present(lower))
    return _digit_word_pairs().any_in(lower)


_INDEXED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
"""Each literal index asked about: whether it looks for every pair of number words."""


def _pairs_indexed(index) -> bool:
    known = _INDEXED.get(index)
    if known is None:
        known = _INDEXED[index] = digit_word_pairs() <= index.literals
    return known


def _spelled(text: str, lower: Optional[str] = None, ctx=None) -> Optional[tuple[str, list[int], list[int]]]:
    """Return the text with each run of spelled digits written as digits (digit words side by side run
    together: "eight one eight" is "818"), and for each of its characters the start and end of the original
    characters it stands for; None when the text spells no number. ``lower`` is the text lower-cased, when
    the caller has it; ``ctx``, the lint context, when there is one (its literal index)."""
    if not _holds_pair(text.lower() if lower is None else lower, ctx):
        return None
    spelled_run, piece_pattern, *_ = _spelling_patterns()
    runs = [m for m in spelled_run.finditer(text) if _spells_a_number(m.group())]
    if not runs:
        return None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def keep(a: int, b: int) -> None:
        out.append(text[a:b])
        starts.extend(range(a, b))
        ends.extend(range(a + 1, b + 1))

    at = 0
    for run in runs:
        keep(at, run.start())
        pieces = [(p, _digits_of(p.group())) for p in piece_pattern.finditer(text, run.start(), run.end())]
        for n, (piece, digits) in enumerate(pieces):
            if digits is not None:
                out.append(digits)  # each digit stands for the whole word ("34" for "trente-quatre")
                starts.extend([piece.start()] * len(digits))
                ends.extend([piece.end()] * len(digits))
            else:
                keep(*piece.span())
            following = pieces[n + 1] if n + 1 < len(pieces) else None
            if following is not None and not (digits is not None and following[1] is not None):
                keep(piece.end(), following[0].start())  # number words side by side are one group
        at = run.end()
    keep(at, len(text))
    return "".join(out), starts, ends


# A North American toll-free number spelled on the keypad ("1-800-FLOWERS", "(888) GRILL-PRO"): its letters
# stand for digits, and the number must hold seven of them or digits after the toll-free code.
VANITY = compile_re(r"(?<![\w+])(?:\+?1[ \t.\-]?)?\(?8(?:00|33|44|55|66|77|88)\)?[ \t.\-]?"
                    r"((?=[A-Z0-9\-]*[A-Z])[A-Z0-9]{2,7}(?:-[A-Z0-9]{1,7}){0,2})(?![\w\-])")
_TOLL_FREE = compile_re(r"8(?:00|33|44|55|66|77|88)")
"""The toll-free codes: one search led by the 8, where seven ``in`` tests read the text seven times."""
_KEYPAD = str.maketrans({c: str(d) for d, letters in enumerate(
    ("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ")) for c in letters})


def _vanity(text: str) -> Optional[tuple[str, list[tuple[int, int]]]]:
    """Return the text with every spelled toll-free number dialled, the same length: the first seven letters or
    digits after the code as their keypad digits, the rest (which the keypad ignores: "1-800-GRILL-PRO") as
    blanks; and the spans of those numbers. None when the text holds none."""
    if _TOLL_FREE.search(text) is None:
        return None
    # Written with the country's "1" or after a cue ("call", "☎"): "800 PSI-RATED VALVES" is a specification.
    runs = [m for m in VANITY.finditer(text) if sum(c.isalnum() for c in m.group(1)) >= 7
            and (m.group().lstrip("+(").startswith("1") or _cued(text, m.start()))]
    if not runs:
        return None
    out, at = [], 0
    for m in runs:
        out.append(text[at:m.start(1)])
        digits = "".join(c for c in m.group(1) if c.isalnum())[:7].translate(_KEYPAD)
        width = len(m.group(1))
        # Grouped as the region writes numbers when there is room ("GRILL-PRO" is "474-5577 "): libphonenumber
        # judges the grouping, and the keypad ignores the letters past the seventh.
        out.append((f"{digits[:3]}-{digits[3:]}" if width >= 8 else digits).ljust(width))
        at = m.end()
    out.append(text[at:])
    return "".join(out), [m.span() for m in runs]


def find_phones(text: str, region: str = "US", ctx=None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each phone number in text, in order, for a listing in ``region``, digits written
    as words or spelled on the keypad included (``ctx``: the lint context, when there is one)."""
    found = set(_find_phones(text, region))

    def add(s: int, e: int) -> None:
        # A number read again in a rewritten copy of the text counts only where the text itself held none.
        if not any(a < e and s < b for a, b in found):
            found.add((s, e))

    spelled = _spelled(text, None, ctx)
    if spelled is not None:
        condensed, starts, ends = spelled
        for s, e in _find_phones(condensed, region):
            add(starts[s], ends[e - 1])
    vanity = _vanity(text)
    if vanity is not None:
        dialled, runs = vanity
        for s, e in _find_phones(dialled, "US"):
            # The number's span reaches to the end of its spelling, letters the keypad ignores included.
            add(s, max([e] + [b for a, b in runs if a < e <= b]))
    yield from sorted(found)


_CLOSER = {"(": ")", "（": "）", "[": "]", "［": "］"}
"""The opening brackets libphonenumber lets a number start with (its _OPENING_PARENS), and their pairs."""


def _inside_bracket(text: str, start: int, end: int) -> int:
    """Return where a number starts without the opening bracket libphonenumber reads into it when the bracket
    wraps the whole number ("Tel (03-1234-5678)"): a finding showing "(" but not its ")" shows half a pair. An
    area code's brackets ("(212) 555-1234") are the number's own."""
    closer = _CLOSER.get(text[start])
    if closer is None or closer in text[start:end]:
        return start
    start += 1
    while start < end and text[start].isspace():
        start += 1
    return start


def _find_phones(text: str, region: str) -> Iterator[tuple[int, int]]:
    folded = digits_folded(text)
    if "O" in folded:
        folded = _O_FOR_ZERO.sub(lambda m: m.group().replace("O", "0"), folded)
    if not folded.isascii():
        folded = _SYMBOL_BETWEEN.sub(lambda m: m.group(1) + " " * len(m.group(2)), folded)
    windows = _windows(folded)
    if not windows:
        return
    lib = _lib()
    found: list[tuple[int, int]] = []
    leftovers: list[tuple[int, int]] = []
    for ws, we in windows:
        chunk = _dialable(folded[ws:we])
        # In the marketplace's region, POSSIBLE leniency lets a cued number through on its length alone; an
        # uncued one must still be a valid number (judged in _judge).
        grouped = functools.partial(_grouped, chunk, region)
        hits = [s for m in lib.PhoneNumberMatcher(chunk, region, leniency=lib.Leniency.POSSIBLE)
                if (s := _judge(m, folded, ws, grouped, valid_needed=False))]
        found.extend(hits)
        if not hits:
            leftovers.append((ws, we))
    # Windows the marketplace's region did not read: a Japanese number after "TEL" on amazon.com. They are
    # re-read in the regions the script points to, or, after a cue, in the other marketplaces' regions, and
    # the number must be valid there.
    extra = [r for r in _script_regions(folded) if r != region]
    for n, (ws, we) in enumerate(leftovers):
        regions = list(extra)
        # Trying every region is for the few numbers a cue vouches for; past MAX_RETRIED windows a field is
        # not listing copy, and the work must stay linear in its length.
        if n < MAX_RETRIED and _cued(folded, _first_digit(folded, ws)):
            regions += [r for r in FALLBACK_REGIONS if r != region and r not in regions]
        chunk = _dialable(folded[ws:we])
        for other in regions:
            grouped = functools.partial(_grouped, chunk, other)
            hits = [s for m in lib.PhoneNumberMatcher(chunk, other, leniency=lib.Leniency.VALID)
                    if (s := _judge(m, folded, ws, grouped, valid_needed=True))]
            if hits:
                found.extend(hits)
                break
    yield from sorted(set(found))


@functools.lru_cache(maxsize=64)
def _grouped(chunk: str, region: str) -> frozenset[tuple[int, int]]:
    """Return the spans of the numbers in a window that pass libphonenumber's STRICT_GROUPING check."""
    lib = _lib()
    return frozenset((m.start, m.end) for m in lib.PhoneNumberMatcher(chunk, region, leniency=lib.Leniency.STRICT_GROUPING))


def _first_digit(text: str, start: int) -> int:
    """Return where a window's number starts (its first digit, or a + or ( before it)."""
    m = FIRST_DIGIT.search(text, start)
    return m.start() if m else start


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text holds seven digits close together (full-width ones, Chinese numerals,
    digits written as words and toll-free numbers spelled on the keypad included)."""
    return (GATE_RUN.search(digits_folded(text)) is not None or _spelled(text, lower, ctx) is not None
            or _vanity(text) is not None)


def spelled_gate(text: str, lower: Optional[str], ctx) -> bool:
    """The part of ``gate`` the detectors' screen cannot see: digits written as words."""
    return _spelled(text, lower, ctx) is not None


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield a hit for every phone number in the field, read in the listing's marketplace region."""
    region = region_for(options.get("marketplace") or ctx.config.marketplace)
    text = field.text
    for start, end in find_phones(text, region, ctx):
        shown = _inside_bracket(text, start, end)
        # The removal still starts at the bracket: the fix guard then sees what becomes of its pair.
        yield Hit(field, shown, end, values={"match": text[shown:end]}, fix_start=start if shown != start else None)
