"""Malformed, hostile or oversized requests get a clear 4xx answer, never a 500."""

import html

import pytest

FORMS = ["/compte/inscription", "/compte/connexion"]


@pytest.mark.parametrize("path", FORMS)
def test_oversized_body_is_refused_with_413(app_factory, path):
    client = app_factory(MAX_CONTENT_LENGTH=1024).test_client()
    page = client.post(path, data={"email": "x" * 5000})
    assert page.status_code == 413
    assert "trop volumineux" in page.get_data(as_text=True)


@pytest.mark.parametrize("path", FORMS)
def test_oversized_form_field_is_refused_with_a_field_message(client, path):
    # Below MAX_FORM_MEMORY_SIZE (1 MiB), a field too long for its form is a field error; above, a 413 (below).
    page = client.post(path, data={"full_name": "x" * 500_000, "email": "y" * 300})
    assert page.status_code == 422
    assert "254 caractères" in page.get_data(as_text=True)


def test_oversized_multipart_field_is_refused_with_413(client):
    # A hand-built body: the test client would spool a dict this big to a temporary file it never closes.
    body = b'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\n' + b"x" * 2_000_000 + b"\r\n--b--\r\n"
    page = client.post("/compte/connexion", data=body, content_type="multipart/form-data; boundary=b")
    assert page.status_code == 413


@pytest.mark.parametrize("path", FORMS)
def test_json_is_not_accepted_by_html_forms(client, path):
    page = client.post(path, json={"email": "a@exemple.fr"})
    assert page.status_code == 415
    assert "Format non accepté" in page.get_data(as_text=True)


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b"--broken\r\nContent-Disposition: form-data\r\n", "multipart/form-data; boundary=broken"),
        (b'{"email": [1, 2], "password": {"a": 1}}', "application/json"),
        (b"email=%ZZ&password=%00%00", "application/x-www-form-urlencoded"),
        (b"", "text/plain"),
    ],
)
def test_malformed_bodies_never_give_a_500(client, path, body, content_type):
    page = client.post(path, data=body, content_type=content_type)
    assert 400 <= page.status_code < 500


UNEXPECTED = {"is_admin": "1", "password_hash": "x", "buyer_organisation_id": "1", "id": "7"}


def test_unexpected_and_repeated_fields_are_ignored(client):
    # A valid registration: only the first of repeated values counts and unknown fields change nothing.
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.models import Role, SupplierCompany, User
    from tests.conftest import PASSWORD

    page = client.post("/compte/inscription", data={
        **UNEXPECTED, "role": ["supplier", "admin"], "full_name": "Awa Diallo",
        "email": ["awa@exemple.fr", "b@exemple.fr"], "password": PASSWORD, "confirm": PASSWORD,
        "company_name": "Awa Nettoyage", "siret": "73282932000074", "organisation_name": "",
    })
    assert page.status_code == 302
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.full_name) == ("awa@exemple.fr", Role.SUPPLIER, "Awa Diallo")
    assert user.check_password(PASSWORD)
    assert user.buyer_organisation_id is None
    assert db.session.scalar(select(SupplierCompany.owner_id)) == user.id


def test_unexpected_and_repeated_fields_are_ignored_at_login(client, make_user):
    from marketplace.models import Role
    from tests.conftest import PASSWORD

    user = make_user(Role.SUPPLIER)
    page = client.post("/compte/connexion", data={
        **UNEXPECTED, "role": "admin", "email": [user.email, "b@exemple.fr"], "password": PASSWORD,
    })
    assert page.status_code == 302
    assert client.get("/entrepreneur/").status_code == 200
    assert client.get("/admin/").status_code == 403


def test_hostile_text_is_escaped_in_the_page(client):
    page = client.post("/compte/inscription", data={"full_name": '<script>alert("x")</script>', "role": "supplier"})
    html = page.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "path", ["/acheteur/fournisseurs/99999999999999999999", "/entrepreneur/offres/99999999999999999999/modifier",
             # Beyond INTEGER, within BIGINT: PostgreSQL refuses to cast them, which must not become a 500.
             "/acheteur/fournisseurs/2147483648", "/acheteur/appels-d-offres/99999999999",
             "/entrepreneur/offres/2147483648/modifier"]
)
def test_ids_beyond_the_id_columns_are_not_found(client, auth, make_user, path):
    from marketplace.models import Role

    auth.login_as(make_user(Role.BUYER if "acheteur" in path else Role.SUPPLIER))
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", FORMS)
def test_nul_characters_are_refused_with_a_french_message(client, path):
    page = client.post(path, data={"email": "a\x00@exemple.fr", "password": "x", "full_name": "A\x00"})
    assert page.status_code == 400
    assert "caractères de contrôle" in page.get_data(as_text=True)
    assert client.get("/", query_string={"q": "\x00"}).status_code == 400


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/admin/verifications?page=²", "admin"),
        ("/acheteur/appels-d-offres?page=٣", "buyer"),
        ("/api/cpv?q=net&limit=²", "buyer"),
    ],
)
def test_non_ascii_digits_are_not_numbers(client, auth, make_user, path, role):
    from marketplace.models import Role

    auth.login_as(make_user(Role(role)))
    assert client.get(path).status_code == 200


