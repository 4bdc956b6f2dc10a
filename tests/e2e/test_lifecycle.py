"""initialize / initialized / shutdown: advertised capabilities, invalid initializationOptions, clean exit."""

from __future__ import annotations

import asyncio
import json

import pytest
from lsprotocol import types

from .lsp_harness import LOOP, SERVER_CMD, TIMEOUT, codes, listing_md, policy_config

pytestmark = LOOP


async def test_capabilities(shared):
    caps = shared.init_result.capabilities
    assert shared.init_result.server_info.name == "listing-lint"
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    sync = caps.text_document_sync
    assert sync.open_close and sync.change == types.TextDocumentSyncKind.Incremental and sync.save
    assert set(caps.code_action_provider.code_action_kinds) == {"quickfix", "source.fixAll.listing-lint"}
    assert caps.hover_provider and caps.document_symbol_provider and caps.inlay_hint_provider
    assert caps.diagnostic_provider.identifier == "listing-lint"
    assert caps.workspace.workspace_folders.supported and caps.workspace.workspace_folders.change_notifications


@pytest.mark.parametrize("options, says", [
    pytest.param({"competitors": 5}, "competitors must be a list of strings", id="number-for-list"),
    pytest.param({"select": "policy", "ownBrands": ["Vantora"]}, "select must be a list of strings",
                 id="string-for-list"),
    pytest.param({"severity": {"external-url": "loud"}}, "unknown severity 'loud'", id="bad-severity"),
    pytest.param(["policy"], "must be an object", id="not-an-object"),
])
async def test_invalid_initialization_options_mean_defaults_and_a_message(start, tmp_path, options, says):
    policy_config(tmp_path, brands='competitors = ["Anker"]')
    client = await start(tmp_path, init_options=options)
    message = await client.message(says)
    assert message.type == types.MessageType.Warning and "using defaults" in message.message
    uri = client.open(tmp_path / "a.listing.md", listing_md(bullets=("Visit vantora.com", "Better than Anker")))
    diagnostics = await client.diagnostics_for(uri, version=1)
    assert codes(diagnostics) == ["POL001", "POL005"]  # the config file's settings, default severities
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error


async def test_unknown_option_is_named_the_rest_apply_and_exit_is_clean(start, tmp_path):
    policy_config(tmp_path)
    client = await start(tmp_path, init_options={"listingLint": {"competitor": ["Anker"], "ownBrands": ["Vantora"],
                                                                "select": ["external-urls"]}})
    message = await client.message("unknown listing-lint settings")
    assert "'competitor' (did you mean 'competitors'?)" in message.message
    uri = client.open(tmp_path / "a.listing.md", listing_md(bullets=("Visit vantora.com",)))
    await client.diagnostics_for(uri, version=1)
    # A rule name that selects nothing is named too, with the rule it probably means.
    assert "did you mean 'external-url'" in (await client.message("setting select")).message

    await client.shutdown_async(None)
    client.exit(None)
    assert await asyncio.wait_for(client._server.wait(), 10) == 0


async def test_shutdown_right_after_initialized_is_answered_without_an_error(tmp_path):
    """``initialized`` and ``shutdown`` read in one go: shutdown cancelled the still pending ``initialized``, whose
    callback dropped it from the table shutdown was iterating over, and shutdown was answered with
    "RuntimeError: dictionary changed size during iteration"."""
    proc = await asyncio.create_subprocess_exec(*SERVER_CMD, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE, cwd=tmp_path)

    def frame(message: dict) -> bytes:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    async def response(msg_id: int) -> dict:
        while True:
            length = 0
            while (line := await proc.stdout.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(await proc.stdout.readexactly(length))
            if message.get("id") == msg_id and "method" not in message:
                return message

    try:
        proc.stdin.write(frame({"id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}))
        await asyncio.wait_for(response(1), TIMEOUT)
        proc.stdin.write(frame({"method": "initialized", "params": {}}) + frame({"id": 2, "method": "shutdown"}))
        answer = await asyncio.wait_for(response(2), TIMEOUT)
        assert "error" not in answer and answer["result"] is None, answer
        proc.stdin.write(frame({"method": "exit"}))
        assert await asyncio.wait_for(proc.wait(), TIMEOUT) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
