"""The one bridge between ORM rows and the matching engine.

Builds `matching` inputs from suppliers and tenders, and keeps one fitted engine per process. Before each
query the cache reads the search revision (a transactional counter stamped on every changed company, see
models/search_state.py) and the number of companies; when either moved, deleted companies are removed from the
engine and companies stamped since the last look are re-added: seen by that very query, without a refit
(unless a large share of the corpus changed, e.g. after a bulk import, when a refit is cheaper).

Request threads share the cache. A reader whose look finds nothing new takes no lock; one thread at a time
brings the engine up to date, applying all the changes it found as one engine update (a concurrent query sees
all of them or none) or fitting a new engine aside and publishing it with its fingerprint in one swap.
"""

import threading
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

import matching

from .extensions import db
from .models import QPV_STATUSES_SHOWN, SupplierCompany, Tender, current_search_revision
from .refdata.departments import department_name
from .refdata.lookups import (
    communes_for_postcode,
    communes_for_postcodes,
    cpv_rows,
    department_centroids,
    refdata_version,
)


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
        qpv_status=company.qpv_status.value if company.qpv_status in QPV_STATUSES_SHOWN else None,
        commune=company.commune_name,
        place_names=tuple(name for name in map(department_name, sorted(departments)) if name),
    )


def _place_names(tender: Tender, communes=None) -> tuple[str, ...]:
    """Names of the place of execution (department, communes of the postcode): reasons never show their words.

    ``communes`` is the postcode's communes when the caller looked them up for many tenders at once."""
    names = [department_name(tender.department)] if tender.department else []
    names += [c.name for c in (communes_for_postcode(tender.postcode) if communes is None else communes)]
    return tuple(dict.fromkeys(name for name in names if name))


def to_tender(tender: Tender, communes=None) -> matching.Tender:
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
        place_names=_place_names(tender, communes),
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


def corpus_fingerprint() -> _Fingerprint:
    """What the fitted engine depends on: when it changes, engines and caches of verdicts look again."""
    # The count catches bulk inserts and deletes that bypass the ORM's revision stamp.
    return _Fingerprint(current_search_revision(), db.session.scalar(select(func.count(SupplierCompany.id))),
                        refdata_version("cpv", "postcodes", "qpv"))


def _load_companies(*conditions) -> list[SupplierCompany]:
    # Companies and their offers in one statement, hence from one committed state: loaded in two (selectinload),
    # a commit in between would give the engine a company from before it and another from after it.
    stmt = select(SupplierCompany).options(joinedload(SupplierCompany.offers)).where(*conditions)
    return list(db.session.scalars(stmt).unique())


@dataclass(frozen=True)
class _Published:
    """A fitted engine and the database state it reflects, published together in one reference."""

    engine: matching.Engine
    seen: _Fingerprint


class EngineCache:
    """One fitted engine per process, kept in step with the database.

    When more than ``refit_min`` companies and more than ``refit_share`` of them changed since the last look
    (a bulk import), refit instead of applying the changes one by one: ``add`` costs milliseconds each, a refit
    of 10,000 companies about 2 s. Thread-safe: readers never wait for an update they do not need.
    """

    def __init__(self, refit_share: float = 0.2, refit_min: int = 100, **engine_params):
        self._params = engine_params
        self._refit_share = refit_share
        self._refit_min = refit_min
        self._published: _Published | None = None
        self._lock = threading.Lock()  # held by the one thread bringing the engine up to date

    def engine(self) -> matching.Engine:
        """The engine, up to date with every change committed before this call."""
        current = corpus_fingerprint()
        published = self._published
        if published is not None and published.seen == current:
            return published.engine  # nothing new: no lock, whatever another thread is doing
        with self._lock:
            # Looked again under the lock: another thread may have caught up meanwhile, and the fingerprint
            # published below must not be older than the one it replaces. Read before loading: a change
            # committed meanwhile is applied (again) at the next look.
            current = corpus_fingerprint()
            published = self._published
            if published is not None and published.seen == current:
                return published.engine
            if (published is None or current.reference != published.seen.reference
                    or not self._apply_changes_since(published)):
                engine = self._fit()  # built aside: queries keep using the published engine meanwhile
            else:
                engine = published.engine
            self._published = _Published(engine, current)
            return engine

    def _fit(self) -> matching.Engine:
        return new_engine(**self._params).fit(to_supplier(c) for c in _load_companies())

    def _apply_changes_since(self, published: _Published) -> bool:
        """Drop deleted companies and re-add those stamped after the last look, as one engine update (a query
        running meanwhile sees all of it or none of it); False when a refit is cheaper."""
        engine, seen = published.engine, published.seen
        existing = {str(i) for i in db.session.scalars(select(SupplierCompany.id))}
        indexed = set(engine.suppliers_)
        gone = indexed - existing
        missing = [int(i) for i in existing - indexed]
        changed = or_(SupplierCompany.search_revision > seen.revision, SupplierCompany.id.in_(missing))
        count = db.session.scalar(select(func.count(SupplierCompany.id)).where(changed))
        if len(gone) + count > max(self._refit_min, self._refit_share * len(existing)):
            return False
        companies = _load_companies(changed) if count else []
        replaced = [str(c.id) for c in companies if str(c.id) in indexed]
        engine.update(remove=[*gone, *replaced], add=[to_supplier(c) for c in companies])
        return True

    def clear(self) -> None:
        with self._lock:
            self._published = None


