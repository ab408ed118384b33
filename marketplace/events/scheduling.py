"""Scheduling an event's meetings: the background job, the organiser's hand edits, publication.

* :func:`compute_schedule` asks ``matching.schedule`` for the meetings of the event's participants (not declined)
  and replaces the event's ``EventMeeting`` rows; the ``events.schedule`` job (:func:`start_scheduling`) runs it
  outside the request, the CLI (`flask events schedule`) in the terminal.
* Hand edits (:func:`move_meeting`, :func:`swap_meeting`, :func:`cancel_meeting`, :func:`add_meeting`) are saved
  only when ``matching.schedule.validate`` accepts the whole resulting schedule (:class:`ScheduleProblems`
  otherwise); the event row is locked first, so two organisers' edits apply one after the other.
* :func:`publish` re-validates, publishes and tells the participants: everyone the first time, then only those
  whose meetings changed since the last publication (``Event.published_meetings``).

Imported at app start (Config.JOBS_HANDLER_MODULES): no view imports, nothing done at import time. The callers
commit, except :func:`start_scheduling` (enqueueing commits).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.exc import IntegrityError

from matching.schedule import MUST, Meeting, Schedule, schedule_meetings, validate

from ..extensions import db
from ..jobs import enqueue, job_handler
from ..models import (
    Event,
    EventMeeting,
    EventParticipant,
    EventStatus,
    EventWish,
    Job,
    NotificationKind,
    ParticipantSide,
    User,
    utcnow,
)
from ..validators import ServiceError
from . import access, exports
from .scoring import EventScorer, scheduled_participants
from .slots import Slot, event_slots

JOB_KIND = "events.schedule"
SEAT_TAKEN = ("Un autre organisateur vient de modifier le planning et cette place est prise : rien n'a été "
              "enregistré. Vérifiez le planning et recommencez.")


class ScheduleProblems(ServiceError):
    """A hand edit or a publication that ``validate`` refuses: ``problems`` lists every broken rule (French)."""

    def __init__(self, problems: list[str], summary: str = "La modification n'est pas possible : rien n'a été "
                                                             "enregistré."):
        self.problems = list(problems)
        super().__init__(summary)


# ------------------------------------------------------------------------------------------ the instance


@dataclass
class Instance:
    """The event as ``matching.schedule`` sees it: participant ids are ``str(participant.id)``."""

    event: Event
    slots: list[Slot]
    people: dict[str, EventParticipant]
    buyers: list[str]
    suppliers: list[str]
    wishes: dict[tuple[str, str], int]
    unavailable: dict[str, set[int]]
    max_meetings: dict[str, int] | None

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    @property
    def n_tables(self) -> int:
        return self.event.tables

    def validate(self, meetings: Iterable[Meeting]) -> list[str]:
        """Every rule the meetings break, naming people (declined ones too), times and tables from 1."""
        schedule = Schedule(list(meetings), [], 0.0, None)
        return validate(schedule, self.buyers, self.suppliers, max(1, self.n_slots), self.n_tables,
                        wishes=self.wishes, unavailable=self.unavailable, max_meetings=self.max_meetings,
                        names={str(p.id): p.label for p in self.event.participants},
                        slot_labels=[slot.label for slot in self.slots])


def instance_for(event: Event) -> Instance:
    """The event's participants (not declined), wishes, unavailabilities and limits, as the scheduler wants them."""
    slots = event_slots(event)
    people = {str(p.id): p for p in scheduled_participants(event)}
    buyers = [pid for pid, p in people.items() if p.side is ParticipantSide.BUYER]
    suppliers = [pid for pid, p in people.items() if p.side is ParticipantSide.SUPPLIER]
    wishes = {}
    for wish in db.session.scalars(sa.select(EventWish).where(EventWish.event_id == event.id)):
        key = (str(wish.requester_id), str(wish.other_id))
        if key[0] in people and key[1] in people and people[key[0]].side is not people[key[1]].side:
            wishes[key] = wish.value
    unavailable = {pid: {s for s in p.unavailable_slots or () if isinstance(s, int) and 0 <= s < len(slots)}
                   for pid, p in people.items() if p.unavailable_slots}
    max_meetings = None
    if event.max_meetings is not None or any(p.max_meetings is not None for p in people.values()):
        default = event.max_meetings if event.max_meetings is not None else max(1, len(slots))
        max_meetings = {pid: p.max_meetings if p.max_meetings is not None else default for pid, p in people.items()}
    return Instance(event, slots, people, buyers, suppliers, wishes, unavailable, max_meetings)


