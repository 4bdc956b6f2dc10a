"""Benchmark (start-up): CPU time of one ``listing-lint check`` of one small file just edited, beside ``python -c pass``.

Issue 13 wants linting one small file end to end (interpreter start, imports, rule set, lint, output) to cost at
most 150 ms of CPU. Each run is a fresh process, timed by the CPU (user + system) it and its children used
(``resource.getrusage(RUSAGE_CHILDREN)``), so other load on the machine does not count; the median of N runs is
printed. Python's bytecode cache is kept in a temporary folder (``PYTHONPYCACHEPREFIX``) and warmed by one run
first, as an installed package has its ``.pyc`` files; ``--no-bytecode`` measures compiling every module instead.
The runs share a new cache folder, which one earlier ``check`` fills with the parsed rule packs and lexicons, as
any earlier run of the user's does; the file differs before each run (one more trailing line break), so its
result is never in the cache, as after an edit (a pre-commit hook, an editor's lint-on-save). Also timed: the
same with ``--no-cache`` (the whole cache folder off) and with an empty cache folder each run, as after
installing or upgrading.

Run: ``.venv/bin/python bench/small_file.py [--runs N] [--file PATH] [--no-bytecode]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT / "examples" / "listings" / "blender.listing.md"
TARGET_MS = 150


def cpu_ms(argv: list[str], env) -> float:
    """Run a command to the end and return the CPU milliseconds (user + system) it used."""
    env = env() if callable(env) else env
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000


def median_ms(argv: list[str], env, runs: int) -> tuple[float, float, float]:
    """Return the median, lowest and highest CPU milliseconds of ``runs`` runs."""
    times = [cpu_ms(argv, env) for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE,
                        help="the file to lint (default: the blender example)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every module on every run (no .pyc), as a fresh checkout with "
                             "PYTHONDONTWRITEBYTECODE does")
    args = parser.parse_args()

    python = Path(sys.executable)
    cli = python.parent / "listing-lint"
    with tempfile.TemporaryDirectory(prefix="small-file-bench-") as tmp:
        edited = Path(tmp) / "work" / args.file.name
        edited.parent.mkdir()
        original = args.file.read_bytes()
        edits = iter(range(1, 10**6))

        def edit() -> None:
            edited.write_bytes(original + b"\n" * next(edits))

        # The file's own folder's config still applies (the examples' competitors, own brand and marketplace).
        config = next((d / "listing-lint.toml" for d in args.file.resolve().parents
                       if (d / "listing-lint.toml").is_file()), None)
        lint_argv = ([str(cli)] if cli.exists() else [str(python), "-m", "listing_lint"]) + \
            ["check", str(edited)] + (["--config", str(config)] if config else [])
        no_cache_argv = lint_argv + ["--no-cache"]
        env = dict(os.environ)
        # The user's cache folder must not decide the figure: the runs use a new one.
        env["LISTING_LINT_CACHE_DIR"] = str(Path(tmp) / "cache")
        if args.no_bytecode:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")  # outside the work tree
        edit()
        subprocess.run(lint_argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        fresh = iter(range(10**6))

        def edited_env() -> dict[str, str]:
            edit()
            return env

        def first_run_env() -> dict[str, str]:
            edit()
            return {**env, "LISTING_LINT_CACHE_DIR": str(Path(tmp) / f"empty-{next(fresh)}")}

        rows = [("python -c pass", median_ms([str(python), "-c", "pass"], env, args.runs)),
                ("listing-lint check (file edited)", median_ms(lint_argv, edited_env, args.runs)),
                ("  the same, --no-cache", median_ms(no_cache_argv, edited_env, args.runs)),
                ("  the same, first run", median_ms(lint_argv, first_run_env, args.runs))]

    print(f"file: {args.file.relative_to(ROOT) if args.file.is_relative_to(ROOT) else args.file}; "
          f"{args.runs} runs each; bytecode {'not cached' if args.no_bytecode else 'cached'}; CPU = user + sys")
    print(f"{'command':32} {'median':>8} {'min':>8} {'max':>8}")
    for name, (med, lo, hi) in rows:
        print(f"{name:32} {med:6.0f}ms {lo:6.0f}ms {hi:6.0f}ms")
    lint_ms = rows[1][1][0]
    verdict = "meets" if lint_ms <= TARGET_MS else "misses"
    print(f"target: <= {TARGET_MS} ms for the lint ({verdict} it by {abs(lint_ms - TARGET_MS):.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
