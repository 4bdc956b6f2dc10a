"""A Markdown file whose copy the run met under another SKU takes its findings: the same as linting it alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listing_lint import Config
from listing_lint.cli import batch
from listing_lint.cli import run as run_module
from listing_lint.cli.batch import FileTask, RunOptions, init_worker, run_batch
from listing_lint.cli.main import main
from listing_lint.cli.pool import OrderedPool
from listing_lint.cli.repeated_files import MAX_FILES, RepeatedFiles
from listing_lint.engine.repeats import moved

SHARED = Path(__file__).resolve().parents[3] / "shared"

BODY = ("# Title\nSoft cotton tee by Nike, the best seller on Amazon\n"
        "## Bullet points\n- Email us at help@shop-mail.com for a free gift\n- Machine washable\n"
        "- help@shop-mail.com")
"""Copy with findings whose fixes replace text and (the last bullet, only an address) remove a whole bullet."""

SUPPRESSED = BODY.replace("- Machine washable", "<!-- listing-lint-disable-next-line -->\n- Machine washable, like Nike")


def _heads() -> list[str]:
    """Front matter that names the same copy: SKUs of other lengths, quoted, keys in another order, keys the
    reader ignores, the same brand and marketplace, and no front matter at all."""
    return ["---\nsku: A\n---\n", "---\nsku: SKU-000123-LONGER-STILL\n---\n", "---\nsku: 'B-7'\n---\n",
            "---\ncolor: red\nsku: C\n---\n", "---\nsku: D\ncolor: a much longer note than the others\n---\n", ""]


def _documents() -> list[str]:
    docs = []
    for body in (BODY, BODY + "\n", SUPPRESSED, BODY + "\n\n## Description\nSoft and light.\n"):
        for head in _heads():
            docs += [head + body, (head + body).replace("\n", "\r\n")]
            docs.append(head.replace("---\n", "---\nbrand: Nike\nmarketplace: amazon.de\n", 1) + body if head
                        else body)
            docs.append(head.replace("---\n", "---\nmarketplace: ebay.com\n", 1) + body if head else body)
            docs.append(head.replace("---\n", "---\nbrand: Nike\n", 1) + body if head else body)
    docs.append("---\nsku: OPEN\n" + BODY)  # front matter never closed: an error, and never remembered
    docs.append("---\nsku: OPEN-2\n" + BODY)
    return docs


def _results(config: Config, tasks: list[FileTask], batch_size: int = 1) -> list:
    """Lint files as one run, in batches (a batch reads all its files before it lints any); each result without
    what its records were placed from (``copied``, which the cache reads: it differs with what was met before),
    after checking that those records, moved, are the file's."""
    init_worker([config], RunOptions())
    out = []
    for n in range(0, len(tasks), batch_size):
        for result in run_batch(tasks[n:n + batch_size]):
            if result.copied is not None:
                template, by = result.copied
                assert [moved(r.finding, by) for r in template] == [r.finding for r in result.records]
            out.append(result._replace(copied=None))
        assert not batch._STATE["files"].expected  # type: ignore[attr-defined]
    return out


def test_a_file_met_before_under_another_sku_gets_what_linting_it_alone_gives(tmp_path: Path) -> None:
    config = Config(competitors=("Nike",), per_file_ignores=(("*-3.listing.md", ("competitor-brand",)),))
    docs = _documents()
    docs = docs + docs[::-1]  # each copy met before and after each other front matter
    tasks = []
    for n, text in enumerate(docs):
        path = tmp_path / f"f{n // 10}" / f"{n}-{n % 4}.listing.md"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        tasks.append(FileTask(str(path), "markdown", 0))
    alone = [_results(config, [task])[0] for task in tasks]
    # In batches of 16, and in one batch, whose files with the same copy wait for the first to be linted.
    for batch_size in (16, len(tasks)):
        together = _results(config, tasks, batch_size)
        files: RepeatedFiles = batch._STATE["files"]  # type: ignore[assignment]
        assert files.hits >= len(docs) // 2, "copy met again was linted afresh"
        assert together == alone
    dropped = ignored = 0
    for task, result in zip(tasks, together):
        assert result.records or result.problems
        dropped += any(r.finding.fix and r.finding.fix.title.startswith("Remove the bullet point")
                       for r in result.records)
        ignored += task.path.endswith("-3.listing.md")
    assert dropped and ignored
    assert any("never closed" in p for r in together for p in r.problems)


