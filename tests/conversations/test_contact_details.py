"""Company contact details shown to buyers only with consent; the shortlist's door to messaging."""

import pytest

from marketplace.extensions import db
from marketplace.models import Role
from marketplace.suppliers.services import clean_phone, update_profile
from marketplace.validators import ServiceError

pytestmark = pytest.mark.usefixtures("fresh_engine")

CLEANING = {"title": "Nettoyage de bureaux", "cpv_codes": ["90910000-9"], "keywords": ["nettoyage"],
            "departments": ["93"]}


@pytest.mark.parametrize(("typed", "stored"), [
    ("01 23 45 67 89", "01 23 45 67 89"),
    ("01.23.45.67.89", "01 23 45 67 89"),
    ("+33 6 12 34 56 78", "06 12 34 56 78"),
    ("0033612345678", "06 12 34 56 78"),
    ("+33 (0)1 23 45 67 89", "01 23 45 67 89"),
    ("+32 2 123 45 67", "+3221234567"),
    ("", None),
])
def test_phone_numbers_are_normalised_the_french_way(typed, stored):
    assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "0012", "01 23 45 67 8x", "++33612345678", "+1234", "０１２３"])
def test_odd_phone_numbers_are_refused_in_french(typed):
    with pytest.raises(ValueError, match="chiffres"):
        clean_phone(typed)


def _data(company, **contact):
    return {"name": company.name, "siret": company.siret, "postcode": "", **contact}


def test_the_profile_service_checks_and_stores_the_contact_fields(make_supplier):
    company = make_supplier()
    with pytest.raises(ServiceError) as refused:
        update_profile(company, _data(company, contact_email="pas-une-adresse", contact_phone="123",
                                      contact_shown=True), actor=company.owner)
    assert set(refused.value.errors) == {"contact_email", "contact_phone"}
    assert "Adresse e-mail invalide." in refused.value.errors["contact_email"]
    with pytest.raises(ServiceError) as nothing_to_show:
        update_profile(company, _data(company, contact_email="", contact_phone="", contact_shown=True),
                       actor=company.owner)
    assert set(nothing_to_show.value.errors) == {"contact_shown"}
    update_profile(company, _data(company, contact_email=" Contact@Exemple.FR ", contact_phone="0612345678",
                                  contact_shown=True), actor=company.owner)
    assert (company.contact_email, company.contact_phone, company.contact_shown) == (
        "contact@exemple.fr", "06 12 34 56 78", True)
    update_profile(company, _data(company), actor=company.owner)  # a caller without the fields keeps them
    assert (company.contact_email, company.contact_shown) == ("contact@exemple.fr", True)


def test_the_profile_form_keeps_a_refused_phone(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.get(f"/entrepreneur/entreprises/{company.id}/profil").get_data(as_text=True)
    assert "Afficher ces coordonnées aux acheteurs" in page
    refused = client.post(f"/entrepreneur/entreprises/{company.id}/profil", data={
        "name": company.name, "siret": company.siret, "structure_type": "entreprise", "legal_form": "",
        "contact_phone": "01 23 45", "contact_shown": "y", "action": "save"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'value="01 23 45"' in html
    assert "Un numéro français comporte 10 chiffres" in html


def test_buyers_see_contact_details_only_with_consent(client, auth, make_user, make_supplier):
    company = make_supplier(contact_email="contact@net.example", contact_phone="01 23 45 67 89", contact_shown=False)
    auth.login_as(make_user(Role.BUYER))
    hidden = client.get(f"/acheteur/fournisseurs/{company.id}").get_data(as_text=True)
    assert "contact@net.example" not in hidden
    assert "01 23 45 67 89" not in hidden
    assert "Cette entreprise se contacte par la messagerie" in hidden
    assert f'href="/messages/nouveau/entreprise/{company.id}"' in hidden
    company.contact_shown = True
    db.session.commit()
    shown = client.get(f"/acheteur/fournisseurs/{company.id}").get_data(as_text=True)
    assert 'href="mailto:contact@net.example"' in shown
    assert 'href="tel:0123456789"' in shown
    assert "Cette entreprise se contacte par la messagerie" not in shown


def test_the_shortlist_offers_to_write_to_each_company(client, auth, make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    company = make_supplier(name="Net Horizon", offers=(CLEANING,))
    tender = make_tender(buyer=buyer, title="Nettoyage de bureaux", description="Nettoyage de bureaux",
                         cpv_codes=["90910000-9"])
    auth.login_as(buyer)
    html = client.get(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs").get_data(as_text=True)
    assert "Net Horizon" in html
    assert f'href="/messages/nouveau/entreprise/{company.id}?appel={tender.id}"' in html
