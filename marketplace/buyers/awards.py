"""Awards: record who won a closed tender (or each of its lots), cancel a mistaken award, duplicate a tender.

Rules kept here (views, CLI and tests call these functions):
- only a closed tender is awarded; a tender with lots is awarded lot by lot, one award per lot (the tender row is
  locked while checking), and becomes "awarded" when every lot (or the tender) is; cancelling an award takes it
  back to "closed";
- the winner is a company (any company: one that did not declare interest nor write about the tender is allowed,
  and marked) or a consortium declared for that lot; the consortia declared for it are settled won / lost;
- every award has shares adding up exactly to its amount (a company: one share); each share keeps the company's
  name, SIRET, department and QPV status as they stood on the award date, for the inclusive-purchasing report;
- an amount above the budget needs the buyer's confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from ..consortia import services as consortia
from ..extensions import db
from ..models import (
    Award,
    AwardShare,
    Consortium,
    ConsortiumStatus,
    ConversationMessage,
    ConversationThread,
    Lot,
    NotificationKind,
    QpvStatus,
    QpvStatusChange,
    Side,
    SupplierCompany,
    Tender,
    TenderInterest,
    TenderStatus,
    User,
)
from ..money import format_euros
from ..notifications.services import notify, path_for
from ..validators import ServiceError, parse_id
from .services import PARIS, get_tender, today

AWARDABLE = (ConsortiumStatus.SUBMITTED, ConsortiumStatus.WON)
SETTLED = (ConsortiumStatus.SUBMITTED, ConsortiumStatus.WON, ConsortiumStatus.LOST)
CHOOSE_WINNER = "Choisissez l'entreprise ou le groupement retenu."
WINNER_RE = re.compile(r"[cg][0-9]{1,12}", re.ASCII)
NOT_CLOSED = "Seul un appel d'offres clos peut être attribué (celui-ci est {status})."


class AwardNotFound(NotFound):
    description = "Cette attribution est introuvable."


@dataclass
class AwardData:
    """What the award form gives: ``winner`` is "c<company id>" or "g<consortium id>"; ``shares`` maps a
    consortium member's company id to its cents (all None: split by the lots each member takes)."""

    lot_id: int | None = None
    winner: str = ""
    amount_cents: int | None = None
    awarded_on: date | None = None
    confirm_over_budget: bool = False
    notify_others: bool = False
    shares: dict[int, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    company: SupplierCompany
    interested: bool  # declared interest in this lot / tender, or wrote to the buyer about the tender


@dataclass
class Slot:
    """The whole tender (``lot`` None) or one lot on the award page: its award, or who may win it."""

    lot: Lot | None
    award: Award | None
    candidates: list[Candidate]
    consortia: list[Consortium]
    found: list[SupplierCompany]

    @property
    def key(self) -> int:
        return self.lot.id if self.lot is not None else 0

    @property
    def budget_cents(self) -> int | None:
        return self.lot.budget_cents if self.lot is not None else None


# --------------------------------------------------------------------------- pure helpers


def split_cents(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` cents in proportion to ``weights`` (largest remainder): the parts add up exactly."""
    if not weights:
        return []
    total = sum(weights)
    if total <= 0:
        weights, total = [1] * len(weights), len(weights)
    parts = [amount * w // total for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % total), i))
    for i in remainders[: amount - sum(parts)]:
        parts[i] += 1
    return parts


def consortium_lot_ids(consortium: Consortium) -> set[int]:
    """The lots a consortium answers for (empty: the whole tender)."""
    return {lot_id for member in consortium.accepted_members for lot_id in (member.lot_ids or ())}


def _covers(consortium: Consortium, lot_id: int | None) -> bool:
    lots = consortium_lot_ids(consortium)
    return lot_id is None or not lots or lot_id in lots


def qpv_status_on(company: SupplierCompany, day: date) -> QpvStatus:
    """The company's QPV status at the end of ``day`` (French time), read back from the audit trail."""
    if day >= today():
        return company.qpv_status
    end = datetime.combine(day + timedelta(days=1), time(), PARIS).astimezone(UTC)
    later = db.session.scalars(
        select(QpvStatusChange).where(QpvStatusChange.supplier_id == company.id, QpvStatusChange.created_at >= end)
        .order_by(QpvStatusChange.created_at, QpvStatusChange.id).limit(1)).first()
    if later is None:
        return company.qpv_status
    return later.old_status or QpvStatus.UNKNOWN


# --------------------------------------------------------------------------- reading


def awards_of(tender: Tender) -> list[Award]:
    """The tender's awards, by lot number (the whole tender first)."""
    awards = db.session.scalars(select(Award).where(Award.tender_id == tender.id).order_by(Award.id)).all()
    return sorted(awards, key=lambda a: a.lot.number if a.lot is not None else 0)


def _interested_ids(tender: Tender, lot_id: int | None) -> set[int]:
    ids = set()
    for interest in db.session.scalars(select(TenderInterest).where(
            TenderInterest.tender_id == tender.id, TenderInterest.withdrawn_at.is_(None))):
        if lot_id is None or not interest.lot_ids or lot_id in interest.lot_ids:
            ids.add(interest.supplier_company_id)
    wrote = select(ConversationThread.supplier_company_id).where(
        ConversationThread.tender_id == tender.id, ConversationThread.supplier_company_id.is_not(None),
        exists().where(ConversationMessage.thread_id == ConversationThread.id,
                       ConversationMessage.side == Side.SUPPLIER))
    return ids | set(db.session.scalars(wrote))


def _declared(tender: Tender, lot_id: int | None, statuses=AWARDABLE) -> list[Consortium]:
    return [c for c in consortia.declared_for_buyer(tender) if c.status in statuses and _covers(c, lot_id)]


def award_page(user: User, tender_id: int, query: str = "", query_lot: int | None = None) -> list[Slot]:
    """One slot per lot (or one for the whole tender); ``query`` searches companies for the slot ``query_lot``."""
    tender = get_tender(user, tender_id)
    awarded = {a.lot_id: a for a in awards_of(tender)}
    slots = []
    for lot in tender.lots or [None]:
        lot_id = lot.id if lot is not None else None
        interested = _interested_ids(tender, lot_id)
        companies = db.session.scalars(select(SupplierCompany).where(SupplierCompany.id.in_(interested or [0]))
                                       .order_by(SupplierCompany.name, SupplierCompany.id)).all()
        found = []
        if query and (query_lot or 0) == (lot_id or 0):
            found = consortia.search_companies(query, exclude=interested)
        slots.append(Slot(lot, awarded.get(lot_id), [Candidate(c, True) for c in companies],
                          _declared(tender, lot_id), found))
    return slots


def public_awards(tender: Tender) -> list[Award]:
    """What entrepreneurs see of an awarded tender: who won each lot (no amounts)."""
    return awards_of(tender) if tender.status is TenderStatus.AWARDED else []


# --------------------------------------------------------------------------- recording


def _fail(errors: dict[str, str]):
    db.session.rollback()
    raise ServiceError(errors)


def _company_share(company: SupplierCompany, amount: int, day: date, lot_ids=()) -> AwardShare:
    return AwardShare(company_id=company.id, company_name=company.name, company_siret=company.siret,
                      department=company.department, amount_cents=amount,
                      qpv_status_at_award=qpv_status_on(company, day), lot_ids=list(lot_ids))


def _consortium_shares(consortium: Consortium, lot_id: int | None, data: AwardData, day: date) -> list[AwardShare]:
    members = consortium.accepted_members
    if not members:  # every member left: nobody to hold a share of the amount
        _fail({"winner": "Ce groupement n'a plus aucun membre : il ne peut pas être retenu."})
    amount = data.amount_cents
    typed = {company_id: cents for company_id, cents in data.shares.items() if cents is not None}
    if typed:
        unknown = set(typed) - {m.company_id for m in members}
        if unknown:
            _fail({"shares": "Une part est donnée à une entreprise qui n'est pas membre du groupement."})
        parts = [typed.get(m.company_id, 0) for m in members]
        if sum(parts) != amount:
            _fail({"shares": f"La somme des parts ({format_euros(sum(parts))}) doit être égale au montant attribué "
                             f"({format_euros(amount)}). Laissez toutes les parts vides pour répartir selon les lots."})
    else:
        takers = [m for m in members if lot_id is not None and lot_id in (m.lot_ids or ())]
        weights = [1 if (not takers or m in takers) else 0 for m in members]
        parts = split_cents(amount, weights)
    # A member with no part of this award (another lot's member) gets no share row, unless the amount is zero.
    kept = [(m, part) for m, part in zip(members, parts, strict=True) if part or not amount]
    return [_company_share(m.company, part, day, [lot_id] if lot_id and lot_id in (m.lot_ids or ()) else ())
            for m, part in kept]


def _parse_winner(tender: Tender, lot_id: int | None, winner: str) -> SupplierCompany | Consortium:
    if not WINNER_RE.fullmatch(winner or ""):
        _fail({"winner": CHOOSE_WINNER})
    kind, winner_id = winner[0], parse_id(winner[1:])
    if winner_id is None:  # beyond the INTEGER ids: unknown (a 500 on PostgreSQL otherwise)
        _fail({"winner": CHOOSE_WINNER})
    if kind == "c":
        company = db.session.get(SupplierCompany, winner_id)
        if company is None:
            _fail({"winner": "Cette entreprise est introuvable."})
        return company
    consortium = db.session.get(Consortium, winner_id)
    if (consortium is None or consortium.tender_id != tender.id or consortium.status not in AWARDABLE
            or not _covers(consortium, lot_id)):
        _fail({"winner": "Ce groupement n'est pas déclaré pour ce lot."})
    return consortium


def _paris_day(moment: datetime) -> date:
    """A stored instant as the French calendar day (SQLite hands back naive UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS).date()


def _check(tender: Tender, data: AwardData) -> Lot | None:
    if tender.status is not TenderStatus.CLOSED:
        _fail({"status": NOT_CLOSED.format(status=tender.status_label.lower())})
    lots = {lot.id: lot for lot in tender.lots}
    if (data.lot_id is None) != (not lots) or (data.lot_id is not None and data.lot_id not in lots):
        _fail({"lot_id": "Choisissez un lot de cet appel d'offres."})
    lot = lots.get(data.lot_id)
    errors = {}
    if not WINNER_RE.fullmatch(data.winner or ""):
        errors["winner"] = CHOOSE_WINNER
    if data.amount_cents is None:
        errors["amount"] = "Indiquez le montant attribué (en euros HT)."
    elif data.amount_cents < 0:
        errors["amount"] = "Le montant ne peut pas être négatif."
    else:
        budget = lot.budget_cents if lot is not None else tender.budget_cents
        if budget is not None and data.amount_cents > budget and not data.confirm_over_budget:
            errors["confirm_over_budget"] = (f"Ce montant dépasse le budget prévu ({format_euros(budget)}) : cochez la "
                                             "case pour confirmer.")
    if data.awarded_on is None:
        errors["awarded_on"] = "Indiquez la date d'attribution."
    elif data.awarded_on > today():
        errors["awarded_on"] = "La date d'attribution ne peut pas être dans le futur."
    elif tender.created_at is not None and data.awarded_on < _paris_day(tender.created_at):
        errors["awarded_on"] = (f"La date d'attribution ne peut pas précéder la création de l'appel d'offres "
                                f"({_paris_day(tender.created_at):%d/%m/%Y}).")
    if errors:
        _fail(errors)
    if _taken(tender, lot):
        _already_awarded(lot)
    return lot


def _taken(tender: Tender, lot: Lot | None) -> bool:
    key = lot.id if lot is not None else 0
    return db.session.scalar(select(Award.id).where(Award.tender_id == tender.id, Award.lot_key == key)) is not None


def _already_awarded(lot: Lot | None):
    _fail({"lot_id": "Ce lot est déjà attribué : annulez d'abord l'attribution existante."
           if lot else "Cet appel d'offres est déjà attribué."})


def record(user: User, tender_id: int, data: AwardData) -> Award:
    """Record the award of one lot (or of the tender); settles consortia, notifies, may mark the tender awarded."""
    tender = get_tender(user, tender_id, for_update=True)
    lot = _check(tender, data)
    lot_id = lot.id if lot is not None else None
    winner = _parse_winner(tender, lot_id, data.winner)
    day = data.awarded_on
    award = Award(tender=tender, lot=lot, lot_key=lot_id or 0, amount_cents=data.amount_cents, awarded_on=day,
                  recorded_by=user)
    if isinstance(winner, Consortium):
        award.consortium = winner
        award.winner_name = winner.name[:250]
        award.shares = _consortium_shares(winner, lot_id, data, day)
    else:
        award.company = winner
        award.winner_name = winner.name
        award.without_interest = winner.id not in _interested_ids(tender, lot_id)
        share = _company_share(winner, data.amount_cents, day, [lot_id] if lot_id else ())
        award.qpv_status_at_award = share.qpv_status_at_award
        award.shares = [share]
    # The report sums the shares: they must add up to the amount, whatever the path above.
    assert sum(share.amount_cents for share in award.shares) == award.amount_cents, "shares != amount"
    db.session.add(award)
    try:
        db.session.flush()
    except IntegrityError as error:  # the unique (tender, lot_key): a colleague's award saved meanwhile
        if "lot_key" not in str(error.orig):
            raise
        _already_awarded(lot)  # rolls back
    _settle_consortia(tender)
    if _fully_awarded(tender):
        tender.status = TenderStatus.AWARDED
    _notify(tender, award, data.notify_others)
    db.session.commit()
    return award


def _fully_awarded(tender: Tender) -> bool:
    awarded = set(db.session.scalars(select(Award.lot_id).where(Award.tender_id == tender.id)))
    wanted = {lot.id for lot in tender.lots} or {None}
    return wanted <= awarded


def _settle_consortia(tender: Tender) -> None:
    """Each declared consortium: won when it has an award, lost when every lot it answered is awarded to others,
    declared again otherwise (after a cancelled award). ``consortia.services.settle`` makes the first settlement."""
    awards = db.session.scalars(select(Award).where(Award.tender_id == tender.id)).all()
    winners = {a.consortium_id for a in awards if a.consortium_id is not None}
    awarded_lots = {a.lot_id for a in awards}
    for consortium in _declared(tender, None, SETTLED):
        lots = consortium_lot_ids(consortium) or {lot.id for lot in tender.lots} or {None}
        if consortium.id in winners:
            wanted = ConsortiumStatus.WON
        elif lots <= awarded_lots:
            wanted = ConsortiumStatus.LOST
        else:
            wanted = ConsortiumStatus.SUBMITTED
        if wanted is consortium.status:
            continue
        if consortium.status is ConsortiumStatus.SUBMITTED:
            consortia.settle(consortium, won=wanted is ConsortiumStatus.WON)
        elif wanted is ConsortiumStatus.SUBMITTED:
            consortium.status, consortium.settled_at = ConsortiumStatus.SUBMITTED, None
        else:
            consortium.status = wanted


def _people(company: SupplierCompany | None) -> list[User]:
    return [u for u in (company.people if company is not None else ()) if u is not None and u.active]


def _notify(tender: Tender, award: Award, notify_others: bool) -> None:
    what = f"le lot {award.lot.number} « {award.lot.title} » de " if award.lot is not None else ""
    organisation = tender.buyer_organisation.name
    link = path_for("opportunities.tender", tender_id=tender.id)
    # Only the companies with a share: a consortium member who took another lot has no part in this award.
    for share in award.shares:
        company = share.company
        if company is None:
            continue
        body = (f"{organisation} vous a attribué {what}« {tender.title} » le {award.awarded_on:%d/%m/%Y}, pour "
                f"{format_euros(award.amount_cents)} HT")
        if award.consortium is not None:
            body += f" (en groupement ; part de {company.name} : {format_euros(share.amount_cents)})"
        for user in _people(company):
            notify(user, NotificationKind.AWARD_RECEIVED, f"Marché attribué : « {tender.title} »", body + ".",
                   link=link)
    # Nor does the polite notice go to the winning consortium's other members (it is not "another company").
    winners = {share.company_id for share in award.shares} | (
        {m.company_id for m in award.consortium.accepted_members} if award.consortium else set())
    if not notify_others:
        return
    others = _interested_ids(tender, award.lot_id) | {
        m.company_id for c in _declared(tender, award.lot_id, SETTLED) for m in c.accepted_members}
    body = (f"{organisation} a attribué {what}« {tender.title} » à une autre entreprise. Merci de l'intérêt que "
            "vous lui avez porté : d'autres appels d'offres vous attendent sur la plateforme.")
    for company_id in sorted(others - set(winners)):
        for user in _people(db.session.get(SupplierCompany, company_id)):
            notify(user, NotificationKind.AWARD_RECEIVED, f"Résultat de « {tender.title} »", body, link=link)


# --------------------------------------------------------------------------- cancelling


def get_award(user: User, award_id: int) -> Award:
    award = db.session.get(Award, award_id)
    if award is None or user.buyer_organisation_id is None \
            or award.tender.buyer_organisation_id != user.buyer_organisation_id:
        raise AwardNotFound()
    return award


def cancel(user: User, award_id: int) -> Tender:
    """Delete an award made by mistake: the tender goes back to "closed" and its consortia are settled again."""
    award = get_award(user, award_id)
    tender = get_tender(user, award.tender_id, for_update=True)
    db.session.delete(award)
    db.session.flush()
    if tender.status is TenderStatus.AWARDED:
        tender.status = TenderStatus.CLOSED
    _settle_consortia(tender)
    db.session.commit()
    return tender


# --------------------------------------------------------------------------- duplicating


# Not copied: identity, the new draft's own life (status, dates, author) and the one-time form token.
NOT_COPIED = frozenset({"id", "tender_id", "status", "deadline", "published_at", "created_at", "updated_at",
                        "created_by_id", "submission_token"})


def _copy_columns(source, model):
    """Every column of ``source`` but NOT_COPIED (JSON lists copied, not shared): a new column is copied too."""
    return model(**{column.key: (list(value) if isinstance(value := getattr(source, column.key), list) else value)
                    for column in sa.inspect(model).column_attrs if column.key not in NOT_COPIED})


def duplicate(user: User, tender_id: int) -> Tender:
    """A new draft copying an organisation's tender (title prefixed "Copie de "), without its dates."""
    source = get_tender(user, tender_id)
    copy = _copy_columns(source, Tender)
    copy.title, copy.status, copy.created_by = ("Copie de " + source.title)[:250], TenderStatus.DRAFT, user
    copy.lots = [_copy_columns(lot, Lot) for lot in source.lots]
    db.session.add(copy)
    db.session.commit()
    return copy