def _lock(event: Event) -> None:
    """Take the event row's lock (PostgreSQL; SQLite serialises writers anyway) and read it afresh."""
    db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    db.session.expire(event)


# ------------------------------------------------------------------------------------------ computing


@dataclass(frozen=True)
class ScheduleOutcome:
    meetings: int
    entrepreneurs_total: int
    entrepreneurs_met: int
    buyers_total: int
    buyers_met: int
    optimal: bool | None  # True: proven optimal; False: a bound shows a gap; None: unknown
    unscheduled_wishes: list[tuple[str, str]]  # (requester label, other label)
    objective: float

    @property
    def optimal_label(self) -> str:
        return optimal_label(self.optimal)


def optimal_label(optimal: bool | None) -> str:
    if optimal is True:
        return "Ce planning est le meilleur possible (optimalité prouvée)."
    if optimal is False:
        return "Ce planning est bon mais pas forcément le meilleur possible (le temps de calcul était limité)."
    return "On ne sait pas si ce planning est le meilleur possible."


def _wish_motive(instance: Instance, buyer: str, supplier: str) -> str:
    from_buyer, from_supplier = instance.wishes.get((buyer, supplier), 0), instance.wishes.get((supplier, buyer), 0)
    if from_buyer > 0 and from_supplier > 0:
        return "souhait mutuel" + (" (prioritaire)" if MUST in (from_buyer, from_supplier) else "")
    if from_buyer > 0:
        return "souhait de l'acheteur" + (" (prioritaire)" if from_buyer == MUST else "")
    if from_supplier > 0:
        return "souhait de l'entreprise" + (" (prioritaire)" if from_supplier == MUST else "")
    return ""


def motive(wish: str, summary: str, score: float | None) -> str:
    """The French reason shown on agendas: the wish, then the engine's reasons and score."""
    parts = [wish] if wish else []
    if summary:
        parts.append(summary)
    if score is not None and score > 0:
        parts.append(f"pertinence {round(score * 100)} %")
    text = " ; ".join(parts) or "proposé par l'organisateur"
    return text[:1].upper() + text[1:]


def _check_can_schedule(instance: Instance) -> None:
    if not instance.slots:
        raise ServiceError("L'événement n'a aucun créneau : revoyez ses jours, ses horaires et ses pauses.")
    if not instance.buyers:
        raise ServiceError("Aucun acheteur ne participe (ou tous ont décliné) : inscrivez-en au moins un.")
    if not instance.suppliers:
        raise ServiceError("Aucun entrepreneur ne participe (ou tous ont décliné) : inscrivez-en au moins un.")


