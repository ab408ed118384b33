"""Organisers' rules for events and their participants (settings, status, co-organisers, enrolments, invitations).

Everything here runs without a request (views, the CLI, the import and tests call it) and never commits unless
its docstring says so. Refusals are ``ServiceError`` keyed by the form's field names, in French. Another
event's participant or organiser is a 404, as for the event itself (``access.organised_event_or_404``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time

from flask import abort
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import (
    Event,
    EventMeeting,
    EventOrganiser,
    EventParticipant,
    EventStatus,
    EventWish,
    NotificationKind,
    ParticipantSide,
    ParticipantStatus,
    Role,
    SupplierCompany,
    Tender,
    TenderStatus,
    User,
    utcnow,
)
from ..models.events import EVENT_NAME_MAX, NEEDS_TEXT_MAX
from ..notifications import services as notifications
from ..refdata.lookups import MAX_CPV_CODES, clean_cpv_codes
from ..validators import ServiceError, check_email, normalise_email
from . import access
from .slots import event_slots, moved_slots, settings_errors, slot_grid

PER_PAGE = 20
PARTICIPANTS_PER_PAGE = 50
SEARCH_LIMIT = 20
PREFILL_TENDERS = 5  # a buyer's needs are prefilled from its organisation's most recent published tenders
PLACE_MAX = 300
DESCRIPTION_MAX = 5000
PERSON_MAX = 120
ORGANISATION_MAX = 200
POSTCODE_RE = re.compile(r"^\d{5}$", re.ASCII)
_BREAK_RE = re.compile(r"^(\d{1,2})[:h](\d{2})\s*-\s*(\d{1,2})[:h](\d{2})$", re.ASCII)
DUPLICATE_EMAIL = "Cette adresse e-mail participe déjà à l'événement."


# --------------------------------------------------------------------------- settings (pure)


def parse_time_text(text: str) -> time:
    """"9:00", "09:00" or "9h00" as a time; ValueError (French) otherwise."""
    match = re.fullmatch(r"(\d{1,2})[:h](\d{2})", (text or "").strip().lower(), re.ASCII)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError("Heure invalide : utilisez le format HH:MM, par exemple 09:00.")
    return time(int(match[1]), int(match[2]))


def parse_breaks_text(text: str) -> list[tuple[time, time]]:
    """"12:30-14:00, 16:00-16:15" as sorted (start, end) times; ValueError (French) naming the bad one."""
    out = []
    for part in re.split(r"[,;\n]", text or ""):
        part = part.strip().lower()
        if not part:
            continue
        match = _BREAK_RE.fullmatch(part)
        if not match:
            raise ValueError(f"La pause « {part[:30]} » n'est pas lisible : écrivez par exemple 12:30-14:00, "
                             "plusieurs pauses séparées par des virgules.")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"La pause « {part[:30]} » contient une heure qui n'existe pas.")
        out.append((time(h1, m1), time(h2, m2)))
    if len(out) > 10:
        raise ValueError("Indiquez au plus 10 pauses par jour.")
    return sorted(out)


def breaks_text(breaks) -> str:
    """The stored ``[["12:30", "14:00"], ...]`` as the form shows it."""
    return ", ".join(f"{start}-{end}" for start, end in breaks or ())


@dataclass
class EventData:
    name: str = ""
    place: str = ""
    description: str = ""
    first_day: date | None = None
    last_day: date | None = None
    day_start: time | None = None
    day_end: time | None = None
    slot_minutes: int | None = None
    breaks: list[tuple[time, time]] = field(default_factory=list)
    tables: int | None = None
    max_meetings: int | None = None
    min_score: float = 0.2

    def grid(self) -> tuple:
        return (self.first_day, self.last_day, self.day_start, self.day_end, self.slot_minutes,
                [[f"{s:%H:%M}", f"{e:%H:%M}"] for s, e in self.breaks])

    def slot_count(self) -> int:
        if None in (self.first_day, self.last_day, self.day_start, self.day_end, self.slot_minutes):
            return 0
        return len(slot_grid(self.first_day, self.last_day, self.day_start, self.day_end, self.slot_minutes,
                             self.breaks))


def event_data_of(event: Event) -> EventData:
    from .slots import parse_breaks

    return EventData(name=event.name, place=event.place, description=event.description, first_day=event.first_day,
                     last_day=event.last_day, day_start=event.day_start, day_end=event.day_end,
                     slot_minutes=event.slot_minutes, breaks=parse_breaks(event.breaks), tables=event.tables,
                     max_meetings=event.max_meetings, min_score=event.min_score)


def _text(value, name: str, errors: dict, *, max_length: int, required: str | None = None) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        errors[name] = required
    elif len(text) > max_length:
        errors[name] = f"{max_length} caractères au maximum ({len(text)} saisis)."
    return text


def event_errors(data: EventData) -> dict[str, str]:
    """Every reason these settings are refused, per field (French); {} when they are fine."""
    errors: dict[str, str] = {}
    _text(data.name, "name", errors, max_length=EVENT_NAME_MAX, required="Donnez un nom à l'événement.")
    _text(data.place, "place", errors, max_length=PLACE_MAX)
    _text(data.description, "description", errors, max_length=DESCRIPTION_MAX)
    required = {"first_day": "Indiquez le premier jour.", "last_day": "Indiquez le dernier jour.",
                "day_start": "Indiquez l'heure de début.", "day_end": "Indiquez l'heure de fin.",
                "slot_minutes": "Indiquez la durée d'un rendez-vous.", "tables": "Indiquez le nombre de tables."}
    for name, message in required.items():
        if getattr(data, name) is None:
            errors[name] = message
    for name, message in settings_errors(data.first_day, data.last_day, data.day_start, data.day_end,
                                         data.slot_minutes, data.breaks, data.tables).items():
        errors.setdefault(name, message)
    if data.max_meetings is not None and not 1 <= data.max_meetings <= 400:
        errors["max_meetings"] = "Indiquez entre 1 et 400 rendez-vous, ou laissez vide."
    if not (isinstance(data.min_score, int | float) and 0 <= data.min_score <= 1 and not math.isnan(data.min_score)):
        errors["min_score"] = "Indiquez un score minimal entre 0 et 100 %."
    return errors


def _apply(event: Event, data: EventData) -> None:
    event.name = data.name.strip()
    event.place = data.place.strip()
    event.description = data.description.strip()
    event.first_day, event.last_day = data.first_day, data.last_day
    event.day_start, event.day_end = data.day_start, data.day_end
    event.slot_minutes = data.slot_minutes
    event.breaks = [[f"{s:%H:%M}", f"{e:%H:%M}"] for s, e in data.breaks]
    event.tables = data.tables
    event.max_meetings = data.max_meetings
    event.min_score = float(data.min_score)


# --------------------------------------------------------------------------- events


def create_event(user: User, data: EventData) -> Event:
    """A new event in preparation, organised by its creator. Commits."""
    errors = event_errors(data)
    if errors:
        raise ServiceError(errors)
    event = Event(created_by=user, status=EventStatus.DRAFT)
    _apply(event, data)
    event.organisers.append(EventOrganiser(user=user))
    db.session.add(event)
    db.session.commit()
    return event


def grid_changes(event: Event, data: EventData) -> bool:
    """Whether these settings move the slots (then slot indexes of meetings and unavailabilities mean nothing)."""
    return event_data_of(event).grid() != data.grid()


SCHEDULING_RUNNING = ("Un calcul du planning est en cours pour cet événement : attendez qu'il finisse avant de "
                      "modifier les réglages.")
PROBLEMS_SHOWN = 5


def update_event(event: Event, data: EventData, *, clear_meetings: bool = False) -> Event:
    """Save new settings (refused while the scheduling job runs: it would save meetings of the old settings).

    A new slot grid moves the participants' unavailabilities to the new slots that overlap them and clears the
    meetings; settings that leave the meetings breaking a rule (fewer tables, a lower maximum...) clear them too.
    Either needs ``clear_meetings`` when there are meetings; a published event then goes back to the wishes.
    Commits."""
    from .scheduling import check_schedule, scheduling_running  # scheduling needs no services: no cycle

    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())  # vs. a job being started
    db.session.expire(event)
    if scheduling_running(event):
        db.session.rollback()
        raise ServiceError(SCHEDULING_RUNNING)
    errors = event_errors(data)
    moved = not errors and grid_changes(event, data)
    if moved and event.meetings and not clear_meetings:
        count = len(event.meetings)
        errors["confirm_clear"] = ("Ces réglages changent les créneaux : " + (
            "le rendez-vous planifié sera effacé" if count == 1 else f"les {count} rendez-vous planifiés seront "
                                                                     "effacés") + ". Cochez la case pour confirmer.")
    if errors:
        db.session.rollback()
        raise ServiceError(errors)
    old_slots = event_slots(event)
    problems_before = check_schedule(event) if event.meetings and not moved else []
    _apply(event, data)
    if moved:
        _move_unavailabilities(event, old_slots, event_slots(event))
        _clear_schedule(event)
    elif event.meetings:
        problems = [p for p in check_schedule(event) if p not in problems_before]
        if problems and not clear_meetings:
            message = _broken_meetings_message(len(event.meetings), problems)
            db.session.rollback()  # the settings applied to check the meetings are not saved
            raise ServiceError({"confirm_clear": message})
        if problems:
            _clear_schedule(event)
    db.session.commit()
    db.session.expire(event, ["meetings"])
    return event


def _broken_meetings_message(count: int, problems: list[str]) -> str:
    listed = " ; ".join(problems[:PROBLEMS_SHOWN])
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        listed += f" ; et {more} autre{'s' if more > 1 else ''} problème{'s' if more > 1 else ''}"
    meetings = ("le rendez-vous planifié ne respecterait" if count == 1
                else f"les {count} rendez-vous planifiés ne respecteraient")
    return (f"Avec ces réglages, {meetings} plus les règles : {listed}. Changez les réglages, ou cochez la case "
            "pour effacer les rendez-vous et enregistrer.")


def _clear_schedule(event: Event) -> None:
    """Delete the event's meetings; a published event goes back to the wishes (the caller commits)."""
    db.session.execute(EventMeeting.__table__.delete().where(EventMeeting.event_id == event.id))
    event.scheduled_at = event.schedule_optimal = None
    if event.status is EventStatus.PUBLISHED:
        event.status, event.published_at = EventStatus.WISHES, None


