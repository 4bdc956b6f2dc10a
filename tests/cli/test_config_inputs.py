"""Files named by a config, a rule pack or editor settings (issue 14, item 9): regular, bounded, inside the project.

A FIFO named as ``competitors-files`` hung the run, ``/dev/zero`` read until memory ran out, the editor
setting ``competitorsFiles`` read ``/etc/passwd`` or the server's own stdin, the config fingerprint read
every file of a rule-pack folder whole, and patterns the regex engine cannot compile ended in tracebacks.
Each case is refused with the file and line instead (exit 2), or costs no more than a ``stat``.

Every CLI run here has a time limit and, on POSIX, a 4 GB address-space limit: a regression must fail the
test, not hang it or take the machine's memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from listing_lint.config import Config, load_config, read_setting_brand_files
from listing_lint.engine.files import MAX_INPUT_BYTES, InputFileError, read_input_bytes
from listing_lint.engine.pattern_size import pattern_problem

POSIX = os.name == "posix"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

SELECT = '[rules]\nselect = ["competitor-brand"]\n'
LISTING = "# Title\nKettle for Anker and Yeti users\n"
RULE = """\
id = "HSE001"
name = "ascii-arrow"
kind = "existence"
fields = ["title", "bullet", "description"]
severity = "warning"
message = "'{{match}}' is an ASCII arrow."
rationale = "House style writes arrows as the arrow character."
policy = "https://example.com/house-style"
patterns = [{pattern}]
exceptions = [{exception}]

[[examples]]
bad = "Fill -> boil"

