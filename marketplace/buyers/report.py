"""The inclusive-purchasing report: what an organisation awarded in a period, and how much to QPV companies.

Why from ``AwardShare``: a consortium award counts once per member, with each member's amount, department and
QPV status as they stood on the award date (copied on the share when the award was recorded), so a company that
is verified today but was only declared then still counts as declared. Only "verified" and "declared" count as
QPV; the two are always shown apart (a CSR report must not present a declaration as checked).

Efficiency: a handful of aggregate queries (GROUP BY, conditional sums); no ORM object is loaded per award.
The trade (CPV division) lives in JSON columns, so the sums are grouped by tender / lot in SQL and the codes of
those tenders and lots are read in one more query.

Engagement counts companies (not curation rows), by the furthest step reached on any of the organisation's
tenders: a company "answered" was also contacted and invited for the purpose of the funnel.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy import select

from ..charts import Bar, BarChart, grouped_chart
from ..dates import date_range_label
from ..extensions import db
from ..models import (
    Award,
    AwardShare,
    ConversationMessage,
    ConversationThread,
    CurationStatus,
    Lot,
    QpvStatus,
    Side,
    SupplierCompany,
    SupplierCuration,
    Tender,
    TenderInterest,
    User,
)
from ..money import format_euros
from ..opportunities.services import division_labels
from ..spreadsheets import add_sheet, csv_decimal, workbook_bytes
from .services import PARIS, today

PRESETS = {"annee": "Cette année", "annee-derniere": "L'année dernière", "12-mois": "Les 12 derniers mois"}
QPV = (QpvStatus.VERIFIED, QpvStatus.DECLARED)
# The funnel: a company at a later step went through the earlier ones.
CONTACTED = (CurationStatus.CONTACTED, CurationStatus.INVITED, CurationStatus.ANSWERED, CurationStatus.KEPT)
INVITED = (CurationStatus.INVITED, CurationStatus.ANSWERED, CurationStatus.KEPT)
ANSWERED = (CurationStatus.ANSWERED, CurationStatus.KEPT)
NO_DEPARTMENT = "Non renseigné"
NO_DIVISION = "Sans code CPV"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def label(self) -> str:
        return date_range_label(self.start, self.end)

    @property
    def slug(self) -> str:
        return f"{self.start:%Y-%m-%d}_{self.end:%Y-%m-%d}"

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as UTC instants (French days), for timestamps such as a curation's last change.

        Safe at the ends of the calendar (31/12/9999 has no next day): the end is then the last instant.
        """
        start = datetime.combine(self.start, time(), PARIS).astimezone(UTC) if self.start > date.min \
            else datetime.min.replace(tzinfo=UTC)
        if self.end < date.max - timedelta(days=1):
            end = datetime.combine(self.end + timedelta(days=1), time(), PARIS).astimezone(UTC)
        else:
            end = datetime.max.replace(tzinfo=UTC)
        return start, end


def preset_period(name: str, day: date | None = None) -> Period:
    """"annee" (this calendar year, the default), "annee-derniere", "12-mois" (ending today)."""
    day = day or today()
    if name == "annee-derniere":
        return Period(date(day.year - 1, 1, 1), date(day.year - 1, 12, 31))
    if name == "12-mois":
        try:
            start = day.replace(year=day.year - 1) + timedelta(days=1)
        except ValueError:  # 29 February
            start = date(day.year - 1, 3, 1)
        return Period(start, day)
    return Period(date(day.year, 1, 1), date(day.year, 12, 31))


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: amounts in cents and the number of awards it covers."""

    label: str
    total: int = 0
    verified: int = 0
    declared: int = 0
    awards: int = 0

    @property
    def qpv(self) -> int:
        return self.verified + self.declared

    @property
    def qpv_percent(self) -> float:
        return round(100 * self.qpv / self.total, 1) if self.total else 0.0

    def plus(self, other: Row) -> Row:
        return Row(self.label, self.total + other.total, self.verified + other.verified,
                   self.declared + other.declared, self.awards + other.awards)


@dataclass(frozen=True)
class Engagement:
    label: str
    verified: int
    declared: int

    @property
    def total(self) -> int:
        return self.verified + self.declared


@dataclass
class Report:
    organisation_name: str
    period: Period
    totals: Row
    companies_won: int  # distinct winning companies (any status)
    engagement: list[Engagement]
    departments: list[Row] = field(default_factory=list)
    trades: list[Row] = field(default_factory=list)
    quarters: list[Row] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.totals.awards == 0

    def charts(self) -> dict[str, BarChart]:
        return report_charts(self)


# --------------------------------------------------------------------------- queries


def _shares(organisation_id: int, period: Period):
    """The FROM / WHERE every amount query shares: this organisation's award shares in the period."""
    return (select().select_from(AwardShare).join(Award, Award.id == AwardShare.award_id)
            .join(Tender, Tender.id == Award.tender_id)
            .where(Tender.buyer_organisation_id == organisation_id,
                   Award.awarded_on >= period.start, Award.awarded_on <= period.end))


