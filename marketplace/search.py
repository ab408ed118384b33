"""The one bridge between ORM rows and the matching engine.

Builds `matching` inputs from suppliers and tenders, and keeps one engine per process, loaded from the saved
index (search_index.py) or fitted when there is none. Before each query the cache reads the search revision (a
transactional counter stamped on every changed company, see models/search_state.py) and the number of
companies; when either moved, deleted companies are removed from the engine and companies stamped since the last
look are re-added: seen by that very query, without a refit (a bulk change queues a new index build; without a
saved index it refits).

Request threads share the cache. A reader whose look finds nothing new takes no lock; one thread at a time
brings the engine up to date, applying all the changes it found as one engine update (a concurrent query sees
all of them or none) or fitting a new engine aside and publishing it with its fingerprint in one swap.
"""

import logging
import threading
import time
from dataclasses import dataclass, field, replace

from babel.numbers import format_decimal
from flask import current_app, g, has_app_context
from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

import matching

from . import search_index
from .extensions import db
from .jobs import enqueue, job_handler
from .models import QPV_STATUSES_SHOWN, Job, JobStatus, SupplierCompany, Tender, current_search_revision
from .refdata.departments import department_name
from .refdata.lookups import (
    communes_for_postcode,
    communes_for_postcodes,
    cpv_rows,
    department_centroids,
    refdata_version,
)

logger = logging.getLogger(__name__)


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


# What the fitted engine depends on: search revision, company count, reference data (the saved index's Build).
_Fingerprint = search_index.Build


@dataclass(frozen=True)
class RankedSupplier:
    company: SupplierCompany
    match: matching.Match


def corpus_fingerprint(*, fresh: bool = False) -> _Fingerprint:
    """What the fitted engine depends on: when it changes, engines and caches of verdicts look again.

    Read once per app context (a request) until it commits or rolls back: a page asks the engine several times
    (ranking, reasons, teams), and three queries each time would cost more than the answers from memory.
    ``fresh``: read the database again (and remember that)."""
    remembered = g.get("corpus_fingerprint") if has_app_context() and not fresh else None
    if remembered is not None:
        return remembered
    # The count catches bulk inserts and deletes that bypass the ORM's revision stamp.
    fingerprint = _Fingerprint(current_search_revision(), db.session.scalar(select(func.count(SupplierCompany.id))),
                               refdata_version("cpv", "postcodes", "qpv"))
    if has_app_context():
        g.corpus_fingerprint = fingerprint
    return fingerprint


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_fingerprint(session) -> None:
    """The next look reads the database again: this context's own changes, and others', may be visible now."""
    if has_app_context():
        g.pop("corpus_fingerprint", None)


def _load_companies(*conditions) -> list[SupplierCompany]:
    # Companies and their offers in one statement, hence from one committed state: loaded in two (selectinload),
    # a commit in between would give the engine a company from before it and another from after it.
    stmt = select(SupplierCompany).options(joinedload(SupplierCompany.offers)).where(*conditions)
    return list(db.session.scalars(stmt).unique())


@dataclass(frozen=True)
class _Published:
    """A fitted engine and the database state it reflects, published together in one reference.

    ``fitted`` is the search revision the engine was fitted on and ``drift`` counts the companies changed since
    (applied one by one); ``saved`` is the marker of the saved index last looked at (see :mod:`.search_index`):
    each new save is looked at once.
    """

    engine: matching.Engine
    seen: _Fingerprint
    fitted: int
    drift: int = 0
    saved: tuple[int, int] | None = None
    # Answers computed on this very state (a tender's ranking, its teams), asked again by the next views: a new
    # state (any change) starts with an empty one.
    memo: dict = field(default_factory=dict, compare=False, repr=False)


