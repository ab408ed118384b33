"""The demo event: one diversity week of the demo organiser, coherent data, idempotent seeding, on every backend."""

from datetime import date, time, timedelta
from html import unescape

from sqlalchemy import func, select

from marketplace.demo import seed_demo
from marketplace.demo.events import DEMO_EVENT_NAME, MAIL_DOMAIN, event_plan
from marketplace.demo.showcase import BUYER_EMAIL, DEMO_DOMAIN, ENTREPRENEUR_EMAIL, ORGANISER_EMAIL, demo_password
from marketplace.events.scoring import EventScorer
from marketplace.events.slots import event_slots
from marketplace.extensions import db
from marketplace.models import (
    Event,
    EventMeeting,
    EventOrganiser,
    EventParticipant,
    EventStatus,
    EventWish,
    Job,
    OutboxEmail,
    ParticipantSide,
    ParticipantStatus,
    User,
)
from marketplace.refdata.lookups import clean_cpv_codes

TODAY = date(2027, 3, 29)  # a Monday
SUPPLIERS = 60  # enough demo companies for the ten linked ones, fast to seed


def the_event() -> Event:
    events = db.session.scalars(select(Event)).all()
    assert len(events) == 1
    return events[0]


def participants_by(side: ParticipantSide) -> list[EventParticipant]:
    return db.session.scalars(select(EventParticipant).where(EventParticipant.side == side)
                              .order_by(EventParticipant.id)).all()


def snapshot() -> list[tuple]:
    participants = db.session.execute(
        select(EventParticipant.id, EventParticipant.email, EventParticipant.status, EventParticipant.access_key,
               EventParticipant.supplier_company_id, EventParticipant.user_id, EventParticipant.needs_text)
        .order_by(EventParticipant.id)).all()
    wishes = db.session.execute(select(EventWish.requester_id, EventWish.other_id, EventWish.value)
                                .order_by(EventWish.requester_id, EventWish.other_id)).all()
    return [tuple(row) for row in participants] + [tuple(row) for row in wishes]


def test_the_demo_organiser_organises_one_event_with_wishes_open(app):
    seed_demo(suppliers=SUPPLIERS, seed=42, today=TODAY)
    event = the_event()
    organiser = db.session.scalar(select(User).where(User.email == ORGANISER_EMAIL))
    assert organiser is not None
    assert [o.user_id for o in db.session.scalars(select(EventOrganiser))] == [organiser.id]
    assert event.organised_by(organiser)
    assert event.name == DEMO_EVENT_NAME
    assert event.status is EventStatus.WISHES
    assert TODAY + timedelta(days=21) <= event.first_day <= TODAY + timedelta(days=24)
    assert event.last_day == event.first_day + timedelta(days=1)
    assert {event.first_day.weekday(), event.last_day.weekday()} <= {1, 2, 3, 4}
    assert (event.day_start, event.day_end, event.slot_minutes, event.tables) == (time(9), time(17), 20, 12)
    slots = event_slots(event)
    assert slots
    assert {slot.day for slot in slots} == {event.first_day, event.last_day}
    assert not any(time(12, 30) < slot.end and slot.start < time(14) for slot in slots)
    # The organiser runs the scheduling: no meeting, no job, no e-mail from the seed.
    assert db.session.scalar(select(func.count(EventMeeting.id))) == 0
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_buyers_and_entrepreneurs_mostly_without_account(app):
    seed_demo(suppliers=SUPPLIERS, seed=42, today=TODAY)
    buyers, suppliers = participants_by(ParticipantSide.BUYER), participants_by(ParticipantSide.SUPPLIER)
    assert 18 <= len(buyers) <= 22
    assert 75 <= len(suppliers) <= 85
    demo_buyer = next(b for b in buyers if b.email == BUYER_EMAIL)
    assert demo_buyer.user.email == BUYER_EMAIL
    assert demo_buyer.buyer_organisation_id == demo_buyer.user.buyer_organisation_id is not None
    assert sum(b.buyer_organisation_id is not None for b in buyers) >= 5
    assert all(b.needs_text and b.cpv_codes for b in buyers)
    # Real CPV codes, as the organisers' forms would accept them (the demo catalogue's).
    for participant in buyers + suppliers:
        assert clean_cpv_codes(participant.cpv_codes) == participant.cpv_codes, participant.organisation_name

    linked = [s for s in suppliers if s.supplier_company_id is not None]
    assert 8 <= len(linked) <= 12
    demo_entrepreneur = next(s for s in suppliers if s.email == ENTREPRENEUR_EMAIL)
    assert demo_entrepreneur.company.owner_id == demo_entrepreneur.user_id
    assert {s.organisation_name for s in linked} == {s.company.name for s in linked}

    unlinked = [s for s in suppliers if s.supplier_company_id is None]
    assert len(unlinked) >= 65
    assert all(s.user_id is None for s in unlinked)
    assert all(s.needs_text and s.cpv_codes and s.postcode for s in unlinked)
    assert all(s.postcode[:2] in {"75", "92", "93", "94", "95"} for s in unlinked)
    assert 0.3 <= sum(s.qpv_declared for s in unlinked) / len(unlinked) <= 0.7
    # Invented people only on reserved domains; the demo accounts keep their own addresses.
    others = [p for p in buyers + suppliers if p.user_id is None]
    assert all(p.email.endswith(f".{MAIL_DOMAIN}") for p in others)
    assert {p.email for p in buyers + suppliers if p.user_id is not None} == {BUYER_EMAIL, ENTREPRENEUR_EMAIL}
    assert all(p.email.endswith(DEMO_DOMAIN) or p.email.endswith(MAIL_DOMAIN) for p in buyers + suppliers)

    statuses = [p.status for p in buyers + suppliers]
    assert statuses.count(ParticipantStatus.CONFIRMED) > 0.8 * len(statuses)
    assert 2 <= statuses.count(ParticipantStatus.DECLINED) <= 3
    assert statuses.count(ParticipantStatus.INVITED) >= 3
    assert all((p.answered_at is None) == (p.status is ParticipantStatus.INVITED) for p in buyers + suppliers)
    assert 3 <= sum(bool(p.unavailable_slots) for p in buyers + suppliers) <= 8


