"""Security (issue 6): no network use, no code run from the workspace, and config paths that stay inside it.

The network tests run the CLI and a short language-server session with the network blocked and every
attempt recorded (tests/netblock), then check that nothing was attempted. The whole suite can run the same
way: ``LISTING_LINT_BLOCK_NETWORK=1 pytest`` (see the README).
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Optional

import pytest

from conftest import EXAMPLES, NETBLOCK
from listing_lint.config import load_config
from listing_lint.engine.spec import SpecError

sys.path.insert(0, str(NETBLOCK))
import listing_lint_netblock  # noqa: E402

LISTING = "# Title\nVantora Kettle, see www.vantora.com\n\n# Bullets\n- Email help@vantora.com\n"


def cli(*args: str, cwd: Path, env: Optional[dict[str, str]] = None,
        prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "listing_lint", *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)


def blocked(log: Path) -> dict[str, str]:
    return listing_lint_netblock.child_env(dict(os.environ), str(log))


def attempts(log: Path) -> str:
    return log.read_text(encoding="utf-8") if log.exists() else ""


# -- a minimal LSP client over stdio (independent of the e2e harness) ------------------------------------------


class StdioSession:
    """Start ``python -m listing_lint server`` and speak JSON-RPC to it over its standard streams."""

    def __init__(self, cwd: Path, env: dict[str, str]):
        self.proc = subprocess.Popen([sys.executable, "-m", "listing_lint", "server"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue[Optional[dict[str, Any]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def wait_for(self, match, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if message is None:
                assert self.proc.stderr is not None
                raise AssertionError(f"the server exited: {self.proc.stderr.read().decode()[-2000:]}")
            if "id" in message and "method" in message:  # a request from the server: answer it plainly
                self.send({"id": message["id"], "result": None})
            if match(message):
                return message

    def run(self, root: Path, document: Path) -> list[dict[str, Any]]:
        """Initialize, open ``document``, wait for its diagnostics, shut down; return the diagnostics."""
        self.send({"id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {},
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}]}})
        self.wait_for(lambda m: m.get("id") == 1)
        self.send({"method": "initialized", "params": {}})
        uri = document.as_uri()
        self.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": document.read_text(encoding="utf-8")}}})
        published = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                  and m["params"]["uri"] == uri)
        self.send({"id": 2, "method": "shutdown"})
        self.wait_for(lambda m: m.get("id") == 2)
        self.send({"method": "exit"})
        assert self.proc.wait(timeout=30) == 0
        return published["params"]["diagnostics"]


# -- no network ------------------------------------------------------------------------------------------------


def test_the_network_block_catches_and_records_every_kind_of_attempt(tmp_path):
    """The check below is only worth something if the block really sees network use: prove it does."""
    log = tmp_path / "network.log"
    code = """
import asyncio, socket, _socket
a, b = socket.socketpair()  # Unix sockets stay allowed: asyncio needs them
asyncio.run(asyncio.sleep(0))
tries = [
    lambda: socket.create_connection(("192.0.2.1", 80), timeout=1),
    lambda: socket.getaddrinfo("example.com", 443),
    lambda: socket.gethostbyname("example.com"),
    lambda: _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM),
    lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM),
    lambda: __import__("urllib.request").request.urlopen("http://example.com", timeout=1),
]
for attempt in tries:
    try:
        attempt()
    except OSError as exc:
        assert "blocked by LISTING_LINT_BLOCK_NETWORK" in str(exc), exc
    else:
        raise SystemExit("not blocked")
"""
    proc = subprocess.run([sys.executable, "-c", code], env=blocked(log), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    recorded = attempts(log)
    for event in ("socket.getaddrinfo ('192.0.2.1', 80", "socket.getaddrinfo ('example.com', 443",
                  "socket.gethostbyname ('example.com',)", "socket.__new__"):
        assert event in recorded
    assert len(recorded.splitlines()) >= 6

    # The suite-wide switch (LISTING_LINT_BLOCK_NETWORK=1) lets local harnesses use loopback, nothing else.
    loopback = """
import socket
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
socket.create_connection(server.getsockname(), timeout=5).close()
socket.getaddrinfo("localhost", 80)
for host in ("192.0.2.1", "example.com"):
    try:
        socket.create_connection((host, 80), timeout=1)
    except PermissionError:
        pass
    else:
        raise SystemExit(f"{host} not blocked")
