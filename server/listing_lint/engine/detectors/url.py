"""Layer 3 (engine detector): web addresses, including spaced, bracketed and spelled-out obfuscations.

Links with a scheme (``https://``, spaced ``h t t p s : //``) are read from the text as written; every
other host comes from the clean text (disguises undone, see deobfuscate.py) and must end in a real public
suffix (hosts.py), so ``Vue.js`` and ``2.5mm`` are not addresses.

Which hosts are the listing's own platform's, and whether copy may link to them, comes from the platform's
profile (profiles.py): on eBay a link to the seller's eBay Store is fine and one to amazon.com is not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple, Optional

from ...patterns import compile_re
from ...profiles import AMAZON, Platform, platform_of
from ..context import word_list
from ..kinds import Hit
from ..spans import Claimed, Fixed
from .domains import is_amazon_own, owned_by, top_levels
from .deobfuscate import EMOJI_DOT, OPEN, SPACED_TLDS, deobfuscate, may_change_letters, original_span
from .email import emails_in
from .hosts import LABEL_CHARS, LABEL_CHARS_PAST_ASCII, RUN, Host, hosts_in, is_disguised
from .text_forms import SHORTENERS, SPELLED_TLDS, ascii_fold, trim_url_end


# Country codes that are also short English words.
WORD_TLDS = frozenset("in it is me to at be no so us my do am as by go an or if of up we he hi".split())
SPELLED = frozenset(SPELLED_TLDS.split("|"))
# Two-letter endings that are no everyday word in the listing languages.
PLAIN_CC = frozenset("uk jp cn ru nl eu io ca au fr ch pl cz hk tw kr br mx ae sg".split())
# Words that end a phrase before a spelled " dot ": "el punto es", "the dot is".
NOT_A_LABEL = frozenset("a an the el la lo los las un una il le les der die das ein eine this that its".split())

SCHEME = compile_re(
    r"(?:\b(?:https?|ftp)[ \t]?:[ \t]?/[ \t]?/[ \t]{0,3}|\bh[\s.]t[\s.]t[\s.]p(?:[\s.]s)?[ \t]{0,3}:[ \t]{0,3}/[ \t]{0,3}/[ \t]{0,3})"
    r"[^\s<>\"'，。、）】\ue000]+",
    re.I,
)


AFTER_SCHEME = compile_re(r"^[^/]{0,12}/[ \t]{0,3}/[ \t]{0,3}")


class Address(NamedTuple):
    """A web address found in a field."""

    span: tuple[int, int]
    kind: str
    """``url``, ``shortener`` or ``obfuscated``."""
    host: str


def authority(url: str) -> str:
    """Return the ``user@host`` part of a link with a scheme (spaces around its slashes allowed)."""
    rest = AFTER_SCHEME.sub("", url, count=1)
    return re.split(r"[/?#\s]", rest, maxsplit=1)[0]


def _host_of(url: str) -> str:
    """Return the host of a link with a scheme (after any ``user@``, which is not where it goes)."""
    where = authority(url).rsplit("@", 1)[-1]
    m = RUN.match(where)
    return m.group().strip(".-").lower() if m else where.lower()


def owns(platform: Platform, host: str) -> bool:
    """Tell whether a host is one of the platform's own (Amazon's come from rules/data/amazon-domains.txt too)."""
    if platform is AMAZON:
        return is_amazon_own(host)
    return owned_by(host, platform.host_names, platform.host_domains)


def _bare_ok(host: Host, platform: Platform = AMAZON) -> bool:
    """Judge whether a host written without scheme or www is an address rather than prose.

    The platform's own site name alone ("sold on Amazon.com") is the store's name, not an address, unless the
    platform counts even that as a web address (Walmart).
    """
    name = host.name
    labels = name.split(".")
    if all(label.isdigit() for label in labels[:-1]):
        return False
    tld = labels[-1]
    # "quality.Great" is a missing space, not a domain; addresses are lower case or all capitals.
    if not (tld.islower() or name.isupper()):
        return False
    lower = name.lower()
    if len(labels) == 2 and len(labels[0]) < 2 and lower not in SHORTENERS:
        return False
    if len(labels) == 2 and tld == "NET" and labels[0].isupper() and len(labels[0]) <= 4 and not host.has_path:
        return False  # Microsoft's .NET family, written as its makers do: "ASP.NET Core", "VB.NET", "ADO.NET"
    if name.isupper() and not host.has_path and "-" in labels[0] and any(c.isdigit() for c in labels[0]):
        return False  # a part or model code in capitals: "TL-2000.IT.BK", "AB-12.DE"
    if (not host.has_path and len(labels) == 2 and tld.lower() in WORD_TLDS
            and labels[0].lower() in word_list("common-words")):
        return False  # "age groups.in order": a missing space before a two-letter word
    return host.has_path or platform.own_links == "none" or not owns(platform, lower)


def _disguised_ok(host: Host) -> bool:
    """Judge a host written with disguised dots: a word spelled between spaces needs a common TLD."""
    labels = host.name.split(".")
    if all(label.isdigit() for label in labels[:-1]):
        return False
    if len(labels) >= 3 and labels[0].lower() == "www" and labels[-1].isalpha():
        return True  # "www . gartenfreude-shop . de": no stray space puts "www" before a name and an ending
    if host.name.lower() in SHORTENERS:
        return True  # "bit . ly / kettle-guide": a link shortener's name is never prose
    if "edot" in host.disguised and (len(labels[-2]) < 3 or not (
            host.has_path or labels[-1].lower() in ("com", "net", "org", "info", "io", "biz", "xyz"))):
        return False  # an emoji between words ("love❤️it", "M•de") is a separator unless a path or ".com" follows
    if "sdot" in host.disguised or "pdot" in host.disguised or "tdot" in host.disguised:
        if labels[-1].lower() not in SPELLED or labels[-2].lower() in NOT_A_LABEL or len(labels) > 4:
            return False
    tld = labels[-1]
    if ("pdot" in host.disguised or "tdot" in host.disguised) and not (tld.islower() or host.name.isupper()):
        # " . " or " .NET" between words is a stray space as often as a disguise: like a bare host, lower case
        # or capitals ("targets .NET 8" is Microsoft's).
        return False
    if "pdot" in host.disguised and len(tld) == 2 and tld.lower() not in PLAIN_CC and not (
            host.has_path and labels[-2].lower() not in word_list("common-words")):
        # No two-letter ending that is also a word ("love it . it works", "punto . de"), but a name and a path
        # make it an address: "casabella . it / tutorial".
        return False
    return True


_PUNTO_DE = compile_re(r"\bpunto[ \t]{1,3}de$", re.I)
"""A name before "punto de" is Spanish prose ("aire punto de cocción"), not a German web address; with an "at"
word before it, it is still an email's domain ("info arroba tienda punto de")."""