def _move_unavailabilities(event: Event, old_slots: list, new_slots: list) -> None:
    """A participant unavailable at an old slot stays unavailable at the new slots overlapping it."""
    mapping = moved_slots(old_slots, new_slots)
    for participant in event.participants:
        if participant.unavailable_slots:
            participant.unavailable_slots = sorted({new for old in participant.unavailable_slots
                                                    if isinstance(old, int) for new in mapping.get(old, ())})


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    pages: int
    total: int


def _page(stmt, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, page, pages, total)


def events_of(user: User, page: int = 1) -> Page:
    """The events ``user`` organises, newest first (by first day, then creation)."""
    stmt = (select(Event).join(EventOrganiser).where(EventOrganiser.user_id == user.id)
            .order_by(Event.first_day.desc(), Event.id.desc()))
    return _page(stmt, page, PER_PAGE)


def side_counts(event_ids: list[int]) -> dict[int, Counter]:
    """{event id: Counter({side: participants})} for a page of events, in one query."""
    counts: dict[int, Counter] = {event_id: Counter() for event_id in event_ids}
    if event_ids:
        rows = db.session.execute(
            select(EventParticipant.event_id, EventParticipant.side, func.count())
            .where(EventParticipant.event_id.in_(event_ids))
            .group_by(EventParticipant.event_id, EventParticipant.side))
        for event_id, side, number in rows:
            counts[event_id][side] = number
    return counts


