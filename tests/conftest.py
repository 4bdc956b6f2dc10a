"""Shared fixtures: paths into the repository and the shared corpus."""

from __future__ import annotations

import functools
import json
import importlib.util
import os
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
BRANDS_SAMPLE = SHARED / "corpus" / "brands-sample.txt"
"""3,446 real brand names, many of them everyday words: the shared corpus's stress test of brand precision."""


@functools.lru_cache(maxsize=None)
def real_brands() -> tuple[str, ...]:
    """Return the names in BRANDS_SAMPLE, in file order (read once per test process)."""
    return tuple(name.strip() for name in BRANDS_SAMPLE.read_text("utf-8").splitlines() if name.strip())

# Keep the CLI's result cache out of the user's ~/.cache, and fresh for every test session; tests of the
# cache itself pass --cache-dir.
os.environ.setdefault("LISTING_LINT_CACHE_DIR", tempfile.mkdtemp(prefix="listing-lint-test-cache-"))


@pytest.fixture
def nothing_kept(monkeypatch):
    """A process with nothing parsed, kept or prebuilt yet (``spec.kept_data`` makes all afresh, with no cache
    folder); returns a function that starts the next run with a cache folder holding the kept JSON given."""
    from listing_lint.engine import prebuilt, spec

    monkeypatch.setattr(prebuilt, "_ENTRIES", [{}])
    monkeypatch.setattr(spec, "_PARSED", {})
    monkeypatch.setattr(spec, "_USED", set())
    monkeypatch.setattr(spec, "_STORE", [None, False, False])

    def next_run(kept: dict) -> None:
        monkeypatch.setattr(spec, "_PARSED", {})
        monkeypatch.setattr(spec, "_USED", set())
        spec.keep_parsed(lambda: json.loads(json.dumps(kept)))

    return next_run


def load_script(path: Path) -> ModuleType:
    """Import a script that is not in a package (a bench, a build script, an example job) by its path."""
    spec = importlib.util.spec_from_file_location(path.stem.replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NETBLOCK = ROOT / "tests" / "netblock"
"""sitecustomize.py and the audit hook that block the network (see listing_lint_netblock.py)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--block-network", action="store_true",
                     help="fail any attempt to use the network, in the tests and every Python process they "
                          "start (same as LISTING_LINT_BLOCK_NETWORK=1); tests/vscode is skipped")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--block-network", default=False):
        os.environ["LISTING_LINT_BLOCK_NETWORK"] = "1"
    if os.environ.get("LISTING_LINT_BLOCK_NETWORK"):
        # Subprocesses inherit the block through sitecustomize.py; this process gets the hook directly.
        import sys

        os.environ["PYTHONPATH"] = os.pathsep.join(
            [str(NETBLOCK), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]])
        sys.path.insert(0, str(NETBLOCK))
        import listing_lint_netblock

        listing_lint_netblock.install()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not os.environ.get("LISTING_LINT_BLOCK_NETWORK"):
        return
    skip = pytest.mark.skip(reason="LISTING_LINT_BLOCK_NETWORK: the VS Code tests install code-server and "
                                   "npm packages from registries")
    for item in items:
        if (ROOT / "tests" / "vscode") in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.fixture
def root() -> Path:
    return ROOT
