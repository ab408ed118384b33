"""A live server on a temporary SQLite file and a real headless Chromium driven by Playwright.

Chromium comes from Debian (`make test` installs it as root); without it these tests skip with the reason.
Every test here is marked `browser` (`pytest -m browser` runs them, `-m "not browser"` skips them), and
fails on any console error, uncaught script error or failed sub-resource: a Content-Security-Policy
violation shows up as a console error, so a page whose script or style the CSP blocks fails its test.
"""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db

HERE = Path(__file__).parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    """A `pytestmark` in a conftest marks nothing: mark the tests of this directory here."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


class ConsoleErrors(list):
    """What went wrong in the pages of one test: console errors (CSP violations among them), uncaught
    script errors, and sub-resources (scripts, styles, images, API calls) answered with an error."""

    def watch(self, page):
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.append(f"uncaught script error: {error}"))
        page.on("response", self._response)
        return page

    def _console(self, message):
        # A page answered 404 or 422 on purpose is logged as "Failed to load resource": sub-resources that
        # fail are reported by _response, with their URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.append(f"console error: {message.text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.append(f"{response.status} for {response.url}")

    def take(self) -> list[str]:
        """The errors so far, forgotten (for a test that provokes some on purpose)."""
        found = list(self)
        self.clear()
        return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    errors = item.funcargs.get("console_errors")
    if errors:
        pytest.fail("Errors in the browser:\n" + "\n".join(errors), pytrace=False)
    return result


@pytest.fixture
def console_errors():
    return ConsoleErrors()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (apt-get install chromium; `make test` does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    config.WTF_CSRF_ENABLED = True  # a real browser submits the real tokens
    app = create_app(config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server, console_errors):
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    context.set_default_timeout(5000)
    yield console_errors.watch(context.new_page())
    context.close()


@pytest.fixture
def phone_page(browser, live_server, console_errors):
    context = browser.new_context(
        base_url=live_server, locale="fr-FR", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(5000)
    yield console_errors.watch(context.new_page())
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core's WCAG 2.1 A/AA rules on the current page; returns the violations (id, nodes).

    axe is injected with `page.evaluate` (DevTools evaluation), not an inline `<script>` that the page's CSP
    would rightly refuse: the CSP stays on, never bypassed."""
    source = AXE_JS.read_text(encoding="utf-8")

    def run(page):
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            (violation["id"], [node["target"] for node in violation["nodes"]][:3]) for violation in result["violations"]
        ]

    return run