class EngineCache:
    """One fitted engine per process, kept in step with the database.

    With a saved index (SEARCH_INDEX_DIR), the engine comes from disk: built by ``flask search build`` or the
    ``search.build_index`` job, loaded whole when a newer one is saved, then brought up to date by applying the
    changes committed since its build. Requests do not fit engines then: when more than ``refit_min`` companies
    and more than ``refit_share`` of them changed since the engine was fitted (a bulk import), the changes are
    applied all the same and a new build is queued. Without a saved index (tests), such a change refits in place.
    The first query fits the engine only when there is no saved index yet (and then saves it when it can), and
    so does a change of the reference data (CPV labels, communes), which changes every supplier's text.
    Thread-safe: readers never wait for an update they do not need.
    """

    def __init__(self, refit_share: float = 0.2, refit_min: int = 100, **engine_params):
        self._params = engine_params
        self._refit_share = refit_share
        self._refit_min = refit_min
        self._published: _Published | None = None
        self._lock = threading.Lock()  # held by the one thread bringing the engine up to date
        self._build_queued_at: float | None = None  # when a build was queued for the published engine's fit
        self._queue_builds = True  # off in gunicorn's master: its threads would not survive the fork

    def engine(self) -> matching.Engine:
        """The engine, up to date with every change committed before this call."""
        return self.published().engine

    def published(self) -> _Published:
        """The engine and what it reflects, up to date with every change committed before this call."""
        directory = search_index.index_dir()
        current = corpus_fingerprint()
        saved = search_index.marker(directory) if directory is not None else None
        published = self._published
        if published is not None and published.seen == current and published.saved == saved:
            return published  # nothing new: no lock, whatever another thread is doing
        with self._lock:
            # Looked again under the lock, in the database: another thread may have caught up meanwhile, and the
            # fingerprint published below must not be older than the one it replaces. Read before loading: a
            # change committed meanwhile is applied (again) at the next look.
            current = corpus_fingerprint(fresh=True)
            saved = search_index.marker(directory) if directory is not None else None
            published = self._published
            if published is not None and published.seen == current and published.saved == saved:
                return published
            if saved is not None and (published is None or published.saved != saved):
                published = self._load_newer(directory, published, current) or published
            if published is None or current.reference != published.seen.reference:
                published = _Published(self._fit(), current, current.revision)  # fitted aside, then swapped
                if directory is not None:
                    saved = self._save(published, directory) or saved
            elif published.seen != current:
                published = self._caught_up(published, current, directory)
            published = self._published = replace(published, saved=saved, memo={})
            return published

    def _load_newer(self, directory, published: _Published | None, current: _Fingerprint) -> _Published | None:
        """The saved index, loaded, if it was fitted on a later state than the published engine (else None)."""
        saved = search_index.current(directory)
        if saved is None or saved.build.reference != current.reference or saved.build.revision > current.revision:
            return None  # built on other reference data, or on a database since recreated (its counter restarted)
        if published is not None and saved.build.revision <= published.fitted:
            return None  # fitted on an older state than ours (or the same)
        loaded = search_index.load_current(directory)
        if loaded is None or loaded[1].build != saved.build:  # another save came in between: next look
            return None
        engine, saved = loaded
        build = saved.build
        self._build_queued_at = None
        return _Published(engine, build, build.revision)

    def _caught_up(self, published: _Published, current: _Fingerprint, directory) -> _Published:
        """The published engine with the changes committed since it was last brought up to date."""
        changed = self._apply_changes_since(published, refit_if_many=directory is None)
        if changed is None:
            self._build_queued_at = None
            return _Published(self._fit(), current, current.revision)
        drift = published.drift + changed
        queued = self._build_queued_at
        if (directory is not None and self._many(drift, current.companies) and self._queue_builds
                and (queued is None or time.monotonic() - queued > REQUEUE_AFTER_S)):
            self._build_queued_at = time.monotonic()  # again later if no newer index came meanwhile (job failed)
            queue_build()
        return _Published(published.engine, current, published.fitted, drift)

    def _many(self, changed: int, companies: int) -> bool:
        return changed > max(self._refit_min, self._refit_share * companies)

    def _fit(self) -> matching.Engine:
        return new_engine(**self._params).fit(to_supplier(c) for c in _load_companies())

    @staticmethod
    def _save(published: _Published, directory) -> tuple[int, int] | None:
        """Save a freshly fitted engine for the other workers; the saved index's marker (None if it failed)."""
        try:
            return search_index.save(published.engine, published.seen, directory).marker
        except OSError:  # a full or read-only disk must not fail the search itself
            logger.exception("search index could not be saved in %s", directory)
            return None

    def _apply_changes_since(self, published: _Published, *, refit_if_many: bool) -> int | None:
        """Drop deleted companies and re-add those stamped after the last look, as one engine update (a query
        running meanwhile sees all of it or none of it): how many changed, or None (nothing applied) when there
        are many and ``refit_if_many`` (a refit is then cheaper)."""
        engine, seen = published.engine, published.seen
        existing = {str(i) for i in db.session.scalars(select(SupplierCompany.id))}
        indexed = set(engine.suppliers_)
        gone = indexed - existing
        missing = [int(i) for i in existing - indexed]
        changed = or_(SupplierCompany.search_revision > seen.revision, SupplierCompany.id.in_(missing))
        count = db.session.scalar(select(func.count(SupplierCompany.id)).where(changed))
        if refit_if_many and self._many(len(gone) + count, len(existing)):
            return None
        companies = _load_companies(changed) if count else []
        replaced = [str(c.id) for c in companies if str(c.id) in indexed]
        engine.update(remove=[*gone, *replaced], add=[to_supplier(c) for c in companies])
        return len(gone) + count

    def clear(self) -> None:
        with self._lock:
            self._published = None
            self._build_queued_at = None


