"""Layer 5b (CLI): render findings as one self-contained HTML audit report, with inline CSS and JS and no network."""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
import os
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone
from html import escape
from typing import Any, Iterable, Optional

from .. import __version__
from ..diagnostics import Applicability, Severity
from ..engine.spec import RuleSpec
from .records import Record

STATIC_ROWS = 100
"""Table rows written as HTML, so the first page shows without JavaScript (the script re-renders them)."""
CONTEXT = 50
"""Characters of the source line shown on each side of a flagged span."""
MATCH_MAX = 160
"""Longest flagged span shown in full; longer ones are cut with an ellipsis."""
WORST = 10
"""Listings shown in the "need the most work" table."""

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT)
PLURAL = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info", Severity.HINT: "Hints"}
FIX_LABEL = {Applicability.SAFE: "safe fix", Applicability.UNSAFE: "review before applying",
             Applicability.DISPLAY_ONLY: "suggestion"}
FIX_KINDS = ((2, "fix-safe", "Fixed by --fix"), (1, "fix-unsafe", "Fix after review"),
             (0, "fix-hint", "Suggestion only"), (-1, "fix-none", "Rewrite by hand"))
"""Kinds of fix, as the fix chart and filter name them: an Applicability value, or -1 for no fix."""
FIELD_ORDER = ("title", "bullet points", "description", "insert card", "search terms")
_BULLET = re.compile(r"bullet \d+\Z")


def field_group(field: str) -> str:
    """Return the field a chart counts a finding under: every ``bullet N`` is one group, ``bullet points``."""
    return "bullet points" if _BULLET.match(field) else field


def _n(value: int) -> str:
    return f"{value:,}"


def _plural(n: int, word: str, many: Optional[str] = None) -> str:
    return f"{_n(n)} {word if n == 1 else (many or word + 's')}"


def _safe_url(url: str) -> Optional[str]:
    """Return the URL if it is a web address (a pack could carry ``javascript:``); else None."""
    return url if url.startswith(("https://", "http://")) else None


def _context(r: Record) -> tuple[str, str, str]:
    """Return the source line around the finding's span as (before, span, after), cut to a readable width."""
    line = r.line_text
    start = min(max(r.start.column - 1, 0), len(line))
    end = r.end.column - 1 if r.end.row == r.start.row else len(line)
    end = min(max(end, start), len(line))
    match = line[start:end]
    if r.end.row != r.start.row:
        match += " …"
    if len(match) > MATCH_MAX:
        match = match[:MATCH_MAX - 20] + " … " + match[-17:]
    lo = max(0, start - CONTEXT)
    before = ("…" if lo else "") + line[lo:start]
    hi = min(len(line), end + CONTEXT)
    after = line[end:hi] + ("…" if hi < len(line) else "")
    return before, match, after


def _script_json(obj: Any) -> str:
    """Return JSON that is safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _Interner:
    """Give each distinct string a small number, so the embedded data names each file and rule once."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.items: list[Any] = []

    def __call__(self, value: Any) -> int:
        i = self.index.get(value)
        if i is None:
            i = self.index[value] = len(self.items)
            self.items.append(value)
        return i


def render_html(records: Iterable[Record], specs: Iterable[RuleSpec], *, files: int, listings: int, skipped: int,
                problems: list[str], generated: Optional[datetime] = None) -> str:
    """Return the audit report for ``records`` as one HTML document that needs no network."""
    report = HtmlReport()
    report.add(records)
    return report.render(specs, files=files, listings=listings, skipped=skipped, problems=problems,
                         generated=generated)


class HtmlReport:
    """The audit report built up as findings stream past; ``render`` then writes the page.

    Each finding is cut down at once to what the page shows: a JSON row that names its file, SKU, field,
    rule, message and fix title by number, and keeps only CONTEXT characters of its source line on each
    side of the span. A run over a large catalog so holds about 200 bytes a finding, not its records.
    """

    def __init__(self) -> None:
        self.files, self.skus, self.fields, self.rules, self.texts = (_Interner() for _ in range(5))
        self.rows: list[str] = []
        """Each finding as a JSON array, already escaped for a ``<script>`` element."""
        self.first: list[list[Any]] = []
        """The first STATIC_ROWS rows, which the page also writes as HTML."""
        self.by_severity: Counter = Counter()
        self.fix_kinds: Counter = Counter()
        self.rule_severity: dict[int, Counter] = defaultdict(Counter)
        self.field_severity: dict[str, Counter] = defaultdict(Counter)
        self.listings: dict[tuple[int, int], list[Any]] = {}
        """(file, SKU) -> [unused, hints, info, warnings, errors, Counter of rules]: listings count by severity value."""

    def add(self, records: Iterable[Record]) -> None:
        """Take findings, in the order the table should list them."""
        for r in records:
            f = r.finding
            fix = f.fix
            before, match, after = _context(r)
            file_i = self.files(r.filename)
            sku_i = -1 if r.sku is None else self.skus(r.sku)
            rule_i = self.rules((f.code, f.rule, f.url))
            sev = int(f.severity)
            app = int(fix.applicability) if fix else -1
            row = [file_i, r.start.row, r.start.column, sku_i, self.fields(f.field), rule_i, sev,
                   self.texts(f"{r.cell}: {f.message}" if r.cell else f.message), before, match, after, self.texts(fix.title) if fix else -1, app]
            if len(self.first) < STATIC_ROWS:
                self.first.append(row)
            self.rows.append(_script_json(row))
            self.by_severity[f.severity] += 1
            self.fix_kinds[app] += 1
            self.rule_severity[rule_i][f.severity] += 1
            self.field_severity[field_group(f.field)][f.severity] += 1
            stats = self.listings.get((file_i, sku_i))
            if stats is None:
                stats = self.listings[(file_i, sku_i)] = [0, 0, 0, 0, 0, Counter()]
            stats[sev] += 1
            stats[5][rule_i] += 1

    def render(self, specs: Iterable[RuleSpec], *, files: int, listings: int, skipped: int, problems: list[str],
               generated: Optional[datetime] = None) -> str:
        """Return the whole page."""
        spec_by_code: dict[str, RuleSpec] = {}
        for s in specs:
            spec_by_code.setdefault(s.id, s)
        if generated is None:
            epoch = os.environ.get("SOURCE_DATE_EPOCH")
            generated = (datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit()
                         else datetime.now(timezone.utc))
        return _page(self, spec_by_code, files, listings, skipped, problems, generated)


