"""The result cache keeps to its place (issue 14, item 8): it never follows a link, never reads what could hang or
flood it, never deletes what it did not write, and never trusts what someone else could have written there.

Every case is built for real on the file system. A cache that is refused or unreadable costs a slower run and a
line on stderr, never a different result, exit code or traceback.
"""

from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listing_lint import cache_folder
from listing_lint.cli.main import main

resource = pytest.importorskip("resource", reason="POSIX only")
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(os, "geteuid"),
                                reason="POSIX file system semantics (links, FIFOs, owners)")

MONTH_AGO = time.time() - 30 * 86400
OTHER_UID = 54321
"""A user id that is not the one running the tests: the "someone else" of a shared cache folder."""
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _project(tmp_path: Path) -> Path:
    """Three listings, each with a finding (an external link), so a hidden finding changes the exit code."""
    root = tmp_path / "project"
    root.mkdir()
    for i in range(3):
        (root / f"p{i}.listing.md").write_text(f"# Title\nSteel kettle {i}, see www.kettle{i}.co for more\n",
                                               encoding="utf-8")
    return root


def _run(args: list[str], capsys) -> tuple[int, list, str]:
    code = main(["check", *args, "--format", "json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _fresh(root: Path, capsys) -> tuple[int, list]:
    code, found, _ = _run([str(root), "--no-cache"], capsys)
    assert code == 1 and len(found) == 3, "the project has one finding per file"
    return code, found


def _private_cache(tmp_path: Path, root: Path, capsys) -> Path:
    """Fill a private cache (as the user's own run would) and return its one file."""
    private = tmp_path / "private-cache"
    _run([str(root), "--cache-dir", str(private)], capsys)
    (path,) = (private / "v1").glob("*.json")
    return path


def _folder(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, mode)  # explicit, whatever the umask
    return path


def _old_files(folder: Path) -> dict[str, bytes]:
    """A folder of someone's data, as a prune of caches unused for two weeks would see it."""
    files = {
        "orders.json": b'{"orders": [1, 2, 3]}',
        "settings.json": b'{"theme": "dark"}',
        # Named like a cache file, but not one: the name alone is not enough to delete it.
        "0123456789abcdef01234567.json": b'{"customers": []}',
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, (MONTH_AGO, MONTH_AGO))
    return files


# --- links: never followed when reading, writing or pruning -----------------------------------------------------

@pytest.mark.parametrize("mode", [0o755, 0o777], ids=["own-folder", "world-writable-folder"])
def test_a_planted_v1_link_neither_loses_data_nor_receives_the_cache(tmp_path: Path, capsys, mode: int) -> None:
    root = _project(tmp_path)
    victim = _folder(tmp_path / "victim", 0o755)
    files = _old_files(victim)
    shared = _folder(tmp_path / "shared", mode)
    (shared / "v1").symlink_to(victim, target_is_directory=True)

    code, found, err = _run([str(root), "--cache-dir", str(shared)], capsys)

    assert (code, found) == _fresh(root, capsys)
    left = {p.name: p.read_bytes() for p in victim.iterdir()}
    assert all(left.get(name) == data for name, data in files.items()), "the prune deleted files"
    assert sorted(left) == sorted(files), "the run wrote its cache there"
    assert "Traceback" not in err and "listing-lint: " in err
    assert (shared / "v1").is_symlink()


def test_a_linked_cache_folder_is_refused(tmp_path: Path, capsys) -> None:
    root = _project(tmp_path)
    elsewhere = _folder(tmp_path / "elsewhere", 0o755)
    files = _old_files(elsewhere)
    link = tmp_path / "cache-link"
    link.symlink_to(elsewhere, target_is_directory=True)
    code, found, err = _run([str(root), "--cache-dir", str(link)], capsys)
    assert (code, found) == _fresh(root, capsys)
    assert "symbolic link" in err
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == files


def test_the_prune_deletes_only_old_caches_that_listing_lint_wrote(tmp_path: Path, capsys) -> None:
    root = _project(tmp_path)
    cache = tmp_path / "cache"
    _run([str(root), "--cache-dir", str(cache)], capsys)
    v1 = cache / "v1"
    (current,) = v1.glob("*.json")
    foreign = _old_files(v1)
    # An old cache written by an earlier release (no "tool" marker yet) and an abandoned temporary file.
    legacy = v1 / "fedcba9876543210fedcba98.json"
    legacy.write_text('{"format":1,"urls":[],"entries":{}}', encoding="utf-8")
    temporary = v1 / ".tmp-ab12cd34"
    temporary.write_bytes(b"")
    # A link named like a cache, to an old file elsewhere: neither it nor its target goes.
    target = tmp_path / "kept.json"
    target.write_text('{"format":1,"urls":[],"entries":{}}', encoding="utf-8")
    link = v1 / "00000000000000000000abcd.json"
    link.symlink_to(target)
    for path in (legacy, temporary, target):
        os.utime(path, (MONTH_AGO, MONTH_AGO))
    os.utime(link, (MONTH_AGO, MONTH_AGO), follow_symlinks=False)

    (root / "p0.listing.md").write_text("# Title\nKettle\n", encoding="utf-8")  # something to save
    _run([str(root), "--cache-dir", str(cache)], capsys)

    assert current.exists()
    assert not legacy.exists() and not temporary.exists()
    assert {name: (v1 / name).read_bytes() for name in foreign} == foreign
    assert link.is_symlink() and target.exists()


# --- entries someone else could have written --------------------------------------------------------------------

def _forge(cache_file: Path) -> dict:
    """Return the cache with every finding removed: a forgery that would make a run report nothing."""
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry[2][3] = []
    return data


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o1777], ids=["world-writable", "group-writable", "sticky-tmp"])
def test_a_forged_entry_in_a_shared_cache_folder_hides_nothing(tmp_path: Path, capsys, mode: int) -> None:
    root = _project(tmp_path)
    real = _private_cache(tmp_path, root, capsys)
    shared = _folder(tmp_path / "shared", mode)
    v1 = _folder(shared / "v1", mode)
    forged = v1 / real.name
    forged.write_text(json.dumps(_forge(real)), encoding="utf-8")
    if IS_ROOT:  # planted by another user, as it would be in a real shared folder
        for path in (v1, forged):
            os.chown(path, OTHER_UID, OTHER_UID)

    code, found, err = _run([str(root), "--cache-dir", str(shared)], capsys)

    assert (code, found) == _fresh(root, capsys)
    assert "writable by other users" in err and "without the cache" in err
    assert [p.name for p in v1.iterdir()] == [real.name], "nothing is written to a refused folder"


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_a_cache_file_owned_by_another_user_is_not_trusted(tmp_path: Path, capsys) -> None:
    root = _project(tmp_path)
    real = _private_cache(tmp_path, root, capsys)
    cache = _folder(tmp_path / "cache", 0o755)
    v1 = _folder(cache / "v1", 0o755)
    forged = v1 / real.name
    forged.write_text(json.dumps(_forge(real)), encoding="utf-8")
    os.chmod(forged, 0o644)
    os.chown(forged, OTHER_UID, OTHER_UID)

    code, found, err = _run([str(root), "--cache-dir", str(cache)], capsys)

    assert (code, found) == _fresh(root, capsys)
    assert "another user" in err
    # The run replaces it with its own, which later runs trust.
    assert forged.stat().st_uid == os.geteuid()
    assert _run([str(root), "--cache-dir", str(cache)], capsys)[:2] == (code, found)


