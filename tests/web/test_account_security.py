"""Password reset by a signed link, change of password and of e-mail on /compte/securite.

Links are read from the outbox rows' text bodies, as a person would read them in the e-mail."""

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from marketplace.auth import services
from marketplace.extensions import db
from marketplace.models import NotificationKind, OutboxEmail, Role, User
from tests.conftest import PASSWORD

NEW_PASSWORD = "un-tout-nouveau-secret-77"
RESET_SENT = "Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé."


def outbox(kind=None):
    stmt = select(OutboxEmail).order_by(OutboxEmail.id)
    if kind is not None:
        stmt = stmt.where(OutboxEmail.kind == str(kind))
    return list(db.session.scalars(stmt))


def fresh(user) -> User:
    """The account as stored now (requests ran in their own sessions)."""
    db.session.expire_all()
    return db.session.get(User, user.id)


def link_in(email: OutboxEmail, path_start: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S+)", email.text_body)
    assert match, email.text_body
    return match.group(1)


def ask_reset(client, email):
    return client.post("/compte/mot-de-passe-oublie", data={"email": email})


def reset_link(client, user) -> str:
    assert ask_reset(client, user.email).status_code == 302
    return link_in(outbox(NotificationKind.PASSWORD_RESET)[-1], "/compte/mot-de-passe/")


def choose(client, link, password=NEW_PASSWORD, confirm=None):
    return client.post(link, data={"password": password, "confirm": confirm or password})