def _page(rep: HtmlReport, spec_by_code: dict[str, RuleSpec], files: int, listings: int, skipped: int,
          problems: list[str], generated: datetime) -> str:
    total = len(rep.rows)
    by_sev, rule_sev, field_sev, fix_kinds = rep.by_severity, rep.rule_severity, rep.field_severity, rep.fix_kinds
    safe, unsafe = fix_kinds[int(Applicability.SAFE)], fix_kinds[int(Applicability.UNSAFE)]
    rules = rep.rules.items
    affected = len(rep.listings)
    with_errors = sum(1 for stats in rep.listings.values() if stats[Severity.ERROR])
    rules_sorted = sorted(rule_sev, key=lambda i: (-sum(rule_sev[i].values()), rules[i][0]))
    fields_sorted = sorted(field_sev, key=lambda name: (FIELD_ORDER.index(name) if name in FIELD_ORDER
                                                        else len(FIELD_ORDER), name))
    worst = heapq.nsmallest(WORST, rep.listings.items(), key=lambda kv: (
        -kv[1][Severity.ERROR], -sum(kv[1][1:5]), -kv[1][Severity.WARNING], rep.files.items[kv[0][0]],
        rep.skus.items[kv[0][1]] if kv[0][1] >= 0 else ""))
    lookup = {
        "files": rep.files.items, "skus": rep.skus.items, "fields": rep.fields.items, "texts": rep.texts.items,
        "fieldGroups": [fields_sorted.index(field_group(name)) for name in rep.fields.items],
        "groupNames": fields_sorted,
        "rules": [[code, slug, _safe_url(url) or ""] for code, slug, url in rules],
    }

    # -- the page -------------------------------------------------------------------------------------
    h: list[str] = []
    w = h.append
    script = _SCRIPT
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    title = f"Listing audit: {_plural(total, 'finding')} in {_plural(affected, 'listing')}"
    w('<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n<meta charset="utf-8">\n')
    w(f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">\n')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">\n')
    w('<meta name="referrer" content="no-referrer">\n')
    w(f'<meta name="generator" content="listing-lint {escape(__version__)}">\n')
    w(f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n")

    w('<header class="top"><div class="wrap">')
    w('<p class="kicker">listing-lint audit report</p><h1>Listing audit</h1>')
    w(f'<p class="meta">Generated {escape(generated.strftime("%d %B %Y, %H:%M %Z").lstrip("0"))} by '
      f'listing-lint {escape(__version__)}. Everything in this file works offline: it loads nothing from the '
      "internet.</p>")
    w("</div></header>\n<main class=\"wrap\">\n")

    # Summary
    w('<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>')
    if total:
        pct = round(100 * affected / listings) if listings else 0
        w(f'<p class="lead"><strong>{_n(affected)} of {_plural(listings, "listing")}</strong> ({pct}%) have at '
          f"least one finding, and <strong>{_n(with_errors)}</strong> of them have errors. Errors break a "
          "marketplace policy or a hard format limit, and can get a listing suppressed or the seller account "
          "suspended: fix those first. Warnings break Amazon's style rules; info and hints are worth a look.</p>")
    else:
        w(f'<p class="lead"><strong>All clear.</strong> listing-lint found no problems in '
          f"{_plural(listings, 'listing')} across {_plural(files, 'file')}.</p>")
    def card(ident: str, value: int, label: str, note: str = "", cls: str = "") -> None:
        w(f'<div class="card {cls}"><div class="num" id="{ident}" data-value="{value}">{_n(value)}</div>'
          f'<div class="label">{escape(label)}</div>'
          + (f'<div class="note">{note}</div>' if note else "") + "</div>")

    w('<div class="cards">')
    card("total-findings", total, "Findings", f"from {_plural(len(rule_sev), 'rule')}", "primary")
    for sev in SEVERITIES:
        if by_sev[sev] or sev is not Severity.HINT:
            card(f"total-{sev.label}", by_sev[sev], PLURAL[sev],
                 f"{round(100 * by_sev[sev] / total)}% of findings" if total else "", f"sev-card {sev.label}")
    w('</div><div class="cards">')
    card("total-affected", affected, "Listings with findings",
         f"{round(100 * affected / listings) if listings else 0}% of {_plural(listings, 'listing')}")
    card("total-listings", listings, "Listings checked", f"in {_plural(files, 'file')}")
    card("total-files", files, "Files checked",
         escape(", ".join(part for part in (
             f"{_n(skipped)} other {'file' if skipped == 1 else 'files'} skipped" if skipped else "",
             f"{_n(len(problems))} could not be read" if problems else "") if part)))
    card("total-fixable", safe, "Fixable automatically",
         f"with <code>--fix</code>; {_n(unsafe)} more with <code>--unsafe-fixes</code>" if unsafe
         else "with <code>--fix</code>")
    w("</div></section>\n")

    if total:
        # Charts
        w('<section id="charts" aria-labelledby="charts-h"><h2 id="charts-h">What the problems are, and where</h2>')
        w('<p class="explain">Which problems occur most often, where in the listings they are, and how much of '
          "the work listing-lint can do for you. Click a bar to list those findings in the table below.</p>")
        w('<div class="legend" aria-hidden="true">Severity:' + "".join(
            f'<span><i class="sw {s.label}"></i>{escape(PLURAL[s])}</span>' for s in SEVERITIES) + "</div>")
        w('<div class="charts">')
        w('<figure class="chart" id="rule-chart"><figcaption>Findings by rule</figcaption>')
        peak = max(sum(c.values()) for c in rule_sev.values())
        for i in rules_sorted:
            code, slug, _ = rules[i]
            w(_bar(_by_severity(rule_sev[i]), peak, f'<span class="code">{escape(code)}</span> {escape(slug)}',
                   f'data-rule="{escape(slug)}" data-filter="rule" data-value="{i}"',
                   title=_rule_title(spec_by_code.get(code))))
        w("</figure>")
        w('<div class="side"><figure class="chart" id="field-chart"><figcaption>Findings by field</figcaption>')
        peak = max(sum(c.values()) for c in field_sev.values())
        for i, name in enumerate(fields_sorted):
            w(_bar(_by_severity(field_sev[name]), peak, escape(name.capitalize()),
                   f'data-field="{escape(name)}" data-filter="field" data-value="{i}"'))
        w('</figure><figure class="chart" id="fix-chart"><figcaption>How they can be fixed</figcaption>')
        peak = max(fix_kinds.values())
        for value, cls, label in FIX_KINDS:
            if not fix_kinds[value]:
                continue
            w(_bar([(cls, fix_kinds[value], label)], peak, escape(label),
                   f'data-fix="{cls}" data-filter="fix" data-value="{value}"'))
        w("</figure></div></div></section>\n")

        # Worst listings
        w('<section id="worst" aria-labelledby="worst-h"><h2 id="worst-h">Listings that need the most work</h2>')
        w(f'<p class="explain">The {_plural(len(worst), "listing")} with the most errors, then the most findings '
          "overall. Click one to see just its findings in the table below.</p>")
        w('<div class="scroll"><table class="worst"><thead><tr><th scope="col">#</th><th scope="col">Listing (SKU)'
          '</th><th scope="col">File</th><th scope="col" class="n">Errors</th><th scope="col" class="n">Warnings'
          '</th><th scope="col" class="n">Other</th><th scope="col" class="n">Total</th>'
          '<th scope="col">Most frequent problems</th></tr></thead><tbody>')
        for rank, ((file_i, sku_i), c) in enumerate(worst, 1):
            fname, sku = rep.files.items[file_i], rep.skus.items[sku_i] if sku_i >= 0 else None
            listing_key = f"{file_i}:{sku_i}"
            top = ", ".join(f"{rules[i][1]} ×{n}" if n > 1 else rules[i][1] for i, n in c[5].most_common(3))
            w(f'<tr><td class="n">{rank}</td><td><a class="listing-link" href="#findings" '
              f'data-listing="{listing_key}">{escape(sku) if sku else "<em>no SKU</em>"}</a></td>'
              f'<td class="file">{escape(fname)}</td>{_num_td(c[Severity.ERROR], "err")}'
              f'{_num_td(c[Severity.WARNING], "warn")}{_num_td(c[Severity.INFO] + c[Severity.HINT], "")}'
              f'<td class="n total">{_n(sum(c[1:5]))}</td><td class="rules">{escape(top)}</td></tr>')
        w("</tbody></table></div></section>\n")

        # Every finding
        w('<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">All findings</h2>')
        w('<p class="explain">Every finding, with where it is (file:row:column and SKU), the rule and the policy it '
          "links to, the listing text around it (the flagged words are highlighted) and the suggested fix. "
          "Search or filter to narrow the list; click a column heading to sort.</p>")
        w('<div class="controls js-only" role="search">'
          '<label class="grow">Search <input id="search" type="search" autocomplete="off" '
          'placeholder="SKU, file, words, rule…"></label>')
        w('<label>Severity <select id="f-sev"><option value="">All</option>' + "".join(
            f'<option value="{int(s)}">{escape(PLURAL[s])} ({_n(by_sev[s])})</option>' for s in SEVERITIES
            if by_sev[s]) + "</select></label>")
        w('<label>Rule <select id="f-rule"><option value="">All</option>' + "".join(
            f'<option value="{i}">{escape(rules[i][0])} {escape(rules[i][1])} ({_n(sum(rule_sev[i].values()))})'
            "</option>" for i in rules_sorted) + "</select></label>")
        w('<label>Field <select id="f-field"><option value="">All</option>' + "".join(
            f'<option value="{i}">{escape(name.capitalize())} ({_n(sum(field_sev[name].values()))})</option>'
            for i, name in enumerate(fields_sorted)) + "</select></label>")
        w('<label>Fix <select id="f-fix"><option value="">All</option>' + "".join(
            f'<option value="{value}">{escape(label)} ({_n(fix_kinds[value])})</option>'
            for value, _, label in FIX_KINDS if fix_kinds[value]) + "</select></label>")
        w('<button type="button" id="reset" class="reset">Clear filters</button></div>')
        w('<p id="listing-filter" class="chip" hidden></p>')
        shown = min(total, STATIC_ROWS)
        w(f'<p class="count" aria-live="polite">Showing <span id="range">1–{_n(shown)}</span> of '
          f'<strong id="match-count" data-value="{total}">{_n(total)}</strong> <span id="count-word">'
          f'{"finding" if total == 1 else "findings"}</span><span id="count-all"></span>.</p>')
        w('<div class="scroll"><table class="findings" id="findings-table"><thead><tr>')
        for key, label, cls in (("loc", "Listing", "c-loc"), ("field", "Field", "c-field"), ("rule", "Rule", "c-rule"),
                                ("sev", "Severity", "c-sev"), (None, "Problem", "c-msg"),
                                (None, "Text in context", "c-ctx"), (None, "Suggested fix", "c-fix")):
            if key:
                w(f'<th scope="col" class="{cls}" data-sort="{key}"'
                  + (' aria-sort="ascending"' if key == "loc" else "")
                  + f'><button type="button">{label}</button></th>')
            else:
                w(f'<th scope="col" class="{cls}">{label}</th>')
        w('</tr></thead><tbody id="rows">')
        for row in rep.first:
            w(_row_html(row, lookup))
        w("</tbody></table></div>")
        w('<nav class="pager js-only" aria-label="Pages"><button type="button" id="prev">← Previous</button>'
          '<span id="page">Page 1 of 1</span><button type="button" id="next">Next →</button>'
          '<label>Rows per page <select id="size"><option>50</option><option selected>100</option>'
          "<option>500</option><option>1000</option>"
          + ('<option value="0">All</option>' if total <= 10000 else "") + "</select></label></nav>")
        if total > STATIC_ROWS:
            w(f'<noscript><p class="note">This copy shows the first {_n(STATIC_ROWS)} of {_n(total)} findings. '
              "Open the file in a web browser with JavaScript on to search, sort and page through them all."
              "</p></noscript>")
        w(f'<p class="print-only note">Printed: the findings table shows one page of it. Open the HTML file to see '
          f"all {_n(total)}.</p>")
        head = _script_json(lookup)
        w(f'<script type="application/json" id="report-data">{head[:-1]},"rows":[')
        w(",".join(rep.rows))
        w("]}</script>")
        w("</section>\n")

        # About the rules
        w('<section id="rules" aria-labelledby="rules-h"><h2 id="rules-h">What the rules mean</h2>')
        w('<p class="explain">Why each rule that fired matters, and the marketplace policy it comes from.</p><dl '
          'class="rules">')
        for i in rules_sorted:
            code, slug, url = rules[i]
            spec = spec_by_code.get(code)
            link = _safe_url(spec.policy if spec else url)
            w(f'<dt id="rule-{escape(slug)}"><span class="code">{escape(code)}</span> {escape(slug)}'
              f'<span class="count-pill">{_n(sum(rule_sev[i].values()))}</span></dt><dd>')
            if spec is not None:
                w(f"<p>{escape(' '.join(spec.rationale.split()))}</p>")
            if link:
                w(f'<p class="policy">Policy: <a href="{escape(link)}" rel="noreferrer noopener" '
                  f'target="_blank">{escape(link)}</a>'
                  + (f" · pack <em>{escape(spec.pack)}</em>" if spec is not None else "") + "</p>")
            w("</dd>")
        w("</dl></section>\n")

    if problems:
        w('<section id="problems" aria-labelledby="problems-h"><h2 id="problems-h">Files that could not be read'
          "</h2>")
        w('<p class="explain">These files, or parts of them, were not checked. Fix or re-export them and run the '
          "audit again.</p><ul class=\"problems\">")
        for p in problems:
            w(f"<li>{escape(p)}</li>")
        w("</ul></section>\n")

    w("</main>\n")
    w(f'<footer class="wrap">listing-lint {escape(__version__)} · {_plural(files, "file")}, '
      f'{_plural(listings, "listing")}, {_plural(total, "finding")}'
      + (f", {_plural(skipped, 'other file')} skipped" if skipped else "") + "</footer>\n")
    if total:
        w(f"<script>{script}</script>\n")
    w("</body>\n</html>\n")
    # A lone surrogate (from a JSON \ud800 escape in a listing) cannot be written as UTF-8.
    return "".join(h).encode("utf-8", "replace").decode("utf-8")


def _num_td(value: int, cls: str) -> str:
    return f'<td class="n {cls if value else "zero"}">{_n(value)}</td>'


def _rule_title(spec: Optional[RuleSpec]) -> str:
    return " ".join(spec.rationale.split()) if spec is not None else ""


def _by_severity(counts: Counter) -> list[tuple[str, int, str]]:
    return [(s.label, counts[s], PLURAL[s].lower()) for s in SEVERITIES if counts[s]]


def _bar(parts: list[tuple[str, int, str]], peak: int, label_html: str, attrs_html: str, title: str = "") -> str:
    """Return one clickable chart row: a label, a bar of (css class, count, what) segments, and the total."""
    n = sum(count for _, count, _ in parts)
    segments = "".join(
        f'<span class="seg {cls}" style="width:{100 * count / peak:.3f}%" title="{_n(count)} {escape(what)}"></span>'
        for cls, count, what in parts if count)
    title_attr = f' title="{escape(title)}"' if title else ""
    return (f'<button type="button" class="bar-row" {attrs_html}{title_attr}><span class="bar-label">{label_html}'
            f'</span><span class="bar-track">{segments}</span><span class="bar-count">{_n(n)}</span></button>')


def _row_html(row: list[Any], data: dict[str, Any]) -> str:
    """Return one findings-table row as HTML; the script's ``rowEl`` builds the same markup."""
    file_i, line, col, sku_i, field_i, rule_i, sev, msg_i, before, match, after, fix_i, app = row
    msg, fix = data["texts"][msg_i], data["texts"][fix_i] if fix_i >= 0 else ""
    code, slug, url = data["rules"][rule_i]
    sev_label = Severity(sev).label
    rule = f'<span class="code">{escape(code)}</span> {escape(slug)}'
    if url:
        rule = f'<a href="{escape(url)}" rel="noreferrer noopener" target="_blank">{rule}</a>'
    sku = (f'<div class="sku">{escape(data["skus"][sku_i])}</div>' if sku_i >= 0
           else '<div class="sku none">no SKU</div>')
    fix_html = (f'{escape(fix)} <span class="fixtag a{app}">{FIX_LABEL[Applicability(app)]}</span>' if app >= 0
                else '<span class="none">—</span>')
    folder, _, name = data["files"][file_i].rpartition("/")
    folder = f'<span class="dir">{escape(folder)}/</span>' if folder else ""
    return (f'<tr class="{sev_label}"><td class="c-loc"><div class="loc">{folder}{escape(name)}:{line}:{col}'
            f"</div>{sku}</td><td class=\"c-field\">{escape(data['fields'][field_i])}</td>"
            f'<td class="c-rule">{rule}</td><td class="c-sev"><span class="badge {sev_label}">{sev_label}</span></td>'
            f'<td class="c-msg">{escape(msg)}</td><td class="c-ctx"><code>{escape(before)}<mark>{escape(match)}</mark>'
            f'{escape(after)}</code></td><td class="c-fix">{fix_html}</td></tr>')


_CSS = """
:root{--ink:#1c2430;--muted:#5d6878;--line:#e3e7ee;--bg:#f4f6f9;--card:#fff;--accent:#1f4e8c;
--error:#c62828;--warning:#b45f06;--info:#1565c0;--hint:#607080;
--error-bar:#e0443e;--warning-bar:#f2a93b;--info-bar:#4a90d9;--hint-bar:#aab4c0}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
.wrap{max-width:1280px;margin:0 auto;padding:0 28px}
header.top{background:#18324f;color:#fff;padding:22px 0 20px;margin-bottom:8px}
header.top h1{margin:0;font-size:28px;font-weight:650;letter-spacing:-.01em}
header.top .kicker{margin:0 0 2px;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#a9c1dd}
header.top .meta{margin:6px 0 0;color:#c9d6e6;font-size:13.5px}
h2{font-size:20px;margin:30px 0 4px;font-weight:650}
p.explain,p.lead{margin:0 0 14px;color:var(--muted);max-width:900px}
p.lead{color:var(--ink);font-size:16px}
section{margin-bottom:8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;
box-shadow:0 1px 2px rgba(20,30,50,.04)}
.card .num{font-size:28px;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums}
.card .label{font-weight:600;font-size:13.5px}
.card .note{color:var(--muted);font-size:12.5px}
.card .note code{white-space:nowrap}
.card.primary{border-top:4px solid var(--accent)}
.card.sev-card{border-top:4px solid var(--hint-bar)}
.card.error{border-top-color:var(--error-bar)}.card.error .num{color:var(--error)}
.card.warning{border-top-color:var(--warning-bar)}.card.warning .num{color:var(--warning)}
.card.info{border-top-color:var(--info-bar)}.card.info .num{color:var(--info)}
code,.code,.loc,.c-ctx code{font-family:"DejaVu Sans Mono",ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.code{font-size:.88em;font-weight:600;color:var(--muted)}
.legend{display:flex;gap:16px;font-size:13px;color:var(--muted);margin:0 0 8px}
.legend span{display:inline-flex;align-items:center;gap:6px}
.sw{display:inline-block;width:12px;height:12px;border-radius:3px}
.sw.error,.seg.error{background:var(--error-bar)}.sw.warning,.seg.warning{background:var(--warning-bar)}
.sw.info,.seg.info{background:var(--info-bar)}.sw.hint,.seg.hint{background:var(--hint-bar)}
.charts{display:grid;grid-template-columns:3fr 2fr;gap:16px;align-items:start}
.chart{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px 10px}
.chart figcaption{font-weight:650;margin-bottom:8px}
.bar-row{display:grid;grid-template-columns:minmax(0,17em) minmax(60px,1fr) 3.5em;align-items:center;gap:10px;width:100%;
border:0;background:none;padding:3px 4px;margin:0;font:inherit;font-size:13.5px;color:inherit;text-align:left;
cursor:pointer;border-radius:5px}
#field-chart .bar-row,#fix-chart .bar-row{grid-template-columns:minmax(0,9em) minmax(60px,1fr) 3.5em}
.side{display:grid;gap:16px}
.seg.fix-safe{background:#3d9a50}.seg.fix-unsafe{background:#8aa9cf}.seg.fix-hint{background:#b9c3cf}
.seg.fix-none{background:#d3d9e1}
.bar-row:hover,.bar-row:focus-visible{background:#eef3fa;outline:none}
.bar-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar-track{display:flex;height:16px;background:#eef1f5;border-radius:4px;overflow:hidden}
.seg{display:block;height:100%}
.bar-count{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:13.5px}
th,td{padding:7px 10px;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
thead th{white-space:nowrap;background:#f8f9fb;font-weight:650;font-size:12.5px;color:var(--muted);text-transform:uppercase;
letter-spacing:.03em;position:sticky;top:0;z-index:1}
tbody tr:last-child td{border-bottom:0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
table.worst td.err{color:var(--error);font-weight:650}
table.worst td.warn{color:var(--warning);font-weight:650}
table.worst td.zero{color:#b3bac5}
table.worst td.total{font-weight:650}
table.worst td.file,table.worst td.rules{color:var(--muted)}
td.file{overflow-wrap:break-word;min-width:12em}
a{color:var(--accent)}
.listing-link{font-weight:600}
.controls{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:flex-end;margin:0 0 10px}
.controls label,.pager label{display:flex;flex-direction:column;font-size:12px;font-weight:600;color:var(--muted);gap:3px}
.controls .grow{flex:1 1 220px}
.controls select{max-width:230px}
input,select,button{font:inherit;font-size:14px}
input[type=search],select{height:34px;padding:4px 8px;border:1px solid #c8d0db;border-radius:6px;background:#fff;color:var(--ink)}
button.reset,.pager button{height:34px;padding:4px 12px;border:1px solid #c8d0db;border-radius:6px;background:#fff;cursor:pointer}
button.reset:hover,.pager button:hover:not(:disabled){background:#eef3fa}
.pager button:disabled{opacity:.45;cursor:default}
.chip{display:inline-flex;gap:8px;align-items:center;background:#e7eef8;border-radius:999px;padding:3px 6px 3px 12px;
margin:0 0 8px;font-size:13.5px}
.chip[hidden]{display:none}
.chip button{border:0;background:#fff;border-radius:999px;cursor:pointer;padding:1px 8px}
.count{margin:0 0 8px;font-size:14px}
table.findings{table-layout:fixed;min-width:1100px}
.c-loc{width:16%}.c-field{width:8%}.c-rule{width:13%}.c-sev{width:8.5%}.c-msg{width:19%}.c-ctx{width:21.5%}
.c-fix{width:14%}
th[data-sort] button{all:unset;cursor:pointer}
th[data-sort] button::after{content:" ↕";opacity:.35}
th[aria-sort=ascending] button::after{content:" ↑";opacity:1}
th[aria-sort=descending] button::after{content:" ↓";opacity:1}
td{overflow-wrap:break-word;unicode-bidi:isolate}
tr.error td:first-child{box-shadow:inset 3px 0 0 var(--error-bar)}
tr.warning td:first-child{box-shadow:inset 3px 0 0 var(--warning-bar)}
tr.info td:first-child{box-shadow:inset 3px 0 0 var(--info-bar)}
tr.hint td:first-child{box-shadow:inset 3px 0 0 var(--hint-bar)}
.loc{font-size:12px;overflow-wrap:anywhere;word-break:normal}
.loc .dir{display:block;color:var(--muted);font-size:11px}
.sku{font-weight:650;margin-top:2px}
.none{color:var(--muted);font-weight:400;font-style:italic}
.badge{display:inline-block;white-space:nowrap;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:650;color:#fff}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}
.badge.info{background:var(--info)}.badge.hint{background:var(--hint)}
.c-ctx code{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;tab-size:2;background:#f6f7f9;border-radius:4px;padding:2px 4px;
display:block;unicode-bidi:isolate}
mark{background:#ffe08a;color:inherit;border-radius:2px;padding:0 1px;box-shadow:0 0 0 1px #f0c040}
.fixtag{display:inline-block;font-size:11px;font-weight:650;border-radius:4px;padding:0 6px;white-space:nowrap}
.fixtag.a2{background:#e3f4e6;color:#1b6e2a}.fixtag.a1{background:#fdf0dc;color:#8a5300}
.fixtag.a0{background:#eceff3;color:var(--muted)}
.pager{display:flex;gap:12px;align-items:center;margin:10px 0 0}
.pager label{flex-direction:row;align-items:center;gap:6px;margin-left:auto}
dl.rules{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:6px 18px}
dl.rules dt{font-weight:650;margin-top:12px}
dl.rules dd{margin:2px 0 12px;color:var(--ink);max-width:950px}
dl.rules dd p{margin:2px 0}
dl.rules .policy{font-size:13px;color:var(--muted);word-break:break-all}
.count-pill{display:inline-block;margin-left:8px;background:#eef1f5;border-radius:999px;padding:0 8px;font-size:12px;
color:var(--muted)}
ul.problems{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 10px 10px 34px;
font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:12.5px}
footer{color:var(--muted);font-size:12.5px;padding:24px 28px 40px}
.note{color:var(--muted);font-size:13px}
.print-only{display:none}
.no-js .js-only{display:none}
@media (max-width:900px){.charts{grid-template-columns:1fr}.wrap{padding:0 14px}}
@media print{
@page{margin:14mm}
body{background:#fff;font-size:10.5pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
header.top{background:#fff;color:var(--ink);padding:0;border-bottom:2px solid var(--ink)}
header.top .kicker,header.top .meta{color:var(--muted)}
.wrap{max-width:none;padding:0}
.js-only,.chip,.pager,.controls,th[data-sort] button::after{display:none!important}
.print-only{display:block}
.card,.chart,.scroll,dl.rules{box-shadow:none;break-inside:avoid}
.scroll{overflow:visible;border:0}
table.findings{min-width:0;font-size:8pt}
.c-loc{width:17%}.c-field{width:10%}.c-rule{width:12%}.c-sev{width:9%}.c-msg{width:17%}.c-ctx{width:21%}.c-fix{width:14%}
.cards{grid-template-columns:repeat(auto-fit,minmax(120px,1fr))}
th,td{padding:4px 5px}
thead th{position:static;white-space:normal}
td.file{min-width:0;overflow-wrap:anywhere}
table.worst td.rules{min-width:0}
tr{break-inside:avoid}
section{break-inside:auto}
h2{break-after:avoid}
a{color:inherit;text-decoration:none}
.charts{grid-template-columns:1fr 1fr}
}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  root.className = root.className.replace("no-js", "js");
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var t1 = performance.now();
  var R = D.rows, N = R.length;
  var SEV = {4: "error", 3: "warning", 2: "info", 1: "hint"};
  var FIX = {2: "safe fix", 1: "review before applying", 0: "suggestion"};
  var $ = function (id) { return document.getElementById(id); };
  var nf = new Intl.NumberFormat("en-US");
  var st = {q: "", sev: "", rule: "", field: "", fix: "", listing: "", sort: "loc", dir: 1, page: 0, size: 100};
  var hay = null, view = null;

  function text(row) {
    var sku = row[3] >= 0 ? D.skus[row[3]] : "";
    var rule = D.rules[row[5]];
    return [D.files[row[0]] + ":" + row[1] + ":" + row[2], sku, D.fields[row[4]], rule[0], rule[1], SEV[row[6]],
            D.texts[row[7]], row[8] + row[9] + row[10], row[11] >= 0 ? D.texts[row[11]] : ""].join("\n").toLowerCase();
  }
  function filter() {
    var q = st.q.toLowerCase().trim(), terms = q ? q.split(/\s+/) : [];
    if (terms.length && !hay) { hay = new Array(N); for (var k = 0; k < N; k++) hay[k] = text(R[k]); }
    var sev = st.sev === "" ? -1 : +st.sev, rule = st.rule === "" ? -1 : +st.rule;
    var field = st.field === "" ? -1 : +st.field, fix = st.fix === "" ? null : +st.fix, lf = -1, ls = -2;
    if (st.listing) { var p = st.listing.split(":"); lf = +p[0]; ls = +p[1]; }
    var out = [];
    outer: for (var i = 0; i < N; i++) {
      var r = R[i];
      if (sev >= 0 && r[6] !== sev) continue;
      if (rule >= 0 && r[5] !== rule) continue;
      if (field >= 0 && D.fieldGroups[r[4]] !== field) continue;
      if (fix !== null && r[12] !== fix) continue;
      if (lf >= 0 && (r[0] !== lf || r[3] !== ls)) continue;
      for (var t = 0; t < terms.length; t++) if (hay[i].indexOf(terms[t]) < 0) continue outer;
      out.push(i);
    }
    var key = st.sort, dir = st.dir;
    if (key !== "loc" || dir !== 1) {
      var cmp = {
        loc: function (a, b) { return 0; },
        sev: function (a, b) { return R[b][6] - R[a][6]; },
        rule: function (a, b) { var x = D.rules[R[a][5]][0], y = D.rules[R[b][5]][0]; return x < y ? -1 : x > y ? 1 : 0; },
        field: function (a, b) { return D.fieldGroups[R[a][4]] - D.fieldGroups[R[b][4]] || R[a][4] - R[b][4]; }
      }[key];
      out.sort(function (a, b) { return dir * (cmp(a, b) || (a - b)); });
    }
    view = out;
  }
  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined) e.textContent = txt;
    return e;
  }
  function rowEl(r) {
    var tr = el("tr", SEV[r[6]]), td;
    td = el("td", "c-loc");
    var path = D.files[r[0]], cut = path.lastIndexOf("/") + 1, loc = el("div", "loc");
    if (cut) loc.appendChild(el("span", "dir", path.slice(0, cut)));
    loc.appendChild(document.createTextNode(path.slice(cut) + ":" + r[1] + ":" + r[2]));
    td.appendChild(loc);
    td.appendChild(r[3] >= 0 ? el("div", "sku", D.skus[r[3]]) : el("div", "sku none", "no SKU"));
    tr.appendChild(td);
    tr.appendChild(el("td", "c-field", D.fields[r[4]]));
    var rule = D.rules[r[5]], holder = td = el("td", "c-rule");
    if (/^https?:\/\//.test(rule[2])) {
      holder = el("a"); holder.href = rule[2]; holder.rel = "noreferrer noopener"; holder.target = "_blank";
      td.appendChild(holder);
    }
    holder.appendChild(el("span", "code", rule[0]));
    holder.appendChild(document.createTextNode(" " + rule[1]));
    tr.appendChild(td);
    td = el("td", "c-sev"); td.appendChild(el("span", "badge " + SEV[r[6]], SEV[r[6]])); tr.appendChild(td);
    tr.appendChild(el("td", "c-msg", D.texts[r[7]]));
    td = el("td", "c-ctx");
    var code = el("code");
    code.appendChild(document.createTextNode(r[8]));
    code.appendChild(el("mark", null, r[9]));
    code.appendChild(document.createTextNode(r[10]));
    td.appendChild(code); tr.appendChild(td);
    td = el("td", "c-fix");
    if (r[12] >= 0) {
      td.appendChild(document.createTextNode(D.texts[r[11]] + " "));
      td.appendChild(el("span", "fixtag a" + r[12], FIX[r[12]]));
    } else td.appendChild(el("span", "none", "—"));
    tr.appendChild(td);
    return tr;
  }
  function render() {
    var n = view.length, size = st.size || n || 1, pages = Math.max(1, Math.ceil(n / size));
    if (st.page >= pages) st.page = pages - 1;
    var lo = st.page * size, hi = Math.min(n, lo + size);
    var frag = document.createDocumentFragment();
    for (var i = lo; i < hi; i++) frag.appendChild(rowEl(R[view[i]]));
    var body = $("rows");
    body.textContent = "";
    body.appendChild(frag);
    $("range").textContent = n ? nf.format(lo + 1) + "–" + nf.format(hi) : "0";
    var mc = $("match-count");
    mc.textContent = nf.format(n); mc.setAttribute("data-value", n);
    var filtered = n !== N || st.q || st.sev || st.rule || st.field || st.fix || st.listing;
    $("count-word").textContent = (filtered ? "matching " : "") + (n === 1 ? "finding" : "findings");
    $("count-all").textContent = filtered ? " (" + nf.format(N) + " in all)" : "";
    $("page").textContent = "Page " + nf.format(st.page + 1) + " of " + nf.format(pages);
    $("prev").disabled = st.page === 0;
    $("next").disabled = st.page >= pages - 1;
  }
  function update() { filter(); st.page = 0; render(); }
  var timer = 0;
  $("search").addEventListener("input", function (e) {
    clearTimeout(timer);
    timer = setTimeout(function () { st.q = e.target.value; update(); }, N > 5000 ? 200 : 60);
  });
  [["f-sev", "sev"], ["f-rule", "rule"], ["f-field", "field"], ["f-fix", "fix"]].forEach(function (p) {
    $(p[0]).addEventListener("change", function (e) { st[p[1]] = e.target.value; update(); });
  });
  $("size").addEventListener("change", function (e) { st.size = +e.target.value; st.page = 0; render(); });
  function turn(by) {
    st.page += by; render();
    var table = $("findings-table");
    if (table.getBoundingClientRect().top < 0) table.scrollIntoView();
  }
  $("prev").addEventListener("click", function () { turn(-1); });
  $("next").addEventListener("click", function () { turn(1); });
  function setListing(key, label) {
    st.listing = key;
    var chip = $("listing-filter");
    chip.textContent = "";
    if (key) {
      chip.appendChild(document.createTextNode("Only listing " + label));
      var x = el("button", null, "× show all"); x.type = "button";
      x.addEventListener("click", function () { setListing("", ""); update(); });
      chip.appendChild(x);
    }
    chip.hidden = !key;
  }
  $("reset").addEventListener("click", function () {
    st.q = st.sev = st.rule = st.field = st.fix = ""; setListing("", "");
    ["search", "f-sev", "f-rule", "f-field", "f-fix"].forEach(function (id) { $(id).value = ""; });
    update();
  });
  Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = th.getAttribute("data-sort");
      st.dir = st.sort === key ? -st.dir : 1; st.sort = key;
      Array.prototype.forEach.call(document.querySelectorAll("th[data-sort]"), function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", st.dir === 1 ? "ascending" : "descending");
      filter(); render();
    });
  });
  function jump() { $("findings").scrollIntoView({behavior: "smooth"}); }
  Array.prototype.forEach.call(document.querySelectorAll(".bar-row[data-filter]"), function (b) {
    b.addEventListener("click", function () {
      var which = b.getAttribute("data-filter"), sel = $("f-" + which);
      sel.value = b.getAttribute("data-value"); st[which] = sel.value; update(); jump();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".listing-link"), function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var tr = a.closest("tr");
      setListing(a.getAttribute("data-listing"), a.textContent + " (" + tr.querySelector(".file").textContent + ")");
      update(); jump();
    });
  });
  filter(); render();
  var t2 = performance.now();
  window.reportReady = {ms: t2, parseMs: t1 - t0, renderMs: t2 - t1, rows: N};
  root.setAttribute("data-ready", "1");
})();
"""
