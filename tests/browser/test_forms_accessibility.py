"""The journeys' forms in a real browser: WCAG 2.1 AA rules on each, and a full offer / tender round trip."""

import re

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import BuyerOrganisation, Role, SupplierCompany, User
from tests.conftest import PASSWORD


@pytest.fixture
def accounts(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        supplier = User(email="awa@exemple.fr", full_name="Awa", role=Role.SUPPLIER, password_hash=hashed)
        company = SupplierCompany(name="Awa Nettoyage", siret="73282932000074", owner=supplier)
        buyer = User(email="achat@exemple.fr", full_name="Ana", role=Role.BUYER, password_hash=hashed,
                     buyer_organisation=BuyerOrganisation(name="Ville Test"))
        admin = User(email="admin@exemple.fr", full_name="Admin", role=Role.ADMIN, password_hash=hashed)
        db.session.add_all([supplier, company, buyer, admin])
        db.session.commit()
        return {"company_id": company.id}


def log_in(page, email):
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_supplier_pages_pass_the_wcag_rules(page, axe_violations, accounts):
    log_in(page, "awa@exemple.fr")
    company = accounts["company_id"]
    for path in ("/entrepreneur/", f"/entrepreneur/entreprises/{company}/profil",
                 f"/entrepreneur/entreprises/{company}/qpv", f"/entrepreneur/entreprises/{company}/offres/nouvelle"):
        page.goto(path)
        assert axe_violations(page) == [], path


def test_a_supplier_publishes_an_offer_with_the_cpv_autocomplete(page, accounts):
    log_in(page, "awa@exemple.fr")
    page.goto(f"/entrepreneur/entreprises/{accounts['company_id']}/offres/nouvelle")
    page.locator("#title").fill("Nettoyage de bureaux")
    cpv = page.get_by_role("combobox")
    cpv.fill("nettoyage")
    options = page.get_by_role("listbox", name="Codes CPV proposés").get_by_role("option")
    expect(options.first).to_contain_text("nettoyage")
    cpv.press("ArrowDown")
    cpv.press("Enter")
    expect(cpv).to_have_value(re.compile(r"^\d{8}-\d, $"))
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_text("Offre publiée.")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier Nettoyage de bureaux")).to_be_visible()


def test_lots_added_in_the_page_get_the_cpv_autocomplete(page, accounts):
    log_in(page, "achat@exemple.fr")
    page.goto("/acheteur/appels-d-offres/nouveau")
    before = page.get_by_role("combobox").count()
    page.get_by_role("button", name=re.compile("Ajouter un lot")).first.click()
    expect(page.get_by_role("combobox")).to_have_count(before + 1)


def test_buyer_and_admin_pages_pass_the_wcag_rules(page, axe_violations, accounts):
    log_in(page, "achat@exemple.fr")
    paths = ("/acheteur/", "/acheteur/appels-d-offres", "/acheteur/appels-d-offres/nouveau", "/acheteur/fournisseurs")
    for path in paths:
        page.goto(path)
        assert axe_violations(page) == [], path
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, "admin@exemple.fr")
    for path in ("/admin/", "/admin/verifications"):
        page.goto(path)
        assert axe_violations(page) == [], path


def test_tender_form_errors_pass_the_wcag_rules(page, axe_violations, accounts):
    log_in(page, "achat@exemple.fr")
    page.goto("/acheteur/appels-d-offres/nouveau")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert axe_violations(page) == []


def test_cpv_codes_are_suggested_from_the_text_typed(page, axe_violations, accounts):
    log_in(page, "awa@exemple.fr")
    page.goto(f"/entrepreneur/entreprises/{accounts['company_id']}/offres/nouvelle")
    page.locator("#title").fill("Nettoyage de bureaux et vitrerie")
    page.get_by_role("button", name="Suggérer des codes CPV d'après le texte").click()
    suggestions = page.get_by_role("list", name="Codes CPV suggérés").get_by_role("button")
    expect(suggestions.first).to_be_visible()
    first = suggestions.first.inner_text()
    suggestions.first.click()
    code = re.search(r"\d{8}-\d", first).group(0)
    expect(page.get_by_role("combobox")).to_have_value(code)
    assert axe_violations(page) == []
