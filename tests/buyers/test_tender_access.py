"""Who may reach the tender pages: a matrix of role x route, plus another organisation's buyer (404)."""

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import Role, Tender, TenderStatus

ROUTES = [
    pytest.param("GET", "/acheteur/appels-d-offres", id="list"),
    pytest.param("GET", "/acheteur/appels-d-offres/nouveau", id="new"),
    pytest.param("POST", "/acheteur/appels-d-offres/nouveau", id="create"),
    pytest.param("GET", "/acheteur/appels-d-offres/{id}", id="detail"),
    pytest.param("GET", "/acheteur/appels-d-offres/{id}/modifier", id="edit"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/modifier", id="update"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/publier", id="publish"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/clore", id="close"),
    pytest.param("GET", "/acheteur/appels-d-offres/{id}/attribuer", id="award_page"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/attribuer", id="award"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/dupliquer", id="duplicate"),
    pytest.param("POST", "/acheteur/appels-d-offres/{id}/supprimer", id="delete"),
    pytest.param("GET", "/acheteur/appels-d-offres/{id}/fournisseurs", id="shortlist"),
]
ROUTE_NAMES = {tuple(route.values): route.id for route in ROUTES}
WHO = ["anonymous", "owner", "colleague", "other_buyer", Role.SUPPLIER, Role.ORGANISER, Role.ADMIN]

# What the owner and a colleague get, posting {"title": "Titre"} to a draft with a description and a CPV code
# but no deadline: (status, where a 302 leads, (tenders, the draft's title and status) afterwards; None: deleted).
DRAFT = ("Ancien titre", TenderStatus.DRAFT)
EXPECTED_FOR_THE_ORGANISATION = {
    "list": (200, None, (1, DRAFT)),
    "new": (200, None, (1, DRAFT)),
    "create": (302, "/acheteur/appels-d-offres/{new_id}", (2, DRAFT)),
    "detail": (200, None, (1, DRAFT)),
    "edit": (200, None, (1, DRAFT)),
    "update": (302, "/acheteur/appels-d-offres/{id}", (1, ("Titre", TenderStatus.DRAFT))),
    "publish": (302, "/acheteur/appels-d-offres/{id}", (1, DRAFT)),  # refused: no deadline (a flash)
    "close": (302, "/acheteur/appels-d-offres/{id}", (1, DRAFT)),  # refused: not published
    "award_page": (302, "/acheteur/appels-d-offres/{id}", (1, DRAFT)),  # refused: not closed (a flash)
    "award": (302, "/acheteur/appels-d-offres/{id}", (1, DRAFT)),  # refused: not closed
    "duplicate": (302, "/acheteur/appels-d-offres/{new_id}/modifier", (2, DRAFT)),
    "delete": (302, "/acheteur/appels-d-offres", (0, None)),
    "shortlist": (200, None, (1, DRAFT)),
}


@pytest.fixture
def situation(make_user, make_tender):
    owner = make_user(Role.BUYER)
    colleague = make_user(Role.BUYER, buyer_organisation=owner.buyer_organisation)
    tender = make_tender(owner, title="Ancien titre", status=TenderStatus.DRAFT, description="Besoin",
                         cpv_codes=["90910000-9"])
    return owner, colleague, tender


@pytest.mark.parametrize("who", WHO, ids=lambda w: w.value if isinstance(w, Role) else w)
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_access_matrix(client, auth, make_user, situation, who, method, path):
    owner, colleague, tender = situation
    tender_id = tender.id
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
    else:  # the organisation gets through, and so does another buyer on the pages without a tender
        status, location, after = EXPECTED_FOR_THE_ORGANISATION[ROUTE_NAMES[method, path]]
        new_id = db.session.scalar(select(func.max(Tender.id)))
        assert response.status_code == status
        assert response.headers.get("Location") == (location.format(id=tender_id, new_id=new_id) if location else None)
        assert tenders_now(tender_id) == after
        return
    assert tenders_now(tender_id) == (1, DRAFT)  # refused: nothing changed


def tenders_now(tender_id: int) -> tuple[int, tuple[str, TenderStatus] | None]:
    db.session.expire_all()
    kept = db.session.get(Tender, tender_id)
    return db.session.scalar(select(func.count(Tender.id))), ((kept.title, kept.status) if kept else None)


def test_unknown_tender_is_a_404_like_another_organisations(client, auth, make_user):
    auth.login_as(make_user(Role.BUYER))
    assert client.get("/acheteur/appels-d-offres/999999").status_code == 404
    assert client.post("/acheteur/appels-d-offres/999999/publier").status_code == 404


@pytest.mark.parametrize("action", ["publier", "clore", "supprimer", "dupliquer"])
def test_transitions_refuse_get(client, auth, make_user, make_tender, action):
    owner = make_user(Role.BUYER)
    tender = make_tender(owner)
    auth.login_as(owner)
    assert client.get(f"/acheteur/appels-d-offres/{tender.id}/{action}").status_code == 405
