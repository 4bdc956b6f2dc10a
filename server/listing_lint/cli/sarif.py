"""Layer 5b (CLI): findings as a SARIF 2.1.0 log that GitHub code scanning accepts (help, fingerprints, base URIs)."""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Applicability, Severity
from ..engine.ruledocs import citations
from ..engine.spec import RuleSpec
from .records import READ_ERROR, Record

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation",
                    Severity.HINT: "recommendation"}
SRCROOT = "%SRCROOT%"
FINGERPRINT = "listingFinding/v1"

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Message templates of the length and count kinds, reworded without their numbers.
_SIZE = re.compile(r"^(?P<what>.+?) (?:is|are) \{length\} (?P<unit>\w+) long; the limit is .*$")
_COUNT = re.compile(r"^(?P<what>.+?) has \{count\} (?P<things>\w+); the limit is .*$")
_REPEATS = re.compile(r"^'\{match\}' appears \{count\} times in the (?P<field>\w+);.*$")


def short_description(spec: RuleSpec) -> str:
    """Return one clean sentence saying what a rule flags, from its message template (no placeholders)."""
    message = " ".join(spec.message.split())
    for pattern, build in (
        (_SIZE, lambda m: f"{m['what']} is over the {m['unit']} limit."),
        (_COUNT, lambda m: f"{m['what']} has more {m['things']} than the limit allows."),
        (_REPEATS, lambda m: f"A word is repeated in the {m['field']} more often than allowed."),
    ):
        m = pattern.match(message)
        if m:
            return _sentence(build(m))
    text = re.sub(r"^'\{match\}' ", "Text that ", message)
    text = re.sub(r"\s*'\{match\}'", "", text).replace("{match}", "text")
    if _PLACEHOLDER.search(text):
        text = re.split(r"(?<=[.;])\s", " ".join(spec.rationale.split()))[0].rstrip(";") + "."
    return _sentence(text.replace("Text that is ", "Text that is "))


def _sentence(text: str) -> str:
    text = text.strip()
    first = text.split(". ")[0].rstrip(".")
    return first[:1].upper() + first[1:] + "."


def rule_help(spec: RuleSpec) -> dict[str, str]:
    """Return the rule's help as plain text and Markdown: why, the policy, the fix, and examples."""
    why = " ".join(spec.rationale.split())
    text = [why, "", f"Policy: {spec.policy}"]
    md = [f"**{spec.id} {spec.name}**", "", why, "", f"Policy: [{spec.policy}]({spec.policy})"]
    sources = citations(spec)  # public citations only: never a repository file
    if sources:
        text.append("Sources: " + "; ".join(sources))
        md += ["", "Sources:"] + [f"- {s}" for s in sources]
    if spec.fix is not None:
        how = {Applicability.SAFE: "applied by --fix", Applicability.UNSAFE: "applied with --unsafe-fixes",
               Applicability.DISPLAY_ONLY: "a suggestion only"}[spec.fix.applicability]
        text.append(f"Fix ({how}): {spec.fix.title}")
        md += ["", f"**Fix** ({how}): {spec.fix.title.replace('{match}', '…')}"]
    bad = [e for e in spec.examples if e.bad][:2]
    good = [e for e in spec.examples if not e.bad][:2]
    if bad or good:
        md += ["", "**Examples**", ""]
        md += [f"- Flagged: `{_code(e.text)}`" for e in bad] + [f"- Fine: `{_code(e.text)}`" for e in good]
    return {"text": "\n".join(text).replace("{match}", "…"), "markdown": "\n".join(md)}


def _code(text: str) -> str:
    return " ".join(text.split()).replace("`", "'")


def rule_descriptor(spec: RuleSpec) -> dict[str, Any]:
    """Return the reportingDescriptor of one rule."""
    return {
        "id": spec.id,
        "name": _pascal(spec.name),
        "shortDescription": {"text": short_description(spec)},
        "fullDescription": {"text": " ".join(spec.rationale.split())},
        "help": rule_help(spec),
        "helpUri": spec.policy,
        "defaultConfiguration": {"level": LEVEL[spec.severity]},
        "properties": {
            "tags": sorted({spec.pack, "listing-copy", *(f.value.replace("_", "-") for f in spec.fields)}),
            "precision": "high" if spec.status == "stable" else "medium",
            "problem.severity": PROBLEM_SEVERITY[spec.severity],
            "slug": spec.name,
        },
    }


def _pascal(slug: str) -> str:
    # SARIF2012 asks for rule names in PascalCase; the kebab-case slug stays in properties.slug.
    return "".join(part[:1].upper() + part[1:] for part in slug.split("-"))


