"""Personal links: signed, revocable, naming one participant; organisers' events are theirs only."""

import pytest
from werkzeug.exceptions import NotFound

from marketplace.events import access
from marketplace.extensions import db


def test_a_link_names_its_participant_until_revoked(app, event_world):
    gardens = event_world.suppliers[1]
    with app.test_request_context():
        token = access.link_token(gardens)
        assert access.participant_from_token(token) is gardens
        assert access.link_token(gardens) == token  # the same link can be sent again
        access.revoke_links(gardens)
        db.session.commit()
        assert access.participant_from_token(token) is None
        assert access.participant_from_token(access.link_token(gardens)) is gardens


@pytest.mark.parametrize("token", ["", "abc", "W1sxLCJ4Il0", "x" * 500, "Wzk5OTk5OTk5LCJ4Il0.forged"])
def test_tampered_or_unknown_links_name_nobody(app, event_world, token):
    with app.test_request_context():
        assert access.participant_from_token(token) is None


def test_a_link_signed_for_another_participant_does_not_open_this_one(app, event_world):
    gardens, caterer = event_world.suppliers[1:3]
    with app.test_request_context():
        assert access.participant_from_token(access.link_token(caterer)) is caterer
        gardens.access_key, caterer.access_key = caterer.access_key, gardens.access_key
        db.session.commit()
        # The key alone is not enough: the link also names the participant id.
        assert access.participant_from_token(access.link_token(gardens)) is gardens


def test_a_granted_session_opens_that_participant_only(app, event_world):
    gardens, caterer = event_world.suppliers[1:3]
    with app.test_request_context():
        access.grant(gardens)
        assert access.participant_or_404(gardens.id) is gardens
        with pytest.raises(NotFound):
            access.participant_or_404(caterer.id)
        with pytest.raises(NotFound):
            access.participant_or_404(10**9)


def test_only_the_events_organisers_get_it(app, client, auth, event_world):
    with app.test_request_context():
        with pytest.raises(NotFound):
            access.organised_event_or_404(event_world.event.id)  # anonymous
    assert event_world.event.organised_by(event_world.organiser)
    assert not event_world.event.organised_by(event_world.other_organiser)
    assert not event_world.event.organised_by(None)


def test_revoking_the_links_also_closes_the_sessions_they_opened(app, client, event_world):
    gardens = event_world.suppliers[1]
    with app.test_request_context():
        token = access.link_token(gardens)
    assert client.get(f"/rencontres/acces/{token}").status_code == 302
    assert client.get(f"/rencontres/{gardens.id}").status_code == 200
    access.revoke_links(gardens)
    db.session.commit()
    assert client.get(f"/rencontres/{gardens.id}").status_code == 404


def test_a_session_holding_a_bare_id_or_garbage_opens_nothing(app, client, event_world):
    gardens = event_world.suppliers[1]
    with client.session_transaction() as session:
        session["event_participants"] = [gardens.id, [gardens.id], ["x", "y"], [gardens.id, "wrong key"]]
    assert client.get(f"/rencontres/{gardens.id}").status_code == 404
