"""A real, stock Emacs (Debian's emacs-nox with elpa-eglot) with the shipped editors/emacs/listing-lint.el.

No third-party mode is installed: listing files must open in the config's own `listing-lint-mode`, get
eglot and show listing-lint's diagnostics through flymake, while other Markdown, JSON and CSV files keep
their stock modes and get no server. Delays are logged, not asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "emacs" / "attach.el"
USER_CONFIG = ROOT / "editors" / "emacs" / "listing-lint.el"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def emacs() -> str:
    """Install Debian's emacs-nox and elpa-eglot if needed (idempotent), or skip saying why."""
    if not shutil.which("emacs") or not any(Path("/usr/share/emacs/site-lisp/elpa").glob("eglot-*")):
        result = subprocess.run(["bash", str(ROOT / "scripts" / "install-emacs-test-deps")], capture_output=True,
                                text=True, timeout=900)
        if result.returncode == 3:
            pytest.skip(result.stdout.strip().splitlines()[-1])
        assert result.returncode == 0, result.stdout + result.stderr
    found = shutil.which("emacs")
    assert found, "install-emacs-test-deps succeeded but there is no emacs on PATH"
    return found


def _run(emacs: str, tmp_path: Path, files: list[Path], path_dirs: list[str]) -> dict:
    report = tmp_path / "report.json"
    home = tmp_path / "home"  # no user init, no user packages: a stock Emacs plus Debian's site packages
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "PATH": os.pathsep.join(path_dirs)}
    proc = subprocess.run([emacs, "--batch", "-q", "-l", str(DRIVER), str(USER_CONFIG), "[]", str(report),
                           *map(str, files)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0 and report.exists(), (proc.returncode, proc.stdout, proc.stderr[-3000:])
    return json.loads(report.read_text())


def test_listing_files_get_eglot_and_diagnostics_others_keep_their_modes(emacs, tmp_path):
    project = tmp_path / "project"  # has a listing-lint.toml: its catalogs are linted too
    project.mkdir()
    (project / "listing-lint.toml").write_text('[brands]\ncompetitors = ["Ninja"]\n')
    listing = project / "blender.listing.md"
    listing.write_text("# Title\nVantora Blender\n\n# Bullets\n- Recipes at www.vantora.com\n- Email help@vantora.com\n")
    (project / "export.jsonl").write_text('{"sku": "M1", "title": "Mug, see www.vantora.com"}\n')
    shutil.copy(EXAMPLES / "catalog" / "flat-file.csv", project / "flat-file.csv")
    shutil.copy(EXAMPLES / "catalog" / "all-listings-report.txt", project / "All Listings Report 2026-11.txt")
    (project / "README.md").write_text("# Notes\nSee www.vantora.com.\n")
    (project / "package.json").write_text('{"homepage": "https://vantora.com"}\n')
    (project / "notes.txt").write_text("call 555-201-3344\n")
    loose = tmp_path / "loose"  # no config above: only *.listing.* files start the server
    loose.mkdir()
    (loose / "mug.listing.json").write_text('{"title": "Vantora Mug", "bullets": ["Call 555-201-3344"]}\n')
    shutil.copy(EXAMPLES / "catalog" / "flat-file.csv", loose / "prices.csv")
    files = [listing, loose / "mug.listing.json", project / "export.jsonl", project / "flat-file.csv",
             project / "All Listings Report 2026-11.txt", project / "README.md", project / "package.json",
             project / "notes.txt", loose / "prices.csv"]
    # The config's own `listing-lint server`, found on PATH as after the README's first command.
    path = [str(Path(sys.executable).parent), *os.environ.get("PATH", "").split(os.pathsep)]
    report = _run(emacs, tmp_path, files, path)
    by_name = {Path(e["file"]).name: e for e in report["files"]}
    for name, e in by_name.items():
        print(f"emacs: {name} [{e['mode']}] managed={e['managed']} "
              f"first diagnostic {e.get('first_diagnostic_ms', float('nan')):.0f} ms")

    listing_names = {"blender.listing.md", "mug.listing.json", "export.jsonl", "flat-file.csv",
                     "All Listings Report 2026-11.txt"}
    for name in listing_names:
        assert by_name[name]["mode"] == "listing-lint-mode" and by_name[name]["managed"] is True, by_name[name]
        assert by_name[name]["diagnostics"], by_name[name]  # every one of these has findings
    assert any("[POL001]" in d for d in by_name["blender.listing.md"]["diagnostics"])
    assert any("[POL002]" in d for d in by_name["blender.listing.md"]["diagnostics"])
    assert any("[POL003]" in d for d in by_name["mug.listing.json"]["diagnostics"])
    # Stock modes stay, and no server manages them (before: .json went to another server, .md had no mode).
    assert by_name["README.md"]["mode"] != "listing-lint-mode" and by_name["README.md"]["managed"] is False
    assert by_name["package.json"]["mode"] in ("js-mode", "js-json-mode", "json-mode", "javascript-mode")
    assert by_name["package.json"]["managed"] is False
    assert by_name["notes.txt"]["mode"] == "text-mode" and by_name["notes.txt"]["managed"] is False
    # A CSV with no listing-lint config above it starts no server.
    assert by_name["prices.csv"]["mode"] == "text-mode" and by_name["prices.csv"]["managed"] is False
