"""The administrators' QPV verification queue and its audit trail."""

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import QpvStatus, QpvStatusChange, Role


@pytest.fixture
def declared(make_supplier):
    return make_supplier(name="Déclarante", postcode="93200", commune_insee="93066", commune_name="Saint-Denis",
                         qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M")


@pytest.fixture
def admin(make_user, auth):
    user = make_user(Role.ADMIN)
    auth.login_as(user)
    return user


def test_queue_lists_declarations_with_pagination(client, admin, make_supplier, app):
    app.config["ITEMS_PER_PAGE"] = 2
    for n in range(3):
        make_supplier(name=f"Déclarée {n}", qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M")
    make_supplier(name="Hors QPV")
    first = client.get("/admin/verifications").get_data(as_text=True)
    assert "Déclarée 0" in first
    assert "Page 1 sur 2" in first
    assert "Hors QPV" not in first
    second = client.get("/admin/verifications?page=2").get_data(as_text=True)
    assert "Déclarée 2" in second
    assert client.get("/admin/verifications?page=abc").status_code == 200


def test_empty_queue_says_so(client, admin):
    assert "Aucune déclaration QPV en attente" in client.get("/admin/verifications").get_data(as_text=True)


def test_verify_records_the_audit_trail(client, admin, declared):
    assert "QN09328M" in client.get(f"/admin/verifications/{declared.id}").get_data(as_text=True)
    page = client.post(f"/admin/verifications/{declared.id}/valider", data={"note": "Bail vérifié"})
    assert page.status_code == 302
    db.session.refresh(declared)
    assert declared.qpv_status is QpvStatus.VERIFIED
    change = db.session.scalars(sa.select(QpvStatusChange)).one()
    assert (change.old_status, change.new_status, change.actor_id, change.reason) == (
        QpvStatus.DECLARED, QpvStatus.VERIFIED, admin.id, "Bail vérifié")
    assert "Bail vérifié" in client.get(f"/admin/verifications/{declared.id}").get_data(as_text=True)


def test_reject_requires_a_reason(client, admin, declared):
    page = client.post(f"/admin/verifications/{declared.id}/refuser", data={"reason": "  "})
    assert page.status_code == 422
    assert "Indiquez le motif du refus" in page.get_data(as_text=True)
    db.session.refresh(declared)
    assert declared.qpv_status is QpvStatus.DECLARED
    page = client.post(f"/admin/verifications/{declared.id}/refuser", data={"reason": "Adresse hors périmètre"})
    assert page.status_code == 302
    db.session.refresh(declared)
    assert declared.qpv_status is QpvStatus.REJECTED
    change = db.session.scalars(sa.select(QpvStatusChange)).one()
    assert (change.new_status, change.reason, change.qpv_code) == (QpvStatus.REJECTED, "Adresse hors périmètre",
                                                                   "QN09328M")


def test_only_pending_declarations_can_be_decided(client, admin, make_supplier):
    company = make_supplier()
    page = client.post(f"/admin/verifications/{company.id}/valider", data={})
    assert page.status_code == 422
    assert client.post("/admin/verifications/999999/valider", data={}).status_code == 404


@pytest.mark.parametrize("role", [Role.SUPPLIER, Role.BUYER, Role.ORGANISER, None])
def test_non_admins_are_refused(client, auth, make_user, declared, role):
    if role is not None:
        auth.login_as(make_user(role))
    for response in (client.get(f"/admin/verifications/{declared.id}"),
                     client.post(f"/admin/verifications/{declared.id}/valider", data={}),
                     client.post(f"/admin/verifications/{declared.id}/refuser", data={"reason": "x"})):
        assert response.status_code == (302 if role is None else 403)
    db.session.refresh(declared)
    assert declared.qpv_status is QpvStatus.DECLARED


def test_a_declaration_without_a_current_code_is_verified_with_the_qpv_the_admin_chooses(client, admin,
                                                                                          make_supplier):
    # What the 0007 migration leaves when a 2015 code had no certain current namesake.
    company = make_supplier(name="Ex-2015", postcode="93200", commune_insee="93066", commune_name="Saint-Denis",
                            qpv_status=QpvStatus.DECLARED, qpv_code=None)
    assert "à rattacher" in client.get("/admin/verifications").get_data(as_text=True)
    html = client.get(f"/admin/verifications/{company.id}").get_data(as_text=True)
    assert 'value="QN09328M"' in html  # the commune's current QPV are offered
    url = f"/admin/verifications/{company.id}/valider"
    page = client.post(url, data={"note": ""})
    assert page.status_code == 422
    assert "Choisissez le QPV actuel" in page.get_data(as_text=True)
    assert client.post(url, data={"qpv_code": "QP093001"}).status_code == 422  # never a 2015 code
    assert client.post(url, data={"qpv_code": "QN09328M"}).status_code == 302
    db.session.refresh(company)
    assert (company.qpv_status, company.qpv_code) == (QpvStatus.VERIFIED, "QN09328M")
    change = db.session.scalars(sa.select(QpvStatusChange)).one()
    assert change.qpv_code == "QN09328M"


def test_a_declaration_with_a_current_code_keeps_it(client, admin, declared):
    page = client.post(f"/admin/verifications/{declared.id}/valider", data={"qpv_code": "QN09329M"})
    assert page.status_code == 302
    db.session.refresh(declared)
    assert declared.qpv_code == "QN09328M"  # the declared code is what gets verified
