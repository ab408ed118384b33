"""Deleting one's account in a real browser, on desktop and phone: reached from "Mes données", a wrong password
shown on its field, then the confirmation page; axe clean (WCAG 2.1 A/AA) and no horizontal scrolling."""

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import Offer, Role, SupplierCompany, User
from tests.browser.measures import horizontal_overflow
from tests.conftest import PASSWORD


@pytest.fixture
def entrepreneur(live_app):
    with live_app.app_context():
        user = User(email="awa@exemple.fr", full_name="Awa Diallo", role=Role.SUPPLIER,
                    password_hash=generate_password_hash(PASSWORD))
        company = SupplierCompany(owner=user, name="Awa Nettoyage et Services Associés", siret="73282932000074",
                                  department="93", postcode="93200")
        company.offers.append(Offer(title="Nettoyage de bureaux"))
        db.session.add_all([user, company])
        db.session.commit()


def sign_in(page):
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill("awa@exemple.fr")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def check(page, axe_violations):
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_delete_my_account(request, axe_violations, entrepreneur, device):
    page = request.getfixturevalue(device)
    sign_in(page)
    page.locator("footer").get_by_role("link", name="Télécharger mes données").click()
    page.get_by_role("link", name="Supprimer mon compte").click()
    expect(page.get_by_role("heading", level=1, name="Supprimer mon compte")).to_be_visible()
    expect(page.get_by_text("Awa Nettoyage et Services Associés").first).to_be_visible()
    check(page, axe_violations)

    page.locator("#password").fill("pas-le-bon-mot-de-passe")
    page.get_by_label("Je comprends que la suppression est définitive").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.locator("#password-erreur")).to_have_text("Mot de passe incorrect.")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    check(page, axe_violations)

    page.locator("#password").fill(PASSWORD)
    page.get_by_label("Je comprends que la suppression est définitive").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("heading", level=1, name="Votre compte a été supprimé")).to_be_visible()
    expect(page.get_by_text("n'ont plus accès à ces conversations")).to_be_visible()
    check(page, axe_violations)

    sign_in(page)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Tableau de bord")
    assert "/compte/connexion" in page.url
