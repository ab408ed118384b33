"""Supplier profile form, postcode -> commune choice, and the QPV eligibility step."""

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import QpvStatus, QpvStatusChange, Role, SupplierCompany

VALID_SIRET = "73282932000074"


def _profile(**overrides):
    data = {"name": "Propre & Net", "siret": VALID_SIRET, "legal_form": "SAS", "structure_type": "entreprise",
            "address": "12 rue des Lilas", "postcode": "93200", "commune_insee": "93066", "lat": "", "lon": "",
            "headcount": "4", "annual_revenue": "125000.50", "description": "Nettoyage de bureaux",
            "website": "", "action": "save"}
    data.update(overrides)
    return data


def test_profile_errors_are_per_field_in_french_and_keep_typed_values(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data=_profile(name="Mon entreprise tapée", siret="12345678901234", headcount="-3"))
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "clé de contrôle incorrecte" in html
    assert 'value="Mon entreprise tapée"' in html
    assert 'value="12345678901234"' in html
    assert 'aria-invalid="true"' in html
    assert db.session.get(type(company), company.id).siret != "12345678901234"


def test_profile_saves_and_fallback_commune(client, auth, make_supplier):
    company = make_supplier(postcode=None, department=None)
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(commune_insee=""))
    assert page.status_code == 302
    assert page.headers["Location"].endswith(f"/entrepreneur/entreprises/{company.id}/qpv")
    db.session.refresh(company)
    assert (company.commune_insee, company.commune_name, company.department) == ("93066", "Saint-Denis", "93")
    assert company.annual_revenue_cents == 12_500_050
    assert company.lat == pytest.approx(48.9362)


@pytest.mark.refdata
def test_postcode_offers_a_choice_of_communes(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data=_profile(postcode="31700", commune_insee="", action="communes"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Blagnac (31069)" in html
    assert "field-error" not in html  # only refreshing the choices
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(postcode="31700",
                                                                                      commune_insee=""))
    assert "Choisissez votre commune parmi celles de ce code postal." in page.get_data(as_text=True)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(postcode="31700",
                                                                                      commune_insee="93066"))
    assert "Choisissez votre commune" in page.get_data(as_text=True)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(postcode="31700",
                                                                                      commune_insee="31069"))
    assert page.status_code == 302
    db.session.refresh(company)
    assert (company.commune_name, company.department) == ("Blagnac", "31")


@pytest.mark.refdata
def test_exact_point_inside_a_contour_is_strong_evidence_not_a_verification(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                data=_profile(postcode="31400", commune_insee="31555", lat="43.57895", lon="1.44002"))
    page = client.get(f"/entrepreneur/entreprises/{company.id}/qpv")
    assert "dans le QPV QN03109M Empalot" in page.get_data(as_text=True)  # the 2015 contour's current namesake
    page = client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QN03109M"})
    assert page.status_code == 302
    db.session.refresh(company)
    assert (company.qpv_status, company.qpv_code) == (QpvStatus.DECLARED, "QN03109M")
    change = db.session.scalars(sa.select(QpvStatusChange)).one()
    assert change.method == "geolocation"
    assert "contour 2015 QP031010" in change.reason


@pytest.mark.refdata
def test_commune_point_gives_a_declaration_to_verify(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(postcode="93200",
                                                                               commune_insee="93066"))
    page = client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QN09328M"})
    assert page.status_code == 302
    db.session.refresh(company)
    assert (company.qpv_status, company.qpv_code) == (QpvStatus.DECLARED, "QN09328M")


@pytest.mark.refdata
@pytest.mark.parametrize(("code", "message"), [("QN03106I", "pas situé dans votre commune"),
                                                ("QN99999X", "existe pas")])
def test_a_declared_qpv_from_another_commune_is_refused(client, auth, make_supplier, code, message):
    company = make_supplier()
    auth.login_as(company.owner)
    client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile())
    page = client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": code})
    assert page.status_code == 422
    assert message in page.get_data(as_text=True)
    db.session.refresh(company)
    assert company.qpv_status is QpvStatus.UNKNOWN


def test_changing_the_address_resets_a_declared_status(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile())
    client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QN09328M"})
    db.session.refresh(company)
    assert company.qpv_status is QpvStatus.DECLARED
    client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(postcode="93000",
                                                                               commune_insee="93008"))
    db.session.refresh(company)
    assert company.qpv_status is QpvStatus.UNKNOWN  # to be checked again, not "Hors QPV"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QpvStatusChange)) == 2


def test_new_company_and_duplicate_siret(client, auth, make_user, make_supplier):
    other = make_supplier()
    user = make_user(Role.SUPPLIER)
    auth.login_as(user)
    page = client.post("/entrepreneur/entreprises/nouvelle", data=_profile(siret=other.siret))
    assert "déjà inscrite" in page.get_data(as_text=True)
    page = client.post("/entrepreneur/entreprises/nouvelle", data=_profile())
    assert page.status_code == 302
    assert "Propre &amp; Net" in client.get("/entrepreneur/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.BUYER, Role.ORGANISER, Role.ADMIN, None])
def test_other_roles_cannot_edit_a_profile(client, auth, make_user, make_supplier, role):
    company = make_supplier()
    if role is not None:
        auth.login_as(make_user(role))
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile())
    assert page.status_code == (302 if role is None else 403)


