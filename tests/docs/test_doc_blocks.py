"""Doc tests: every TOML block validates, every safe shell line runs from a fresh copy, every link resolves."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listing_lint.config import load_config
from listing_lint.engine.lint import ruleset_for, validate_selectors, verify_examples
from listing_lint.engine.spec import load_pack

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from .blocks import DOC_FILES, ROOT, all_blocks, heading_anchors, links, shell_lines

# Shell lines this test does not run, each with why. Every other line of every shell block runs.
NOT_RUN: list[tuple[str, str]] = [
    (r"^bash scripts/test\b", "runs the whole suite, this test included"),
    (r"\bnpm (ci|install|run package)\b", "needs the npm registry and takes minutes; tests/vscode builds the .vsix"),
    (r"^(code|code-server) --install-extension", "needs an editor; tests/vscode installs the .vsix into code-server"),
    (r"LISTING_LINT_FUZZ_EXAMPLES=", "a long fuzz run; the suite runs the same test with a bounded count"),
    (r"^unshare -rn", "runs the whole suite in a network namespace"),
    (r"--watch\b", "runs until Ctrl+C; tests/cli/test_watch.py edits a file under --watch"),
]

# The first README command installs from PyPI; with the network blocked, lines after it use this
# interpreter's listing-lint instead, so they are still checked.
NEEDS_INDEX = re.compile(r"\bpip install\b")


def _fresh_copy(dest: Path) -> Path:
    """Copy the files a clone would have (tracked and new, not ignored) into ``dest``."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if not src.is_file():  # deleted in the working tree but not yet committed
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    return dest


# -- TOML ------------------------------------------------------------------------------------------------------

def _toml_blocks():
    return [pytest.param(b, id=b.where) for b in all_blocks({"toml"})]


MY_RULES = '''
[[rules]]
id = "USR001"
name = "my-free-shipping"
kind = "existence"
fields = ["title", "bullet"]
severity = "warning"
message = "'{match}' promises shipping terms."
rationale = "Shipping terms belong in the offer, not the listing copy."
policy = "https://sellercentral.amazon.com/help/hub/reference/external/201100890"
[rules.patterns]
en = ['\\bfree shipping\\b']
[[rules.examples]]
bad = "Free shipping on every order"
[[rules.examples]]
good = "Ships in a recycled box"
'''


@pytest.mark.parametrize("block", _toml_blocks())
def test_toml_block_is_valid(block, tmp_path: Path) -> None:
    data = tomllib.loads(block.text)  # a syntax error fails here, with the block's place in the test id
    if "concepts" in data:
        # A concept lexicon (docs/writing-rules.md): it must load beside the bundled ones.
        from listing_lint.engine.lexicon import Lexicons, bundled_lexicon_paths

        path = tmp_path / f"{data['language']}.toml"
        path.write_text(block.text, "utf-8")
        assert data["language"] in Lexicons((*bundled_lexicon_paths(), path)).languages
        return
    if "language-server" in data or "language" in data:
        # Helix's languages.toml: check it starts this project's server on listing files.
        server = data["language-server"]["listing-lint"]
        assert [server["command"], *server["args"]] == ["listing-lint", "server"]
        languages = data["language"]
        assert all("listing-lint" in lang["language-servers"] for lang in languages), block.where
        return
    if "language_servers" in data:
        # Zed's extension.toml: it must declare this project's server, for languages Zed knows.
        server = data["language_servers"]["listing-lint"]
        assert set(server["languages"]) <= {"Markdown", "JSON", "JSONC", "CSV", "Plain Text"}, server
        assert data["id"] == "listing-lint" and data["schema_version"] == 1
        return
    if "kind" in data and "id" in data:
        # A rule as docs/writing-rules.md shows it: load it as a pack and run its examples.
        pack = tmp_path / "pack"
        pack.mkdir()
        (pack / f"{data['id']}.toml").write_text(block.text, "utf-8")
        verify_examples(load_pack(pack))
        return
    # Otherwise a listing-lint.toml: give it the files it names, then load and validate it for real.
    config_file = tmp_path / "listing-lint.toml"
    config_file.write_text(block.text, "utf-8")
    for name in data.get("brands", {}).get("competitors-files", []):
        (tmp_path / name).write_text("Hydro Flask\n", "utf-8")
    for name in data.get("rule-packs", []):
        (tmp_path / name).write_text(MY_RULES, "utf-8")
    config = load_config(config_file)
    validate_selectors(config)
    assert ruleset_for(config).specs, f"{block.where}: the config selects no rule"


def test_readme_config_example_sets_top_level_keys() -> None:
    """The README's full config example must set include/exclude/rule-packs as top-level keys."""
    full = [b for b in all_blocks({"toml"}) if b.path.name == "README.md" and "[limits]" in b.text]
    assert full, "README.md lost its full config example"
    data = tomllib.loads(full[0].text)
    assert {"include", "exclude", "rule-packs"} <= set(data), sorted(data)


