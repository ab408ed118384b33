"""The one bridge between ORM rows and the matching engine.

Builds `matching` inputs from suppliers and tenders, and keeps one fitted engine per process. Before each
query the cache reads a cheap fingerprint of the supplier tables; when it moved, deleted companies are removed
from the engine and companies changed since the last look (offer changes touch their company) are re-added:
seen by that very query, without a refit.
"""

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

import matching

from .extensions import db
from .models import Offer, QpvStatus, SupplierCompany, Tender
from .refdata.lookups import cpv_rows

QPV_STATUSES_SHOWN = (QpvStatus.DECLARED, QpvStatus.VERIFIED)


def to_supplier(company: SupplierCompany) -> matching.Supplier:
    """A company and its offers as one engine record (offers' texts, codes and areas are merged)."""
    offers = company.offers
    description = "\n".join([company.description or "", *(f"{o.title}. {o.description}" for o in offers)])
    departments = {d for o in offers for d in (o.departments or ())}
    if company.department:
        departments.add(company.department)
    return matching.Supplier(
        id=str(company.id),
        name=company.name,
        description=description.strip(),
        keywords=tuple(dict.fromkeys(k for o in offers for k in (o.keywords or ()))),
        cpv_codes=tuple(dict.fromkeys(c for o in offers for c in (o.cpv_codes or ()))),
        departments=tuple(sorted(departments)),
        postcode=company.postcode,
        lat=company.lat,
        lon=company.lon,
        headcount=company.headcount,
        annual_revenue_eur=float(company.annual_revenue_eur) if company.annual_revenue_cents is not None else None,
        labels=tuple(company.labels or ()),
        qpv_code=company.qpv_code if company.qpv_status in QPV_STATUSES_SHOWN else None,
    )


def to_tender(tender: Tender) -> matching.Tender:
    return matching.Tender(
        id=str(tender.id),
        title=tender.title,
        description=tender.description or "",
        cpv_codes=tuple(tender.cpv_codes or ()),
        department=tender.department,
        postcode=tender.postcode,
        budget_eur=float(tender.budget_eur) if tender.budget_cents is not None else None,
        lots=tuple(
            matching.Lot(
                id=str(lot.id),
                title=lot.title,
                description=lot.description or "",
                cpv_codes=tuple(lot.cpv_codes or ()),
                budget_eur=float(lot.budget_eur) if lot.budget_cents is not None else None,
            )
            for lot in tender.lots
        ),
        required_labels=tuple(tender.required_labels or ()),
    )


@dataclass(frozen=True)
class _Fingerprint:
    companies: int
    offers: int
    last_change: datetime | None


@dataclass(frozen=True)
class RankedSupplier:
    company: SupplierCompany
    match: matching.Match


def _fingerprint() -> _Fingerprint:
    companies, company_change = db.session.execute(
        select(func.count(SupplierCompany.id), func.max(SupplierCompany.updated_at))
    ).one()
    offers, offer_change = db.session.execute(select(func.count(Offer.id), func.max(Offer.updated_at))).one()
    changes = [c for c in (company_change, offer_change) if c is not None]
    return _Fingerprint(companies, offers, max(changes) if changes else None)


def _load_companies(*conditions) -> list[SupplierCompany]:
    stmt = select(SupplierCompany).options(selectinload(SupplierCompany.offers)).where(*conditions)
    return list(db.session.scalars(stmt))


class EngineCache:
    """One fitted engine per process, kept in step with the database."""

    def __init__(self, **engine_params):
        self._params = engine_params
        self._engine: matching.Engine | None = None
        self._seen: _Fingerprint | None = None
        self._lock = threading.Lock()

    def engine(self) -> matching.Engine:
        with self._lock:
            current = _fingerprint()
            if self._engine is None:
                suppliers = [to_supplier(c) for c in _load_companies()]
                labels = {code: label for code, label, _level in cpv_rows()}
                self._engine = matching.Engine(cpv_labels=labels, **self._params).fit(suppliers)
            elif current != self._seen:
                self._apply_changes_since(self._seen.last_change)
            self._seen = current
            return self._engine

    def _apply_changes_since(self, since: datetime | None) -> None:
        """Drop deleted companies, then re-add those changed since ``since`` (offer changes touch them)."""
        engine = self._engine
        existing = {str(i) for i in db.session.scalars(select(SupplierCompany.id))}
        for gone in set(engine.suppliers_) - existing:
            engine.remove(gone)
        conditions = (
            [SupplierCompany.updated_at >= since, SupplierCompany.offers.any(Offer.updated_at >= since)]
            if since
            else []
        )
        missing = [int(i) for i in existing - set(engine.suppliers_)]
        if missing:
            conditions.append(SupplierCompany.id.in_(missing))
        if not conditions:
            return
        for company in _load_companies(or_(*conditions)):
            if str(company.id) in engine.suppliers_:
                engine.remove(str(company.id))
            engine.add(to_supplier(company))

    def clear(self) -> None:
        with self._lock:
            self._engine = None
            self._seen = None


# Offers are one line each in the merged description: the engine's "experience" signal (one line per past
# contract in procurement data) would reward many small offers, so the web app does not use it.
_cache = EngineCache(experience_weight=0.0)


def _with_companies(matches: list[matching.Match]) -> list[RankedSupplier]:
    ids = [int(m.supplier_id) for m in matches]
    companies = {c.id: c for c in _load_companies(SupplierCompany.id.in_(ids))} if ids else {}
    return [RankedSupplier(companies[int(m.supplier_id)], m) for m in matches if int(m.supplier_id) in companies]


def shortlist(tender: Tender, *, k: int = 10, lot_id: int | None = None) -> list[RankedSupplier]:
    """The k best suppliers for a tender (or one of its lots), best first, with the reasons."""
    engine = _cache.engine()
    matches = engine.shortlist(to_tender(tender), k=k, lot=str(lot_id) if lot_id is not None else None)
    return _with_companies(matches)


def search_suppliers(
    text: str, *, k: int = 20, departments=(), cpv_prefixes=(), labels=()
) -> list[RankedSupplier]:
    """Typo-tolerant free-text supplier search with optional filters."""
    engine = _cache.engine()
    matches = engine.search(text, k=k, departments=departments, cpv_prefixes=cpv_prefixes, labels=labels)
    return _with_companies(matches)


def reset_engine_cache() -> None:
    """Forget the fitted engine (tests; after bulk imports the fingerprint would trigger the refit anyway)."""
    _cache.clear()
