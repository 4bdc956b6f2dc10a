"""Shared fixtures: paths into the repository and the shared corpus."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"

# Keep the CLI's result cache out of the user's ~/.cache, and fresh for every test session; tests of the
# cache itself pass --cache-dir.
os.environ.setdefault("LISTING_LINT_CACHE_DIR", tempfile.mkdtemp(prefix="listing-lint-test-cache-"))


@pytest.fixture
def root() -> Path:
    return ROOT
