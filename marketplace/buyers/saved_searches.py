"""Saved supplier searches: one buyer's own (never a colleague's), and the alerts of new matching suppliers.

Alerts: ``check_saved_searches(company_id)`` runs right after a company's profile or offers are saved
(suppliers.services calls it once the change is committed, so the engine already sees it). It looks at no more
than MAX_SEARCHES_CHECKED saved searches, skips at once those the company cannot pass (type, headcount,
labels, QPV, department), runs the engine only for the rest, and notifies each search's owner once per
(search, company): a ``SavedSearchHit`` row, unique per pair, remembers it. The results a search had when it
was saved are recorded without an alert: they are not new.
"""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import NotFound

from ..extensions import db
from ..models import QPV_STATUSES_SHOWN, NotificationKind, Role, SavedSearch, SavedSearchHit, SupplierCompany, User
from ..models.suppliers import QpvStatus
from ..notifications.services import notify
from ..validators import ServiceError
from . import sourcing
from .search_forms import HEADCOUNT_BANDS, SAVED_SEARCH_NAME_MAX, parse_criteria

log = logging.getLogger(__name__)

MAX_SAVED_PER_USER = 50
MAX_SEARCHES_CHECKED = 100  # the most recently saved ones; each costs at most one engine query
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
    entries, _ = sourcing.matching_suppliers(criteria)
    db.session.add_all(SavedSearchHit(saved_search_id=saved.id, company_id=e.company.id, notified=False)
                       for e in entries)
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


def _may_match(company: SupplierCompany, criteria) -> bool:
    """A cheap test before the engine: the filters a company's own fields decide."""
    if criteria.type and company.structure_type.value != criteria.type:
        return False
    if criteria.effectif:
        _, low, high = HEADCOUNT_BANDS[criteria.effectif]
        if company.headcount is None or company.headcount < low or (high is not None and company.headcount > high):
            return False
    if criteria.labels and not set(criteria.labels) <= set(company.labels or ()):
        return False
    if criteria.qpv == "verifie" and company.qpv_status is not QpvStatus.VERIFIED:
        return False
    if criteria.qpv == "1" and company.qpv_status not in QPV_STATUSES_SHOWN:
        return False
    codes = {code for offer in company.offers for code in (offer.cpv_codes or ())}
    if criteria.division and not any(code.startswith(criteria.division) for code in codes):
        return False
    served = {company.department, *(d for offer in company.offers for d in (offer.departments or ()))}
    return not (criteria.departement and not criteria.voisins and criteria.departement not in served)


def check_saved_searches(company_id: int) -> int:
    """Notify the owners of the saved searches a company newly matches; the number of alerts sent. Commits."""
    company = db.session.get(SupplierCompany, company_id)
    if company is None:
        return 0
    already = set(db.session.scalars(select(SavedSearchHit.saved_search_id)
                                     .where(SavedSearchHit.company_id == company_id)))
    stmt = (select(SavedSearch).join(User, User.id == SavedSearch.user_id)
            .where(User.role == Role.BUYER).order_by(SavedSearch.id.desc()).limit(MAX_SEARCHES_CHECKED))
    sent = 0
    for saved in db.session.scalars(stmt).all():
        if saved.id in already:
            continue
        criteria, _errors, _page = parse_criteria(saved.criteria or {})
        criteria.tri, criteria.lieu, criteria.appel = "pertinence", "", None
        if not criteria.q or not _may_match(company, criteria):
            continue
        entries, _ = sourcing.matching_suppliers(criteria)
        if company_id not in {e.company.id for e in entries}:
            continue
        db.session.add(SavedSearchHit(saved_search_id=saved.id, company_id=company_id, notified=True))
        notify(saved.user, NotificationKind.SAVED_SEARCH_MATCH,
               f"Nouveau fournisseur pour « {saved.name} » : {company.name}"[:200],
               f"{company.name} correspond désormais à votre recherche enregistrée « {saved.name} ».",
               link=f"/acheteur/fournisseurs/{company.id}")
        sent += 1
    if sent:
        try:
            db.session.commit()
        except IntegrityError:  # the same pair recorded meanwhile by a concurrent save: it was notified there
            db.session.rollback()
            return 0
    return sent


def check_saved_searches_safely(company_id: int) -> None:
    """For the supplier's save: an alert that fails is logged, never an error on the supplier's page."""
    try:
        check_saved_searches(company_id)
    except Exception:  # noqa: BLE001 (the company is already saved; the alert is best effort)
        db.session.rollback()
        log.exception("saved-search alerts failed for company %s", company_id)
