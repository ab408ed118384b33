"""An event world: two organisers, a small event with buyers and entrepreneurs (some with accounts).

Factories build rows directly (no service), so each journey's tests stand on their own.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from marketplace.extensions import db
from marketplace.models import (
    Event,
    EventOrganiser,
    EventParticipant,
    ParticipantSide,
    ParticipantStatus,
    Role,
    SupplierCompany,
    User,
)

EVENT_DAY = date.today() + timedelta(days=30)


@pytest.fixture
def make_event(app):
    def make(organiser: User, **fields) -> Event:
        values = dict(name="Semaine de la diversité entrepreneuriale", place="Saint-Denis", first_day=EVENT_DAY,
                      last_day=EVENT_DAY, day_start=time(9), day_end=time(12), slot_minutes=20,
                      breaks=[["10:20", "10:40"]], tables=3, created_by=organiser)
        values.update(fields)
        event = Event(**values)
        event.organisers.append(EventOrganiser(user=organiser))
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_participant(app):
    counter = iter(range(1, 10_000))

    def make(event: Event, side: ParticipantSide, organisation_name: str, **fields) -> EventParticipant:
        n = next(counter)
        values = dict(side=side, organisation_name=organisation_name, person_name=f"Personne {n}",
                      email=f"participant{n}@exemple.fr", status=ParticipantStatus.CONFIRMED)
        values.update(fields)
        participant = EventParticipant(event=event, **values)
        db.session.add(participant)
        db.session.commit()
        return participant

    return make


@dataclass
class EventWorld:
    organiser: User
    other_organiser: User  # organises nothing of this event
    buyer_user: User  # the account behind buyers[0]
    supplier_user: User  # the account behind suppliers[0] (owner of its company)
    company: SupplierCompany
    event: Event  # one morning, 8 slots (a break 10:20-10:40), 3 tables
    buyers: list[EventParticipant]  # 3
    suppliers: list[EventParticipant]  # 5: the first linked to `company`, the others without account


@pytest.fixture
def event_world(make_user, make_supplier, make_event, make_participant) -> EventWorld:
    organiser = make_user(Role.ORGANISER, full_name="Olivia Organisatrice")
    other = make_user(Role.ORGANISER, full_name="Oscar Autre")
    buyer_user = make_user(Role.BUYER, full_name="Alice Acheteuse")
    supplier_user = make_user(Role.SUPPLIER, full_name="Dina Gérante")
    company = make_supplier(owner=supplier_user, name="Net Horizon",
                            offers=({"title": "Nettoyage de bureaux", "description": "Nettoyage de locaux et vitres",
                                     "cpv_codes": ["90910000"]},))
    event = make_event(organiser)
    buyers = [
        make_participant(event, ParticipantSide.BUYER, "Ville de Saint-Denis", user=buyer_user,
                         buyer_organisation_id=buyer_user.buyer_organisation_id, email=buyer_user.email,
                         needs_text="Nettoyage des écoles et des bureaux", cpv_codes=["90910000"]),
        make_participant(event, ParticipantSide.BUYER, "Plaine Commune Habitat",
                         needs_text="Entretien des espaces verts, élagage", cpv_codes=["77310000"]),
        make_participant(event, ParticipantSide.BUYER, "Groupe Énergie", needs_text="Traiteur, plateaux repas"),
    ]
    suppliers = [
        make_participant(event, ParticipantSide.SUPPLIER, company.name, user=supplier_user, company=company,
                         email=supplier_user.email),
        make_participant(event, ParticipantSide.SUPPLIER, "Jardins Solidaires", postcode="93200",
                         qpv_declared=True, needs_text="Espaces verts, taille de haies, élagage"),
        make_participant(event, ParticipantSide.SUPPLIER, "Saveurs du Monde", postcode="93300",
                         needs_text="Traiteur, buffets et plateaux repas"),
        make_participant(event, ParticipantSide.SUPPLIER, "Propre Cité", postcode="93000", qpv_declared=True,
                         needs_text="Nettoyage de locaux"),
        make_participant(event, ParticipantSide.SUPPLIER, "Atelier Bois", postcode="75019",
                         needs_text="Menuiserie, agencement"),
    ]
    return EventWorld(organiser, other, buyer_user, supplier_user, company, event, buyers, suppliers)
