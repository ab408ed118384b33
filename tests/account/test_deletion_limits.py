"""Wrong passwords on the account deletion form are limited like logins: a few tries, then a wait."""

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import Role, User
from tests.conftest import PASSWORD
from tests.web.test_rate_limits import Clock


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("limits.storage.memory.time", clock)
    return clock


@pytest.fixture
def app(app_factory, clock):
    app = app_factory(RATELIMIT_ENABLED=True)
    with app.app_context():
        yield app


def attempt(client, password, checked=True):
    data = {"password": password, **({"confirm": "y"} if checked else {})}
    return client.post("/compte/suppression", data=data)


def test_five_wrong_passwords_then_a_wait_even_for_the_right_one(client, auth, make_user, clock):
    user = make_user(Role.SUPPLIER)
    user_id = user.id
    auth.login_as(user)
    for _ in range(3):
        assert attempt(client, PASSWORD, checked=False).status_code == 422  # a forgotten checkbox costs nothing
    for _ in range(5):
        assert attempt(client, "pas-le-bon").status_code == 422
    refused = attempt(client, PASSWORD)
    assert refused.status_code == 429
    assert "Trop de mots de passe incorrects. Réessayez dans" in refused.get_data(as_text=True)
    assert db.session.scalar(select(User.id).where(User.id == user.id)) == user.id
    clock.advance(15 * 60 + 1)
    assert attempt(client, PASSWORD).status_code == 302
    assert db.session.scalar(select(User.id).where(User.id == user_id)) is None
