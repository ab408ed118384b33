"""Access rules as a matrix: every role (and anonymous) against every page without URL parameters.

The views declare their roles with ``role_required``; this test reads them from the URL map so a new page is
covered as soon as it exists, and fails when a page is neither guarded nor declared public here.
"""

import pytest

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.models import Role

PUBLIC_ENDPOINTS = {"static", "main.home", "main.favicon", "main.accessibility", "main.legal_notice", "main.privacy",
                    "main.terms", "auth.register", "auth.login",
                    "auth.forgot_password", "account.deleted"}
# Public, with a signed token in the URL (checked in the journey's own tests): one-click e-mail unsubscribe,
# password reset, confirmation of a new e-mail address.
PUBLIC_TOKEN_ENDPOINTS = {"notifications.unsubscribe", "auth.reset_password", "auth.confirm_email",
                          "members.invitation", "participation.open_link"}
# Any signed-in user, whatever the role.
SIGNED_IN_ENDPOINTS = {"main.dashboard", "auth.logout", "auth.security", "auth.change_password",
                       "auth.change_email", "participation.mine"}
# An event participant's own pages: open to its linked account or to a browser that opened its personal link
# (access.participant_or_404; 404 for anyone else). Tested in tests/events/test_participation.py.
PARTICIPANT_ENDPOINTS = {"participation.home", "participation.answer", "participation.profile",
                         "participation.availability", "participation.wishes",
                         "participation.agenda", "participation.agenda_ics"}  # tests/events/test_agenda.py
ROLES = [None, *Role]


def _url_map():
    app = create_app(TestingConfig())
    return app, list(app.url_map.iter_rules())


APP, RULES = _url_map()


def _guarded_get_pages():
    for rule in RULES:
        view = APP.view_functions[rule.endpoint]
        roles = getattr(view, "required_roles", None)
        if roles and "GET" in rule.methods and not rule.arguments:
            yield rule.rule, rule.endpoint, roles


MATRIX = [
    pytest.param(path, role, allowed_roles, id=f"{endpoint}-{role.value if role else 'anonymous'}")
    for path, endpoint, allowed_roles in _guarded_get_pages()
    for role in ROLES
]


def test_every_endpoint_is_guarded_or_declared():
    unguarded = {
        rule.endpoint
        for rule in RULES
        if not getattr(APP.view_functions[rule.endpoint], "required_roles", None)
        and rule.endpoint not in PUBLIC_ENDPOINTS | PUBLIC_TOKEN_ENDPOINTS | SIGNED_IN_ENDPOINTS | PARTICIPANT_ENDPOINTS
    }
    assert unguarded == set(), "declare these endpoints public or protect them with role_required"


def test_the_matrix_covers_every_role_dashboard():
    paths = {path for path, *_ in _guarded_get_pages()}
    assert {"/entrepreneur/", "/acheteur/", "/evenements/", "/admin/"} <= paths


@pytest.mark.parametrize(("path", "role", "allowed_roles"), MATRIX)
def test_role_matrix(client, auth, make_user, path, role, allowed_roles):
    if role is not None:
        auth.login_as(make_user(role))
    response = client.get(path)
    if role is None:
        assert response.status_code == 302
        assert "/compte/connexion" in response.headers["Location"]
    elif role in allowed_roles:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Accès refusé" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", list(Role))
def test_dashboard_dispatches_each_role_to_its_own_page(client, auth, make_user, role):
    auth.login_as(make_user(role))
    target = client.get("/tableau-de-bord").headers["Location"]
    assert client.get(target).status_code == 200


@pytest.mark.parametrize("path", sorted(PUBLIC_ENDPOINTS - {"static"}))
def test_public_pages_answer_anonymous_visitors(client, path):
    url = next(rule.rule for rule in RULES if rule.endpoint == path)
    assert client.get(url).status_code == 200