def test_a_folder_reports_what_each_file_reports_alone(tmp_path: Path, capsys) -> None:
    (tmp_path / "listing-lint.toml").write_text(
        '[brands]\ncompetitors = ["Nike"]\n\n[per-file-ignores]\n"*-1.listing.md" = ["competitor-brand"]\n',
        encoding="utf-8")
    folder = tmp_path / "listings"
    folder.mkdir()
    names = []
    for n, text in enumerate(_documents()):
        names.append(folder / f"{n:03d}-{n % 3}.listing.md")
        names[-1].write_bytes(text.encode("utf-8"))
    main(["check", str(folder), "--format", "json", "--no-cache"])
    together = json.loads(capsys.readouterr().out)
    alone = []
    for name in names:
        main(["check", str(name), "--format", "json", "--no-cache"])
        alone += json.loads(capsys.readouterr().out)
    assert together == alone
    skus = {r["sku"] for r in together}
    assert {"A", "SKU-000123-LONGER-STILL", "B-7", None} <= skus
    assert not any(r["rule"] == "competitor-brand" and r["filename"].endswith("-1.listing.md") for r in together)


def test_the_memory_is_bounded_and_forgets_the_older_half() -> None:
    files = RepeatedFiles()
    from listing_lint.document import DocumentResult, LintedListing
    from listing_lint.extract import extract
    from listing_lint.extract.fields import ExtractError

    for n in range(MAX_FILES + 1):
        text = f"---\nsku: {n}\n---\n# Title\nKettle number {n}\n"
        seen = files.look(0, text)
        assert seen is not None
        listing = extract("x.listing.md", text, "markdown").listings[0]
        files.put(seen, DocumentResult("x", text, [LintedListing(listing, [])], []), [])
    assert len(files.found) == MAX_FILES // 2 + 1
    # A file with problems is linted afresh each time: its problems are reported for each file.
    text = "---\nsku: 1\n---\n# Title\nKettle with a problem\n"
    seen = files.look(0, text)
    listing = extract("x.listing.md", text, "markdown").listings[0]
    files.put(seen, DocumentResult("x", text, [LintedListing(listing, [])], [ExtractError("x", 2, 1, "bad")]), [])
    assert files.get(seen, "x") is None
    assert files.get(files.look(0, "---\nsku: other\n---\n# Title\nKettle number 0\n"), "y") is None
    assert files.get(files.look(0, f"---\nsku: other\n---\n# Title\nKettle number {MAX_FILES}\n"), "y") == ([], ((), 1))  # no records, moved by the SKU line's extra letter
    assert files.get(files.look(1, f"---\nsku: other\n---\n# Title\nKettle number {MAX_FILES}\n"), "y") is None


def _catalog_folder(root: Path, files: int, copies: int) -> Path:
    """A folder exported from a catalog: ``copies`` listings, each under many SKUs of other lengths."""
    rows = []
    with (SHARED / "corpus" / "real-listings.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("bullets"):
                rows.append(r)
            if len(rows) == copies:
                break
    folder = root / "listings"
    folder.mkdir(parents=True)
    for n in range(files):
        r = rows[n % copies]
        bullets = "".join(f"- {b}\n" for b in r["bullets"])
        sku = "S" + "-" * (n % 7) + str(n)
        (folder / f"{n:05d}-{n % 3}.listing.md").write_text(
            f"---\nsku: {sku}\n---\n# Title\n{r['title']}, like Nike\n\n## Bullet points\n{bullets}", encoding="utf-8")
    return folder


@pytest.mark.parametrize("ignores", ["", '\n[per-file-ignores]\n"*-1.listing.md" = ["competitor-brand"]\n'])
@pytest.mark.parametrize("steals", [False, True])
def test_a_run_with_two_processes_answers_copy_met_before_as_one_process_does(tmp_path: Path, capsys, monkeypatch,
                                                                               ignores: str, steals: bool) -> None:
    # More files than the batches in flight (8 of 128), so the parent settles copy before it meets it again.
    folder = _catalog_folder(tmp_path, 1500, 40)
    (tmp_path / "listing-lint.toml").write_text(f'[brands]\ncompetitors = ["Nike"]\n{ignores}', encoding="utf-8")
    answered = []

    def counted(task):
        hit = batch.met_before(task)
        answered.append(hit is not None)
        return hit

    monkeypatch.setattr(run_module, "met_before", counted)
    if not steals:  # the parent lints nothing itself: what it answers, it learnt from the worker's results
        monkeypatch.setattr(OrderedPool, "_steal", lambda self: False)
    reports = []
    for jobs in ("1", "2"):
        main(["check", str(folder), "--format", "json", "--jobs", jobs, "--cache-dir", str(tmp_path / f"c{jobs}")])
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1]
    assert len({r["sku"] for r in reports[0]}) > 1000
    assert any(r["filename"].endswith("-1.listing.md") and r["rule"] == "competitor-brand"
               for r in reports[0]) == (not ignores)
    if ignores and not steals:  # the findings a worker sends back lack those dropped in that file: not remembered
        assert not any(answered)
    elif not steals:
        assert sum(answered) > 400, "the parent sent copy its workers had met to be linted again"  # of the last 476
    # What the parent answered is kept in the cache, as what the workers found is.
    answered.clear()
    main(["check", str(folder), "--format", "json", "--jobs", "2", "--cache-dir", str(tmp_path / "c2")])
    assert json.loads(capsys.readouterr().out) == reports[0]
    assert not answered, "files were linted again"
