"""Buyer sourcing rules: ranked shortlists for a tender or lot, free-text supplier search, supplier sheets.

Ranking itself is the engine's (through marketplace.search); this module adds the buyer's point of view:
ownership of the tender, the QPV-only option (a filter inside the engine: a QPV-only list is as long as any
other whenever enough QPV companies match) and the pagination-free top-k lists a buyer curates.
"""

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from matching.signals import haversine_km
from matching.text import fold

from .. import search
from ..extensions import db
from ..models import QPV_STATUSES_SHOWN, Commune, SupplierCompany, Tender, User
from ..models.suppliers import QpvStatus
from ..opportunities import services as opportunity_services
from ..refdata.departments import department_name, department_of_postcode, is_department, normalise_department
from ..refdata.lookups import communes_for_postcode, department_centroids, naf_label, refdata_version
from ..validators import list_page
from . import services
from .search_forms import HEADCOUNT_BANDS, MAX_QUERY_CHARS, SearchCriteria

SHORTLIST_SIZE = 10
SEARCH_SIZE = 30
# The QPV-only option keeps companies whose QPV is declared (shown as "to be checked") or verified.
QPV_ONLY = "any"


@dataclass(frozen=True)
class Shortlist:
    tender: object
    lot: object | None
    entries: list[search.RankedSupplier]
    qpv_only: bool
    interested: frozenset[int] = frozenset()  # companies that said "Je suis intéressé" (for this lot, or all)


def shortlist_for(user: User, tender_id: int, *, lot_id: int | None = None, qpv_only: bool = False) -> Shortlist:
    """The best suppliers for the user's tender (or one of its lots); 404 for another organisation's."""
    tender = services.get_tender(user, tender_id)
    lot = next((x for x in tender.lots if x.id == lot_id), None) if lot_id is not None else None
    entries = search.shortlist(tender, k=SHORTLIST_SIZE, lot_id=lot.id if lot else None,
                               qpv=QPV_ONLY if qpv_only else None)
    return Shortlist(tender, lot, entries, qpv_only, opportunity_services.interested_company_ids(tender, lot))


def interests_for(tender) -> list:
    """Active interests in the buyer's tender (the caller checked the tender is the organisation's)."""
    return opportunity_services.interests_for_buyer(tender)


def search_suppliers(text: str, *, department: str = "", qpv_only: bool = False) -> list[search.RankedSupplier]:
    """Typo-tolerant supplier search; an unknown department is ignored rather than matching nothing."""
    text = (text or "").replace("\x00", " ").strip()[:MAX_QUERY_CHARS]
    if not text:
        return []
    department = normalise_department(department) if is_department(department) else ""
    return search.search_suppliers(
        text, k=SEARCH_SIZE, departments=(department,) if department else (), qpv=QPV_ONLY if qpv_only else None
    )


@dataclass(frozen=True)
class SupplierSheet:
    company: SupplierCompany
    naf_label: str


def supplier_sheet(company_id: int) -> SupplierSheet | None:
    """A supplier's public sheet, as buyers see it."""
    stmt = (
        select(SupplierCompany)
        .where(SupplierCompany.id == company_id)
        .options(selectinload(SupplierCompany.offers))
    )
    company = db.session.scalar(stmt)
    return SupplierSheet(company, naf_label(company.naf_code)) if company else None


# ----------------------------------------------------------------------------------- the steered search
# Up to SEARCH_LIMIT results, PAGE_SIZE a page. "Départements voisins": every department whose centroid (mean
# point of its communes) lies within NEIGHBOUR_KM of the chosen department's centroid.
SEARCH_LIMIT = 200
PAGE_SIZE = 20
NEIGHBOUR_KM = 60.0
HIGHLIGHT_MIN_CHARS = 3


@dataclass(frozen=True)
class SearchHit:
    entry: search.RankedSupplier
    distance_km: float | None  # None: no position for the company (listed last when sorting by distance)


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    first_rank: int  # the rank of this page's first hit
    origin: str  # the place distances start from, in words ("" when none)
    departments: tuple[str, ...]  # the department filter actually applied (with the neighbours)


# (reference-data key, centroids): published whole in one assignment, never changed in place.
_centroids_cache: tuple[str, dict[str, tuple[float, float]]] | None = None


def cached_centroids() -> dict[str, tuple[float, float]]:
    """``department_centroids()`` computed once per process and reference-data state (database, loaded files'
    checksums, number of communes) rather than on every search: a GROUP BY over every commune."""
    count = db.session.scalar(select(func.count()).select_from(Commune)) or 0
    key = f"{db.engine.url.render_as_string(hide_password=True)}#{refdata_version()}#{count}"
    global _centroids_cache
    cached = _centroids_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    found = department_centroids()  # two threads may both compute it: the same answer, one assignment each
    _centroids_cache = (key, found)
    return found


def neighbour_departments(code: str, centroids: dict[str, tuple[float, float]],
                          radius_km: float = NEIGHBOUR_KM) -> tuple[str, ...]:
    """``code`` and the departments whose centroid is within ``radius_km`` of its own (just ``code`` when the
    communes are not loaded)."""
    centre = centroids.get(code)
    if centre is None:
        return (code,)
    near = {other for other, point in centroids.items() if haversine_km(*centre, *point) <= radius_km}
    return tuple(sorted(near | {code}))


