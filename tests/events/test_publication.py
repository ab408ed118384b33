"""Publishing a planning: re-validated, never empty or invalid; every participant told (in the app or by e-mail with
the personal link and the meetings); after hand edits, only the participants whose meetings changed."""

import re

import pytest
from sqlalchemy import select

from marketplace.events import access, scheduling
from marketplace.extensions import db
from marketplace.models import (
    EventMeeting,
    EventStatus,
    Notification,
    NotificationKind,
    OutboxEmail,
    ParticipantStatus,
)
from marketplace.validators import ServiceError


def meet(world, buyer, supplier, slot, table, reason="Souhait mutuel"):
    meeting = EventMeeting(event_id=world.event.id, buyer_id=buyer.id, supplier_id=supplier.id, slot=slot,
                           table_index=table, reason=reason)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def agenda_emails():
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == NotificationKind.EVENT_AGENDA.value)
                              .order_by(OutboxEmail.id)).all()


def agenda_notifications():
    return db.session.scalars(select(Notification).where(Notification.kind == NotificationKind.EVENT_AGENDA)).all()


@pytest.fixture
def organiser_client(client, auth, event_world):
    auth.login_as(event_world.organiser)
    return client


def test_an_empty_planning_is_never_published(organiser_client, event_world):
    response = organiser_client.post(f"/evenements/{event_world.event.id}/planning/publication", follow_redirects=True)
    assert "Le planning est vide" in response.get_data(as_text=True)
    db.session.expire_all()
    assert event_world.event.status is not EventStatus.PUBLISHED
    assert agenda_emails() == []
    assert agenda_notifications() == []


def test_an_invalid_planning_is_refused_with_its_problems(organiser_client, event_world):
    w = event_world
    w.suppliers[1].unavailable_slots = [2]
    db.session.commit()
    meet(w, w.buyers[1], w.suppliers[1], 2, 0)
    response = organiser_client.post(f"/evenements/{w.event.id}/planning/publication")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "il n&#39;est pas publié" in page
    assert "Jardins Solidaires (Personne 5) n&#39;est pas disponible sur ce créneau" in page
    db.session.expire_all()
    assert w.event.status is not EventStatus.PUBLISHED
    assert w.event.published_at is None
    assert agenda_emails() == []
    assert agenda_notifications() == []


def test_publication_tells_every_participant_in_the_app_or_by_email(organiser_client, event_world):
    w = event_world
    meet(w, w.buyers[0], w.suppliers[0], 0, 0)  # both with accounts
    meet(w, w.buyers[1], w.suppliers[1], 1, 2, reason="Souhait de l'acheteur ; mots en commun : élagage")
    w.suppliers[4].status = ParticipantStatus.DECLINED
    db.session.commit()
    response = organiser_client.post(f"/evenements/{w.event.id}/planning/publication", follow_redirects=True)
    assert ("Le planning est publié : 7 participants prévenus par e-mail avec leur agenda et leur lien personnel "
            "(dont 2 aussi dans leur espace)") in response.get_data(as_text=True)
    db.session.expire_all()
    assert w.event.status is EventStatus.PUBLISHED
    assert w.event.published_at is not None

    told = {n.user_id: n for n in agenda_notifications()}
    assert set(told) == {w.buyer_user.id, w.supplier_user.id}
    assert told[w.buyer_user.id].link == f"/rencontres/{w.buyers[0].id}"
    assert "1 rendez-vous" in told[w.buyer_user.id].body

    by_address = {e.to_address: e for e in agenda_emails()}
    told_people = [*w.buyers, *w.suppliers[:4]]
    assert set(by_address) == {p.email for p in told_people}  # one e-mail each, accounts included
    assert len(agenda_emails()) == len(told_people)
    assert w.suppliers[4].email not in by_address  # declined: not told

    gardens = by_address[w.suppliers[1].email]
    assert gardens.subject == f"Votre agenda de « {w.event.name} » est publié"
    text = gardens.text_body
    assert "09:20-09:40, table 3 : Plaine Commune Habitat (Personne 2)" in text
    assert "Pourquoi : Souhait de l'acheteur ; mots en commun : élagage" in text
    token = re.search(r"http://marche\.test/rencontres/acces/(\S+)", text).group(1)
    assert access.participant_from_token(token).id == w.suppliers[1].id
    assert f"/rencontres/acces/{access.link_token(w.suppliers[1])}" in gardens.html_body
    assert "Plaine Commune Habitat" in gardens.html_body
    nothing = by_address[w.suppliers[3].email].text_body
    assert "Vous n'avez pas de rendez-vous programmé" in nothing


def test_after_a_hand_edit_only_the_participants_concerned_are_told(organiser_client, event_world):
    w = event_world
    first = meet(w, w.buyers[0], w.suppliers[0], 0, 0)
    meet(w, w.buyers[1], w.suppliers[1], 1, 2)
    assert organiser_client.post(f"/evenements/{w.event.id}/planning/publication").status_code == 302
    page = organiser_client.get(f"/evenements/{w.event.id}/planning").get_data(as_text=True)
    assert "Le planning publié est à jour" in page
    assert "Publier les modifications" not in page
    emails, notes = len(agenda_emails()), len(agenda_notifications())

    moved = organiser_client.post(f"/evenements/{w.event.id}/planning/rendez-vous/{first.id}/deplacer",
                                  data={"slot": 3, "table": 1})
    assert moved.status_code == 302
    page = organiser_client.get(f"/evenements/{w.event.id}/planning").get_data(as_text=True)
    assert "Publier les modifications" in page

    response = organiser_client.post(f"/evenements/{w.event.id}/planning/publication", follow_redirects=True)
    assert "Les modifications sont publiées : 2 participants prévenus" in response.get_data(as_text=True)
    new_notes = agenda_notifications()[notes:]
    assert {n.user_id for n in new_notes} == {w.buyer_user.id, w.supplier_user.id}
    assert all("a changé" in n.title for n in new_notes)
    assert {e.to_address for e in agenda_emails()[emails:]} == {w.buyer_user.email, w.supplier_user.email}

    again = organiser_client.post(f"/evenements/{w.event.id}/planning/publication", follow_redirects=True)
    assert "Rien n&#39;a changé depuis la dernière publication" in again.get_data(as_text=True)


def test_a_cancelled_meeting_tells_both_sides_and_the_service_refuses_no_change(event_world):
    w = event_world
    meet(w, w.buyers[0], w.suppliers[0], 0, 0)
    cancelled = meet(w, w.buyers[2], w.suppliers[2], 0, 1)
    scheduling.publish(w.event, w.organiser)
    db.session.commit()
    scheduling.cancel_meeting(w.event, cancelled.id)
    db.session.commit()
    assert scheduling.changed_participants(w.event) == {w.buyers[2].id, w.suppliers[2].id}
    report = scheduling.publish(w.event, w.organiser)
    db.session.commit()
    assert (report.notified, report.emailed, report.first) == (0, 2, False)
    with pytest.raises(ServiceError, match="Rien n'a changé"):
        scheduling.publish(w.event, w.organiser)


def test_a_new_run_after_publication_tells_everyone_again(event_world):
    w = event_world
    meet(w, w.buyers[0], w.suppliers[0], 0, 0)
    scheduling.publish(w.event, w.organiser)
    db.session.commit()
    scheduling.compute_schedule(w.event)
    db.session.commit()
    assert w.event.status is EventStatus.WISHES
    report = scheduling.publish(w.event, w.organiser)
    db.session.commit()
    assert report.first
    assert report.emailed == 8
