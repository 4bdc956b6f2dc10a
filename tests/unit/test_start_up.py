"""Start-up (issue 13): what the command line imports before it lints, and the constants kept in step for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from listing_lint.cli import run
from listing_lint.extract import SPREADSHEET_SUFFIXES, stream
from listing_lint.extract import spreadsheet

NOT_AT_START = (
    "multiprocessing", "concurrent.futures", "tomllib", "ctypes", "tempfile", "secrets", "glob",
    "listing_lint.extract.catalog", "listing_lint.extract.spreadsheet", "listing_lint.extract.stream",
    "listing_lint.extract.json_listing", "hashlib", "_hashlib", "random",
)
"""Modules a lint of one Markdown file does not need: each is imported where its feature is used."""


def test_the_command_line_imports_no_reader_or_pool_it_does_not_need() -> None:
    code = ("import sys, json; import listing_lint.cli.main; "
            f"print(json.dumps([m for m in {list(NOT_AT_START)!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_the_digests_taken_without_openssl_are_hashlib_s() -> None:
    import hashlib

    from listing_lint import digests

    for data in (b"", b"listing-lint", "Größe 42 – 好评返现".encode()):
        assert digests.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
        assert digests.blake2b(data, digest_size=16).hexdigest() == hashlib.blake2b(data, digest_size=16).hexdigest()


def test_constants_copied_for_start_up_agree_with_their_modules() -> None:
    assert run.STREAMABLE == stream.STREAMABLE
    assert spreadsheet.SPREADSHEET_SUFFIXES == SPREADSHEET_SUFFIXES


def _fresh_store(monkeypatch) -> None:
    from listing_lint.engine import spec

    monkeypatch.setattr(spec, "_PARSED", {})
    monkeypatch.setattr(spec, "_USED", set())
    monkeypatch.setattr(spec, "_STORE", [None, False, False])


def test_kept_parsed_data_is_used_by_the_bytes_it_came_from_and_checked(tmp_path, monkeypatch) -> None:
    import hashlib

    from listing_lint.engine import spec

    _fresh_store(monkeypatch)
    path = tmp_path / "pack.toml"
    path.write_text("x = 2\n", encoding="utf-8")
    digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    # An entry for these bytes is taken as it is (this one differs from the file, to show it was used).
    spec.keep_parsed(lambda: {digest: '{"x": 1}'})
    assert spec.read_toml(path)[0] == {"x": 1}
    assert spec.parsed_to_keep() is None  # nothing parsed anew: nothing to write
    # An entry that is not a table is no entry: the file is parsed.
    for damaged in ("[1]", "not json"):
        _fresh_store(monkeypatch)
        spec.keep_parsed(lambda: {digest: damaged})
        assert spec.read_toml(path)[0] == {"x": 2}
        assert spec.parsed_to_keep() == {digest: '{"x":2}'}
    # Edited bytes have another digest: the old entry is never used for them.
    _fresh_store(monkeypatch)
    spec.keep_parsed(lambda: {digest: '{"x": 1}'})
    path.write_text("x = 3\n", encoding="utf-8")
    assert spec.read_toml(path)[0] == {"x": 3}


@pytest.mark.parametrize("prebuilt", ["on", "off"])
def test_a_later_run_parses_no_toml_compiles_no_lexicon_and_reports_the_same(tmp_path, prebuilt) -> None:
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "examples"
    listing = tmp_path / "blender.listing.md"
    env = {**__import__("os").environ, "LISTING_LINT_CACHE_DIR": str(tmp_path / "cache")}
    if prebuilt == "off":  # as an install whose prebuilt.data does not fit (another PyStemmer, edited lexicons)
        env["LISTING_LINT_PREBUILT"] = "off"

    def run(*options: str) -> list:
        # The file changes before each run (one more trailing line break), so no run finds its result cached.
        listing.write_bytes((examples / "listings" / "blender.listing.md").read_bytes() + b"\n" * (len(runs) + 1))
        runs.append(options)
        code = ("import sys, json, io, contextlib; from listing_lint.cli.main import main; out = io.StringIO()\n"
                "from listing_lint.engine import lexicon; compiled = []; real = lexicon.compile_entry\n"
                "lexicon.compile_entry = lambda term, lang: compiled.append(term) or real(term, lang)\n"
                f"with contextlib.redirect_stdout(out): code = main(['check', *{list(options)!r}, '--format', 'json', "
                f"'--config', {str(examples / 'listing-lint.toml')!r}, {str(listing)!r}])\n"
                "print(json.dumps([code, 'tomllib' in sys.modules, json.loads(out.getvalue()), len(compiled)]))")
        return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                         env=env, cwd=tmp_path).stdout)

    runs: list = []
    first = run("--no-cache")  # writes nothing, so the next run parses again
    second = run()  # parses, and keeps what it parsed
    third = run()  # reads what was kept
    fourth = run("--no-cache")  # the whole cache folder off: parses again
    # The example's own config is parsed unless kept (the bundled packs and lexicons are prebuilt, when on).
    assert first[1] and second[1] and not third[1] and fourth[1]
    if prebuilt == "on":
        # No run compiles (stems) the bundled lexicons' entries: the package holds them compiled.
        assert first[3] == second[3] == third[3] == fourth[3] == 0
    else:
        # They are compiled once, then kept with the parsed files.
        assert first[3] > 500 and second[3] > 500 and third[3] == 0 and fourth[3] > 500
    assert first[0] == second[0] == third[0] == fourth[0] == 1
    found = [[(f["code"], json.dumps(f["location"]), f["message"]) for f in r[2]] for r in (first, second, third, fourth)]
    assert found[0] and found[0] == found[1] == found[2] == found[3]


def test_a_later_run_compiles_no_pattern_an_earlier_one_kept_and_reports_the_same(tmp_path) -> None:
    """Patterns compiled afresh (every one, under a regex release or Python the bundled file was not built for; a
    user's own rule; names from the competitor list) are kept in the cache folder, and the next run compiles none of them."""
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "examples"
    listing = tmp_path / "blender.listing.md"
    (tmp_path / "competitors.txt").write_bytes((examples / "competitors.txt").read_bytes())
    (tmp_path / "listing-lint.toml").write_text(
        'rule-packs = ["house.toml"]\n' + (examples / "listing-lint.toml").read_text("utf-8"), "utf-8")
    house = (Path(__file__).resolve().parents[1] / "fixtures" / "house-rules" / "HSE001-ascii-arrow.toml").read_text()
    (tmp_path / "house.toml").write_text("[[rules]]\n" + house.replace("[fix]", "[rules.fix]").replace(
        "[[examples]]", "[[rules.examples]]").replace("['->']", "['->', '\\bgratis\\b']"), "utf-8")
    env = {**__import__("os").environ, "LISTING_LINT_CACHE_DIR": str(tmp_path / "cache")}

    def run(*options: str) -> list:
        listing.write_bytes((examples / "listings" / "blender.listing.md").read_bytes().replace(
            b"## Search terms", b"Fill -> blend, gratis whisk.\n\n## Search terms") + b"\n" * (len(runs) + 1))
        runs.append(options)
        # Through the entry point, as `listing-lint check` runs: the patterns its modules compile as they load count.
        code = ("import sys, json, io, contextlib; from listing_lint import patterns\n"
                "patterns._store = {e: {} for e in patterns.ENGINES}  # as under a build the bundled file is not for\n"
                "fresh = []; real = patterns.compile_recorded\n"
                "patterns.compile_recorded = lambda *a: fresh.append(a[1]) or real(*a)\n"
                f"sys.argv = ['listing-lint', 'check', *{list(options)!r}, '--format', 'json', {str(listing)!r}]\n"
                "from listing_lint.__main__ import main\n"
                "out = io.StringIO()\n"
                "with contextlib.redirect_stdout(out): code = main()\n"
                "print(json.dumps([code, len(fresh), json.loads(out.getvalue())]))")
        return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                         env=env, cwd=tmp_path).stdout)

    runs: list = []
    first = run("--no-cache")  # keeps nothing
    second = run()  # compiles every pattern it needs, and keeps them
    third = run()  # takes them ready-made
    assert first[1] == 0 and second[1] > 100 and third[1] == 0
    (kept,) = (tmp_path / "cache" / "compiled-v1").glob("*.data")
    kept_keys = json.loads(kept.read_text("utf-8"))["entries"]["regex"]
    assert "8194:->" in kept_keys and "8194:\\bgratis\\b" in kept_keys  # the user's own rule's patterns
    found = [[(f["code"], json.dumps(f["location"]), f["message"]) for f in r[2]] for r in (first, second, third)]
    assert any(code == "HSE001" for code, _, _ in found[0]) and any(code == "POL005" for code, _, _ in found[0])
    assert found[0] == found[1] == found[2]


