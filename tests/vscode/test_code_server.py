"""A real VS Code end to end: the freshly built .vsix in code-server 4.100.3, driven in headless Chromium.

scripts/install-vscode-test-deps provides code-server (built from the npm registry), Debian's
Chromium and chromedriver, and selenium. The test builds the .vsix with `npm run package`, installs
it into a fresh extensions folder, opens a workspace whose listing has a URL, a competitor named in
listing-lint.toml and a review incentive, and checks in the browser that:
- the diagnostics appear (squiggles, the Problems panel, the extension's status bar count);
- a quick fix chosen from the Ctrl+. menu changes the editor text;
- the "listing-lint: Fix All in This File" command from the command palette removes the URL;
- after File: Save the file on disk has both fixes;
- a changed `listingLint.ignore` setting reconfigures the server (the last finding goes);
- Lint Workspace reports a listing that is not open, in the Problems panel;
- Show Rule Documentation shows `listing-lint explain` for the rule picked, as rendered Markdown;
- "Add 'Ninja' to own brands" asks first and says what it silences (Cancel changes nothing);
- an All Listings Report .txt gets live diagnostics, and Lint Workspace's total equals the Problems panel;
- the workspace's json.py, which writes a marker when imported, never runs (the server, check, rules and
  explain run Python isolated); a second test does the same with Python 3.10, which has no PYTHONSAFEPATH;
- in an untrusted workspace (Restricted Mode) the workspace's settings cannot pick what runs.
The time from double-clicking a listing to its first squiggle, with when each step happened (from the
extension's and the extension host's logs), is logged to build/vscode-timings.txt, never asserted: for
the first start after installing, for a second file, and after Reload Window.
Screenshots: build/vscode-e2e.png (the end state, a CI artifact) and build/vscode-e2e-diagnostics.png
(the findings, the Problems panel and the quick-fix menu; copied to docs/vscode-screenshot.png when
that is missing or LISTING_LINT_UPDATE_SCREENSHOT=1, so a normal run leaves the work tree clean). Every process of the code-server tree is ended by its id.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from .conftest import BUILD, ROOT, CodeServer

pytestmark = pytest.mark.vscode

T = TypeVar("T")

LISTING = """\
---
sku: VT-BL-1200
brand: Vantora
---
# Title
Vantora Countertop Blender 1200W, Six Speeds

# Bullet points
- Recipes and manuals at www.vantora.com/recipes
- Crushes ice faster than Ninja blenders.
- Leave a 5-star review and get a free gift card!
"""

CONFIG = """\
[brands]
own = ["Vantora"]
competitors = ["Ninja"]
"""

# Not opened in the editor: only Lint Workspace reports it.
CATALOG_LISTING = """\
{"sku": "VT-CH-65", "brand": "Vantora", "title": "Vantora 65W USB-C Charger",
 "bullets": ["Setup guide at vantora.com/setup"]}
