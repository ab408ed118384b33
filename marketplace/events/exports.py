"""An event's meetings as files and printable pages: CSV, XLSX, iCalendar, agendas and table cards.

Shared by the organisers' downloads, the participants' agenda and ``flask events export``: every format is
built here from the same rows (:func:`meeting_lines`), so they never disagree. Times are local to the event
(Europe/Paris); tables are shown from 1, as on the cards. Text typed by participants goes into spreadsheets,
so every cell goes through ``marketplace.spreadsheets`` (formulas neutralised).

Two views of the planning: the organisers' files and printed sheets show the current planning (hand edits
included, live); a participant's agenda and calendar show the planning as last published
(``Event.published_meetings``), since hand edits reach participants only with "Publier les modifications".
Declined participants appear nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from openpyxl import Workbook
from sqlalchemy.orm import selectinload

from ..dates import day_label
from ..extensions import db
from ..models import Event, EventMeeting, EventParticipant, ParticipantSide, ParticipantStatus
from ..spreadsheets import add_sheet, ascii_slug, csv_bytes, workbook_bytes
from .slots import Slot, event_slots

if TYPE_CHECKING:
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

EVENT_TIMEZONE = ZoneInfo("Europe/Paris")
CSV_COLUMNS = ("jour", "début", "fin", "table", "acheteur", "entreprise", "motif",
               "acheteur_contact", "entreprise_contact", "présence")
PRESENCE_LABELS = {True: "tenu", False: "non tenu", None: ""}  # the attendance screen's words
PRODID = "-//Marché des quartiers//Rencontres acheteurs-entrepreneurs//FR"


@dataclass(frozen=True)
class MeetingLine:
    """One meeting as every export shows it; ``slot`` is None when the meeting's slot left the grid (the
    event's hours changed after scheduling): it is listed without a time rather than lost."""

    meeting: EventMeeting
    slot: Slot | None

    @property
    def table(self) -> int:
        return self.meeting.table_number

    @property
    def day(self) -> date | None:
        return self.slot.day if self.slot else None

    @property
    def start(self) -> time | None:
        return self.slot.start if self.slot else None

    @property
    def end(self) -> time | None:
        return self.slot.end if self.slot else None

    @property
    def reason(self) -> str:
        return self.meeting.reason or ""

    @property
    def pair(self) -> tuple[int, int]:
        return self.meeting.buyer_id, self.meeting.supplier_id


@dataclass(frozen=True)
class AgendaLine:
    """One line of a participant's agenda: when, where, whom, why."""

    slot: int
    day: date | None
    start: time | None
    end: time | None
    table: int  # from 1
    counterpart: EventParticipant
    reason: str
    pair: tuple[int, int]  # (buyer id, supplier id): a meeting's identity across moves and publications

    @property
    def when(self) -> str:
        """"12/03/2027 09:00-09:20" (a slot the event's hours no longer have: its number)."""
        if self.day is None or self.start is None or self.end is None:
            return f"créneau {self.slot + 1}"
        return f"{day_label(self.day)} {self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class TableCard:
    """Who sits at one table, slot by slot (``rows``: (slot, meeting or None when the table is free))."""

    number: int
    rows: list[tuple[Slot, EventMeeting | None]]


def _slot_at(slots: list[Slot], index: int) -> Slot | None:
    return slots[index] if 0 <= index < len(slots) else None


def meeting_lines(event: Event, participant: EventParticipant | None = None) -> list[MeetingLine]:
    """The event's current meetings (only the participant's when given) between participants who did not
    decline, by slot then table, participants loaded."""
    declined = sa.select(EventParticipant.id).where(EventParticipant.event_id == event.id,
                                                    EventParticipant.status == ParticipantStatus.DECLINED)
    query = (sa.select(EventMeeting)
             .where(EventMeeting.event_id == event.id, EventMeeting.buyer_id.not_in(declined),
                    EventMeeting.supplier_id.not_in(declined))
             .options(selectinload(EventMeeting.buyer), selectinload(EventMeeting.supplier))
             .order_by(EventMeeting.slot, EventMeeting.table_index))
    if participant is not None:
        query = query.where(sa.or_(EventMeeting.buyer_id == participant.id,
                                   EventMeeting.supplier_id == participant.id))
    slots = event_slots(event)
    return [MeetingLine(meeting, _slot_at(slots, meeting.slot)) for meeting in db.session.scalars(query)]