def compute_schedule(event: Event, progress: Callable[[float], object] | None = None, *,
                     time_limit_s: float | None = None, on_step: Callable[[str], object] | None = None
                     ) -> ScheduleOutcome:
    """Schedule the event's meetings and replace its ``EventMeeting`` rows (the caller commits).

    ``progress(fraction)`` hears 0-0.2 while scoring, 0.2-0.95 while solving, then the writing; ``on_step(text)``
    hears what is being done, in French. Raises ServiceError (French) when nothing can be scheduled. A published
    event goes back to "wishes": the new schedule is published (and everyone told) again by :func:`publish`.
    """
    report = progress or (lambda fraction: None)
    step = on_step or (lambda text: None)
    instance = instance_for(event)
    _check_can_schedule(instance)
    if time_limit_s is None:
        time_limit_s = float(current_app.config.get("EVENTS_SCHEDULE_TIME_LIMIT_S", 30))
    step("Calcul des affinités entre acheteurs et entrepreneurs")
    scorer = EventScorer.for_event(event)
    scores = {(str(b), str(s)): value for (b, s), value in
              scorer.scores(progress=lambda f: report(0.2 * f)).items()}
    report(0.2)
    step("Placement des rendez-vous")
    schedule = schedule_meetings(
        instance.buyers, instance.suppliers, instance.n_slots, instance.n_tables, scores,
        wishes=instance.wishes, unavailable=instance.unavailable, max_meetings=instance.max_meetings,
        min_score=float(event.min_score or 0.0), time_limit_s=time_limit_s,
        progress=lambda f: report(0.2 + 0.75 * f))
    report(0.95)
    step("Enregistrement du planning")
    explained = scorer.explain((int(m.buyer), int(m.supplier)) for m in schedule.meetings)
    _lock(event)
    db.session.execute(sa.delete(EventMeeting).where(EventMeeting.event_id == event.id)
                       .execution_options(synchronize_session=False))
    for m in schedule.meetings:
        pair = explained.get((int(m.buyer), int(m.supplier)))
        db.session.add(EventMeeting(
            event_id=event.id, buyer_id=int(m.buyer), supplier_id=int(m.supplier), slot=m.slot, table_index=m.table,
            score=pair.score if pair else None,
            reason=motive(_wish_motive(instance, m.buyer, m.supplier), pair.summary if pair else "",
                          pair.score if pair else None)))
    event.scheduled_at = utcnow()
    event.schedule_optimal = schedule.optimal
    if event.status is EventStatus.PUBLISHED:
        event.status = EventStatus.WISHES
    db.session.flush()
    db.session.expire(event, ["meetings"])
    report(1.0)
    met = {m.buyer for m in schedule.meetings} | {m.supplier for m in schedule.meetings}
    return ScheduleOutcome(
        meetings=len(schedule.meetings),
        entrepreneurs_total=len(instance.suppliers),
        entrepreneurs_met=sum(1 for s in instance.suppliers if s in met),
        buyers_total=len(instance.buyers),
        buyers_met=sum(1 for b in instance.buyers if b in met),
        optimal=schedule.optimal,
        unscheduled_wishes=[(instance.people[a].label, instance.people[b].label)
                            for a, b in schedule.unscheduled_wishes],
        objective=schedule.objective,
    )


# ------------------------------------------------------------------------------------------ the job


@job_handler(JOB_KIND)
def schedule_job(payload: dict, progress) -> dict:
    """Run :func:`compute_schedule` for ``payload["event_id"]``; the result links to the planning page."""
    event = db.session.get(Event, payload.get("event_id"))
    if event is None:
        raise ServiceError("Cet événement n'existe plus.")
    outcome = compute_schedule(event, progress, on_step=lambda text: progress(progress.fraction, text))
    return {"url": f"/evenements/{event.id}/planning", "meetings": outcome.meetings,
            "entrepreneurs_met": outcome.entrepreneurs_met, "entrepreneurs_total": outcome.entrepreneurs_total,
            "buyers_met": outcome.buyers_met, "buyers_total": outcome.buyers_total, "optimal": outcome.optimal,
            "unscheduled_wishes": [list(pair) for pair in outcome.unscheduled_wishes]}


def scheduling_running(event: Event) -> bool:
    job = event.schedule_job
    return job is not None and not job.finished


def start_scheduling(event: Event, user: User, *, confirm_republish: bool = False) -> Job:
    """Enqueue the scheduling job of the event (commits). Refused while one runs, and for a published event
    unless the organiser confirms (its participants will all be told again at the next publication)."""
    _lock(event)
    if scheduling_running(event):
        db.session.rollback()
        raise ServiceError("Un calcul du planning est déjà en cours pour cet événement : attendez qu'il finisse.")
    if event.status is EventStatus.PUBLISHED and not confirm_republish:
        db.session.rollback()
        raise ServiceError({"confirm_republish": "Le planning est déjà publié : cochez la case pour confirmer le "
                                                 "nouveau calcul (tous les participants seront prévenus à nouveau "
                                                 "à la prochaine publication)."})
    # The job id is written with the job row, under the event's lock: a second click waits, then sees it.
    job = enqueue(JOB_KIND, {"event_id": event.id}, user=user,
                  with_job=lambda job: setattr(event, "schedule_job_id", job.id))
    db.session.expire(event)
    return job