def sign_in(client, email, password=PASSWORD):
    return client.post("/compte/connexion", data={"email": email, "password": password})


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, value):
    """Another browser holding only a copy of the session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


# --- password reset --------------------------------------------------------------------------------------

def test_the_forgot_form_answers_the_same_for_known_and_unknown_addresses(client, make_user):
    user = make_user(Role.BUYER)
    known = ask_reset(client, user.email)
    page_known = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = ask_reset(client, "personne@exemple.fr")
    page_unknown = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    assert RESET_SENT in page_known
    assert page_known == page_unknown
    emails = outbox()
    assert [(e.to_address, e.kind, e.transactional) for e in emails] == [
        (user.email, "password_reset", True)
    ]
    assert emails[0].unsubscribe_url is None


def test_an_inactive_account_gets_no_reset_email(client, make_user):
    user = make_user(active=False)
    assert ask_reset(client, user.email).status_code == 302
    assert outbox() == []


def test_the_forgot_form_refuses_a_malformed_address_with_a_field_error(client):
    page = ask_reset(client, "pas-une-adresse")
    assert page.status_code == 422
    assert "Adresse e-mail invalide." in page.get_data(as_text=True)


def test_reset_end_to_end_ends_every_session_and_the_new_password_works(app, client, make_user):
    user = make_user(Role.SUPPLIER)
    elsewhere = app.test_client()
    assert sign_in(elsewhere, user.email).status_code == 302
    stolen = session_cookie(elsewhere)
    assert replay(app, stolen).get("/entrepreneur/").status_code == 200

    link = reset_link(client, user)
    email = outbox()[-1]
    assert "valable 60 minutes" in email.text_body
    assert link in email.html_body
    form = client.get(link)
    assert form.status_code == 200
    assert user.email in form.get_data(as_text=True)
    done = choose(client, link)
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/compte/connexion")

    assert replay(app, stolen).get("/entrepreneur/").status_code == 302  # the other session ended
    assert sign_in(app.test_client(), user.email).status_code == 422  # the old password no longer works
    assert sign_in(client, user.email, NEW_PASSWORD).status_code == 302


def test_a_used_reset_link_is_refused(client, make_user):
    user = make_user()
    link = reset_link(client, user)
    assert choose(client, link).status_code == 302
    again = client.get(link)
    assert again.status_code == 410
    html = again.get_data(as_text=True)
    assert "déjà été utilisé" in html
    assert "/compte/mot-de-passe-oublie" in html
    assert choose(client, link, "encore-un-autre-secret-88").status_code == 410
    assert fresh(user).check_password(NEW_PASSWORD)


def test_an_older_reset_link_dies_when_the_password_changes_by_another_one(client, make_user):
    user = make_user()
    first = reset_link(client, user)
    second = reset_link(client, user)
    assert choose(client, second).status_code == 302
    assert client.get(first).status_code == 410


def test_an_expired_reset_link_is_refused(client, make_user, monkeypatch):
    user = make_user()
    issued = time.time() - services.RESET_MAX_AGE - 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(issued))
    link = reset_link(client, user)
    monkeypatch.undo()
    page = client.get(link)
    assert page.status_code == 410
    assert "expiré" in page.get_data(as_text=True)
    assert choose(client, link).status_code == 410
    assert fresh(user).check_password(PASSWORD)


def test_a_link_issued_just_within_the_hour_still_works(client, make_user, monkeypatch):
    user = make_user()
    issued = time.time() - services.RESET_MAX_AGE + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(issued))
    link = reset_link(client, user)
    monkeypatch.undo()
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("mangle", [
    lambda link: link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB"),  # a damaged signature
    lambda link: "/compte/mot-de-passe/pas-un-jeton",
])
def test_a_forged_reset_link_is_refused(client, make_user, mangle):
    user = make_user()
    link = mangle(reset_link(client, user))
    page = client.get(link)
    assert page.status_code == 400
    assert "n'est pas valide" in page.get_data(as_text=True)
    assert choose(client, link).status_code == 400
    assert fresh(user).check_password(PASSWORD)


def test_a_link_signed_with_another_key_is_refused(app, client, make_user):
    from itsdangerous import URLSafeTimedSerializer

    user = make_user()
    forged = URLSafeTimedSerializer("pas-la-cle", salt=services.RESET_SALT).dumps(
        {"u": user.id, "p": services._fingerprint(user.password_hash)}
    )
    assert client.get(f"/compte/mot-de-passe/{forged}").status_code == 400


def test_the_new_password_follows_the_policy(client, make_user):
    user = make_user(email="awa.diallo@exemple.fr")
    link = reset_link(client, user)
    for weak, message in [("court", "au moins 10"), ("awa.diallo@exemple.fr", "adresse e-mail")]:
        page = choose(client, link, weak)
        assert page.status_code == 422
        assert message in page.get_data(as_text=True)
    mismatch = choose(client, link, NEW_PASSWORD, "autre-chose-encore-1")
    assert mismatch.status_code == 422
    assert "ne correspondent pas" in mismatch.get_data(as_text=True)
    assert fresh(user).check_password(PASSWORD)
    assert choose(client, link).status_code == 302  # the link still works after refused attempts


def test_the_forgot_form_is_rate_limited_per_address(app_factory, monkeypatch):
    class Clock:
        now = time.time()

        def time(self):
            return self.now

    monkeypatch.setattr("limits.storage.memory.time", Clock())
    app = app_factory(RATELIMIT_ENABLED=True, PASSWORD_RESET_RATE_LIMIT="3 per hour")
    with app.app_context():
        client = app.test_client()
        codes = [ask_reset(client, "quelquun@exemple.fr").status_code for _ in range(4)]
        assert codes == [302, 302, 302, 429]
        refused = ask_reset(client, "Quelquun@Exemple.fr ")  # the same address, written differently
        assert refused.status_code == 429
        assert "Trop de demandes de réinitialisation" in refused.get_data(as_text=True)
        assert ask_reset(client, "autre@exemple.fr").status_code == 302  # another address is not held back


def test_the_login_page_links_to_the_forgot_form(client):
    assert "/compte/mot-de-passe-oublie" in client.get("/compte/connexion").get_data(as_text=True)


# --- the security page -------------------------------------------------------------------------------------

def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/compte/securite/mot-de-passe", data={
        "mdp-current_password": current, "mdp-password": new, "mdp-confirm": confirm or new,
    })


def change_email(client, email, current=PASSWORD):
    return client.post("/compte/securite/adresse-e-mail", data={
        "adresse-email": email, "adresse-current_password": current,
    })


def test_the_security_page_needs_a_signed_in_user(client):
    for response in (client.get("/compte/securite"), change_password(client), change_email(client, "a@exemple.fr")):
        assert response.status_code == 302
        assert "/compte/connexion" in response.headers["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reaches_the_security_page_from_the_header(client, auth, make_user, role):
    auth.login_as(make_user(role))
    assert 'href="/compte/securite"' in client.get("/").get_data(as_text=True)
    assert client.get("/compte/securite").status_code == 200


def test_changing_the_password_needs_the_current_one(client, auth, make_user):
    user = make_user()
    auth.login_as(user)
    page = change_password(client, current="pas-le-bon-mot-de-passe")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Mot de passe actuel incorrect." in html
    assert 'id="mdp-current_password"' in html
    assert fresh(user).check_password(PASSWORD)


def test_changing_the_password_applies_the_policy(client, auth, make_user):
    user = make_user()
    auth.login_as(user)
    page = change_password(client, new="court")
    assert page.status_code == 422
    assert "au moins 10" in page.get_data(as_text=True)
    assert fresh(user).check_password(PASSWORD)


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, auth, make_user):
    user = make_user(Role.BUYER)
    elsewhere = app.test_client()
    sign_in(elsewhere, user.email)
    stolen = session_cookie(elsewhere)
    auth.login_as(user)
    done = change_password(client)
    assert done.status_code == 302
    assert client.get("/acheteur/").status_code == 200  # still signed in here
    assert elsewhere.get("/acheteur/").status_code == 302
    assert replay(app, stolen).get("/acheteur/").status_code == 302
    assert sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def request_change(client, email):
    assert change_email(client, email).status_code == 302
    return link_in(outbox(NotificationKind.EMAIL_CONFIRMATION)[-1], "/compte/adresse-e-mail/")


def test_changing_the_email_takes_effect_when_the_link_is_opened(app, client, auth, make_user):
    user = make_user(Role.ORGANISER, email="ancienne@exemple.fr")
    elsewhere = app.test_client()
    sign_in(elsewhere, user.email)
    auth.login_as(user)
    link = request_change(client, "Nouvelle@Exemple.fr")
    confirmation = outbox()[-1]
    assert (confirmation.to_address, confirmation.transactional) == ("nouvelle@exemple.fr", True)
    assert fresh(user).email == "ancienne@exemple.fr"  # nothing changes before the link

    done = client.get(link)
    assert done.status_code == 302
    assert fresh(user).email == "nouvelle@exemple.fr"
    assert client.get("/evenements/").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/evenements/").status_code == 302  # the others are signed out
    notice = outbox()[-1]
    assert notice.to_address == "ancienne@exemple.fr"
    assert "nouvelle@exemple.fr" in notice.text_body
    assert client.get(link).status_code == 410  # spent
    assert sign_in(app.test_client(), "nouvelle@exemple.fr").status_code == 302


def test_the_email_link_works_from_another_browser(app, client, auth, make_user):
    user = make_user(email="avant@exemple.fr")
    auth.login_as(user)
    link = request_change(client, "apres@exemple.fr")
    phone = app.test_client()
    opened = phone.get(link)
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith("/compte/connexion")
    assert fresh(user).email == "apres@exemple.fr"
    assert client.get("/entrepreneur/").status_code == 302  # every session ended, the asking one too


def test_changing_the_email_needs_the_password_and_a_free_address(client, auth, make_user):
    make_user(email="prise@exemple.fr")
    user = make_user(email="moi@exemple.fr")
    auth.login_as(user)
    wrong = change_email(client, "libre@exemple.fr", current="pas-le-bon-mot-de-passe")
    assert wrong.status_code == 422
    assert "Mot de passe actuel incorrect." in wrong.get_data(as_text=True)
    taken = change_email(client, "Prise@exemple.fr")
    assert taken.status_code == 422
    html = taken.get_data(as_text=True)
    assert "déjà utilisée par un autre compte" in html
    assert 'value="Prise@exemple.fr"' in html  # what was typed is kept
    assert outbox() == []


def test_an_address_taken_before_confirmation_is_refused_then(client, auth, make_user):
    user = make_user(email="moi@exemple.fr")
    auth.login_as(user)
    link = request_change(client, "convoitee@exemple.fr")
    make_user(email="convoitee@exemple.fr")
    page = client.get(link)
    assert page.status_code == 409
    assert "déjà utilisée par un autre compte" in page.get_data(as_text=True)
    assert fresh(user).email == "moi@exemple.fr"
    assert len(outbox()) == 1  # no notice to the old address
    assert client.get("/entrepreneur/").status_code == 200  # nothing ended


def test_a_forged_or_expired_email_link_is_refused(client, auth, make_user, monkeypatch):
    user = make_user(email="moi@exemple.fr")
    auth.login_as(user)
    link = request_change(client, "neuve@exemple.fr")
    assert client.get(link[:-2] + "xx").status_code == 400
    issued = time.time() - services.EMAIL_CHANGE_MAX_AGE - 5
    # Signed as the service does, a day and a bit ago (outside a request: the session cookie keeps its time).
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(issued))
    old_token = services.email_change_token(fresh(user), "neuve@exemple.fr")
    monkeypatch.undo()
    page = client.get(f"/compte/adresse-e-mail/{old_token}")
    assert page.status_code == 410
    assert "expiré" in page.get_data(as_text=True)
    assert fresh(user).email == "moi@exemple.fr"


def test_a_reset_link_is_not_an_email_link(client, make_user):
    user = make_user()
    token = reset_link(client, user).rsplit("/", 1)[1]
    assert client.get(f"/compte/adresse-e-mail/{token}").status_code == 400  # another salt