def _agenda_line(line: MeetingLine, participant_id: int) -> AgendaLine:
    meeting = line.meeting
    counterpart = meeting.supplier if meeting.buyer_id == participant_id else meeting.buyer
    return AgendaLine(meeting.slot, line.day, line.start, line.end, line.table, counterpart, line.reason, line.pair)


def agenda(participant: EventParticipant) -> list[AgendaLine]:
    """The participant's meetings as last published (``Event.published_meetings``), in time order; none before
    the first publication. Hand edits made since show up only once the organiser publishes them; the reason is
    the live meeting's of the same pair ("" when that meeting is gone)."""
    event = participant.event
    rows = [row for row in event.published_meetings or () if participant.id in (row[0], row[1])]
    if not rows or participant.status is ParticipantStatus.DECLINED:
        return []
    other_ids = {row[1] if row[0] == participant.id else row[0] for row in rows}
    others = {p.id: p for p in db.session.scalars(sa.select(EventParticipant).where(
        EventParticipant.event_id == event.id, EventParticipant.id.in_(other_ids),
        EventParticipant.status != ParticipantStatus.DECLINED))}
    reasons = {(buyer_id, supplier_id): reason for buyer_id, supplier_id, reason in db.session.execute(
        sa.select(EventMeeting.buyer_id, EventMeeting.supplier_id, EventMeeting.reason)
        .where(EventMeeting.event_id == event.id, sa.or_(EventMeeting.buyer_id == participant.id,
                                                         EventMeeting.supplier_id == participant.id)))}
    slots = event_slots(event)
    lines = []
    for buyer_id, supplier_id, slot_index, table_index in sorted(rows, key=lambda row: (row[2], row[3])):
        counterpart = others.get(supplier_id if buyer_id == participant.id else buyer_id)
        if counterpart is None:  # removed from the event since
            continue
        slot = _slot_at(slots, slot_index)
        lines.append(AgendaLine(slot_index, slot.day if slot else None, slot.start if slot else None,
                                slot.end if slot else None, table_index + 1, counterpart,
                                reasons.get((buyer_id, supplier_id)) or "", (buyer_id, supplier_id)))
    return lines


def printable_agendas(event: Event) -> list[tuple[EventParticipant, list[AgendaLine]]]:
    """Every participant who did not decline (buyers first, then entrepreneurs, by organisation) with its
    current agenda, from one query."""
    by_participant: dict[int, list[AgendaLine]] = {}
    for line in meeting_lines(event):
        for participant_id in line.pair:
            by_participant.setdefault(participant_id, []).append(_agenda_line(line, participant_id))
    participants = [p for p in event.participants if p.status is not ParticipantStatus.DECLINED]
    participants.sort(key=lambda p: (p.side is not ParticipantSide.BUYER, p.organisation_name.casefold(), p.id))
    return [(p, by_participant.get(p.id, [])) for p in participants]


def table_cards(event: Event) -> list[TableCard]:
    """One card per table (1 .. the event's tables, more if a meeting sits beyond): every slot, with its
    meeting at that table or None."""
    slots = event_slots(event)
    seats = {(line.meeting.slot, line.meeting.table_index): line.meeting for line in meeting_lines(event)}
    count = max([event.tables, *(table + 1 for _, table in seats)])
    return [TableCard(index + 1, [(slot, seats.get((slot.index, index))) for slot in slots])
            for index in range(count)]


def _contact(participant: EventParticipant) -> str:
    return f"{participant.person_name} <{participant.email}>"


def meetings_csv(event: Event) -> bytes:
    """All current meetings for French Excel: dates JJ/MM/AAAA, times HH:MM, tables from 1."""
    rows = []
    for line in meeting_lines(event):
        meeting = line.meeting
        rows.append([day_label(line.day), f"{line.start:%H:%M}" if line.start else "",
                     f"{line.end:%H:%M}" if line.end else "", line.table, meeting.buyer.label,
                     meeting.supplier.label, line.reason, _contact(meeting.buyer), _contact(meeting.supplier),
                     PRESENCE_LABELS[meeting.held]])
    return csv_bytes(CSV_COLUMNS, rows)


def _time_range(line) -> str:
    return f"{line.start:%H:%M}-{line.end:%H:%M}" if line.start else "horaire à confirmer"


