"""Attendance: the organiser marks which meetings were held, after publication, for its own event only."""

import re

import pytest

from marketplace.events.summary import MeetingNotFound, attendance_page, record_attendance
from marketplace.extensions import db
from marketplace.models import EventMeeting, EventStatus, ParticipantSide
from marketplace.validators import ServiceError


@pytest.fixture
def meetings(event_world):
    """Three meetings: two in slot 0, one in slot 4 (after the break)."""
    w = event_world
    rows = [
        EventMeeting(event=w.event, buyer=w.buyers[0], supplier=w.suppliers[0], slot=0, table_index=0),
        EventMeeting(event=w.event, buyer=w.buyers[1], supplier=w.suppliers[1], slot=0, table_index=1),
        EventMeeting(event=w.event, buyer=w.buyers[2], supplier=w.suppliers[2], slot=4, table_index=0),
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def _publish(event):
    event.status = EventStatus.PUBLISHED
    db.session.commit()


def _held(rows):
    db.session.expire_all()
    return [db.session.get(EventMeeting, m.id).held for m in rows]


def _url(event) -> str:
    return f"/evenements/{event.id}/presence"


def test_before_publication_an_explanation_and_no_form(client, auth, event_world, meetings):
    auth.login_as(event_world.organiser)
    page = client.get(_url(event_world.event)).get_data(as_text=True)
    assert "après la publication des agendas" in page
    assert 'name="presence-' not in page
    response = client.post(_url(event_world.event), data={f"presence-{meetings[0].id}": "tenu"})
    assert response.status_code == 200
    assert _held(meetings) == [None, None, None]


def test_the_form_lists_meetings_by_slot(client, auth, event_world, meetings):
    _publish(event_world.event)
    meetings[0].held = True
    db.session.commit()
    auth.login_as(event_world.organiser)
    page = client.get(_url(event_world.event)).get_data(as_text=True)
    headings = re.findall(r'<h2 id="creneau-(\d+)">([^<]+)</h2>', page)
    assert [(i, label.split(", ")[1]) for i, label in headings] == [("0", "09:00-09:20"), ("4", "10:40-11:00")]
    assert f'name="presence-{meetings[0].id}" value="tenu" checked' in page
    assert f'name="presence-{meetings[1].id}" value="inconnu" checked' in page
    assert "Table 2 : Plaine Commune Habitat" in page
    assert "style=" not in page


def test_saving_choices(client, auth, event_world, meetings):
    _publish(event_world.event)
    auth.login_as(event_world.organiser)
    response = client.post(_url(event_world.event), data={
        f"presence-{meetings[0].id}": "tenu", f"presence-{meetings[1].id}": "non-tenu",
        f"presence-{meetings[2].id}": "inconnu"})
    assert response.status_code == 302
    assert _held(meetings) == [True, False, None]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Présence enregistrée." in page
    client.post(_url(event_world.event), data={f"presence-{meetings[0].id}": "inconnu"})
    assert _held(meetings) == [None, False, None]


def test_mark_a_whole_slot_as_held(client, auth, event_world, meetings):
    _publish(event_world.event)
    auth.login_as(event_world.organiser)
    client.post(_url(event_world.event), data={
        f"presence-{meetings[0].id}": "non-tenu", f"presence-{meetings[2].id}": "non-tenu", "tous_tenus": "0"})
    assert _held(meetings) == [True, True, False]


def test_a_meeting_of_another_event_is_refused(client, auth, event_world, meetings, make_event, make_participant):
    _publish(event_world.event)
    other_event = make_event(event_world.other_organiser, status=EventStatus.PUBLISHED)
    buyer = make_participant(other_event, ParticipantSide.BUYER, "Ailleurs")
    supplier = make_participant(other_event, ParticipantSide.SUPPLIER, "Autre SARL")
    foreign = EventMeeting(event=other_event, buyer=buyer, supplier=supplier, slot=0, table_index=0)
    db.session.add(foreign)
    db.session.commit()
    auth.login_as(event_world.organiser)
    response = client.post(_url(event_world.event), data={
        f"presence-{meetings[0].id}": "tenu", f"presence-{foreign.id}": "tenu"})
    assert response.status_code == 404
    assert _held([meetings[0], foreign]) == [None, None]


@pytest.mark.parametrize("data", [
    {"presence-abc": "tenu"}, {"presence-99999999999999999999999": "tenu"}, {"presence-1": "peut-être"},
    {"tous_tenus": "x"}, {"tous_tenus": "²"},
])
def test_malformed_input_is_a_400_not_a_500(client, auth, event_world, meetings, data):
    _publish(event_world.event)
    auth.login_as(event_world.organiser)
    assert client.post(_url(event_world.event), data=data).status_code == 400
    assert _held(meetings) == [None, None, None]


def test_other_organiser_cannot_save(client, auth, event_world, meetings):
    _publish(event_world.event)
    auth.login_as(event_world.other_organiser)
    response = client.post(_url(event_world.event), data={f"presence-{meetings[0].id}": "tenu"})
    assert response.status_code == 404
    auth.logout()
    auth.login_as(event_world.buyer_user)
    assert client.post(_url(event_world.event), data={f"presence-{meetings[0].id}": "tenu"}).status_code == 403
    assert _held(meetings) == [None, None, None]


def test_pages_hold_whole_slots(event_world, meetings):
    _publish(event_world.event)
    first = attendance_page(event_world.event, 1, per_page=2)
    assert (first.page, first.pages, first.total) == (1, 2, 3)
    assert [(g.index, len(g.meetings)) for g in first.slots] == [(0, 2)]
    second = attendance_page(event_world.event, 2, per_page=2)
    assert [(g.index, len(g.meetings)) for g in second.slots] == [(4, 1)]
    assert attendance_page(event_world.event, 99, per_page=2).page == 2  # out of range: the last page


def test_no_meeting_empty_state(client, auth, event_world):
    _publish(event_world.event)
    auth.login_as(event_world.organiser)
    page = client.get(_url(event_world.event) + "?page=abc").get_data(as_text=True)
    assert "Aucune rencontre dans le planning publié" in page


def test_a_post_without_csrf_token_changes_nothing(app, client, auth, event_world, meetings):
    _publish(event_world.event)
    auth.login_as(event_world.organiser)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(_url(event_world.event), data={f"presence-{meetings[0].id}": "tenu"})
    assert response.status_code in (400, 200)
    assert _held(meetings) == [None, None, None]


def test_the_service_refuses_before_publication_and_foreign_ids(event_world, meetings):
    with pytest.raises(ServiceError, match="après la publication"):
        record_attendance(event_world.event, {meetings[0].id: True})
    _publish(event_world.event)
    with pytest.raises(MeetingNotFound):
        record_attendance(event_world.event, {meetings[0].id: True, 10**9: True})
    assert _held(meetings) == [None, None, None]
    assert record_attendance(event_world.event, {meetings[0].id: True}, {4}) == 2
    assert record_attendance(event_world.event, {meetings[0].id: True}, {4}) == 0
    assert _held(meetings) == [True, None, True]
