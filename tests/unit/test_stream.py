"""Streamed catalogs: slices of whole rows read exactly like the whole file, wherever the cuts fall."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listing_lint.extract import extract
from listing_lint.extract.catalog import find_header, iter_records
from listing_lint.extract.source import SourceError
from listing_lint.extract.stream import Slice, _cut_delimited, count_lines, iter_slices
from listing_lint.model import LineIndex

HEADER = "item_sku,item_name,bullet_point1,product_description"

cell_text = st.lists(st.sampled_from(list('ab ,"\n\r\t€😀界\u200b') + ["\r\n"]), max_size=12).map("".join)


@st.composite
def cells(draw) -> str:
    value = draw(cell_text)
    if draw(st.booleans()) or any(c in value for c in ',\n\r"'):
        quoted = '"' + value.replace('"', '""') + '"'
        # Now and then, junk after the closing quote, which spreadsheet tools tolerate.
        return quoted + (draw(st.sampled_from(["", "", "x"])))
    return value


@st.composite
def csv_catalogs(draw) -> str:
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    rows = draw(st.lists(st.lists(cells(), min_size=1, max_size=5), max_size=12))
    body = newline.join(",".join(row) for row in rows)
    tail = draw(st.sampled_from(["", newline]))
    if draw(st.integers(0, 9)) == 0:
        body += ',"never closed' + newline + "x,y"
    return HEADER + newline + body + tail


def layout(path: str, text: str, fmt: str, pieces: list[Slice] | None = None):
    """Each listing as its SKU plus, per field, its kind, text and 1-based start/end row and column; and errors."""
    out = []
    errors = []
    if pieces is None:
        result = extract(path, text, fmt)
        groups = [(result.listings, result.errors)]
    else:
        groups = []
        for piece in pieces:
            listings, errs, _ = piece.extract()
            groups.append((listings, errs))
    for listings, errs in groups:
        errors.extend((e.line, e.message) for e in errs)
        for lst in listings:
            index = LineIndex(lst.text, lst.line_base)
            out.append((lst.sku, tuple(
                (f.kind, f.index, f.text, index.position(f.start), index.position(f.end)) for f in lst.fields)))
    return out, errors


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


@settings(max_examples=int(os.environ.get("LISTING_LINT_FUZZ_EXAMPLES", 150)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=csv_catalogs(), slice_chars=st.integers(1, 80))
def test_csv_slices_read_like_the_whole_file(tmp_path: Path, text: str, slice_chars: int) -> None:
    path = _write(tmp_path, "cat.csv", text)
    pieces = list(iter_slices(path, "csv", "cat.csv", slice_chars=slice_chars))
    read = "".join(p.text for p in pieces)
    if read != text:
        # Only a file that is not a catalog (no header with the delimiter sniffed) stops after its first slice.
        assert len(pieces) == 1 and text.startswith(read) and find_header(read, pieces[0].delimiter) is None
    # Nothing lost or repeated otherwise, and the same listings and errors either way.
    line = 0
    for p in pieces:
        assert p.line_base == line
        line += count_lines(p.text)
    assert layout("cat.csv", text, "csv", pieces) == layout("cat.csv", text, "csv")


def cut_where_iter_records_ends_a_row(prefix: str, delimiter: str, want: int) -> int:
    """Where the cutter must cut a buffer: the first row end at or after ``want`` that iter_records reads in it,
    or the last one before, or 0. A row ends after its line break; the sentinel shows whether the buffer's last
    line break ends a row or sits in a quote, and a "\r" at the very end may be half of a "\r\n" still to come."""
    ends = [start for _, start, _ in iter_records(prefix + "X", delimiter)][1:]
    ends = [e for e in ends if not (e == len(prefix) and prefix.endswith("\r"))]
    return next((e for e in ends if e >= want), ends[-1] if ends else 0)


@settings(max_examples=int(os.environ.get("LISTING_LINT_FUZZ_EXAMPLES", 150)), deadline=None)
@given(text=csv_catalogs(), junk=st.sampled_from(["", '"', '""', '"x', "x\r", '"\r']), delimiter=st.sampled_from([",", "\t", ";"]),
       data=st.data())
def test_rows_are_cut_where_iter_records_ends_them(text: str, junk: str, delimiter: str, data) -> None:
    # Every prefix of the buffer, as the reads leave it, with quotes and line breaks at its very end.
    buffer = (text + junk).replace(",", delimiter)
    for end in range(len(buffer) + 1):
        prefix = buffer[:end]
        want = data.draw(st.integers(1, max(1, end)))
        assert _cut_delimited(prefix, delimiter, want, False) == cut_where_iter_records_ends_a_row(prefix, delimiter, want)


@settings(max_examples=int(os.environ.get("LISTING_LINT_FUZZ_EXAMPLES", 80)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.builds(lambda t: '{"sku": "S", "title": %s}' % json.dumps(t), st.text(max_size=20)),
    st.just("{broken"), st.just(""), st.just("[1]")), max_size=15),
    newline=st.sampled_from(["\n", "\r\n"]), slice_chars=st.integers(1, 60))
def test_jsonl_slices_read_like_the_whole_file(tmp_path: Path, lines: list[str], newline: str,
                                               slice_chars: int) -> None:
    text = newline.join(lines)
    path = _write(tmp_path, "cat.jsonl", text)
    pieces = list(iter_slices(path, "jsonl", "cat.jsonl", slice_chars=slice_chars))
    assert "".join(p.text for p in pieces) == text
    assert layout("cat.jsonl", text, "jsonl", pieces) == layout("cat.jsonl", text, "jsonl")


def test_a_file_that_is_not_a_catalog_stops_after_its_first_slice(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.txt", "just some notes\n" * 5000)
    pieces = list(iter_slices(path, "tsv", "notes.txt", slice_chars=100))
    assert len(pieces) == 1
    assert pieces[0].extract() == ([], [], False)


def test_utf16_catalogs_stream_with_their_bom(tmp_path: Path) -> None:
    text = "item_sku\titem_name\n" + "".join(f"S{i}\tKettle {i} 界\n" for i in range(500))
    path = tmp_path / "export.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    pieces = list(iter_slices(path, "tsv", "export.txt", slice_chars=1000))
    assert len(pieces) > 3
    assert "".join(p.text for p in pieces) == text
    assert sum(len(p.extract()[0]) for p in pieces) == 500


def test_broken_utf8_deep_in_a_catalog_names_its_line(tmp_path: Path) -> None:
    rows = [f'{{"title": "row {i}"}}' for i in range(200_000)]
    raw = "\n".join(rows).encode() + b'\n{"title": "bad \xff byte"}\n'
    path = tmp_path / "big.jsonl"
    path.write_bytes(raw)
    with pytest.raises(SourceError) as info:
        for _ in iter_slices(path, "jsonl", "big.jsonl"):
            pass
    assert info.value.line == 200_001
    assert "big.jsonl:200001" in str(info.value)


def test_binary_files_are_refused_before_streaming(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"item_name\n\x00\x01\x02" * 10)
    with pytest.raises(SourceError, match="binary"):
        list(iter_slices(path, "csv", "image.csv"))