def test_a_check_loads_the_rule_packs_once() -> None:
    """The rule names (for checking --select) and the rule set come from one load of the packs: a user's pack's
    examples, run on load, ran twice before."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = ("import io, contextlib; from listing_lint.engine import lint; calls = []; real = lint.load_packs\n"
            "lint.load_packs = lambda config: calls.append(1) or real(config)\n"
            "from listing_lint.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): code = main(['check', '--no-cache', '--select', "
            f"'competitor-brand,sales-claim', {str(root / 'examples' / 'listings')!r}])\n"
            "print(code, len(calls))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert out.split() == ["1", "1"]


def test_the_compiled_pattern_store_is_one_per_build_and_private(tmp_path) -> None:
    import os

    from listing_lint import patterns
    from listing_lint.cache_folder import CompiledPatternCache

    store = CompiledPatternCache(tmp_path / "cache")
    assert store.load() == {}
    entry = patterns.compile_recorded("regex", r"\\bgratis\\b", 2)[1]
    store.save({"regex": {"2:\\bgratis\\b": entry, "bad": "not a list"}, "re": {}, "other": []})
    assert store.load() == {"regex": {"2:\\bgratis\\b": entry}, "re": {}}
    assert CompiledPatternCache(tmp_path / "cache").name == store.name
    real = patterns.build_stamp
    try:  # another regex release reads another file
        patterns.build_stamp = lambda engine: {**real(engine), "regex": "1999.1.1"}
        assert CompiledPatternCache(tmp_path / "cache").load() == {}
    finally:
        patterns.build_stamp = real
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    CompiledPatternCache(shared).save({"regex": {"2:x": entry}})
    assert list(shared.iterdir()) == []  # a folder others can write to is not used


def test_the_parsed_store_keeps_only_well_formed_entries_in_a_private_folder(tmp_path) -> None:
    import os

    from listing_lint.cache_folder import ParsedCache

    store = ParsedCache(tmp_path / "cache")
    assert store.load() == {}
    good, bad = "0" * 32, "not-a-digest"
    store.save({good: '{"a":1}', bad: '{"b":2}'})
    assert store.load() == {good: '{"a":1}'}
    (kept,) = (tmp_path / "cache").rglob("*.data")
    other = "1" * 32
    store.save({good: '{"a":1}', other: '"é"'})
    assert store.load() == {good: '{"a":1}', other: '"é"'}
    kept.write_bytes(kept.read_bytes()[:-1])  # cut short: the last entry's span runs past the end
    assert store.load() == {good: '{"a":1}'}
    kept.write_bytes(b"\x00not json")
    assert store.load() == {}
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    ParsedCache(shared).save({good: '{"a":1}'})
    assert list(shared.iterdir()) == []  # a folder others can write to is not used


def test_the_readers_are_still_importable_from_the_extract_package() -> None:
    import listing_lint.extract as extract_package

    for name in ("extract_delimited", "sniff_delimiter", "extract_json", "extract_jsonl", "extract_markdown",
                 "extract_spreadsheet"):
        assert callable(getattr(extract_package, name)), name
    with pytest.raises(AttributeError):
        extract_package.no_such_reader  # noqa: B018


NOT_IN_A_CHECK = ("difflib", "shutil", "csv", "copy", "base64")
"""Modules a check of one Markdown file, in the text format, with no mistake in its options, never needs."""


def test_a_check_of_one_file_loads_no_help_or_did_you_mean_machinery(tmp_path) -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = ("import io, contextlib, json, sys; from listing_lint.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): code = main(['check', '--cache-dir', "
            f"{str(tmp_path)!r}, {str(root / 'examples' / 'listings' / 'blender.listing.md')!r}])\n"
            f"print(json.dumps([code, [m for m in {list(NOT_IN_A_CHECK)!r} if m in sys.modules]]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert json.loads(out) == [1, []]


@pytest.mark.parametrize("columns", ["50", "120", ""])
def test_help_reads_as_argparse_lays_it_out_in_the_terminal_s_width(columns) -> None:
    """The help formatter that reads the width once lays every command's help out as argparse's own does."""
    code = ("import argparse, json; from listing_lint.cli import main\n"
            "def helps():\n"
            "    parser = main.build_parser()\n"
            "    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))\n"
            "    return [parser.format_help()] + [p.format_help() for p in subs.choices.values()]\n"
            "ours = helps(); main._HelpFormatter = argparse.HelpFormatter\n"
            "print(json.dumps([ours == helps(), max(len(l) for h in ours for l in h.splitlines())]))")
    env = {**os.environ, "COLUMNS": columns}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    same, _ = json.loads(out)
    assert same
