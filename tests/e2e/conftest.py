"""End-to-end fixtures (defined in lsp_harness): ``shared`` and ``configured`` servers for the session, ``start``.

tests/e2e is a package so that this conftest is ``e2e.conftest``, not a second top-level ``conftest``
module shadowing the one other test folders import by name.
"""

from .lsp_harness import configured, shared, start  # noqa: F401  (fixtures)
