"""The command line a new user meets: typos, --statistics, --output, --config overrides, aliases, --show-fixes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = """marketplace = "amazon.com"

[brands]
own = ["Vantora"]
competitors = ["Anker"]
"""

LISTING = """# Title
Vantora Kettle 1.7L, better than Anker and Cosori

# Bullets
- Manuals: www.vantora.com
- Gift card for every 5-star review
- Limited time offer
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([sys.executable, "-m", "listing_lint", *args], cwd=cwd, text=True, capture_output=True,
                          env=env, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "listing-lint.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "kettle.listing.md").write_text(LISTING, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("paths", [["missing/"], ["kettle.listing.md", "typo.listing.md"]])
def test_missing_path_is_a_usage_error_without_all_clear(project, paths):
    result = run("check", *paths, cwd=project)
    assert result.returncode == 2, result
    assert "no such file or folder" in result.stderr
    assert "All clear" not in result.stdout + result.stderr
    assert "Found" not in result.stdout  # nothing was linted: no half report


def test_statistics_prints_only_the_table(project):
    full = run("check", "kettle.listing.md", cwd=project)
    stats = run("check", "kettle.listing.md", "--statistics", cwd=project)
    assert stats.returncode == full.returncode == 1
    rows = stats.stdout.splitlines()
    assert rows and all(len(row.split("\t")) == 3 for row in rows), stats.stdout
    # Every rule of the full run is counted, and no finding line or summary leaks in.
    codes = set(re.findall(r"^kettle\.listing\.md:\d+:\d+: (\w+) ", full.stdout, re.M))
    assert len(codes) >= 2, full.stdout
    assert {row.split("\t")[1] for row in rows} == codes
    assert "kettle.listing.md:" not in stats.stdout and "Found" not in stats.stdout
    as_json = run("check", "kettle.listing.md", "--statistics", "--format", "json", cwd=project)
    assert as_json.stdout == stats.stdout  # the table, not a JSON array of findings


@pytest.mark.parametrize("fmt", ["html", "json", "sarif"])
def test_output_says_what_it_wrote(project, fmt):
    result = run("check", ".", "--output-format", fmt, "--output", f"report.{fmt}", cwd=project)
    assert result.returncode == 1
    written = project / f"report.{fmt}"
    assert result.stdout == ""
    assert f"wrote the {fmt} report to report.{fmt} ({written.stat().st_size:,} bytes)" in result.stderr
    quiet = run("check", ".", "--format", fmt, "--output", f"again.{fmt}", "--quiet", cwd=project)
    assert "wrote" not in quiet.stderr


def test_output_format_is_an_alias_of_format(project):
    a = run("check", ".", "--format", "json", cwd=project)
    b = run("check", ".", "--output-format", "json", cwd=project)
    assert json.loads(a.stdout) == json.loads(b.stdout) != []


def _rules_found(result) -> list[str]:
    return sorted(d["rule"] + ":" + d["message"] for d in json.loads(result.stdout))


def test_config_key_value_overrides(project):
    base = json.loads(run("check", ".", "--format", "json", cwd=project).stdout)
    assert not any("Cosori" in d["message"] for d in base)
    # A list value, as TOML, replaces the file's list (as ruff's overrides do).
    over = json.loads(run("check", ".", "--format", "json", "--config", 'brands.competitors=["Cosori"]',
                          cwd=project).stdout)
    assert any(d["rule"] == "competitor-brand" and "Cosori" in d["message"] for d in over)
    assert not any("Anker" in d["message"] for d in over)
    # A table key and a bare word (no quotes needed), repeated, together with an explicit config file.
    ignored = run("check", ".", "--format", "json", "--config", "listing-lint.toml", "--config",
                  'rules.ignore=["external-url"]', "--config", "marketplace=amazon.de", cwd=project)
    assert ignored.returncode == 1, ignored.stderr
    assert not any(d["rule"] == "external-url" for d in json.loads(ignored.stdout))
    # Overrides are validated like the file: an unknown key is a usage error naming the option.
    bad = run("check", ".", "--config", "brands.competitor=['X']", cwd=project)
    assert bad.returncode == 2 and "--config" in bad.stderr and "did you mean 'competitors'" in bad.stderr
    nonsense = run("check", ".", "--config", "no-such-file.toml", cwd=project)
    assert nonsense.returncode == 2 and "does not exist" in nonsense.stderr


def test_config_override_without_a_config_file(tmp_path):
    (tmp_path / "kettle.listing.md").write_text(LISTING, encoding="utf-8")
    result = run("check", ".", "--format", "json", "--config", "brands.competitors = ['Cosori']", cwd=tmp_path)
    assert any("Cosori" in d["message"] for d in json.loads(result.stdout)), result.stderr


def test_rule_is_an_alias_of_explain(project):
    explain = run("explain", "POL001", cwd=project)
    rule = run("rule", "external-url", cwd=project)
    assert rule.returncode == explain.returncode == 0
    assert rule.stdout == explain.stdout and "external-url" in rule.stdout


def test_show_fixes_lists_each_fix_by_how_it_is_applied(project):
    result = run("check", "kettle.listing.md", "--show-fixes", "--format", "json", cwd=project)
    findings = json.loads(result.stdout)
    with_fix = [d for d in findings if d["fix"]]
    assert with_fix, findings
    listed = result.stderr
    for d in with_fix:
        assert f"kettle.listing.md:{d['location']['row']}:{d['location']['column']} {d['code']}" in listed
        assert d["fix"]["message"] in listed
    safe = sum(d["fix"]["applicability"] == "safe" for d in with_fix)
    review = sum(d["fix"]["applicability"] == "unsafe" for d in with_fix)
    assert safe and review, with_fix  # the fixture has both kinds, so the test checks both labels
    assert f"{safe} fix{'es' if safe != 1 else ''} applied by --fix:" in listed
    assert f"{review} fix{'es' if review != 1 else ''} review before applying" in listed
    text = run("check", "kettle.listing.md", "--show-fixes", cwd=project)
    assert "applied by --fix:" in text.stdout  # text formats print the list after the findings, on stdout


def test_seller_text_says_review_before_applying(project):
    """'unsafe' is tool jargon: text output, explain and rules say what the seller should do instead."""
    text = run("check", "kettle.listing.md", "--no-cache", cwd=project).stdout
    explain = run("explain", "html-markup", cwd=project).stdout
    rules = run("rules", cwd=project).stdout
    assert "fix (review before applying):" in text and "review before applying (--fix --unsafe-fixes)" in text
    assert "Fix (review before applying" in explain
    for out in (text, explain, rules):
        assert "unsafe fix" not in out and "(unsafe)" not in out and " unsafe " not in out


def test_explain_as_markdown_has_the_same_facts(project):
    text = run("explain", "external-url", cwd=project).stdout
    md = run("rule", "external-url", "--format", "markdown", cwd=project)
    assert md.returncode == 0
    body = md.stdout
    assert body.startswith("# POL001 external-url\n")
    assert "\n## Why\n" in body and "\n## Examples\n" in body
    policy = re.search(r"Policy: (\S+)", text).group(1)
    assert f"<{policy}>" in body  # an autolink an editor can follow
    # Every example of the plain text is there, as inline code (so Markdown never reinterprets it).
    for example in re.findall(r"^  (?:bad|good)[^:]*: (.*)$", text, re.M):
        assert f"`{example}`" in body or f"`` {example} ``" in body or f"``{example}``" in body, example


def test_editor_settings_are_laid_over_the_config_like_the_server_does(project):
    (project / "rivals.txt").write_text("Cosori\n", encoding="utf-8")
    plain = json.loads(run("check", ".", "--format", "json", cwd=project).stdout)
    assert any("Anker" in d["message"] for d in plain) and not any("Cosori" in d["message"] for d in plain)
    settings = json.dumps({"competitorsFiles": [str(project / "rivals.txt")], "ownBrands": ["Anker"],
                           "severity": {"external-url": "info"}})
    laid = json.loads(run("check", ".", "--format", "json", "--editor-settings", settings, cwd=project).stdout)
    assert any("Cosori" in d["message"] for d in laid)  # competitorsFiles added to the config's competitors
    assert not any(d["rule"] == "competitor-brand" and "Anker" in d["message"] for d in laid)  # own brand now
    assert {d["severity"] for d in laid if d["rule"] == "external-url"} == {"info"}
    bad = run("check", ".", "--editor-settings", '{"select": "policy"}', cwd=project)
    assert bad.returncode == 2 and "select must be a list of strings" in bad.stderr