def queue_build() -> None:
    """Queue a ``search.build_index`` job from a thread of its own: the job row is committed by its own session,
    never by the request that noticed the change (its own work is not committed behind its back)."""
    app = current_app._get_current_object()

    def queue() -> None:
        with app.app_context():
            try:
                waiting = select(Job.id).where(Job.kind == BUILD_JOB,
                                               Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))
                if db.session.scalar(waiting.limit(1)) is None:  # another worker may have queued it already
                    enqueue(BUILD_JOB)
            except Exception:  # noqa: BLE001  (the next look queues it again; searching goes on meanwhile)
                logger.exception("search index build could not be queued")
            finally:
                db.session.remove()

    thread = threading.Thread(target=queue, name="search-index-build", daemon=True)
    thread.start()
    _queued_threads[:] = [t for t in _queued_threads if t.is_alive()] + [thread]


_queued_threads: list[threading.Thread] = []  # tests wait for them


def build_index() -> tuple[search_index.Saved, float]:
    """Fit the engine on every company and save it (``flask search build``, the job): the index and seconds taken."""
    directory = search_index.index_dir()
    if directory is None:
        raise RuntimeError("SEARCH_INDEX_DIR is not set: there is nowhere to save the index")
    started = time.perf_counter()
    seen = corpus_fingerprint(fresh=True)  # read before loading: what is committed meanwhile is applied later
    engine = _cache._fit()
    fitted = time.perf_counter() - started
    return search_index.save(engine, seen, directory), fitted


BUILD_JOB = "search.build_index"


@job_handler(BUILD_JOB)
def _build_index_job(payload: dict, progress) -> None:
    progress(0.0, "Construction de l'index de recherche")
    saved, seconds = build_index()
    progress(1.0, f"Index de {format_decimal(saved.build.companies, locale='fr')} fournisseurs construit en "
                  f"{format_decimal(round(seconds, 1), locale='fr')} s")


# Offers are one line each in the merged description: the engine's "experience" signal (one line per past
# contract in procurement data) would reward many small offers, so the web app does not use it.
WEB_ENGINE_PARAMS = {"experience_weight": 0.0}


