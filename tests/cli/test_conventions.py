"""Tool conventions (issue 11): .gitignore in walks, --show-settings/--show-files, extend, per-file-ignores,
FORCE_COLOR, CSV output, and --fix refusing text the file's encoding cannot hold."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BAD = "# Title\nVantora Kettle\n\n# Bullets\n- See www.vantora.com\n"


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", *args], cwd=cwd, text=True,
                          capture_output=True, env={**base, **(env or {})}, encoding="utf-8")


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_folder_walk_skips_what_git_ignores_exactly_as_git_does(tmp_path):
    git("init", "-q", cwd=tmp_path)
    (tmp_path / ".gitignore").write_text(
        "# exports we do not keep\nbuild/\n*.bak.csv\n!keep.bak.csv\n/only-top.csv\nsub/**/draft-*.csv\n"
        "[Tt]emp?.csv\nlogs/**\n", encoding="utf-8")
    (tmp_path / ".git" / "info").mkdir(exist_ok=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("private.csv\n", encoding="utf-8")
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / ".gitignore").write_text("*.tsv\n!wanted.tsv\n", encoding="utf-8")
    names = ["a.csv", "x.bak.csv", "keep.bak.csv", "only-top.csv", "sub/only-top.csv", "sub/deep/draft-1.csv",
             "sub/deep/final.csv", "temp1.csv", "Temp2.csv", "tempo.csv", "build/out.csv", "logs/2024/x.csv",
             "private.csv", "sub/a.tsv", "sub/wanted.tsv", "sub/deep/b.tsv"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("title\nKettle\n", encoding="utf-8")
    untracked = {line for line in git("ls-files", "-o", "--exclude-standard", cwd=tmp_path).splitlines()
                 if not line.endswith(".gitignore")}
    shown = set(run("--show-files", ".", cwd=tmp_path).stdout.splitlines())
    assert shown == untracked
    assert "x.bak.csv" not in shown and "sub/wanted.tsv" in shown  # the check can fail both ways
    # A file named on the command line is linted even when ignored.
    assert run("--show-files", "x.bak.csv", cwd=tmp_path).stdout.strip() == "x.bak.csv"


def test_show_settings_reports_the_resolved_config(tmp_path):
    (tmp_path / "listing-lint.toml").write_text('marketplace = "amazon.co.jp"\n[columns]\nHeadline = "title"\n',
                                                encoding="utf-8")
    result = run("--show-settings", ".", cwd=tmp_path)
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["config_file"].endswith("listing-lint.toml") and data["marketplace"] == "amazon.co.jp"
    assert data["fallback_encoding"] == "cp932" and data["columns"] == {"headline": "title"}


def test_extend_inherits_and_overrides_and_per_file_ignores(tmp_path):
    (tmp_path / "listing-lint.toml").write_text(
        'marketplace = "amazon.de"\n[limits]\ntitle-max-chars = 80\nbullet-max-chars = 300\n', encoding="utf-8")
    shop = tmp_path / "shop"
    shop.mkdir()
    (shop / "listing-lint.toml").write_text(
        'extend = "../listing-lint.toml"\n[limits]\ntitle-max-chars = 120\n'
        '[per-file-ignores]\n"drafts/*" = ["POL001"]\n', encoding="utf-8")
    data = json.loads(run("--show-settings", ".", cwd=shop).stdout)
    assert data["marketplace"] == "amazon.de"
    assert data["limits"] == {"bullet-max-chars": 300, "title-max-chars": 120}
    (shop / "drafts").mkdir()
    (shop / "drafts" / "k.listing.md").write_text(BAD, encoding="utf-8")
    (shop / "k.listing.md").write_text(BAD, encoding="utf-8")
    out = json.loads(run("--select", "policy", "--format", "json", ".", cwd=shop).stdout)
    assert [(d["filename"], d["code"]) for d in out] == [("k.listing.md", "POL001")]
    (shop / "listing-lint.toml").write_text('extend = "listing-lint.toml"\n', encoding="utf-8")
    loop = run(".", cwd=shop)
    assert loop.returncode == 2 and "leads back to this file" in loop.stderr


def test_force_color_colours_output_that_is_not_a_terminal(tmp_path):
    (tmp_path / "k.listing.md").write_text(BAD, encoding="utf-8")
    assert "\x1b[" not in run("k.listing.md", cwd=tmp_path).stdout
    assert "\x1b[" in run("k.listing.md", cwd=tmp_path, env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run("k.listing.md", cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_csv_output_opens_safely_in_a_spreadsheet(tmp_path):
    (tmp_path / "k.listing.md").write_text("# Title\nKettle\n\n# Bullets\n- =HYPERLINK(\"www.evil.com\")\n",
                                           encoding="utf-8")
    text = run("--select", "POL001", "--format", "csv", "k.listing.md", cwd=tmp_path).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and rows[0]["code"] == "POL001" and rows[0]["row"] == "5"
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_fix_refuses_a_replacement_the_files_encoding_cannot_hold(tmp_path):
    shutil.copytree(FIXTURES / "house-rules", tmp_path / "house-rules")
    (tmp_path / "listing-lint.toml").write_text('rule-packs = ["house-rules"]\n', encoding="utf-8")
    row = "item_sku\titem_name\tbullet_point1\nA-1\tCrème brûlée torch\tFill -> light\n"
    (tmp_path / "cp.txt").write_bytes(row.encode("cp1252"))
    (tmp_path / "utf.txt").write_bytes(row.encode("utf-8"))
    result = run("--select", "HSE001", "--fix", "cp.txt", "utf.txt", cwd=tmp_path)
    assert (tmp_path / "cp.txt").read_bytes() == row.encode("cp1252")
    assert "'→', which cp1252 (the file's encoding) cannot hold; the file is unchanged" in result.stderr
    assert (tmp_path / "utf.txt").read_text(encoding="utf-8") == row.replace("->", "→")
    assert result.returncode == 1 and "cp.txt:2:" in result.stdout  # the finding stays reported


def test_allow_unrecognised_and_nothing_to_lint(tmp_path):
    (tmp_path / "prices.csv").write_text("sku,price\nA-1,9.99\n", encoding="utf-8")
    assert run("prices.csv", cwd=tmp_path).returncode == 1
    assert run("--allow-unrecognised", "prices.csv", cwd=tmp_path).returncode == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run(".", cwd=empty)
    assert nothing.returncode == 0 and "0 listings in 0 files" in nothing.stdout


def test_a_walk_names_each_file_as_pathlib_would(tmp_path, monkeypatch):
    """Messages, reports and cache entries name a file as the folder given plus its path inside, normalised as
    pathlib normalises it: no "./" before the files of ".", no doubled slash after a folder given with one."""
    from listing_lint.cli.discover import discover
    from listing_lint.config import Config

    for name in ("a.listing.md", "sub/b.listing.md", "sub/deep/c.listing.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    inside = ["a.listing.md", "sub/b.listing.md", "sub/deep/c.listing.md"]
    for given in (".", "./", "sub/", "./sub", "sub//deep", str(tmp_path), str(tmp_path) + "/"):
        root = Path(given)
        found = discover([root], Config()).files
        expected = [str(root / os.path.relpath(tmp_path / p, tmp_path / root)) for p in inside
                    if (tmp_path / p).resolve().is_relative_to((tmp_path / root).resolve())]
        assert found == expected, given
        assert all(type(f) is str and "./" not in f and "//" not in f for f in found)
