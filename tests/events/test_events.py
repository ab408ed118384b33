"""The organiser's events: dashboard, creation and edition (impossible settings refused), the hub, the wishes
status, co-organisers, and who may reach these pages."""

import html
from datetime import time

import pytest
from sqlalchemy import func, select

from marketplace.events import scheduling
from marketplace.extensions import db
from marketplace.models import (
    Event,
    EventMeeting,
    EventOrganiser,
    EventStatus,
    Job,
    JobStatus,
    OutboxEmail,
    ParticipantSide,
    ParticipantStatus,
    Role,
)
from tests.events.conftest import EVENT_DAY

DAY = EVENT_DAY.strftime("%d/%m/%Y")
GOOD = {"name": "Semaine de la diversité 2027", "place": "Mairie de Saint-Denis", "description": "Rendez-vous",
        "first_day": DAY, "last_day": DAY, "day_start": "09:00", "day_end": "12:00", "slot_minutes": "20",
        "breaks": "10:20-10:40", "tables": "4", "max_meetings": "", "min_score": "20"}


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def organiser(make_user, auth):
    user = make_user(Role.ORGANISER, full_name="Olivia Organisatrice")
    auth.login_as(user)
    return user


# --------------------------------------------------------------------------- dashboard


def test_dashboard_empty_state_offers_to_create_an_event(client, organiser):
    page = client.get("/evenements/").get_data(as_text=True)
    assert "Vous n'organisez encore aucun événement." in page
    assert 'href="/evenements/nouveau"' in page
    assert "en construction" not in page


def test_dashboard_lists_only_the_events_one_organises_with_counts(client, auth, event_world, make_event):
    make_event(event_world.other_organiser, name="Forum des achats de l'autre")
    auth.login_as(event_world.organiser)
    page = client.get("/evenements/").get_data(as_text=True)
    assert event_world.event.name in page
    assert "Forum des achats de l'autre" not in page
    assert "En préparation" in page
    assert "<td>3</td>" in page
    assert "<td>5</td>" in page


def test_dashboard_is_paginated_newest_first(client, organiser, make_event):
    from datetime import timedelta

    for n in range(21):
        make_event(organiser, name=f"Événement {n:02d}", first_day=EVENT_DAY + timedelta(days=n),
                   last_day=EVENT_DAY + timedelta(days=n))
    first = client.get("/evenements/").get_data(as_text=True)
    assert "Événement 20" in first
    assert "Événement 00" not in first
    second = client.get("/evenements/?page=2").get_data(as_text=True)
    assert "Événement 00" in second
    assert "Événement 20" not in second
    assert client.get("/evenements/?page=abc").status_code == 200


# --------------------------------------------------------------------------- creation and edition


def test_create_event_makes_the_creator_an_organiser_and_shows_the_slots(client, organiser):
    response = client.post("/evenements/nouveau", data=GOOD)
    assert response.status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.name == GOOD["name"]
    assert (event.day_start, event.day_end, event.tables, event.min_score) == (time(9), time(12), 4, 0.2)
    assert event.breaks == [["10:20", "10:40"]]
    assert [o.user_id for o in event.organisers] == [organiser.id]
    assert event.status is EventStatus.DRAFT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # 09:00-10:20 makes 4 slots, 10:40-12:00 makes 4: 8 slots x 4 tables = 32
    assert "<dt>Créneaux</dt>\n    <dd>8</dd>" in page
    assert "32 rendez-vous au plus" in page


def test_create_accepts_h_times_and_several_breaks(client, organiser):
    data = dict(GOOD, day_start="9h00", day_end="17h30", breaks="12:30-14:00; 16:00-16:15", max_meetings="6",
                first_day=EVENT_DAY.isoformat(), last_day=EVENT_DAY.isoformat())
    assert client.post("/evenements/nouveau", data=data).status_code == 302
    event = db.session.scalars(select(Event)).one()
    assert event.breaks == [["12:30", "14:00"], ["16:00", "16:15"]]
    assert event.max_meetings == 6