def test_a_cache_file_others_can_write_is_not_trusted(tmp_path: Path, capsys) -> None:
    root = _project(tmp_path)
    real = _private_cache(tmp_path, root, capsys)
    real.write_text(json.dumps(_forge(real)), encoding="utf-8")
    os.chmod(real, 0o666)
    code, found, err = _run([str(root), "--cache-dir", str(real.parent.parent)], capsys)
    assert (code, found) == _fresh(root, capsys)
    assert "writable by other users" in err


@pytest.mark.parametrize("mode", [0o777, 0o770])
def test_a_cache_folder_writable_by_others_is_refused_with_a_message(tmp_path: Path, capsys, mode: int) -> None:
    root = _project(tmp_path)
    shared = _folder(tmp_path / "shared", mode)
    code, found, err = _run([str(root), "--cache-dir", str(shared)], capsys)
    assert (code, found) == _fresh(root, capsys)
    assert err.count("writable by other users") == 1, err
    assert str(shared) in err
    assert list(shared.iterdir()) == [], "the refused folder is left as it was"


def test_a_new_cache_is_private_to_its_user(tmp_path: Path, capsys) -> None:
    root = _project(tmp_path)
    old = os.umask(0)  # the most permissive umask must still give a folder nobody else can write to
    try:
        cache = _private_cache(tmp_path, root, capsys)
    finally:
        os.umask(old)
    for path in (cache, cache.parent, cache.parent.parent):
        assert not path.stat().st_mode & 0o022, oct(path.stat().st_mode)
    assert _run([str(root), "--cache-dir", str(cache.parent.parent)], capsys)[2] == ""


