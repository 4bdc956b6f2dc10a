"""Files named by the editor setting ``competitorsFiles`` (issue 14, item 9): inside the workspace, regular, bounded.

The setting is resource-scoped, so a cloned repository's ``.vscode/settings.json`` can set it. It used to
accept any path: ``/dev/stdin`` made the server read its own JSON-RPC stream and stop answering, a FIFO
blocked it, ``/dev/zero`` read until memory ran out and ``/etc/passwd`` was read. Now each is refused,
unread, with a message, and the server goes on with the files it may read.
"""

from __future__ import annotations

import os

import pytest
from lsprotocol import types

from .lsp_harness import LOOP, listing_md, push_caps, write_config

pytestmark = [LOOP, pytest.mark.skipif(os.name != "posix", reason="POSIX device files and FIFOs")]

SELECT = '[rules]\nselect = ["competitor-brand"]\n'


def flagged(diagnostics: list[types.Diagnostic]) -> set[str]:
    return {d.message.split("'")[1] for d in diagnostics if str(d.code) == "POL005"}


async def test_settings_files_outside_the_workspace_or_not_regular_are_refused_unread(start, tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    write_config(ws, SELECT)
    (ws / "rivals.txt").write_text("Yeti\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("Ninja\n", encoding="utf-8")
    os.mkfifo(ws / "pipe.txt")
    outside = "outside the workspace folder"
    refused = {"/dev/stdin": outside, "/etc/passwd": outside, "/dev/zero": outside,
               str(tmp_path / "outside.txt"): outside, str(ws / "pipe.txt"): "named pipe (FIFO), not a regular file"}
    client = await start(ws, init_options={"competitorsFiles": [*refused, str(ws / "rivals.txt")]})
    uri = client.open(ws / "kettle.listing.md", listing_md(title="Kettle by Yeti, Ninja and Anker"))
    # The server answers (it did not read its own stdin or block on the pipe) and uses the file it may read.
    assert flagged(await client.diagnostics_for(uri, version=1)) == {"Yeti"}
    for name, says in refused.items():
        message = await client.message(f"{name!r} is {says}" if "outside" in says else f"{name} is a named pipe")
        assert message.type == types.MessageType.Error and "competitorsFiles" in message.message
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 0)))
    assert hover is None or hover.contents is not None  # still answering requests


async def test_a_folder_setting_may_name_files_in_its_own_folder_only(start, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, rival in ((one, "Yeti"), (two, "Ninja")):
        folder.mkdir()
        write_config(folder, SELECT)
        (folder / "rivals.txt").write_text(f"{rival}\n", encoding="utf-8")
    client = await start(
        folders=[one, two],
        capabilities=push_caps(configuration=True),
        configuration={"": {"listingLint": {}},
                       one.as_uri(): {"listingLint": {"competitorsFiles": [str(one / "rivals.txt"),
                                                                            str(two / "rivals.txt")]}}},
    )
    await client.wait_for(lambda: client.configuration_requests, "a workspace/configuration request")
    uri = client.open(one / "kettle.listing.md", listing_md(title="Kettle by Yeti or Ninja"))
    assert flagged(await client.diagnostics_for(uri, where=lambda d: bool(flagged(d)))) == {"Yeti"}
    await client.message(f"{str(two / 'rivals.txt')!r} is outside the workspace folder {one}")