IMPOSSIBLE = [
    pytest.param({"day_start": "09:00", "day_end": "09:10", "breaks": ""},
                 "Avec ces horaires, ces pauses et cette durée, il n'y a aucun créneau.", "09:10", id="no-slots"),
    pytest.param({"tables": "0"}, "Indiquez entre 1 et 500 tables.", 'value="0"', id="zero-tables"),
    pytest.param({"day_start": "14:00", "day_end": "09:00", "breaks": ""}, "L'heure de fin doit être après l'heure de "
                 "début.", 'value="14:00"', id="end-before-start"),
    pytest.param({"breaks": "08:00-08:30"}, "La pause 08:00-08:30 sort de la journée (09:00-12:00).",
                 'value="08:00-08:30"', id="break-outside-the-day"),
    pytest.param({"breaks": "11:00-10:30"}, "La pause 11:00-10:30 finit avant de commencer.", "11:00-10:30",
                 id="break-ends-before-it-starts"),
    pytest.param({"breaks": "midi à deux"}, "La pause « midi à deux » n'est pas lisible", "midi à deux",
                 id="malformed-break"),
    pytest.param({"last_day": "01/01/2020"}, "Le dernier jour doit être le même jour que le premier ou après.",
                 'value="01/01/2020"', id="last-day-before-first"),
    pytest.param({"first_day": "31/02/2027"}, "Date invalide : utilisez le format JJ/MM/AAAA.", "31/02/2027",
                 id="impossible-date"),
    pytest.param({"day_end": "25:00"}, "Heure invalide : utilisez le format HH:MM", 'value="25:00"', id="bad-hour"),
    pytest.param({"slot_minutes": "vingt"}, "Saisissez un nombre entier en chiffres", 'value="vingt"',
                 id="slot-length-in-words"),
    pytest.param({"slot_minutes": "2"}, "Un créneau dure entre 5 et 240 minutes.", 'value="2"', id="too-short"),
    pytest.param({"min_score": "150"}, "Indiquez un score minimal entre 0 et 100 %.", 'value="150"', id="score"),
    pytest.param({"name": ""}, "Donnez un nom à l'événement.", 'value="Mairie de Saint-Denis"', id="no-name"),
    pytest.param({"max_meetings": "0"}, "Indiquez entre 1 et 400 rendez-vous, ou laissez vide.", 'value="0"',
                 id="no-meetings-allowed"),
    pytest.param({"last_day": "31/12/9999"}, "Indiquez une date entre le 01/01/2000 et le", 'value="31/12/9999"',
                 id="last-day-far-away"),
    pytest.param({"first_day": "01/01/1900", "last_day": "01/01/1900"}, "Indiquez une date entre le 01/01/2000",
                 'value="01/01/1900"', id="first-day-long-ago"),
]


@pytest.mark.parametrize(("changes", "message", "kept"), IMPOSSIBLE)
def test_impossible_settings_are_refused_with_the_typed_values_kept(client, organiser, changes, message, kept):
    response = client.post("/evenements/nouveau", data=dict(GOOD, **changes))
    page = _text(response)
    assert response.status_code == 422
    assert message in page
    assert kept in page
    assert 'aria-invalid="true"' in page
    assert _count(Event) == 0


def test_the_form_shows_the_slot_count_of_the_typed_settings(client, organiser):
    page = client.get("/evenements/nouveau").get_data(as_text=True)
    assert 'value="20"' in page  # default slot length
    response = client.post("/evenements/nouveau", data=dict(GOOD, name=""))
    assert "8 créneaux" not in response.get_data(as_text=True)  # refused settings: no preview
    assert client.post("/evenements/nouveau", data=dict(GOOD, tables="x")).status_code == 422
    assert client.get("/evenements/nouveau").status_code == 200


def test_edit_keeps_meetings_when_the_grid_does_not_move(client, auth, event_world):
    world = event_world
    db.session.add(EventMeeting(event=world.event, buyer=world.buyers[0], supplier=world.suppliers[0], slot=0,
                                table_index=0))
    db.session.commit()
    auth.login_as(world.organiser)
    form = client.get(f"/evenements/{world.event.id}/modifier").get_data(as_text=True)
    assert 'value="10:20-10:40"' in form
    assert "1 rendez-vous est déjà planifié." in form
    assert "sont déjà planifiés" not in form
    data = dict(GOOD, name="Nouveau nom", breaks="10:20-10:40", tables="3")
    assert client.post(f"/evenements/{world.event.id}/modifier", data=data).status_code == 302
    db.session.expire_all()
    assert world.event.name == "Nouveau nom"
    assert _count(EventMeeting) == 1


