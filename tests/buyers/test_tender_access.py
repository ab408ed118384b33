"""Who may reach the tender pages: a matrix of role x route, plus another organisation's buyer (404)."""

import pytest

from marketplace.models import Role, TenderStatus

ROUTES = [
    pytest.param("GET", "/acheteur/appels-d-offres", id="list"),
    pytest.param("GET", "/acheteur/appels-d-offres/nouveau", id="new"),
    pytest.param("POST", "/acheteur/appels-d-offres/nouveau", id="create"),
    pytest.param("GET", "/acheteur/appels-d-offres/{id}", id="detail"),
    pytest.param("GET", "/acheteur/appels-d-offres/{id}/modifier", id="edit"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/modifier", id="update"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/publier", id="publish"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/clore", id="close"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/attribuer", id="award"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/supprimer", id="delete"),
    pytest.param("GET", "/acheteur/appels-d-offres/{id}/fournisseurs", id="shortlist"),
]
WHO = ["anonymous", "owner", "colleague", "other_buyer", Role.SUPPLIER, Role.ORGANISER, Role.ADMIN]


@pytest.fixture
def situation(make_user, make_tender):
    owner = make_user(Role.BUYER)
    colleague = make_user(Role.BUYER, buyer_organisation=owner.buyer_organisation)
    tender = make_tender(owner, status=TenderStatus.DRAFT, description="Besoin", cpv_codes=["90910000-9"])
    return owner, colleague, tender


@pytest.mark.parametrize("who", WHO, ids=lambda w: w.value if isinstance(w, Role) else w)
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_access_matrix(client, auth, make_user, situation, who, method, path):
    owner, colleague, tender = situation
    users = {"owner": owner, "colleague": colleague, "other_buyer": None}
    if who == "other_buyer":
        users["other_buyer"] = make_user(Role.BUYER)
    if who != "anonymous":
        auth.login_as(users[who] if who in users else make_user(who))
    url = path.format(id=tender.id)
    response = client.open(url, method=method, data={"title": "Titre"} if method == "POST" else None)
    per_tender = "{id}" in path
    if who == "anonymous":
        assert response.status_code == 302
        assert "/compte/connexion" in response.headers["Location"]
    elif isinstance(who, Role):
        assert response.status_code == 403
        assert "Accès refusé" in response.get_data(as_text=True)
    elif who == "other_buyer" and per_tender:
        assert response.status_code == 404
        assert tender.title not in response.get_data(as_text=True)
    else:  # the owner and a colleague of the same organisation get through (a refused transition is a flash)
        assert response.status_code in (200, 302, 422)
        assert "/compte/connexion" not in response.headers.get("Location", "")
        assert "Accès refusé" not in response.get_data(as_text=True)


def test_unknown_tender_is_a_404_like_another_organisations(client, auth, make_user):
    auth.login_as(make_user(Role.BUYER))
    assert client.get("/acheteur/appels-d-offres/999999").status_code == 404
    assert client.post("/acheteur/appels-d-offres/999999/publier").status_code == 404


@pytest.mark.parametrize("action", ["publier", "clore", "attribuer", "supprimer"])
def test_transitions_refuse_get(client, auth, make_user, make_tender, action):
    owner = make_user(Role.BUYER)
    tender = make_tender(owner)
    auth.login_as(owner)
    assert client.get(f"/acheteur/appels-d-offres/{tender.id}/{action}").status_code == 405
