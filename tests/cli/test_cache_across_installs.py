"""The result cache across installs: a CI job installs the same build afresh each run, and the results an earlier
run kept still answer (the GitHub Action keeps the cache folder between runs); another build's never do.

Built for real: a wheel of this checkout's files (as they are, edits included), installed twice with pip (new file
times each time).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def installs(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("installs")
    source = base / "source"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = base / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels),
                            str(source)], capture_output=True, text=True, timeout=900)
    if built.returncode != 0 and any(s in built.stdout + built.stderr for s in (
            "Could not fetch URL", "NewConnectionError", "Temporary failure in name resolution")):
        pytest.skip("the package index is unreachable, so pip cannot fetch the build backend: " + built.stderr[-300:])
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = wheels.glob("listing_lint-*.whl")
    targets = []
    for name in ("first", "second"):
        target = base / name
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                        str(wheel)], check=True, timeout=300)
        targets.append(target)
    return targets[0], targets[1]


def _check(install: Path, folder: Path, cache: Path) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(install))
    run = subprocess.run([sys.executable, "-m", "listing_lint", "check", str(folder), "--cache-dir", str(cache),
                          "--format", "json"], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def test_a_new_install_of_the_same_build_takes_the_kept_results_and_another_build_does_not(installs, tmp_path):
    first, second = installs
    probe = "import listing_lint, sys; print(listing_lint.__file__)"
    for install in installs:
        where = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                               env=dict(os.environ, PYTHONPATH=str(install)), check=True).stdout
        assert where.startswith(str(install)), where  # the installed copy runs, not this checkout
    folder = tmp_path / "listings"
    folder.mkdir()
    (folder / "kettle.listing.md").write_text("# Title\nKettle, see www.kettle-shop.com\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert [f["rule"] for f in _check(first, folder, cache)] == ["external-url"]
    # Poison the kept result: a run that shows the poison took it from the cache.
    [cache_file] = cache.rglob("*.json")
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    [entry] = data["entries"].values()
    entry[2][3][0][4] = "KEPT BY THE FIRST INSTALL"
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    assert [f["message"] for f in _check(second, folder, cache)] == ["KEPT BY THE FIRST INSTALL"]
    # Another build (here: one installed file's recorded hash differs) keeps its own results.
    third = tmp_path / "third"
    shutil.copytree(second, third)
    [record] = third.glob("listing_lint-*.dist-info/RECORD")
    lines = record.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("listing_lint/engine/lint.py,sha256="))
    lines[at] = "listing_lint/engine/lint.py,sha256=" + "A" * 43 + "," + lines[at].rsplit(",", 1)[1]
    record.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [f["message"] for f in _check(third, folder, cache)] != ["KEPT BY THE FIRST INSTALL"]