@functools.lru_cache(maxsize=64)
def addresses_in(text: str, platform: Platform = AMAZON) -> tuple[Address, ...]:
    """Return every web address in a field's text, in order, email addresses' domains left out.

    The platform decides only whether its bare site name ("Amazon.com") is an address (see ``_bare_ok``).
    """
    clean = deobfuscate(text)
    ctext = clean.text
    found: list[Address] = []
    links = Claimed()
    lower = ctext.lower()
    # Links with a scheme are read on the clean text too: "https://shop (dot) com/x" is one link.
    if "/" in ctext and ("http" in lower or "ftp" in lower or "h.t" in lower or "h t" in lower):
        for m in SCHEME.finditer(ctext):
            s, e = m.start(), trim_url_end(ctext, m.start(), m.end())
            span = original_span(clean, s, e)
            links.add(*span)
            found.append(Address(span, "url", _host_of(ctext[s:e])))
    taken = Fixed(email.span for email in emails_in(text))
    for host in hosts_in(text):
        s, e = host.span
        if (taken and taken.covers(s, e)) or links.overlaps(s, e):
            continue
        lower_name = host.name.lower()
        if is_disguised(host) or "spaced" in host.disguised:
            if not _disguised_ok(host) or _PUNTO_DE.search(text, s, e) is not None:
                continue
            kind = "obfuscated"
        elif lower_name.startswith("www."):
            kind = "url"
        elif not _bare_ok(host, platform):
            continue
        else:
            kind = "shortener" if lower_name in SHORTENERS else "url"
        found.append(Address((s, e), kind, lower_name))
    found.sort(key=lambda a: a.span)
    return tuple(found)


