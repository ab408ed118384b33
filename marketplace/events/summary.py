"""After the event: attendance (which meetings were held) and the summary figures, charts and downloads.

Attendance is ``EventMeeting.held`` (True held, False not held, None unknown), checked by the organiser once the
agendas are published. The summary counts from a handful of queries whatever the event's size (no per-row
query: an event may have 400 entrepreneurs and 1,300 meetings):

* participants are those who did not decline; one is "met" when it has at least one meeting (scheduled), or one
  meeting marked held (held);
* an entrepreneur's QPV status is its company's (``qpv_status``: verified, declared) when it has one, else its own
  claim (``qpv_declared``, counted as declared); anything else is "not in a QPV or unknown";
* its trade is the CPV division (first two digits) most frequent in its own CPV codes, else in its company's
  offers' codes; "Non renseigné" without any code;
* wishes are counted per buyer-entrepreneur pair, in the scheduler's priority order (mutual must, one-sided
  must, would like); a pair with a refusal is not a wish to meet.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import NotFound

from ..charts import BarChart, bar_chart, grouped_chart, top_n
from ..dates import day_label
from ..extensions import db
from ..models import (
    Event,
    EventMeeting,
    EventParticipant,
    EventStatus,
    EventWish,
    Offer,
    ParticipantSide,
    ParticipantStatus,
    QpvStatus,
    SupplierCompany,
)
from ..refdata.lookups import cpv_labels
from ..spreadsheets import add_sheet, csv_bytes, workbook_bytes
from ..validators import ServiceError
from .slots import Slot, event_slots

QPV_VERIFIED = "QPV vérifié"
QPV_DECLARED = "QPV déclaré, non vérifié"
QPV_NONE = "Hors QPV ou non renseigné"
QPV_GROUPS = (QPV_VERIFIED, QPV_DECLARED, QPV_NONE)
TRADE_UNKNOWN = "Non renseigné"
TRADES_SHOWN = 10  # top 10 trades on the chart, the rest as "Autres" (the tables keep them all)
BUYERS_SHOWN = 10
WISH_KINDS = (
    ("mutual", "Souhait mutuel : les deux doivent se rencontrer"),
    ("must", "Doit rencontrer (d'un seul côté)"),
    ("like", "Aimerait rencontrer"),
)
ATTENDANCE_PAGE_MEETINGS = 60  # a page of the attendance form holds whole slots, about this many meetings


# ------------------------------------------------------------------------------------------------ attendance


class MeetingNotFound(NotFound):
    """A meeting id that is not one of the event's (a 404: ids reveal nothing of other events)."""


@dataclass(frozen=True)
class AttendanceSlot:
    slot: Slot | None  # None: a meeting whose slot is no longer in the grid (settings changed since)
    index: int
    meetings: list[EventMeeting]


@dataclass(frozen=True)
class AttendancePage:
    slots: list[AttendanceSlot]
    page: int
    pages: int
    total: int  # meetings of the whole event


def attendance_open(event: Event) -> bool:
    """Attendance is checked once the agendas are published (before that, nothing was held)."""
    return event.status is EventStatus.PUBLISHED


def attendance_page(event: Event, page: int, per_page: int = ATTENDANCE_PAGE_MEETINGS) -> AttendancePage:
    """One page of the attendance form: whole slots (a slot is never split), about ``per_page`` meetings."""
    counts = db.session.execute(
        sa.select(EventMeeting.slot, sa.func.count()).where(EventMeeting.event_id == event.id)
        .group_by(EventMeeting.slot).order_by(EventMeeting.slot)
    ).all()
    chunks: list[list[int]] = []
    size = per_page
    for slot, count in counts:
        if not chunks or size + count > per_page:
            chunks.append([])
            size = 0
        chunks[-1].append(slot)
        size += count
    pages = max(len(chunks), 1)
    page = min(max(page, 1), pages)
    wanted = chunks[page - 1] if chunks else []
    meetings = db.session.scalars(
        sa.select(EventMeeting).where(EventMeeting.event_id == event.id, EventMeeting.slot.in_(wanted))
        .options(joinedload(EventMeeting.buyer), joinedload(EventMeeting.supplier))
        .order_by(EventMeeting.slot, EventMeeting.table_index)
    ).all() if wanted else []
    grid = {slot.index: slot for slot in event_slots(event)}
    by_slot: dict[int, list[EventMeeting]] = defaultdict(list)
    for meeting in meetings:
        by_slot[meeting.slot].append(meeting)
    return AttendancePage([AttendanceSlot(grid.get(index), index, by_slot[index]) for index in wanted], page, pages,
                          sum(count for _, count in counts))


