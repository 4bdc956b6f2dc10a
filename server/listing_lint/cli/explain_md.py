"""Layer 5b (CLI): a rule's documentation as Markdown, which editors render (``explain --format markdown``)."""

from __future__ import annotations

import re

from ..engine.spec import RuleSpec
from .fixlist import fix_label


def _code(text: str) -> str:
    """Inline Markdown code for any text: a fence of more backticks than any run inside it."""
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def explain_markdown(s: RuleSpec, pack=None) -> str:
    """Return a rule's documentation as Markdown, with the same facts as ``explain``'s plain text."""
    from ..engine.ruledocs import citations, example_wording

    message, fix_title = example_wording(s, pack)
    lines = [f"# {s.id} {s.name}", "",
             f"**Pack:** {s.pack} · **Default severity:** {s.severity.label} · "
             f"**Fields:** {', '.join(f.value for f in s.fields)}", "",
             "## What it flags", "", f"For example: {message}", "",
             "## Why", "", " ".join(s.rationale.split()), "",
             "## Policy", "", f"<{s.policy}>"]
    sources = citations(s)
    if sources:
        lines += ["", "Sources:", "", *(f"- {source}" for source in sources)]
    if s.fix:
        lines += ["", "## Fix", "", f"{fix_title} ({fix_label(s.fix.applicability)})"]
        if s.fix.safety:
            lines += ["", f"Why review it: {s.fix.safety}"]
    lines += ["", "## Examples", ""]
    for ex in s.examples:
        field = f" ({ex.field.value})" if ex.field else ""
        lines.append(f"- {'Flagged' if ex.bad else 'Not flagged'}{field}: {_code(ex.text)}")
        if ex.fixed is not None:
            lines.append(f"  - fixed: {_code(ex.fixed)}")
    return "\n".join(lines) + "\n"
