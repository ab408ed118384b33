"""A participant's agenda: its own meetings only, once published; on the page and as an .ics file."""

import pytest
from icalendar import Calendar

from marketplace.events import exports
from marketplace.extensions import db
from marketplace.models import EventMeeting, EventStatus

from .test_exports import add_meetings, snapshot


@pytest.fixture
def published(event_world):
    meetings = add_meetings(event_world)
    event_world.event.status = EventStatus.PUBLISHED
    snapshot(event_world.event)
    return meetings


def _open_as(client, participant) -> None:
    """What opening the participant's personal link leaves in the session (marketplace.events.access.grant)."""
    with client.session_transaction() as session:
        session["event_participants"] = [[participant.id, participant.access_key]]


def test_agenda_lines_are_the_participants_own_in_time_order(app, event_world, published):
    lines = exports.agenda(event_world.buyers[0])
    assert [(line.slot, line.table, line.counterpart) for line in lines] == [
        (0, 1, event_world.suppliers[0]), (4, 3, event_world.suppliers[3])]
    assert lines[1].start.strftime("%H:%M") == "10:40"
    assert lines[1].reason == "Souhait mutuel"
    assert [line.counterpart for line in exports.agenda(event_world.suppliers[3])] == [event_world.buyers[0]]
    assert exports.agenda(event_world.suppliers[4]) == []


def test_the_linked_account_sees_its_own_agenda(client, auth, event_world, published):
    auth.login_as(event_world.buyer_user)
    response = client.get(f"/rencontres/{event_world.buyers[0].id}/agenda")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Net Horizon" in page
    assert "Propre Cité" in page
    assert "10:40-11:00" in page
    assert "Table 3" in page
    assert "Souhait mutuel" in page
    # Other participants' meetings are not on it.
    assert "Jardins Solidaires" not in page
    assert "Saveurs du Monde" not in page
    assert f'href="/rencontres/{event_world.buyers[0].id}/agenda.ics"' in page


def test_a_personal_link_opens_that_agenda_only(client, event_world, published):
    gardens = event_world.suppliers[1]
    _open_as(client, gardens)
    page = client.get(f"/rencontres/{gardens.id}/agenda").get_data(as_text=True)
    assert "Plaine Commune Habitat" in page
    assert "Net Horizon" not in page
    for other in (event_world.suppliers[0], event_world.buyers[0]):
        assert client.get(f"/rencontres/{other.id}/agenda").status_code == 404
        assert client.get(f"/rencontres/{other.id}/agenda.ics").status_code == 404


def test_another_account_or_a_stranger_gets_404(client, auth, event_world, published):
    buyer = event_world.buyers[0]
    assert client.get(f"/rencontres/{buyer.id}/agenda").status_code == 404  # anonymous, no link opened
    auth.login_as(event_world.supplier_user)  # a participant of the same event, not this one
    assert client.get(f"/rencontres/{buyer.id}/agenda").status_code == 404
    assert client.get(f"/rencontres/{buyer.id}/agenda.ics").status_code == 404
    auth.login_as(event_world.organiser)  # organisers use the printable agendas instead
    assert client.get(f"/rencontres/{buyer.id}/agenda").status_code == 404


@pytest.mark.parametrize("participant_id", ["abc", "0", "9" * 30, "99999999"])
def test_malformed_participant_ids_are_404(client, event_world, participant_id):
    assert client.get(f"/rencontres/{participant_id}/agenda").status_code == 404
    assert client.get(f"/rencontres/{participant_id}/agenda.ics").status_code == 404


def test_the_ics_holds_only_the_participants_meetings(client, auth, event_world, published):
    auth.login_as(event_world.supplier_user)
    response = client.get(f"/rencontres/{event_world.suppliers[0].id}/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    name = "mon-agenda-semaine-de-la-diversite-entrepreneuriale.ics"
    assert response.headers["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [f"Rendez-vous avec {event_world.buyers[0].label} (table 1)"]


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.WISHES])
def test_nothing_is_shown_before_publication(client, auth, event_world, status):
    add_meetings(event_world)
    event_world.event.status = status
    db.session.commit()
    auth.login_as(event_world.buyer_user)
    response = client.get(f"/rencontres/{event_world.buyers[0].id}/agenda")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Les agendas ne sont pas encore publiés" in page
    assert "Net Horizon" not in page
    assert ".ics" not in page
    ics = client.get(f"/rencontres/{event_world.buyers[0].id}/agenda.ics")
    assert ics.status_code == 404
    assert "pas encore publiés" in ics.get_data(as_text=True)


def test_a_participant_without_meetings_is_told_so(client, event_world, published):
    carpenter = event_world.suppliers[4]
    _open_as(client, carpenter)
    page = client.get(f"/rencontres/{carpenter.id}/agenda").get_data(as_text=True)
    assert "Aucun rendez-vous ne vous est attribué" in page


def _hand_edits(world, meetings) -> None:
    """After publication, the organiser moves one of buyers[0]'s meetings (and rewrites its reason), cancels
    the other and adds a new one, without publishing the changes."""
    moved = next(m for m in meetings if m.supplier is world.suppliers[0])
    moved.slot, moved.table_index, moved.reason = 2, 1, "Nouveau motif"
    db.session.delete(next(m for m in meetings if m.supplier is world.suppliers[3]))
    db.session.add(EventMeeting(event=world.event, buyer=world.buyers[0], supplier=world.suppliers[4], slot=6,
                                table_index=0, reason="Ajouté à la main"))
    db.session.commit()


def test_participants_see_the_published_planning_not_unpublished_hand_edits(app, client, auth, event_world,
                                                                            published):
    buyer = event_world.buyers[0]
    _hand_edits(event_world, published)
    lines = exports.agenda(buyer)
    assert [(line.slot, line.table, line.counterpart) for line in lines] == [
        (0, 1, event_world.suppliers[0]), (4, 3, event_world.suppliers[3])]
    assert [line.reason for line in lines] == ["Nouveau motif", ""]  # the live reason; none once cancelled
    auth.login_as(event_world.buyer_user)
    page = client.get(f"/rencontres/{buyer.id}/agenda").get_data(as_text=True)
    assert "09:00-09:20" in page
    assert "Propre Cité" in page  # cancelled, but not yet published
    assert "Atelier Bois" not in page  # added, not yet published
    ics = Calendar.from_ical(client.get(f"/rencontres/{buyer.id}/agenda.ics").data)
    assert [e["DTSTART"].dt.strftime("%H:%M") for e in ics.walk("VEVENT")] == ["09:00", "10:40"]
    # Once the changes are published (the snapshot), the participant sees them.
    snapshot(event_world.event)
    assert [(line.slot, line.counterpart) for line in exports.agenda(buyer)] == [
        (2, event_world.suppliers[0]), (6, event_world.suppliers[4])]


def test_an_event_never_published_gives_an_empty_agenda(event_world):
    add_meetings(event_world)
    assert event_world.event.published_meetings is None
    assert exports.agenda(event_world.buyers[0]) == []
