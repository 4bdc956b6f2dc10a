"""Layer 5a (LSP): textDocument/hover on a flagged span: the rule's rationale, policy and examples."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from lsprotocol import types

if TYPE_CHECKING:
    from ...engine.spec import RuleSpec


def rule_markdown(spec: RuleSpec, message: str, fix_title: Optional[str] = None) -> str:
    """Return a rule's hover documentation as Markdown (``fix_title``: the finding's fix, with its match filled in)."""
    from ...engine.ruledocs import example_wording

    bad = next((e for e in spec.examples if e.bad), None)
    good = next((e for e in spec.examples if not e.bad), None)
    parts = [f"**{spec.id} {spec.name}**: {message}", "", " ".join(spec.rationale.split()), "",
             f"Policy: [{spec.policy}]({spec.policy})"]
    if bad is not None:
        parts += ["", f"Bad: `{bad.text}`"]
        if bad.fixed is not None:
            parts.append(f"Fixed: `{bad.fixed}`")
    if good is not None:
        parts += ["", f"Good: `{good.text}`"]
    if spec.fix is not None:
        safety = "" if spec.fix.safety is None else f" ({spec.fix.safety})"
        # "unsafe" is tool jargon: a seller needs to know the fix wants a look first.
        label = "review before applying" if spec.fix.applicability.label == "unsafe" else spec.fix.applicability.label
        parts += ["", f"Fix, {label}: {fix_title or example_wording(spec)[1]}{safety}"]
    return "\n".join(parts)


def register(server) -> None:
    """Register the hover handler."""

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls, params: types.HoverParams) -> Optional[types.Hover]:
        linted = await ls.current(params.text_document.uri)
        if linted is None or linted.result is None:
            return None
        offset = linted.positions.offset(params.position)
        specs = {s.id: s for s in linted.rules.specs}
        for finding in linted.result.findings:
            if finding.start <= offset <= finding.end and finding.code in specs:
                fix = finding.fixes[0].title if finding.fixes else None
                return types.Hover(
                    contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                 value=rule_markdown(specs[finding.code], finding.message, fix)),
                    range=linted.positions.range(finding.start, finding.end),
                )
        return None
