"""Property: the absolute name a run keys a file's cache entry with is os.path's, however the file was named."""

from __future__ import annotations

import os

from hypothesis import example, given, settings
from hypothesis import strategies as st

from listing_lint.cli.batch import RunOptions
from listing_lint.cli.run import CheckRun

PARTS = st.sampled_from(["a", "b", ".", "..", "", "x.listing.md", "é", "..a", ".b", "a b"])
NAMES = st.builds(lambda absolute, parts: ("/" if absolute else "") + "/".join(parts),
                  st.booleans(), st.lists(PARTS, min_size=1, max_size=6))


@settings(max_examples=3000, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=8), st.sampled_from(["/", "/tmp", "/tmp/shop"]))
@example(["é", "/é"], "/tmp")  # a file in the working folder, then one at the root: one memo each
@example(["a/x.listing.md", "/a/x.listing.md", "a//x.listing.md", "./a/../x.listing.md"], "/")
def test_a_files_absolute_name_is_what_os_path_makes_of_it(names: list[str], cwd: str) -> None:
    run = CheckRun(RunOptions(), 1, None, print)
    run.cwd = cwd  # as os.getcwd() would give it there
    for name in names:  # one run names many files: what it remembers of one must not change the next
        expected = name if os.path.isabs(name) else os.path.normpath(os.path.join(cwd, name))
        assert run._absolute(name) == expected
