"""Shortlist curation: each organisation's follow-up (status, private note) of the suppliers it was shown.

Rules kept here so that views, exports, the interest and the conversation services share them:

* a row per (organisation, tender, lot or whole tender, company), read and changed by every buyer of the
  organisation, never by anybody else (another organisation's tender is a 404);
* a supplier with no row is "à contacter"; "écarté" lines are hidden from the page until asked for;
* the statuses move forward on their own: "contacté" when a buyer writes first in the thread, "a répondu"
  when the company declares interest or writes; an automatic step never overrides "retenu" or "écarté"
  nor goes back (a buyer may set any status by hand).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from .. import search
from ..extensions import db
from ..models import (
    CURATION_NOTE_MAX,
    CURATION_STATUS_LABELS,
    ConversationThread,
    CurationStatus,
    Lot,
    SupplierCompany,
    SupplierCuration,
    Tender,
    TenderStatus,
    User,
    utcnow,
)
from ..opportunities import services as opportunity_services
from ..opportunities.services import NotVisible
from ..validators import ServiceError, list_page
from . import services
from .sourcing import QPV_ONLY

CURATED_SIZE = 100  # the engine's top-k a buyer curates
PER_PAGE = 10

INVITABLE = (TenderStatus.PUBLISHED, TenderStatus.CLOSED)
NOT_INVITABLE = ("Seul un appel d'offres publié ou clos permet d'inviter des entreprises à répondre : publiez-le "
                 "d'abord (un appel d'offres attribué n'attend plus de réponses).")
UNKNOWN_STATUS = "Choisissez un statut de suivi dans la liste."
# The automatic steps, in order: a later one never goes back to an earlier one.
_PROGRESS = (CurationStatus.TO_CONTACT, CurationStatus.CONTACTED, CurationStatus.INVITED, CurationStatus.ANSWERED)

INVITATION = (
    "Bonjour,\n\n{organisation} vous invite à répondre à son appel d'offres « {title} »{lot}. "
    "Votre entreprise fait partie des fournisseurs que nous avons repérés pour ce besoin.\n\n"
    "Vous trouverez le détail de l'appel d'offres sur la plateforme ; n'hésitez pas à nous poser vos questions "
    "en répondant à ce message.\n\nBien cordialement,\n{author}"
)


# ------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Line:
    rank: int
    entry: search.RankedSupplier
    curation: SupplierCuration | None
    interested: bool

    @property
    def company(self) -> SupplierCompany:
        return self.entry.company

    @property
    def status(self) -> CurationStatus:
        return self.curation.status if self.curation is not None else CurationStatus.TO_CONTACT

    @property
    def status_label(self) -> str:
        return CURATION_STATUS_LABELS[self.status]

    @property
    def note(self) -> str:
        return self.curation.note if self.curation is not None else ""


@dataclass(frozen=True)
class CuratedShortlist:
    tender: Tender
    lot: Lot | None
    qpv_only: bool
    lines: list[Line]  # this page's
    page: int
    pages: int
    total: int  # lines listed (dismissed ones counted only when shown)
    dismissed: int
    show_dismissed: bool

    @property
    def interested(self) -> frozenset[int]:
        return frozenset(line.company.id for line in self.lines if line.interested)


def lot_of(tender: Tender, lot_id: int | None) -> Lot | None:
    """The tender's lot with that id; None for the whole tender; NotVisible for another tender's lot."""
    if lot_id is None:
        return None
    lot = next((x for x in tender.lots if x.id == lot_id), None)
    if lot is None:
        raise NotVisible()
    return lot


def curations_of(organisation_id: int, tender: Tender, lot: Lot | None) -> dict[int, SupplierCuration]:
    """The organisation's rows for the tender (or one lot), by company id, with who changed them last (each
    line of the page names them: one query for all, not one per line)."""
    stmt = select(SupplierCuration).where(
        SupplierCuration.buyer_organisation_id == organisation_id, SupplierCuration.tender_id == tender.id,
        SupplierCuration.lot_key == (lot.id if lot else 0)).options(selectinload(SupplierCuration.updated_by))
    return {row.company_id: row for row in db.session.scalars(stmt)}


def all_lines(user: User, tender: Tender, lot: Lot | None, *, qpv_only: bool = False) -> list[Line]:
    """Every ranked supplier of the tender (or lot) with its reasons and the organisation's follow-up, dismissed
    ones included (exports)."""
    entries = search.shortlist(tender, k=CURATED_SIZE, lot_id=lot.id if lot else None,
                               qpv=QPV_ONLY if qpv_only else None, offers=False)
    rows = curations_of(user.buyer_organisation_id, tender, lot)
    interested = opportunity_services.interested_company_ids(tender, lot)
    return [Line(rank, entry, rows.get(entry.company.id), entry.company.id in interested)
            for rank, entry in enumerate(entries, start=1)]


def curated_shortlist(user: User, tender_id: int, *, lot_id: int | None = None, qpv_only: bool = False,
                      show_dismissed: bool = False, page: int = 1) -> CuratedShortlist:
    """One page of the organisation's curated shortlist; 404 for another organisation's tender or lot.

    Every ranked supplier counts (paging, dismissed ones), but only the page's companies are loaded and explained.
    """
    tender = services.get_tender(user, tender_id)
    lot = lot_of(tender, lot_id)
    matches = search.shortlist_matches(tender, k=CURATED_SIZE, lot_id=lot.id if lot else None,
                                       qpv=QPV_ONLY if qpv_only else None, reasons=False)
    rows = curations_of(user.buyer_organisation_id, tender, lot)
    ranked = list(enumerate(matches, start=1))
    dismissed = {int(m.supplier_id) for _, m in ranked
                 if (row := rows.get(int(m.supplier_id))) is not None and row.status is CurationStatus.DISMISSED}
    if not show_dismissed:
        ranked = [(rank, m) for rank, m in ranked if int(m.supplier_id) not in dismissed]
    shown = list_page(ranked, page, PER_PAGE)
    ranks = {m.supplier_id: rank for rank, m in shown.items}
    # A company deleted since the ranking (the engine caught up when this request began) is left out of this page.
    entries = search.explain_shortlist(search.with_companies([m for _, m in shown.items], offers=False), tender,
                                       lot_id=lot.id if lot else None)
    interested = opportunity_services.interested_company_ids(tender, lot)
    lines = [Line(ranks[e.match.supplier_id], e, rows.get(e.company.id), e.company.id in interested)
             for e in entries]
    return CuratedShortlist(tender, lot, qpv_only, lines, shown.page, shown.pages, shown.total, len(dismissed),
                            show_dismissed)


# ------------------------------------------------------------------------------------------- writing


def _insert(table):
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _row(organisation_id: int, tender_id: int, lot_id: int | None, company_id: int) -> SupplierCuration:
    """The row of that scope, created "à contacter" when there is none (insert-or-nothing: two colleagues may
    save the same line at once); not committed."""
    key = lot_id or 0
    now = utcnow()
    db.session.execute(_insert(SupplierCuration.__table__).values(
        buyer_organisation_id=organisation_id, tender_id=tender_id, lot_id=lot_id, lot_key=key,
        company_id=company_id, status=CurationStatus.TO_CONTACT.value, note="", created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=["buyer_organisation_id", "tender_id", "lot_key", "company_id"]))
    return db.session.scalar(select(SupplierCuration).where(
        SupplierCuration.buyer_organisation_id == organisation_id, SupplierCuration.tender_id == tender_id,
        SupplierCuration.lot_key == key, SupplierCuration.company_id == company_id
    ).with_for_update().execution_options(populate_existing=True))


def clean_note(note: str | None) -> str:
    text = (note or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > CURATION_NOTE_MAX:
        raise ServiceError({"note": f"La note est trop longue ({len(text)} caractères, {CURATION_NOTE_MAX} au "
                                    "plus) : raccourcissez-la, votre texte est conservé."})
    return text


def parse_status(value) -> CurationStatus:
    try:
        return CurationStatus(value)
    except ValueError:
        raise ServiceError({"status": UNKNOWN_STATUS}) from None


def _company(user: User, tender: Tender, lot: Lot | None, company_id: int | None) -> SupplierCompany:
    """A company the buyer may follow on this tender (or lot): one of its ranked suppliers, one that showed
    interest, or one the organisation has a thread with; NotVisible (a 404) for any other id."""
    company = db.session.get(SupplierCompany, company_id) if company_id is not None else None
    if company is None:
        raise NotVisible()
    if company.id in opportunity_services.interested_company_ids(tender, lot):
        return company
    thread = db.session.scalar(select(ConversationThread.id).where(
        ConversationThread.tender_id == tender.id, ConversationThread.supplier_company_id == company.id,
        ConversationThread.buyer_organisation_id == user.buyer_organisation_id))
    if thread is not None:
        return company
    # The page's list: the whole ranking, or its QPV-only version (a QPV company may rank there and not here).
    lists = (search.shortlist_matches(tender, k=CURATED_SIZE, lot_id=lot.id if lot else None, qpv=qpv,
                                      reasons=False) for qpv in (None, QPV_ONLY))
    if not any(m.supplier_id == str(company.id) for ranked in lists for m in ranked):
        raise NotVisible()
    return company


def save(user: User, tender_id: int, company_id: int | None, *, lot_id: int | None, status, note: str | None
         ) -> SupplierCuration:
    """A buyer sets the status and note of one line (any status, by hand); commits."""
    tender = services.get_tender(user, tender_id)
    lot = lot_of(tender, lot_id)
    company = _company(user, tender, lot, company_id)
    errors = {}
    try:
        chosen = parse_status(status)
    except ServiceError as error:
        errors.update(error.errors)
    try:
        text = clean_note(note)
    except ServiceError as error:
        errors.update(error.errors)
    if errors:
        raise ServiceError(errors)
    row = _row(user.buyer_organisation_id, tender.id, lot.id if lot else None, company.id)
    row.status, row.note, row.updated_by_id, row.updated_at = chosen, text, user.id, utcnow()
    db.session.commit()
    return row


def _advance(organisation_id: int, tender_id: int, company_id: int, to: CurationStatus,
             lot_ids: list[int] | None = None, by: User | None = None) -> None:
    """Move the rows of the tender and its lots (all, or ``lot_ids``) forward to ``to``; not committed."""
    if lot_ids is None:
        lot_ids = list(db.session.scalars(select(Lot.id).where(Lot.tender_id == tender_id)))
    for lot_id in [None, *lot_ids]:
        row = _row(organisation_id, tender_id, lot_id, company_id)
        if row.status in _PROGRESS and _PROGRESS.index(row.status) < _PROGRESS.index(to):
            row.status, row.updated_at = to, utcnow()
            row.updated_by_id = by.id if by is not None else row.updated_by_id


def mark_answered(organisation_id: int, tender_id: int, company_id: int, lot_ids: list[int] | None = None) -> None:
    """"A répondu": the company declared interest (in ``lot_ids``, or all) or wrote in the thread; the caller
    commits (called by the interest and conversation services inside their own transaction)."""
    _advance(organisation_id, tender_id, company_id, CurationStatus.ANSWERED, lot_ids or None)


def mark_contacted(organisation_id: int, tender_id: int, company_id: int) -> None:
    """"Contacté": a buyer of the organisation wrote first in the thread; the caller commits."""
    _advance(organisation_id, tender_id, company_id, CurationStatus.CONTACTED)


def invitation_text(user: User, tender: Tender, lot: Lot | None) -> str:
    lot_text = f" (lot {lot.number} : {lot.title})" if lot else ""
    return INVITATION.format(organisation=tender.buyer_organisation.name, title=tender.title, lot=lot_text,
                             author=user.full_name)


def invite(user: User, tender_id: int, company_id: int | None, *, lot_id: int | None = None):
    """"Inviter à répondre": a message in the thread (created if need be, the company's people notified by the
    conversation service) and the status "invité" on this line; commits. Only a published or closed tender."""
    from ..conversations import services as conversations  # conversations call back into this module

    tender = services.get_tender(user, tender_id)
    lot = lot_of(tender, lot_id)
    if tender.status not in INVITABLE:
        raise ServiceError({"form": NOT_INVITABLE})
    company = _company(user, tender, lot, company_id)
    message = conversations.start_as_buyer(user, tender.id, company.id, invitation_text(user, tender, lot))
    row = _row(user.buyer_organisation_id, tender.id, lot.id if lot else None, company.id)
    if row.status in _PROGRESS and _PROGRESS.index(row.status) < _PROGRESS.index(CurationStatus.INVITED):
        row.status = CurationStatus.INVITED
    row.updated_by_id, row.updated_at = user.id, utcnow()
    db.session.commit()
    return message