def find_urls(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, kind) of each web address in text; kind is url, shortener or obfuscated."""
    for address in addresses_in(text):
        yield address.span[0], address.span[1], address.kind


_DOT_BEFORE_LETTER = compile_re(rf"\.(?=[A-Za-z\u0370-\u058F]|{OPEN})")
"""A dot before a letter a top-level domain could start with (Latin, or Greek, Cyrillic and Armenian: ".co",
".рф", ".հայ", the scripts hosts.LABEL_CHARS reads), or before a bracket a disguised letter opens ("shop.(c)om")."""
_BEFORE_DOT = compile_re(f"[\\w{LABEL_CHARS}]")
"""What a host's label can end in before its dot: a word character, a hyphen or a letter-like symbol ("Lumex™.com")."""
_LABEL = compile_re(f"[{LABEL_CHARS}]*")
_LETTERS_THEN_OPEN = compile_re(f"[A-Za-z{LABEL_CHARS_PAST_ASCII}]*{OPEN}")
_LETTER_THEN_SPACED = compile_re(r"[A-Za-z] [A-Za-z0-9]")


def host_dots(text: str) -> bool:
    """Tell whether a dot in a text (full-width forms folded) could be a host's: after a label's character and
    before a real top-level domain, or before letters a disguise could add to ("shop.c(o)m", "shop.c o m").
    "scenes.This", "Sd.Kfz" and "5.5mm" hold none.

    A top-level domain is a label after a dot, or its start up to a hyphen or a symbol (where hosts._trim cuts a
    host's last label). The scan goes from dot to dot: most copy has few before a letter.
    """
    tlds = top_levels()
    disguised = None
    for m in _DOT_BEFORE_LETTER.finditer(text):
        at = m.start()
        before = text[at - 1:at]
        if not before or not (before.isalnum() or _BEFORE_DOT.match(before) is not None):
            continue
        if tlds is None:
            return True  # the list's layout is not the one known: every label may end a host
        if _is_top_level(_LABEL.match(text, at + 1).group().lower(), tlds):
            return True
        if _LETTERS_THEN_OPEN.match(text, at + 1) is not None or _LETTER_THEN_SPACED.match(text, at + 1) is not None:
            if disguised is None:
                disguised = may_change_letters(text)
            if disguised:
                return True
    return False


def _is_top_level(label: str, tlds: frozenset[str]) -> bool:
    if label in tlds:
        return True
    for i, char in enumerate(label):
        if not char.isalnum() and not (char == "-" and label.startswith("xn--")):
            return label[:i] in tlds
    return False


_HALF_SPACED_DOT = compile_re(rf"\w[ \t]{{1,3}}\.[ \t]{{0,3}}{SPACED_TLDS}(?![A-Za-z0-9])", re.I)
"""A dot spaced from the name before it, or on both sides ("brewhaus .com", "brewhaus . com"), read by the
deobfuscation pass."""
_BRACKET_DOT = compile_re(r"[\[\(\{<【「（][ \t]{0,2}\.")
_LATIN_DOT_WORD = compile_re(r"(?<=[ \t\[\(\{<【「〔])(?:dot|punkt|punto|point|pkt)(?=[ \t\]\)\}>】」〕])")
"""A Latin word for "dot" as deobfuscate reads one (in lower case, full-width forms folded): after a blank or an
opening bracket, before a blank or a closing one. "anecdote", "appointment" and "selling point." hold none."""


