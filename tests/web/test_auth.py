"""Registration, login, logout, sessions that really end, passwords and the create-admin command.

Rate limits are in test_rate_limits.py."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db, login_manager
from marketplace.models import BuyerOrganisation, Role, SupplierCompany, User
from tests.conftest import PASSWORD

VALID_SIRET = "73282932000074"


def register(client, **overrides):
    data = {
        "role": "supplier",
        "full_name": "Awa Diallo",
        "email": "awa@exemple.fr",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "company_name": "Awa Nettoyage",
        "siret": VALID_SIRET,
        "organisation_name": "",
    }
    data.update(overrides)
    return client.post("/compte/inscription", data=data)


def test_supplier_registration_creates_account_and_company(client):
    response = register(client, email="  Awa@Exemple.FR ", siret="732 829 320 00074")
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "awa@exemple.fr"
    assert user.role is Role.SUPPLIER
    assert user.password_hash != PASSWORD
    assert user.check_password(PASSWORD)
    company = db.session.scalar(select(SupplierCompany))
    assert (company.siret, company.owner_id) == (VALID_SIRET, user.id)
    assert "Mon espace entrepreneur" in client.get("/entrepreneur/").get_data(as_text=True)


def test_buyer_registration_creates_the_organisation(client):
    page = register(client, role="buyer", siret="", company_name="", organisation_name="Ville de Test")
    assert page.status_code == 302
    user = db.session.scalar(select(User))
    assert user.role is Role.BUYER
    assert user.buyer_organisation.name == "Ville de Test"


def test_buyer_cannot_join_an_existing_organisation_by_name(client, make_user):
    make_user(Role.BUYER, buyer_organisation=BuyerOrganisation(name="Ville de Test"))
    page = register(client, role="buyer", organisation_name="ville de test")
    assert page.status_code == 422
    assert "déjà inscrite" in page.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["ÉCOLE  des Arts", "ecole des arts", " Ecole des  ARTS "])
def test_organisation_names_match_whatever_the_case_accents_or_spacing(client, make_user, typed):
    # SQLite's lower() folds ASCII only: the stored name_key makes "École" and "ÉCOLE" one organisation.
    make_user(Role.BUYER, buyer_organisation=BuyerOrganisation(name="École des arts"))
    page = register(client, role="buyer", organisation_name=typed)
    assert page.status_code == 422
    assert "déjà inscrite" in page.get_data(as_text=True)
    assert f'value="{typed}"' in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BuyerOrganisation)) == 1


def test_the_database_refuses_a_second_organisation_with_the_same_key(app):
    db.session.add(BuyerOrganisation(name="École des arts"))
    db.session.commit()
    db.session.add(BuyerOrganisation(name="ECOLE DES ARTS"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_organiser_registration(client):
    assert register(client, role="organiser", siret="", company_name="").status_code == 302
    assert db.session.scalar(select(User.role)) is Role.ORGANISER


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"siret": "73282932000075"}, "clé de contrôle incorrecte"),
        ({"siret": "1234"}, "14 chiffres"),
        ({"siret": ""}, "SIRET est obligatoire"),
        ({"password": "court", "confirm": "court"}, "au moins 10 caractères"),
        ({"password": "1111111111", "confirm": "1111111111"}, "trop simple"),
        ({"confirm": "autre-chose-123"}, "ne correspondent pas"),
        ({"email": "pas-une-adresse"}, "Adresse e-mail invalide"),
        ({"company_name": ""}, "nom de votre entreprise"),
        ({"role": "admin"}, "Not a valid choice"),
    ],
)
def test_bad_registration_is_refused_with_a_field_message_and_keeps_input(client, overrides, message):
    page = register(client, full_name="Awa <Diallo>", **overrides)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    if message == "Not a valid choice":
        assert 'id="role-erreur"' in html
    else:
        assert message in html
    assert 'value="Awa &lt;Diallo&gt;"' in html  # typed value kept, and escaped
    assert 'aria-invalid="true"' in html or 'id="role-erreur"' in html
    assert db.session.scalar(select(User)) is None


def test_duplicate_email_is_refused(client, make_user):
    make_user(email="awa@exemple.fr")
    page = register(client, email="AWA@exemple.fr")
    assert page.status_code == 422
    assert "Un compte existe déjà avec cette adresse" in page.get_data(as_text=True)


def test_duplicate_siret_is_refused(client, make_supplier):
    make_supplier(siret=VALID_SIRET)
    page = register(client)
    assert page.status_code == 422
    assert "SIRET est déjà inscrite" in page.get_data(as_text=True)


def test_login_logout(client, make_user):
    user = make_user(Role.BUYER, email="achat@exemple.fr")
    response = client.post("/compte/connexion", data={"email": " ACHAT@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tableau-de-bord")
    assert client.get("/acheteur/").status_code == 200
    assert db.session.get(User, user.id).last_login_at is not None
    assert client.post("/compte/deconnexion").status_code == 302
    assert client.get("/acheteur/").status_code == 302


@pytest.mark.parametrize("password", ["mauvais-mot-de-passe", ""])
def test_wrong_password_is_refused_without_saying_which_part_is_wrong(client, make_user, password):
    make_user(email="achat@exemple.fr")
    page = client.post("/compte/connexion", data={"email": "achat@exemple.fr", "password": password})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Adresse e-mail ou mot de passe incorrect" in html or "obligatoire" in html
    assert 'value="achat@exemple.fr"' in html


def test_inactive_user_cannot_log_in(client, make_user):
    make_user(email="parti@exemple.fr", active=False)
    assert client.post("/compte/connexion", data={"email": "parti@exemple.fr", "password": PASSWORD}).status_code == 422


def test_login_follows_only_local_next_urls(client, make_user):
    user = make_user(Role.SUPPLIER)
    data = {"email": user.email, "password": PASSWORD}
    assert client.post("/compte/connexion?next=/entrepreneur/", data=data).headers["Location"] == "/entrepreneur/"
    client.post("/compte/deconnexion")
    evil = client.post("/compte/connexion?next=https://evil.example/x", data=data)
    assert "evil" not in evil.headers["Location"]


def test_session_cookie_is_httponly_and_lax(client, make_user):
    user = make_user()
    response = client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_csrf_is_enforced_when_enabled(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.post("/compte/connexion", data={"email": "a@exemple.fr", "password": PASSWORD})
    assert page.status_code == 400
    assert "jeton de sécurité" in page.get_data(as_text=True)
    form = client.get("/compte/connexion").get_data(as_text=True)
    token = form.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    page = client.post("/compte/connexion", data={"email": "a@exemple.fr", "password": PASSWORD, "csrf_token": token})
    assert page.status_code == 422  # the token is accepted; the credentials are not


def test_logout_needs_a_post_with_csrf(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    assert app.test_client().get("/compte/deconnexion").status_code == 405


def test_create_admin_command(runner):
    result = runner.invoke(args=["create-admin", "Chef@Exemple.fr", "--password", "un-mot-de-passe-long"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("chef@exemple.fr", Role.ADMIN)
    assert user.check_password("un-mot-de-passe-long")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [("chef@exemple.fr", "court", "au moins 10"), ("pas-une-adresse", "un-mot-de-passe-long", "e-mail invalide")],
)
def test_create_admin_refuses_bad_input(runner, email, password, message):
    result = runner.invoke(args=["create-admin", email, "--password", password])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(User)) is None


def test_create_admin_promotes_an_existing_account(runner, make_user):
    user = make_user(Role.BUYER, email="chef@exemple.fr")
    assert runner.invoke(args=["create-admin", "chef@exemple.fr", "--password", "un-mot-de-passe-long"]).exit_code == 0
    assert db.session.get(User, user.id).role is Role.ADMIN


def test_a_registration_race_on_the_email_gives_a_field_error_not_a_500(client, make_user, monkeypatch):
    from marketplace.auth import services

    make_user(email="awa@exemple.fr")
    checks = iter([False])  # the first check misses the other account, as in a race; later ones see it
    real = services.email_taken
    monkeypatch.setattr(services, "email_taken", lambda email: next(checks, None) or real(email))
    page = register(client)
    assert page.status_code == 422
    assert "Un compte existe déjà avec cette adresse" in page.get_data(as_text=True)


def test_unknown_email_still_costs_a_password_check(app, monkeypatch):
    from marketplace.auth import services

    checked = []
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: checked.append(h) or False)
    assert services.authenticate("personne@exemple.fr", "x") is None
    assert checked


@pytest.mark.parametrize("path", ["/compte/connexion", "/compte/inscription"])
def test_head_on_the_account_pages_answers_200(client, path):
    response = client.head(path)
    assert response.status_code == 200
    assert response.get_data() == b""


def sign_in_remembered(client, user):
    response = client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return client.get_cookie("session").value, client.get_cookie("remember_token").value


def replay(app, name, value):
    """A new browser (another address, say) that holds only a copied cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def test_logout_ends_the_session_even_for_a_copied_session_cookie(app, client, make_user):
    session, _ = sign_in_remembered(client, make_user(Role.BUYER))
    assert replay(app, "session", session).get("/acheteur/").status_code == 200  # the copy works while signed in
    client.post("/compte/deconnexion")
    assert replay(app, "session", session).get("/acheteur/").status_code == 302