def record_attendance(event: Event, choices: dict[int, bool | None], all_held_slots: set[int] = frozenset()
                      ) -> int:
    """Save the organiser's attendance: ``choices`` per meeting id, then every meeting of ``all_held_slots`` held.

    Every meeting id must be one of the event's (:class:`MeetingNotFound` otherwise, and nothing is saved);
    ServiceError before publication. Returns how many meetings changed.
    """
    if not attendance_open(event):
        raise ServiceError("La présence se relève après la publication des agendas.")
    meetings = {m.id: m for m in db.session.scalars(
        sa.select(EventMeeting).where(EventMeeting.event_id == event.id, EventMeeting.id.in_(set(choices)))
        .with_for_update()
    )} if choices else {}
    if set(choices) - set(meetings):
        db.session.rollback()
        raise MeetingNotFound()
    changed = 0
    for meeting_id, held in choices.items():
        meeting = meetings[meeting_id]
        if meeting.held is not held:
            meeting.held = held
            changed += 1
    if all_held_slots:
        for meeting in db.session.scalars(sa.select(EventMeeting).where(
                EventMeeting.event_id == event.id, EventMeeting.slot.in_(all_held_slots))):
            if meeting.held is not True:
                meeting.held = True
                changed += 1
    db.session.commit()
    return changed


# --------------------------------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Reach:
    """How many participants of a group, and how many met someone (scheduled, and held)."""

    label: str
    participants: int
    met_scheduled: int
    met_held: int


@dataclass(frozen=True)
class MeetingCount:
    label: str
    scheduled: int
    held: int
    not_held: int
    unknown: int


@dataclass(frozen=True)
class WishCount:
    label: str
    asked: int
    scheduled: int
    held: int


@dataclass(frozen=True)
class EventSummary:
    meetings: MeetingCount  # the whole event
    buyers: Reach
    suppliers: Reach
    by_day: list[MeetingCount]
    by_slot: list[MeetingCount]
    suppliers_by_qpv: list[Reach]  # QPV_GROUPS, in that order
    suppliers_by_trade: list[Reach]  # most participants first, "Non renseigné" last
    by_buyer: list[MeetingCount]  # each buyer's meetings, most first
    wishes: list[WishCount]  # WISH_KINDS, in that order

    @property
    def attendance_recorded(self) -> bool:
        return self.meetings.held + self.meetings.not_held > 0

    @property
    def has_meetings(self) -> bool:
        return self.meetings.scheduled > 0


def _count(label: str, helds: list[bool | None]) -> MeetingCount:
    return MeetingCount(label, len(helds), sum(h is True for h in helds), sum(h is False for h in helds),
                        sum(h is None for h in helds))


def _reach(label: str, ids, scheduled: set[int], held: set[int]) -> Reach:
    ids = set(ids)
    return Reach(label, len(ids), len(ids & scheduled), len(ids & held))


def _division(codes) -> str | None:
    """The most frequent CPV division (2 digits) of these codes; ties go to the first seen."""
    divisions = Counter(str(code)[:2] for code in codes or () if str(code)[:2].isdigit())
    return divisions.most_common(1)[0][0] if divisions else None