# ------------------------------------------------------------------------------------------ the page


@dataclass
class SlotRow:
    slot: Slot
    seats: list[EventMeeting | None]  # by table index

    @property
    def meetings(self) -> list[EventMeeting]:
        return [m for m in self.seats if m is not None]


@dataclass
class Overview:
    """What the planning page shows: the counts of the current meetings and the wishes they leave out."""

    meetings: int
    entrepreneurs_total: int
    entrepreneurs_met: int
    buyers_total: int
    buyers_met: int
    unscheduled_wishes: list[tuple[EventParticipant, EventParticipant, int]]
    days: list = field(default_factory=list)  # the event's days (dates) in order


def overview(event: Event) -> Overview:
    instance = instance_for(event)
    met = set()
    pairs = set()
    for m in event.meetings:
        met.update((str(m.buyer_id), str(m.supplier_id)))
        pairs.add(frozenset((str(m.buyer_id), str(m.supplier_id))))
    missed = [(instance.people[a], instance.people[b], value) for (a, b), value in instance.wishes.items()
              if value > 0 and frozenset((a, b)) not in pairs]
    missed.sort(key=lambda item: (-item[2], item[0].label.casefold(), item[1].label.casefold()))
    return Overview(
        meetings=len(event.meetings),
        entrepreneurs_total=len(instance.suppliers),
        entrepreneurs_met=sum(1 for s in instance.suppliers if s in met),
        buyers_total=len(instance.buyers),
        buyers_met=sum(1 for b in instance.buyers if b in met),
        unscheduled_wishes=missed,
        days=sorted({slot.day for slot in instance.slots}),
    )


def timetable(event: Event, day) -> list[SlotRow]:
    """The slots of one day, each with its meetings by table (None: a free table)."""
    rows = {slot.index: SlotRow(slot, [None] * event.tables) for slot in event_slots(event) if slot.day == day}
    for m in event.meetings:
        if m.slot in rows and 0 <= m.table_index < event.tables:
            rows[m.slot].seats[m.table_index] = m
    return list(rows.values())


def meeting_of(event: Event, meeting_id: int | None) -> EventMeeting:
    """The meeting, when it belongs to this event; otherwise 404."""
    meeting = db.session.get(EventMeeting, meeting_id) if meeting_id is not None else None
    if meeting is None or meeting.event_id != event.id:
        abort(404)
    return meeting


def check_schedule(event: Event) -> list[str]:
    """Every rule the event's current meetings break (French); [] when valid."""
    instance = instance_for(event)
    return instance.validate(_as_meeting(m) for m in event.meetings)


# ------------------------------------------------------------------------------------------ hand edits


def _as_meeting(m: EventMeeting, **changes) -> Meeting:
    values = {"buyer": str(m.buyer_id), "supplier": str(m.supplier_id), "slot": m.slot, "table": m.table_index,
              "reason": m.reason}
    values.update(changes)
    return Meeting(**values)


def _check_seat(instance: Instance, slot: int, table: int) -> None:
    errors = {}
    if not 0 <= slot < instance.n_slots:
        errors["slot"] = "Choisissez un créneau de l'événement."
    if not 0 <= table < instance.n_tables:
        errors["table"] = "Choisissez une table de l'événement."
    if errors:
        raise ServiceError(errors)


def _apply(event: Event, instance: Instance, proposed: list[Meeting], change: Callable[[], None]) -> None:
    problems = instance.validate(proposed)
    if problems:
        raise ScheduleProblems(problems)
    try:
        change()
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(SEAT_TAKEN) from None
    event.schedule_optimal = None  # edited by hand: no longer what the solver proved
    db.session.expire(event, ["meetings"])


