"""didOpen / didChange / didClose against the real server: pushed diagnostics, incremental edits, UTF-16 ranges."""

from __future__ import annotations

from lsprotocol import types

from .lsp_harness import LOOP, codes, listing_md, policy_config, utf16_col

pytestmark = LOOP

URL_BULLET = "Recipes at www.vantora.com/recipes"


async def test_push_on_open_change_and_clear_on_close(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "blender.listing.md", listing_md(bullets=("Crushes ice.",)))
    assert await client.diagnostics_for(uri, version=1) == []

    version = client.replace(uri, listing_md(bullets=(URL_BULLET,)))
    diagnostics = await client.diagnostics_for(uri, version=version)
    assert codes(diagnostics) == ["POL001"]
    assert diagnostics[0].range == types.Range(types.Position(4, 13), types.Position(4, 36))

    version = client.replace(uri, listing_md(bullets=("Crushes ice.",)))
    assert await client.diagnostics_for(uri, version=version) == []

    version = client.replace(uri, listing_md(bullets=(URL_BULLET,)))
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL001"]
    client.close(uri)
    assert await client.diagnostics_for(uri, where=lambda d: d == []) == []
    assert client.published[-1].uri == uri and not client.published[-1].diagnostics


async def test_every_diagnostic_carries_code_link_source_severity_message_and_fixes(shared, tmp_path):
    client = shared
    policy_config(tmp_path, brands='own = ["Vantora"]\ncompetitors = ["Anker"]')
    text = listing_md(bullets=(URL_BULLET, "Email help@vantora.com or call (555) 123-4567",
                               "Charges faster than Anker"))
    uri = client.open(tmp_path / "blender.listing.md", text)
    diagnostics = await client.diagnostics_for(uri, version=1)
    assert set(codes(diagnostics)) >= {"POL001", "POL002", "POL003", "POL005"}
    for d in diagnostics:
        assert d.source == "listing-lint"
        assert d.code_description is not None and d.code_description.href.startswith("https://")
        assert d.severity in (types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning,
                              types.DiagnosticSeverity.Information, types.DiagnosticSeverity.Hint)
        assert d.message and d.range.start.line < d.range.end.line + 1
        assert isinstance(d.data, dict) and d.data["rule"] and d.data["fixes"], d
        for fix in d.data["fixes"]:
            assert fix["title"] and fix["applicability"] in ("safe", "unsafe", "display-only")
            assert fix["edits"] and all({"range", "newText"} <= set(e) for e in fix["edits"])
    by_code = {str(d.code): d for d in diagnostics}
    url = by_code["POL001"]
    assert url.severity == types.DiagnosticSeverity.Error
    assert "www.vantora.com/recipes" in url.message
    assert url.data["rule"] == "external-url"
    assert url.data["fixes"][0]["applicability"] == "safe"
    assert url.code_description.href == "https://sellercentral.amazon.com/help/hub/reference/external/200386250"
    assert by_code["POL005"].data["rule"] == "competitor-brand"


async def test_incremental_edits_lint_the_final_text(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "kettle.listing.md", listing_md(title="Vantora Kettle", bullets=("Boils fast.",)))
    assert await client.diagnostics_for(uri, version=1) == []

    def at(line: int, char: int, end_char: int | None = None, text: str = ""):
        end = types.Position(line, char if end_char is None else end_char)
        return types.TextDocumentContentChangePartial(range=types.Range(types.Position(line, char), end), text=text)

    # Line 4 is "- Boils fast."; type a URL after it in three steps, then a second bullet with an email.
    client.change(uri, [at(4, 13, text=" See vantora")])
    client.change(uri, [at(4, 25, text=".com")])
    client.change(uri, [at(4, 29, text="/faq\n- Write to me@vantora.com")])
    # Two changes in one notification: they apply in order, the second on the result of the first.
    version = client.change(uri, [at(4, 2, 7, "Heats"), at(5, 2, 7, "Email")])
    expected = "- Heats fast. See vantora.com/faq\n- Email to me@vantora.com"
    assert expected in client.texts[uri]

    diagnostics = await client.diagnostics_for(uri, version=version)
    assert codes(diagnostics) == ["POL001", "POL002"]
    line4, line5 = client.texts[uri].splitlines()[4:6]
    assert diagnostics[0].range == types.Range(types.Position(4, line4.index("vantora.com")),
                                                types.Position(4, len(line4)))
    assert diagnostics[1].range.start == types.Position(5, line5.index("me@"))

    # Delete the URL again: its diagnostic goes, the email stays.
    version = client.change(uri, [at(4, 13, 33, "")])
    assert codes(await client.diagnostics_for(uri, version=version)) == ["POL002"]


async def test_a_burst_of_edits_is_linted_once_at_the_latest_version(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "kettle.listing.md", listing_md(bullets=("x",)))
    await client.diagnostics_for(uri, version=1)
    before = len(client.published)
    for i in range(30):
        version = client.replace(uri, listing_md(bullets=(f"Visit vantora.com/{i}",)))
    diagnostics = await client.diagnostics_for(uri, version=version)
    assert "vantora.com/29" in diagnostics[0].message
    burst = [p for p in client.published[before:] if p.uri == uri]
    # No stale lint arrives after the latest one, and the burst did not queue one lint per edit.
    assert burst[-1].version == version
    assert [p.version for p in burst] == sorted(p.version for p in burst)
    assert len(burst) < 30


