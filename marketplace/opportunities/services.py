"""Entrepreneurs' side of tenders: ranked opportunities, the tender page, buyers' public pages and interests.

Callable without a request (views, CLI and tests share them). Access rules:

* an entrepreneur reads published tenders, and closed or awarded ones only when one of its companies engaged
  with them (an interest, even withdrawn); drafts are never shown (404);
* interests are expressed and withdrawn only for the user's own companies (another company: 404) and only
  until the deadline (the deadline day included);
* buyers read the interests of their organisation's tenders only (``buyers.services.get_tender`` checks it).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from .. import search
from ..extensions import db
from ..models import (
    INTEREST_MESSAGE_MAX,
    BuyerOrganisation,
    ConversationThread,
    Lot,
    NotificationKind,
    SupplierCompany,
    Tender,
    TenderInterest,
    TenderStatus,
    User,
    utcnow,
)
from ..notifications.services import notify
from ..refdata.departments import department_name, is_department, normalise_department
from ..refdata.lookups import cpv_labels
from ..suppliers.services import companies_of
from ..validators import ServiceError

PER_PAGE = 20
DEADLINE_WINDOWS = (7, 30)  # "dans les 7 / 30 jours"
DEADLINE_PASSED = ("La date limite de réponse est passée : il n'est plus possible de se déclarer intéressé "
                   "ni de retirer son intérêt.")


class NotVisible(NotFound):
    """A tender, company or organisation the user may not see: a 404, never a 403 (no leak of existence)."""


def today() -> date:
    """The current day (UTC), the one the deadlines are compared with."""
    return utcnow().date()


def divisions_of(tender: Tender) -> list[str]:
    """The CPV divisions (2 digits) of a tender and its lots, in order of first appearance."""
    codes = [*(tender.cpv_codes or ()), *(c for lot in tender.lots for c in (lot.cpv_codes or ()))]
    return list(dict.fromkeys(str(c)[:2] for c in codes if str(c)[:2].isdigit()))


def division_labels(divisions) -> dict[str, str]:
    """French labels of CPV divisions ("90" -> "Services d'évacuation des eaux usées, ...")."""
    padded = {d: d.ljust(8, "0") for d in divisions}
    labels = cpv_labels(list(padded.values()))
    return {d: labels.get(code, "") for d, code in padded.items()}


# ------------------------------------------------------------------------------------------- opportunities


@dataclass(frozen=True)
class Filters:
    department: str = ""
    division: str = ""
    within_days: int | None = None
    page: int = 1

    @classmethod
    def parse(cls, department: str = "", division: str = "", within: str = "", page: object = 1) -> Filters:
        """Filters as typed in the URL; anything unknown is ignored rather than matching nothing."""
        department = normalise_department(department) if is_department(department or "") else ""
        division = division if isinstance(division, str) and len(division) == 2 and division.isdigit() else ""
        within_days = int(within) if within in {str(d) for d in DEADLINE_WINDOWS} else None
        try:
            page = max(1, min(int(page), 10**6))
        except (TypeError, ValueError):
            page = 1
        return cls(department, division, within_days, page)

    def params(self) -> dict[str, str]:
        """The filters as URL parameters (pagination links keep them)."""
        out = {"departement": self.department, "cpv": self.division,
               "echeance": str(self.within_days) if self.within_days else ""}
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class OpportunityPage:
    company: SupplierCompany | None
    companies: list[SupplierCompany]
    fits: list[search.TenderFit]
    page: int
    pages: int
    total: int
    filters: Filters
    departments: list[tuple[str, str]] = field(default_factory=list)
    divisions: list[tuple[str, str]] = field(default_factory=list)
    open_count: int = 0  # open tenders before the filters
    interested: frozenset[int] = frozenset()  # tender ids the company is interested in


def own_company(user: User, company_id: int, companies: list[SupplierCompany] | None = None) -> SupplierCompany:
    """One of the user's companies (``companies``: the user's, when the caller already read them); else 404."""
    company = next((c for c in (companies_of(user) if companies is None else companies) if c.id == company_id), None)
    if company is None:
        raise NotVisible()
    return company


def open_tenders(on: date | None = None) -> list[Tender]:
    """Published tenders whose deadline has not passed on ``on`` (the deadline day still counts)."""
    on = on or today()
    stmt = (select(Tender).where(Tender.status == TenderStatus.PUBLISHED, Tender.deadline >= on)
            .options(selectinload(Tender.lots), selectinload(Tender.buyer_organisation))
            .order_by(Tender.deadline, Tender.id))
    return list(db.session.scalars(stmt))


def _matches_filters(tender: Tender, filters: Filters, on: date) -> bool:
    if filters.department and tender.department != filters.department:
        return False
    if filters.division and filters.division not in divisions_of(tender):
        return False
    return not (filters.within_days and (tender.deadline - on).days > filters.within_days)


@dataclass(frozen=True)
class _Verdict:
    content: tuple  # the tender's _content_key when scored
    match: object  # matching.Match | None
    lot_id: int | None
    from_lot: bool
    explained: bool  # the match carries its reasons


class _FitCache:
    """The engine's verdicts (score, best lot, and reasons once shown) on each (company, tender) pair, per process.

    Ranking a company's open tenders scores all of them (one engine call, reasons left out); the reasons are
    written for the tenders shown only (:meth:`explain`). The verdict only changes when the engine's corpus does
    (the search revision, the number of companies, the reference data: what keeps the engine fresh, see
    search.py) or when the tender's matched content does (``_content_key``), so each page, filter or sort of the
    same company reuses it and only new or edited tenders are scored. At most ``max_companies`` companies are
    kept, least recently used dropped; entries are replaced whole under a lock (readers see old or new).
    """

    def __init__(self, max_companies: int = 32):
        self._max = max_companies
        self._entries: OrderedDict[tuple, dict[int, _Verdict]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(company_id: int) -> tuple:
        """The company and the corpus its verdicts hold for: read once per page, shared by :meth:`fits` and
        :meth:`explain` (reading the corpus' fingerprint costs three queries)."""
        return (company_id, search.corpus_fingerprint())

    def _known(self, key: tuple) -> dict[int, _Verdict]:
        with self._lock:
            known = self._entries.get(key, {})
            if key in self._entries:
                self._entries.move_to_end(key)
        return known

    def _store(self, key: tuple, known: dict[int, _Verdict], fresh: dict[int, _Verdict]) -> None:
        with self._lock:
            for old in [k for k in self._entries if k[0] == key[0] and k != key]:
                del self._entries[old]  # the same company under an older corpus: never read again
            self._entries[key] = {**self._entries.get(key, known), **fresh}
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def fits(self, key: tuple, tenders: list[Tender]) -> list[search.TenderFit]:
        """The company's fit with each tender, in order; reasons only where :meth:`explain` already wrote them."""
        company_id = key[0]
        known = self._known(key)
        contents = {t.id: _content_key(t) for t in tenders}
        missing = [t for t in tenders if t.id not in known or known[t.id].content != contents[t.id]]
        fresh = {f.tender.id: _Verdict(contents[f.tender.id], f.match, f.lot.id if f.lot is not None else None,
                                       f.from_lot, False)
                 for f in (search.tender_fits(company_id, missing, reasons=False) if missing else ())}
        if fresh:
            self._store(key, known, fresh)
        return [_fit(tender, fresh.get(tender.id) or known[tender.id]) for tender in tenders]

    def explain(self, key: tuple, fits: list[search.TenderFit]) -> list[search.TenderFit]:
        """The same fits (from :meth:`fits`) with their reasons: the page's few, written once per verdict."""
        company_id = key[0]
        known = self._known(key)
        todo = [f for f in fits if f.match is not None and not (
            (verdict := known.get(f.tender.id)) is not None and verdict.explained and verdict.match is f.match)]
        done = {f.tender.id: f for f in search.explain_fits(company_id, todo)} if todo else {}
        if done:
            self._store(key, known, {i: _Verdict(_content_key(f.tender), f.match, f.lot.id if f.lot else None,
                                                 f.from_lot, True) for i, f in done.items()})
        return [done.get(f.tender.id, f) for f in fits]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _fit(tender: Tender, verdict: _Verdict) -> search.TenderFit:
    lot = next((lot for lot in tender.lots if lot.id == verdict.lot_id), None)
    return search.TenderFit(tender, verdict.match, lot, verdict.from_lot)


def _content_key(tender: Tender) -> tuple:
    """What the engine reads of a tender (search.to_tender): an edit of any of it scores the tender again."""
    return (tender.title, tender.description, tuple(tender.cpv_codes or ()), tender.department, tender.postcode,
            tender.budget_cents, tuple(tender.required_labels or ()),
            tuple((lot.id, lot.title, lot.description, tuple(lot.cpv_codes or ()), lot.budget_cents)
                  for lot in tender.lots))


def _fit_cache() -> _FitCache:
    """The application's cache (one per app: a test's fresh database never reads another test's verdicts)."""
    return current_app.extensions.setdefault("opportunity_fits", _FitCache())


def opportunities(user: User, company_id: int | None = None, filters: Filters | None = None,
                  on: date | None = None) -> OpportunityPage:
    """Open tenders ranked for one of the user's companies (the first one unless ``company_id`` says which).

    Ranked by the company's score in each tender's shortlist (the best of the whole tender and its lots), best
    first; tenders the engine finds no link with come last, soonest deadline first.
    """
    filters, on = filters or Filters(), on or today()
    companies = companies_of(user)
    company = (own_company(user, company_id, companies) if company_id is not None
               else (companies[0] if companies else None))
    if company is None:
        return OpportunityPage(None, companies, [], 1, 1, 0, filters)
    tenders = open_tenders(on)
    departments = sorted({t.department for t in tenders if t.department})
    divisions = sorted({d for t in tenders for d in divisions_of(t)})
    labels = division_labels(divisions)
    chosen = [t for t in tenders if _matches_filters(t, filters, on)]
    cache = _fit_cache()
    key = cache.key(company.id)
    fits = cache.fits(key, chosen)
    fits.sort(key=lambda f: (-f.score, f.tender.deadline, f.tender.id))
    pages = max(1, math.ceil(len(fits) / PER_PAGE))
    page = min(filters.page, pages)
    shown = cache.explain(key, fits[(page - 1) * PER_PAGE: page * PER_PAGE])
    interested = set(db.session.scalars(select(TenderInterest.tender_id).where(
        TenderInterest.supplier_company_id == company.id, TenderInterest.withdrawn_at.is_(None))))
    return OpportunityPage(
        company, companies, shown, page, pages, len(fits), filters,
        departments=[(d, f"{d} – {department_name(d)}" if department_name(d) else d) for d in departments],
        divisions=[(d, f"{d} – {labels[d]}" if labels.get(d) else d) for d in divisions],
        open_count=len(tenders), interested=frozenset(interested),
    )


# ------------------------------------------------------------------------------------------- the tender page


def _engaged(user: User, tender_id: int):
    """SQL condition: one of the user's companies has (or had) an interest in the tender, or a conversation
    with its buyer about it."""
    companies = select(SupplierCompany.id).where(SupplierCompany.member_clause(user.id))
    return or_(
        exists().where(TenderInterest.tender_id == tender_id,
                       TenderInterest.supplier_company_id.in_(companies)),
        exists().where(ConversationThread.tender_id == tender_id,
                       ConversationThread.supplier_company_id.in_(companies)),
    )


def visible_tender(user: User, tender_id: int) -> Tender:
    """The tender as an entrepreneur may read it: published, or closed/awarded with an engagement; else 404."""
    tender = db.session.scalar(select(Tender).where(Tender.id == tender_id)
                               .options(selectinload(Tender.lots), selectinload(Tender.buyer_organisation)))
    if tender is None or tender.status is TenderStatus.DRAFT:
        raise NotVisible()
    if tender.status is not TenderStatus.PUBLISHED and not db.session.scalar(select(_engaged(user, tender.id))):
        raise NotVisible()
    return tender


def is_open(tender: Tender, on: date | None = None) -> bool:
    """Interest can be expressed or withdrawn: published and the deadline not passed."""
    on = on or today()
    return tender.status is TenderStatus.PUBLISHED and tender.deadline is not None and tender.deadline >= on


def interests_of(user: User, tender: Tender) -> dict[int, TenderInterest]:
    """The user's companies' interests in the tender (active or withdrawn), by company id."""
    stmt = (select(TenderInterest).join(SupplierCompany, SupplierCompany.id == TenderInterest.supplier_company_id)
            .where(TenderInterest.tender_id == tender.id, SupplierCompany.member_clause(user.id)))
    return {i.supplier_company_id: i for i in db.session.scalars(stmt)}


# ------------------------------------------------------------------------------------------- organisations


@dataclass(frozen=True)
class OrganisationPage:
    organisation: BuyerOrganisation
    divisions: list[tuple[str, str]]  # what they buy: CPV divisions of their published tenders
    open_tenders: list[Tender]
    past_count: int


def organisation_page(organisation_id: int, on: date | None = None) -> OrganisationPage:
    organisation = db.session.get(BuyerOrganisation, organisation_id)
    if organisation is None:
        raise NotVisible()
    on = on or today()
    stmt = (select(Tender).where(Tender.buyer_organisation_id == organisation.id,
                                 Tender.status != TenderStatus.DRAFT)
            .options(selectinload(Tender.lots)).order_by(Tender.deadline, Tender.id))
    tenders = list(db.session.scalars(stmt))
    counted: dict[str, int] = {}
    for tender in tenders:
        for division in divisions_of(tender):
            counted[division] = counted.get(division, 0) + 1
    divisions = sorted(counted, key=lambda d: (-counted[d], d))
    labels = division_labels(divisions)
    open_ = [t for t in tenders if is_open(t, on)]
    return OrganisationPage(organisation, [(d, labels.get(d, "")) for d in divisions], open_,
                            len(tenders) - len(open_))


# ------------------------------------------------------------------------------------------- interests


def _clean_message(message: str | None) -> str:
    message = (message or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if len(message) > INTEREST_MESSAGE_MAX:
        raise ServiceError({"message": f"Le message est trop long ({len(message)} caractères, "
                                       f"{INTEREST_MESSAGE_MAX} au plus)."})
    return message


def chosen_lots(tender: Tender, lot_ids) -> list[int]:
    """The ids of the tender's lots among ``lot_ids`` (as posted), sorted; ServiceError for any other value."""
    ids = {lot.id for lot in tender.lots}
    chosen = []
    for value in lot_ids or ():
        try:
            lot_id = int(value)
        except (TypeError, ValueError):
            lot_id = None
        if lot_id not in ids:
            raise ServiceError({"lots": "Ce lot n'appartient pas à cet appel d'offres."})
        chosen.append(lot_id)
    return sorted(set(chosen))


def _open_tender_for_update(user: User, tender_id: int, on: date | None) -> Tender:
    tender = visible_tender(user, tender_id)
    if not is_open(tender, on):
        raise ServiceError({"form": DEADLINE_PASSED})
    return tender


def _notify_buyers_of_interest(tender: Tender, company, interest: TenderInterest) -> None:
    """Every active member of the buyer organisation hears of it, in the interest's own transaction."""
    lots = {lot.id: lot for lot in tender.lots}
    chosen = [f"lot {lots[i].number}" for i in interest.lot_ids or () if i in lots]
    body = f"{company.name} est intéressée par « {tender.title} »"
    body += f" ({', '.join(chosen)})." if chosen else " (tout l'appel d'offres)."
    if interest.message:
        body += f"\n\nSon message : {interest.message}"
    for member in tender.buyer_organisation.members:
        if member.active:
            notify(member, NotificationKind.INTEREST_RECEIVED, f"Nouvel intérêt pour « {tender.title} »", body,
                   link=f"/acheteur/appels-d-offres/{tender.id}")


def express_interest(user: User, tender_id: int, company_id: int, *, lot_ids=(), message: str | None = "",
                     on: date | None = None) -> TenderInterest:
    """"Je suis intéressé": for one of the user's companies, on the whole tender (no lot) or on chosen lots.

    Expressing it again (after a withdrawal, or to change the lots or the message) updates the same row.
    """
    company = own_company(user, company_id)
    tender = _open_tender_for_update(user, tender_id, on)
    lots, text = chosen_lots(tender, lot_ids), _clean_message(message)
    interest = db.session.scalar(select(TenderInterest).where(
        TenderInterest.tender_id == tender.id, TenderInterest.supplier_company_id == company.id).with_for_update())
    is_new = interest is None or interest.withdrawn_at is not None
    if interest is None:
        interest = TenderInterest(tender=tender, company=company, lot_ids=lots, message=text)
        db.session.add(interest)
        try:
            db.session.flush()
        except IntegrityError:  # the same company, at the same moment, from another tab: update that row
            db.session.rollback()
            return express_interest(user, tender_id, company_id, lot_ids=lot_ids, message=message, on=on)
    else:
        interest.lot_ids, interest.message, interest.withdrawn_at = lots, text, None
    if is_new:
        _notify_buyers_of_interest(tender, company, interest)
    from ..buyers import curation  # the buyers' package imports this one

    curation.mark_answered(tender.buyer_organisation_id, tender.id, company.id, lots)
    db.session.commit()
    return interest


def withdraw_interest(user: User, tender_id: int, company_id: int, *, on: date | None = None) -> TenderInterest:
    """Withdraw the company's interest, until the deadline; 404 when there is none to withdraw."""
    company = own_company(user, company_id)
    tender = _open_tender_for_update(user, tender_id, on)
    interest = db.session.scalar(select(TenderInterest).where(
        TenderInterest.tender_id == tender.id, TenderInterest.supplier_company_id == company.id,
        TenderInterest.withdrawn_at.is_(None)).with_for_update())
    if interest is None:
        raise NotVisible()
    interest.withdrawn_at = utcnow()
    db.session.commit()
    return interest


# ------------------------------------------------------------------------------------------- the buyer's view


def _active_interests_in(tender: Tender) -> tuple:
    return TenderInterest.tender_id == tender.id, TenderInterest.withdrawn_at.is_(None)


def interests_for_buyer(tender: Tender) -> list[TenderInterest]:
    """Active interests in a tender the caller already checked belongs to the buyer's organisation."""
    stmt = (select(TenderInterest).where(*_active_interests_in(tender))
            .options(selectinload(TenderInterest.company)).order_by(TenderInterest.created_at, TenderInterest.id))
    return list(db.session.scalars(stmt))


def interested_company_ids(tender: Tender, lot: Lot | None = None) -> frozenset[int]:
    """Companies interested in the tender (for a lot: in that lot, or in the whole tender).

    Two columns rather than the interests and their companies: the shortlist only marks its lines with them."""
    rows = db.session.execute(select(TenderInterest.supplier_company_id, TenderInterest.lot_ids).where(
        *_active_interests_in(tender)))
    return frozenset(company_id for company_id, lot_ids in rows
                     if lot is None or not lot_ids or lot.id in lot_ids)
