"""`--format sarif` as GitHub code scanning takes it (issue 11): schema-valid, help per rule, stable fingerprints.

The log is validated against the official SARIF 2.1.0 schema (shared/schemas) and by Microsoft's SARIF
Multitool with GitHub's rule set (scripts/install-sarif-multitool installs it from npm).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import ROOT, SHARED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs"
SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
ODD_NAME = "drafts/Q3 kettles, v2: café №1.csv"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", *args], cwd=cwd, text=True,
                          capture_output=True, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sarif")
    for name in ("amazon-2023-template.xlsx", "ebay-file-exchange.csv", "shopify-products.csv"):
        shutil.copy(FIXTURES / name, root / name)
    (root / "drafts").mkdir()
    shutil.copy(FIXTURES / "etsy-listings.csv", root / ODD_NAME)
    (root / "kettle.listing.md").write_text(
        "# Title\nVantora Kettle 🚀 1.7L\n\n# Bullets\n- Email help@vantora.com\n- FAST BOIL in 4 minutes\n",
        encoding="utf-8")
    (root / "broken.xlsx").write_bytes(b"not a workbook")
    return root


@pytest.fixture(scope="module")
def log(project) -> dict:
    result = run("--format", "sarif", ".", cwd=project)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_validates_against_the_sarif_2_1_0_schema(log):
    if not SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not beside this checkout ({SCHEMA})")
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_every_rule_has_help_a_clean_sentence_and_github_properties(log):
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) > 20
    for rule in rules:
        short = rule["shortDescription"]["text"]
        assert "{" not in short and "}" not in short, short
        assert short.endswith(".") and ". " not in short.rstrip(".") and short[0].isupper(), short
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith(f"**{rule['id']} ")
        assert not re.search(r"\{[a-z_0-9|]+\}", rule["help"]["text"] + rule["help"]["markdown"])
        props = rule["properties"]
        assert props["problem.severity"] in ("error", "warning", "recommendation")
        assert props["precision"] in ("high", "medium") and props["tags"]
        assert rule["name"][0].isupper() and "-" not in rule["name"]


def test_paths_are_uri_encoded_relative_to_srcroot(log, project):
    run_ = log["runs"][0]
    base = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == project.resolve().as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]}
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]
            for r in run_["results"]} == {"%SRCROOT%"}
    odd = next(u for u in uris if u.startswith("drafts/"))
    assert " " not in odd and "," not in odd and ":" not in odd and odd.isascii()
    assert unquote(odd) == ODD_NAME
    for uri in uris:
        assert (project / unquote(uri)).is_file()


def test_unreadable_file_is_a_tool_execution_notification(log):
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"]["id"] == "read-error"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.xlsx"


def _prints(project: Path) -> dict[str, tuple]:
    log = json.loads(run("--format", "sarif", "--select", "policy", "ebay-file-exchange.csv", cwd=project).stdout)
    return {r["partialFingerprints"]["listingFinding/v1"]: (r["ruleId"], r["properties"]["sku"])
            for r in log["runs"][0]["results"]}


def test_fingerprints_survive_edits_elsewhere_in_the_row_and_change_with_the_flagged_text(project, tmp_path):
    shutil.copy(project / "ebay-file-exchange.csv", tmp_path / "ebay-file-exchange.csv")
    before = _prints(tmp_path)
    assert before and all(len(k) == 32 for k in before)
    path = tmp_path / "ebay-file-exchange.csv"
    text = path.read_bytes().decode("utf-8")
    # A new price and quantity in the flagged row, and a row added above it: the alert stays the same one.
    lines = text.split("\r\n")
    lines[1] = lines[1].replace(",39.99,12,", ",34.99,40,")
    lines.insert(1, lines[2].replace("EB-TORCH-01", "EB-TORCH-00"))
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    assert _prints(tmp_path) == before
    path.write_bytes(text.replace("1-800-555-0199", "1-800-555-0142").encode("utf-8"))
    after = _prints(tmp_path)
    assert len(after) == len(before) and set(after) != set(before)


def test_sarif_multitool_with_githubs_rules_finds_no_error(project, log, tmp_path):
    script = ROOT / "scripts" / "install-sarif-multitool"
    install = subprocess.run(["bash", str(script)], capture_output=True, text=True)
    if install.returncode == 3:
        pytest.skip(install.stderr.strip().splitlines()[-1])
    assert install.returncode == 0, install.stderr
    tool = subprocess.run(["bash", str(script), "--print-bin"], capture_output=True, text=True).stdout.strip()
    sarif = tmp_path / "listing-lint.sarif"
    sarif.write_text(json.dumps(log), encoding="utf-8")
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    result = subprocess.run([tool, "validate", str(sarif), "--output", str(tmp_path / "report.sarif"),
                             "--rule-kind", "Gh;Sarif"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 files scanned" in result.stdout
    errors = [line for line in result.stdout.splitlines() if ": error " in line]
    assert not errors, "\n".join(errors)
    # The check is real: the same log without help objects and fingerprints fails GitHub's rules.
    broken = json.loads(json.dumps(log))
    for rule in broken["runs"][0]["tool"]["driver"]["rules"]:
        del rule["help"]
    sarif.write_text(json.dumps(broken), encoding="utf-8")
    bad = subprocess.run([tool, "validate", str(sarif), "--output", str(tmp_path / "bad.sarif"),
                          "--rule-kind", "Gh;Sarif"], capture_output=True, text=True, env=env, timeout=300)
    assert "error GH2012" in bad.stdout
