"""The notification list, the header counter and the preferences page: for every role, only one's own."""

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import Frequency, Notification, NotificationKind, Role
from marketplace.notifications.services import frequencies, notify, unread_count


def _notify(user, count=1, **kwargs):
    made = [notify(user, NotificationKind.QPV_DECISION, f"Décision {n}", "Le motif <script>", link="/entrepreneur/",
                   **kwargs) for n in range(count)]
    db.session.commit()
    return made


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_list_with_an_empty_state_and_a_header_link(client, auth, make_user, role):
    auth.login_as(make_user(role))
    page = client.get("/notifications/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Aucune notification pour l'instant" in html
    assert 'href="/notifications/"' in html
    assert client.get("/notifications/preferences").status_code == 200


def test_the_header_counts_unread_notifications(client, auth, make_user):
    user = make_user()
    _notify(user, 3)
    auth.login_as(user)
    html = client.get("/notifications/").get_data(as_text=True)
    assert '<mark aria-hidden="true">3</mark>' in html
    assert "(3 non lue(s))" in html
    assert "Le motif &lt;script&gt;" in html


def test_anonymous_visitors_are_sent_to_login(client, make_user):
    for response in (client.get("/notifications/"), client.get("/notifications/preferences"),
                     client.post("/notifications/tout-lu"), client.post("/notifications/1/lue")):
        assert response.status_code == 302
        assert "/compte/connexion" in response.headers["Location"]


def test_mark_one_as_read_and_another_users_notification_is_404(client, auth, make_user):
    user, other = make_user(), make_user()
    [mine] = _notify(user)
    [theirs] = _notify(other)
    auth.login_as(user)
    assert client.post(f"/notifications/{theirs.id}/lue").status_code == 404
    assert client.post("/notifications/999999/lue").status_code == 404
    response = client.post(f"/notifications/{mine.id}/lue")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, mine.id).read_at is not None
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_as_read_touches_only_ones_own(client, auth, make_user):
    user, other = make_user(), make_user()
    _notify(user, 2)
    _notify(other, 2)
    auth.login_as(user)
    assert client.post("/notifications/tout-lu").status_code == 302
    assert (unread_count(user), unread_count(other)) == (0, 2)
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Tout est lu" in html
    assert "<mark" not in html


def test_the_list_is_paginated_newest_first_and_shows_only_ones_own(client, auth, make_user, app):
    app.config["ITEMS_PER_PAGE"] = 2
    user, other = make_user(), make_user()
    _notify(user, 3)
    notify(other, NotificationKind.QPV_DECISION, "Pas pour vous")
    db.session.commit()
    auth.login_as(user)
    first = client.get("/notifications/").get_data(as_text=True)
    assert "Page 1 sur 2" in first
    assert "Pas pour vous" not in first
    assert first.index("Décision 2") < first.index("Décision 1")
    assert "Décision 0" in client.get("/notifications/?page=2").get_data(as_text=True)
    assert client.get("/notifications/?page=abc").status_code == 200


def test_preferences_are_saved_and_shown(client, auth, make_user):
    user = make_user(Role.SUPPLIER)
    auth.login_as(user)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    for label in ("Immédiatement", "Résumé quotidien", "Résumé hebdomadaire", "Jamais"):
        assert label in page
    data = {"new_matching_tender": "daily", "message_received": "weekly", "qpv_decision": "never",
            "award_received": "immediate", "interest_received": "never"}  # not an entrepreneur's: ignored
    response = client.post("/notifications/preferences", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert frequencies(user) == {
        NotificationKind.NEW_MATCHING_TENDER: Frequency.DAILY, NotificationKind.MESSAGE_RECEIVED: Frequency.WEEKLY,
        NotificationKind.QPV_DECISION: Frequency.NEVER, NotificationKind.INTEREST_RECEIVED: Frequency.IMMEDIATE,
        NotificationKind.AWARD_RECEIVED: Frequency.IMMEDIATE, NotificationKind.SAVED_SEARCH_MATCH: Frequency.DAILY}
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert ('<input checked id="new_matching_tender-1" name="new_matching_tender" required type="radio" '
            'value="daily">') in page


@pytest.mark.parametrize(("role", "shown", "hidden"), [
    (Role.SUPPLIER, ["Nouveaux appels d'offres", "Décision sur votre déclaration QPV", "Nouveaux messages"],
     ["Intérêt d'une entreprise"]),
    (Role.BUYER, ["Intérêt d'une entreprise", "Nouveaux messages"],
     ["Nouveaux appels d'offres", "Décision sur votre déclaration QPV"]),
])
def test_each_role_chooses_for_what_it_can_receive(client, auth, make_user, role, shown, hidden):
    auth.login_as(make_user(role))
    page = client.get("/notifications/preferences").get_data(as_text=True).replace("&#39;", "'")
    for label in shown:
        assert label in page
    for label in hidden:
        assert label not in page


def test_an_invalid_choice_is_422_with_a_french_message_and_keeps_the_rest(client, auth, make_user):
    user = make_user(Role.SUPPLIER)
    auth.login_as(user)
    data = {"new_matching_tender": "daily", "qpv_decision": "toujours", "message_received": "weekly"}
    response = client.post("/notifications/preferences", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="qpv_decision-erreur"' in html
    assert ('<input checked id="message_received-2" name="message_received" required type="radio" '
            'value="weekly">') in html
    response = client.post("/notifications/preferences", data={"new_matching_tender": "daily"})
    assert response.status_code == 422
    assert "Choisissez quand être prévenu pour ce type de notification." in response.get_data(as_text=True)
    db.session.expire_all()
    assert frequencies(user)[NotificationKind.NEW_MATCHING_TENDER] is Frequency.WEEKLY  # nothing saved


def test_a_notification_is_shown_with_its_link(client, auth, make_user):
    user = make_user()
    _notify(user)
    auth.login_as(user)
    html = client.get("/notifications/").get_data(as_text=True)
    assert 'href="/entrepreneur/"' in html
    assert db.session.scalars(select(Notification)).one().read_at is None  # seeing the list does not read it