def test_edit_that_moves_the_slots_asks_confirmation_then_clears_the_meetings(client, auth, event_world):
    world = event_world
    world.suppliers[1].unavailable_slots = [2, 3, 4]  # 09:40-10:00, 10:00-10:20, 10:40-11:00
    world.suppliers[2].unavailable_slots = [7]  # 11:40-12:00: no 30-minute slot left then
    db.session.add(EventMeeting(event=world.event, buyer=world.buyers[0], supplier=world.suppliers[0], slot=5,
                                table_index=1))
    db.session.commit()
    auth.login_as(world.organiser)
    url = f"/evenements/{world.event.id}/modifier"
    moved = dict(GOOD, slot_minutes="30", breaks="10:20-10:40", tables="3")
    refused = client.post(url, data=moved)
    assert refused.status_code == 422
    assert "le rendez-vous planifié sera effacé. Cochez la case pour confirmer." in _text(refused)
    db.session.expire_all()
    assert world.event.slot_minutes == 20
    assert _count(EventMeeting) == 1
    assert client.post(url, data=dict(moved, confirm_clear="y")).status_code == 302
    db.session.expire_all()
    assert world.event.slot_minutes == 30
    assert _count(EventMeeting) == 0
    # the new slots: 09:00-09:30, 09:30-10:00, 10:40-11:10, 11:10-11:40; each unavailability goes to those it overlaps
    assert world.suppliers[1].unavailable_slots == [1, 2]
    assert world.suppliers[2].unavailable_slots == []


def _meetings(world, pairs) -> None:
    for buyer, supplier, slot, table in pairs:
        db.session.add(EventMeeting(event=world.event, buyer=world.buyers[buyer], supplier=world.suppliers[supplier],
                                    slot=slot, table_index=table))
    db.session.commit()


@pytest.mark.parametrize(("changes", "problem"), [
    pytest.param({"tables": "2"}, "la table doit être comprise entre 1 et 2.", id="fewer-tables"),
    pytest.param({"max_meetings": "1"}, "2 rendez-vous pour un maximum de 1.", id="fewer-meetings-per-participant"),
])
def test_edit_that_breaks_the_meetings_asks_confirmation_then_clears_them(client, auth, event_world, changes,
                                                                          problem):
    world = event_world
    world.event.status = EventStatus.PUBLISHED
    _meetings(world, [(0, 0, 0, 0), (1, 1, 0, 1), (2, 2, 0, 2), (0, 3, 1, 0)])  # 3 tables at 09:00; buyer 0 twice
    auth.login_as(world.organiser)
    url = f"/evenements/{world.event.id}/modifier"
    data = {**GOOD, "breaks": "10:20-10:40", "tables": "3", **changes}
    form = _text(client.get(url))
    assert "si le planning ne respecte plus les nouveaux réglages" in form
    refused = client.post(url, data=data)
    page = _text(refused)
    assert refused.status_code == 422
    assert "Avec ces réglages, les 4 rendez-vous planifiés ne respecteraient plus les règles : " in page
    assert problem in page
    assert 'id="confirm_clear-erreur"' in page
    db.session.expire_all()
    assert (world.event.tables, world.event.max_meetings, world.event.name) == (3, None, world.event.name)
    assert world.event.status is EventStatus.PUBLISHED
    assert _count(EventMeeting) == 4
    assert client.post(url, data=dict(data, confirm_clear="y")).status_code == 302
    db.session.expire_all()
    assert _count(EventMeeting) == 0
    assert world.event.status is EventStatus.WISHES
    assert world.event.name == GOOD["name"]


def test_edit_that_keeps_the_meetings_valid_keeps_them_and_the_publication(client, auth, event_world):
    world = event_world
    world.event.status = EventStatus.PUBLISHED
    _meetings(world, [(0, 0, 0, 0), (1, 1, 0, 1)])
    auth.login_as(world.organiser)
    data = dict(GOOD, breaks="10:20-10:40", tables="2", max_meetings="1")
    assert client.post(f"/evenements/{world.event.id}/modifier", data=data).status_code == 302
    db.session.expire_all()
    assert (world.event.tables, world.event.max_meetings) == (2, 1)
    assert _count(EventMeeting) == 2
    assert world.event.status is EventStatus.PUBLISHED


