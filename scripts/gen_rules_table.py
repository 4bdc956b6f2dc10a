"""Regenerate the rule table in README.md from the rule packs (tests/rules/test_packs.py checks it is current)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from listing_lint.config import Config
from listing_lint.engine.lint import load_packs

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def table() -> str:
    """Return the Markdown table of every bundled rule."""
    rows = ["| code | rule | pack | severity | fix | flags |", "|---|---|---|---|---|---|"]
    for pack in load_packs(Config()):
        for s in pack.rules:
            fix = {"unsafe": "review before applying"}.get(s.fix.applicability.label, s.fix.applicability.label) \
                if s.fix else "-"
            # The message as a seller reads it, with what the finding fills in shown as "…" or in italics.
            what = s.message.replace("|", "\\|").replace("{match}", "…")
            what = re.sub(r"\{(\w+)\}", lambda m: "*" + m.group(1).replace("_", " ") + "*", what)
            status = "" if s.status == "stable" else f" ({s.status})"
            rows.append(f"| {s.id} | [`{s.name}`]({s.policy}){status} | {s.pack} | {s.severity.label} | {fix} | {what} |")
    return "\n".join(rows)


def render(readme: str) -> str:
    """Return README text with the table between the markers replaced."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{START}\n{table()}\n{END}", readme)


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in sys.argv:
        sys.exit(0 if new == text else 1)
    README.write_text(new, encoding="utf-8")