def _qpv_group(company_status: QpvStatus | None, declared: bool, has_company: bool) -> str:
    if has_company:
        if company_status is QpvStatus.VERIFIED:
            return QPV_VERIFIED
        return QPV_DECLARED if company_status is QpvStatus.DECLARED else QPV_NONE
    return QPV_DECLARED if declared else QPV_NONE


def event_summary(event: Event) -> EventSummary:
    """Every figure of the summary page and downloads, from six queries."""
    participants = db.session.execute(
        sa.select(EventParticipant.id, EventParticipant.side, EventParticipant.organisation_name,
                  EventParticipant.person_name, EventParticipant.supplier_company_id, EventParticipant.qpv_declared,
                  EventParticipant.cpv_codes)
        .where(EventParticipant.event_id == event.id, EventParticipant.status != ParticipantStatus.DECLINED)
        .order_by(EventParticipant.id)
    ).all()
    meetings = db.session.execute(
        sa.select(EventMeeting.buyer_id, EventMeeting.supplier_id, EventMeeting.slot, EventMeeting.held)
        .where(EventMeeting.event_id == event.id)
    ).all()
    wishes = db.session.execute(
        sa.select(EventWish.requester_id, EventWish.other_id, EventWish.value).where(EventWish.event_id == event.id)
    ).all()
    company_ids = {p.supplier_company_id for p in participants if p.supplier_company_id}
    company_qpv = dict(db.session.execute(
        sa.select(SupplierCompany.id, SupplierCompany.qpv_status).where(SupplierCompany.id.in_(company_ids))
    ).all()) if company_ids else {}
    offer_codes: dict[int, list[str]] = defaultdict(list)
    if company_ids:
        for supplier_id, codes in db.session.execute(
                sa.select(Offer.supplier_id, Offer.cpv_codes).where(Offer.supplier_id.in_(company_ids))
                .order_by(Offer.supplier_id, Offer.id)):
            offer_codes[supplier_id].extend(codes or ())

    buyers = {p.id: p for p in participants if p.side is ParticipantSide.BUYER}
    suppliers = {p.id: p for p in participants if p.side is ParticipantSide.SUPPLIER}
    scheduled = {pid for m in meetings for pid in (m.buyer_id, m.supplier_id)}
    held = {pid for m in meetings if m.held is True for pid in (m.buyer_id, m.supplier_id)}

    slots = event_slots(event)
    grid = {slot.index: slot for slot in slots}
    per_slot: dict[int, list[bool | None]] = defaultdict(list)
    for m in meetings:
        per_slot[m.slot].append(m.held)
    by_slot = [_count(grid[i].label if i in grid else f"Créneau {i + 1}", per_slot[i]) for i in sorted(per_slot)]
    per_day: dict[date | None, list[bool | None]] = defaultdict(list)
    for i, helds in per_slot.items():
        per_day[grid[i].day if i in grid else None].extend(helds)
    by_day = [_count(day_label(day) if day else "Sans horaire", per_day[day])
              for day in sorted(per_day, key=lambda d: (d is None, d or date.min))]

    qpv_members: dict[str, list[int]] = {group: [] for group in QPV_GROUPS}
    trade_members: dict[str | None, list[int]] = defaultdict(list)
    for p in suppliers.values():
        company = p.supplier_company_id
        qpv_members[_qpv_group(company_qpv.get(company), p.qpv_declared, company is not None)].append(p.id)
        trade_members[_division(p.cpv_codes) or (_division(offer_codes.get(company)) if company else None)].append(
            p.id)
    labels = cpv_labels([f"{d}000000" for d in trade_members if d])
    trades = [_reach(f"{d} – {labels.get(f'{d}000000') or 'Division CPV'}", ids, scheduled, held)
              for d, ids in trade_members.items() if d]
    trades.sort(key=lambda r: (-r.participants, -r.met_scheduled, r.label))
    if None in trade_members:
        trades.append(_reach(TRADE_UNKNOWN, trade_members[None], scheduled, held))

    per_buyer: dict[int, list[bool | None]] = defaultdict(list)
    for m in meetings:
        per_buyer[m.buyer_id].append(m.held)
    by_buyer = [_count(f"{b.organisation_name} ({b.person_name})", per_buyer.get(b.id, [])) for b in buyers.values()]
    by_buyer.sort(key=lambda c: (-c.scheduled, -c.held, c.label))

    return EventSummary(
        meetings=_count("Rencontres", [m.held for m in meetings]),
        buyers=_reach("Acheteurs", buyers, scheduled, held),
        suppliers=_reach("Entrepreneurs", suppliers, scheduled, held),
        by_day=by_day,
        by_slot=by_slot,
        suppliers_by_qpv=[_reach(group, ids, scheduled, held) for group, ids in qpv_members.items()],
        suppliers_by_trade=trades,
        by_buyer=by_buyer,
        wishes=_wishes(wishes, buyers, suppliers, {(m.buyer_id, m.supplier_id): m.held for m in meetings}),
    )


