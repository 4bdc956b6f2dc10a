"""Entry point: ``python -m listing_lint check ...`` and ``python -m listing_lint server``."""

from __future__ import annotations

import sys
from typing import Optional


def main() -> int:
    """Run the command line; ``server`` starts the language server without loading the command line."""
    tcp = _server_args(sys.argv[1:])
    if tcp is not False:
        # Editors start the server this way on every launch: the CLI's imports (the engine, the readers,
        # argparse) cost about 160 ms before `initialize` could be answered, and the server loads what it
        # needs on its first lint.
        from .lsp.server import start

        return start(tcp=tcp)
    import gc

    if sys.argv[1:2] == ["check"]:
        # Start-up (modules, rule tables, lexicons) makes some 300,000 objects that live as long as the run and
        # none that is garbage: the collector, walking them again and again as they appear, cost about 7 ms of
        # a small file's run. The check run freezes them and turns it back on after its first batch
        # (batch.resume_collection).
        gc.disable()
    from .patterns import prime_re_cache

    # Before the command line's modules and libraries load (argparse, phonenumbers): the patterns they compile
    # with `re` as they do come ready-made. Not for the server above, which would load `regex` before answering
    # `initialize` for it; the server primes on its first lint.
    prime_re_cache()
    folder = _cache_folder_of_check(sys.argv[1:])
    if folder is not None:
        # Before the command line's modules load: they compile about a hundred patterns as they do, which the
        # cache folder may hold ready-made (see patterns.py). The run keeps what it compiled afresh (run_check).
        from .cache_folder import CompiledPatternCache
        from .patterns import keep_compiled

        keep_compiled(CompiledPatternCache(folder).load)
    from .cli.main import main as cli_main

    try:
        return cli_main()
    finally:
        # The run is over, and what it built stays until the process ends. Frozen, it is not walked again by
        # the collection the interpreter makes as it exits: about 11 ms of a 140 ms run on one small file.
        # Objects outside reference cycles are still freed and finalised then, as before.
        gc.freeze()


def _cache_folder_of_check(argv: list[str]):
    """Return the cache folder a ``check`` run will use, or None when it uses none or the arguments are not plain
    (then ``check`` itself takes the kept patterns, after its modules have loaded)."""
    if not argv or argv[0] != "check":
        return None
    folder = None
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--":
            break
        if arg == "--cache-dir":
            folder = next(rest, None)
            if folder is None:
                return None
        elif arg.startswith("--cache-dir="):
            folder = arg[len("--cache-dir="):]
        elif arg.startswith(("--no-", "--cache")):
            return None  # --no-cache, or an option abbreviated: left to the command line to read
    from pathlib import Path

    if folder:
        return Path(folder)
    from .cache_folder import default_cache_dir

    return default_cache_dir()


def _server_args(argv: list[str]):
    """Return the TCP address (or None for stdio) of a plain ``server`` command, or False for anything else."""
    if not argv or argv[0] != "server":
        return False
    rest = argv[1:]
    tcp: Optional[str] = None
    while rest:
        if rest[0] == "--stdio":
            rest = rest[1:]
        elif rest[0] == "--tcp" and len(rest) > 1 and not rest[1].startswith("-"):
            tcp, rest = rest[1], rest[2:]
        elif rest[0].startswith("--tcp=") and len(rest[0]) > 6:
            tcp, rest = rest[0][6:], rest[1:]
        else:
            return False  # --help, a typo: the command line says what is wrong
    return tcp


if __name__ == "__main__":
    sys.exit(main())
