"""Entry point: ``python -m listing_lint check ...`` and ``python -m listing_lint server``."""

from __future__ import annotations

import sys


def main() -> int:
    """Run the command line."""
    from .cli.main import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