def test_wishes_join_the_two_sides_of_the_event(app):
    seed_demo(suppliers=SUPPLIERS, seed=42, today=TODAY)
    event = the_event()
    wishes = db.session.scalars(select(EventWish)).all()
    assert 50 <= len(wishes) <= 75
    for wish in wishes:
        assert wish.event_id == wish.requester.event_id == wish.other.event_id == event.id
        assert wish.requester.side is not wish.other.side
        assert wish.requester.status is ParticipantStatus.CONFIRMED
        assert wish.other.status is not ParticipantStatus.DECLINED
    values = [wish.value for wish in wishes]
    assert values.count(2) >= 5
    assert values.count(1) >= 20
    assert 3 <= values.count(-1) <= 4
    given = {(wish.requester_id, wish.other_id): wish.value for wish in wishes}
    mutual = [pair for pair, value in given.items() if value > 0 and given.get(pair[::-1], 0) > 0]
    assert len(mutual) >= 6  # both directions of at least three pairs
    refused = [pair for pair, value in given.items() if value == -1]
    assert all(pair[::-1] not in given for pair in refused)
    # The showcase: the demo buyer and the demo entrepreneur both "must" meet.
    ids = dict(db.session.execute(select(EventParticipant.email, EventParticipant.id)).all())
    assert given[(ids[BUYER_EMAIL], ids[ENTREPRENEUR_EMAIL])] == 2
    assert given[(ids[ENTREPRENEUR_EMAIL], ids[BUYER_EMAIL])] == 2


def test_the_engine_finds_partners_for_most_buyers(app):
    seed_demo(suppliers=SUPPLIERS, seed=42, today=TODAY)
    event = the_event()
    scores = EventScorer.for_event(event).scores()
    present = [b for b in participants_by(ParticipantSide.BUYER) if b.status is not ParticipantStatus.DECLINED]
    matched = {buyer_id for (buyer_id, _), score in scores.items() if score > event.min_score}
    assert len(matched & {b.id for b in present}) >= 0.8 * len(present)


def test_seeding_twice_keeps_one_event_and_the_same_participants(app):
    seed_demo(suppliers=SUPPLIERS, seed=42, today=TODAY)
    first = snapshot()
    event = the_event()
    # What a demo visitor may have done meanwhile: a schedule, a participant added, settings changed.
    buyer, supplier = participants_by(ParticipantSide.BUYER)[0], participants_by(ParticipantSide.SUPPLIER)[0]
    db.session.add(EventMeeting(event=event, buyer_id=buyer.id, supplier_id=supplier.id, slot=0, table_index=0))
    db.session.add(EventParticipant(event=event, side=ParticipantSide.SUPPLIER, person_name="Ajout Manuel",
                                    organisation_name="Ajout", email="ajout@exemple.fr"))
    event.status, event.tables = EventStatus.PUBLISHED, 3
    db.session.commit()

    seed_demo(suppliers=SUPPLIERS, seed=42, today=TODAY)
    db.session.expire_all()
    event = the_event()
    assert snapshot() == first
    assert (event.status, event.tables) == (EventStatus.WISHES, 12)
    assert db.session.scalar(select(func.count(EventMeeting.id))) == 0
    assert db.session.scalar(select(func.count(EventOrganiser.id))) == 1


def test_the_plan_is_deterministic_and_moves_with_the_seeding_day():
    first = event_plan(42, TODAY, [])
    assert event_plan(42, TODAY, []) == first
    later = event_plan(42, TODAY + timedelta(days=100), [])
    assert later["settings"]["first_day"] > first["settings"]["first_day"]
    assert [p["email"] for p in later["participants"]] == [p["email"] for p in first["participants"]]
    assert event_plan(7, TODAY, [])["participants"] != first["participants"]
    # Without demo companies, the 80 entrepreneurs are all invented.
    assert sum(p["side"] is ParticipantSide.SUPPLIER for p in first["participants"]) == 80


def test_the_demo_accounts_find_the_event_in_their_pages(client, auth):
    seed_demo(suppliers=SUPPLIERS, seed=42, today=TODAY)
    event = the_event()
    ids = dict(db.session.execute(select(EventParticipant.email, EventParticipant.id)).all())
    assert auth.login(ORGANISER_EMAIL, demo_password()).status_code == 302
    assert DEMO_EVENT_NAME in client.get("/evenements/").get_data(as_text=True)
    participants = client.get(f"/evenements/{event.id}/participants?q=ourcq")
    assert participants.status_code == 200
    assert "Toits de l'Ourcq Habitat" in unescape(participants.get_data(as_text=True))
    auth.logout()
    # The demo buyer takes part with its account: its wish page shows its "must" on the demo entrepreneur.
    assert auth.login(BUYER_EMAIL, demo_password()).status_code == 302
    wishes = client.get(f"/rencontres/{ids[BUYER_EMAIL]}/souhaits")
    assert wishes.status_code == 200
    assert "Horizon Propreté 93" in wishes.get_data(as_text=True)
