"""Fixtures for the VS Code client tests: the test dependencies, the built .vsix, code-server, Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from processes import kill_tree, quit_driver

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "vscode-client"
BUILD = ROOT / "build"
INSTALL = ROOT / "scripts" / "install-vscode-test-deps"
OUTSIDE = 3  # install-vscode-test-deps: something outside the project failed (a registry is unreachable)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "vscode: the VS Code client (npm unit tests, real code-server end to end)")


def run(cmd: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command, failing the test with its output when it fails."""
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} exited {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}\n"
                    f"--- stderr\n{proc.stderr[-4000:]}", pytrace=False)
    return proc


@pytest.fixture(scope="session")
def vscode_deps() -> dict[str, str]:
    """Install (or find) code-server, Chromium, chromedriver and selenium; skip only for outside causes."""
    proc = subprocess.run(["bash", str(INSTALL)], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    if proc.returncode == OUTSIDE:
        reason = next((line.split("SKIP-REASON:", 1)[1].strip() for line in proc.stdout.splitlines()
                       if "SKIP-REASON:" in line), proc.stdout.strip()[-500:])
        pytest.skip(f"VS Code test dependencies could not be installed: {reason}")
    if proc.returncode != 0:
        pytest.fail(f"scripts/install-vscode-test-deps failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n"
                    f"{proc.stderr[-3000:]}", pytrace=False)
    code_server = subprocess.run(["bash", str(INSTALL), "--print-bin"], capture_output=True, text=True,
                                 check=True).stdout.strip()
    return {"code_server": code_server, "chromium": "/usr/bin/chromium", "chromedriver": "/usr/bin/chromedriver"}


def npm_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(npm_config_audit="false", npm_config_fund="false", npm_config_update_notifier="false",
               npm_config_loglevel="error")
    return env


@pytest.fixture(scope="session")
def client_node_modules() -> Path:
    """Install the client's npm dependencies from its lock file (skipped when they are current)."""
    if shutil.which("npm") is None:
        pytest.fail("npm is not on PATH (Node.js 20 and npm are needed to build the VS Code client)", pytrace=False)
    lock = CLIENT / "package-lock.json"
    installed = CLIENT / "node_modules" / ".package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        proc = subprocess.run(["npm", "ci"], cwd=CLIENT, capture_output=True, text=True, timeout=600, env=npm_env())
        if proc.returncode != 0:
            ping = subprocess.run(["npm", "ping"], capture_output=True, text=True, timeout=60, env=npm_env())
            if ping.returncode != 0:
                pytest.skip(f"the npm registry is unreachable (npm ping: {ping.stderr.strip()[-300:]}); "
                            "cannot install the VS Code client's dependencies")
            pytest.fail(f"npm ci failed in vscode-client:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}",
                        pytrace=False)
    return CLIENT / "node_modules"


@pytest.fixture(scope="session")
def vsix(client_node_modules: Path) -> Path:
    """Build the .vsix with the one documented command: npm run package."""
    for old in BUILD.glob("listing-lint-*.vsix"):
        old.unlink()
    run(["npm", "run", "package"], CLIENT, timeout=900, env=npm_env())
    built = sorted(BUILD.glob("listing-lint-*.vsix"), key=lambda p: p.stat().st_mtime)
    assert built, "npm run package made no build/listing-lint-*.vsix"
    return built[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CodeServer:
    """A running code-server with a fresh extensions folder, user data and settings."""

    def __init__(self, binary: str, vsix: Path, base: Path, workspace: Path, machine_settings: dict | None = None,
                 restricted: bool = False):
        """Prepare code-server; ``restricted`` opens the workspace untrusted, in Restricted Mode, without asking."""
        self.base = base
        self.workspace = workspace
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/?folder={workspace}"
        self.extensions = base / "extensions"
        self.user_data = base / "user-data"
        self.log_file = base / "code-server.log"
        (self.user_data / "User").mkdir(parents=True)
        self.extensions.mkdir()
        (self.user_data / "User" / "settings.json").write_text(json.dumps({
            "workbench.startupEditor": "none",
            "security.workspace.trust.enabled": restricted,
            "security.workspace.trust.startupPrompt": "never",
            "workbench.tips.enabled": False,
            "telemetry.telemetryLevel": "off",
            "extensions.ignoreRecommendations": True,
            "extensions.autoCheckUpdates": False,
            "extensions.autoUpdate": False,
            "update.mode": "none",
            "workbench.enableExperiments": False,
            "editor.minimap.enabled": False,
            "window.commandCenter": False,
            "chat.commandCenter.enabled": False,
            "workbench.colorTheme": "Default Light Modern",
        }, indent=2))
        if machine_settings:
            # Settings of `machine` scope (listingLint.path, .interpreter): code-server's window is a remote
            # one, which reads them from the remote machine's settings, not from the User settings above.
            (self.user_data / "Machine").mkdir()
            (self.user_data / "Machine" / "settings.json").write_text(json.dumps(machine_settings, indent=2))
        config = base / "config.yaml"
        config.write_text(f"bind-addr: 127.0.0.1:{self.port}\nauth: none\ncert: false\n")
        # No extension gallery ('{}' has no serviceUrl): the test reaches nothing beyond 127.0.0.1.
        self.env = dict(os.environ, XDG_CONFIG_HOME=str(base / "xdg-config"), XDG_DATA_HOME=str(base / "xdg-data"),
                        EXTENSIONS_GALLERY="{}")
        self.env.pop("VSCODE_IPC_HOOK_CLI", None)
        # The extension must keep workspace code out of Python by itself (isolated mode): the test's own
        # environment must not do it for it.
        self.env.pop("PYTHONSAFEPATH", None)
        self.common = [binary, "--user-data-dir", str(self.user_data), "--extensions-dir", str(self.extensions)]
        self.args = [*self.common, "--config", str(config), "--disable-telemetry", "--disable-update-check",
                     *([] if restricted else ["--disable-workspace-trust"]), "--disable-getting-started-override",
                     str(workspace)]
        self.vsix = vsix
        self.proc: subprocess.Popen | None = None

    def install_extension(self) -> str:
        proc = run(["node", *self.common, "--install-extension", str(self.vsix)], self.base, timeout=120, env=self.env)
        return proc.stdout

    def start(self) -> None:
        self.proc = subprocess.Popen(["node", *self.args], cwd=self.base, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=self.log_file.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"code-server exited {self.proc.returncode}:\n{self.log_file.read_text()[-3000:]}",
                            pytrace=False)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"code-server did not answer on port {self.port}:\n{self.log_file.read_text()[-3000:]}",
                    pytrace=False)

    def extension_log(self) -> str:
        """The extension's LogOutputChannel file, and the extension host's log, for failure reports."""
        parts = []
        for pattern in ("logs/*/exthost*/listing-lint.listing-lint/*.log", "logs/*/exthost*/remoteexthost.log"):
            for path in sorted(self.user_data.glob(pattern)):
                parts.append(f"--- {path.relative_to(self.user_data)}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts) or "(no extension log)"

    def log_events(self) -> list[tuple[float, str, str]]:
        """(epoch seconds, log name, message) of every line of the extension's and the extension host's logs."""
        stamp = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3}) \[\w+\] (.*)$")
        events = []
        for pattern in ("logs/*/exthost*/listing-lint.listing-lint/*.log", "logs/*/exthost*/remoteexthost.log"):
            for path in sorted(self.user_data.glob(pattern)):
                for line in path.read_text(errors="replace").splitlines():
                    if m := stamp.match(line):
                        at = time.mktime(time.strptime(m[1], "%Y-%m-%d %H:%M:%S")) + int(m[2]) / 1000
                        events.append((at, path.name, m[3]))
        return sorted(events)

    def stop(self) -> list[int]:
        return kill_tree(self.proc) if self.proc is not None else []


@pytest.fixture
def browser(vscode_deps: dict[str, str]) -> Iterator[object]:
    """Headless Debian Chromium through Debian's chromedriver (Selenium never downloads a driver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = vscode_deps["chromium"]
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,800"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(vscode_deps["chromedriver"]), options=options)
    try:
        yield driver
    finally:
        quit_driver(driver)
