"""What the forms tell and accept: required markers, one SIRET hint, websites typed without https://, and the
departments of an offer ticked as checkboxes grouped by region (no Ctrl-click list)."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import Offer, Role, SupplierCompany
from tests.conftest import PASSWORD

VALID_SIRET = "73282932000074"
SPACED_SIRET = "732 829 320 00074"


class Page(HTMLParser):
    """The few facts about a page these tests read: elements by id, labels by their ``for``."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.labels: dict[str, str] = {}
        self.tags: list[tuple[str, dict]] = []
        self._open: list[tuple[str, dict, list]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.by_id[attrs["id"]] = attrs
        if tag not in self.VOID:
            self._open.append((tag, attrs, []))

    def handle_endtag(self, tag):
        while self._open:
            name, attrs, text = self._open.pop()
            content = "".join(text)
            if self._open:
                self._open[-1][2].append(content)
            if name == "label" and "for" in attrs:
                self.labels[attrs["for"]] = " ".join(content.split())
            if "id" in attrs:
                self.by_id[attrs["id"]]["text"] = " ".join(content.split())
            if name == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def register(client, **overrides):
    data = {"role": "supplier", "full_name": "Awa Diallo", "email": "awa@exemple.fr", "password": PASSWORD,
            "confirm": PASSWORD, "company_name": "Awa Nettoyage", "siret": VALID_SIRET, "organisation_name": ""}
    data.update(overrides)
    return client.post("/compte/inscription", data=data)


def profile(**overrides):
    data = {"name": "Atelier Bois", "siret": VALID_SIRET, "legal_form": "SAS", "structure_type": "entreprise",
            "address": "12 rue des Lilas", "postcode": "93200", "commune_insee": "93066", "lat": "", "lon": "",
            "headcount": "4", "annual_revenue": "", "description": "", "website": "", "action": "save"}
    data.update(overrides)
    return data


# Required markers -------------------------------------------------------------------------------------------------

SIGN_UP_REQUIRED = ["full_name", "email", "password", "confirm", "company_name", "siret", "organisation_name"]


def test_sign_up_explains_and_marks_the_required_fields(client):
    html = client.get("/compte/inscription").get_data(as_text=True)
    page = Page(html)
    assert "Les champs marqués d'un astérisque" in html
    for name in SIGN_UP_REQUIRED:
        assert page.labels[name].endswith("*"), name
        field = page.by_id[name]
        assert "required" in field or field.get("aria-required") == "true", name
    assert re.search(r"<legend>Je suis <span class=\"required-marker\" aria-hidden=\"true\">\*</span></legend>", html)


def test_optional_fields_carry_no_marker(client, make_user, auth):
    auth.login_as(make_user(Role.SUPPLIER))
    page = Page(client.get("/entrepreneur/entreprises/nouvelle").get_data(as_text=True))
    assert page.labels["name"].endswith("*")
    assert page.labels["siret"].endswith("*")
    for name in ("naf_code", "address", "website", "headcount"):
        assert not page.labels[name].endswith("*"), name


# SIRET hint -------------------------------------------------------------------------------------------------------

def test_the_siret_hint_is_the_same_on_every_form(client, make_user, auth):
    hints = {Page(client.get("/compte/inscription").get_data(as_text=True)).by_id["siret-aide"]["text"]}
    auth.login_as(make_user(Role.SUPPLIER))
    hints.add(Page(client.get("/entrepreneur/entreprises/nouvelle").get_data(as_text=True)).by_id["siret-aide"]["text"])
    assert len(hints) == 1
    assert "espaces acceptés" in hints.pop()


def test_a_siret_typed_with_spaces_is_accepted_at_sign_up(client):
    assert register(client, siret=SPACED_SIRET).status_code == 302
    assert db.session.scalar(select(SupplierCompany.siret)) == VALID_SIRET


def test_a_siret_typed_with_spaces_is_accepted_in_the_profile(client, make_user, auth):
    owner = make_user(Role.SUPPLIER)
    auth.login_as(owner)
    assert client.post("/entrepreneur/entreprises/nouvelle", data=profile(siret=SPACED_SIRET)).status_code == 302
    assert db.session.scalar(select(SupplierCompany.siret).where(SupplierCompany.owner_id == owner.id)) == VALID_SIRET


# Website ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "stored"), [
    ("atelierbois.example.org", "https://atelierbois.example.org"),
    ("www.atelierbois.example.org/contact", "https://www.atelierbois.example.org/contact"),
    ("  http://atelierbois.example.org ", "http://atelierbois.example.org"),
    ("HTTPS://Atelierbois.example.org", "HTTPS://Atelierbois.example.org"),
])
def test_a_website_without_https_is_accepted_and_completed(client, make_user, auth, typed, stored):
    owner = make_user(Role.SUPPLIER)
    auth.login_as(owner)
    response = client.post("/entrepreneur/entreprises/nouvelle", data=profile(website=typed))
    assert response.status_code == 302
    assert db.session.scalar(select(SupplierCompany.website).where(SupplierCompany.owner_id == owner.id)) == stored