"""

# Amazon's All Listings Report (tab-separated .txt): the CLI lints it, so the editor must too.
REPORT_NAME = "All Listings Report.txt"
REPORT_TXT = ("seller-sku\titem-name\titem-description\tprice\n"
              "VT-PN-01\tVantora Nonstick Pan 10 inch\tPFOA-free coating. Visit vantora dot com for care tips.\t24.99\n"
              "VT-PN-02\tVantora Nonstick Pan 12 inch\tInduction-ready base, oven safe to 450F.\t29.99\n")

# Written into the workspace as json.py: if Python ever imports it, the marker file appears.
HOSTILE_JSON_PY = """\
open({marker!r}, "w").write("the workspace's json.py ran")
raise ImportError("json.py from the workspace")
"""

SCREENSHOT = BUILD / "vscode-e2e.png"
DIAGNOSTICS_SCREENSHOT = BUILD / "vscode-e2e-diagnostics.png"
README_SCREENSHOT = ROOT / "docs" / "vscode-screenshot.png"


def wait_for(what: str, check: Callable[[], T], timeout: float = 30.0, interval: float = 0.25) -> T:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as exc:  # stale elements while the workbench re-renders
            last_error = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}"
                         + (f" (last error: {last_error})" if last_error else ""))


class Workbench:
    """The few workbench gestures the test needs, by keyboard and mouse as a person would."""

    def __init__(self, driver):
        from selenium.webdriver.common.by import By

        self.driver = driver
        self.By = By

    def css(self, selector: str):
        return self.driver.find_elements(self.By.CSS_SELECTOR, selector)

    def keys(self, *keys: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        chain = ActionChains(self.driver)
        for key in keys:
            chain.send_keys(key)
        chain.perform()

    def chord(self, modifier: str, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).key_down(modifier).send_keys(key).key_up(modifier).perform()

    def open_file(self, name: str) -> float:
        """Double-click the file in the Explorer (Enter in Quick Open does not open it in code-server).

        Return the time of the double-click (``time.time()``).
        """
        from selenium.webdriver.common.action_chains import ActionChains

        row = wait_for(f"{name} in the Explorer", lambda: [
            e for e in self.css(".explorer-folders-view .monaco-list-row")
            if (e.get_attribute("aria-label") or "").startswith(name)])[0]
        ActionChains(self.driver).double_click(row).perform()
        clicked = time.time()
        wait_for(f"an editor tab for {name}", lambda: [
            t for t in self.css(".tabs-container .tab") if name in (t.get_attribute("aria-label") or "")])
        wait_for("the editor text", lambda: name and self.editor_text().strip())
        return clicked

    def editor_text(self) -> str:
        """The visible text of the active editor (lines in DOM order; enough for a short file)."""
        lines = self.css(".editor-group-container.active .monaco-editor .view-lines .view-line")
        return "\n".join(line.text for line in lines).replace("\u00a0", " ")

    def quick_input(self):
        return wait_for("the quick input box", lambda: [
            e for e in self.css(".quick-input-widget .quick-input-box input") if e.is_displayed()])[0]

    def run_command(self, title: str, closes: bool = True) -> None:
        """Run a command from the command palette (F1) by its exact title.

        The palette ranks by fuzzy match and recent use ("File: Save" first offers "File: Compare
        Active File with Saved"), so the focus is moved to the row whose label is the title.
        """
        self.keys("\ue031")  # F1
        box = self.quick_input()
        box.send_keys(title)
        wait_for(f"'{title}' in the command palette", lambda: title in self.palette_labels())
        for _ in range(30):
            focused = [r.text for r in self.css(".quick-input-list .monaco-list-row.focused .label-name")]
            if focused and focused[0].strip() == title:
                box.send_keys("\ue007")  # Enter
                if closes:
                    wait_for("the command palette to close", lambda: not any(
                        e.is_displayed() for e in self.css(".quick-input-widget")))
                return
            box.send_keys("\ue015")  # Down
            time.sleep(0.1)
        raise AssertionError(f"could not focus '{title}' in the command palette: {self.palette_labels()}")

    def palette_labels(self) -> list[str]:
        return [e.text.strip() for e in self.css(".quick-input-list .monaco-list-row .label-name")]

    def go_to(self, line: int, column: int) -> None:
        """Put the cursor at line:column with Quick Open's ':' mode."""
        self.keys("\ue031")
        box = self.quick_input()
        box.send_keys("\ue003" * 2 + f":{line}:{column}")  # Backspace the '>' away
        time.sleep(0.3)
        box.send_keys("\ue007")
        wait_for(f"the cursor at Ln {line}, Col {column}", lambda: any(
            f"Ln {line}, Col {column}" in e.text for e in self.css(".statusbar-item")))

    def choose_action(self, label: str) -> None:
        """Move the focus in the open Ctrl+. menu to the action whose label contains ``label``; press Enter.

        The keyboard, as a person would: a click lands on the menu's pointer block in headless Chromium.
        """
        for _ in range(20):
            focused = [e.get_attribute("aria-label") or "" for e in self.css(".action-widget .monaco-list-row.focused")]
            if focused and label in focused[0]:
                self.keys("\ue007")  # Enter
                wait_for("the Ctrl+. menu to close", lambda: not self.css(".action-widget .monaco-list-row"))
                return
            self.keys("\ue015")  # Down
            time.sleep(0.1)
        raise AssertionError(f"no action '{label}' in the Ctrl+. menu")

    def webview_text(self, selector: str) -> str:
        """The text of ``selector`` inside the visible webview (a Markdown preview), or ""."""
        driver = self.driver
        try:
            for frame in self.css("iframe.webview.ready"):
                if not frame.is_displayed():
                    continue
                driver.switch_to.frame(frame)
                inner = driver.find_elements(self.By.CSS_SELECTOR, "iframe#active-frame")
                if inner:
                    driver.switch_to.frame(inner[0])
                    found = driver.find_elements(self.By.CSS_SELECTOR, selector)
                    if found and found[0].text:
                        return found[0].text
                driver.switch_to.default_content()
            return ""
        finally:
            driver.switch_to.default_content()

    def status_item(self, pattern: str) -> str:
        for item in self.css(".statusbar-item"):
            text = item.text.replace("\n", " ").strip()
            if re.search(pattern, text):
                return text
        return ""

    def finding_count(self) -> int | None:
        """The number in the extension's status bar item, or None when it shows no count."""
        text = self.status_item("listing-lint")
        if "no findings" in text:
            return 0
        m = re.search(r"listing-lint: (\d+) finding", text)
        return int(m.group(1)) if m else None

    def problems(self) -> list[str]:
        """The rows of the Problems panel: message, source(code) and position."""
        return [r.text.replace("\n", " ") for r in self.css(".markers-panel-container .monaco-list-row")]


TIMINGS = BUILD / "vscode-timings.txt"


def log_timing(line: str) -> None:
    """Print a timing (pytest -s shows it) and append it to build/vscode-timings.txt (a CI artifact)."""
    print(line)
    BUILD.mkdir(exist_ok=True)
    with TIMINGS.open("a", encoding="utf-8") as f:
        f.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")


# What happens between the double-click and the first squiggle, in order (issue 12, item 2): the name
# of each step, the log it is in, and the text of its line (None: the log's first line).
COLD_START_STEPS = [
    ("the extension host started", "remoteexthost.log", None),
    ("VS Code began activating listing-lint", "remoteexthost.log", "_doActivateExtension listing-lint.listing-lint"),
    ("listing-lint's activate() ran", "listing-lint.log", "activated;"),
    ("the server process was started", "listing-lint.log", "starting the server:"),
    ("the server answered initialize", "listing-lint.log", "server running:"),
    ("the first diagnostics reached the client", "listing-lint.log", "first diagnostics:"),
]


def cold_start_parts(server: CodeServer, clicked: float, squiggle: float, since: float = 0.0) -> list[str]:
    """Say when each step of the cold start happened, in seconds after the double-click (negative: before it).

    Only log lines from ``since`` on count (a reloaded window logs its steps again).
    """
    def step_events() -> list[tuple[float, str, str]]:
        return [(at, name, msg) for at, name, msg in server.log_events() if at >= since - 0.001]

    # The output channel reaches its file a little after the squiggle shows: wait for the last step's line.
    try:
        wait_for("the first diagnostics in the extension log",
                 lambda: any("first diagnostics:" in msg for _, _, msg in step_events()), timeout=10)
    except AssertionError:
        pass  # reported as "not in the log" below
    events = step_events()
    lines = []
    for what, log, text in COLD_START_STEPS:
        found = [(at, msg) for at, name, msg in events if name == log and (text is None or text in msg)]
        if not found:
            lines.append(f"  {'?':>7}   {what} (not in the log)")
            continue
        at, msg = found[0]
        detail = f" ({m[1]})" if (m := re.search(r"activationEvent: '([^']+)'", msg)) else ""
        lines.append(f"  {at - clicked:+6.2f} s {what}{detail}")
    lines.append(f"  {squiggle - clicked:+6.2f} s the first squiggle showed")
    return lines


def test_vsix_in_code_server(vscode_deps, vsix: Path, browser, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    listing = workspace / "blender.listing.md"
    listing.write_text(LISTING)
    (workspace / "listing-lint.toml").write_text(CONFIG)
    (workspace / "charger.listing.json").write_text(CATALOG_LISTING)
    (workspace / REPORT_NAME).write_text(REPORT_TXT)
    # A module that shadows the standard library: the server and the CLI commands must never import it.
    marker = tmp_path / "workspace-json-py-ran"
    (workspace / "json.py").write_text(HOSTILE_JSON_PY.format(marker=str(marker)))
    (tmp_path / "code-server").mkdir()
    server = CodeServer(vscode_deps["code_server"], vsix, tmp_path / "code-server", workspace)
    assert "successfully installed" in server.install_extension()
    BUILD.mkdir(exist_ok=True)
    started = time.monotonic()
    server.start()
    bench = Workbench(browser)
    try:
        browser.get(server.url)
        wait_for("the workbench", lambda: bench.css(".monaco-workbench .part.editor"), timeout=60)
        clicked = bench.open_file("blender.listing.md")

        # 1. Diagnostics: squiggles, the extension's status bar count, the Problems panel.
        wait_for("the first squiggle", lambda: bench.css(".squiggly-error"), timeout=60, interval=0.05)
        squiggle = time.time()
        wait_for("error squiggles", lambda: len(bench.css(".squiggly-error")) >= 3, timeout=60)
        # Logged, never asserted: it measures this machine (2 shared cores), not the code.
        log_timing(f"cold start: double-click on blender.listing.md -> first squiggle: {squiggle - clicked:.2f} s "
                   f"(load average {os.getloadavg()[0]:.1f}; the click came as soon as the workbench showed)")
        for line in cold_start_parts(server, clicked, squiggle):
            log_timing(line)
        for line in server.extension_log().splitlines():
            if any(k in line for k in ("server resolution", "starting the server", "server running",
                                       "first diagnostics")):
                log_timing("  extension log: " + line.strip()[:300])
        count_before = wait_for("the listing-lint status bar count", bench.finding_count, timeout=30)
        assert count_before >= 3, bench.status_item("listing-lint")
        bench.run_command("View: Focus Problems (Errors, Warnings, Infos)")
        problems = wait_for("the findings in the Problems panel", lambda: (
            (rows := bench.problems()) and all(any(code in r for r in rows) for code in ("POL001", "POL005", "POL006"))
            and rows))
        assert any("www.vantora.com/recipes" in r for r in problems), problems
        assert any("Ninja" in r for r in problems), problems

        # 2. A quick fix from the Ctrl+. menu on the review incentive (line 11).
        bench.run_command("View: Focus Active Editor Group")
        bench.go_to(11, 10)
        bench.chord("\ue009", ".")  # Ctrl+.
        wait_for("the neutral-review quick fix in the Ctrl+. menu", lambda: [
            e for e in bench.css(".action-widget .monaco-list-row.action")
            if "neutral review request" in (e.get_attribute("aria-label") or "")])
        time.sleep(0.5)  # let the menu finish its fade-in for the screenshot
        browser.save_screenshot(str(DIAGNOSTICS_SCREENSHOT))
        if not README_SCREENSHOT.exists() or os.environ.get("LISTING_LINT_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(DIAGNOSTICS_SCREENSHOT, README_SCREENSHOT)
        bench.choose_action("neutral review request")
        wait_for("the review incentive to leave the editor", lambda: "free gift card" not in bench.editor_text())

        # 2b. "Add 'Ninja' to own brands" asks first, saying what it silences; Cancel leaves the config alone.
        bench.go_to(10, 26)
        bench.chord("\ue009", ".")
        wait_for("the own-brands action", lambda: [
            e for e in bench.css(".action-widget .monaco-list-row.action")
            if "to own brands" in (e.get_attribute("aria-label") or "")])
        bench.choose_action("to own brands")
        dialog = wait_for("the confirmation dialog", lambda: [
            d for d in bench.css(".monaco-dialog-box") if d.is_displayed()])[0]
        assert "Add 'Ninja' to your own brands?" in dialog.text, dialog.text
        assert "will never flag 'Ninja' again" in dialog.text and "1 finding" in dialog.text, dialog.text
        cancel = [b for b in dialog.find_elements(bench.By.CSS_SELECTOR, ".monaco-button") if b.text == "Cancel"]
        cancel[0].click()
        wait_for("the dialog to close", lambda: not [d for d in bench.css(".monaco-dialog-box") if d.is_displayed()])
        time.sleep(1.0)  # a wrongly applied edit would land now
        assert (workspace / "listing-lint.toml").read_text() == CONFIG  # nothing added
        assert bench.problems() and any("Ninja" in r for r in bench.problems())

        # 3. Fix All in This File (source.fixAll.listing-lint) from the command palette.
        bench.run_command("listing-lint: Fix All in This File")
        wait_for("the URL to leave the editor", lambda: "www.vantora.com" not in bench.editor_text())

        # 4. Save, then check the file on disk and the findings left.
        bench.run_command("File: Save")
        # The editor truncates the file before it writes it: an empty read is a save in progress, not the result.
        saved = wait_for("the fixes on disk", lambda: (
            (text := listing.read_text()) and "www.vantora.com" not in text and "free gift card" not in text
            and text), timeout=15)
        assert "- Recipes and manuals" in saved
        assert "Ninja" in saved  # the competitor's fix is unsafe: neither fix touched it
        (count_after,) = wait_for("fewer findings in the status bar", lambda: (
            (n := bench.finding_count()) is not None and n < count_before and (n,)))
        assert count_after < count_before

        # 5. A changed setting reconfigures the running server: ignoring the competitor rule clears the rest.
        (workspace / ".vscode").mkdir()
        (workspace / ".vscode" / "settings.json").write_text('{"listingLint.ignore": ["competitor-brand"]}\n')
        wait_for("'no findings' after listingLint.ignore changed", lambda: bench.finding_count() == 0)

        # 5b. An All Listings Report .txt, opened second: linted live like the CLI lints it.
        clicked = bench.open_file(REPORT_NAME)
        wait_for("a squiggle in the .txt report", lambda: bench.css(".squiggly-error"), timeout=60, interval=0.05)
        log_timing(f"second file: double-click on {REPORT_NAME} -> first squiggle: {time.time() - clicked:.2f} s")

        # 6. Lint Workspace runs `listing-lint check` over the folder: the unopened JSON listing's URL shows,
        # and its total is what the Problems panel lists (open documents live, the others from the batch).
        bench.run_command("listing-lint: Lint Workspace")
        rows = wait_for("charger.listing.json in the Problems panel", lambda: (
            (r := bench.problems()) and any("charger.listing.json" in x for x in r) and r))
        assert any("POL001" in r and "vantora.com/setup" in r for r in rows), rows
        total = int(wait_for("the Lint Workspace total in the extension log", lambda: (
            m := re.findall(r"lint workspace: (\d+) findings", server.extension_log())) and m[-1]))
        markers = wait_for("the markers to settle", lambda: (
            (found := [r for r in bench.problems() if re.search(r"\b[A-Z]{3}\d{3}\b", r)])
            and len(found) == total and found), timeout=15)
        assert any(REPORT_NAME in r or "vantora dot com" in r for r in markers), markers

        # 7. Show Rule Documentation: pick a rule, read `listing-lint explain`.
        bench.run_command("listing-lint: Show Rule Documentation", closes=False)
        wait_for("the rule picker", lambda: any(re.match(r"[A-Z]{3}\d{3} ", label)
                                                for label in bench.palette_labels()), timeout=30)
        bench.quick_input().send_keys("external-url")
        wait_for("the picker filtered to external-url", lambda: bench.palette_labels()[:1] == ["POL001 external-url"])
        bench.quick_input().send_keys("\ue007")
        # Rendered Markdown: the preview of the rule's virtual document, with its heading as a heading.
        wait_for("the rule's Markdown preview tab", lambda: [
            t for t in bench.css(".tabs-container .tab") if "Preview external-url.md" in (t.get_attribute("aria-label") or "")])
        heading = wait_for("the rendered explanation of external-url", lambda: bench.webview_text("h1"))
        assert heading.strip() == "POL001 external-url", heading
        browser.save_screenshot(str(SCREENSHOT))
        log_timing(f"whole end-to-end run: {time.monotonic() - started:.0f} s")

        # 8. Later starts: Reload Window restarts the extension host and the server, now with the bytecode
        # cache the first start wrote and the Python the pyenv shim runs learnt. First with the click as soon
        # as the workbench shows, then with the click once the window is ready (the server started on
        # `workspaceContains:listing-lint.toml`). Logged, never asserted.
        for ready in (False, True):
            bench.run_command("View: Close All Editors")
            browser.execute_script("window.__listingLintBeforeReload = true")
            reloaded = time.time()
            bench.run_command("Developer: Reload Window", closes=False)
            wait_for("the window to reload", lambda: not browser.execute_script(
                "return window.__listingLintBeforeReload === true"), timeout=60)
            wait_for("the reloaded workbench", lambda: bench.css(".monaco-workbench .part.editor"), timeout=60)
            if ready:
                wait_for("the server started again", lambda: any(
                    at >= reloaded and "server running:" in msg for at, _, msg in server.log_events()), timeout=60)
            clicked = bench.open_file(REPORT_NAME)  # blender.listing.md has no findings left by now
            wait_for("the first squiggle after reloading", lambda: bench.css(".squiggly-error"), timeout=60,
                     interval=0.05)
            squiggle = time.time()
            when = "once the window was ready" if ready else "as soon as the workbench showed"
            log_timing(f"later start (Reload Window), click {when}: double-click on {REPORT_NAME} -> first squiggle: "
                       f"{squiggle - clicked:.2f} s (load average {os.getloadavg()[0]:.1f})")
            for line in cold_start_parts(server, clicked, squiggle, since=reloaded):
                log_timing(line)
        # The server, Lint Workspace (check), rules and explain all ran Python in the workspace folder.
        assert not marker.exists(), "the workspace's json.py was imported"
    except BaseException:
        browser.save_screenshot(str(SCREENSHOT))
        print(server.extension_log())
        print("--- code-server log\n" + server.log_file.read_text(errors="replace")[-3000:])
        raise
    finally:
        survivors = server.stop()
    assert not survivors, f"processes of the code-server tree still alive: {survivors}"
    assert "open-vsx" not in server.log_file.read_text(errors="replace"), "code-server tried to reach a gallery"


def python310() -> str | None:
    """A real Python 3.10 executable (not a version manager's shim that refuses to run it), or None."""
    candidates = [shutil.which("python3.10"), "/usr/bin/python3.10", "/usr/local/bin/python3.10",
                  *sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.10*/bin/python3.10"))]
    for exe in filter(None, candidates):
        try:
            proc = subprocess.run([exe, "-c", "import sys; print(sys.version_info[:2] == (3, 10), sys.executable)"],
                                  capture_output=True, text=True, timeout=30)
        except OSError:
            continue
        if proc.returncode == 0 and proc.stdout.startswith("True "):
            return proc.stdout.split(" ", 1)[1].strip()
    return None


def test_workspace_code_never_runs(vscode_deps, vsix: Path, browser, tmp_path: Path) -> None:
    """Issue 14, item 7: on Python 3.10 (no PYTHONSAFEPATH) a workspace's json.py is never imported.

    The interpreter is Python 3.10, set in the machine's settings (listingLint.interpreter is `machine`
    scoped), so the client probes it and then starts the bundled server with it. The workspace holds a
    json.py that writes a marker, and its .vscode/settings.json points listingLint.path at an
    executable that writes another: a workspace may set neither. Diagnostics must still arrive.
    """
    exe = python310()
    if exe is None:
        pytest.skip("no Python 3.10 on this machine: the isolated-mode start is tested with the default Python only")
    workspace = tmp_path / "workspace"
    (workspace / ".vscode").mkdir(parents=True)
    (workspace / "blender.listing.md").write_text(LISTING)
    (workspace / "listing-lint.toml").write_text(CONFIG)
    json_marker = tmp_path / "workspace-json-py-ran"
    (workspace / "json.py").write_text(HOSTILE_JSON_PY.format(marker=str(json_marker)))
    path_marker = tmp_path / "workspace-listing-lint-path-ran"
    hostile = workspace / "tools" / "listing-lint"
    hostile.parent.mkdir()
    hostile.write_text(f"#!/bin/sh\necho ran > '{path_marker}'\nexit 1\n")
    hostile.chmod(0o755)
    (workspace / ".vscode" / "settings.json").write_text(json.dumps({"listingLint.path": [str(hostile)]}))
    (tmp_path / "code-server").mkdir()
    server = CodeServer(vscode_deps["code_server"], vsix, tmp_path / "code-server", workspace,
                        machine_settings={"listingLint.interpreter": [exe]})
    assert "successfully installed" in server.install_extension()
    server.start()
    bench = Workbench(browser)
    try:
        browser.get(server.url)
        wait_for("the workbench", lambda: bench.css(".monaco-workbench .part.editor"), timeout=60)
        clicked = bench.open_file("blender.listing.md")
        wait_for("the first squiggle", lambda: bench.css(".squiggly-error"), timeout=90, interval=0.05)
        squiggle = time.time()
        log_timing(f"Python 3.10 (probed, listingLint.interpreter): double-click -> first squiggle: "
                   f"{squiggle - clicked:.2f} s (load average {os.getloadavg()[0]:.1f})")
        for line in cold_start_parts(server, clicked, squiggle):
            log_timing(line)
        log = wait_for("the server start in the extension log", lambda: (
            (text := server.extension_log()) and "server running" in text and text))
        assert re.search(r"starting the server: \S+ -I -X utf8 \S+launch\.py --libs \S+ server \[\S+ \(Python 3\.10\.",
                         log), log
        assert "listingLint.interpreter" in log, log
        bench.run_command("listing-lint: Lint Workspace")  # `check` runs in the workspace folder too
        wait_for("the Lint Workspace total in the extension log",
                 lambda: re.search(r"lint workspace: \d+ findings", server.extension_log()))
    except BaseException:
        browser.save_screenshot(str(BUILD / "vscode-e2e-python310.png"))
        print(server.extension_log())
        print("--- code-server log\n" + server.log_file.read_text(errors="replace")[-3000:])
        raise
    finally:
        survivors = server.stop()
    assert not survivors, f"processes of the code-server tree still alive: {survivors}"
    assert not json_marker.exists(), "the workspace's json.py was imported"
    assert not path_marker.exists(), "the workspace's listingLint.path was run"


def test_restricted_mode_ignores_workspace_settings_that_pick_what_runs(vscode_deps, vsix: Path, browser,
                                                                        tmp_path: Path) -> None:
    """Issue 14, item 7: an untrusted workspace cannot choose what runs, and still gets diagnostics.

    The workspace is opened untrusted (Restricted Mode). Its .vscode/settings.json asks for
    importStrategy fromEnvironment (the default python3 has no listing-lint installed, so honouring it
    would leave the user with an error and no diagnostics) and names a listingLint.path and
    listingLint.interpreter that write a marker. The extension must run the bundled server anyway.
    """
    workspace = tmp_path / "workspace"
    (workspace / ".vscode").mkdir(parents=True)
    (workspace / "blender.listing.md").write_text(LISTING)
    (workspace / "listing-lint.toml").write_text(CONFIG)
    marker = tmp_path / "workspace-executable-ran"
    hostile = workspace / "tools" / "python3"
    hostile.parent.mkdir()
    hostile.write_text(f"#!/bin/sh\necho ran > '{marker}'\nexit 1\n")
    hostile.chmod(0o755)
    (workspace / ".vscode" / "settings.json").write_text(json.dumps({
        "listingLint.importStrategy": "fromEnvironment",
        "listingLint.path": [str(hostile)],
        "listingLint.interpreter": [str(hostile)],
    }))
    (tmp_path / "code-server").mkdir()
    server = CodeServer(vscode_deps["code_server"], vsix, tmp_path / "code-server", workspace, restricted=True)
    assert "successfully installed" in server.install_extension()
    server.start()
    bench = Workbench(browser)
    try:
        browser.get(server.url)
        wait_for("the workbench", lambda: bench.css(".monaco-workbench .part.editor"), timeout=60)
        wait_for("the Restricted Mode indicator", lambda: bench.status_item("Restricted Mode"), timeout=60)
        bench.open_file("blender.listing.md")
        wait_for("the first squiggle in Restricted Mode", lambda: bench.css(".squiggly-error"), timeout=90)
        log = wait_for("the server start in the extension log", lambda: (
            (text := server.extension_log()) and "server running" in text and text))
        assert "bundled listing-lint" in log and "--libs" in log, log
        assert "fromEnvironment" not in log and "from the environment" not in log, log
    except BaseException:
        browser.save_screenshot(str(BUILD / "vscode-e2e-restricted.png"))
        print(server.extension_log())
        print("--- code-server log\n" + server.log_file.read_text(errors="replace")[-3000:])
        raise
    finally:
        survivors = server.stop()
    assert not survivors, f"processes of the code-server tree still alive: {survivors}"
    assert not marker.exists(), "an executable named by the untrusted workspace ran"