def test_another_supplier_gets_404_on_someone_elses_company(client, auth, make_supplier):
    company, intruder = make_supplier(), make_supplier()
    auth.login_as(intruder.owner)
    for path in ("profil", "qpv"):
        assert client.get(f"/entrepreneur/entreprises/{company.id}/{path}").status_code == 404
    assert client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "aucun"}).status_code == 404


@pytest.mark.parametrize(("typed", "cents"), [("125 000,50", 12_500_050), ("85000", 8_500_000), ("", None)])
def test_revenue_is_typed_the_french_way(client, auth, make_supplier, typed, cents):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(annual_revenue=typed))
    assert page.status_code == 302
    db.session.refresh(company)
    assert company.annual_revenue_cents == cents


def test_a_bad_revenue_is_explained_and_kept(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    html = client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data=_profile(annual_revenue="beaucoup")).get_data(as_text=True)
    assert "Montant invalide" in html
    assert 'value="beaucoup"' in html


@pytest.mark.parametrize(("typed", "stored"), [("4334Z", "43.34Z"), (" 43.34z ", "43.34Z"), ("", None)])
def test_naf_code_is_normalised(client, auth, make_supplier, typed, stored):
    company = make_supplier()
    auth.login_as(company.owner)
    assert client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data=_profile(naf_code=typed)).status_code == 302
    db.session.refresh(company)
    assert company.naf_code == stored


def test_a_malformed_naf_code_is_explained(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    html = client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data=_profile(naf_code="43-34")).get_data(as_text=True)
    assert "4 chiffres et une lettre" in html
    assert 'value="43-34"' in html


def test_the_exact_position_flag_follows_what_the_entrepreneur_typed(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile(lat="48.9362", lon="2.3597"))
    db.session.refresh(company)
    assert company.position_is_exact is True
    client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile())
    db.session.refresh(company)
    assert company.position_is_exact is False
    assert company.lat is not None  # the commune's reference point, used for distances only
    assert 'name="lat" type="text" value=""' in client.get(
        f"/entrepreneur/entreprises/{company.id}/profil").get_data(as_text=True)


@pytest.mark.refdata
def test_naf_code_must_exist_when_the_nomenclature_is_loaded(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    html = client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data=_profile(naf_code="99.99Z")).get_data(as_text=True)
    assert "existe pas dans la nomenclature NAF" in html
    assert client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data=_profile(naf_code="81.21Z")).status_code == 302


def test_a_new_siret_resets_a_verified_qpv_status(client, auth, make_supplier):
    company = make_supplier(siret=VALID_SIRET)
    auth.login_as(company.owner)
    url = f"/entrepreneur/entreprises/{company.id}/profil"
    assert client.post(url, data=_profile()).status_code == 302  # address saved
    company.qpv_status, company.qpv_code = QpvStatus.VERIFIED, "QN09328M"
    db.session.commit()
    assert client.post(url, data=_profile(description="Nouveau texte")).status_code == 302
    db.session.refresh(company)
    assert company.qpv_status is QpvStatus.VERIFIED  # same establishment: nothing to check again
    assert client.post(url, data=_profile(siret="35600000000048")).status_code == 302
    db.session.refresh(company)
    assert company.qpv_status is QpvStatus.UNKNOWN


def test_the_service_refuses_a_website_that_is_not_http(make_supplier):
    from marketplace.suppliers import services
    from marketplace.validators import ServiceError

    company = make_supplier()
    data = {"name": "X", "siret": company.siret, "website": "javascript:alert(1)"}
    with pytest.raises(ServiceError) as refused:
        services.update_profile(company, data, actor=company.owner)
    assert "http://" in refused.value.errors["website"]


def test_a_new_company_is_not_renseigne_until_checked(client, auth, make_user):
    owner, buyer = make_user(Role.SUPPLIER), make_user(Role.BUYER)
    auth.login_as(owner)
    page = client.post("/entrepreneur/entreprises/nouvelle", data=_profile(address="", postcode="", commune_insee=""))
    assert page.status_code == 302
    company = db.session.scalars(sa.select(SupplierCompany)).one()
    assert company.qpv_status is QpvStatus.UNKNOWN
    dashboard = client.get("/entrepreneur/").get_data(as_text=True)
    assert "Non renseigné" in dashboard
    assert "Hors QPV" not in dashboard
    auth.logout()
    auth.login_as(buyer)
    sheet = client.get(f"/acheteur/fournisseurs/{company.id}").get_data(as_text=True)
    assert "QPV : Non renseigné" in sheet
    assert "Hors QPV" not in sheet
    auth.logout()
    auth.login_as(owner)
    client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=_profile())
    client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "aucun"})
    assert "Hors QPV" in client.get("/entrepreneur/").get_data(as_text=True)  # now the entrepreneur's answer


def test_the_refusal_reason_reaches_the_entrepreneur(client, auth, make_user, make_supplier):
    from marketplace.admin import services as admin_services

    company = make_supplier(postcode="93200", commune_insee="93066", commune_name="Saint-Denis",
                            qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M")
    reason = "Le justificatif de domicile porte une autre adresse."
    admin_services.reject(company, actor=make_user(Role.ADMIN), reason=reason)
    auth.login_as(company.owner)
    for url in ("/entrepreneur/", f"/entrepreneur/entreprises/{company.id}/qpv"):
        html = client.get(url).get_data(as_text=True)
        assert "Refusé" in html
        assert reason in html, url
    client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QN09328M"})  # declares again
    assert reason not in client.get("/entrepreneur/").get_data(as_text=True)  # the refusal is no longer current
