"""JSON endpoints: authentication, response shape, odd input."""

import pytest

from marketplace.models import Role

ODD = ["", " ", "😀🧹", "a" * 10_000, "\x01\x7f", "%", "' OR 1=1 --", "9" * 30, "نظافة", "-", ","]


@pytest.fixture
def signed_in(client, auth, make_user):
    auth.login_as(make_user(Role.BUYER))
    return client


def test_anonymous_json_requests_get_401_in_french(client):
    page = client.get("/api/cpv?q=nettoyage", headers={"Accept": "application/json"})
    assert page.status_code == 401
    assert page.get_json()["message"].startswith("Connectez-vous")
    assert client.get("/api/cpv?q=nettoyage").status_code == 302  # a browser goes to the login page


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_use_the_autocomplete(client, auth, make_user, role):
    auth.login_as(make_user(role))
    data = client.get("/api/cpv?q=travaux&limit=3").get_json()
    assert data["results"][0] == {"code": "45000000-7", "label": "Travaux de construction", "level": "division"}


@pytest.mark.refdata
def test_cpv_autocomplete_shape_and_ranking(signed_in):
    results = signed_in.get("/api/cpv?q=netoyage&limit=5").get_json()["results"]
    assert len(results) == 5
    assert results[0]["code"].startswith("909")
    assert set(results[0]) == {"code", "label", "level"}


@pytest.mark.refdata
def test_cpv_suggest_has_scores(signed_in):
    results = signed_in.get("/api/cpv/suggest?text=nettoyage de bureaux et vitres&limit=3").get_json()["results"]
    assert 1 <= len(results) <= 3
    assert all(0 <= r["score"] <= 1 and set(r) == {"code", "label", "level", "score"} for r in results)
    assert results[0]["code"].startswith("909")


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(("path", "param"), [("/api/cpv", "q"), ("/api/cpv/suggest", "text"),
                                             ("/api/communes", "postcode")])
def test_odd_input_never_fails(signed_in, path, param, value):
    page = signed_in.get(path, query_string={param: value, "limit": value or "abc"})
    assert page.status_code == 200
    assert isinstance(page.get_json()["results"], list)


def test_communes_endpoint(signed_in):
    assert signed_in.get("/api/communes?postcode=93200").get_json()["results"][0]["insee"] == "93066"
    assert signed_in.get("/api/communes?postcode=abc").get_json() == {"results": []}


def test_rate_limit_answers_json_in_french(app_factory, make_user):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        from tests.conftest import AuthActions

        AuthActions(client).login_as(make_user(Role.SUPPLIER))
    for _ in range(120):
        client.get("/api/communes?postcode=93200")
    page = client.get("/api/communes?postcode=93200")
    assert page.status_code == 429
    assert "Trop de tentatives" in page.get_json()["error"]


def test_nul_characters_get_a_json_400_in_french(signed_in):
    page = signed_in.get("/api/cpv", query_string={"q": "net\x00"})
    assert page.status_code == 400
    assert "caractères de contrôle" in page.get_json()["message"]