def new_engine(**params) -> matching.Engine:
    """An engine not fitted yet, as the web app sets it up: CPV labels, departments' centroids, its weights."""
    labels = {code: label for code, label, _level in cpv_rows()}
    return matching.Engine(cpv_labels=labels, department_coords=department_centroids(),
                           **{**WEB_ENGINE_PARAMS, **params})


_cache = EngineCache()


def _companies(ids: list[int], offers: bool) -> list[SupplierCompany]:
    if not ids:
        return []
    stmt = select(SupplierCompany).where(SupplierCompany.id.in_(ids))
    if offers:  # in a second statement: joined, each company's row would come back once per offer
        stmt = stmt.options(selectinload(SupplierCompany.offers))
    return list(db.session.scalars(stmt))


def with_companies(matches, offers: bool = True) -> list[RankedSupplier]:
    """The matches with their companies (``offers``: and the companies' offers), dropping any company deleted since
    the ranking."""
    ids = [int(m.supplier_id) for m in matches]
    companies = {c.id: c for c in _companies(ids, offers)}
    return [RankedSupplier(companies[int(m.supplier_id)], m) for m in matches if int(m.supplier_id) in companies]


def shortlist_matches(tender: Tender, *, k: int = 10, lot_id: int | None = None, qpv: str | None = None,
                      reasons: bool = True) -> tuple[matching.Match, ...]:
    """The engine's ranking for :func:`shortlist`, without the companies (shared by every thread: a tuple): pages
    that rank many suppliers and show a few load only those (:func:`with_companies`)."""
    record, lot = to_tender(tender), str(lot_id) if lot_id is not None else None
    return _memoized(("shortlist", record, k, lot, qpv, reasons),
                     lambda engine: tuple(engine.shortlist(record, k=k, lot=lot, qpv=qpv, reasons=reasons)))


def shortlist(tender: Tender, *, k: int = 10, lot_id: int | None = None, qpv: str | None = None,
              reasons: bool = True, offers: bool = True) -> list[RankedSupplier]:
    """The k best suppliers for a tender (or one of its lots), best first, with the reasons.

    ``qpv``: None, "any" (declared or verified QPV) or "verified"; filtered by the engine, so k come back
    whenever k such suppliers match. ``reasons=False``: none (same ranking); ``offers=False``: the companies
    without their offers. Pages that show a few of the ranked suppliers use :func:`shortlist_matches`, then
    :func:`with_companies` and :func:`explain_shortlist` for those.
    """
    matches = shortlist_matches(tender, k=k, lot_id=lot_id, qpv=qpv, reasons=reasons)
    return with_companies(matches, offers)


MEMO_SIZE = 512  # answers kept per engine state: rankings (up to 200 matches) and one supplier's reasons
REQUEUE_AFTER_S = 600  # a queued build that brought no newer index by then (failed, lost) is queued again