def _others(event: Event, *excluded: EventMeeting) -> list[Meeting]:
    ids = {m.id for m in excluded}
    return [_as_meeting(m) for m in event.meetings if m.id not in ids]


def move_meeting(event: Event, meeting_id: int, slot: int, table: int) -> EventMeeting:
    """Move a meeting to a free seat (slot, table index)."""
    _lock(event)
    meeting = meeting_of(event, meeting_id)
    instance = instance_for(event)
    _check_seat(instance, slot, table)

    def change():
        meeting.slot, meeting.table_index = slot, table

    _apply(event, instance, [*_others(event, meeting), _as_meeting(meeting, slot=slot, table=table)], change)
    return meeting


def swap_meeting(event: Event, meeting_id: int, slot: int, table: int) -> tuple[EventMeeting, EventMeeting]:
    """Swap a meeting's seat with the meeting seated at (slot, table index)."""
    _lock(event)
    meeting = meeting_of(event, meeting_id)
    instance = instance_for(event)
    _check_seat(instance, slot, table)
    other = next((m for m in event.meetings if m.slot == slot and m.table_index == table), None)
    if other is None:
        raise ServiceError({"slot": "Aucun rendez-vous à cette place : pour y aller, utilisez « Déplacer »."})
    if other.id == meeting.id:
        raise ServiceError({"slot": "C'est déjà la place de ce rendez-vous : choisissez-en une autre."})
    seat = (meeting.slot, meeting.table_index)

    def change():
        meeting.slot, meeting.table_index = -1, -1  # frees the seat: the unique (slot, table) holds at each flush
        db.session.flush()
        other.slot, other.table_index = seat
        db.session.flush()
        meeting.slot, meeting.table_index = slot, table

    proposed = [*_others(event, meeting, other), _as_meeting(meeting, slot=slot, table=table),
                _as_meeting(other, slot=seat[0], table=seat[1])]
    _apply(event, instance, proposed, change)
    return meeting, other


def cancel_meeting(event: Event, meeting_id: int) -> None:
    """Remove a meeting. Never refused: removing breaks no rule, and it is how the organiser fixes a schedule that
    became invalid (a participant declined or lowered its maximum): the planning page lists what is left to fix."""
    _lock(event)
    db.session.delete(meeting_of(event, meeting_id))
    db.session.flush()
    event.schedule_optimal = None
    db.session.expire(event, ["meetings"])


def add_meeting(event: Event, buyer_id: int, supplier_id: int, slot: int, table: int) -> EventMeeting:
    """Add a meeting between a buyer and an entrepreneur of the event at a free seat."""
    _lock(event)
    instance = instance_for(event)
    errors = {}
    buyer, supplier = instance.people.get(str(buyer_id)), instance.people.get(str(supplier_id))
    if buyer is None or buyer.side is not ParticipantSide.BUYER:
        errors["buyer_id"] = "Choisissez un acheteur de l'événement."
    if supplier is None or supplier.side is not ParticipantSide.SUPPLIER:
        errors["supplier_id"] = "Choisissez un entrepreneur de l'événement."
    if errors:
        raise ServiceError(errors)
    _check_seat(instance, slot, table)
    wish = _wish_motive(instance, str(buyer_id), str(supplier_id))
    pair = EventScorer.for_event(event).explain([(buyer_id, supplier_id)]).get((buyer_id, supplier_id))
    meeting = EventMeeting(event_id=event.id, buyer_id=buyer_id, supplier_id=supplier_id, slot=slot, table_index=table,
                           score=pair.score if pair else None,
                           reason=motive(wish or "ajouté par l'organisateur", pair.summary if pair else "",
                                         pair.score if pair else None))
    proposed = [*_others(event), Meeting(str(buyer_id), str(supplier_id), slot, table, meeting.reason)]
    _apply(event, instance, proposed, lambda: db.session.add(meeting))
    return meeting