def _wishes(wishes, buyers, suppliers, meetings: dict[tuple[int, int], bool | None]) -> list[WishCount]:
    """Buyer-entrepreneur pairs by their strongest wish, and how many of them met."""
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for requester, other, value in wishes:
        if requester in buyers and other in suppliers:
            pairs[(requester, other)].append(value)
        elif requester in suppliers and other in buyers:
            pairs[(other, requester)].append(value)
    kinds: dict[str, list[tuple[int, int]]] = {kind: [] for kind, _ in WISH_KINDS}
    for pair, values in pairs.items():
        if -1 in values:
            continue
        musts = values.count(2)
        kind = "mutual" if musts >= 2 else "must" if musts == 1 else "like"
        kinds[kind].append(pair)
    return [WishCount(label, len(kinds[kind]), sum(p in meetings for p in kinds[kind]),
                      sum(meetings.get(p) is True for p in kinds[kind])) for kind, label in WISH_KINDS]


# ---------------------------------------------------------------------------------------------------- charts


def summary_charts(summary: EventSummary) -> dict[str, BarChart]:
    """The page's charts, keyed by a stable id (also the HTML id of each chart)."""
    recorded = summary.attendance_recorded
    met_name = "Ayant eu une rencontre tenue" if recorded else "Ayant au moins une rencontre programmée"

    def met(reach: Reach) -> int:
        return reach.met_held if recorded else reach.met_scheduled

    basis = ("Rencontrés : d'après la présence relevée." if recorded
             else "Rencontrés : d'après les rencontres programmées (présence pas encore relevée).")
    buyers_top = top_n([(c.label, c.scheduled) for c in summary.by_buyer], BUYERS_SHOWN)
    return {
        "graphique-rencontres": grouped_chart(
            "Rencontres programmées et tenues, par jour", "rencontres", ("Programmées", "Tenues"),
            [(c.label, (c.scheduled, c.held)) for c in summary.by_day], label_heading="Jour",
            description="" if recorded else "La présence n'a pas encore été relevée : aucune rencontre n'est "
                                              "comptée comme tenue."),
        "graphique-participants": grouped_chart(
            "Participants ayant rencontré quelqu'un", "participants", ("Inscrits", met_name),
            [(r.label, (r.participants, met(r))) for r in (summary.buyers, summary.suppliers)],
            label_heading="Côté", description=basis),
        "graphique-qpv": grouped_chart(
            "Entrepreneurs rencontrés, par statut QPV", "entrepreneurs", ("Inscrits", met_name),
            [(r.label, (r.participants, met(r))) for r in summary.suppliers_by_qpv],
            label_heading="Statut QPV", description=basis),
        "graphique-metiers": grouped_chart(
            "Entrepreneurs rencontrés, par métier (division CPV)", "entrepreneurs", ("Inscrits", met_name),
            _top_trades(summary.suppliers_by_trade, met), label_heading="Métier",
            description=f"Les {TRADES_SHOWN} métiers les plus représentés ; les autres sont regroupés. " + basis),
        "graphique-acheteurs": bar_chart(
            "Rencontres programmées par acheteur", "rencontres programmées", buyers_top, label_heading="Acheteur",
            description=f"Les {BUYERS_SHOWN} acheteurs aux agendas les plus remplis ; les autres sont regroupés."),
    }


