"""Signed one-click unsubscribe links: GET confirms, POST (RFC 8058) stops the e-mails without login or CSRF
token; forged, altered and expired links are refused."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import CHOOSABLE_KINDS, Frequency, NotificationKind, OutboxEmail
from marketplace.notifications.services import (
    UNSUBSCRIBE_SALT,
    frequencies,
    notify,
    read_unsubscribe_token,
    unsubscribe_token,
)
from marketplace.validators import ServiceError


@pytest.fixture
def csrf_app(app):
    """CSRF protection on, as in production: the one-click endpoint must work without a token."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _token_path(user, kind=NotificationKind.MESSAGE_RECEIVED):
    return f"/notifications/desinscription/{unsubscribe_token(user, kind)}"


def test_a_valid_token_names_its_user_and_kind(make_user):
    user = make_user()
    unsubscription = read_unsubscribe_token(unsubscribe_token(user, NotificationKind.MESSAGE_RECEIVED))
    assert (unsubscription.user.id, unsubscription.kinds) == (user.id, (NotificationKind.MESSAGE_RECEIVED,))
    everything = read_unsubscribe_token(unsubscribe_token(user, "all"))
    assert everything.kinds == CHOOSABLE_KINDS


def _altered(token: str) -> str:
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


@pytest.mark.parametrize("forge", [
    lambda user, token: _altered(token),  # the signature altered
    lambda user, token: URLSafeTimedSerializer("another-key", salt=UNSUBSCRIBE_SALT).dumps(
        {"u": user.id, "k": "message_received"}),  # signed with another key
    lambda user, token: "n-importe-quoi",
])
def test_forged_tokens_are_refused(make_user, forge):
    user = make_user()
    forged = forge(user, unsubscribe_token(user, NotificationKind.MESSAGE_RECEIVED))
    with pytest.raises(ServiceError, match="pas valide"):
        read_unsubscribe_token(forged)


def test_a_token_for_another_purpose_or_an_unknown_kind_is_refused(app, make_user):
    user = make_user()
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="password-reset")
    with pytest.raises(ServiceError):
        read_unsubscribe_token(other_salt.dumps({"u": user.id, "k": "message_received"}))
    with pytest.raises(ServiceError):
        read_unsubscribe_token(unsubscribe_token(user, "password_reset"))  # always sent: not unsubscribable


def test_an_expired_token_is_refused(app, make_user, monkeypatch):
    user = make_user()
    max_age = app.config["UNSUBSCRIBE_LINK_MAX_AGE"]
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - max_age - 60)
        token = unsubscribe_token(user, NotificationKind.MESSAGE_RECEIVED)
    with pytest.raises(ServiceError, match="expiré"):
        read_unsubscribe_token(token)
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - max_age + 60)
        assert read_unsubscribe_token(unsubscribe_token(user, NotificationKind.MESSAGE_RECEIVED)).user.id == user.id


def test_get_shows_a_confirmation_and_changes_nothing(csrf_app, make_user):
    user = make_user()
    page = csrf_app.test_client().get(_token_path(user))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Confirmer la désinscription" in html
    assert "Nouveaux messages" in html
    assert frequencies(user)[NotificationKind.MESSAGE_RECEIVED] is Frequency.IMMEDIATE


def test_one_click_post_without_login_nor_csrf_token_unsubscribes(csrf_app, make_user):
    user = make_user()
    client = csrf_app.test_client()
    response = client.post(_token_path(user), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "C'est noté" in response.get_data(as_text=True)
    db.session.expire_all()
    assert frequencies(user)[NotificationKind.MESSAGE_RECEIVED] is Frequency.NEVER
    assert frequencies(user)[NotificationKind.QPV_DECISION] is Frequency.IMMEDIATE
    notify(user, NotificationKind.MESSAGE_RECEIVED, "Nouveau message")
    db.session.commit()
    assert db.session.scalars(select(OutboxEmail)).all() == []


def test_other_forms_still_need_their_csrf_token(csrf_app, make_user):
    from tests.conftest import PASSWORD

    user = make_user()
    response = csrf_app.test_client().post("/compte/connexion", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_answers_400_and_changes_nothing(csrf_app, make_user, method):
    user = make_user()
    path = _token_path(user)[:-3] + "xyz"
    response = getattr(csrf_app.test_client(), method)(path)
    assert response.status_code == 400
    assert "pas valide" in response.get_data(as_text=True)
    db.session.expire_all()
    assert frequencies(user)[NotificationKind.MESSAGE_RECEIVED] is Frequency.IMMEDIATE


def test_a_digest_link_stops_every_choosable_kind(csrf_app, make_user):
    user = make_user()
    csrf_app.test_client().post(f"/notifications/desinscription/{unsubscribe_token(user, 'all')}")
    db.session.expire_all()
    assert set(frequencies(user).values()) == {Frequency.NEVER}
