"""Untrusted text stays in its place in the CLI's output (issue 14): control characters in listing copy or file
names are shown, not obeyed, by a terminal; a file name that is not UTF-8 still gives valid JSON and SARIF;
and a report that cannot be written (a full disk) is one clear line and exit 2, never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_cli import run

# A supplier file that writes the clipboard (OSC 52), erases the line above (CSI 2K, 1A), hides behind a C1
# CSI and a DEL, and reverses the line's reading order (U+202E).
HOSTILE = "Kettle \x1b]52;c;aGk=\x07 www.evil.com \x1b[2K\x1b[1A \x9b31m \x7f \u202e end"
LISTING = (f"# Title\n{HOSTILE}\n\n# Bullets\n- Made of steel\n\n"
           # 'Best seller' across a line break: one finding whose match holds a newline; and markup whose
           # match (so the message, in every format) holds the clipboard sequence.
           '# Description\nA good kettle. Best\nseller in kitchens. <b title="\x1b]52;c;aGk=\x07">bold</b>\n')
SGR = re.compile(r"\x1b\[[0-9;]*m")
"""The colour codes listing-lint itself writes: the only escape sequences allowed through."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unsafe_in(text: str) -> list[str]:
    """Control characters a terminal would act on, once listing-lint's own colours are set aside."""
    return UNSAFE.findall(SGR.sub("", text))


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    (tmp_path / "evil.listing.md").write_text(LISTING, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("options", [
    ["--format", "text"], ["--format", "concise"], ["--format", "text", "--color", "always"],
    ["--format", "concise", "--color", "always", "--show-fixes"], ["--show-fixes"],
    ["--diff", "--unsafe-fixes"], ["--statistics"],
])
def test_human_output_shows_control_characters_instead_of_sending_them(hostile, options):
    result = run("check", "--no-cache", "--select", "external-url,sales-claim,html-markup", *options,
                 "evil.listing.md", cwd=hostile)
    assert result.returncode == 1, result.stderr
    assert unsafe_in(result.stdout) == [] and unsafe_in(result.stderr) == []
    assert "Traceback" not in result.stderr
    if "--statistics" not in options:
        assert '<b title="\\x1b]52;c;aGk=\\x07">' in result.stdout
    if "text" in options or "--diff" in options:  # the formats that show the listing's lines
        assert "\\x1b]52;c;aGk=\\x07 www.evil.com \\x1b[2K\\x1b[1A \\x9b31m \\x7f \\u202e end" in result.stdout


def test_listing_lints_own_colours_still_work(hostile):
    result = run("check", "--no-cache", "--select", "external-url", "--color", "always", "evil.listing.md",
                 cwd=hostile)
    assert "\x1b[1;31mPOL001\x1b[0m" in result.stdout
    assert "\x1b[31m" + "^" * len("www.evil.com") + "\x1b[0m" in result.stdout


def test_caret_stays_under_the_match_when_escapes_widen_the_line(hostile):
    result = run("check", "--no-cache", "--select", "external-url", "evil.listing.md", cwd=hostile)
    lines = result.stdout.splitlines()
    source = next(line for line in lines if line.startswith("2 | "))
    carets = lines[lines.index(source) + 1]
    start = carets.index("^")
    assert source[start:start + len("www.evil.com")] == "www.evil.com"
    assert carets.count("^") == len("www.evil.com")


def test_concise_keeps_one_line_per_finding_when_a_match_spans_a_line_break(hostile):
    result = run("check", "--no-cache", "--select", "sales-claim", "--format", "concise", "--quiet",
                 "evil.listing.md", cwd=hostile)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("evil.listing.md:8:") and "'Best\\nseller'" in lines[0]


def test_diff_keeps_its_lines_and_escapes_what_is_in_them(hostile):
    result = run("check", "--no-cache", "--select", "external-url", "--diff", "evil.listing.md", cwd=hostile)
    assert "-Kettle \\x1b]52;c;aGk=\\x07 www.evil.com \\x1b[2K" in result.stdout
    assert "+Kettle \\x1b]52;c;aGk=\\x07 \\x1b[2K" in result.stdout
    assert result.stdout.startswith("--- a/evil.listing.md\n+++ b/evil.listing.md\n@@ ")


def test_file_names_with_control_characters_are_escaped(tmp_path):
    name = "cat\x1b[2K\nalog.listing.md"
    (tmp_path / name).write_text("# Title\nKettle www.x.com\n", encoding="utf-8")
    (tmp_path / "empty\x1b]0;owned\x07.listing.md").write_bytes(b"")
    for options in (["--format", "text"], ["--format", "concise"], ["--show-fixes"], ["--diff"]):
        result = run("check", "--no-cache", "--select", "external-url", *options, ".", cwd=tmp_path)
        assert unsafe_in(result.stdout) == [] and unsafe_in(result.stderr) == [], options
        assert "cat\\x1b[2K\\nalog.listing.md" in result.stdout, options
        # The empty file is reported on stderr, its name escaped too.
        assert "empty\\x1b]0;owned\\x07.listing.md: empty file" in result.stderr, options
    shown = run("check", "--show-files", ".", cwd=tmp_path)
    lines = shown.stdout.splitlines()
    assert len(lines) == 2 and any(line.endswith("cat\\x1b[2K\\nalog.listing.md") for line in lines), lines
    assert unsafe_in(shown.stdout) == []


def test_explain_escapes_what_a_rule_pack_quotes(tmp_path):
    (tmp_path / "my-rules.toml").write_text(
        'name = "mine"\n\n[[rules]]\nid = "USR001"\nname = "zap-word"\nkind = "existence"\nfields = ["title"]\n'
        'severity = "warning"\nmessage = "\'{match}\' is a test word."\nrationale = "A test rule."\n'
        'policy = "https://example.com/policy"\npatterns = [\'zap\']\n\n'
        '[[rules.examples]]\nbad = "zap \\u001b]52;c;aGk=\\u0007 here"\n\n[[rules.examples]]\ngood = "fine"\n',
        encoding="utf-8")
    (tmp_path / "listing-lint.toml").write_text('rule-packs = ["my-rules.toml"]\n', encoding="utf-8")
    result = run("explain", "USR001", "--config", "listing-lint.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "zap \\x1b]52;c;aGk=\\x07 here" in result.stdout
    assert unsafe_in(result.stdout) == []


# -- GitHub annotations: a line break or '::' in the text or file name cannot start a command -------------

ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^,:\n]*,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
                        r"title=[^:\n]*::[^\n]*$")