@pytest.mark.parametrize("typed", ["ftp://atelierbois.example.org", "javascript:alert(1)", "pas une adresse"])
def test_a_website_that_is_no_web_address_is_refused_with_a_hint(client, make_user, auth, typed):
    auth.login_as(make_user(Role.SUPPLIER))
    response = client.post("/entrepreneur/entreprises/nouvelle", data=profile(website=typed))
    assert response.status_code == 422
    page = Page(response.get_data(as_text=True))
    assert page.by_id["website"].get("aria-invalid") == "true"
    assert "www." in page.by_id["website-aide"]["text"]
    assert db.session.scalar(select(SupplierCompany.id)) is None


def test_the_service_completes_a_website_typed_without_https(make_supplier):
    """The rule holds without the form too (the service is called by other paths than the web page)."""
    from marketplace.suppliers import services

    company = make_supplier()
    data = {"name": company.name, "siret": company.siret, "website": "atelierbois.example.org"}
    assert services.update_profile(company, data, actor=company.owner).website == "https://atelierbois.example.org"


def test_the_website_field_says_https_is_optional(client, make_user, auth):
    auth.login_as(make_user(Role.SUPPLIER))
    page = Page(client.get("/entrepreneur/entreprises/nouvelle").get_data(as_text=True))
    assert "https://" in page.by_id["website-aide"]["text"]


# Departments of an offer ------------------------------------------------------------------------------------------

@pytest.fixture
def own_company(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    return company


def test_departments_are_checkboxes_grouped_by_region(client, own_company):
    html = client.get(f"/entrepreneur/entreprises/{own_company.id}/offres/nouvelle").get_data(as_text=True)
    page = Page(html)
    assert not any(tag == "select" and "multiple" in attrs for tag, attrs in page.tags)
    assert "Ctrl" not in html
    boxes = [attrs for tag, attrs in page.tags if tag == "input" and attrs.get("name") == "departments"]
    assert len(boxes) == 101
    assert all(attrs["type"] == "checkbox" and page.labels[attrs["id"]] for attrs in boxes)
    assert page.labels["departments-93"] == "93 - Seine-Saint-Denis"
    groups = [attrs["aria-label"] for tag, attrs in page.tags if tag == "div" and attrs.get("role") == "group"]
    assert groups[-1] == "Outre-mer"
    assert {"Île-de-France", "Bretagne", "Corse"} <= set(groups)
    assert len(groups) == len(set(groups)) == 14
    region_of_93 = html.index('aria-label="Île-de-France"')
    assert region_of_93 < html.index('id="departments-93"') < html.index('aria-label="Normandie"')


def test_ticked_departments_are_saved_and_shown_ticked(client, own_company):
    response = client.post(f"/entrepreneur/entreprises/{own_company.id}/offres/nouvelle", data={
        "title": "Vitrerie", "cpv_codes": "90911300-9", "departments": ["93", "75", "2A"]})
    assert response.status_code == 302
    offer = db.session.scalar(select(Offer))
    assert offer.departments == ["2A", "75", "93"]
    html = client.get(f"/entrepreneur/offres/{offer.id}/modifier").get_data(as_text=True)
    page = Page(html)
    assert {attrs["value"] for tag, attrs in page.tags if tag == "input" and "checked" in attrs
            and attrs.get("name") == "departments"} == {"93", "75", "2A"}
    # The regions holding a ticked department start open, with their count; the others closed.
    opened = re.findall(r'<details class="checkbox-group" open>\s*<summary>([^<]+?) <span[^>]*>([^<]*)</span>', html)
    assert opened == [("Corse", "(1 coché)"), ("Île-de-France", "(2 cochés)")]

