"""Batch runs: --jobs, the result cache and streamed catalogs change how fast results come, never what they are."""

from __future__ import annotations

import itertools
import json
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import alive, children

from listing_lint.cli import run as run_module
from listing_lint.cli.main import main
from listing_lint.cli.pool import OrderedPool

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"

CONFIG = '[brands]\ncompetitors = ["Anker", "Ninja"]\n'


def _corpus(n: int) -> list[dict]:
    path = SHARED / "corpus" / "real-listings.jsonl"
    if path.is_file():
        with path.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for _, line in zip(range(n), fh)]
    else:  # a clone without ../shared still gets a mixed folder
        rows = [{"title": f"Kettle {i} like Anker, see www.shop{i}.com", "bullets": ["Gift for a 5-star review"],
                 "description": "Fast boil."} for i in range(n)]
    return rows


def _folder(tmp_path: Path, n: int = 120) -> Path:
    """A project with real listings in every format, a few broken files, and a config."""
    root = tmp_path / "project"
    shutil.copytree(EXAMPLES, root)
    (root / "listing-lint.toml").write_text(CONFIG, encoding="utf-8")
    sub = root / "more"
    sub.mkdir()
    for i, r in enumerate(_corpus(n)):
        bullets = "".join(f"- {b}\n" for b in r.get("bullets") or [])
        extra = " Like Ninja, call 555-201-3344." if i % 7 == 0 else ""
        (sub / f"p{i:03d}.listing.md").write_text(
            f"# Title\n{r['title']}{extra}\n\n## Bullet points\n{bullets}\n## Description\n"
            f"{r.get('description') or ''}\n", encoding="utf-8")
    (sub / "catalog.jsonl").write_text("".join(json.dumps({"sku": f"J{i}", "title": r["title"]}) + "\n"
                                               for i, r in enumerate(_corpus(40))) + "{broken\n", encoding="utf-8")
    # 0x81 is neither UTF-8 nor Windows-1252 (the legacy encoding tried next): the file cannot be read.
    (sub / "broken.listing.md").write_bytes(b"# Title\nbad \x81 byte\n")
    return root


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _json(args: list[str], capsys) -> tuple[int, list, str]:
    code, out, err = _run([*args, "--format", "json"], capsys)
    return code, json.loads(out), err


def test_a_run_starts_no_more_processes_than_its_batches_can_use(tmp_path: Path) -> None:
    """A pre-commit hook hands over a few changed files: one batch, linted by the run's own process, however many
    CPUs --jobs names; more files or bigger ones make more batches, and the processes to lint them."""
    run = run_module.CheckRun(run_module.RunOptions(), 8, None, print)
    made = itertools.count()

    def plan(sizes: list[int], suffix: str = ".listing.md") -> list[tuple[str, int]]:
        out = []
        for size in sizes:
            path = tmp_path / f"f{next(made)}{suffix}"
            path.write_text("# Title\n" + "x" * size, encoding="utf-8")
            out.append((str(path), 0))
        return out

    assert run._useful_jobs(plan([40])) == 1
    assert run._useful_jobs(plan([40] * 3)) == 1
    assert run._useful_jobs(plan([40] * run_module.BATCH_FILES)) == 1
    assert run._useful_jobs(plan([40] * (run_module.BATCH_FILES + 1))) == 2
    assert run._useful_jobs(plan([run_module.BATCH_BYTES, 40])) == 2  # a big file is a batch of its own
    assert run._useful_jobs(plan([40] * (run_module.BATCH_FILES * 20))) == 8
    assert run._useful_jobs(plan([40, 40]) + plan([10], ".xlsx")) == 8  # a workbook's rows go to the workers


def test_two_jobs_give_the_same_report_as_one(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path)
    one = _json([str(root), "--jobs", "1", "--no-cache"], capsys)
    two = _json([str(root), "--jobs", "2", "--no-cache"], capsys)
    assert one == two
    assert len(one[1]) > 50
    assert "broken.listing.md:2:5: neither UTF-8 nor cp1252" in one[2] and "catalog.jsonl:41:" in one[2]
    text_one = _run([str(root), "--jobs", "1", "--no-cache", "--statistics"], capsys)
    text_two = _run([str(root), "--jobs", "2", "--no-cache", "--statistics"], capsys)
    assert text_one == text_two


