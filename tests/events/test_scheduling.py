"""compute_schedule on a small event, the events.schedule job (eager in tests) and the planning page around it."""

from datetime import time

import pytest
from sqlalchemy import select

from marketplace.events import scheduling
from marketplace.events.slots import event_slots
from marketplace.extensions import db
from marketplace.models import (
    EventMeeting,
    EventStatus,
    EventWish,
    Job,
    JobStatus,
    ParticipantSide,
    ParticipantStatus,
    Role,
)
from marketplace.validators import ServiceError
from matching.schedule import Meeting, Schedule, validate


def wish(event, requester, other, value):
    db.session.add(EventWish(event_id=event.id, requester_id=requester.id, other_id=other.id, value=value))
    db.session.commit()


def meetings_of(event):
    return db.session.scalars(select(EventMeeting).where(EventMeeting.event_id == event.id)).all()


def test_compute_schedule_writes_a_valid_schedule_between_the_events_own_buyers_and_entrepreneurs(event_world):
    w = event_world
    wish(w.event, w.buyers[2], w.suppliers[4], 2)  # Groupe Énergie must meet Atelier Bois (no common words)
    wish(w.event, w.suppliers[4], w.buyers[2], 2)  # and the other way round: a mutual must
    wish(w.event, w.suppliers[1], w.buyers[0], -1)  # Jardins Solidaires refuses Ville de Saint-Denis
    seen = []
    outcome = scheduling.compute_schedule(w.event, progress=seen.append)
    db.session.commit()
    rows = meetings_of(w.event)
    assert outcome.meetings == len(rows) > 0
    buyers = {str(b.id) for b in w.buyers}
    suppliers = {str(s.id) for s in w.suppliers}
    schedule = Schedule([Meeting(str(m.buyer_id), str(m.supplier_id), m.slot, m.table_index, m.reason) for m in rows],
                        [], 0.0, None)
    wishes = {(str(x.requester_id), str(x.other_id)): x.value for x in db.session.scalars(select(EventWish))}
    assert validate(schedule, sorted(buyers), sorted(suppliers), len(event_slots(w.event)), w.event.tables,
                    wishes=wishes) == []
    for m in rows:
        assert str(m.buyer_id) in buyers
        assert str(m.supplier_id) in suppliers
        assert m.reason.strip()
    pairs = {(m.buyer_id, m.supplier_id) for m in rows}
    assert (w.buyers[2].id, w.suppliers[4].id) in pairs  # the mutual must is honoured
    assert (w.buyers[0].id, w.suppliers[1].id) not in pairs  # the refusal too
    must = next(m for m in rows if (m.buyer_id, m.supplier_id) == (w.buyers[2].id, w.suppliers[4].id))
    assert must.reason.startswith("Souhait mutuel")
    assert outcome.entrepreneurs_total == 5
    assert outcome.buyers_total == 3
    assert outcome.entrepreneurs_met == len({m.supplier_id for m in rows})
    assert w.event.scheduled_at is not None
    assert w.event.schedule_optimal is outcome.optimal
    assert seen
    assert seen[-1] == 1.0
    assert seen == sorted(seen)


def test_the_engines_reasons_explain_an_unwished_meeting(event_world):
    w = event_world
    scheduling.compute_schedule(w.event)
    db.session.commit()
    pair = (w.buyers[0].id, w.suppliers[3].id)
    cleaning = next(m for m in meetings_of(w.event) if (m.buyer_id, m.supplier_id) == pair)
    assert "nettoyage" in cleaning.reason.lower()
    assert "pertinence" in cleaning.reason


def test_declined_participants_are_left_out_and_a_new_run_replaces_the_meetings(event_world):
    w = event_world
    scheduling.compute_schedule(w.event)
    db.session.commit()
    assert w.suppliers[3].id in {m.supplier_id for m in meetings_of(w.event)}
    w.suppliers[3].status = ParticipantStatus.DECLINED
    db.session.commit()
    outcome = scheduling.compute_schedule(w.event)
    db.session.commit()
    rows = meetings_of(w.event)
    assert len(rows) == outcome.meetings  # replaced, not added to
    assert w.suppliers[3].id not in {m.supplier_id for m in rows}
    assert outcome.entrepreneurs_total == 4


def test_unavailable_slots_and_max_meetings_are_respected(event_world):
    w = event_world
    w.buyers[0].unavailable_slots = [0, 1, 2, 3]
    w.event.max_meetings = 1
    db.session.commit()
    scheduling.compute_schedule(w.event)
    db.session.commit()
    rows = meetings_of(w.event)
    assert all(m.slot >= 4 for m in rows if m.buyer_id == w.buyers[0].id)
    for person in w.buyers + w.suppliers:
        assert sum(person.id in (m.buyer_id, m.supplier_id) for m in rows) <= 1


@pytest.mark.parametrize(("setup", "message"), [
    ("no_buyer", "Aucun acheteur"),
    ("no_supplier", "Aucun entrepreneur"),
])
def test_an_event_that_cannot_be_scheduled_is_refused_in_french(make_user, make_event, make_participant, setup,
                                                                  message):
    event = make_event(make_user(Role.ORGANISER))
    side = ParticipantSide.SUPPLIER if setup == "no_buyer" else ParticipantSide.BUYER
    make_participant(event, side, "Seule Organisation")
    with pytest.raises(ServiceError, match=message):
        scheduling.compute_schedule(event)