def _top_trades(trades: list[Reach], met) -> list[tuple[str, tuple[int, int]]]:
    if len(trades) <= TRADES_SHOWN + 1:
        return [(r.label, (r.participants, met(r))) for r in trades]
    head, tail = trades[:TRADES_SHOWN], trades[TRADES_SHOWN:]
    rest = (sum(r.participants for r in tail), sum(met(r) for r in tail))
    return [(r.label, (r.participants, met(r))) for r in head] + [("Autres métiers", rest)]


# ------------------------------------------------------------------------------------------------- downloads


@dataclass(frozen=True)
class SummaryTable:
    title: str
    headers: list[str]
    rows: list[list]


def summary_tables(summary: EventSummary) -> list[SummaryTable]:
    """The figures as tables, in the page's order: one sheet each in the workbook, one section each in the CSV."""
    m = summary.meetings
    meeting_headers = ["Programmées", "Tenues", "Non tenues", "Présence non relevée"]
    reach_headers = ["Inscrits", "Au moins une rencontre programmée", "Au moins une rencontre tenue"]

    def counts(rows: list[MeetingCount]) -> list[list]:
        return [[c.label, c.scheduled, c.held, c.not_held, c.unknown] for c in rows]

    def reaches(rows: list[Reach]) -> list[list]:
        return [[r.label, r.participants, r.met_scheduled, r.met_held] for r in rows]

    return [
        SummaryTable("Chiffres clés", ["Indicateur", "Valeur"], [
            ["Rencontres programmées", m.scheduled], ["Rencontres tenues", m.held],
            ["Rencontres non tenues", m.not_held], ["Présence non relevée", m.unknown],
            ["Acheteurs inscrits", summary.buyers.participants],
            ["Acheteurs ayant au moins une rencontre programmée", summary.buyers.met_scheduled],
            ["Acheteurs ayant au moins une rencontre tenue", summary.buyers.met_held],
            ["Entrepreneurs inscrits", summary.suppliers.participants],
            ["Entrepreneurs ayant au moins une rencontre programmée", summary.suppliers.met_scheduled],
            ["Entrepreneurs ayant au moins une rencontre tenue", summary.suppliers.met_held],
        ]),
        SummaryTable("Rencontres par jour", ["Jour", *meeting_headers], counts(summary.by_day)),
        SummaryTable("Rencontres par créneau", ["Créneau", *meeting_headers], counts(summary.by_slot)),
        SummaryTable("Entrepreneurs par statut QPV", ["Statut QPV", *reach_headers],
                     reaches(summary.suppliers_by_qpv)),
        SummaryTable("Entrepreneurs par métier", ["Métier (division CPV)", *reach_headers],
                     reaches(summary.suppliers_by_trade)),
        SummaryTable("Rencontres par acheteur", ["Acheteur", *meeting_headers], counts(summary.by_buyer)),
        SummaryTable("Souhaits exaucés", ["Souhait", "Paires demandées", "Rencontres programmées", "Rencontres tenues"],
                     [[w.label, w.asked, w.scheduled, w.held] for w in summary.wishes]),
    ]


def summary_csv(summary: EventSummary) -> bytes:
    """For French Excel: each table after the previous one, its title on a line of its own, then its header
    line and rows, then an empty line."""
    rows: list[list] = []
    for table in summary_tables(summary):
        rows += [[table.title], table.headers, *table.rows, []]
    return csv_bytes([], rows)


def summary_xlsx(summary: EventSummary) -> bytes:
    """One sheet per table (header in bold, frozen), numbers as numbers, every text cell kept as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in summary_tables(summary):
        add_sheet(workbook, table.title, table.headers, table.rows, [60, *[18] * (len(table.headers) - 1)])
    return workbook_bytes(workbook)
