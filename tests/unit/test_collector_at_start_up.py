"""A check run pauses the garbage collector for start-up only: it is on again once the first batch is linted."""

from __future__ import annotations

import gc
import subprocess
import sys

from listing_lint.cli import batch


def test_the_collector_paused_for_start_up_resumes_after_the_first_batch(monkeypatch):
    monkeypatch.setattr(batch, "_STATE", {**batch._STATE})
    batch._STATE.pop("collecting", None)
    was_on = gc.isenabled()
    gc.disable()
    try:
        assert batch.run_batch([]) == []
        assert gc.isenabled() and gc.get_freeze_count() > 0
        gc.disable()
        batch.run_batch([])  # only once: a run that turns it off later (as a user may) is left alone
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable() if was_on else gc.disable()


def test_a_check_run_ends_with_the_collector_on_and_other_commands_never_pause_it(tmp_path):
    for n in range(40):  # more than one batch of files: --jobs 2 lints them in a worker process too
        (tmp_path / f"{n}.listing.md").write_text("# Title\nKettle\n", encoding="utf-8")
    probe = ("import gc, sys; from listing_lint.__main__ import main\n"
             "sys.argv = ['listing-lint'] + sys.argv[1:]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('ON' if gc.isenabled() else 'OFF')")
    for argv in (["check", "--no-cache", str(tmp_path)], ["check", "--no-cache", "--jobs", "2", str(tmp_path)],
                 ["rules"]):
        done = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, timeout=120)
        assert done.stdout.strip().splitlines()[-1] == "ON", (argv, done.stdout[-500:], done.stderr[-2000:])


def test_once_resumed_the_collector_frees_cyclic_garbage_on_its_own(monkeypatch):
    # Rarely (results outlive their file and hold no garbage), but never not at all: a run that made cycles
    # would otherwise grow without bound.
    import weakref

    class Node:
        pass

    monkeypatch.setattr(batch, "_STATE", {**batch._STATE})
    batch._STATE.pop("collecting", None)
    was_on, threshold = gc.isenabled(), gc.get_threshold()
    gc.disable()
    try:
        batch.run_batch([])
        first = Node()
        first.self = first
        alive = weakref.ref(first)
        del first
        for _ in range(batch.YOUNG_COLLECTION + 1000):  # a tracked object each (a node's attributes are inline)
            node = Node()
            node.self = node
        del node
        assert alive() is None  # freed by a collection the run did not ask for
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
        gc.enable() if was_on else gc.disable()