@dataclass(frozen=True)
class Overview:
    """What the event hub shows: the grid and who takes part."""

    slots: int
    days: int
    capacity: int  # slots x tables: the most meetings the event can hold
    by_side_status: dict  # {(side, status): count}
    by_side: Counter
    wishes: int
    meetings: int


def overview(event: Event) -> Overview:
    slots = len(event_slots(event))
    rows = db.session.execute(
        select(EventParticipant.side, EventParticipant.status, func.count())
        .where(EventParticipant.event_id == event.id).group_by(EventParticipant.side, EventParticipant.status))
    by_side_status = {(side, status): number for side, status, number in rows}
    by_side = Counter()
    for (side, _status), number in by_side_status.items():
        by_side[side] += number
    wishes = db.session.scalar(select(func.count(EventWish.id)).where(EventWish.event_id == event.id)) or 0
    meetings = db.session.scalar(select(func.count(EventMeeting.id)).where(EventMeeting.event_id == event.id)) or 0
    return Overview(slots, (event.last_day - event.first_day).days + 1, slots * event.tables, by_side_status,
                    by_side, wishes, meetings)


def open_wishes(event: Event) -> int:
    """DRAFT -> WISHES, and tell every participant who has not declined that they can mark wishes. Commits.

    Returns how many participants were told."""
    _lock(event)
    if event.status is not EventStatus.DRAFT:
        raise ServiceError("Les souhaits ne peuvent être ouverts que pour un événement en préparation.")
    event.status = EventStatus.WISHES
    told = 0
    for participant in event.participants:
        if participant.status is not ParticipantStatus.DECLINED:
            _send(participant, wishes_open=True)
            told += 1
    db.session.commit()
    return told