# -- shell -----------------------------------------------------------------------------------------------------

def _shell_commands() -> list[tuple[str, str]]:
    """Every (place, command) of every shell block, README first, in reading order."""
    ordered = sorted(DOC_FILES, key=lambda p: p.name != "README.md")
    return [(f"{b.where.split(':')[0]}:{line}", cmd)
            for p in ordered for b in all_blocks({"sh", "bash", "shell", "console"}) if b.path == p
            for line, cmd in shell_lines(b)]


def _reason_not_run(cmd: str) -> str | None:
    for pattern, reason in NOT_RUN:
        if re.search(pattern, cmd):
            return reason
    return None


def test_not_run_list_is_current() -> None:
    """Each exception matches a line that exists, so the list cannot hide lines that were since removed."""
    commands = [c for _, c in _shell_commands()]
    for pattern, reason in NOT_RUN:
        assert any(re.search(pattern, c) for c in commands), f"no doc line matches {pattern!r} ({reason})"


def test_readme_opens_with_two_commands() -> None:
    first = all_blocks({"sh"})[0]
    assert first.path.name == "README.md" and first.line < 6, first.where
    assert len(shell_lines(first)) == 2, first.text
    install = shell_lines(first)[0][1]
    # The install line must leave `listing-lint` on PATH for every later command, not just itself.
    assert ". .venv/bin/activate" in install or "source .venv/bin/activate" in install, install
    assert shell_lines(first)[1][1] == "bash scripts/test"


def test_no_doc_installs_from_an_index() -> None:
    """listing-lint is not on any index: nothing a user reads may say `pip install listing-lint`."""
    readers = [*DOC_FILES, ROOT / "editors" / "neovim" / "listing_lint.lua", ROOT / "vscode-client" / "package.json",
               *(ROOT / "vscode-client" / "src").glob("*.ts"), *(ROOT / "editors").rglob("*.el")]
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in readers if p.exists()
                 for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
                 if re.search(r"pip3? install (-U |--upgrade )?['\"]?listing-lint\b", line)]
    assert not offenders, offenders


def test_shell_lines_run_from_a_fresh_copy(tmp_path: Path) -> None:
    """Paste every runnable shell line, in order, into one shell in a fresh copy of the repository."""
    repo = _fresh_copy(tmp_path / "repo")
    blocked = bool(os.environ.get("LISTING_LINT_BLOCK_NETWORK"))
    work = tmp_path / "logs"
    work.mkdir()
    script = ["set +e", f"cd {shlex.quote(str(repo))}"]
    ran: list[tuple[str, str]] = []
    for place, cmd in _shell_commands():
        if _reason_not_run(cmd):
            continue
        if blocked and NEEDS_INDEX.search(cmd):
            # Keep what the line does to the shell (the venv's PATH), drop only the download.
            cmd = f"export PATH={shlex.quote(str(Path(sys.executable).parent))}:$PATH"
        i = len(ran)
        ran.append((place, cmd))
        # Braces, not a subshell: `. .venv/bin/activate` must last for the lines after it, as in a terminal.
        log = shlex.quote(str(work / str(i)))
        script.append(f"{{ {cmd}\n}} >{log}.out 2>{log}.err </dev/null; echo $? >{log}.rc")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    # A user's PATH: no folder that already has a listing-lint, so it must come from the README's commands.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and not Path(p, "listing-lint").exists())
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=env, timeout=900, check=False)
    failures = []
    for i, (place, cmd) in enumerate(ran):
        rc = int((work / f"{i}.rc").read_text())
        err = (work / f"{i}.err").read_text(errors="replace")
        # 0 clean, 1 findings (the examples are full of them); 2 is a usage error, 127 a missing command.
        if rc not in (0, 1) or "command not found" in err or "Traceback" in err:
            failures.append(f"{place}: `{cmd}` exited {rc}\n{err[-800:]}")
    assert not failures, "\n\n".join(failures)
    assert len(ran) >= 10, ran
    # The HTML line writes its report, and says so on stderr.
    assert (repo / "report.html").stat().st_size > 1000


# -- links -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_resolve(path: Path) -> None:
    broken = []
    for line, is_image, target in links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http(s), mailto: not fetched (no network at test time)
            assert not is_image, f"{path.name}:{line}: image {target} would load from the network"
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            broken.append(f"{path.name}:{line}: {target} -> {dest} does not exist")
            continue
        if is_image:
            assert dest.stat().st_size > 0, f"{path.name}:{line}: empty image {target}"
        if anchor and dest.suffix == ".md" and anchor not in heading_anchors(dest):
            broken.append(f"{path.name}:{line}: no heading for #{anchor} in {dest.name}")
    assert not broken, "\n".join(broken)