def test_an_event_without_slots_is_refused(make_user, make_event, make_participant):
    event = make_event(make_user(Role.ORGANISER), day_start=time(9), day_end=time(9, 10), breaks=[])
    make_participant(event, ParticipantSide.BUYER, "Acheteur")
    make_participant(event, ParticipantSide.SUPPLIER, "Entreprise")
    with pytest.raises(ServiceError, match="aucun créneau"):
        scheduling.compute_schedule(event)


# --- the job -----------------------------------------------------------------------------------------------


def test_the_job_runs_stores_its_progress_and_links_to_the_planning(event_world):
    w = event_world
    job = scheduling.start_scheduling(w.event, w.organiser)
    job = db.session.get(Job, job.id)
    assert job.status is JobStatus.DONE
    assert job.progress == 1.0
    assert job.result["url"] == f"/evenements/{w.event.id}/planning"
    assert job.result["meetings"] == len(meetings_of(w.event)) > 0
    assert job.result["entrepreneurs_total"] == 5
    db.session.refresh(w.event)
    assert w.event.schedule_job_id == job.id


def test_the_page_runs_the_job_and_shows_the_outcome(client, auth, event_world):
    w = event_world
    auth.login_as(w.organiser)
    empty = client.get(f"/evenements/{w.event.id}/planning").get_data(as_text=True)
    assert "Aucun planning pour le moment" in empty
    response = client.post(f"/evenements/{w.event.id}/planning/calcul", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Le planning est calculé." in page
    count = len(meetings_of(w.event))
    assert f'<span class="figure">{count}</span> rendez-vous' in page
    assert "entrepreneurs avec au moins un rendez-vous" in page
    assert "Terminée" in page  # the job's progress box
    assert '<table class="schedule-grid">' in page
    assert "Table 3</th>" in page
    assert "Liste par créneau" in page
    assert "Motif :" in page


def test_a_failing_event_fails_the_job_and_the_page_shows_the_french_error(client, auth, make_user, make_event,
                                                                             make_participant):
    organiser = make_user(Role.ORGANISER)
    event = make_event(organiser)
    make_participant(event, ParticipantSide.BUYER, "Acheteur sans vis-à-vis")
    auth.login_as(organiser)
    page = client.post(f"/evenements/{event.id}/planning/calcul", follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    job = db.session.get(Job, event.schedule_job_id)
    assert job.status is JobStatus.FAILED
    assert job.error.startswith("La tâche a échoué : Aucun entrepreneur ne participe")
    assert "Aucun entrepreneur ne participe" in page
    assert "Échec" in page


def test_a_second_run_is_refused_while_one_is_running(event_world):
    w = event_world
    running = Job(kind=scheduling.JOB_KIND, payload={"event_id": w.event.id}, status=JobStatus.RUNNING,
                  created_by=w.organiser)
    db.session.add(running)
    db.session.flush()
    w.event.schedule_job_id = running.id
    db.session.commit()
    with pytest.raises(ServiceError, match="déjà en cours"):
        scheduling.start_scheduling(w.event, w.organiser)


def test_rescheduling_a_published_event_needs_the_organisers_confirmation(client, auth, event_world):
    w = event_world
    scheduling.compute_schedule(w.event)
    w.event.status = EventStatus.PUBLISHED
    db.session.commit()
    auth.login_as(w.organiser)
    refused = client.post(f"/evenements/{w.event.id}/planning/calcul")
    assert refused.status_code == 422
    assert "cochez la case pour confirmer" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert w.event.schedule_job_id is None
    accepted = client.post(f"/evenements/{w.event.id}/planning/calcul", data={"confirm_republish": "y"})
    assert accepted.status_code == 302
    db.session.expire_all()
    event = w.event
    assert event.schedule_job_id is not None
    assert event.status is EventStatus.WISHES  # published again (to everyone) by the next publication


def test_the_planning_page_speaks_paris_time_and_agrees_in_number(client, auth, event_world):
    from datetime import UTC, datetime

    from .test_exports import add_meetings

    w = event_world
    add_meetings(w)  # Atelier Bois alone has no meeting
    w.event.scheduled_at = datetime(2027, 1, 15, 12, 5, tzinfo=UTC)  # winter: Paris is UTC+1
    w.event.published_at = datetime(2027, 7, 15, 12, 5, tzinfo=UTC)  # summer: UTC+2
    w.event.status = EventStatus.PUBLISHED
    db.session.commit()
    auth.login_as(w.organiser)
    page = client.get(f"/evenements/{w.event.id}/planning").get_data(as_text=True)
    assert "Calculé le 15/01/2027 à 13:05." in page
    assert "dernière publication le\n  15/07/2027 à 14:05)" in page
    assert "UTC" not in page
    assert "1 entrepreneur n'a aucun rendez-vous" in page
    assert "(s)" not in page
    db.session.delete(next(m for m in w.event.meetings if m.supplier is w.suppliers[3]))
    db.session.commit()
    page = client.get(f"/evenements/{w.event.id}/planning").get_data(as_text=True)
    assert "2 entrepreneurs n'ont aucun rendez-vous" in page