# --- what is in an entry is checked before it is used -----------------------------------------------------------

def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def _entry(data: dict) -> list:
    (path,) = [p for p in data["entries"] if p.endswith("p0.listing.md")]
    return data["entries"][path]


def _set(path: list, value):
    def change(data: dict) -> None:
        target = _entry(data)
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


MUTATIONS = [
    pytest.param(_set([2, 1], "3"), id="listings-a-string"),
    pytest.param(_set([2, 1], True), id="listings-a-boolean"),
    pytest.param(_set([2, 2], "problem"), id="problems-a-string"),
    pytest.param(_set([2, 3], {"a": 1}), id="records-an-object"),
    pytest.param(_set([2, 0], "failed"), id="unknown-status"),
    pytest.param(_set([2, 3, 0, 3], 99), id="unknown-severity"),
    pytest.param(_set([2, 3, 0, 8], 10_000), id="url-index-out-of-range"),
    pytest.param(_set([2, 3, 0, 8], -1), id="url-index-negative"),
    pytest.param(_set([2, 3, 0, 10], ["1", "2"]), id="position-of-strings"),
    pytest.param(_set([2, 3, 0, 4], None), id="message-null"),
    pytest.param(_set([2, 3, 0, 9], [["t", 2, [[0, 1]]]]), id="edit-too-short"),
    pytest.param(_set([2, 3, 0], "record"), id="record-a-string"),
    pytest.param(_set([2], None), id="result-null"),
    pytest.param(_set([2], json.loads(_deep(100_000 // 1000))), id="result-nested"),
    pytest.param(lambda data: data.update(urls="https://example.com"), id="urls-a-string"),
    pytest.param(lambda data: data.update(entries=[]), id="entries-a-list"),
]


@pytest.mark.parametrize("mutate", MUTATIONS)
def test_an_entry_of_the_wrong_shape_is_a_miss(tmp_path: Path, capsys, mutate) -> None:
    root = _project(tmp_path)
    cache_file = _private_cache(tmp_path, root, capsys)
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    damaged = copy.deepcopy(data)
    mutate(damaged)
    assert json.dumps(damaged) != json.dumps(data)  # (True == 1 in Python, not in JSON)
    cache_file.write_text(json.dumps(damaged), encoding="utf-8")
    code, found, err = _run([str(root), "--cache-dir", str(cache_file.parent.parent)], capsys)
    assert (code, found) == _fresh(root, capsys)
    assert "Traceback" not in err


# --- copy repeated under other SKUs is stored once, and what names it is checked too -------------------------------

def _repeated_project(tmp_path: Path) -> Path:
    """Four files of one copy (two findings, one with a fix) under SKUs of other lengths, and one of its own."""
    root = tmp_path / "repeated"
    root.mkdir()
    for i, sku in enumerate(["A", "AB-12", "ABCDEFGHIJ", "Z"]):
        (root / f"r{i}.listing.md").write_text(
            f"---\nsku: {sku}\n---\n# Title\nSteel kettle!\n## Description\nSee www.kettle.co for more.\n",
            encoding="utf-8")
    (root / "own.listing.md").write_text("# Title\nSteel pan, see www.pan.co\n", encoding="utf-8")
    return root


def _fresh_repeated(root: Path, capsys) -> tuple[int, list]:
    code, found, _ = _run([str(root), "--no-cache"], capsys)
    assert code == 1 and {f["sku"] for f in found} == {"A", "AB-12", "ABCDEFGHIJ", "Z", None}
    return code, found


def test_repeated_copy_is_stored_once_and_served_as_each_file_s_own(tmp_path: Path, capsys) -> None:
    root = _repeated_project(tmp_path)
    fresh = _fresh_repeated(root, capsys)
    cache_file = _private_cache(tmp_path, root, capsys)
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    assert len(data["rows"]) == 1, "the four files' records are one row"
    refs = [e[2][3] for p, e in data["entries"].items() if Path(p).name.startswith("r")]
    assert len(refs) == 4 and all(type(r) is dict and r["row"] == 0 for r in refs)
    assert len({r["by"] for r in refs}) == 3  # SKUs of three lengths: three places
    own = [e[2][3] for p, e in data["entries"].items() if p.endswith("own.listing.md")]
    assert type(own[0]) is list and own[0], "a file whose copy no other repeats keeps its records"
    code, found, err = _run([str(root), "--cache-dir", str(cache_file.parent.parent)], capsys)
    assert (code, found) == fresh and err == ""


def _set_ref(key: str, value):
    def change(data: dict) -> None:
        (path,) = [p for p in data["entries"] if p.endswith("r1.listing.md")]
        data["entries"][path][2][3][key] = value
    return change


def _set_row(path: list, value):
    def change(data: dict) -> None:
        target = data["rows"]
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


REF_MUTATIONS = [
    pytest.param(_set_ref("row", 5), id="row-out-of-range"),
    pytest.param(_set_ref("row", -1), id="row-negative"),
    pytest.param(_set_ref("row", "0"), id="row-a-string"),
    pytest.param(_set_ref("by", "3"), id="by-a-string"),
    pytest.param(_set_ref("by", -10_000), id="moved-before-the-file"),
    pytest.param(_set_ref("sku", 7), id="sku-a-number"),
    pytest.param(_set_ref("extra", 1), id="an-extra-key"),
    pytest.param(_set_row([0, 0, 3], 99), id="row-unknown-severity"),
    pytest.param(_set_row([0, 0], "record"), id="row-record-a-string"),
    pytest.param(_set_row([0], {"a": 1}), id="row-an-object"),
    pytest.param(lambda data: data.update(rows={"0": []}), id="rows-an-object"),
    pytest.param(lambda data: data.update(rows=[]), id="rows-empty"),
]


@pytest.mark.parametrize("mutate", REF_MUTATIONS)
def test_a_damaged_shared_row_or_reference_is_a_miss(tmp_path: Path, capsys, mutate) -> None:
    root = _repeated_project(tmp_path)
    fresh = _fresh_repeated(root, capsys)
    cache_file = _private_cache(tmp_path, root, capsys)
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    damaged = copy.deepcopy(data)
    mutate(damaged)
    assert json.dumps(damaged) != json.dumps(data)
    cache_file.write_text(json.dumps(damaged), encoding="utf-8")
    for _ in range(2):  # and the cache the damaged one was replaced with serves the next run
        code, found, err = _run([str(root), "--cache-dir", str(cache_file.parent.parent)], capsys)
        assert (code, found) == fresh
        assert "Traceback" not in err


def test_a_damaged_reference_to_a_file_not_linted_is_forgotten_when_the_cache_is_saved(tmp_path: Path, capsys) -> None:
    """An entry read from the file but not used by the run is saved again; one that moves its row before the
    start of its file is dropped then, not a crash of the save."""
    root = _repeated_project(tmp_path)
    cache_file = _private_cache(tmp_path, root, capsys)
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    for path in [p for p in data["entries"] if Path(p).name.startswith("r")][1:]:
        del data["entries"][path]  # one entry left naming the row: the save puts its records back in it
    (path,) = [p for p in data["entries"] if Path(p).name.startswith("r")]
    data["entries"][path][2][3]["by"] = -10_000
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    code, found, err = _run([str(root / "own.listing.md"), "--cache-dir", str(cache_file.parent.parent)], capsys)
    assert code == 1 and "Traceback" not in err
    saved = json.loads(cache_file.read_text(encoding="utf-8"))
    assert path not in saved["entries"] and saved["rows"] == []


@pytest.mark.parametrize("where", ["whole-file", "one-entry"])
def test_an_entry_nested_100000_deep_is_a_miss_not_a_traceback(tmp_path: Path, capsys, where: str) -> None:
    root = _project(tmp_path)
    cache_file = _private_cache(tmp_path, root, capsys)
    text = cache_file.read_text(encoding="utf-8")
    if where == "whole-file":
        text = _deep(100_000)
    else:
        data = json.loads(text)
        _entry(data)[2] = "@@DEEP@@"
        text = json.dumps(data).replace('"@@DEEP@@"', _deep(100_000))
    cache_file.write_text(text, encoding="utf-8")
    code, found, err = _run([str(root), "--cache-dir", str(cache_file.parent.parent)], capsys)
    assert (code, found) == _fresh(root, capsys)
    assert "rebuilding it" in err
    # ...and the rebuilt cache serves the next run without a word.
    assert _run([str(root), "--cache-dir", str(cache_file.parent.parent)], capsys) == (code, found, "")


def test_a_cache_file_over_the_size_bound_is_not_read(tmp_path: Path, capsys, monkeypatch) -> None:
    root = _project(tmp_path)
    cache_file = _private_cache(tmp_path, root, capsys)
    cache_file.write_text(json.dumps(_forge(cache_file)), encoding="utf-8")
    monkeypatch.setattr(cache_folder, "MAX_CACHE_BYTES", 64)  # the bound a read checks
    code, found, err = _run([str(root), "--cache-dir", str(cache_file.parent.parent)], capsys)
    assert (code, found) == _fresh(root, capsys)
    assert "over the" in err and "rebuilding it" not in err


# --- what is in place of a cache file is never opened as one ----------------------------------------------------

def _check_in_a_subprocess(root: Path, cache: Path) -> subprocess.CompletedProcess:
    """Run the CLI in its own process, with a time and memory limit: the broken cache hung or flooded it."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    try:
        return subprocess.run([sys.executable, "-m", "listing_lint", "check", str(root), "--cache-dir", str(cache),
                               "--format", "json", "--jobs", "1"], capture_output=True, text=True, timeout=60,
                              preexec_fn=limit, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung on what was in place of the cache file")


def _replace_cache_file(tmp_path: Path, root: Path, make) -> tuple[Path, Path]:
    # Filled by a process of its own too, so both runs key the cache on the same build of listing-lint.
    cache = tmp_path / "private-cache"
    _check_in_a_subprocess(root, cache)
    (real,) = (cache / "v1").glob("*.json")
    real.unlink()
    make(real)
    return real, cache


def _device(path: Path) -> None:
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.stat("/dev/zero").st_rdev)
    except OSError as exc:
        pytest.skip(f"cannot make a device node here ({exc})")


@pytest.mark.parametrize("make", [
    pytest.param(os.mkfifo, id="fifo"),
    pytest.param(lambda path: path.symlink_to("/dev/zero"), id="link-to-dev-zero"),
    pytest.param(_device, id="device-node"),
])
def test_only_a_regular_file_is_read_as_a_cache(tmp_path: Path, capsys, make) -> None:
    root = _project(tmp_path)
    expected_code, expected = _fresh(root, capsys)
    placed, cache = _replace_cache_file(tmp_path, root, make)
    kind = stat.S_IFMT(os.lstat(placed).st_mode)
    proc = _check_in_a_subprocess(root, cache)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert (proc.returncode, json.loads(proc.stdout)) == (expected_code, expected)
    assert "not a regular file" in proc.stderr
    # The name, in the user's own folder, now holds the run's cache (renamed over it: nothing was followed).
    assert kind != stat.S_IFREG and placed.is_file() and not placed.is_symlink()
    assert _check_in_a_subprocess(root, cache).stderr == ""