def close_wishes(event: Event) -> None:
    """WISHES -> DRAFT (the wishes already marked are kept). Commits."""
    _lock(event)
    if event.status is not EventStatus.WISHES:
        raise ServiceError("Seul un événement aux souhaits ouverts peut revenir en préparation.")
    event.status = EventStatus.DRAFT
    db.session.commit()


def _lock(event: Event) -> None:
    """Re-read the event's row under a lock (PostgreSQL) so two clicks make one transition."""
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    db.session.refresh(event, ["status"])


# --------------------------------------------------------------------------- co-organisers


def add_organiser(event: Event, email: str) -> EventOrganiser:
    """Another ORGANISER account, by its e-mail address, becomes an organiser of the event. Commits."""
    address = normalise_email(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == address)) if address else None
    if user is None or user.role is not Role.ORGANISER or not user.active:
        raise ServiceError({"email": "Aucun compte organisateur n'utilise cette adresse e-mail."})
    if event.organised_by(user):
        raise ServiceError({"email": f"{user.full_name} organise déjà cet événement."})
    organiser = EventOrganiser(user=user)
    event.organisers.append(organiser)
    db.session.commit()
    return organiser


def remove_organiser(event: Event, organiser_id: int | None) -> User:
    """Remove one organiser of this event (never the last). Commits; returns the account removed."""
    organiser = next((o for o in event.organisers if o.id == organiser_id), None)
    if organiser is None:
        abort(404)
    if len(event.organisers) <= 1:
        raise ServiceError("Un événement garde au moins un organisateur.")
    user = organiser.user
    event.organisers.remove(organiser)
    db.session.commit()
    return user


# --------------------------------------------------------------------------- participants


def participant_of(event: Event, participant_id: int | None) -> EventParticipant:
    """A participant of this event, or 404 (another event's participant too)."""
    participant = db.session.get(EventParticipant, participant_id) if participant_id else None
    if participant is None or participant.event_id != event.id:
        abort(404)
    return participant


def participants_page(event: Event, *, side: ParticipantSide | None = None, status: ParticipantStatus | None = None,
                      query: str = "", page: int = 1) -> Page:
    """The event's participants, filtered by side, status and a text in the person's or organisation's name
    or e-mail, by organisation name."""
    stmt = select(EventParticipant).where(EventParticipant.event_id == event.id)
    if side is not None:
        stmt = stmt.where(EventParticipant.side == side)
    if status is not None:
        stmt = stmt.where(EventParticipant.status == status)
    text = (query or "").strip().lower()[:100]
    if text:
        stmt = stmt.where(or_(*(func.lower(column).contains(text, autoescape=True) for column in
                                (EventParticipant.person_name, EventParticipant.organisation_name,
                                 EventParticipant.email))))
    stmt = stmt.order_by(func.lower(EventParticipant.organisation_name), EventParticipant.id)
    return _page(stmt, page, PARTICIPANTS_PER_PAGE)


