"""The composite GitHub Action (action.yml): its lint step runs as GitHub would run it, on real fixtures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (the test extra)")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs"


def test_action_lint_step_writes_sarif_annotations_and_the_exit_code(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = {s.get("id") or s.get("name"): s for s in action["runs"]["steps"]}
    lint = steps["lint"]
    upload = steps["Upload SARIF"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    shutil.copy(FIXTURES / "ebay-file-exchange.csv", tmp_path / "ebay file exchange.csv")
    output = tmp_path / "github-output"
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs["args"] = "--select policy"
    env = dict(os.environ, GITHUB_OUTPUT=str(output),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    runner_temp = tmp_path / "runner-temp"
    for key, value in lint["env"].items():
        if key == "LISTING_LINT_CACHE_DIR":  # the folder actions/cache restores (runner.temp is the runner's)
            assert value == "${{ inputs.cache == 'true' && format('{0}/listing-lint-cache', runner.temp) || '' }}"
            env[key] = str(runner_temp / "listing-lint-cache")
            continue
        name = value.removeprefix("${{ inputs.").removesuffix(" }}")
        env[key] = inputs[name]
    result = subprocess.run(["bash", "-c", lint["run"]], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    kept = list((runner_temp / "listing-lint-cache").rglob("*.json"))
    assert kept, "the run keeps its results where the cache step looks"
    assert "::error file=ebay file exchange.csv,line=2," in result.stdout
    log = json.loads((tmp_path / inputs["sarif-file"]).read_text(encoding="utf-8"))
    [finding] = log["runs"][0]["results"]
    assert finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "ebay%20file%20exchange.csv"
    assert output.read_text(encoding="utf-8").strip() == "exit-code=1"


def test_action_keeps_the_result_cache_between_runs_where_the_lint_step_finds_it():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    names = [s.get("id") or s.get("name") for s in steps]
    cache = steps[names.index("Restore the result cache")]
    assert names.index("Restore the result cache") < names.index("lint")
    assert cache["uses"].startswith("actions/cache@") and cache["if"] == "${{ inputs.cache == 'true' }}"
    assert cache["with"]["path"] == "${{ runner.temp }}/listing-lint-cache"
    # Saved under a key of its own each run, restored from the newest key sharing the prefix.
    key, prefix = cache["with"]["key"], cache["with"]["restore-keys"]
    assert key.startswith(prefix) and "github.run_id" in key[len(prefix):]
    assert action["inputs"]["cache"]["default"] == "true"
