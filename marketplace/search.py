"""The one bridge between ORM rows and the matching engine.

Builds `matching` inputs from suppliers and tenders, and keeps one fitted engine per process. Before each
query the cache reads the search revision (a transactional counter stamped on every changed company, see
models/search_state.py) and the number of companies; when either moved, deleted companies are removed from the
engine and companies stamped since the last look are re-added: seen by that very query, without a refit
(unless a large share of the corpus changed, e.g. after a bulk import, when a refit is cheaper).
"""

import threading
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

import matching

from .extensions import db
from .models import QpvStatus, SupplierCompany, Tender, current_search_revision
from .refdata.lookups import cpv_rows, department_centroids, refdata_version

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
    revision: int
    companies: int
    reference: str  # reference files behind CPV labels and communes: a reload refits with the new data


@dataclass(frozen=True)
class RankedSupplier:
    company: SupplierCompany
    match: matching.Match


def _fingerprint() -> _Fingerprint:
    # The count catches bulk inserts and deletes that bypass the ORM's revision stamp.
    return _Fingerprint(current_search_revision(), db.session.scalar(select(func.count(SupplierCompany.id))),
                        refdata_version("cpv", "postcodes", "qpv"))


def _load_companies(*conditions) -> list[SupplierCompany]:
    stmt = select(SupplierCompany).options(selectinload(SupplierCompany.offers)).where(*conditions)
    return list(db.session.scalars(stmt))


class EngineCache:
    """One fitted engine per process, kept in step with the database.

    When more than ``refit_min`` companies and more than ``refit_share`` of them changed since the last look
    (a bulk import), refit instead of applying the changes one by one: ``add`` costs milliseconds each, a refit
    of 10,000 companies about 2 s.
    """

    def __init__(self, refit_share: float = 0.2, refit_min: int = 100, **engine_params):
        self._params = engine_params
        self._refit_share = refit_share
        self._refit_min = refit_min
        self._engine: matching.Engine | None = None
        self._seen: _Fingerprint | None = None
        self._lock = threading.Lock()

    def engine(self) -> matching.Engine:
        with self._lock:
            # Read before loading: a change committed meanwhile is applied (again) at the next look.
            current = _fingerprint()
            if (self._engine is None or self._seen is None or current.reference != self._seen.reference
                    or (current != self._seen and not self._apply_changes_since(self._seen))):
                self._engine = self._fit()
            self._seen = current
            return self._engine

    def _fit(self) -> matching.Engine:
        suppliers = [to_supplier(c) for c in _load_companies()]
        labels = {code: label for code, label, _level in cpv_rows()}
        return matching.Engine(cpv_labels=labels, department_coords=department_centroids(),
                               **self._params).fit(suppliers)

    def _apply_changes_since(self, seen: _Fingerprint) -> bool:
        """Drop deleted companies and re-add those stamped after ``seen``; False when a refit is cheaper."""
        engine = self._engine
        existing = {str(i) for i in db.session.scalars(select(SupplierCompany.id))}
        gone = set(engine.suppliers_) - existing
        missing = [int(i) for i in existing - set(engine.suppliers_)]
        changed = or_(SupplierCompany.search_revision > seen.revision, SupplierCompany.id.in_(missing))
        count = db.session.scalar(select(func.count(SupplierCompany.id)).where(changed))
        if len(gone) + count > max(self._refit_min, self._refit_share * len(existing)):
            return False
        for supplier_id in gone:
            engine.remove(supplier_id)
        for company in _load_companies(changed) if count else ():
            if str(company.id) in engine.suppliers_:
                engine.remove(str(company.id))
            engine.add(to_supplier(company))
        return True

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