# Offers are one line each in the merged description: the engine's "experience" signal (one line per past
# contract in procurement data) would reward many small offers, so the web app does not use it.
WEB_ENGINE_PARAMS = {"experience_weight": 0.0}


def new_engine(**params) -> matching.Engine:
    """An engine not fitted yet, as the web app sets it up: CPV labels, departments' centroids, its weights."""
    labels = {code: label for code, label, _level in cpv_rows()}
    return matching.Engine(cpv_labels=labels, department_coords=department_centroids(),
                           **{**WEB_ENGINE_PARAMS, **params})


_cache = EngineCache()


def _with_companies(matches: list[matching.Match]) -> list[RankedSupplier]:
    ids = [int(m.supplier_id) for m in matches]
    companies = {c.id: c for c in _load_companies(SupplierCompany.id.in_(ids))} if ids else {}
    return [RankedSupplier(companies[int(m.supplier_id)], m) for m in matches if int(m.supplier_id) in companies]


def shortlist(tender: Tender, *, k: int = 10, lot_id: int | None = None, qpv: str | None = None
              ) -> list[RankedSupplier]:
    """The k best suppliers for a tender (or one of its lots), best first, with the reasons.

    ``qpv``: None, "any" (declared or verified QPV) or "verified"; filtered by the engine, so k come back
    whenever k such suppliers match.
    """
    engine = _cache.engine()
    matches = engine.shortlist(to_tender(tender), k=k, lot=str(lot_id) if lot_id is not None else None, qpv=qpv)
    return _with_companies(matches)


def suggest_groups(tender: Tender, *, max_size: int, limit: int) -> list[matching.Group]:
    """The engine's suggested teams of suppliers for the tender, best first (supplier ids are company ids as
    strings, requirement ids lot ids as strings: see docs/matching.md, "Teams")."""
    return _cache.engine().suggest_groups(to_tender(tender), max_size=max_size, limit=limit)


def search_suppliers(
    text: str, *, k: int = 20, departments=(), cpv_prefixes=(), labels=(), qpv: str | None = None
) -> list[RankedSupplier]:
    """Typo-tolerant free-text supplier search with optional filters (``qpv`` as in :func:`shortlist`)."""
    engine = _cache.engine()
    matches = engine.search(text, k=k, departments=departments, cpv_prefixes=cpv_prefixes, labels=labels, qpv=qpv)
    return _with_companies(matches)


@dataclass(frozen=True)
class TenderFit:
    """How well one tender fits one company: the best of the whole tender and each of its lots.

    ``match`` is None when the company shares neither a word nor a CPV code with the tender (or lacks a label it
    requires); ``lot`` is the tender's lot that fits the company best (None without lots or without a lot match).
    The whole tender's query holds every lot's words and codes, so it scores at least about as well as its best
    lot: the lot says where to answer, ``match`` is the better of the two.
    """

    tender: Tender
    match: matching.Match | None
    lot: object | None = None
    from_lot: bool = False  # ``match`` is the lot's (else the whole tender's)

    @property
    def score(self) -> float:
        return self.match.score if self.match is not None else 0.0


def tender_fits(company_id: int, tenders: list[Tender], *, reasons: bool = True) -> list[TenderFit]:
    """Reverse matching: the company's line in each tender's (and each lot's) shortlist, in the tenders' order.

    The engine is fitted on suppliers; asking it to score one supplier per tender reuses the shortlist's
    signals and reasons, so a buyer and an entrepreneur see the same score for the same pair. One engine call
    for all the tenders (one fitted state, tender queries shared between companies); ``reasons=False`` leaves
    the matches' explanations empty (same scores): rank every tender, then :func:`explain_fits` those shown.
    """
    engine = _cache.engine()
    communes = communes_for_postcodes(t.postcode for t in tenders)  # one query, not one per tender
    pairs = []
    for tender in tenders:
        record = to_tender(tender, communes.get((tender.postcode or "").strip(), []))
        pairs.append((record, None))
        pairs.extend((record, str(lot.id)) for lot in tender.lots)
    matches = iter(engine.score_many(pairs, str(company_id), reasons=reasons))
    fits = []
    for tender in tenders:
        whole, lot_match, best_lot = next(matches), None, None
        for lot in tender.lots:
            match = next(matches)
            if match is not None and (lot_match is None or match.score > lot_match.score):
                lot_match, best_lot = match, lot
        from_lot = lot_match is not None and (whole is None or whole.score < lot_match.score)
        fits.append(TenderFit(tender, lot_match if from_lot else whole, best_lot, from_lot))
    return fits


def explain_fits(company_id: int, fits: list[TenderFit]) -> list[TenderFit]:
    """The same fits with the reasons of their match (the whole tender's or the best lot's), in one engine call."""
    chosen = [f for f in fits if f.match is not None]
    engine = _cache.engine()
    communes = communes_for_postcodes(f.tender.postcode for f in chosen)
    pairs = [(to_tender(f.tender, communes.get((f.tender.postcode or "").strip(), [])),
              str(f.lot.id) if f.from_lot else None) for f in chosen]
    explained = iter(engine.score_many(pairs, str(company_id)))
    return [TenderFit(f.tender, next(explained), f.lot, f.from_lot) if f.match is not None else f for f in fits]


def reset_engine_cache() -> None:
    """Forget the fitted engine (tests; after bulk imports the fingerprint would trigger the refit anyway)."""
    _cache.clear()
