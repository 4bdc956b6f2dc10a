"""The language server's heap freezer: frozen once after the first lint, thawed for a reload."""

import gc
import weakref

import pytest

from listing_lint.lsp.heap import HeapFreezer


@pytest.fixture(autouse=True)
def thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_first_lint_freezes_what_was_built_and_later_lints_add_nothing():
    built = [object() for _ in range(10)]
    heap = HeapFreezer()
    heap.after_lint()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    made_later = [[] for _ in range(1000)]  # tracked containers, made after the freeze
    heap.after_lint()
    assert gc.get_freeze_count() == frozen
    assert built and made_later


def test_a_reload_gives_the_frozen_objects_back_to_the_collector():
    heap = HeapFreezer()
    heap.after_lint()
    heap.thaw()
    assert gc.get_freeze_count() == 0
    heap.thaw()  # a second reload before any lint is harmless
    assert gc.get_freeze_count() == 0
    heap.after_lint()  # the next lint freezes what is in use again
    assert gc.get_freeze_count() > 0


def test_a_cycle_dropped_while_frozen_is_collected_after_the_thaw():
    class Node:
        pass

    heap = HeapFreezer()
    node = Node()
    node.me = node  # a cycle, as rule sets hold: only the cyclic collector frees it
    alive = weakref.ref(node)
    heap.after_lint()
    del node
    gc.collect()
    assert alive() is not None  # frozen: out of the collector's sight
    heap.thaw()
    gc.collect()
    assert alive() is None