def test_logout_ends_the_remember_cookie_too(app, client, make_user):
    _, remember = sign_in_remembered(client, make_user(Role.BUYER))
    assert replay(app, "remember_token", remember).get("/acheteur/").status_code == 200
    client.post("/compte/deconnexion")
    assert replay(app, "remember_token", remember).get("/acheteur/").status_code == 302


def test_logout_ends_the_sessions_of_the_other_devices(app, client, make_user):
    user = make_user(Role.BUYER)
    phone = app.test_client()
    sign_in_remembered(phone, user)
    sign_in_remembered(client, user)
    client.post("/compte/deconnexion")
    assert phone.get("/acheteur/").status_code == 302


def test_an_administrators_password_reset_ends_every_session(app, client, runner, make_user):
    user = make_user(Role.ADMIN, email="chef@exemple.fr")
    session, remember = sign_in_remembered(client, user)
    assert client.get("/admin/").status_code == 200
    result = runner.invoke(args=["create-admin", "chef@exemple.fr", "--password", "un-nouveau-mot-de-passe"])
    assert result.exit_code == 0, result.output
    assert client.get("/admin/").status_code == 302
    assert replay(app, "session", session).get("/admin/").status_code == 302
    assert replay(app, "remember_token", remember).get("/admin/").status_code == 302
    assert client.post("/compte/connexion", data={"email": user.email, "password": "un-nouveau-mot-de-passe"}
                       ).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_deactivated_account_loses_its_open_sessions(app, client, make_user):
    from marketplace.extensions import db

    user = make_user(Role.BUYER)
    session, remember = sign_in_remembered(client, user)
    user.active = False
    db.session.commit()
    assert client.get("/acheteur/").status_code == 302
    assert replay(app, "session", session).get("/acheteur/").status_code == 302
    assert replay(app, "remember_token", remember).get("/acheteur/").status_code == 302


