"""Build server/listing_lint/compiled-patterns.json: the compiled form of every pattern the package compiles.

Usage: python scripts/build_compiled_patterns.py [--check]

Run it after changing a bundled rule's patterns, a pattern in the code, or the ``regex`` release
(tests/unit/test_compiled_patterns.py says when). The file only saves time: an entry is keyed on the pattern's
text and flags, so it can never stand for another pattern, and a run on another ``regex`` build ignores it.

What goes in: every pattern compiled while importing every module, building the rule set of every marketplace
(with each bundled pattern compiled, not left for its first use), running every rule example and linting the
bundled example listings. The patterns are then compiled once more, each with ``regex``'s cache emptied, and
what its parser hands the C engine is written down. ``--check`` says whether the file holds every such
pattern, and only those, for the installed ``regex``, without writing it. The parser may list a set's members
in another order from one process to the next (not what they match), so the file is checked by what it holds,
and tests/unit/test_compiled_patterns.py compares each stored pattern's matches with a fresh compile's. A
rebuild keeps the entries of the patterns that did not change.
"""

from __future__ import annotations

import os
import subprocess
import sys

if __name__ == "__main__" and os.environ.get("LISTING_LINT_PATTERN_STORE") != "off":
    # Every pattern must be compiled by regex here, so that compile_pattern lists it.
    env = {**os.environ, "LISTING_LINT_PATTERN_STORE": "off"}
    sys.exit(subprocess.run([sys.executable, *sys.argv], env=env, check=False).returncode)

if __name__ == "__main__":
    # Every `re` pattern this process compiles from here on, ours and the libraries' (phonenumbers, the standard
    # library's modules as they load): the package puts their stored form in `re`'s own cache when it loads.
    import re as _re

    library_patterns: set[tuple[str, int]] = set()
    _plain_compile = _re._compile

    def _recording_compile(pattern, flags):
        value = flags.value if isinstance(flags, _re.RegexFlag) else flags
        if type(pattern) is str and type(value) is int and not value & _re.DEBUG \
                and pattern.encode("utf-8", "surrogatepass").decode("utf-8", "replace") == pattern:
            library_patterns.add((pattern, value))  # (a lone surrogate cannot be written to the UTF-8 file)
        return _plain_compile(pattern, flags)

    _re._compile = _recording_compile

import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import pkgutil  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import regex  # noqa: E402

import listing_lint  # noqa: E402
from listing_lint import patterns  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def exercise() -> None:
    """Compile, through ``patterns.compile_pattern``, every pattern a run of the bundled packs can reach."""
    from listing_lint.config import Config
    from listing_lint.api import lint_text
    from listing_lint.engine.examples import check_example
    from listing_lint.engine.kinds.existence import LazyPattern
    from listing_lint.engine.lint import RuleSet, load_packs
    from listing_lint.profiles import KNOWN

    for module in pkgutil.walk_packages(listing_lint.__path__, "listing_lint."):
        importlib.import_module(module.name)
    for marketplace in KNOWN:
        RuleSet(Config(marketplace=marketplace))
    for lazy in [x for x in gc.get_objects() if isinstance(x, LazyPattern)]:
        lazy.compiled()
    for pack in load_packs(Config()):
        for spec in pack.rules:
            for example in spec.examples:
                check_example(pack, spec, example)
    config = Config(own_brands=("Acme",), competitors=("Sony", "Apple"))
    for path in sorted((ROOT / "examples").glob("*/*")):
        if path.suffix in (".md", ".json", ".jsonl", ".csv", ".tsv", ".txt"):
            lint_text(path.read_text("utf-8", "replace"), path.name, config)
    # The command line's arguments, as a user gives them (argparse compiles its patterns as it parses).
    from listing_lint.cli.main import build_parser

    build_parser().parse_args(["check", "--no-cache", "--jobs", "1", "listings"])


def compiled_form(engine: str, pattern: str, flags: int):
    """Return what an engine's parser hands its C engine for this pattern, as JSON data (None: not storable)."""
    return patterns.compile_recorded(engine, pattern, flags)[1]


def build() -> dict:
    exercise()
    store = {engine: {"build": patterns.build_stamp(engine), "patterns": {}} for engine in patterns.ENGINES}
    for engine, pattern, flags in sorted(set(patterns.compiled_afresh)):
        form = compiled_form(engine, pattern, flags)
        if form is not None:
            store[engine]["patterns"][patterns.store_key(pattern, flags)] = form
    # Patterns compiled with `re.compile` directly (by libraries, and by a module of ours that does not need the
    # store's own lookup): the section `patterns.prime_re_cache` reads. Not part of --check, since what a library
    # compiles changes with its release, not with ours.
    store[patterns.RE_LIBRARY] = {"build": patterns.build_stamp("re"), "patterns": {}}
    ours = set(store["re"]["patterns"])
    for pattern, flags in sorted(library_patterns):
        key = patterns.store_key(pattern, flags)
        if key not in ours:
            form = compiled_form("re", pattern, flags)
            if form is not None:
                store[patterns.RE_LIBRARY]["patterns"][key] = form
    return store


def dumps(store: dict) -> str:
    """Return the store as JSON with one pattern per line, so a change shows as the lines of the patterns it touched."""
    sections = []
    for engine in (*patterns.ENGINES, patterns.RE_LIBRARY):
        lines = [f"{json.dumps(key, ensure_ascii=False)}:{json.dumps(form, separators=(',', ':'))}"
                 for key, form in sorted(store[engine]["patterns"].items())]
        build = json.dumps(store[engine]["build"], sort_keys=True)
        sections.append(f'"{engine}":{{"build":{build},"patterns":{{\n' + ",\n".join(lines) + "\n}}")
    return "{" + ",\n".join(sections) + "}\n"


def main() -> int:
    store = build()
    if "--check" in sys.argv[1:]:
        # The parser's output for one pattern is not always the same between processes (it orders some set
        # members by object identity), so the check compares what the file is for, not its bytes:
        # test_compiled_patterns.py compares each stored pattern's matches with a fresh compile's.
        try:
            current = json.loads(patterns.STORE.read_text("utf-8"))
        except (OSError, ValueError):
            current = {}
        if any(not isinstance(current.get(engine), dict) or current[engine].get("build") != store[engine]["build"]
               or set(current[engine].get("patterns", ())) != set(store[engine]["patterns"])
               for engine in patterns.ENGINES):
            print(f"{patterns.STORE.name} is not current: run python scripts/build_compiled_patterns.py")
            return 1
        print(f"{patterns.STORE.name} is current")
        return 0
    try:
        current = json.loads(patterns.STORE.read_text("utf-8"))
    except (OSError, ValueError):
        current = {}
    for engine in (*patterns.ENGINES, patterns.RE_LIBRARY):
        # An entry made by the same build is kept as it is: a rebuild then changes only the lines of the
        # patterns that changed, not those the parser happened to order otherwise this time.
        kept = current.get(engine) if isinstance(current.get(engine), dict) else {}
        if kept.get("build") == store[engine]["build"]:
            for key in store[engine]["patterns"].keys() & kept.get("patterns", {}).keys():
                store[engine]["patterns"][key] = kept["patterns"][key]
    text = dumps(store)
    patterns.STORE.write_text(text, "utf-8")
    counts = ", ".join(f"{len(store[engine]['patterns'])} for {engine}" for engine in (*patterns.ENGINES, patterns.RE_LIBRARY))
    print(f"wrote {patterns.STORE} ({len(text):,} bytes; patterns: {counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