def wish_counts(participant_ids: list[int]) -> dict[int, int]:
    """How many wishes each of these participants marked."""
    if not participant_ids:
        return {}
    rows = db.session.execute(select(EventWish.requester_id, func.count()).where(
        EventWish.requester_id.in_(participant_ids)).group_by(EventWish.requester_id))
    return dict(rows.all())


@dataclass
class ParticipantData:
    side: ParticipantSide | str | None = None
    person_name: str = ""
    organisation_name: str = ""
    email: str = ""
    needs_text: str = ""
    cpv_codes: list[str] | str = field(default_factory=list)
    postcode: str | None = None
    qpv_declared: bool = False


def clean_participant(data: ParticipantData, *, check_cpv=clean_cpv_codes) -> ParticipantData:
    """Checked and normalised input (CPV codes with the project's one check, ``clean_cpv_codes``, or a memo of it
    for an import); ServiceError listing every problem."""
    errors: dict[str, str] = {}
    try:
        side = ParticipantSide(data.side)
    except ValueError:
        side = None
        errors["side"] = "Choisissez acheteur ou entrepreneur."
    person = _text(data.person_name, "person_name", errors, max_length=PERSON_MAX,
                   required="Indiquez le nom de la personne.")
    organisation = _text(data.organisation_name, "organisation_name", errors, max_length=ORGANISATION_MAX,
                         required="Indiquez l'organisation ou l'entreprise.")
    email = ""
    if not (data.email or "").strip():
        errors["email"] = "Indiquez l'adresse e-mail."
    else:
        try:
            email = check_email((data.email or "").strip())
        except ValueError as error:
            errors["email"] = str(error)
    needs = _text(data.needs_text, "needs_text", errors, max_length=NEEDS_TEXT_MAX)
    try:
        codes = check_cpv(data.cpv_codes)
    except ValueError as error:
        codes = []
        errors["cpv_codes"] = str(error)
    postcode = (data.postcode or "").strip() or None
    if postcode and not POSTCODE_RE.match(postcode):
        errors["postcode"] = "Le code postal doit comporter 5 chiffres."
    if errors:
        raise ServiceError(errors)
    is_supplier = side is ParticipantSide.SUPPLIER
    return ParticipantData(side, person, organisation, email, needs, codes, postcode if is_supplier else None,
                           bool(data.qpv_declared) and is_supplier)


def email_taken(event: Event, email: str) -> bool:
    return db.session.scalar(select(EventParticipant.id).where(
        EventParticipant.event_id == event.id, EventParticipant.email == normalise_email(email))) is not None


def accounts_by_email(emails) -> dict[str, User]:
    """The accounts using these (normalised) addresses, in one query per thousand addresses."""
    wanted = sorted({normalise_email(email) for email in emails if email})
    found: dict[str, User] = {}
    for start in range(0, len(wanted), 1000):
        for user in db.session.scalars(select(User).where(func.lower(User.email).in_(wanted[start:start + 1000]))):
            found[normalise_email(user.email)] = user
    return found


def new_participant(event: Event, data: ParticipantData, accounts: dict[str, User] | None = None) -> EventParticipant:
    """A participant from clean input (added to the session, not committed), linked to the account that uses its
    e-mail address if there is one (and to that account's organisation or company on the right side).
    ``accounts`` (from :func:`accounts_by_email`) spares a query per participant in an import."""
    if accounts is None:  # looked up before the new row joins the session (no autoflush of a half-built row)
        accounts = accounts_by_email([data.email])
    user = accounts.get(data.email)
    participant = EventParticipant(
        event=event, side=data.side, status=ParticipantStatus.INVITED, person_name=data.person_name,
        organisation_name=data.organisation_name, email=data.email, needs_text=data.needs_text,
        cpv_codes=list(data.cpv_codes), postcode=data.postcode, qpv_declared=data.qpv_declared)
    if user is not None:
        participant.user = user
        if data.side is ParticipantSide.BUYER and user.buyer_organisation_id:
            participant.buyer_organisation_id = user.buyer_organisation_id
        elif data.side is ParticipantSide.SUPPLIER and len(user.companies) == 1:
            participant.company = user.companies[0]
    db.session.add(participant)
    return participant


