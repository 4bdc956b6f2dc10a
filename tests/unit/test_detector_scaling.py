"""Issue 14: the address and phone detectors take time linear in their input, whatever the input.

Each adversarial shape is run at 10 KB and at 100 KB in the same process; the larger run may take at most
about ten times as long (the test allows 25 for noise on a shared machine). A quadratic detector takes
100 times as long and fails. Absolute times are never compared, except that a 10 KB time under FLOOR
counts as FLOOR: below it, cache and clock effects dominate (a 10 KB text stays in the CPU cache, a 100 KB
one does not, so even a plain scan looks 30 times slower), while the quadratic detectors of the issue took
seconds at 10 KB.
"""

from __future__ import annotations

import gc
import time

import pytest

from listing_lint import Config
from listing_lint.engine.context import LintContext
from listing_lint.engine.detectors import DETECTORS
from listing_lint.engine.detectors import deobfuscate, email, hosts, text_forms, url
from listing_lint.model import Field, FieldKind

# Shape name -> (unit repeated to the size, tail appended once). From the table, plus neighbours
# of each: the same anchors repeated without end.
SHAPES = {
    "percent-then-lone-at": ("a%", "@"),
    "hyphens-then-at": ("a-", "@"),
    "pluses-then-at": ("a+", "@"),
    "bracket-at-then-bracket-dots": ("a[.]", "", "x [at] "),
    "label-dot-in-brackets": ("label(dot)", ""),
    "label-dot-spelled": ("label dot ", "com"),
    "call-then-spaces": (" ", "5551234567", "call"),
    "tel-then-tabs": ("\t", "5551234567", "tel"),
    "many-ats": ("a@", "b.com"),
    "spelled-ats": ("a at ", "b dot com"),
    "bracket-ats": ("a (at) ", "b.com"),
    "dotted-labels": ("a.", "com"),
    "spaced-letters": ("a ", "@ b . c o m"),
    "digit-groups": ("12-34 ", ""),
    "phone-numbers": ("Tel 020 7946 0958 ", ""),
    "amazon-lookalikes": ("аmazon-", ".com"),
    "www-runs": ("www.", "x.com"),
    "spaced-scheme": ("h t t p ", "://x.com"),
}
DETECTOR_NAMES = ("url", "email", "phone", "spoofed-domain")
CTX = LintContext(Config())
FLOOR = 0.005


def _text(shape: str, size: int) -> str:
    unit, tail, *head = SHAPES[shape]
    prefix = head[0] if head else ""
    return prefix + unit * ((size - len(prefix) - len(tail)) // len(unit)) + tail


def _clear_caches() -> None:
    for cached in (deobfuscate.deobfuscate, hosts.hosts_in, email.emails_in, url.addresses_in,
                   text_forms.ascii_fold):
        cached.cache_clear()


def _run(name: str, text: str) -> float:
    detect, gate = DETECTORS[name].detect, DETECTORS[name].gate
    field = Field(FieldKind.DESCRIPTION, text, 0)
    _clear_caches()
    gc.collect()
    gc.disable()  # a collection's cost depends on what else the test process holds, not on the detector
    try:
        start = time.perf_counter()
        if gate(text, text.lower(), CTX):
            for _ in detect(field, CTX, {}):
                pass
        return time.perf_counter() - start
    finally:
        gc.enable()


def _best(name: str, text: str, repeat: int) -> float:
    return min(_run(name, text) for _ in range(repeat))


@pytest.mark.parametrize("name", DETECTOR_NAMES)
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_grows_linearly(shape, name):
    small, large = _text(shape, 10_000), _text(shape, 100_000)
    assert len(large) >= 9 * len(small)
    _run(name, small)  # warm up: first use loads the suffix list and the phone metadata
    t_small = max(_best(name, small, 3), FLOOR)
    t_large = _run(name, large)
    for _ in range(2):  # the machine is shared: a slow run is measured again, and the best one counts
        if t_large / t_small < 25:
            break
        t_large = min(t_large, _run(name, large))
    assert t_large / t_small < 25, f"{name} on {shape}: {t_small * 1000:.1f} ms at 10 KB, {t_large * 1000:.1f} ms at 100 KB"
