"""Browser tests: the real app served on a free local port, driven by Debian's headless Chromium
through Playwright. The server's database is built by the migrations and the demo seed, once per session.

In CI (CI=true) a missing browser is an error, never a skip."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DEMO_PASSWORD = "Demo-2026!"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server():
    """The app under test, in a subprocess on a free port, on its own SQLite database with the demo data."""
    with running_app() as app:
        yield app.url


@dataclass
class RunningApp:
    url: str
    #: the server's instance directory (its SQLite database is e2e.db there)
    instance: Path
    #: where the app's clock started, when it was shifted
    clock_at: datetime | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.instance}/e2e.db"


@contextmanager
def running_app(clock_at: datetime | None = None):
    """Set up (migrations, content, demo seed) and serve the app; with `clock_at`, every command and the
    server run with the app's clock starting at that instant (see shifted_clock.py)."""
    instance = tempfile.mkdtemp(prefix="leadgoose-e2e-")
    env = {**os.environ, "INSTANCE_PATH": instance, "SECRET_KEY": "e2e-secret", "DATABASE_URL": f"sqlite:///{instance}/e2e.db",
           "LOGIN_RATE_LIMIT": "1000 per minute", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    if clock_at is None:
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    else:
        flask = [sys.executable, str(Path(__file__).with_name("shifted_clock.py")), clock_at.isoformat()]
    for step in (["db", "upgrade"], *E2E_SETUP_COMMANDS, ["seed", "demo"]):
        subprocess.run(flask + step, cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    # The server's log goes to a file: an unread pipe fills after a few hundred requests and blocks it.
    log = open(Path(instance) / "server.log", "w+b")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(flask + ["run", "--port", str(port), "--no-reload"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/healthz", server, log)
        yield RunningApp(url, Path(instance), clock_at)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        shutil.rmtree(instance, ignore_errors=True)


#: Extra `flask` commands to run before the demo seed (content loading); domains append theirs.
E2E_SETUP_COMMANDS: list[list[str]] = []
if (ROOT / "app" / "courses" / "cli.py").exists():
    E2E_SETUP_COMMANDS.append(["courses", "sync"])
if (ROOT / "app" / "questions" / "cli.py").exists():
    E2E_SETUP_COMMANDS.append(["questions", "import", "question_bank"])
if (ROOT / "app" / "plans" / "cli.py").exists():
    E2E_SETUP_COMMANDS.append(["plans", "sync"])


def _wait_for(url: str, server: subprocess.Popen, log) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError("the app server exited: " + log.read().decode(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the app server did not answer at {url}")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required for the browser tests in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def new_page(browser, viewport=DESKTOP, locale="zh-CN"):
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a loaded CI machine can take seconds on a write
    return page


@pytest.fixture(params=["desktop", "phone"])
def page(request, browser):
    """A fresh browser page at desktop and at phone width."""
    page = new_page(browser, DESKTOP if request.param == "desktop" else PHONE)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    page.context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


def sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(base_url + "/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.locator("form[action='/logout'] button").click()
    page.wait_for_load_state()


def assert_no_horizontal_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {page.viewport_size}"


def assert_accessible(page, impacts=("serious", "critical")) -> None:
    """Run axe-core (bundled with axe-playwright-python, no download) on the page; fail on serious issues."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in impacts]
    summary = [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})" for v in violations]
    assert not violations, f"accessibility problems on {page.url}: {summary}"


def score_drill_in_full(page, comment: str) -> None:
    """On an assessor's scoring page: every rubric criterion at its maximum, with a comment; save."""
    criteria = page.locator("fieldset.criterion")
    for index in range(criteria.count()):
        box = criteria.nth(index)
        box.locator("input[type=number]").fill(box.locator("input[type=number]").get_attribute("max"))
        box.locator("textarea").fill(comment)
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_load_state()
    assert page.get_by_text("评分已保存").is_visible()
