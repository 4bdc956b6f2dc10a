"""The pre-commit hook (issue 11), run by the real pre-commit (PyPI) in a temporary git repository.

The hooks of .pre-commit-hooks.yaml are used as written (id, entry, files, serial), as a local hook whose
language is `system` so that pre-commit runs this checkout's listing-lint instead of building a virtualenv
from the network; what pre-commit passes and how the hook's exit code decides the commit are real.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (the test extra)")
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed in the project's venv (pip install -e '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git("init", "-q", cwd=tmp_path)
    git("config", "user.email", "seller@example.com", cwd=tmp_path)
    git("config", "user.name", "Seller", cwd=tmp_path)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = [dict(h, language="system") for h in hooks]
    (tmp_path / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}), encoding="utf-8")
    git("add", ".pre-commit-config.yaml", cwd=tmp_path)
    git("commit", "-q", "-m", "config", "--no-verify", cwd=tmp_path)
    return tmp_path


def pre_commit(repo: Path, hook: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo / ".pre-commit-home"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("NO_COLOR", None)
    return subprocess.run([str(PRE_COMMIT), "run", hook, "--color", "never"], cwd=repo, capture_output=True,
                          text=True, env=env)


def test_bad_listing_fails_the_hook_and_a_commit_without_listings_skips_it(repo):
    (repo / "notes.md").write_text("# Notes\nNothing for buyers here.\n", encoding="utf-8")
    (repo / "requirements.txt").write_text("regex>=2023\n", encoding="utf-8")  # matches `files`, not a listing
    git("add", "notes.md", "requirements.txt", cwd=repo)
    quiet = pre_commit(repo, "listing-lint")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "listing-lint" in quiet.stdout and "Passed" in quiet.stdout
    git("commit", "-q", "-m", "notes", "--no-verify", cwd=repo)
    nothing = pre_commit(repo, "listing-lint")
    assert nothing.returncode == 0 and "(no files to check)Skipped" in nothing.stdout
    (repo / "kettle.listing.md").write_text("# Title\nVantora Kettle\n\n# Bullets\n- See www.vantora.com\n",
                                            encoding="utf-8")
    git("add", "kettle.listing.md", cwd=repo)
    bad = pre_commit(repo, "listing-lint")
    assert bad.returncode == 1 and "Failed" in bad.stdout
    assert "kettle.listing.md:5:7: POL001 external-url" in bad.stdout


def test_fix_hook_rewrites_the_staged_file(repo):
    (repo / "kettle.listing.md").write_text("# Title\nVantora Kettle\n\n# Bullets\n- Fast boil, see www.vantora.com\n",
                                            encoding="utf-8")
    git("add", "kettle.listing.md", cwd=repo)
    result = pre_commit(repo, "listing-lint-fix")
    assert result.returncode == 1  # pre-commit fails a hook that changed files, so the fix can be reviewed
    assert "www.vantora.com" not in (repo / "kettle.listing.md").read_text(encoding="utf-8")
    assert "files were modified by this hook" in result.stdout


def test_hook_as_users_install_it_from_the_repository(tmp_path):
    """The hook exactly as a user's config names it: pre-commit clones the repository at a revision, builds
    its own virtualenv (`language: python`, so pip installs listing-lint and its dependencies from PyPI)
    and runs the entry. Skipped, saying why, only when PyPI cannot be reached."""
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed in the project's venv (pip install -e '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    source = tmp_path / "listing-lint"
    git("clone", "-q", "--no-local", str(ROOT), str(source), cwd=tmp_path)
    rev = git("rev-parse", "HEAD", cwd=source).stdout.strip()
    user = tmp_path / "shop"
    user.mkdir()
    git("init", "-q", cwd=user)
    git("config", "user.email", "seller@example.com", cwd=user)
    git("config", "user.name", "Seller", cwd=user)
    (user / ".pre-commit-config.yaml").write_text(yaml.safe_dump(
        {"repos": [{"repo": str(source), "rev": rev, "hooks": [{"id": "listing-lint"}]}]}), encoding="utf-8")
    (user / "kettle.listing.md").write_text("# Title\nVantora Kettle\n\n# Bullets\n- See www.vantora.com\n",
                                            encoding="utf-8")
    git("add", ".", cwd=user)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"))
    env.pop("NO_COLOR", None)
    run = subprocess.run([str(PRE_COMMIT), "run", "--color", "never"], cwd=user, capture_output=True, text=True,
                         env=env, timeout=900)
    if run.returncode == 3 and any(s in run.stdout + run.stderr for s in (
            "Could not fetch URL", "NewConnectionError", "Temporary failure in name resolution", "No matching distribution")):
        pytest.skip("PyPI is unreachable, so pre-commit cannot build the hook's environment: " + run.stdout[-300:])
    assert run.returncode == 1 and "Failed" in run.stdout, run.stdout + run.stderr
    assert "kettle.listing.md:5:7: POL001 external-url" in run.stdout


def test_the_staged_files_are_linted_by_one_listing_lint_run(repo):
    # pre-commit splits a non-serial hook's files over processes, at least four files each, one per CPU; each
    # would pay listing-lint's start-up and print its own summary.
    for n in range(12):
        text = f"# Title\nVantora Kettle {n}\n\n# Bullets\n- See www.vantora.com\n"
        (repo / f"kettle{n}.listing.md").write_text(text, encoding="utf-8")
    git("add", ".", cwd=repo)
    result = pre_commit(repo, "listing-lint")
    assert result.returncode == 1, result.stdout + result.stderr
    summaries = [line for line in result.stdout.splitlines() if line.startswith("Found ")]
    assert summaries == ["Found 12 problems (12 errors) in 12 files, 12 listings."], result.stdout