def test_the_cache_answers_unchanged_files_with_the_same_findings(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path)
    cache = tmp_path / "cache"
    cold = _json([str(root), "--cache-dir", str(cache)], capsys)
    assert list(cache.rglob("*.json")), "the first run writes the cache"
    warm = _json([str(root), "--cache-dir", str(cache)], capsys)
    fresh = _json([str(root), "--no-cache"], capsys)
    assert cold == warm == fresh
    # Prove the warm run really came from the cache: poison one cached result, and it shows.
    cache_file = next(cache.rglob("*.json"))
    data = json.loads(cache_file.read_text(encoding="utf-8"))
    target = os.path.abspath(root / "more" / "p000.listing.md")
    entry = data["entries"][target]
    assert entry[2][3], "p000 has findings"
    entry[2][3][0][4] = "POISONED"
    cache_file.write_text(json.dumps(data), encoding="utf-8")
    poisoned = _json([str(root), "--cache-dir", str(cache)], capsys)
    assert any(f["message"] == "POISONED" for f in poisoned[1])
    # ...and that a change to the file's bytes is never answered from the cache, even with the same size
    # and modification time (the stat shortcut is not trusted for a file written just before it was hashed).
    path = root / "more" / "p000.listing.md"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("# Title\n", "# Title\nwww.new-site.com "),
                    encoding="utf-8")
    changed = _json([str(root), "--cache-dir", str(cache)], capsys)
    assert not any(f["message"] == "POISONED" for f in changed[1])
    assert any("new-site" in f["message"] for f in changed[1] if f["filename"].endswith("p000.listing.md"))
    del st


def test_a_matching_stat_stands_in_for_the_bytes_only_until_the_file_is_touched(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path, n=5)
    cache = tmp_path / "cache"
    path = root / "more" / "same-size.listing.md"
    path.write_text("# Title\nSteel kettle, 1.7 litres\n", encoding="utf-8")
    old = time.time() - 3600
    os.utime(path, (old, old))
    _json([str(root), "--cache-dir", str(cache)], capsys)
    # Same size, same modification time, different bytes: the documented trade-off (as in git and ruff) is
    # that such a file is answered from the cache until its modification time changes.
    path.write_text("# Title\nSee www.kettle.co, 1.7 l\n", encoding="utf-8")
    os.utime(path, (old, old))
    stale = _json([str(path), "--cache-dir", str(cache)], capsys)[1]
    assert stale == []
    os.utime(path)  # any real edit moves the modification time
    fresh = _json([str(path), "--cache-dir", str(cache)], capsys)[1]
    assert [f["rule"] for f in fresh] == ["external-url"]


def test_the_cache_keeps_the_files_a_run_read_and_forgets_those_gone(tmp_path: Path, capsys) -> None:
    """A save asks the file system only about entries the run did not read itself: a file read is there, and one
    gone since an earlier run leaves the cache."""
    root = _folder(tmp_path, n=5)
    cache = tmp_path / "cache"
    kept, gone = root / "more" / "kept.listing.md", root / "more" / "gone.listing.md"
    kept.write_text("# Title\nSteel kettle, 1.7 litres\n", encoding="utf-8")
    gone.write_text("# Title\nCopper kettle, 1.5 litres\n", encoding="utf-8")
    _json([str(root), "--cache-dir", str(cache)], capsys)

    def entries() -> set[str]:
        return set(json.loads(next(cache.rglob("*.json")).read_text(encoding="utf-8"))["entries"])

    first = entries()
    assert {os.path.abspath(kept), os.path.abspath(gone)} <= first and len(first) > 5
    gone.unlink()
    kept.write_text("# Title\nSteel kettle, 1.8 litres\n", encoding="utf-8")  # read again: the cache is saved
    # One file checked: the others' entries stay, as their files do.
    _json([str(kept), "--cache-dir", str(cache)], capsys)
    assert entries() == first - {os.path.abspath(gone)}


