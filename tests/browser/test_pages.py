"""The pages as a person sees them: real browser, real forms with CSRF, keyboard, phone, WCAG checks."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.measures import horizontal_overflow
from tests.conftest import PASSWORD

SIRET = "73282932000074"


def register_supplier(page, *, siret=SIRET, email="awa@exemple.fr"):
    page.goto("/compte/inscription")
    page.get_by_label("Entrepreneur : je propose mes services").check()
    page.get_by_label("Nom et prénom").fill("Awa Diallo")
    page.get_by_label("Adresse e-mail").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_label("Nom de l'entreprise").fill("Awa Nettoyage")
    page.get_by_label("SIRET").fill(siret)
    page.get_by_role("button", name="Créer mon compte").click()


def test_home_page_is_french_and_the_skip_link_is_first_on_the_keyboard(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("achats inclusifs")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()


def test_a_supplier_registers_and_lands_on_the_dashboard(page):
    register_supplier(page)
    expect(page).to_have_url(re.compile(r"/entrepreneur/$"))
    expect(page.get_by_role("heading", name="Awa Nettoyage")).to_be_visible()
    expect(page.get_by_text("Bienvenue ! Votre compte a été créé.")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()


def test_an_invalid_siret_is_explained_next_to_the_field_and_input_is_kept(page):
    register_supplier(page, siret="73282932000075")
    siret = page.get_by_label("SIRET")
    expect(siret).to_have_attribute("aria-invalid", "true")
    expect(siret).to_have_value("73282932000075")
    expect(page.get_by_label("Nom de l'entreprise")).to_have_value("Awa Nettoyage")
    expect(page.locator("#siret-erreur")).to_contain_text("clé de contrôle incorrecte")
    expect(page.get_by_role("alert")).to_contain_text("SIRET")


@pytest.mark.parametrize("path", ["/", "/compte/inscription", "/compte/connexion", "/nexiste-pas"])
def test_public_pages_pass_the_wcag_aa_rules(page, axe_violations, path):
    page.goto(path)
    assert axe_violations(page) == []


def test_form_errors_and_the_dashboard_pass_the_wcag_aa_rules(page, axe_violations):
    register_supplier(page, siret="123")
    assert axe_violations(page) == []
    register_supplier(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/compte/inscription", "/compte/connexion"])
def test_pages_fit_a_phone_screen(phone_page, path):
    phone_page.goto(path)
    assert horizontal_overflow(phone_page) <= 0


def test_the_accessibility_check_does_catch_violations(page, axe_violations):
    page.goto("/")
    html = "<img src=/static/favicon.svg><input>"  # an image that loads: only its missing alt is at fault
    page.evaluate("html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", html)
    found = {rule for rule, _ in axe_violations(page)}
    assert {"image-alt", "label"} <= found


def test_registration_shows_only_the_fields_of_the_chosen_profile(page):
    page.goto("/compte/inscription?profil=buyer")
    expect(page.get_by_label("Organisation")).to_be_visible()
    expect(page.get_by_label("SIRET")).to_be_hidden()
    page.get_by_label("Entrepreneur : je propose mes services").check()
    expect(page.get_by_label("SIRET")).to_be_visible()
    expect(page.get_by_label("Organisation")).to_be_hidden()
