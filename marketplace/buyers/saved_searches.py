"""Saved supplier searches: one buyer's own (never a colleague's), and the alerts of new matching suppliers.

Alerts: ``enqueue_alerts(company_id)`` queues the job "buyers.saved_search_alerts" once a company's profile,
offers or QPV status change is committed (suppliers.services, admin.services), so the supplier's request never
waits for the engine. The job (``check_saved_searches``) reads every saved search in batches, skips at once
those the company cannot pass (sourcing.may_match: the rule the search applies itself), runs the engine only
for the rest, and notifies each search's owner once per
(search, company): a ``SavedSearchHit`` row, unique per pair, remembers it. The results a search had when it
was saved are recorded without an alert: they are not new.
"""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from ..extensions import db
from ..jobs import enqueue, job_handler
from ..models import NotificationKind, Role, SavedSearch, SavedSearchHit, SupplierCompany, User
from ..notifications.services import notify
from ..validators import ServiceError
from . import sourcing
from .search_forms import SAVED_SEARCH_NAME_MAX, parse_criteria

log = logging.getLogger(__name__)

MAX_SAVED_PER_USER = 50
BATCH_SIZE = 200  # saved searches read at a time by the alert job; each costs at most one engine query
ALERT_JOB = "buyers.saved_search_alerts"
NAME_REQUIRED = "Donnez un nom à cette recherche."
EMPTY_SEARCH = "Saisissez des mots à chercher avant d'enregistrer la recherche."


class SavedSearchNotFound(NotFound):
    description = "Cette recherche enregistrée est introuvable."


def saved_searches_of(user: User) -> list[SavedSearch]:
    stmt = select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.name, SavedSearch.id)
    return list(db.session.scalars(stmt))


def get_saved_search(user: User, search_id: int | None) -> SavedSearch:
    """The user's own saved search; SavedSearchNotFound (a 404) for anybody else's or a malformed id."""
    found = db.session.get(SavedSearch, search_id) if search_id is not None else None
    if found is None or found.user_id != user.id:
        raise SavedSearchNotFound()
    return found


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())[:SAVED_SEARCH_NAME_MAX]
    if not name:
        raise ServiceError({"name": NAME_REQUIRED})
    return name


def save_search(user: User, name: str | None, args) -> SavedSearch:
    """Save the search ``args`` describe (re-checked as on the search page) under ``name``; commits."""
    name = _clean_name(name)
    criteria, _errors, _page = parse_criteria(args, [t.id for t in sourcing.organisation_tenders(user)])
    if not criteria.q:
        raise ServiceError({"name": EMPTY_SEARCH})
    if len(saved_searches_of(user)) >= MAX_SAVED_PER_USER:
        raise ServiceError({"name": f"Vous avez déjà {MAX_SAVED_PER_USER} recherches enregistrées : "
                                    "supprimez-en une d'abord."})
    saved = SavedSearch(user_id=user.id, name=name, criteria=criteria.as_args())
    db.session.add(saved)
    db.session.flush()
    ranked, _ = sourcing.ranked_suppliers(criteria)
    db.session.add_all(SavedSearchHit(saved_search_id=saved.id, company_id=r.company_id, notified=False)
                       for r in ranked)
    db.session.commit()
    return saved


def rename_search(user: User, search_id: int | None, name: str | None) -> SavedSearch:
    saved = get_saved_search(user, search_id)
    saved.name = _clean_name(name)
    db.session.commit()
    return saved


def delete_search(user: User, search_id: int | None) -> str:
    saved = get_saved_search(user, search_id)
    name = saved.name
    db.session.delete(saved)
    db.session.commit()
    return name


def _already_alerted(company_id: int) -> set[int]:
    return set(db.session.scalars(select(SavedSearchHit.saved_search_id)
                                  .where(SavedSearchHit.company_id == company_id)))


def _record_hit(saved: SavedSearch, company_id: int) -> bool:
    """Remember the pair in a savepoint: a duplicate (recorded meanwhile) is skipped, the run's other alerts stay."""
    try:
        with db.session.begin_nested():
            db.session.add(SavedSearchHit(saved_search_id=saved.id, company_id=company_id, notified=True))
    except IntegrityError:
        return False
    return True


def check_saved_searches(company_id: int) -> int:
    """Notify the owners of the saved searches a company newly matches; the number of alerts sent. Commits.

    Every buyer's saved search is looked at, BATCH_SIZE at a time (by id); the department centroids are read
    once per run.
    """
    company = db.session.get(SupplierCompany, company_id)
    if company is None:
        return 0
    already = _already_alerted(company_id)
    centroids = None
    sent, last_id = 0, 0
    while True:
        stmt = (select(SavedSearch).join(User, User.id == SavedSearch.user_id)
                .where(User.role == Role.BUYER, SavedSearch.id > last_id).order_by(SavedSearch.id).limit(BATCH_SIZE))
        batch = db.session.scalars(stmt).all()
        if not batch:
            break
        last_id = batch[-1].id
        for saved in batch:
            if saved.id in already:
                continue
            criteria, _errors, _page = parse_criteria(saved.criteria or {})
            criteria.tri, criteria.lieu, criteria.appel = "pertinence", "", None
            if not criteria.q or not sourcing.may_match(company, criteria):
                continue
            if centroids is None:
                centroids = sourcing.cached_centroids()
            ranked, _ = sourcing.ranked_suppliers(criteria, centroids)
            if company_id not in {r.company_id for r in ranked} or not _record_hit(saved, company_id):
                continue
            notify(saved.user, NotificationKind.SAVED_SEARCH_MATCH,
                   f"Nouveau fournisseur pour « {saved.name} » : {company.name}"[:200],
                   f"{company.name} correspond désormais à votre recherche enregistrée « {saved.name} ».",
                   link=f"/acheteur/fournisseurs/{company.id}")
            sent += 1
        db.session.commit()
    return sent


@job_handler(ALERT_JOB)
def saved_search_alerts_job(payload: dict, progress) -> dict:
    """The queued alert check of one saved company (enqueued by the supplier's saves and the QPV decisions)."""
    return {"alerts": check_saved_searches(int(payload.get("company_id") or 0))}


def enqueue_alerts(company_id: int) -> None:
    """Queue the alert check after a company change was committed: cheap, and never an error for the caller
    (a queue outage is logged; the company is already saved)."""
    try:
        enqueue(ALERT_JOB, {"company_id": company_id})
    except Exception:  # noqa: BLE001 (the alert is best effort)
        db.session.rollback()
        log.exception("saved-search alerts could not be queued for company %s", company_id)
