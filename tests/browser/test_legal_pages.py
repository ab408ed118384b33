"""The legal pages and "Télécharger mes données" in a real browser, on desktop and phone: reached from the
footer, axe clean (WCAG 2.1 A/AA), no horizontal scrolling; the data file downloads as JSON."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import Role, User
from tests.browser.measures import horizontal_overflow
from tests.conftest import PASSWORD

LEGAL_LINKS = {
    "Mentions légales": "Mentions légales",
    "Confidentialité": "Politique de confidentialité",
    "Conditions d'utilisation": "Conditions d'utilisation",
}


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_each_legal_page_is_reached_from_the_footer(request, axe_violations, device):
    page = request.getfixturevalue(device)
    for link, heading in LEGAL_LINKS.items():
        page.goto("/")
        page.locator("footer").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        assert horizontal_overflow(page) <= 0
        assert axe_violations(page) == []


@pytest.fixture
def entrepreneur(live_app):
    with live_app.app_context():
        db.session.add(User(email="awa@exemple.fr", full_name="Awa Diallo", role=Role.SUPPLIER,
                            password_hash=generate_password_hash(PASSWORD)))
        db.session.commit()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_download_my_data(request, axe_violations, entrepreneur, device):
    page = request.getfixturevalue(device)
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill("awa@exemple.fr")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("footer").get_by_role("link", name="Télécharger mes données").click()
    expect(page.get_by_role("heading", level=1, name="Télécharger mes données")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("mes-donnees-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["account"]["full_name"] == "Awa Diallo"