def _memoized(key: tuple, compute):
    """``compute(engine)``, or what it gave for the same key on the same engine state (the state is immutable: a
    change publishes a new one, with an empty memo). Threads may compute the same key twice: both are right."""
    published = _cache.published()
    memo = published.memo
    try:
        return memo[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable field in a record: computed every time
        return compute(published.engine)
    value = compute(published.engine)
    _remember(memo, key, value)
    return value


def _remember(memo: dict, key: tuple, value) -> None:
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value


def _explained(entries: list[RankedSupplier], query: tuple, explain) -> list[RankedSupplier]:
    """Entries with the reasons ``explain(engine, matches)`` gives, each supplier's remembered for the query on
    the same engine state (pages of the same search or shortlist are viewed again and again)."""
    if not entries:
        return entries
    published = _cache.published()
    memo = published.memo
    # Keyed by the score too: entries ranked on an engine replaced since (an index swap) are explained afresh.
    try:
        known = {e.match.supplier_id: memo.get((query, e.match.supplier_id, e.match.score)) for e in entries}
    except TypeError:  # an unhashable field in a record: nothing remembered
        known = {e.match.supplier_id: None for e in entries}
        query = None
    missing = [e.match for e in entries if known[e.match.supplier_id] is None]
    for match in explain(published.engine, missing) if missing else ():
        known[match.supplier_id] = match
        if query is not None:
            _remember(memo, (query, match.supplier_id, match.score), match)
    return [RankedSupplier(e.company, known[e.match.supplier_id] or e.match) for e in entries]


def explain_shortlist(entries: list[RankedSupplier], tender: Tender, *, lot_id: int | None = None
                      ) -> list[RankedSupplier]:
    """Entries ranked without reasons (:func:`shortlist_matches` then :func:`with_companies`) with their reasons, as
    the shortlist would give them."""
    record, lot = to_tender(tender), str(lot_id) if lot_id is not None else None
    return _explained(entries, ("shortlist", record, lot),
                      lambda engine, matches: engine.explain(matches, tender=record, lot=lot))


def suggest_groups(tender: Tender, *, max_size: int, limit: int) -> list[matching.Group]:
    """The engine's suggested teams of suppliers for the tender, best first (supplier ids are company ids as
    strings, requirement ids lot ids as strings: see docs/matching.md, "Teams")."""
    record = to_tender(tender)
    return _memoized(("groups", record, max_size, limit),
                     lambda engine: engine.suggest_groups(record, max_size=max_size, limit=limit))


def search_matches(text: str, *, k: int = 20, departments=(), cpv_prefixes=(), labels=(), qpv: str | None = None,
                   reasons: bool = True) -> tuple[matching.Match, ...]:
    """The engine's ranking for a free-text supplier search (see :func:`search_suppliers`), without the companies
    (shared by every thread: a tuple): pages that rank many suppliers and show a few load only those
    (:func:`with_companies`)."""
    key = ("search", text, k, tuple(departments), tuple(cpv_prefixes), tuple(labels), qpv, reasons)
    return _memoized(key, lambda engine: tuple(engine.search(text, k=k, departments=departments,
                                                             cpv_prefixes=cpv_prefixes, labels=labels, qpv=qpv,
                                                             reasons=reasons)))


def search_suppliers(
    text: str, *, k: int = 20, departments=(), cpv_prefixes=(), labels=(), qpv: str | None = None,
    reasons: bool = True, offers: bool = True,
) -> list[RankedSupplier]:
    """Typo-tolerant free-text supplier search with optional filters (``qpv``, ``reasons`` and ``offers`` as in
    :func:`shortlist`); pages use :func:`search_matches` and :func:`explain_search` as the shortlist's do."""
    matches = search_matches(text, k=k, departments=departments, cpv_prefixes=cpv_prefixes, labels=labels, qpv=qpv,
                             reasons=reasons)
    return with_companies(matches, offers)


def explain_search(entries: list[RankedSupplier], text: str, *, departments=(), cpv_prefixes=()
                   ) -> list[RankedSupplier]:
    """Entries ranked without reasons (:func:`search_matches` then :func:`with_companies`) with their reasons, as
    the search would give them."""
    return _explained(entries, ("search", text, tuple(departments), tuple(cpv_prefixes)),
                      lambda engine, matches: engine.explain(matches, text=text, departments=departments,
                                                             cpv_prefixes=cpv_prefixes))


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


def warm_up(app) -> None:
    """Bring this process's engine up to date now rather than at the first search (gunicorn's master, before
    forking its workers: see gunicorn.conf.py)."""
    with app.app_context():
        _cache._queue_builds = False  # a thread started here would not survive the fork
        try:
            _cache.engine()
        except Exception:  # noqa: BLE001  (database not up yet: each worker brings its engine up on first use)
            logger.exception("search engine warm-up failed: the workers will load it on their first search")
        finally:
            _cache._queue_builds = True
            db.session.remove()
            db.engine.dispose()  # the workers open their own connections


def reset_engine_cache() -> None:
    """Forget the fitted engine (tests; after bulk imports the fingerprint would trigger the refit anyway)."""
    _cache.clear()
