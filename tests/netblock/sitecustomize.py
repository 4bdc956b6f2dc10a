"""Block the network in every Python process started with this folder first on PYTHONPATH (tests only).

See listing_lint_netblock.py. Another sitecustomize later on the path still runs.
"""

import importlib.util
import os
import sys

if os.environ.get("LISTING_LINT_BLOCK_NETWORK"):
    import listing_lint_netblock

    listing_lint_netblock.install()

_here = os.path.dirname(os.path.abspath(__file__))
for _entry in sys.path:
    _candidate = os.path.join(_entry or os.curdir, "sitecustomize.py")
    if os.path.abspath(_entry or os.curdir) != _here and os.path.isfile(_candidate):
        _spec = importlib.util.spec_from_file_location("_next_sitecustomize", _candidate)
        if _spec is not None and _spec.loader is not None:
            _spec.loader.exec_module(importlib.util.module_from_spec(_spec))
        break
