"""textDocument/diagnostic (pull diagnostics) for a client that advertises ``textDocument.diagnostic``."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from .lsp_harness import LOOP, codes, listing_md, policy_config, pull_caps, server_fixture, write_config

pytestmark = LOOP

puller = server_fixture(capabilities=pull_caps(
    diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)))


async def pull(client, uri: str) -> types.RelatedFullDocumentDiagnosticReport:
    report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    assert report.kind == "full"
    return report


async def test_pull_diagnostics_follow_the_text_and_nothing_is_pushed(puller, tmp_path):
    policy_config(tmp_path)
    client = puller
    uri = client.open(tmp_path / "blender.listing.md", listing_md(bullets=("Recipes at www.vantora.com/r",)))
    report = await pull(client, uri)
    assert codes(report.items) == ["POL001"]
    item = report.items[0]
    assert item.source == "listing-lint" and item.data["fixes"] and item.code_description.href.startswith("https://")

    client.replace(uri, listing_md(bullets=("Recipes at www.vantora.com/r", "Write to help@vantora.com")))
    assert codes((await pull(client, uri)).items) == ["POL001", "POL002"]

    client.close(uri)
    assert (await pull(client, uri)).items == ()
    await asyncio.sleep(0.1)  # give a wrongly pushed notification time to arrive
    assert [p for p in client.published if p.uri == uri] == []


async def test_pull_on_a_never_opened_document_is_empty(puller, tmp_path):
    client = puller
    provider = client.init_result.capabilities.diagnostic_provider
    assert provider.identifier == "listing-lint" and not provider.inter_file_dependencies
    report = await pull(client, (tmp_path / "never-opened.listing.md").as_uri())
    assert report.items == ()
    report = await pull(client, "untitled:Untitled-1")
    assert report.items == ()


async def test_config_change_asks_a_pull_client_to_pull_again(puller, tmp_path):
    config = write_config(tmp_path, '[rules]\nselect = ["competitor-brand"]\n[brands]\ncompetitors = ["Anker"]\n')
    client = puller
    refreshes = client.diagnostic_refresh_count
    uri = client.open(tmp_path / "charger.listing.md", listing_md(bullets=("Charges faster than Ninja",)))
    assert (await pull(client, uri)).items == ()

    config.write_text('[rules]\nselect = ["competitor-brand"]\n[brands]\ncompetitors = ["Anker", "Ninja"]\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    await client.wait_for(lambda: client.diagnostic_refresh_count > refreshes, "workspace/diagnostic/refresh")
    assert codes((await pull(client, uri)).items) == ["POL005"]