class Locator:
    """Write file names as URIs relative to %SRCROOT% (the working folder), percent-encoded."""

    def __init__(self, root: Optional[str] = None):
        self.root = os.path.abspath(root or os.getcwd())

    def base_ids(self) -> dict[str, Any]:
        """Return originalUriBaseIds: where %SRCROOT% is."""
        return {SRCROOT: {"uri": Path(self.root).as_uri().rstrip("/") + "/"}}

    def artifact(self, filename: str) -> dict[str, Any]:
        """Return the artifactLocation of a file."""
        full = os.path.abspath(filename)
        rel = os.path.relpath(full, self.root)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            return {"uri": Path(full).as_uri()}
        # The bytes of the name, percent-encoded: a name that is not UTF-8 still points at its file.
        return {"uri": quote(os.fsencode(rel.replace(os.sep, "/")), safe="/"), "uriBaseId": SRCROOT}


def _matched(r: Record) -> str:
    if r.start.row != r.end.row:
        return r.line_text[r.start.column - 1:]
    return r.line_text[r.start.column - 1:r.end.column - 1]


def fingerprint(r: Record, seen: Counter) -> str:
    """Return a fingerprint that survives edits elsewhere in the file: SKU, field, rule and the text matched.

    A catalog row is one line, so GitHub's own line hash would change whenever any cell of the row (a price)
    changes; this one changes only when the flagged text itself does. Repeats get an occurrence number.
    """
    f = r.finding
    key = "\x1f".join((r.filename if r.sku is None else "", r.sku or "", f.field, f.code, _matched(r).casefold()))
    seen[key] += 1
    digest = hashlib.sha256(f"{key}\x1f{seen[key]}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return digest


def result_of(r: Record, locator: Locator, index: dict[str, int], seen: Counter) -> dict[str, Any]:
    """Return the SARIF result of one finding."""
    f = r.finding
    location: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": locator.artifact(r.filename),
        "region": {"startLine": r.start.row, "startColumn": r.start.column,
                   "endLine": r.end.row, "endColumn": r.end.column},
    }}
    message = f.message
    if r.cell:
        # A workbook is binary: the row is the sheet's and the column counts inside the cell, so the cell is
        # named in the message and as a logical location.
        location["logicalLocations"] = [{"name": r.cell.rpartition("!")[2], "fullyQualifiedName": r.cell,
                                         "kind": "element"}]
        message = f"{r.cell}: {message}"
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVEL[f.severity],
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(r, seen)},
        "properties": {"rule": f.rule, "field": f.field, "sku": r.sku},
    }
    if r.cell:
        result["properties"]["cell"] = r.cell
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.fix is not None and r.fix_edits:
        if r.cell:
            result["properties"]["replacements"] = [content for content, _, _ in r.fix_edits]
        else:
            result["fixes"] = [{
                "description": {"text": f.fix.title},
                "artifactChanges": [{
                    "artifactLocation": locator.artifact(r.filename),
                    "replacements": [{
                        "deletedRegion": {"startLine": s.row, "startColumn": s.column,
                                          "endLine": e.row, "endColumn": e.column},
                        "insertedContent": {"text": content},
                    } for content, s, e in r.fix_edits],
                }],
            }]
    return result


def notification(problem: tuple[str, str, int, int], locator: Locator) -> dict[str, Any]:
    """Return the toolExecutionNotification of a file that could not be read or held no listing."""
    filename, message, line, column = problem
    out: dict[str, Any] = {"level": "error", "message": {"text": f"{filename}: {message}"},
                           "descriptor": {"id": READ_ERROR}}
    if filename:
        out["locations"] = [{"physicalLocation": {"artifactLocation": locator.artifact(filename),
                                                  "region": {"startLine": line, "startColumn": column}}}]
    return out


def sarif_log(records: list[Record], specs: list[RuleSpec], problems: Optional[list[tuple[str, str, int, int]]] = None,
              root: Optional[str] = None) -> dict[str, Any]:
    """Return a SARIF 2.1.0 log of the findings, with every unreadable file as a tool execution notification."""
    rules = sorted({s.id: s for s in specs}.values(), key=lambda s: s.id)
    index = {s.id: i for i, s in enumerate(rules)}
    locator = Locator(root)
    seen: Counter = Counter()
    problems = problems or []
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "listing-lint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(s) for s in rules],
            }},
            "invocations": [{
                "executionSuccessful": not problems,
                "toolExecutionNotifications": [notification(p, locator) for p in problems],
            }],
            "originalUriBaseIds": locator.base_ids(),
            "columnKind": "unicodeCodePoints",
            "results": [result_of(r, locator, index, seen) for r in records],
        }],
    }