def test_edit_is_refused_while_the_schedule_is_computed(client, auth, event_world):
    world = event_world
    running = Job(kind=scheduling.JOB_KIND, payload={"event_id": world.event.id}, status=JobStatus.RUNNING,
                  created_by=world.organiser)
    db.session.add(running)
    db.session.flush()
    world.event.schedule_job_id = running.id
    db.session.commit()
    auth.login_as(world.organiser)
    response = client.post(f"/evenements/{world.event.id}/modifier", data=dict(GOOD, tables="3"))
    assert response.status_code == 422
    assert "Un calcul du planning est en cours pour cet événement" in _text(response)
    db.session.expire_all()
    assert world.event.name != GOOD["name"]
    running.status = JobStatus.DONE
    db.session.commit()
    assert client.post(f"/evenements/{world.event.id}/modifier", data=dict(GOOD, tables="3")).status_code == 302


def test_edit_with_bad_settings_keeps_the_event_unchanged(client, auth, event_world):
    auth.login_as(event_world.organiser)
    response = client.post(f"/evenements/{event_world.event.id}/modifier", data=dict(GOOD, tables="0"))
    assert "Indiquez entre 1 et 500 tables." in response.get_data(as_text=True)
    db.session.expire_all()
    assert event_world.event.tables == 3


# --------------------------------------------------------------------------- the hub


def test_hub_shows_settings_counts_and_next_steps(client, auth, event_world):
    world = event_world
    world.suppliers[4].status = ParticipantStatus.INVITED
    db.session.commit()
    auth.login_as(world.organiser)
    page = client.get(f"/evenements/{world.event.id}").get_data(as_text=True)
    assert "<dd>8</dd>" in page  # slots
    assert "24 rendez-vous au plus (8 créneaux × 3 tables)" in page
    assert "10:20-10:40" in page
    assert f'href="/evenements/{world.event.id}/participants"' in page
    assert "3 acheteurs et\n      5 entrepreneurs" in page
    assert "Ouvrir les souhaits" in page
    assert f'href="/evenements/{world.event.id}/planning"' in page


# --------------------------------------------------------------------------- the wishes status


def test_opening_the_wishes_tells_every_participant_who_has_not_declined(client, auth, event_world):
    world = event_world
    world.suppliers[4].status = ParticipantStatus.DECLINED
    db.session.commit()
    auth.login_as(world.organiser)
    before = _count(OutboxEmail)
    assert client.post(f"/evenements/{world.event.id}/souhaits", data={"open": "1"}).status_code == 302
    db.session.expire_all()
    assert world.event.status is EventStatus.WISHES
    mails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "event_invitation")).all()
    addresses = {m.to_address for m in mails}
    assert world.suppliers[4].email not in addresses
    assert {p.email for p in world.buyers + world.suppliers[:4]} <= addresses
    assert any("indiquez qui vous souhaitez rencontrer" in m.subject for m in mails)
    assert _count(OutboxEmail) > before
    # a second click does nothing more
    count = _count(OutboxEmail)
    client.post(f"/evenements/{world.event.id}/souhaits", data={"open": "1"})
    assert _count(OutboxEmail) == count
    assert client.post(f"/evenements/{world.event.id}/souhaits", data={"open": "0"}).status_code == 302
    db.session.expire_all()
    assert world.event.status is EventStatus.DRAFT


# --------------------------------------------------------------------------- co-organisers


def test_add_and_remove_a_co_organiser(client, auth, event_world, make_user):
    world = event_world
    auth.login_as(world.organiser)
    url = f"/evenements/{world.event.id}/organisateurs"
    refused = client.post(url, data={"email": world.buyer_user.email})
    assert refused.status_code == 422
    assert "Aucun compte organisateur n'utilise cette adresse e-mail." in _text(refused)
    unknown = client.post(url, data={"email": "personne@exemple.fr"})
    assert "Aucun compte organisateur" in _text(unknown)
    assert client.post(url, data={"email": world.other_organiser.email.upper()}).status_code == 302
    db.session.expire_all()
    assert world.event.organised_by(world.other_organiser)
    again = client.post(url, data={"email": world.other_organiser.email})
    assert "organise déjà cet événement" in _text(again)

    mine = db.session.scalar(select(EventOrganiser).where(EventOrganiser.user_id == world.organiser.id))
    assert client.post(f"{url}/retirer", data={"organiser_id": str(mine.id)}).headers["Location"] == "/evenements/"
    db.session.expire_all()
    assert not world.event.organised_by(world.organiser)
    assert client.get(f"/evenements/{world.event.id}").status_code == 404


