"""Layer 3 (engine detector helper): host names in a field's clean text, checked against the Public Suffix List.

One possessive scan finds every dotted run of label characters; the run is then trimmed (a trailing
``-Amazonポイント`` is not part of ``Amazon.co.jp``) and kept only when it ends in a real public suffix and
has a registrable name before it (``co.uk`` alone is not a host).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ...patterns import compile_re
from .deobfuscate import DOT_KINDS, Clean, deobfuscate, original_span
from .domains import public_suffix, registrable
from .text_forms import trim_url_end

# Host characters: ASCII letters and digits, the alphabets whose letters pass for Latin ones (Latin
# extensions, Greek, Cyrillic, Armenian, Cherokee, letter-like and mathematical symbols), dots and
# hyphens. Never CJK or private use (where the spelled-" at " marker lives), so a host does not run into
# Japanese or Chinese text around it. Character classes only, so a scan never backtracks more than once
# over a run, whatever the input.
LABEL_CHARS_PAST_ASCII = (
    "\u00C0-\u024F\u0250-\u02AF\u0370-\u03FF\u0400-\u052F\u0530-\u058F\u13A0-\u13FF"
    "\u1D00-\u1DBF\u1E00-\u1FFF\u2100-\u214F\u24B6-\u24E9\uA640-\uA69F\uAB30-\uAB6F\U0001D400-\U0001D7FF"
)
LABEL_CHARS = "0-9A-Za-z\\-" + LABEL_CHARS_PAST_ASCII
RUN = compile_re(f"[{LABEL_CHARS}.]+")
# A run that holds a dot, found from the run's start: words without one cost a single failed try each.
SCAN = compile_re(f"(?<![{LABEL_CHARS}.])[{LABEL_CHARS}]*\\.[{LABEL_CHARS}.]*")
PATH = compile_re(r"/[^\s<>\"'，。、）】「」]*")
SPACED_PATH = compile_re(r"[ \t]{1,3}(?:/[ \t]{0,3}|(?:slash|barra|schrägstrich)[ \t]{1,3})[^\W_][^\s<>\"'，。、）】「」]*",
                         re.I)
"""A path written with spaces around its slash, or with the slash spelled, as after a host written with disguised
dots ("shop . it / help", "kitchenhaven dot co dot uk slash guides")."""
MAX_HOST = 253


class Host(NamedTuple):
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
        last = last.split("-", 1)[0]  # a top-level label has no hyphen: "jp-Amazon" ends at "jp"
    for i, char in enumerate(last):
        if not char.isalnum():  # nor a symbol: "Slither.io™" ends at "io"
            last = last[:i]
            break
    labels[-1] = last
    for _ in range(3):
        if len(labels) < 2:
            return ""
        candidate = ".".join(labels)
        if all(labels) and registrable(candidate) is not None:
            return candidate
        labels.pop()
    return ""


def host_at(text: str, pos: int, limit: int) -> str:
    """Return the host name that starts at ``pos`` (an email's domain), read no further than ``limit``."""
    m = RUN.match(text, pos, limit)
    if m is None:
        return ""
    run = m.group().split("..", 1)[0].rstrip(".-")
    return _trim(run) if "." in run else ""


def find_hosts(clean: Clean) -> list[Host]:
    """Return every host in a clean text, in order."""
    text = clean.text
    found = []
    for m in SCAN.finditer(text):
        run = m.group()
        if len(run) > MAX_HOST + 2:
            continue
        s = m.start()
        if s > 0 and text[s - 1] in "@/_":
            continue  # an email's domain, a link's path, or part of an identifier
        # Leading and trailing dots and hyphens are punctuation around the host, "a..b" two pieces of text.
        lead = len(run) - len(run.lstrip(".-"))
        run = run[lead:].split("..", 1)[0].rstrip(".-")
        s += lead
        name = _trim(run) if "." in run else ""
        if not name:
            continue
        e = s + len(name)
        end = e
        has_path = False
        kinds = frozenset(clean.tokens_in(s, e)) if clean.kinds else frozenset()
        if name == run and text.startswith("/", e):
            end = trim_url_end(text, e, PATH.match(text, e).end())
            has_path = end > e + 1
        elif name == run and not DOT_KINDS.isdisjoint(kinds) and (spaced := SPACED_PATH.match(text, e)) is not None:
            end = trim_url_end(text, e, spaced.end())
            has_path = True
        found.append(Host(name, (s, end), original_span(clean, s, end), kinds, has_path))
    return found


@functools.lru_cache(maxsize=64)
def hosts_in(text: str) -> tuple[Host, ...]:
    """Return the hosts in a field's text (computed once per text for the URL and spoof detectors)."""
    return tuple(find_hosts(deobfuscate(text)))


def is_disguised(host: Host) -> bool:
    """Tell whether a host was written with disguised dots."""
    return not DOT_KINDS.isdisjoint(host.disguised)