"""
    env = {**blocked(log), "LISTING_LINT_BLOCK_NETWORK": "1"}
    proc = subprocess.run([sys.executable, "-c", loopback], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_cli_makes_no_network_attempt(tmp_path):
    log = tmp_path / "network.log"
    env = blocked(log)
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work)
    checked = cli("check", "--format", "json", ".", cwd=work, env=env)
    assert checked.returncode == 1 and json.loads(checked.stdout), checked.stderr
    fixed = cli("check", "--fix", "--unsafe-fixes", "--format", "sarif", ".", cwd=work, env=env)
    assert "Fixed" not in fixed.stderr and json.loads(fixed.stdout)["version"] == "2.1.0", fixed.stderr
    assert cli("rules", "--format", "json", cwd=work, env=env).returncode == 0
    assert cli("explain", "external-url", cwd=work, env=env).returncode == 0
    stdin = subprocess.run([sys.executable, "-m", "listing_lint", "check", "-", "--stdin-filename", "x.listing.md"],
                           input=LISTING, text=True, capture_output=True, cwd=work, env=env, timeout=60)
    assert "POL001" in stdin.stdout
    assert attempts(log) == ""


def test_language_server_session_makes_no_network_attempt(tmp_path):
    log = tmp_path / "network.log"
    (tmp_path / "listing-lint.toml").write_text('[rules]\nselect = ["policy"]\n', encoding="utf-8")
    document = tmp_path / "a.listing.md"
    document.write_text(LISTING, encoding="utf-8")
    diagnostics = StdioSession(tmp_path, blocked(log)).run(tmp_path, document)
    assert {d["code"] for d in diagnostics} == {"POL001", "POL002"}
    assert attempts(log) == ""


def test_cli_works_with_no_network_at_all(tmp_path):
    """In a fresh network namespace there is no interface, not even loopback: the kernel refuses everything."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, text=True) \
        if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0:
        pytest.skip("cannot create a network namespace here (unshare -rn): "
                    + (probe.stderr.strip() if probe is not None else "no unshare"))
    (tmp_path / "a.listing.md").write_text(LISTING, encoding="utf-8")
    result = cli("check", "--format", "concise", "a.listing.md", cwd=tmp_path, prefix=("unshare", "-rn"))
    assert result.returncode == 1, result.stderr
    assert "a.listing.md:2:21: POL001" in result.stdout and "a.listing.md:5:9: POL002" in result.stdout


# -- no code from the workspace ----------------------------------------------------------------------------

MARK = "import pathlib; pathlib.Path(__file__).with_name('RAN-' + pathlib.Path(__file__).stem).write_text('x')\n"
EVIL_PACK = '''name = "mine"

[[rules]]
id = "USR001"
name = "python-looking"
kind = "existence"
fields = ["title"]
severity = "warning"
message = "'{match}' {match.__class__.__init__.__globals__} {0.__class__} %(x)s ${HOME} !!python/object/apply:os.system"
rationale = "__import__('os').system('touch PWNED') and !!python/object/apply:os.system ['touch PWNED']"
policy = "https://example.com/policy"
patterns = ["__import__\\\\('os'\\\\)", "eval\\\\([^ ]*\\\\)"]

[rules.fix]
kind = "replace"
title = "Replace '{match.__class__}'"
applicability = "safe"
template = "{match.__class__}{1}{__import__}"

[[rules.examples]]
bad = "__import__('os')"
fixed = "{match.__class__}{__import__}"

[[rules.examples]]
good = "import os"
'''


def test_configs_and_rule_packs_are_data_never_code(tmp_path):
    """Python, format strings, YAML tags and pickles in a workspace are read as text or refused, never run."""
    ws = tmp_path / "ws"
    ws.mkdir()
    # Modules a careless `python -m listing_lint` would import from the current folder, hooks Python runs
    # at start-up, and files named like rule packs or configs that are really code.
    for name in ("attrs", "regex", "cattrs", "json", "tomllib", "difflib", "fnmatch", "sitecustomize",
                 "usercustomize", "conftest", "setup", "listing_lint_plugin"):
        (ws / f"{name}.py").write_text(MARK, encoding="utf-8")
    (ws / "rules").mkdir()
    (ws / "rules" / "__init__.py").write_text(MARK, encoding="utf-8")
    (ws / "rules" / "rule.py").write_text(MARK, encoding="utf-8")
    (ws / "my-rules.toml").write_text(EVIL_PACK, encoding="utf-8")
    (ws / "listing-lint.toml").write_text(
        'rule-packs = ["my-rules.toml"]\n[rules]\nselect = ["python-looking"]\n', encoding="utf-8")
    (ws / "a.listing.md").write_text("# Title\nKettle eval(open('x').read()) __import__('os')\n", encoding="utf-8")

    result = cli("check", "--format", "json", "--no-cache", ".", cwd=ws)
    assert sorted(p.name for p in ws.glob("RAN-*")) == [], result.stderr[-2000:]
    findings = json.loads(result.stdout)
    assert [f["message"] for f in findings] == [
        "'eval(open('x').read())' {match.__class__.__init__.__globals__} {0.__class__} %(x)s ${HOME} "
        "!!python/object/apply:os.system",
        "'__import__('os')' {match.__class__.__init__.__globals__} {0.__class__} %(x)s ${HOME} "
        "!!python/object/apply:os.system"]
    diagnostics = StdioSession(ws, dict(os.environ)).run(ws, ws / "a.listing.md")
    assert len(diagnostics) == 2  # the server, started in the workspace, read the same pack
    fixed = cli("check", "--fix", "--no-cache", "a.listing.md", cwd=ws)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (ws / "a.listing.md").read_text(encoding="utf-8") == (
        "# Title\nKettle {match.__class__}{__import__} {match.__class__}{__import__}\n")

    # A pickle, a Python file and a YAML document given as the config or as rule packs are refused as
    # malformed TOML, never loaded any other way.
    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {ws / 'RAN-pickle'}",))

    (ws / "evil.pkl").write_bytes(pickle.dumps(Payload()))
    (ws / "evil.yaml").write_text("!!python/object/apply:os.system ['touch RAN-yaml']\n", encoding="utf-8")
    for packs, expected in ((["evil.pkl"], "evil.pkl"), (["rules/rule.py"], "rule.py:1: not valid TOML"),
                            (["evil.yaml"], "evil.yaml:1: not valid TOML")):
        (ws / "listing-lint.toml").write_text(f"rule-packs = {json.dumps(packs)}\n", encoding="utf-8")
        refused = cli("check", "--no-cache", ".", cwd=ws)
        assert refused.returncode == 2 and expected in refused.stderr, refused.stderr
    (ws / "listing-lint.toml").write_bytes(pickle.dumps(Payload()))
    refused = cli("check", "--no-cache", ".", cwd=ws)
    assert refused.returncode == 2 and "listing-lint.toml" in refused.stderr
    assert sorted(p.name for p in ws.glob("RAN-*")) == []