def test_a_file_found_unchanged_under_a_new_time_is_trusted_by_its_stat_again(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path, n=5)
    cache = tmp_path / "cache"
    path = root / "more" / "same-size.listing.md"
    path.write_text("# Title\nSteel kettle, 1.7 litres\n", encoding="utf-8")
    _json([str(root), "--cache-dir", str(cache)], capsys)
    # A checkout gives the file a new time: its bytes are read, found unchanged, and its new stat noted.
    checked_out = time.time() - 3600
    os.utime(path, (checked_out, checked_out))
    assert _json([str(path), "--cache-dir", str(cache)], capsys)[1] == []
    # Same size and time, other bytes: only a run that trusts the noted stat answers from the cache.
    path.write_text("# Title\nSee www.kettle.co, 1.7 l\n", encoding="utf-8")
    os.utime(path, (checked_out, checked_out))
    assert _json([str(path), "--cache-dir", str(cache)], capsys)[1] == []
    os.utime(path)
    assert [f["rule"] for f in _json([str(path), "--cache-dir", str(cache)], capsys)[1]] == ["external-url"]


def test_config_and_rule_changes_invalidate_the_cache(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path, n=10)
    cache = tmp_path / "cache"
    before = _json([str(root), "--cache-dir", str(cache)], capsys)[1]
    assert any(f["rule"] == "competitor-brand" for f in before)
    (root / "listing-lint.toml").write_text('[brands]\ncompetitors = ["Zzyzx"]\n', encoding="utf-8")
    after = _json([str(root), "--cache-dir", str(cache)], capsys)[1]
    assert not any(f["rule"] == "competitor-brand" for f in after)
    assert after == _json([str(root), "--no-cache"], capsys)[1]
    ignored = _json([str(root), "--cache-dir", str(cache), "--ignore", "external-url"], capsys)[1]
    assert not any(f["rule"] == "external-url" for f in ignored)


def test_no_cache_writes_nothing_and_a_damaged_cache_is_rebuilt(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path, n=5)
    cache = tmp_path / "cache"
    _json([str(root), "--no-cache", "--cache-dir", str(cache)], capsys)
    assert not cache.exists()
    expected = _json([str(root), "--cache-dir", str(cache)], capsys)
    for f in cache.rglob("*.json"):
        f.write_bytes(b"\x00not json")
    code, found, err = _json([str(root), "--cache-dir", str(cache)], capsys)
    assert (code, found) == expected[:2]
    assert "cache unreadable" in err and "rebuilding it" in err
    assert _json([str(root), "--cache-dir", str(cache)], capsys)[2] == expected[2]


def test_an_unwritable_cache_folder_is_reported_and_results_are_unaffected(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path, n=5)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    code, found, err = _json([str(root), "--cache-dir", str(blocker / "cache")], capsys)
    assert (code, found) == _json([str(root), "--no-cache"], capsys)[:2]
    assert "cannot write the cache" in err and "results are unaffected" in err


def test_fix_uses_the_cache_only_for_files_with_nothing_to_fix(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path, n=10)
    cache = tmp_path / "cache"
    _json([str(root), "--cache-dir", str(cache)], capsys)
    code, out, err = _run([str(root), "--cache-dir", str(cache), "--fix"], capsys)
    assert "Fixed" in out
    left = _json([str(root), "--cache-dir", str(cache)], capsys)[1]
    assert left == _json([str(root), "--no-cache"], capsys)[1]
    assert not any(f["fix"] and f["fix"]["applicability"] == "safe" for f in left)


