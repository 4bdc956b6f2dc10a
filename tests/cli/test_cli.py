"""The command line, run as a user runs it: a subprocess on real files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

CONFIG = """[brands]
own = ["Vantora"]
competitors = ["Anker", "Yeti"]
"""


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([sys.executable, "-m", "listing_lint", *args], cwd=cwd, input=stdin, text=True,
                          capture_output=True, env=env, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "listing-lint.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "bad.listing.md").write_text(
        "# Title\nVantora 🚀 Kettle, better than Anker\n\n# Bullets\n- Manuals: www.vantora.com\n- Email a@vantora.com\n",
        encoding="utf-8")
    (tmp_path / "good.listing.md").write_text("# Title\nVantora Kettle 1.7L\n", encoding="utf-8")
    (tmp_path / "notes.png").write_bytes(b"\x89PNG")
    return tmp_path


def test_text_output_has_location_code_slug_caret_and_summary(project):
    result = run("check", "--select", "policy", "bad.listing.md", cwd=project)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "bad.listing.md:5:12: POL001 external-url error bullet 1: Web address 'www.vantora.com'" in out
    assert "5 | - Manuals: www.vantora.com\n" in out
    assert "  |            ^^^^^^^^^^^^^^^\n" in out
    # "- Manuals: www.vantora.com" says nothing without its link: the bullet goes, and the title says so.
    assert "= fix: Remove the bullet point with 'www.vantora.com'" in out
    assert "Found 3 problems (3 errors) in 1 file, 1 listing." in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_json_output_schema_and_code_point_columns(project):
    result = run("check", "--select", "policy", "--format", "json", ".", cwd=project)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert {tuple(sorted(d)) for d in data} == {tuple(sorted(
        ["version", "filename", "cell", "sku", "field", "code", "rule", "severity", "message", "url", "location",
         "end_location", "fix"]))}
    assert {d["version"] for d in data} == {2} and {d["cell"] for d in data} == {None}
    brand = next(d for d in data if d["rule"] == "competitor-brand")
    # "Vantora 🚀 Kettle, better than Anker": the emoji is one code point.
    assert brand["location"] == {"row": 2, "column": 31} and brand["end_location"] == {"row": 2, "column": 36}
    assert brand["severity"] == "error" and brand["field"] == "title"
    assert brand["fix"]["applicability"] == "unsafe"
    url = next(d for d in data if d["rule"] == "external-url")
    assert url["fix"] == {"message": "Remove the bullet point with 'www.vantora.com'", "applicability": "safe",
                          "edits": [{"content": "", "location": {"row": 5, "column": 1},
                                     "end_location": {"row": 6, "column": 1}}]}  # the whole list item
    assert url["url"].startswith("https://sellercentral.amazon.com/")


def test_sarif_is_valid_2_1_0(project):
    result = run("check", "--select", "policy", "--format", "sarif", ".", cwd=project)
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run0 = log["runs"][0]
    rule_ids = [r["id"] for r in run0["tool"]["driver"]["rules"]]
    assert len(run0["results"]) == 3
    for res in run0["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_github_annotations(project):
    result = run("check", "--select", "policy", "--format", "github", "bad.listing.md", cwd=project)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("::error file=bad.listing.md,line=2,col=31,endLine=2,endColumn=36,"
                               "title=POL005 competitor-brand::")


def test_clean_file_exits_zero(project):
    result = run("check", "good.listing.md", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "All clear: 1 listing in 1 file" in result.stdout


def test_skipped_files_are_counted(project):
    result = run("check", "--select", "policy", ".", cwd=project)
    assert "Skipped 2 files that are not listings." in result.stdout  # notes.png and listing-lint.toml


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("[brands\nown = 1\n", "listing-lint.toml:1: not valid TOML"),
        ("[brands]\nown = \"Vantora\"\ncompetitor = [\"Anker\"]\n",
         "listing-lint.toml:3: brands.competitor: unknown key; did you mean 'competitors'?"),
        ("[rules]\nignore = [\"extrnal-url\"]\n",
         "listing-lint.toml:2: rules.ignore: unknown rule, code or pack 'extrnal-url'; did you mean 'external-url'?"),
        ("[rules.severity]\nsales-claim = \"loud\"\n", "listing-lint.toml:2: rules.severity.sales-claim: unknown severity"),
        ("marketplace = 5\n", "listing-lint.toml:1: marketplace: expected a string"),
        ("[brands]\ncompetitors-files = [\"../outside.txt\"]\n", "points outside the project folder"),
    ],
)
def test_malformed_config_exits_2_naming_file_line_and_key(project, config, expected):
    (project / "listing-lint.toml").write_text(config, encoding="utf-8")
    result = run("check", ".", cwd=project)
    assert result.returncode == 2
    assert expected in result.stderr


def test_unknown_selector_on_command_line(project):
    result = run("check", "--select", "sales-clam", ".", cwd=project)
    assert result.returncode == 2 and "did you mean 'sales-claim'?" in result.stderr


def test_fix_writes_keeps_crlf_bom_and_mode_then_clean(project):
    path = project / "crlf.listing.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\r\nKettle\r\n\r\n# Bullets\r\n- See www.vantora.com today\r\n- Fine\r\n")
    path.chmod(0o640)
    result = run("check", "--select", "policy", "--fix", "crlf.listing.md", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Fixed 1 problem." in result.stdout
    # "See <link> today" says nothing without its link: the bullet goes whole, its CRLF with it.
    assert path.read_bytes() == b"\xef\xbb\xbf# Title\r\nKettle\r\n\r\n# Bullets\r\n- Fine\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    again = run("check", "--select", "policy", "crlf.listing.md", cwd=project)
    assert again.returncode == 0


def test_diff_shows_fixes_without_writing(project):
    before = (project / "bad.listing.md").read_text(encoding="utf-8")
    result = run("check", "--select", "policy", "--diff", "bad.listing.md", cwd=project)
    assert result.returncode == 1
    # A bullet that is nothing but a label and its link goes whole, never left as "- Manuals:".
    assert "\n-- Manuals: www.vantora.com\n" in result.stdout and "\n+- Manuals" not in result.stdout
    assert (project / "bad.listing.md").read_text(encoding="utf-8") == before


def test_unsafe_fixes_only_with_flag(project):
    run("check", "--select", "policy", "--fix", "bad.listing.md", cwd=project)
    assert "better than Anker" in (project / "bad.listing.md").read_text(encoding="utf-8")
    run("check", "--select", "policy", "--fix", "--unsafe-fixes", "bad.listing.md", cwd=project)
    assert (project / "bad.listing.md").read_text(encoding="utf-8").startswith("# Title\nVantora 🚀 Kettle\n")


def test_stdin_with_filename(project):
    result = run("check", "--select", "policy", "--format", "json", "--stdin-filename", "x.listing.json", "-",
                 cwd=project, stdin='{"title": "Kettle, see vantora.com"}')
    data = json.loads(result.stdout)
    assert [(d["rule"], d["filename"], d["location"]["column"]) for d in data] == [
        ("external-url", "x.listing.json", 24)]


def test_broken_utf8_is_reported_with_line_and_the_rest_is_linted(project):
    # 0x8f is neither UTF-8 nor Windows-1252 (the legacy encoding tried next for amazon.com).
    (project / "broken.listing.md").write_bytes(b"# Title\nok\n# Bullets\n- caf\x8f\n")
    result = run("check", "--select", "policy", "--format", "concise", ".", cwd=project)
    assert "broken.listing.md:4:6: neither UTF-8 nor cp1252 (byte 0x8f)" in result.stderr
    assert "bad.listing.md:2:31: POL005" in result.stdout
    assert result.returncode == 1


def test_statistics(project):
    result = run("check", "--select", "policy", "--statistics", "--quiet", ".", cwd=project)
    assert "1\tPOL001\t[*] external-url" in result.stdout


def test_rules_and_explain():
    listed = run("rules", "--format", "json")
    rules = json.loads(listed.stdout)
    slugs = {r["rule"] for r in rules}
    assert {"external-url", "contact-email", "contact-phone", "competitor-brand", "spoofed-amazon-domain"} <= slugs
    explained = run("explain", "external-url")
    assert explained.returncode == 0 and "Policy: https://sellercentral.amazon.com" in explained.stdout
    assert "bad  [bullet]: Recipes and manuals at www.vantora.com/manuals." in explained.stdout
    assert "fixed: Recipes and manuals." in explained.stdout
    assert "{match}" not in explained.stdout and "Web address 'www.vantora.com/manuals'" in explained.stdout
    unknown = run("explain", "extrnal-url")
    assert unknown.returncode == 2 and "did you mean 'external-url'" in unknown.stderr


def test_examples_folder_runs(tmp_path):
    result = run("check", str(EXAMPLES), "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    rules = {d["rule"] for d in data}
    assert {"external-url", "contact-email", "contact-phone", "competitor-brand"} <= rules
    skus = {d["sku"] for d in data}
    assert {"VT-BL-1200", "VT-TB-20", "VT-PN-01", "VT-CH-65"} <= skus
