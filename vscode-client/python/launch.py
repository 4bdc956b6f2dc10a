"""Start listing-lint for the VS Code extension without importing anything from the workspace.

    python -I -X utf8 launch.py [--libs DIR] ARGS...     # ARGS: server | check ... | rules | explain ...

The extension runs Python in isolated mode (``-I``) on every supported version (3.10 has no
PYTHONSAFEPATH): ``sys.path`` then holds neither the working folder (the workspace, where a stray
``json.py`` would otherwise be imported) nor this script's folder nor the user's site-packages, and
``PYTHON*`` variables such as PYTHONPATH are ignored. So the bundled libraries cannot come from
PYTHONPATH: ``--libs DIR`` puts that folder first on ``sys.path`` here, where PYTHONPATH would have.
Then ``listing_lint`` runs as ``python -m listing_lint`` would run it.
"""

import runpy
import sys


def main() -> None:
    """Put the bundled libraries (if named) first on sys.path and run ``listing_lint``."""
    args = sys.argv[1:]
    if args[:1] == ["--libs"] and len(args) >= 2:
        sys.path.insert(0, args[1])
        args = args[2:]
    sys.argv = [sys.argv[0], *args]
    runpy.run_module("listing_lint", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