def _catalog(path: Path, rows: int) -> str:
    lines = ["item_sku,item_name,bullet_point1"]
    for i in range(rows):
        title = f'"Kettle {i}, see www.shop{i}.com"' if i % 50 == 0 else f"Kettle {i} steel"
        bullet = '"Line one\nline two, ""quoted"""' if i % 3 == 0 else "Boils fast"
        lines.append(f"S{i},{title},{bullet}")
    text = "\r\n".join(lines) + "\r\n"
    path.write_text(text, encoding="utf-8", newline="")
    return text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_streamed_catalogs_report_what_whole_reads_report(tmp_path: Path, capsys, monkeypatch, jobs: str) -> None:
    path = tmp_path / "export.csv"
    _catalog(path, 3000)
    whole = _json([str(path), "--no-cache"], capsys)
    monkeypatch.setattr(run_module, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr("listing_lint.extract.stream.SLICE_CHARS", 4096)
    streamed = _json([str(path), "--no-cache", "--jobs", jobs], capsys)
    assert streamed == whole
    assert len(whole[1]) == 60
    summary = _run([str(path), "--no-cache", "--jobs", jobs], capsys)[1]
    assert "in 1 file, 3000 listings" in summary


def test_a_big_catalog_streams_output_before_it_is_read_to_the_end(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    row = "S{0},Kettle {0} steel body with a long enough title,Boils fast and pours clean\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("item_sku,item_name,bullet_point1\n")
        fh.write("S-first,See www.first-row.com,ok\n")
        for i in range(110_000):  # about 9 MB, over the streaming threshold
            fh.write(row.format(i))
        fh.write("S-last,See www.last-row.com,ok\n")
    assert path.stat().st_size > run_module.STREAM_MIN_BYTES
    proc = subprocess.Popen([sys.executable, "-m", "listing_lint", "check", str(path), "--no-cache",
                             "--format", "concise", "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = proc.stdout.readline().decode()
        still_running = proc.poll() is None
    finally:
        proc.kill()
        proc.wait()
    assert "big.csv:2:" in first and "first-row" in first
    assert still_running, "the first finding must be printed while the rest of the catalog is still being linted"


PARENT = os.getpid()


def _crash_on_three(n: int) -> int:
    # Only a worker dies: the parent, which also runs queued work while it waits, computes normally.
    if n == 3 and os.getpid() != PARENT:
        os._exit(9)  # a worker killed mid-task (out of memory, say)
    return n * 10


def _noop() -> None:
    return None


def test_a_dead_worker_is_reported_and_the_rest_of_the_run_goes_on() -> None:
    broken: list[int] = []

    def on_broken(work: int, exc: BaseException) -> int:
        broken.append(work)
        return -1

    pool = OrderedPool(3, _crash_on_three, _noop, (), window=50, on_broken=on_broken)
    results = list(pool.submit(3))
    deadline = time.monotonic() + 30
    first = pool.queue[0][1]
    while not (first.running() or first.done()) and time.monotonic() < deadline:  # a worker takes 3, not us
        time.sleep(0.01)
    for n in [0, 1, 2, 4, 5, 6, 7]:
        results.extend(pool.submit(n))
    results.extend(pool.drain())
    assert [w for w, _ in results] == [3, 0, 1, 2, 4, 5, 6, 7]  # every item answered, in order
    assert 3 in broken
    assert all(r == w * 10 for w, r in results if w not in broken)
    # The pool starts afresh after a breakage: later work runs normally.
    later = list(pool.submit(5)) + list(pool.drain())
    assert [r for _, r in later] == [50]


def test_caches_unused_for_two_weeks_are_deleted(tmp_path: Path, capsys) -> None:
    root = _folder(tmp_path, n=3)
    cache = tmp_path / "cache"
    _json([str(root), "--cache-dir", str(cache)], capsys)
    (current,) = list((cache / "v1").glob("*.json"))
    stale = cache / "v1" / "0123456789abcdef01234567.json"
    stale.write_text('{"format": 1, "urls": [], "entries": {}}', encoding="utf-8")
    month_ago = time.time() - 30 * 86400
    os.utime(stale, (month_ago, month_ago))
    (root / "more" / "p000.listing.md").write_text("# Title\nKettle\n", encoding="utf-8")  # something to save
    _json([str(root), "--cache-dir", str(cache)], capsys)
    assert current.exists() and not stale.exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent_and_free_the_output_pipe(tmp_path: Path) -> None:
    root = _folder(tmp_path, n=400)
    proc = subprocess.Popen([sys.executable, "-m", "listing_lint", "check", str(root), "--no-cache", "--jobs", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = children(proc.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "the run should have started its workers"
    proc.kill()
    proc.wait()
    # The output pipe reaches end-of-file only when no worker holds it any more.
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + 10
    eof = False
    while not eof and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        eof = bool(ready) and os.read(fd, 65536) == b""
    proc.stdout.close()
    assert eof, "a worker outlived its killed parent and kept the output pipe open"

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)


def test_names_and_text_past_ascii_come_back_from_the_cache_as_they_went_in(tmp_path: Path, capsys) -> None:
    """The cache is written in ASCII (JSON escapes the rest): Japanese copy, an accented name and a name that is not
    UTF-8 (an old archive's Latin-1, which Python holds as a lone surrogate) are answered from it unchanged."""
    root = tmp_path / "shop"
    root.mkdir()
    (root / "ケトル.listing.md").write_text("# Title\n電気ケトル、詳しくは www.kettle.co へ\n", encoding="utf-8")
    (root / "café.listing.md").write_text("# Title\nCafé kettle, see www.cafe.co\n", encoding="utf-8")
    latin1 = os.fsdecode(b"th\xe9.listing.md")
    (root / latin1).write_text("# Title\nTea kettle, see www.tea.co\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cold = _json([str(root), "--cache-dir", str(cache)], capsys)
    assert len(cold[1]) == 3
    cache_file = next(cache.rglob("*.json"))
    raw = cache_file.read_bytes()
    assert raw.isascii()
    data = json.loads(raw)
    assert os.path.abspath(root / latin1) in data["entries"]
    # Prove the next run is answered from the cache: mark every cached message, and the marks show.
    for entry in data["entries"].values():
        for record in entry[2][3]:
            record[4] += " (kept)"
    cache_file.write_text(json.dumps(data), encoding="ascii")
    warm = _json([str(root), "--cache-dir", str(cache)], capsys)
    assert [f["message"] for f in warm[1]] == [f["message"] + " (kept)" for f in cold[1]]
    assert [(f["filename"], f["location"]) for f in warm[1]] == [(f["filename"], f["location"]) for f in cold[1]]


@pytest.mark.parametrize("step", ["extract_text", "lint_extraction", "file_result"])
def test_a_crash_in_any_pass_of_a_batch_is_that_files_alone(tmp_path: Path, capsys, monkeypatch, step) -> None:
    """A batch is read, linted and placed a pass at a time: a file that crashes in any pass is reported as an
    internal error against it, and every other file of its batch keeps its findings, in order."""
    from listing_lint.cli import batch

    root = _folder(tmp_path, n=40)
    clean = _json([str(root), "--jobs", "1", "--no-cache"], capsys)[1]
    real = getattr(batch, step)

    def crash(first, *args, **kwargs):
        path = first if isinstance(first, str) else args[0]  # file_result takes the result, then the name
        if path.endswith(("p003.listing.md", "p017.listing.md")):
            raise RuntimeError("boom")
        return real(first, *args, **kwargs)

    monkeypatch.setattr(batch, step, crash)
    code, found, err = _json([str(root), "--jobs", "1", "--no-cache"], capsys)
    crashed = [f for f in found if f["rule"] == "read-error"]
    assert sorted(os.path.basename(f["filename"]) for f in crashed if "internal error" in f["message"]) == [
        "p003.listing.md", "p017.listing.md"]
    assert all("(RuntimeError: boom)" in f["message"] for f in crashed if "internal error" in f["message"])
    kept = [f for f in found if "internal error" not in f["message"]]
    assert kept == [f for f in clean if not f["filename"].endswith(("p003.listing.md", "p017.listing.md"))]
    assert {"p014.listing.md", "p021.listing.md"} <= {os.path.basename(f["filename"]) for f in kept}  # neighbours
