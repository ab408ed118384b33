"""Offers: create, edit, delete, with CPV checks and ownership rules."""

import pytest

from marketplace.extensions import db
from marketplace.models import Offer, Role

OFFER = {"title": "Nettoyage de bureaux", "description": "Équipe de 4 agents", "cpv_codes": "90910000-9",
         "keywords": "bureaux, vitres", "departments": ["93", "75"]}


@pytest.fixture
def offer(make_supplier):
    company = make_supplier(offers=({"title": "Peinture", "cpv_codes": ["45442100-8"]},))
    return company.offers[0]


def test_create_edit_delete_an_offer(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/offres/nouvelle", data=OFFER)
    assert page.status_code == 302
    offer = db.session.query(Offer).one()
    assert (offer.cpv_codes, offer.departments, offer.keywords) == (["90910000-9"], ["75", "93"], ["bureaux", "vitres"])
    page = client.get(f"/entrepreneur/offres/{offer.id}/modifier")
    assert 'value="90910000-9"' in page.get_data(as_text=True)
    assert "data-cpv-autocomplete" in page.get_data(as_text=True)
    page = client.post(f"/entrepreneur/offres/{offer.id}/modifier", data={**OFFER, "title": "Vitrerie"})
    assert page.status_code == 302
    db.session.refresh(offer)
    assert offer.title == "Vitrerie"
    assert client.get(f"/entrepreneur/offres/{offer.id}/supprimer").status_code == 200
    assert client.post(f"/entrepreneur/offres/{offer.id}/supprimer").status_code == 302
    assert db.session.query(Offer).count() == 0


def test_unknown_cpv_codes_are_refused_and_typed_values_kept(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/offres/nouvelle",
                       data={**OFFER, "cpv_codes": "nettoyage, 12345678"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Le code CPV « nettoyage » n&#39;est pas valide" in html  # the first bad code, as for tenders
    assert 'value="Nettoyage de bureaux"' in html
    assert db.session.query(Offer).count() == 0


@pytest.mark.refdata
def test_full_cpv_table_accepts_fine_codes(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/offres/nouvelle",
                       data={**OFFER, "cpv_codes": "90919200, 45442100-8"})
    assert page.status_code == 302
    assert db.session.query(Offer).one().cpv_codes == ["90919200-4", "45442100-8"]


def test_another_supplier_gets_404_on_someone_elses_offer(client, auth, make_supplier, offer):
    intruder = make_supplier()
    auth.login_as(intruder.owner)
    assert client.get(f"/entrepreneur/offres/{offer.id}/modifier").status_code == 404
    assert client.post(f"/entrepreneur/offres/{offer.id}/modifier", data=OFFER).status_code == 404
    assert client.post(f"/entrepreneur/offres/{offer.id}/supprimer").status_code == 404
    assert client.post(f"/entrepreneur/entreprises/{offer.supplier_id}/offres/nouvelle", data=OFFER).status_code == 404
    db.session.refresh(offer)
    assert offer.title == "Peinture"


@pytest.mark.parametrize("role", [Role.BUYER, Role.ORGANISER, Role.ADMIN, None])
def test_other_roles_are_refused(client, auth, make_user, offer, role):
    if role is not None:
        auth.login_as(make_user(role))
    for response in (client.get(f"/entrepreneur/offres/{offer.id}/modifier"),
                     client.post(f"/entrepreneur/offres/{offer.id}/supprimer")):
        assert response.status_code == (302 if role is None else 403)
    assert db.session.get(Offer, offer.id) is not None
