"""One form submission creates one object: the one-time submission token of the tender and offer forms.

A double click, a reload or a network retry sends the same page twice; the token written into the page when it
is shown is stored (UNIQUE) with the object it created, so the second post creates nothing and leads to the first
object. Sequential posts run on both databases; truly concurrent ones on PostgreSQL (SQLite's in-memory test
database has one connection, shared by every thread, so it cannot race).
"""

import html as html_lib
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.buyers import services as buyer_services
from marketplace.extensions import db
from marketplace.models import Offer, Role, Tender
from marketplace.submissions import AlreadySubmitted

NEW_TENDER = "/acheteur/appels-d-offres/nouveau"
TENDER = {"title": "Nettoyage des locaux", "description": "Trois sites.", "cpv_codes": "90910000",
          "department": "93", "deadline": (date.today() + timedelta(days=30)).isoformat()}
OFFER = {"title": "Nettoyage de bureaux", "description": "Équipe de 4 agents", "cpv_codes": "90910000-9",
         "keywords": "bureaux", "departments": ["93"]}
CONCURRENT_POSTS = 20
ALREADY_SENT = "Ce formulaire a déjà été envoyé"


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def token_in(page: str) -> str:
    match = re.search(r'<input[^>]*name="submission_token"[^>]*>', page)
    assert match, "the form carries no submission token"
    assert 'type="hidden"' in match[0]
    return re.search(r'value="([^"]*)"', match[0])[1]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def buyer(auth, make_user):
    user = make_user(Role.BUYER)
    auth.login_as(user)
    return user


@pytest.fixture
def company(auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    return company


@pytest.fixture(params=["tender", "offer"])
def journey(request, client):
    """(the creation page's URL, valid form data, the model it creates) for each creation form."""
    if request.param == "tender":
        request.getfixturevalue("buyer")
        return NEW_TENDER, dict(TENDER), Tender
    company = request.getfixturevalue("company")
    return f"/entrepreneur/entreprises/{company.id}/offres/nouvelle", dict(OFFER), Offer


def test_each_form_page_gets_its_own_token(client, journey):
    url, _, _ = journey
    first, second = token_in(text(client.get(url))), token_in(text(client.get(url)))
    assert first != second
    assert str(uuid.UUID(first)) == first


def test_the_same_page_posted_twice_creates_one_object(client, journey):
    url, data, model = journey
    data["submission_token"] = token_in(text(client.get(url)))
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert count(model) == 1
    assert second.headers["Location"] == first.headers["Location"]
    page = text(client.get(second.headers["Location"]))
    assert ALREADY_SENT in page


def test_two_pages_create_two_objects(client, journey):
    url, data, model = journey
    for _ in range(2):
        assert client.post(url, data={**data, "submission_token": token_in(text(client.get(url)))}).status_code == 302
    assert count(model) == 2


def test_a_page_refused_then_corrected_keeps_its_token_and_creates_once(client, journey):
    url, data, model = journey
    token = token_in(text(client.get(url)))
    refused = client.post(url, data={**data, "title": "", "submission_token": token})
    assert refused.status_code == 422
    assert token_in(text(refused)) == token
    assert client.post(url, data={**data, "submission_token": token}).status_code == 302
    assert client.post(url, data={**data, "submission_token": token}).status_code == 302
    assert count(model) == 1


@pytest.mark.parametrize("token", [None, "pas-un-uuid", "x" * 5000])
def test_a_missing_or_malformed_token_counts_as_a_new_page(client, journey, token):
    url, data, model = journey
    if token is not None:
        data["submission_token"] = token
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert count(model) == 2


def test_lot_rows_added_without_javascript_keep_the_token(client, buyer):
    token = token_in(text(client.get(NEW_TENDER)))
    page = client.post(NEW_TENDER, data={**TENDER, "submission_token": token, "add_lot": "1"})
    assert page.status_code == 200
    assert token_in(text(page)) == token


def test_another_organisations_token_creates_nothing_and_reveals_nothing(client, auth, make_user):
    first, second = make_user(Role.BUYER), make_user(Role.BUYER)
    token = str(uuid.uuid4())
    auth.login_as(first)
    assert client.post(NEW_TENDER, data={**TENDER, "submission_token": token}).status_code == 302
    tender_id = db.session.scalar(select(Tender.id))
    auth.logout()
    auth.login_as(second)
    page = client.post(NEW_TENDER, data={**TENDER, "submission_token": token})
    assert page.status_code == 422
    assert ALREADY_SENT in text(page)
    assert f"/appels-d-offres/{tender_id}" not in text(page)
    assert count(Tender) == 1


def test_the_service_refuses_a_used_token_and_names_the_first_tender(app, make_user):
    user = make_user(Role.BUYER)
    token = str(uuid.uuid4())
    tender = buyer_services.create_tender(user, TENDER | {"deadline": None}, submission_token=token)
    with pytest.raises(AlreadySubmitted) as refused:
        buyer_services.create_tender(user, TENDER | {"deadline": None}, submission_token=token)
    assert refused.value.existing.id == tender.id
    assert count(Tender) == 1


def _post_all_at_once(app, client, url, data, n=CONCURRENT_POSTS):
    """``n`` clients signed in as the same user post ``data`` at the same instant, each in its own thread."""
    cookie = client.get_cookie("session").value
    start = threading.Barrier(n)

    def post(_):
        other = app.test_client()
        other.set_cookie("session", cookie)
        start.wait()
        return other.post(url, data=data)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(post, range(n)))


def test_concurrent_posts_of_one_page_create_one_object_on_postgresql(app, client, journey, backend):
    if backend != "postgresql":
        pytest.skip("SQLite's in-memory test database has a single connection: posts cannot race there")
    url, data, model = journey
    data["submission_token"] = token_in(text(client.get(url)))
    responses = _post_all_at_once(app, client, url, data)
    assert [response.status_code for response in responses] == [302] * CONCURRENT_POSTS
    assert len({response.headers["Location"] for response in responses}) == 1
    assert count(model) == 1