def gate(text: str, lower: str, ctx) -> bool:
    """Tell whether a listing's text could hold a web address at all.

    A host written with dots needs a real top-level domain after one (``host_dots``); a disguised dot (a word
    for it, brackets, blanks, an emoji) is let through for deobfuscate to read.
    """
    if "www" in lower or "//" in text:
        return True
    if not lower.isascii() and ("点" in lower or "點" in lower or "ドット" in lower or "てん" in lower):
        return True
    folded = ascii_fold(lower)
    # The words one by one first: a search for them standing alone costs ten times a look for each.
    if ("dot" in folded or "pun" in folded or "point" in folded or "pkt" in folded) and (
            _LATIN_DOT_WORD.search(folded) is not None):
        return True
    text = ascii_fold(text)
    if not text.isascii() and EMOJI_DOT.search(text) is not None:
        return True
    return "." in text and (host_dots(text) or _BRACKET_DOT.search(text) is not None or " . " in text or (
        (" ." in text or "\t." in text) and _HALF_SPACED_DOT.search(text) is not None))


MESSAGES: dict[str, Optional[str]] = {
    "url": None,
    "shortener": "Shortened link '{match}' hides where it sends buyers, off Amazon.",
    "obfuscated": "Disguised web address '{match}' still sends buyers off Amazon.",
}


PLAIN_HTTP = "Link '{{match}}' uses plain http; {name} allows only https links."
OWN_SITE = "Web address '{{match}}' is not allowed in {name} listing copy, not even one on {name}'s own site."
_HTTP = compile_re(r"h[\s.]?t[\s.]?t[\s.]?p[ \t]?:", re.I)
# A picture in HTML: <img ... src="  right before the address.
_IMG_SRC = compile_re(r"<img\b[^<>]*\bsrc\s*=\s*[\"']?\s*$", re.I)
# Markup that names a vocabulary, not a page anyone is sent to: <div vocab="https://schema.org/">, as eBay's
# mobile description snippet asks for.
_VOCABULARY = compile_re(r"<[a-z][^<>]*\b(?:vocab|xmlns(?::\w+)?|itemtype)\s*=\s*[\"']?\s*$", re.I)


def _judge(platform: Platform, address: Address, text: str) -> tuple[bool, Optional[str]]:
    """Return whether an address is reported on the listing's platform, and the message if not the rule's."""
    start = address.span[0]
    plain_http = _HTTP.match(text, start) is not None
    if platform.html_in_description and _VOCABULARY.search(text, max(0, start - 300), start):
        return False, None
    if platform.image_links and _IMG_SRC.search(text, max(0, start - 300), start):
        # eBay lets a description show pictures kept on another site, over https only.
        return (True, PLAIN_HTTP.format(name=platform.name)) if plain_http else (False, None)
    if not owns(platform, address.host):
        return True, MESSAGES[address.kind]
    if platform.own_links == "allowed":
        if platform.https_only and plain_http:
            return True, PLAIN_HTTP.format(name=platform.name)
        return False, None
    if platform.own_links == "none" or address.kind == "url":
        # A page of the platform's own site ("amazon.com/shops/..."): no link is allowed, but saying it
        # sends buyers off the platform would be untrue.
        return True, OWN_SITE.format(name=platform.name)
    return True, MESSAGES[address.kind]


def detect(field, ctx, options) -> Iterator[Hit]:
    """Yield a hit for every web address in the field that the listing's platform does not allow.

    The platform is the listing's marketplace's (the detector kind passes it in ``options``), else the config's.
    """
    platform = platform_of(options.get("marketplace") or ctx.config.marketplace)
    text = field.text
    # Amazon's call has the spoofed-domain detector's cache key: each text is scanned once for both.
    for address in addresses_in(text) if platform is AMAZON else addresses_in(text, platform):
        report, message = _judge(platform, address, text)
        if report:
            start, end = address.span
            yield Hit(field, start, end, values={"match": text[start:end]}, message=message)