def _sums():
    status = AwardShare.qpv_status_at_award
    return (sa.func.coalesce(sa.func.sum(AwardShare.amount_cents), 0),
            sa.func.coalesce(sa.func.sum(sa.case((status == QpvStatus.VERIFIED, AwardShare.amount_cents), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((status == QpvStatus.DECLARED, AwardShare.amount_cents), else_=0)), 0),
            sa.func.count(sa.distinct(AwardShare.award_id)))


def _row(label: str, values) -> Row:
    total, verified, declared, awards = values
    return Row(label, int(total), int(verified), int(declared), int(awards))


def _departments(organisation_id: int, period: Period) -> list[Row]:
    query = _shares(organisation_id, period).add_columns(AwardShare.department, *_sums()).group_by(
        AwardShare.department)
    rows = [_row(dep or NO_DEPARTMENT, values) for dep, *values in db.session.execute(query)]
    return sorted(rows, key=lambda r: (-r.total, r.label))


def _quarters(organisation_id: int, period: Period) -> list[Row]:
    year = sa.extract("year", Award.awarded_on)
    month = sa.extract("month", Award.awarded_on)
    query = _shares(organisation_id, period).add_columns(year, month, *_sums()).group_by(year, month)
    by_quarter: dict[tuple[int, int], Row] = {}
    for y, m, *values in db.session.execute(query):
        key = (int(y), (int(m) - 1) // 3 + 1)
        row = _row(f"T{key[1]} {key[0]}", values)
        by_quarter[key] = by_quarter[key].plus(row) if key in by_quarter else row
    # Every quarter of the period, even an empty one (a chart with gaps says more than one without).
    keys, current = [], (period.start.year, (period.start.month - 1) // 3 + 1)
    last = (period.end.year, (period.end.month - 1) // 3 + 1)
    while current <= last and len(keys) < 40:
        keys.append(current)
        current = (current[0] + 1, 1) if current[1] == 4 else (current[0], current[1] + 1)
    return [by_quarter.get(k, Row(f"T{k[1]} {k[0]}")) for k in keys]


def _division(codes) -> str | None:
    divisions = Counter(str(code)[:2] for code in codes or () if str(code)[:2].isdigit())
    return divisions.most_common(1)[0][0] if divisions else None


def _trades(organisation_id: int, period: Period) -> list[Row]:
    """By CPV division of the lot awarded (the tender's codes when the lot has none, or for a whole tender)."""
    query = _shares(organisation_id, period).add_columns(Award.tender_id, Award.lot_id, *_sums()).group_by(
        Award.tender_id, Award.lot_id)
    grouped = [(tender_id, lot_id, values) for tender_id, lot_id, *values in db.session.execute(query)]
    if not grouped:
        return []
    tender_ids = {t for t, _, _ in grouped}
    lot_ids = {lot for _, lot, _ in grouped if lot is not None}
    tender_codes = dict(db.session.execute(
        select(Tender.id, Tender.cpv_codes).where(Tender.id.in_(tender_ids))).all())
    lot_codes = dict(db.session.execute(
        select(Lot.id, Lot.cpv_codes).where(Lot.id.in_(lot_ids))).all()) if lot_ids else {}
    by_division: dict[str, Row] = {}
    for tender_id, lot_id, values in grouped:
        division = (_division(lot_codes.get(lot_id)) if lot_id is not None else None) or _division(
            tender_codes.get(tender_id)) or ""
        row = _row(division, values)
        by_division[division] = by_division[division].plus(row) if division in by_division else row
    labels = division_labels([d for d in by_division if d])
    rows = []
    for division, row in by_division.items():
        label = f"{division} – {labels.get(division) or 'Division ' + division}" if division else NO_DIVISION
        rows.append(Row(label, row.total, row.verified, row.declared, row.awards))
    return sorted(rows, key=lambda r: (-r.total, r.label))


def _qpv_company_ids(ids_query) -> dict[QpvStatus, set[int]]:
    """Split company ids into verified / declared QPV companies (their status today: curation has no history)."""
    query = select(SupplierCompany.id, SupplierCompany.qpv_status).where(
        SupplierCompany.id.in_(ids_query), SupplierCompany.qpv_status.in_(QPV))
    found: dict[QpvStatus, set[int]] = {status: set() for status in QPV}
    for company_id, status in db.session.execute(query):
        found[status].add(company_id)
    return found


def _engagement(organisation_id: int, period: Period) -> list[Engagement]:
    start, end = period.bounds()
    own_tenders = select(Tender.id).where(Tender.buyer_organisation_id == organisation_id)

    def curated(statuses):
        return select(SupplierCuration.company_id).where(
            SupplierCuration.buyer_organisation_id == organisation_id, SupplierCuration.status.in_(statuses),
            SupplierCuration.updated_at >= start, SupplierCuration.updated_at < end)

    interested = select(TenderInterest.supplier_company_id).where(
        TenderInterest.tender_id.in_(own_tenders), TenderInterest.created_at >= start, TenderInterest.created_at < end)
    wrote = (select(ConversationThread.supplier_company_id)
             .join(ConversationMessage, ConversationMessage.thread_id == ConversationThread.id)
             .where(ConversationThread.tender_id.in_(own_tenders), ConversationMessage.side == Side.SUPPLIER,
                    ConversationThread.supplier_company_id.is_not(None),
                    ConversationMessage.created_at >= start, ConversationMessage.created_at < end))
    answered = sa.union(curated(ANSWERED), interested, wrote).subquery()
    won_query = _shares(organisation_id, period).add_columns(
        AwardShare.company_siret, AwardShare.qpv_status_at_award).where(
        AwardShare.qpv_status_at_award.in_(QPV)).distinct()
    won: dict[QpvStatus, set[str]] = {status: set() for status in QPV}
    for siret, status in db.session.execute(won_query):
        won[status].add(siret)
    won[QpvStatus.DECLARED] -= won[QpvStatus.VERIFIED]  # verified on one award: counted once, as verified
    steps = [("Contactées", _qpv_company_ids(curated(CONTACTED))),
             ("Invitées", _qpv_company_ids(curated(INVITED))),
             ("Ont répondu", _qpv_company_ids(select(answered.c[0])))]
    rows = [Engagement(label, len(ids[QpvStatus.VERIFIED]), len(ids[QpvStatus.DECLARED])) for label, ids in steps]
    rows.append(Engagement("Attributaires", len(won[QpvStatus.VERIFIED]), len(won[QpvStatus.DECLARED])))
    return rows


def build_report(user: User, period: Period) -> Report:
    """The report of the user's organisation (the caller checked the BUYER role)."""
    organisation = user.buyer_organisation
    organisation_id = organisation.id if organisation is not None else 0
    totals_query = _shares(organisation_id, period).add_columns(*_sums())
    totals = _row("Total", db.session.execute(totals_query).one())
    companies_won = db.session.scalar(_shares(organisation_id, period).add_columns(
        sa.func.count(sa.distinct(AwardShare.company_siret)))) or 0
    report = Report(organisation.name if organisation is not None else "", period, totals, companies_won,
                    _engagement(organisation_id, period))
    if not report.is_empty:
        report.departments = _departments(organisation_id, period)
        report.trades = _trades(organisation_id, period)
        report.quarters = _quarters(organisation_id, period)
    return report


# --------------------------------------------------------------------------- charts and tables


def _euro_bar(label: str, cents: tuple[int, ...]) -> Bar:
    """Bars in euros, their values written as French amounts ("12 500,00 €")."""
    return Bar(label, tuple(c / 100 for c in cents), tuple(format_euros(c) for c in cents))


def _qpv_chart(title: str, rows: list[Row], heading: str) -> BarChart:
    """Verified and declared QPV amounts side by side (the full amounts are in the table below the chart)."""
    return BarChart(title, "Montant", tuple(_euro_bar(r.label, (r.verified, r.declared)) for r in rows),
                    series=("QPV vérifié", "QPV déclaré"), label_heading=heading,
                    description="Montants attribués aux entreprises des quartiers, vérifiées et déclarées à part.")


def report_charts(report: Report) -> dict[str, BarChart]:
    t = report.totals
    statuses = (("QPV vérifié", t.verified), ("QPV déclaré", t.declared),
                ("Hors QPV ou non renseigné", t.total - t.qpv))
    return {
        "totals": BarChart("Montant attribué selon le statut QPV à la date d'attribution", "Montant",
                           tuple(_euro_bar(label, (cents,)) for label, cents in statuses), label_heading="Statut"),
        "engagement": grouped_chart("Entreprises QPV engagées", "entreprises", ("QPV vérifié", "QPV déclaré"),
                                    [(e.label, (e.verified, e.declared)) for e in report.engagement],
                                    label_heading="Étape"),
        "departments": _qpv_chart("Montants QPV par département", report.departments, "Département"),
        "trades": _qpv_chart("Montants QPV par métier (division CPV)", report.trades, "Métier"),
        "quarters": _qpv_chart("Montants QPV par trimestre", report.quarters, "Trimestre"),
    }


AMOUNT_HEADER = ("Montant total (€)", "QPV vérifié (€)", "QPV déclaré (€)", "Part QPV (%)", "Attributions")


def _euros_number(cents: int) -> float:
    return round(cents / 100, 2)


def amount_rows(rows: list[Row]) -> list[list]:
    return [[r.label, _euros_number(r.total), _euros_number(r.verified), _euros_number(r.declared),
             r.qpv_percent, r.awards] for r in rows]


def tables(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """The report as (title, header, rows) tables: the CSV and XLSX downloads, one section or sheet each."""
    t = report.totals
    return [
        ("Synthèse", ["Indicateur", "Valeur"], [
            ["Organisation", report.organisation_name],
            ["Période", report.period.label],
            ["Montant total attribué (€)", _euros_number(t.total)],
            ["Montant QPV vérifié (€)", _euros_number(t.verified)],
            ["Montant QPV déclaré (€)", _euros_number(t.declared)],
            ["Part QPV (%)", t.qpv_percent],
            ["Attributions", t.awards],
            ["Entreprises attributaires", report.companies_won],
        ]),
        ("Entreprises QPV engagées", ["Étape", "QPV vérifié", "QPV déclaré", "Total"],
         [[e.label, e.verified, e.declared, e.total] for e in report.engagement]),
        ("Par département", ["Département", *AMOUNT_HEADER], amount_rows(report.departments)),
        ("Par métier", ["Métier (division CPV)", *AMOUNT_HEADER], amount_rows(report.trades)),
        ("Par trimestre", ["Trimestre", *AMOUNT_HEADER], amount_rows(report.quarters)),
    ]


def csv_rows(report: Report) -> list[list]:
    """Every table one after another: its title, its header, its rows, an empty line."""
    rows: list[list] = []
    for title, header, body in tables(report):
        rows += [[title], header, *([csv_decimal(v) for v in row] for row in body), []]
    return rows


def report_xlsx(report: Report) -> bytes:
    """The same tables as the CSV, one styled sheet each."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in tables(report):
        add_sheet(workbook, title, header, rows, widths=[40] + [18] * (len(header) - 1))
    return workbook_bytes(workbook)
