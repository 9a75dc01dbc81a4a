"""Browser-test fixtures: a real ``jupyter lab`` server and Debian's chromium driven by Playwright.

Run this directory on its own, so that the pytest-jupyter plugin that ``tests/conftest.py``
loads stays out (its event loop breaks Playwright's teardown)::

    .venv/bin/python -m pytest tests/ui --confcutdir=tests/ui -p no:cacheprovider

The Lab under test is the one installed in the running interpreter's environment, with the
agilab-lab server extension and labextension (``pip install -e .`` then
``jupyter-builder develop --overwrite .``). Nothing is downloaded: Playwright drives the
system chromium.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("AGILAB_LAB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
SERVER_START_TIMEOUT_S = 90
LAB_READY_TIMEOUT_MS = 60_000


@dataclass
class LabServer:
    """A running Lab: where it listens, how to authenticate, where its files live."""

    url: str  # base URL, ending in "/"
    token: str
    root_dir: Path
    log_path: Path
    # The login cookie keeps one identity across calls: a token-only request is a new
    # anonymous user each time, and agilab-lab scopes runs and projects per user.
    _opener: urllib.request.OpenerDirector = field(
        default_factory=lambda: urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    )

    def api(self, path: str, method: str = "GET", body: dict | None = None) -> tuple[int, object]:
        """Call the server with the token header and this client's login cookie.

        Returns (status, decoded JSON or text)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with self._opener.open(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, raw.decode(errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(server: LabServer, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited early:\n{server.log_path.read_text()[-4000:]}")
        try:
            if server.api("api/status")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"jupyter lab did not answer /api/status:\n{server.log_path.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    """``jupyter lab`` on a free loopback port with a random token and a temporary home."""
    base = tmp_path_factory.mktemp("lab")
    root_dir, home, settings_dir, workspaces = (base / n for n in ("root", "home", "settings", "workspaces"))
    for path in (root_dir, home, settings_dir, workspaces):
        path.mkdir()
    # Answer Lab's "fetch Jupyter news?" question up front: no popup, no outside request.
    notification = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "AGILAB_LAB_HOME": str(home),
        "AGILAB_LAB_PROVIDER": "offline",
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
    }
    env.pop("ANTHROPIC_API_KEY", None)
    server = LabServer(f"http://127.0.0.1:{port}/", token, root_dir, base / "lab.log")
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root_dir}",
        # Theme changes made by the tests must not reach the developer's own settings.
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={workspaces}",
    ]
    with server.log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser():
    for stale in SCREENSHOTS.glob("FAILED-*.png"):
        stale.unlink()
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@dataclass
class LabPage:
    """A browser tab on the Lab, with every console error and page error it produced."""

    page: object
    server: LabServer
    errors: list[str] = field(default_factory=list)

    def open(self, reset: bool = True) -> None:
        # ?reset starts from the default layout: the workspace is shared by every test of the
        # session, and a restored sidebar must not steal focus from what a test is doing.
        # reset=False reloads with the saved layout (what the layout restorer brings back).
        query = "reset&" if reset else ""
        self.page.goto(f"{self.server.url}lab?{query}token={self.server.token}")
        self.page.wait_for_selector("#jp-main-dock-panel", timeout=LAB_READY_TIMEOUT_MS)
        self.page.wait_for_selector("#jupyterlab-splash", state="detached", timeout=LAB_READY_TIMEOUT_MS)
        if reset:
            # The default layout ends by opening a Launcher, which takes the focus (and would
            # close a command palette opened before it).
            self.page.wait_for_selector(".jp-Launcher", timeout=LAB_READY_TIMEOUT_MS)

    def open_palette(self, query: str, attempts: int = 3) -> None:
        """Open the command palette and type ``query``, reopening it if a late focus change closed it."""
        for attempt in range(attempts):
            self.page.keyboard.press("Control+Shift+C")
            try:
                self.page.wait_for_selector(
                    "#command-palette .lm-CommandPalette-input", state="visible", timeout=5000
                )
                self.page.fill("#command-palette .lm-CommandPalette-input", query, timeout=5000)
                return
            except Exception:
                if attempt == attempts - 1:
                    raise

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def lab_page(request, browser, lab_server) -> LabPage:
    """A fresh browser context (no shared cookies or storage) with Lab loaded.

    A failing test leaves ``screenshots/FAILED-<test>.png`` and its console errors behind."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    lab = LabPage(page, lab_server)
    page.on("console", lambda msg: lab.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: lab.errors.append(f"page error: {exc}"))
    lab.open()
    try:
        yield lab
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            lab.screenshot(f"FAILED-{request.node.name}")
            print("console errors:", lab.errors)
    finally:
        context.close()