def _save_and_invite(participant: EventParticipant) -> EventParticipant:
    try:
        db.session.flush()
    except IntegrityError:  # the same address enrolled by a concurrent request
        db.session.rollback()
        raise ServiceError({"email": DUPLICATE_EMAIL}) from None
    send_invitation(participant)
    db.session.commit()
    return participant


def invite_participant(event: Event, data: ParticipantData) -> EventParticipant:
    """Enrol someone by e-mail (with or without an account) and send the invitation. Commits."""
    data = clean_participant(data)
    if email_taken(event, data.email):
        raise ServiceError({"email": DUPLICATE_EMAIL})
    return _save_and_invite(new_participant(event, data))


def search_companies(event: Event, query: str) -> list[SupplierCompany]:
    """Companies of the marketplace by name or SIRET, those already enrolled in the event left out."""
    from ..consortia.services import search_companies as find

    enrolled = db.session.scalars(select(EventParticipant.supplier_company_id).where(
        EventParticipant.event_id == event.id, EventParticipant.supplier_company_id.is_not(None)))
    return [c for c in find(query, exclude=list(enrolled)) if c.owner is not None and c.owner.active]


@dataclass(frozen=True)
class BuyerFound:
    """A buyer account as the enrolment search shows it: its e-mail only to whoever typed it exactly."""

    id: int
    full_name: str
    organisation: str
    email: str | None


def search_buyers(event: Event, query: str) -> list[BuyerFound]:
    """Active buyer accounts by name or organisation, or by their exact e-mail address, those already enrolled
    left out. Any organiser may search: addresses are shown only when the query is the address itself, so the
    search cannot list the marketplace's buyers' e-mails."""
    from ..models import BuyerOrganisation

    text = (query or "").strip().lower()[:100]
    if len(text) < 2:
        return []
    address = normalise_email(text)
    enrolled = select(EventParticipant.email).where(EventParticipant.event_id == event.id)
    stmt = (select(User).outerjoin(BuyerOrganisation, User.buyer_organisation_id == BuyerOrganisation.id)
            .where(User.role == Role.BUYER, User.active.is_(True), User.email.not_in(enrolled),
                   or_(func.lower(User.email) == address,
                       *(func.lower(column).contains(text, autoescape=True)
                         for column in (User.full_name, BuyerOrganisation.name))))
            .order_by(User.full_name, User.id).limit(SEARCH_LIMIT))
    return [BuyerFound(user.id, user.full_name, user.buyer_organisation.name if user.buyer_organisation else "",
                       user.email if normalise_email(user.email) == address else None)
            for user in db.session.scalars(stmt)]


def needs_from_tenders(organisation_id: int | None) -> tuple[str, list[str]]:
    """What a buyer organisation buys, from its most recent published tenders: their titles and CPV codes
    (lots' codes included), bounded to the participant's limits."""
    if organisation_id is None:
        return "", []
    tenders = db.session.scalars(
        select(Tender).where(Tender.buyer_organisation_id == organisation_id, Tender.status == TenderStatus.PUBLISHED)
        .order_by(Tender.published_at.desc().nulls_last(), Tender.id.desc()).limit(PREFILL_TENDERS))
    titles: list[str] = []
    codes: list[str] = []
    for tender in tenders:
        titles.append(tender.title)
        for code in [*tender.cpv_codes, *(c for lot in tender.lots for c in lot.cpv_codes)]:
            if code not in codes and len(codes) < MAX_CPV_CODES:
                codes.append(code)
    return "; ".join(titles)[:NEEDS_TEXT_MAX], codes