def meetings_xlsx(event: Event) -> bytes:
    """All current meetings as a workbook: one sheet per day, then the buyers' and the entrepreneurs' agendas."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    days: dict[date | None, list[list]] = {}
    for line in meeting_lines(event):
        days.setdefault(line.day, []).append([_time_range(line), line.table, line.meeting.buyer.label,
                                              line.meeting.supplier.label, line.reason])
    for day in sorted(days, key=lambda d: (d is None, d or date.min)):
        add_sheet(workbook, f"{day:%d-%m-%Y}" if day else "Sans horaire",
                  ["Heure", "Table", "Acheteur", "Entreprise", "Motif"], days[day], [13, 7, 40, 40, 60])
    agendas = printable_agendas(event)
    for side, title in ((ParticipantSide.BUYER, "Acheteurs"), (ParticipantSide.SUPPLIER, "Entreprises")):
        rows = []
        for participant, agenda_lines in agendas:
            if participant.side is not side:
                continue
            if not agenda_lines:
                rows.append([participant.label, "", "", "", "Aucun rendez-vous", ""])
            for line in agenda_lines:
                rows.append([participant.label, day_label(line.day), _time_range(line), line.table,
                             line.counterpart.label, line.reason])
        add_sheet(workbook, title, ["Participant", "Jour", "Heure", "Table", "Interlocuteur", "Motif"], rows,
                  [40, 12, 13, 7, 40, 60])
    return workbook_bytes(workbook)


def _site_host() -> str:
    return urlsplit(current_app.config.get("PUBLIC_BASE_URL", "")).hostname or "localhost"


def _calendar(event: Event, name: str) -> Calendar:
    from icalendar import Calendar  # imported when a calendar is asked for: 0.15 s off every process start

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", EVENT_TIMEZONE.key)
    return calendar


def _vevent(event: Event, line: MeetingLine | AgendaLine, summary: str, host: str, stamp: datetime
            ) -> CalendarEvent:
    from icalendar import Event as CalendarEvent

    vevent = CalendarEvent()
    buyer_id, supplier_id = line.pair
    vevent.add("uid", f"rendez-vous-{buyer_id}-{supplier_id}@{host}")  # one pair, one meeting: a move updates it
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", datetime.combine(line.day, line.start, tzinfo=EVENT_TIMEZONE))
    vevent.add("dtend", datetime.combine(line.day, line.end, tzinfo=EVENT_TIMEZONE))
    vevent.add("summary", summary)
    vevent.add("location", f"{event.place}, table {line.table}" if event.place else f"Table {line.table}")
    if line.reason:
        vevent.add("description", line.reason)
    return vevent


def _ics(event: Event, name: str, lines: list[MeetingLine] | list[AgendaLine], summary) -> bytes:
    calendar = _calendar(event, name)
    host = _site_host()
    stamp = (event.published_at or event.updated_at or datetime.now(UTC)).astimezone(UTC)
    for line in lines:
        if line.start is not None:
            calendar.add_component(_vevent(event, line, summary(line), host, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_ics(event: Event) -> bytes:
    """Every current meeting of the event, for the organisers' calendar."""
    return _ics(event, event.name, meeting_lines(event),
                lambda line: (f"Rendez-vous {line.meeting.buyer.organisation_name} – "
                              f"{line.meeting.supplier.organisation_name} (table {line.table})"))


def participant_ics(participant: EventParticipant) -> bytes:
    """The participant's published meetings (:func:`agenda`): "Rendez-vous avec X (table N)"."""
    return _ics(participant.event, participant.event.name, agenda(participant),
                lambda line: f"Rendez-vous avec {line.counterpart.label} (table {line.table})")


def export_filename(event: Event, extension: str, prefix: str = "rendez-vous") -> str:
    """"rendez-vous-semaine-de-la-diversite.csv"."""
    return f"{prefix}-{ascii_slug(event.name, f'evenement-{event.id}', max_length=80)}.{extension}"


EXPORT_FORMATS = {
    "csv": (meetings_csv, "text/csv; charset=utf-8"),
    "xlsx": (meetings_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ics": (event_ics, "text/calendar; charset=utf-8"),
}


def export(event: Event, fmt: str) -> tuple[bytes, str, str]:
    """``(content, mimetype, file name)`` of the event's current meetings in ``fmt`` (a key of EXPORT_FORMATS)."""
    build, mimetype = EXPORT_FORMATS[fmt]
    return build(event), mimetype, export_filename(event, fmt)
