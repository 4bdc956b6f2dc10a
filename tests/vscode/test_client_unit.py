"""The VS Code client's TypeScript unit tests (vitest: settings mapping, server resolution order, ...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CLIENT, npm_env, run

pytestmark = pytest.mark.vscode


def test_npm_test(client_node_modules: Path) -> None:
    proc = run(["npm", "test", "--", "--reporter=dot"], CLIENT, timeout=300, env=npm_env())
    assert "passed" in proc.stdout + proc.stderr


def test_typecheck(client_node_modules: Path) -> None:
    run(["npm", "run", "typecheck"], CLIENT, timeout=300, env=npm_env())
