"""The language server starts from the data runs keep in the cache folder (parsed rule files, compiled patterns)."""

from __future__ import annotations

import json
import os

import pytest

from .lsp_harness import LOOP, codes, listing_md, policy_config

pytestmark = LOOP


def _kept(cache) -> dict[str, tuple[int, set]]:
    """Per kept file: its inode (a write replaces the file, a read only touches its time) and what it holds."""
    out = {}
    for path in sorted(cache.rglob("*.data")):
        if path.parent.name.startswith("parsed"):  # a header line indexing the entries' texts
            held = set(json.loads(path.read_bytes().split(b"\n", 1)[0])["index"])
        else:
            held = {key for table in json.loads(path.read_text("utf-8"))["entries"].values() for key in table}
        out[path.parent.name] = (path.stat().st_ino, held)
    return out


@pytest.mark.parametrize("prebuilt", ["on", "off"])
async def test_a_second_server_starts_from_what_the_first_kept_and_reports_the_same(start, tmp_path, prebuilt):
    cache = tmp_path / "cache"
    env = {**os.environ, "LISTING_LINT_CACHE_DIR": str(cache)}
    if prebuilt == "off":  # as an install whose prebuilt.data does not fit (another PyStemmer, edited packs)
        env["LISTING_LINT_PREBUILT"] = "off"
    root = tmp_path / "shop"
    root.mkdir()
    # A name with a letter outside ASCII: its pattern is compiled, and kept (an ASCII name is compared piece by
    # piece, with no pattern to keep).
    policy_config(root, 'competitors = ["Brisa Nórdica"]')
    text = listing_md(bullets=("Recipes at www.vantora.com/r", "Call (555) 010-4477", "Quieter than Brisa Nórdica."))
    found = []
    for _ in range(2):
        client = await start(root, env=env)
        uri = client.open(root / "blender.listing.md", text)
        diagnostics = await client.diagnostics_for(uri)
        found.append([(d.code, d.range.start.line, d.range.start.character, d.message) for d in diagnostics])
        if len(found) == 1:
            first = _kept(cache)
    assert codes(diagnostics) == ["POL001", "POL003", "POL005"] and found[0] == found[1]
    # The first server wrote down what it parsed and compiled: the workspace's config and the patterns built from
    # its competitor list, and, unless the package holds them prebuilt, the bundled packs and lexicons.
    assert set(first) == {"parsed-v1", "compiled-v1"}
    assert (len(first["parsed-v1"][1]) >= 30) == (prebuilt == "off") and first["parsed-v1"][1]
    # The second took them as they were: nothing new to write, so neither file was written again.
    assert _kept(cache) == first
