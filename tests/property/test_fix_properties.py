"""Property tests (hypothesis): fixes on random listings reach a fixpoint, never overlap, never make things worse."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from listing_lint import Applicability, Config
from listing_lint.cli.main import main as cli_main
from listing_lint.document import lint_text
from listing_lint.fixes import apply_edits, fix_text, select_edits

from conftest import SHARED

CONFIG = Config(competitors=("Anker", "Yeti", "Hamilton Beach", "Lodge"), own_brands=("Vantora",))
CORPUS_FILE = SHARED / "corpus" / "real-listings.jsonl"
# Real listing text from the shared corpus when it sits beside the checkout (as in CI); otherwise a few
# realistic lines, so the property still runs from a bare clone.
REAL = [
    "Stainless steel water bottle, 32 oz, keeps drinks cold for 24 hours",
    "Dishwasher safe lid; BPA-free Tritan plastic — fits most cup holders",
    "Includes 2 replacement filters (Part No. KX-88.2) and a 2.5mm jack",
    "Perfect gift for kids aged 3+ · 100 pieces · rated for 20,000 hours",
    "Please review the sizing chart before ordering. Message us through Amazon with questions.",
]
if CORPUS_FILE.exists():
    CORPUS = [json.loads(line) for line in open(CORPUS_FILE, encoding="utf-8")][:300]
    REAL = [t for r in CORPUS for t in [r["title"], *r["bullets"]] if t][:800]
VIOLATIONS = [
    "Visit www.vantora.com for more", "email help@vantora.com", "call (555) 123-4567", "Best Seller",
    "Leave a 5-star review and get a free gift card!", "better than Anker", "compatible with Yeti lids",
    "Follow us on Instagram @vantora", "加微信领取礼品", "五星好评返现", "Over 50,000 units sold",
    "Free shipping", "N/A", "<b>bold</b>", "🚀 fast", "100% money-back guarantee", "B07XJ8C8F5",
    "vantora dot com", "Amazon's Choice", "Top! Mini", "Vantora™ blades", "amazon-security@hotmail.com",
]
HOSTILE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\r\n#-<>"),
                  max_size=40)
FRAGMENT = st.one_of(st.sampled_from(REAL), st.sampled_from(VIOLATIONS), HOSTILE)
FIELD = st.lists(FRAGMENT, min_size=1, max_size=4).map(" ".join).map(lambda s: s.strip() or "x")


@st.composite
def listings(draw) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["# Title", draw(FIELD), "", "## Bullet points"]
    lines += [f"- {draw(FIELD)}" for _ in range(draw(st.integers(1, 6)))]
    lines += ["", "## Description", draw(FIELD), "", "## Search terms", draw(FIELD).lower(), ""]
    return newline.join(lines)


def _lint(text: str):
    return lint_text("p.listing.md", text, CONFIG).findings


def _structure(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listings(), st.sampled_from([Applicability.SAFE, Applicability.UNSAFE]))
def test_fixes_converge_without_overlap_or_new_findings(text, threshold):
    # Through the loop every fixing command uses (fix_text): a fix may make a new finding (a replacement
    # sentence taking a bullet point over its length limit), and the loop must then fall back or take it back.
    history: list[tuple[str, list]] = []
    fixed, _, left = fix_text(text, _lint, threshold, max_passes=3, history=history)
    texts = [edited for edited, _ in history] + [fixed]
    for passes, (edited, edits) in enumerate(history, 1):
        event(f"fix pass {passes} applied")
        assert all(a.end <= b.start for a, b in zip(edits, edits[1:])), "edits overlap"
        assert apply_edits(edited, edits) == texts[passes]
    counts = [Counter(f.rule for f in _lint(t)) for t in texts]
    for (current, new_text), before, after in zip(zip(texts, texts[1:]), counts, counts[1:]):
        assert not [rule for rule in after if after[rule] > before[rule]], (current, new_text)
        assert _structure(new_text) == _structure(current), "a fix touched a heading"
    assert Counter(f.rule for f in left) == counts[-1]
    assert len(history) < 3 or not select_edits(left, threshold), "no fixpoint within 3 passes"


# -- the same property end to end: `check --fix`, then `check`, through the real command line --------------

CONFIG_TOML = '[brands]\ncompetitors = ["Anker", "Yeti", "Hamilton Beach", "Lodge"]\nown = ["Vantora"]\n'


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["check", "--no-cache", "--jobs", "1", *args])
    return code, out.getvalue(), err.getvalue()


FILE_FORMATS = ["md", "md-crlf", "md-cr", "md-utf16", "jsonl", "csv"]


@st.composite
def listing_files(draw, fmt: str) -> tuple[str, bytes]:
    """A listing file in one of the formats --fix rewrites: its name and its bytes."""
    if fmt.startswith("md"):
        text = draw(listings()).replace("\r\n", "\n")
        if fmt == "md-utf16":
            return "l.listing.md", "\ufeff".encode("utf-16-le") + text.replace("\n", "\r\n").encode("utf-16-le")
        newline = {"md": "\n", "md-crlf": "\r\n", "md-cr": "\r"}[fmt]
        return "l.listing.md", text.replace("\n", newline).encode("utf-8")
    rows = [{"sku": f"S{n}", "title": draw(FIELD), "bullets": draw(st.lists(FIELD, min_size=1, max_size=3)),
             "description": draw(FIELD)} for n in range(draw(st.integers(1, 3)))]
    if fmt == "jsonl":
        return "c.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["item_sku", "item_name", "bullet_point1", "bullet_point2", "bullet_point3",
                     "product_description"])
    for r in rows:
        bullets = (r["bullets"] + ["", "", ""])[:3]
        writer.writerow([r["sku"], r["title"], *bullets, r["description"]])
    return "c.csv", buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", FILE_FORMATS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_check_fix_then_check_reports_nothing_fixable(fmt, data):
    """After ``check --fix``, ``check`` finds nothing ``--fix`` could fix, and the file keeps its encoding."""
    name, data = data.draw(listing_files(fmt))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "listing-lint.toml").write_text(CONFIG_TOML, encoding="utf-8")
        path = root / name
        path.write_bytes(data)
        code, out, err = _cli("--fix", "--quiet", str(path))
        assert "cannot write" not in err and "internal error" not in err, err
        code, out, err = _cli("--format", "json", str(path))
        findings = json.loads(out)
        event(f"{sum(1 for f in findings if f['fix'])} findings left with an unsafe fix")
        left = [(f["rule"], f["message"]) for f in findings if f["fix"] and f["fix"]["applicability"] == "safe"]
        assert not left, (data, path.read_bytes())
        assert path.read_bytes()[:2] == data[:2]  # the UTF-16 BOM, or the first bytes of the text
