"""The password rule: long enough, not one of the most common passwords (zxcvbn's list and a few French ones),
not the e-mail address; applied at registration and by ``flask create-admin``."""

import html

import pytest
from sqlalchemy import select

from marketplace.demo.showcase import DEFAULT_DEMO_PASSWORD
from marketplace.extensions import db
from marketplace.models import User
from marketplace.validators import check_password_strength
from tests.conftest import PASSWORD

COMMON = "plus courants"
EMAIL_MESSAGE = "ne doit pas reprendre votre adresse e-mail"


@pytest.mark.parametrize(
    "password",
    ["password12", "azertyuiop", "motdepasse", "Password12", "mot-de-passe", "AZERTYUIOP2024!", "bisounours",
     "qwertyuiop", "iloveyou12"],
)
def test_common_passwords_are_refused(password):
    with pytest.raises(ValueError, match=COMMON):
        check_password_strength(password)


@pytest.mark.parametrize(
    ("password", "email"),
    [("awa.diallo@exemple.fr", "awa.diallo@exemple.fr"), ("AWA.DIALLO@EXEMPLE.FR", "awa.diallo@exemple.fr"),
     ("awadiallo-2026", "awa.diallo@exemple.fr"), ("mon-awa.diallo@exemple.fr!", "Awa.Diallo@exemple.fr")],
)
def test_a_password_made_of_the_email_is_refused(password, email):
    with pytest.raises(ValueError, match=EMAIL_MESSAGE):
        check_password_strength(password, email)


@pytest.mark.parametrize("password", [PASSWORD, DEFAULT_DEMO_PASSWORD, "un-mot-de-passe-long", "cheval-agrafe-pile"])
def test_the_project_passwords_and_a_passphrase_pass(password):
    check_password_strength(password, "awa.diallo@exemple.fr")
    check_password_strength(password, "entrepreneur@demo.marche-quartiers.fr")


def test_a_short_local_part_does_not_forbid_its_letters():
    check_password_strength("cheval-agrafe-pile", "al@exemple.fr")


def _register(client, password, email="awa.diallo@exemple.fr"):
    return client.post("/compte/inscription", data={
        "role": "organiser", "full_name": "Awa Diallo", "email": email, "password": password, "confirm": password})


@pytest.mark.parametrize(
    ("password", "message"),
    [("password12", COMMON), ("azertyuiop", COMMON), ("motdepasse", COMMON), ("awa.diallo@exemple.fr", EMAIL_MESSAGE)],
)
def test_registration_refuses_common_passwords_and_the_email(client, password, message):
    page = _register(client, password)
    assert page.status_code == 422
    assert message in html.unescape(page.get_data(as_text=True))
    assert db.session.scalar(select(User)) is None


def test_registration_accepts_the_test_password(client):
    assert _register(client, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"), [("azertyuiop", COMMON), ("chef@exemple.fr", EMAIL_MESSAGE)]
)
def test_create_admin_refuses_common_passwords_and_the_email(runner, password, message):
    result = runner.invoke(args=["create-admin", "chef@exemple.fr", "--password", password])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(User)) is None