def test_the_last_organiser_is_never_removed(client, auth, event_world):
    world = event_world
    auth.login_as(world.organiser)
    only = world.event.organisers[0]
    response = client.post(f"/evenements/{world.event.id}/organisateurs/retirer", data={"organiser_id": str(only.id)},
                           follow_redirects=True)
    assert "Un événement garde au moins un organisateur." in _text(response)
    db.session.expire_all()
    assert len(world.event.organisers) == 1


def test_removing_an_organiser_of_another_event_is_a_404(client, auth, event_world, make_event):
    world = event_world
    other = make_event(world.other_organiser, name="Autre")
    auth.login_as(world.organiser)
    url = f"/evenements/{world.event.id}/organisateurs/retirer"
    assert client.post(url, data={"organiser_id": str(other.organisers[0].id)}).status_code == 404
    assert client.post(url, data={"organiser_id": "abc"}).status_code == 404
    assert client.post(url, data={"organiser_id": "9" * 30}).status_code == 404


# --------------------------------------------------------------------------- access


def _pages(event_id: int, participant_id: int) -> list[tuple[str, str]]:
    base = f"/evenements/{event_id}"
    return [("GET", base), ("GET", f"{base}/modifier"), ("POST", f"{base}/modifier"), ("POST", f"{base}/souhaits"),
            ("POST", f"{base}/organisateurs"), ("POST", f"{base}/organisateurs/retirer"),
            ("GET", f"{base}/participants"), ("GET", f"{base}/participants/ajouter"),
            ("POST", f"{base}/participants/inviter"), ("POST", f"{base}/participants/entreprise"),
            ("POST", f"{base}/participants/acheteur"), ("GET", f"{base}/participants/import"),
            ("POST", f"{base}/participants/import"), ("POST", f"{base}/participants/{participant_id}/retirer"),
            ("POST", f"{base}/participants/{participant_id}/relancer"),
            ("POST", f"{base}/participants/{participant_id}/nouveau-lien")]


@pytest.mark.parametrize("who", ["other_organiser", "buyer", "anonymous"])
def test_only_the_event_organisers_reach_its_pages(client, auth, event_world, make_user, who):
    world = event_world
    if who == "other_organiser":
        auth.login_as(world.other_organiser)
    elif who == "buyer":
        auth.login_as(world.buyer_user)
    for method, url in _pages(world.event.id, world.suppliers[1].id):
        response = client.open(url, method=method, data={"confirm": "y", "email": "x@exemple.fr"})
        if who == "other_organiser":
            assert response.status_code == 404, url
        elif who == "buyer":
            assert response.status_code == 403, url
        else:
            assert response.status_code == 302, url
            assert "/compte/connexion" in response.headers["Location"], url
    db.session.expire_all()
    assert len(world.event.participants) == 8
    assert world.event.status is EventStatus.DRAFT


def test_unknown_and_malformed_event_ids_are_404(client, organiser):
    assert client.get("/evenements/999999").status_code == 404
    assert client.get("/evenements/abc").status_code == 404
    assert client.get(f"/evenements/{'9' * 30}").status_code == 404


def test_hub_counts_by_side_and_status(client, auth, event_world):
    world = event_world
    world.buyers[2].status = ParticipantStatus.DECLINED
    db.session.commit()
    auth.login_as(world.organiser)
    page = client.get(f"/evenements/{world.event.id}").get_data(as_text=True)
    buyers_row = page.split(f"<th scope=\"row\">{ParticipantSide.BUYER.label}s</th>")[1].split("</tr>")[0]
    assert [cell.strip() for cell in buyers_row.replace("<td>", "").split("</td>")][:4] == ["0", "2", "1", "3"]