[[examples]]
good = "Fill then boil"
"""


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    four_gb = 4 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (four_gb, four_gb))


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``listing-lint`` with stdin closed to input, a time limit and (POSIX) a memory limit."""
    return subprocess.run([sys.executable, "-m", "listing_lint", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", stdin=subprocess.DEVNULL, timeout=timeout,
                          preexec_fn=_limit_memory if POSIX else None)


def project_with(tmp_path: Path, config: str) -> Path:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (project / "listing-lint.toml").write_text(config, encoding="utf-8")
    (project / "a.listing.md").write_text(LISTING, encoding="utf-8")
    return project


def line_of(config: str, start: str) -> int:
    return next(n for n, line in enumerate(config.splitlines(), 1) if line.startswith(start))


def sparse(path: Path, size: int) -> Path:
    """Make a file of ``size`` bytes that takes no disk space."""
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


def rule_pack(folder: Path, pattern: str = "'->'", exception: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.toml").write_text('name = "house"\ndescription = "House style."\n', encoding="utf-8")
    (folder / "HSE001-ascii-arrow.toml").write_text(RULE.format(pattern=pattern, exception=exception),
                                                    encoding="utf-8")
    return folder


# -- config-named files: regular files of bounded size -----------------------------------------------------


@needs_fifo
@pytest.mark.parametrize("layout", ["competitors-files", "rule-pack file", "file in a rule-pack folder",
                                    "rule-pack lexicon", "extend"])
def test_a_fifo_named_by_a_config_is_refused_with_the_config_line_not_read(tmp_path, layout):
    project = tmp_path / "project"
    project.mkdir()
    if layout == "competitors-files":
        os.mkfifo(project / "rivals.txt")
        config, key = SELECT + '\n[brands]\ncompetitors-files = ["rivals.txt"]\n', "competitors-files"
    elif layout == "rule-pack file":
        os.mkfifo(project / "house.toml")
        config, key = 'rule-packs = ["house.toml"]\n' + SELECT, "rule-packs"
    elif layout == "file in a rule-pack folder":
        os.mkfifo(rule_pack(project / "house") / "HSE002-pipe.toml")
        config, key = 'rule-packs = ["house"]\n' + SELECT, "rule-packs"
    elif layout == "rule-pack lexicon":
        (rule_pack(project / "house") / "lexicons").mkdir()
        os.mkfifo(project / "house" / "lexicons" / "en.toml")
        config, key = 'rule-packs = ["house"]\n' + SELECT, "rule-packs"
    else:
        os.mkfifo(project / "base.toml")
        config, key = 'extend = "base.toml"\n' + SELECT, "extend"
    project_with(tmp_path, config)
    started = time.monotonic()
    result = cli("check", "--no-cache", "a.listing.md", cwd=project)
    assert result.returncode == 2, result.stderr
    assert f"listing-lint.toml:{line_of(config, key)}:" in result.stderr
    assert "named pipe (FIFO), not a regular file" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 30


def test_a_device_named_by_extend_is_refused_unread(tmp_path):
    # extend may leave the project (a shared config above it), so only the regular-file rule stops this one.
    project = project_with(tmp_path, 'extend = "/dev/zero"\n' + SELECT)
    result = cli("check", "--no-cache", "a.listing.md", cwd=project)
    assert result.returncode == 2
    assert "listing-lint.toml:1: extend: /dev/zero is a device, not a regular file" in result.stderr


@pytest.mark.parametrize("layout", ["competitors-files", "file in a rule-pack folder", "rule-pack file"])
def test_a_file_over_the_size_limit_is_refused_with_the_config_line(tmp_path, layout):
    project = tmp_path / "project"
    project.mkdir()
    big = MAX_INPUT_BYTES + 1
    if layout == "competitors-files":
        sparse(project / "rivals.txt", big)
        config, key = SELECT + '\n[brands]\ncompetitors-files = ["rivals.txt"]\n', "competitors-files"
    elif layout == "rule-pack file":
        sparse(project / "house.toml", big)
        config, key = 'rule-packs = ["house.toml"]\n' + SELECT, "rule-packs"
    else:
        sparse(rule_pack(project / "house") / "HSE002-huge.toml", big)
        config, key = 'rule-packs = ["house"]\n' + SELECT, "rule-packs"
    project_with(tmp_path, config)
    result = cli("check", "--no-cache", "a.listing.md", cwd=project)
    assert result.returncode == 2, result.stderr
    assert f"listing-lint.toml:{line_of(config, key)}:" in result.stderr
    assert f"is {big:,} bytes, over the limit of {MAX_INPUT_BYTES:,}" in result.stderr


def test_regular_files_inside_the_project_still_load(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "rivals.txt").write_text("# rivals\nYeti\n\n", encoding="utf-8")
    rule_pack(project / "house")
    project_with(tmp_path, 'rule-packs = ["house"]\n' + SELECT + '\n[brands]\ncompetitors-files = ["rivals.txt"]\n')
    loaded = load_config(project / "listing-lint.toml")
    assert loaded.competitors == ("Yeti",) and loaded.rule_packs == (str((project / "house").resolve()),)


@pytest.mark.skipif(not POSIX, reason="POSIX device files")
@pytest.mark.parametrize("name", ["/dev/zero", "/dev/stdin", "/dev/null", "/"])
def test_the_reader_refuses_devices_and_folders_before_opening_them(name):
    with pytest.raises(InputFileError, match="not a regular file"):
        read_input_bytes(Path(name))


def test_the_reader_reads_no_further_than_its_limit(tmp_path):
    assert read_input_bytes(sparse(tmp_path / "ok", 10), limit=10) == b"\0" * 10
    with pytest.raises(InputFileError, match="is 11 bytes, over the limit of 10"):
        read_input_bytes(sparse(tmp_path / "big", 11), limit=10)


# -- editor settings: competitorsFiles -----------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "a.listing.md").write_text(LISTING, encoding="utf-8")
    (ws / "rivals.txt").write_text("Yeti\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("Anker\n", encoding="utf-8")
    (ws / "linked.txt").symlink_to(tmp_path / "outside.txt")
    if hasattr(os, "mkfifo"):
        os.mkfifo(ws / "pipe.txt")
    return ws


@pytest.mark.skipif(not POSIX, reason="POSIX paths")
@pytest.mark.parametrize("name, says", [
    ("/etc/passwd", "is outside the workspace folder"),
    ("/dev/stdin", "is outside the workspace folder"),
    ("/dev/zero", "is outside the workspace folder"),
    ("../outside.txt", "is outside the workspace folder"),
    ("linked.txt", "is outside the workspace folder"),
    ("pipe.txt", "named pipe (FIFO), not a regular file"),
])
def test_editor_settings_files_must_be_regular_files_inside_the_workspace(workspace, name, says):
    settings = json.dumps({"competitorsFiles": [name], "competitors": ["Anker"]})
    result = cli("check", "--no-cache", "--editor-settings", settings, "a.listing.md", cwd=workspace)
    assert result.returncode == 2, result.stdout
    assert "setting competitorsFiles" in result.stderr and says in result.stderr
    assert "Traceback" not in result.stderr

    names, problems = read_setting_brand_files([name], [workspace])
    assert names == [] and len(problems) == 1 and says in problems[0]


def test_editor_settings_files_inside_the_workspace_are_read(workspace):
    names, problems = read_setting_brand_files(["rivals.txt", str(workspace / "rivals.txt")], [workspace])
    assert names == ["Yeti", "Yeti"] and problems == []
    names, problems = read_setting_brand_files(["rivals.txt"], [])
    assert names == [] and "none is open" in problems[0]
    (workspace / "b.listing.md").write_text("# Title\nKettle by Yeti\n", encoding="utf-8")
    settings = json.dumps({"competitorsFiles": ["rivals.txt"]})
    result = cli("check", "--no-cache", "--format", "json", "--select", "competitor-brand", "--editor-settings",
                 settings, "b.listing.md", cwd=workspace)
    assert result.returncode == 1, result.stderr
    assert ["Yeti" in f["message"] for f in json.loads(result.stdout)] == [True]


# -- the config fingerprint: a stat per file, content only for small ones -------------------------------------


def test_the_fingerprint_does_not_read_large_files_in_a_rule_pack_folder(tmp_path):
    pack = rule_pack(tmp_path / "house")
    big = sparse(pack / "catalogue.bin", 40 * 1024 * 1024)
    config = Config(rule_packs=(str(pack),), own_brands=tuple(f"Brand {n}" for n in range(20_000)))
    tracemalloc.start()
    try:
        started = time.perf_counter()
        first = config.fingerprint()
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"fingerprint allocated {peak:,} bytes"
    assert elapsed < 5
    assert config.fingerprint() == first

    # It still changes whenever a file changes: a small file's content (same size, same mtime)...
    rule = pack / "HSE001-ascii-arrow.toml"
    st = rule.stat()
    rule.write_text(rule.read_text("utf-8").replace("House", "Hovse"), encoding="utf-8")
    os.utime(rule, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = config.fingerprint()
    assert second != first
    # ... a large file's size, or its modification time ...
    with big.open("r+b") as fh:
        fh.truncate(40 * 1024 * 1024 + 1)
    third = config.fingerprint()
    assert third != second
    os.utime(big, ns=(big.stat().st_atime_ns, big.stat().st_mtime_ns + 1_000_000_000))
    fourth = config.fingerprint()
    assert fourth != third
    # ... a file added to the folder, or a lexicon beside a one-file pack.
    (pack / "notes.txt").write_text("x", encoding="utf-8")
    assert config.fingerprint() != fourth
    single = tmp_path / "single" / "house.toml"
    single.parent.mkdir()
    single.write_text(RULE.format(pattern="'->'", exception=""), encoding="utf-8")
    one_file = Config(rule_packs=(str(single),))
    before = one_file.fingerprint()
    (single.parent / "lexicons").mkdir()
    (single.parent / "lexicons" / "en.toml").write_text('language = "en"\n', encoding="utf-8")
    assert one_file.fingerprint() != before


@needs_fifo
def test_the_fingerprint_skips_a_fifo_in_a_rule_pack_folder(tmp_path):
    pack = rule_pack(tmp_path / "house")
    os.mkfifo(pack / "notes.fifo")  # not a *.toml: never loaded, and the fingerprint must not open it
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", "import sys; from listing_lint.config import Config; "
                             "print(Config(rule_packs=(sys.argv[1],)).fingerprint())", str(pack)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and len(result.stdout.strip()) == 32
    assert time.monotonic() - started < 30


# -- patterns the regex engine cannot compile ------------------------------------------------------------------


@pytest.mark.parametrize("pattern, exception, key, says", [
    ("'(a{10000}){10000}'", "", "patterns", "unroll to more than"),
    ("'->'", "'(a{10000}){10000}'", "exceptions", "unroll to more than"),
    ("'" + "(" * 5000 + "a" + ")" * 5000 + "'", "", "patterns", "nests groups more than"),
    ("'" + "(?:" * 950 + "a" + ")" * 950 + "'", "", "patterns", "nests groups more than"),
    ("'->', 'a{4294967296}'", "", "patterns", "unroll to more than"),
    ("'->', '[z-a]'", "", "patterns", "invalid regular expression '[z-a]'"),
], ids=["repeat-of-repeat", "in-exceptions", "5000-nested-groups", "950-nested-groups", "count-too-big",
        "syntax"])
def test_a_pattern_that_cannot_compile_is_a_rule_error_with_file_and_line(tmp_path, pattern, exception, key, says):
    project = tmp_path / "project"
    rule_pack(project / "house", pattern=pattern, exception=exception)
    project_with(tmp_path, 'rule-packs = ["house"]\n' + SELECT)
    result = cli("check", "--no-cache", "a.listing.md", cwd=project)
    assert result.returncode == 2, result.stderr[-2000:]
    rule_file = project / "house" / "HSE001-ascii-arrow.toml"
    line = line_of(rule_file.read_text("utf-8"), key)
    assert f"HSE001-ascii-arrow.toml:{line}: {key}:" in result.stderr, result.stderr[-2000:]
    assert says in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr) < 2000  # the pattern is shortened in the message, not printed whole


@pytest.mark.parametrize("pattern", [
    r"\bbest[- ]?sell(?:er|ing)\b", r"\d{3}-\d{4}", r"\p{L}{2,}", r"[{}]{3}", r"x{,5}", r"(?:ab){2,3}+",
    r"\x{263A}{2}", r"(?#a comment with ( and {9999999})a", r"a{100000}", r"(a{1000}){0,1000}",
])
def test_ordinary_patterns_are_not_refused(pattern):
    assert pattern_problem(pattern) is None


def test_every_bundled_pattern_is_far_below_the_limits():
    from listing_lint.engine.lint import load_packs
    from listing_lint.engine.pattern_size import MAX_NODES, measure

    for pack in load_packs(Config()):
        for spec in pack.rules:
            for key in ("patterns", "exceptions"):
                value = spec.options.get(key) or []
                for patterns in (value.values() if isinstance(value, dict) else [value]):
                    for p in patterns:
                        size, problem = measure(p)
                        assert problem is None and size < MAX_NODES // 10, (spec.id, p)