def enrol_buyer(event: Event, user_id: int | None) -> EventParticipant:
    """Enrol a buyer account, its needs prefilled from its organisation's published tenders. Commits."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None or user.role is not Role.BUYER or not user.active:
        raise ServiceError("Ce compte acheteur est introuvable : relancez la recherche.")
    if email_taken(event, user.email):
        raise ServiceError(f"{user.full_name} participe déjà à l'événement.")
    needs, codes = needs_from_tenders(user.buyer_organisation_id)
    organisation = user.buyer_organisation.name if user.buyer_organisation else user.full_name
    participant = EventParticipant(
        event=event, side=ParticipantSide.BUYER, status=ParticipantStatus.INVITED, person_name=user.full_name,
        organisation_name=organisation[:ORGANISATION_MAX], email=normalise_email(user.email), user=user,
        buyer_organisation_id=user.buyer_organisation_id, needs_text=needs, cpv_codes=codes)
    db.session.add(participant)
    return _save_and_invite(participant)


def enrol_company(event: Event, company_id: int | None) -> EventParticipant:
    """Enrol a marketplace company: its owner takes part for it. Commits."""
    company = db.session.get(SupplierCompany, company_id) if company_id else None
    owner = company.owner if company is not None else None
    if owner is None or not owner.active:
        raise ServiceError("Cette entreprise est introuvable ou n'a plus de responsable : relancez la recherche.")
    if email_taken(event, owner.email):
        raise ServiceError(f"{owner.full_name} ({owner.email}) participe déjà à l'événement.")
    participant = EventParticipant(
        event=event, side=ParticipantSide.SUPPLIER, status=ParticipantStatus.INVITED, person_name=owner.full_name,
        organisation_name=company.name[:ORGANISATION_MAX], email=normalise_email(owner.email), user=owner,
        company=company, postcode=company.postcode)
    db.session.add(participant)
    return _save_and_invite(participant)


def remove_participant(event: Event, participant_id: int | None) -> str:
    """Remove a participant with its wishes and meetings. Commits; returns its label."""
    participant = participant_of(event, participant_id)
    label = participant.label
    db.session.delete(participant)
    db.session.commit()
    return label


def resend_invitation(event: Event, participant_id: int | None) -> EventParticipant:
    """Send the invitation again (the same personal link). Commits."""
    participant = participant_of(event, participant_id)
    send_invitation(participant)
    db.session.commit()
    return participant


def renew_link(event: Event, participant_id: int | None) -> EventParticipant:
    """A new personal link for a participant (a lost or forwarded one): the links sent so far stop working and
    the invitation goes again with the new one. Commits."""
    participant = participant_of(event, participant_id)
    access.revoke_links(participant)
    send_invitation(participant)
    db.session.commit()
    return participant


# --------------------------------------------------------------------------- invitations


def personal_link(participant: EventParticipant) -> str:
    """The absolute URL of the participant's personal link (``participation.open_link``)."""
    return notifications.absolute_url_for("participation.open_link", token=access.link_token(participant))


def _send(participant: EventParticipant, *, wishes_open: bool = False) -> None:
    event = participant.event
    if participant.id is None:
        db.session.flush()
    if wishes_open:
        subject = f"{event.name} : indiquez qui vous souhaitez rencontrer"
    else:
        subject = f"Invitation : {event.name}"
    if participant.user is not None:
        notifications.notify(participant.user, NotificationKind.EVENT_INVITATION, subject,
                             f"{event.name}, {event.first_day:%d/%m/%Y}" + (f", {event.place}" if event.place else ""),
                             link=notifications.path_for("participation.home", participant_id=participant.id),
                             email=False)  # the e-mail below says it, with the personal link
    notifications.queue_email_to_address(
        participant.email, NotificationKind.EVENT_INVITATION, subject=subject, template="event_invitation",
        user=participant.user, participant=participant, event=event, link_url=personal_link(participant),
        wishes_open=wishes_open)


def send_invitation(participant: EventParticipant) -> None:
    """Invite a participant: an in-app notification for an account, and an e-mail with the personal link for
    everyone (``emails/event_invitation``). Records ``invited_at``; the caller commits."""
    _send(participant)
    participant.invited_at = utcnow()