# ------------------------------------------------------------------------------------------ publication


def _seats(meetings: Iterable) -> dict[int, set[tuple]]:
    """Per participant id: its (slot, table, counterpart) triples."""
    out: dict[int, set[tuple]] = {}
    for buyer, supplier, slot, table in meetings:
        out.setdefault(buyer, set()).add((slot, table, supplier))
        out.setdefault(supplier, set()).add((slot, table, buyer))
    return out


def _current(event: Event) -> list[tuple[int, int, int, int]]:
    return [(m.buyer_id, m.supplier_id, m.slot, m.table_index) for m in event.meetings]


def published_seats(event: Event) -> list[tuple[int, int, int, int]] | None:
    """The (buyer id, supplier id, slot, table) of the last publication, or None when never published."""
    if event.published_meetings is None:
        return None
    return [tuple(row) for row in event.published_meetings]


def changed_participants(event: Event) -> set[int]:
    """Ids of the participants whose meetings differ from the last publication (all of them if none)."""
    people = {p.id for p in scheduled_participants(event)}
    before = published_seats(event)
    if before is None or event.status is not EventStatus.PUBLISHED:
        return people
    old, new = _seats(before), _seats(_current(event))
    return {pid for pid in people if old.get(pid, set()) != new.get(pid, set())}


@dataclass(frozen=True)
class PublicationReport:
    notified: int  # participants with an account, also told in the app
    emailed: int  # participants e-mailed their agenda and personal link (everyone told)
    first: bool  # the first publication (everyone told) or changes only


def publish(event: Event, user: User) -> PublicationReport:
    """Publish the event's schedule and tell its participants (the caller commits).

    Refused (ServiceError / ScheduleProblems) for an empty or invalid schedule, and when nothing changed since
    the last publication. First publication: everyone not declined; later: those whose meetings changed.
    """
    from ..notifications.services import absolute_url_for, notify, path_for, queue_email_to_address

    _lock(event)
    if scheduling_running(event):
        raise ServiceError("Un calcul du planning est en cours : attendez qu'il finisse pour publier.")
    if not event.meetings:
        raise ServiceError("Le planning est vide : calculez-le (ou ajoutez des rendez-vous) avant de le publier.")
    problems = check_schedule(event)
    if problems:
        raise ScheduleProblems(problems, "Le planning ne respecte pas toutes les règles : il n'est pas publié. "
                                         "Corrigez les points ci-dessous.")
    first = event.status is not EventStatus.PUBLISHED or published_seats(event) is None
    recipients = changed_participants(event)
    if not recipients:
        raise ServiceError("Rien n'a changé depuis la dernière publication : personne n'est à prévenir.")
    now = utcnow()
    event.status = EventStatus.PUBLISHED
    event.published_at = now
    event.published_meetings = [list(row) for row in _current(event)]
    notified = emailed = 0
    verb = "est publié" if first else "a changé"
    for participant in scheduled_participants(event):
        if participant.id not in recipients:
            continue
        agenda = exports.agenda(participant)  # the published meetings, just recorded above
        title = f"Votre agenda de « {event.name} » {verb}"
        if participant.user is not None:
            count = len(agenda)
            body = (f"{count} rendez-vous vous attend{'ent' if count > 1 else ''} : l'heure, la table, la personne "
                    "et le motif de chacun sont dans votre espace." if count else
                    "Vous n'avez pas de rendez-vous programmé pour le moment.")
            notify(participant.user, NotificationKind.EVENT_AGENDA, title, body,
                   link=path_for("participation.home", participant_id=participant.id),
                   email=False)  # the agenda e-mail below is the one e-mail
            notified += 1
        queue_email_to_address(
            participant.email, NotificationKind.EVENT_AGENDA, subject=title, template="event_agenda",
            user=participant.user, event=event, participant=participant, agenda=agenda, first=first,
            link_url=absolute_url_for("participation.open_link", token=access.link_token(participant)))
        emailed += 1
    db.session.flush()
    return PublicationReport(notified, emailed, first)
