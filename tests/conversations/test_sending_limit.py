"""Messages sent per user are limited (30 in 10 minutes by default): a French 429 beyond, reading unaffected."""

import pytest

from marketplace.conversations import services
from tests.conftest import AuthActions

pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def app(app_factory):
    """The app of every test here (and so of `client`, `world` and the factories) has its limiter on."""
    app = app_factory(RATELIMIT_ENABLED=True, MESSAGE_RATE_LIMIT="3 per 10 minutes")
    with app.app_context():
        yield app


def test_sending_is_rate_limited_per_user_with_a_french_429(app, client, auth, world):
    auth.login_as(world.owner)
    start = f"/messages/nouveau/appel-d-offres/{world.tender.id}"
    first = client.post(start, data={"company_id": world.company.id, "body": "Un"})
    assert first.status_code == 302
    thread = first.headers["Location"].split("#")[0]
    assert client.post(thread, data={"body": ""}).status_code == 422  # a refused message costs nothing
    assert [client.post(thread, data={"body": text}).status_code for text in ("Deux", "Trois")] == [302, 302]
    refused = client.post(thread, data={"body": "Quatre"})
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Vous avez envoyé beaucoup de messages en peu de temps." in html
    assert "Réessayez dans" in html
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert client.post(start, data={"company_id": world.company.id, "body": "Cinq"}).status_code == 429
    assert client.get(thread).status_code == 200  # reading is not limited
    # Another user has their own allowance.
    other = app.test_client()
    AuthActions(other).login_as(world.buyer)
    assert other.post(thread, data={"body": "Réponse"}).status_code == 302
    thread_id = int(thread.rsplit("/", 1)[1])
    assert [m.body for m in services.open_thread(world.buyer, thread_id).messages] == [
        "Un", "Deux", "Trois", "Réponse"]