def _origin(criteria: SearchCriteria, user: User, centroids) -> tuple[tuple[float, float] | None, str]:
    """The point distances start from and its name: a postcode's commune, a department, or a tender's place."""
    postcode, department, label = "", "", ""
    if criteria.appel is not None:
        tender = db.session.scalar(select(Tender).where(
            Tender.id == criteria.appel, Tender.buyer_organisation_id == user.buyer_organisation_id))
        if tender is not None:
            postcode, department, label = tender.postcode or "", tender.department or "", f"« {tender.title} »"
    elif len(criteria.lieu) == 5:
        postcode = criteria.lieu
    else:
        department = criteria.lieu
    if postcode:
        commune = next((c for c in communes_for_postcode(postcode) if c.lat is not None), None)
        if commune is not None:
            return (commune.lat, commune.lon), label or f"{commune.name} ({postcode})"
        department = department or department_of_postcode(postcode) or ""
    if department and department in centroids:
        return centroids[department], label or f"{department_name(department) or department} ({department})"
    return None, label


def _company_point(company: SupplierCompany, centroids) -> tuple[float, float] | None:
    if company.lat is not None and company.lon is not None:
        return company.lat, company.lon
    return centroids.get(company.department or "")


def _keeps(company: SupplierCompany, criteria: SearchCriteria) -> bool:
    """The filters the engine does not apply: structure type and headcount band."""
    if criteria.type and company.structure_type.value != criteria.type:
        return False
    if criteria.effectif:
        _, low, high = HEADCOUNT_BANDS[criteria.effectif]
        if company.headcount is None or company.headcount < low or (high is not None and company.headcount > high):
            return False
    return True


def may_match(company: SupplierCompany, criteria: SearchCriteria) -> bool:
    """A cheap test before the engine (saved-search alerts): ``_keeps`` plus the filters the engine applies
    that the company's own fields decide (labels, QPV, CPV division, department)."""
    if not _keeps(company, criteria):
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


def matching_suppliers(criteria: SearchCriteria, centroids=None, *, reasons: bool = True
                       ) -> tuple[list[search.RankedSupplier], tuple]:
    """Every supplier (up to SEARCH_LIMIT) the criteria select, by relevance, and the departments applied
    (``reasons=False``: without their reasons, see :func:`explained`); the companies' offers are not loaded."""
    if not criteria.q:  # the engine ranks words: filters alone select nothing
        return [], ()
    departments: tuple[str, ...] = ()
    if criteria.departement:
        departments = (neighbour_departments(criteria.departement, cached_centroids() if centroids is None
                                             else centroids) if criteria.voisins else (criteria.departement,))
    qpv = {"1": QPV_ONLY, "verifie": "verified"}.get(criteria.qpv)
    entries = search.search_suppliers(criteria.q, k=SEARCH_LIMIT, departments=departments,
                                      cpv_prefixes=(criteria.division,) if criteria.division else (),
                                      labels=tuple(criteria.labels), qpv=qpv, reasons=reasons, offers=False)
    return [e for e in entries if _keeps(e.company, criteria)], departments


def explained(entries: list[search.RankedSupplier], criteria: SearchCriteria, departments: tuple
              ) -> list[search.RankedSupplier]:
    """Entries of :func:`matching_suppliers` (``reasons=False``) with their reasons."""
    return search.explain_search(entries, criteria.q, departments=departments,
                                 cpv_prefixes=(criteria.division,) if criteria.division else ())


def steered_search(user: User, criteria: SearchCriteria, page: int = 1) -> SearchPage:
    """One page of the buyer's search, by relevance or by distance from the chosen place (no position: last)."""
    centroids = cached_centroids()
    entries, departments = matching_suppliers(criteria, centroids, reasons=False)  # reasons: for the page shown
    origin, origin_label = _origin(criteria, user, centroids) if (criteria.lieu or criteria.appel) else (None, "")
    hits = []
    for entry in entries:
        point = _company_point(entry.company, centroids) if origin else None
        hits.append(SearchHit(entry, round(float(haversine_km(*origin, *point)), 1) if point else None))
    if criteria.tri == "distance" and origin:
        # A stable sort: equal distances keep the relevance order.
        hits.sort(key=lambda hit: (hit.distance_km is None, hit.distance_km or 0.0))
    shown = list_page(hits, page, PAGE_SIZE)
    entries = explained([hit.entry for hit in shown.items], criteria, departments)
    search.load_offers(entries)  # the page lists them
    hits = [SearchHit(entry, hit.distance_km) for entry, hit in zip(entries, shown.items, strict=True)]
    return SearchPage(hits, shown.total, shown.page, shown.pages, shown.first_rank, origin_label,
                      departments)


def organisation_tenders(user: User) -> list[Tender]:
    """The organisation's tenders a distance may start from (newest first)."""
    stmt = (select(Tender).where(Tender.buyer_organisation_id == user.buyer_organisation_id)
            .order_by(Tender.id.desc()).limit(200))
    return list(db.session.scalars(stmt))


def query_words(text: str) -> list[str]:
    """The query's folded words worth highlighting (three characters or more)."""
    words = {w for w in re.findall(r"\w+", fold(text or "")) if len(w) >= HIGHLIGHT_MIN_CHARS}
    return sorted(words, key=len, reverse=True)


_fold_char = functools.lru_cache(maxsize=4096)(fold)  # result lists repeat the same few hundred characters


def highlight(text: str | None, words: list[str]) -> Markup:
    """``text`` escaped, with every word starting like a query word wrapped in <mark> (accents and case folded).

    Folding is done character by character so that positions in the folded text map back to the original: the
    character at folded position ``p`` is the first whose folded pieces end after ``p``.
    """
    text = text or ""
    if not words or not text:
        return Markup(escape(text))
    folded = list(map(_fold_char, text))
    ends = list(accumulate(map(len, folded)))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")\w*")
    pieces, last = [], 0
    for found in pattern.finditer("".join(folded)):
        start, end = bisect_right(ends, found.start()), bisect_right(ends, found.end() - 1) + 1
        if start < last:
            continue
        pieces.append(escape(text[last:start]))
        pieces.append(Markup("<mark>%s</mark>") % text[start:end])
        last = end
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)