def test_github_annotations_cannot_be_split_or_forged(tmp_path):
    (tmp_path / "a::b,c\n::warning file=x::forged.listing.md").write_text(
        "# Title\nKettle www.x.com\n\n# Description\nBold <b\n::error::forged=100%>text</b>\n",
        encoding="utf-8")
    result = run("check", "--no-cache", "--select", "external-url,html-markup", "--format", "github", ".",
                 cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    for line in lines:
        assert ANNOTATION.match(line), line
        assert "file=a%3A%3Ab%2Cc%0A%3A%3Awarning file=x%3A%3Aforged.listing.md," in line
    # In the message, after the properties' '::', only line breaks and '%' need escaping.
    assert "::'<b%0A::error::forged=100%25>' is HTML markup." in lines[1]


# -- a file name that is not UTF-8 -------------------------------------------------------------------

def run_bytes(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([sys.executable, "-m", "listing_lint", *args], cwd=cwd, capture_output=True, env=env,
                          **kwargs)


@pytest.fixture
def latin1_name(tmp_path: Path) -> Path:
    if sys.platform == "win32":
        pytest.skip("Windows file names are UTF-16; there are no undecodable bytes")
    with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.listing.md"), "wb") as fh:
        fh.write(b"# Title\nKettle www.x.com\n")
    (tmp_path / "good.listing.md").write_text("# Title\nKettle www.y.com\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("to_file", [False, True])
@pytest.mark.parametrize("fmt", ["json", "sarif", "jsonl"])
def test_a_file_name_that_is_not_utf8_gives_valid_json_and_sarif(latin1_name, fmt, to_file):
    output = latin1_name / f"report.{fmt}.out"  # not a listing file name: the walk skips it
    result = run_bytes("check", "--no-cache", "--select", "external-url", "--format", fmt,
                       *(["--output", str(output)] if to_file else []), ".", cwd=latin1_name)
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1
    data = output.read_bytes() if to_file else result.stdout
    text = data.decode("utf-8")  # strict: invalid UTF-8 fails here
    if fmt == "jsonl":
        names = {json.loads(line)["filename"] for line in text.splitlines()}
    elif fmt == "json":
        names = {d["filename"] for d in json.loads(text)}
    else:
        results = json.loads(text)["runs"][0]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        # The URI holds the name's real bytes, percent-encoded, so it still points at the file.
        assert uris == {"caf%E9.listing.md", "good.listing.md"}
        names = {r["message"]["text"] for r in results}
        assert len(names) == 2
        return
    assert names == {"caf\\xe9.listing.md", "good.listing.md"}  # the byte shown as git shows it


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_text(latin1_name):
    result = run_bytes("check", "--no-cache", "--select", "external-url", ".", cwd=latin1_name)
    assert b"Traceback" not in result.stderr
    out = result.stdout.decode("utf-8")
    assert "caf\\xe9.listing.md:2:8: POL001" in out and "good.listing.md:2:8: POL001" in out


# -- a report that cannot be written -------------------------------------------------------------------

needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")


@needs_dev_full
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "csv", "html"])
def test_output_onto_a_full_disk_is_one_clear_line_and_exit_2(hostile, fmt):
    result = run("check", "--no-cache", "--format", fmt, "--output", "/dev/full", "evil.listing.md", cwd=hostile)
    assert result.returncode == 2
    assert result.stderr == "listing-lint: error: cannot write the report to /dev/full: No space left on device\n"


@needs_dev_full
def test_standard_output_onto_a_full_disk_is_one_clear_line_and_exit_2(hostile):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "listing_lint", "check", "--no-cache", "--format", "json",
                                 "evil.listing.md"], cwd=hostile, stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2
    assert result.stderr == ("listing-lint: error: cannot write the report to standard output: "
                             "No space left on device\n")


