"""Malformed, hostile or oversized requests get a clear 4xx answer, never a 500."""

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
    page = client.post(path, data={"full_name": "x" * 2_000_000, "email": "y" * 300})
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


@pytest.mark.parametrize("path", FORMS)
def test_unexpected_and_repeated_fields_are_ignored(client, path):
    page = client.post(
        path,
        data={"email": ["a@exemple.fr", "b@exemple.fr"], "role": "admin", "is_admin": "1", "password": "é" * 300},
    )
    assert page.status_code == 422


def test_hostile_text_is_escaped_in_the_page(client):
    page = client.post("/compte/inscription", data={"full_name": '<script>alert("x")</script>', "role": "supplier"})
    html = page.get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "path", ["/acheteur/fournisseurs/99999999999999999999", "/entrepreneur/offres/99999999999999999999/modifier"]
)
def test_ids_beyond_bigint_are_not_found(client, auth, make_user, path):
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