async def test_ranges_are_utf16_after_emoji_and_cjk(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    bullet = "🚀🚀 粉碎机 www.vantora.com"
    uri = client.open(tmp_path / "blender.listing.md", listing_md(bullets=(bullet,)))
    [diagnostic] = await client.diagnostics_for(uri, version=1)
    line = f"- {bullet}"
    start_col = utf16_col(line, line.index("www"))
    # Two astral-plane emoji count two UTF-16 units each: the URL starts at column 2+2+2+1+3+1 = 11.
    assert start_col == 11 and line.index("www") == 9
    assert diagnostic.range == types.Range(types.Position(4, 11), types.Position(4, 11 + len("www.vantora.com")))
    fix_edit = diagnostic.data["fixes"][0]["edits"][0]
    assert fix_edit["range"]["end"] == {"line": 4, "character": 26}

    # An edit after the emoji, addressed in UTF-16 units, lands where the client meant it.
    version = client.change(uri, [types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(4, 11), types.Position(4, 11)), text="🎁 ")])
    assert client.texts[uri].splitlines()[4] == "- 🚀🚀 粉碎机 🎁 www.vantora.com"
    [diagnostic] = await client.diagnostics_for(uri, version=version)
    assert diagnostic.range.start == types.Position(4, 14)


async def test_catalog_rows_point_at_their_line(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    csv = ("item_sku,item_name,bullet_point1\n"
           "VT-1,Vantora Kettle,Boils fast\n"
           'VT-2,"Vantora 🚀 Blender","Recipes at vantora.com/r"\n')
    uri = client.open(tmp_path / "catalog.csv", csv, language_id="csv")
    [diagnostic] = await client.diagnostics_for(uri, version=1)
    line = csv.splitlines()[2]
    assert str(diagnostic.code) == "POL001"
    assert diagnostic.range.start == types.Position(2, utf16_col(line, line.index("vantora.com")))


async def test_files_that_are_not_listings_get_no_diagnostics(shared, tmp_path):
    client = shared
    policy_config(tmp_path)
    notes = client.open(tmp_path / "notes.md", "Visit www.vantora.com\n")
    uri = client.open(tmp_path / "blender.listing.md", listing_md(bullets=(URL_BULLET,)))
    await client.diagnostics_for(uri, version=1)
    assert all(p.uri != notes for p in client.published)


async def test_include_globs_and_any_language_id(shared, tmp_path):
    client = shared
    (tmp_path / "listing-lint.toml").write_text('include = ["*.md"]\n[rules]\nselect = ["external-url"]\n')
    notes = client.open(tmp_path / "draft.md", listing_md(bullets=(URL_BULLET,)))
    assert codes(await client.diagnostics_for(notes, version=1)) == ["POL001"]
    # The file name decides, not the languageId the editor sends.
    plain = client.open(tmp_path / "blender.listing.md", listing_md(bullets=(URL_BULLET,)), language_id="plaintext")
    assert codes(await client.diagnostics_for(plain, version=1)) == ["POL001"]


async def test_file_names_that_editors_percent_encode(shared, tmp_path):
    # pygls keys open documents by the decoded URI; the server looked them up by the URI as sent, so a file
    # named with a space, a '#', a '%' or CJK was never linted (issue 6).
    client = shared
    policy_config(tmp_path)
    for name in ("with space.listing.md", "粉碎机.listing.md", "100% cotton.listing.md", "a#b.listing.md"):
        uri = client.open(tmp_path / name, listing_md(bullets=(URL_BULLET,)))
        assert "%" in uri
        assert codes(await client.diagnostics_for(uri, version=1)) == ["POL001"], name
        version = client.replace(uri, listing_md(bullets=("Crushes ice.",)))
        assert await client.diagnostics_for(uri, version=version) == [], name
        pulled = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=types.TextDocumentIdentifier(uri=uri)))
        assert [s.name for s in pulled][:2] == ["Title", "Bullet 1"], name


async def test_a_character_past_the_end_of_a_line_with_emoji_means_its_end(shared, tmp_path):
    # The LSP: "If the character value is greater than the line length it defaults back to the line length."
    # pygls clamped it to one unit before the end on a last line holding an astral character: the edit
    # landed before the last character and the server's copy of the document drifted from the editor's.
    client = shared
    policy_config(tmp_path)
    uri = client.open(tmp_path / "emoji.listing.md", "# Title\nKettle 🚀 fast")
    version = client.change(uri, [types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(1, 100), types.Position(1, 100)), text=" www.vantora.com")])
    assert client.texts[uri] == "# Title\nKettle 🚀 fast www.vantora.com"
    [diagnostic] = await client.diagnostics_for(uri, version=version)
    assert diagnostic.range == types.Range(types.Position(1, 15), types.Position(1, 30))
    assert "'www.vantora.com'" in diagnostic.message
