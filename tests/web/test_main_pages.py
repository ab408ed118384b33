"""The public pages and the organisers' page promise only what the platform does today; /favicon.ico exists."""

import re
from datetime import date, timedelta
from html import unescape

import pytest

from marketplace.models import Role, TenderStatus

# Features announced before they exist (teams of small companies, tenders shown to entrepreneurs). The meetings
# of the events module ("planifier") exist since issue 12.
NOT_YET = [
    re.compile(r"groupement", re.IGNORECASE),
    re.compile(r"recevez les appels d'offres", re.IGNORECASE),
]


def text_of(response) -> str:
    """The page's visible words, without tags, on one line."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_home_page_announces_no_feature_that_does_not_exist(client):
    text = text_of(client.get("/"))
    for promise in NOT_YET:
        assert not promise.search(text), promise.pattern
    # The events module works: the organisers' section describes it and no longer calls it coming.
    assert "en préparation" not in text.lower()
    assert "souhaits de rendez-vous" in text


def test_the_home_page_sends_no_one_to_an_empty_page(client):
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert "/compte/inscription?profil=organiser" in links
    for link in links:
        if link.startswith("/"):
            assert client.get(link).status_code in (200, 302), link


@pytest.fixture
def organiser_client(client, auth, make_user):
    auth.login_as(make_user(Role.ORGANISER))
    return client


def test_the_organisers_page_opens_the_events_module_and_its_links_work(organiser_client):
    response = organiser_client.get("/evenements/")
    text = text_of(response)
    assert response.status_code == 200
    assert "en construction" not in text
    for promise in NOT_YET:
        assert not promise.search(text), promise.pattern
    html = response.get_data(as_text=True)
    # What an organiser does first: create an event (a link that works).
    links = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert "/evenements/nouveau" in links
    for link in links:
        if link.startswith("/"):
            assert organiser_client.get(link).status_code in (200, 302), link


def test_publishing_does_not_claim_entrepreneurs_can_read_the_tender(client, auth, make_user, make_tender):
    buyer = make_user(Role.BUYER)
    auth.login_as(buyer)
    tender = make_tender(buyer=buyer, status=TenderStatus.DRAFT, description="Entretien des halls.",
                         cpv_codes=["90910000-9"], deadline=date.today() + timedelta(days=30))
    response = client.post(f"/acheteur/appels-d-offres/{tender.id}/publier", follow_redirects=True)
    flashes = re.findall(r'<p class="flash flash-success">([^<]*)</p>', response.get_data(as_text=True))
    published = [unescape(message) for message in flashes if "publié" in message]
    assert len(published) == 1
    assert published[0].startswith("Appel d'offres publié")
    assert not re.search(r"(entreprises|entrepreneurs) peuvent", published[0])


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    data = response.get_data()
    response.close()
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert data[:4] == b"\x00\x00\x01\x00"  # the ICO signature