def test_changing_a_password_rotates_the_session_token(app, make_user):
    """Every password change (reset today, self-service tomorrow) goes through set_password."""
    user = make_user()
    before = user.session_token
    user.set_password("un-autre-mot-de-passe")
    assert user.session_token != before
    assert user.get_id() == f"{user.id}:{user.session_token}"


@pytest.mark.parametrize("cookie_id", ["1", "1:", "1:faux", ":", "abc:def", "١:x", "", "99999999999999999999:x"])
def test_a_forged_or_old_style_user_id_loads_no_one(app, make_user, cookie_id):
    make_user()
    assert login_manager._user_callback(cookie_id) is None


def test_the_remember_cookie_lasts_thirty_days(app):
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_migration_gives_every_existing_user_a_distinct_token(tmp_path):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(config)
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            for n in range(3):
                connection.execute(sa.text(
                    "INSERT INTO users (email, password_hash, full_name, role, active, created_at, updated_at) "
                    "VALUES (:email, 'x', 'Ancien', 'supplier', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ), {"email": f"ancien{n}@exemple.fr"})
        upgrade(revision="0006")
        with db.engine.connect() as connection:
            tokens = connection.scalars(sa.text("SELECT session_token FROM users")).all()
        assert len(tokens) == len(set(tokens)) == 3
        assert all(token and len(token) >= 32 for token in tokens)
        db.engine.dispose()