# -- config paths stay inside the project ------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder, a folder beside it, and symlinks from the one to the other."""
    outside = tmp_path / "outside"
    (outside / "packs").mkdir(parents=True)
    (outside / "brands.txt").write_text("Anker\n", encoding="utf-8")
    (outside / "packs" / "rules.toml").write_text(EVIL_PACK, encoding="utf-8")
    (outside / "rules.toml").write_text(EVIL_PACK, encoding="utf-8")
    project = tmp_path / "project"
    (project / "inner").mkdir(parents=True)
    (project / "brands.txt").write_text("Yeti\n", encoding="utf-8")
    (project / "linked-brands.txt").symlink_to(outside / "brands.txt")
    (project / "linked-packs").symlink_to(outside / "packs")
    (project / "inner" / "rules.toml").write_text(EVIL_PACK, encoding="utf-8")
    return project


@pytest.mark.parametrize("key", ["brands.competitors-files", "rule-packs"])
@pytest.mark.parametrize("value", [
    "../outside/brands.txt", "inner/../../outside/rules.toml", "{outside}/brands.txt", "linked-brands.txt",
    "linked-packs/rules.toml", "linked-packs",
])
def test_config_paths_cannot_leave_the_project_folder(project, key, value):
    value = value.format(outside=project.parent / "outside")
    table, _, name = key.rpartition(".")
    body = (f"[{table}]\n" if table else "") + f"{name} = [{json.dumps(value)}]\n"
    for config in (project / "listing-lint.toml", project / "pyproject.toml"):
        text = body if config.name == "listing-lint.toml" else body.replace(
            f"[{table}]", f"[tool.listing-lint.{table}]") if table else f"[tool.listing-lint]\n{body}"
        config.write_text(text, encoding="utf-8")
        with pytest.raises(SpecError, match="points outside the project folder") as caught:
            load_config(config)
        assert caught.value.line == text.splitlines().index(f"{name} = [{json.dumps(value)}]") + 1
        assert caught.value.key == key and caught.value.path == str(config)
        config.unlink()


def test_inside_paths_load_and_the_command_line_may_name_a_config_elsewhere(project):
    (project / "listing-lint.toml").write_text(
        '[brands]\ncompetitors-files = ["brands.txt"]\n[rules]\nselect = ["competitor-brand"]\n', encoding="utf-8")
    assert load_config(project / "listing-lint.toml").competitors == ("Yeti",)
    outside = project.parent / "outside"
    (outside / "listing-lint.toml").write_text(
        'rule-packs = ["rules.toml"]\n[brands]\ncompetitors-files = ["brands.txt"]\n'
        '[rules]\nselect = ["competitor-brand", "python-looking"]\n', encoding="utf-8")
    (project / "a.listing.md").write_text("# Title\nKettle for Anker and Yeti users\n", encoding="utf-8")
    given = cli("check", "--config", str(outside / "listing-lint.toml"), "--format", "json", "--no-cache",
                "a.listing.md", cwd=project)
    assert given.returncode == 0 or given.returncode == 1, given.stderr
    assert {f["message"].split("'")[1] for f in json.loads(given.stdout)} == {"Anker"}
    # The config given on the command line is itself held to its own folder.
    (outside / "listing-lint.toml").write_text('rule-packs = ["../project/inner/rules.toml"]\n', encoding="utf-8")
    refused = cli("check", "--config", str(outside / "listing-lint.toml"), "--no-cache", "a.listing.md",
                  cwd=project)
    assert refused.returncode == 2 and "points outside the project folder" in refused.stderr