def test_a_postcode_in_arabic_digits_is_refused(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/profil",
                       data={"name": "X", "siret": company.siret, "postcode": "٩٣٢٠٠", "structure_type": "entreprise",
                             "legal_form": ""})
    assert page.status_code == 422
    assert "5 chiffres" in page.get_data(as_text=True)


TEN_MEGABYTES = 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("path", "role", "field"),
    [("/compte/inscription", None, "full_name"), ("/acheteur/appels-d-offres/nouveau", "buyer", "title")],
)
def test_a_ten_megabyte_field_is_refused_with_413_and_not_echoed(client, auth, make_user, path, role, field):
    from marketplace.models import Role

    if role:
        auth.login_as(make_user(Role(role)))
    payload = "zq" * (TEN_MEGABYTES // 2)
    page = client.post(path, data={field: payload, "email": "a@exemple.fr"})
    body = page.get_data(as_text=True)
    assert page.status_code == 413
    assert "Envoi trop volumineux" in body
    assert "zqzqzqzqzq" not in body
    assert len(body) < 100_000


def _profile_post(client, company, **overrides):
    data = {"name": company.name, "siret": company.siret, "structure_type": "entreprise", "legal_form": ""}
    data.update(overrides)
    return client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=data)


ZERO_SIRETS = ["00000000000000", "000 000 000 00000", "00000000000018"]  # the last: SIREN 000000000, valid key


@pytest.mark.parametrize("siret", ZERO_SIRETS)
def test_an_all_zero_siret_or_siren_is_refused_at_registration(client, siret):
    from tests.conftest import PASSWORD

    page = client.post("/compte/inscription", data={
        "role": "supplier", "full_name": "Awa Diallo", "email": "awa@exemple.fr", "password": PASSWORD,
        "confirm": PASSWORD, "company_name": "Awa Nettoyage", "siret": siret})
    assert page.status_code == 422
    assert "SIREN 000 000 000 n'existe pas" in html.unescape(page.get_data(as_text=True))
    assert f'value="{siret}"' in page.get_data(as_text=True)


@pytest.mark.parametrize("siret", ZERO_SIRETS)
def test_an_all_zero_siret_is_refused_on_the_profile(client, auth, make_supplier, siret):
    company = make_supplier()
    auth.login_as(company.owner)
    page = _profile_post(client, company, siret=siret)
    assert page.status_code == 422
    assert "SIREN 000 000 000 n'existe pas" in html.unescape(page.get_data(as_text=True))


@pytest.mark.parametrize("typed", ["١٢٣", "０１２", "1_000", "+5", "-3", "12.5", "1e3", "²"])
def test_headcount_takes_ascii_digits_only_and_keeps_what_was_typed(client, auth, make_supplier, typed):
    from marketplace.extensions import db

    company = make_supplier(headcount=4)
    auth.login_as(company.owner)
    page = _profile_post(client, company, headcount=typed)
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 422
    assert "Saisissez l'effectif en chiffres" in text
    assert f'value="{typed}"' in text
    db.session.expire_all()
    assert company.headcount == 4


@pytest.mark.parametrize(("typed", "stored"), [("12", 12), ("1 200", 1200), ("1\u00a0200", 1200),
                                               ("1\u202f200", 1200), (" 7 ", 7), ("", None)])
def test_headcount_accepts_french_thousands_spaces(client, auth, make_supplier, typed, stored):
    from marketplace.extensions import db

    company = make_supplier(headcount=4)
    auth.login_as(company.owner)
    assert _profile_post(client, company, headcount=typed).status_code == 302
    db.session.expire_all()
    assert company.headcount == stored


@pytest.mark.parametrize("typed", ["٤٨.٩", "４８.９", "4_8.9", "nan", "inf", "48.9e0"])
def test_coordinates_take_ascii_decimals_only(client, auth, make_supplier, typed):
    company = make_supplier()
    auth.login_as(company.owner)
    page = _profile_post(client, company, lat=typed, lon="2.3597")
    assert page.status_code == 422
    assert "Saisissez un nombre" in html.unescape(page.get_data(as_text=True))


@pytest.mark.parametrize(("typed", "stored"), [("48.9362", 48.9362), ("48,9362", 48.9362), (" 48.9362 ", 48.9362)])
def test_coordinates_accept_french_and_english_decimals(client, auth, make_supplier, typed, stored):
    from marketplace.extensions import db

    company = make_supplier()
    auth.login_as(company.owner)
    assert _profile_post(client, company, lat=typed, lon="2.3597").status_code == 302
    db.session.expire_all()
    assert company.lat == pytest.approx(stored)


def test_parse_id_stops_at_the_largest_integer_id():
    from marketplace.validators import MAX_ID, parse_id

    assert parse_id(str(MAX_ID)) == MAX_ID == 2**31 - 1
    assert parse_id(str(MAX_ID + 1)) is None
