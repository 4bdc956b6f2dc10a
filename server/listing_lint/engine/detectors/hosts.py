"""Layer 3 (engine detector helper): host names in a field's clean text, checked against the Public Suffix List.

One possessive scan finds every dotted run of label characters; the run is then trimmed (a trailing
``-Amazonポイント`` is not part of ``Amazon.co.jp``) and kept only when it ends in a real public suffix and
has a registrable name before it (``co.uk`` alone is not a host).
"""

from __future__ import annotations

import functools

import attrs
import regex

from .deobfuscate import DOT_KINDS, Clean, deobfuscate, original_span
from .domains import public_suffix, registrable

# Label characters: letters and digits of any alphabet except the CJK blocks and private use (where the
# spelled-" at " marker lives), so a host never runs into Japanese or Chinese text around it.
LC = r"[^\W_\u2E80-\uFFFF]"
HOST = regex.compile(
    rf"(?<!{LC})(?<![.\-/@_])({LC}(?:{LC}|-)*+(?:\.{LC}(?:{LC}|-)*+)++)"
)
# A host name starting at a given position (an email's domain, a link's authority).
DOMAIN = regex.compile(rf"{LC}(?:{LC}|-)*+(?:\.{LC}(?:{LC}|-)*+)++")
DOMAIN_AT = regex.compile(rf"{LC}(?:{LC}|-)*+(?:\.{LC}(?:{LC}|-)*+)*+")
PATH = regex.compile(r"/[^\s<>\"'，。、）】「」]*+")
MAX_HOST = 253
TRAILING_PUNCT = ".,;:!?)]}'\"»”’>"


@attrs.frozen(slots=True)
class Host:
    """A host name found in a field: its spans in the clean and original text, and how it was written."""

    name: str
    """The host as written, disguises undone (``vantora.com``)."""
    clean: tuple[int, int]
    span: tuple[int, int]
    """Span of the host (and its path, if any) in the original text."""
    disguised: frozenset[str]
    """Token kinds used inside it (``bdot``, ``sdot``, ``spaced``...); empty when written plainly."""
    has_path: bool

    @property
    def suffix(self) -> str:
        """Return its public suffix."""
        return public_suffix(self.name) or ""


def _trim(name: str) -> str:
    """Cut a host back to its last label that ends in a public suffix, or to "" when none does."""
    labels = name.split(".")
    last = labels[-1]
    if "-" in last and not last.startswith("xn--"):
        labels[-1] = last.split("-", 1)[0]  # a top-level label has no hyphen: "jp-Amazon" ends at "jp"
    for _ in range(3):
        if len(labels) < 2:
            return ""
        candidate = ".".join(labels)
        if all(labels) and registrable(candidate) is not None:
            return candidate
        labels.pop()
    return ""


def find_hosts(clean: Clean) -> list[Host]:
    """Return every host in a clean text, in order."""
    text = clean.text
    found = []
    for m in HOST.finditer(text):
        raw = m.group(1)
        if len(raw) > MAX_HOST:
            continue
        name = _trim(raw)
        if not name:
            continue
        s, e = m.start(1), m.start(1) + len(name)
        end = e
        has_path = False
        if e == m.end(1) and text.startswith("/", e):
            p = PATH.match(text, e)
            end = p.end()
            while end > e and text[end - 1] in TRAILING_PUNCT:
                if text[end - 1] == ")" and text.count("(", s, end) >= text.count(")", s, end):
                    break
                end -= 1
            has_path = end > e + 1
        kinds = frozenset(k for k in clean.tokens_in(s, e)) if clean.kinds else frozenset()
        found.append(Host(name, (s, end), original_span(clean, s, end), kinds, has_path))
    return found


@functools.lru_cache(maxsize=64)
def hosts_in(text: str) -> tuple[Host, ...]:
    """Return the hosts in a field's text (computed once per text for the URL and spoof detectors)."""
    return tuple(find_hosts(deobfuscate(text)))


def is_disguised(host: Host) -> bool:
    """Tell whether a host was written with disguised dots."""
    return not DOT_KINDS.isdisjoint(host.disguised)
