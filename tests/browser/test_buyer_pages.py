"""A buyer's sourcing pages in a real browser: shortlist with reasons, search, on desktop and phone."""

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import BuyerOrganisation, Offer, QpvStatus, Role, SupplierCompany, Tender, TenderStatus, User
from tests.browser.measures import horizontal_overflow
from tests.conftest import PASSWORD


@pytest.fixture
def buyer_market(live_app):
    with live_app.app_context():
        organisation = BuyerOrganisation(name="Habitat Test")
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER,
                     buyer_organisation=organisation, password_hash=generate_password_hash(PASSWORD))
        company = SupplierCompany(name="Propreté Franc-Moisin", siret="73282932000074", department="93",
                                  commune_name="Saint-Denis", qpv_status=QpvStatus.VERIFIED, qpv_code="QN09328M")
        company.offers.append(Offer(title="Nettoyage de bureaux", description="Entretien, vitrerie",
                                    cpv_codes=["90910000-9"], keywords=["nettoyage"], departments=["93"]))
        tender = Tender(buyer_organisation=organisation, title="Nettoyage des bureaux", department="93",
                        cpv_codes=["90910000-9"], status=TenderStatus.PUBLISHED)
        db.session.add_all([buyer, company, tender])
        db.session.commit()
        return tender.id


def log_in(page):
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill("achat@exemple.fr")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_the_shortlist_shows_the_supplier_with_its_reasons(page, axe_violations, buyer_market):
    log_in(page)
    page.goto(f"/acheteur/appels-d-offres/{buyer_market}")
    page.get_by_role("button", name="Voir les entreprises proposées").click()
    expect(page.get_by_role("heading", name="Propreté Franc-Moisin")).to_be_visible()
    expect(page.locator(".reasons")).to_contain_text("intervient dans le département 93")
    assert axe_violations(page) == []


def test_supplier_search_on_a_phone(phone_page, axe_violations, buyer_market):
    log_in(phone_page)
    phone_page.goto("/acheteur/fournisseurs")
    phone_page.get_by_label("Que cherchez-vous ?").fill("netoyage")
    phone_page.get_by_role("button", name="Rechercher").click()
    expect(phone_page.get_by_role("link", name="Propreté Franc-Moisin")).to_be_visible()
    assert horizontal_overflow(phone_page) <= 0
    assert axe_violations(phone_page) == []