def test_output_into_a_missing_folder_names_it(hostile):
    result = run("check", "--no-cache", "--output", "no/such/folder/report.json", "--format", "json",
                 "evil.listing.md", cwd=hostile)
    assert result.returncode == 2
    assert result.stderr == ("listing-lint: error: cannot write the report to no/such/folder/report.json: "
                             "No such file or directory\n")


def test_escaping_printable_ascii_quickly_escapes_exactly_what_the_search_escapes():
    """``escape`` returns printable ASCII as it is without searching it; every other text is searched. Each of
    the first 0x3000 characters, alone and inside ASCII words, is escaped as the search escapes it."""
    from listing_lint.cli import safe_text

    def searched(text: str) -> str:
        return safe_text._UNSAFE.sub(safe_text._visible, text)

    for code in range(0x3000):
        for text in (chr(code), f"ab{chr(code)}cd", f"Kettle {chr(code)}"):
            assert safe_text.escape(text) == searched(text), hex(code)
    for text in ("", "plain ASCII line: 100% steel!", "tab\there", "bell\x07", "del\x7f", "\u202eevil", "\udcff"):
        assert safe_text.escape(text) == searched(text)
        assert safe_text.without_surrogates(text) == safe_text._SURROGATE.sub(safe_text._visible, text)
