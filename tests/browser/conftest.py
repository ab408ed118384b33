"""A live server on a temporary SQLite file and a real headless Chromium driven by Playwright.

Chromium comes from Debian (`make test` installs it as root); without it these tests skip with the reason.
"""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db

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

pytestmark = pytest.mark.browser


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
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="fr-FR", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(5000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core's WCAG 2.1 A/AA rules on the current page; returns the violations (id, nodes)."""
    source = AXE_JS.read_text(encoding="utf-8")

    def run(page):
        page.add_script_tag(content=source)
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        return [
            (violation["id"], [node["target"] for node in violation["nodes"]][:3]) for violation in result["violations"]
        ]

    return run
