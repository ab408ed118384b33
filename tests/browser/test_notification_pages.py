"""Notifications in a real browser: the header counter, the list, the preferences form and the unsubscribe
confirmation, on desktop and phone, with axe (no serious or critical violation) and no horizontal scrolling."""

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import NotificationKind, Role, User
from marketplace.notifications.services import notify, unsubscribe_token
from tests.browser.measures import horizontal_overflow
from tests.conftest import PASSWORD


@pytest.fixture
def notified(live_app):
    """An entrepreneur with two unread notifications; returns an unsubscribe path for them."""
    with live_app.app_context():
        user = User(email="awa@exemple.fr", full_name="Awa Diallo", role=Role.SUPPLIER,
                    password_hash=generate_password_hash(PASSWORD))
        db.session.add(user)
        db.session.flush()
        notify(user, NotificationKind.QPV_DECISION, "Déclaration QPV refusée pour Horizon Propreté 93",
               "Votre déclaration QPV n'a pas été acceptée.\n\nMotif : adresse hors du périmètre du quartier.",
               link="/entrepreneur/")
        notify(user, NotificationKind.MESSAGE_RECEIVED, "Nouveau message de la Ville de Saint-Denis",
               "Pouvez-vous préciser vos disponibilités en juillet ?", link="/entrepreneur/")
        db.session.commit()
        return f"/notifications/desinscription/{unsubscribe_token(user, NotificationKind.MESSAGE_RECEIVED)}"


def log_in(page):
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill("awa@exemple.fr")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_counter_list_and_mark_as_read(request, axe_violations, notified, device):
    page = request.getfixturevalue(device)
    log_in(page)
    link = page.get_by_role("link", name="Notifications (2 non lue(s))")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name="Mes notifications")).to_be_visible()
    expect(page.get_by_text("Motif : adresse hors du périmètre du quartier.")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="Marquer comme lu : Nouveau message de la Ville de Saint-Denis").click()
    expect(page.get_by_role("link", name="Notifications (1 non lue(s))")).to_be_visible()
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(page.get_by_text("Tout est lu.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_preferences_form(request, axe_violations, notified, device):
    page = request.getfixturevalue(device)
    log_in(page)
    page.goto("/notifications/preferences")
    group = page.get_by_role("group", name="Nouveaux messages")
    group.get_by_label("Résumé quotidien").check()
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.get_by_text("Vos préférences de notification sont enregistrées.")).to_be_visible()
    expect(page.get_by_role("group", name="Nouveaux messages").get_by_label("Résumé quotidien")).to_be_checked()


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_unsubscribe_confirmation_without_login(request, axe_violations, notified, device):
    page = request.getfixturevalue(device)
    page.goto(notified)
    expect(page.get_by_role("heading", name="Ne plus recevoir ces e-mails ?")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirmer la désinscription").click()
    expect(page.get_by_role("heading", name="C'est noté")).to_be_visible()
    assert axe_violations(page) == []
