"""Buyer sourcing rules: the steered supplier search, its exports and saved searches' matches, supplier sheets.

Ranking itself is the engine's (through marketplace.search); this module adds the buyer's point of view: the
filters the engine does not apply (structure type, headcount), distances from a place, the QPV-only option (a
filter inside the engine: a QPV-only list is as long as any other whenever enough QPV companies match) and pages.
The tender shortlists a buyer curates are in curation.py.
"""

import functools
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

from markupsafe import Markup, escape
from sqlalchemy import Row, func, select
from sqlalchemy.orm import selectinload

import matching
from matching.signals import haversine_km
from matching.text import fold

from .. import search
from ..extensions import db
from ..models import QPV_STATUSES_SHOWN, Commune, Offer, SupplierCompany, Tender, User
from ..models.suppliers import QpvStatus
from ..opportunities import services as opportunity_services
from ..refdata.departments import department_name, department_of_postcode
from ..refdata.lookups import communes_for_postcode, department_centroids, naf_label, refdata_version
from ..validators import list_page
from .search_forms import HEADCOUNT_BANDS, SearchCriteria

# The QPV-only option keeps companies whose QPV is declared (shown as "to be checked") or verified.
QPV_ONLY = "any"


def interests_for(tender) -> list:
    """Active interests in the buyer's tender (the caller checked the tender is the organisation's)."""
    return opportunity_services.interests_for_buyer(tender)


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
SHOWN_OFFERS = 5


@dataclass(frozen=True)
class SearchHit:
    entry: search.RankedSupplier
    distance_km: float | None  # None: no position for the company (listed last when sorting by distance)
    offer_titles: tuple[str, ...] = ()  # the first SHOWN_OFFERS of its offers


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


def _company_point(company: SupplierCompany | Row, centroids) -> tuple[float, float] | None:
    if company.lat is not None and company.lon is not None:
        return company.lat, company.lon
    return centroids.get(company.department or "")


def _keeps(company: SupplierCompany | Row, criteria: SearchCriteria) -> bool:
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


# What the search's own filters (structure type, headcount band) and distances read of each ranked supplier: a few
# columns of up to SEARCH_LIMIT companies, the whole company only for the page shown.
_FACTS = (SupplierCompany.id, SupplierCompany.structure_type, SupplierCompany.headcount, SupplierCompany.lat,
          SupplierCompany.lon, SupplierCompany.department)


@dataclass(frozen=True)
class Ranked:
    match: matching.Match  # without its reasons
    facts: Row | None  # its company's _FACTS (what ``_keeps`` and ``_company_point`` read) when the criteria use them

    @property
    def company_id(self) -> int:
        return int(self.match.supplier_id)


def _has_place(criteria: SearchCriteria) -> bool:
    """A place distances start from: a postcode or department, or one of the organisation's tenders."""
    return bool(criteria.lieu or criteria.appel)


def _needs_facts(criteria: SearchCriteria) -> bool:
    return bool(criteria.type or criteria.effectif or _has_place(criteria))


def ranked_suppliers(criteria: SearchCriteria, centroids=None) -> tuple[list[Ranked], tuple]:
    """Every supplier (up to SEARCH_LIMIT) the criteria select, by relevance, and the departments applied.

    The engine is brought up to date with every committed change before it ranks (deleted companies included), so
    its ranking alone is the answer unless a filter or a distance needs the companies' facts."""
    if not criteria.q:  # the engine ranks words: filters alone select nothing
        return [], ()
    departments: tuple[str, ...] = ()
    if criteria.departement:
        departments = (neighbour_departments(criteria.departement, cached_centroids() if centroids is None
                                             else centroids) if criteria.voisins else (criteria.departement,))
    qpv = {"1": QPV_ONLY, "verifie": "verified"}.get(criteria.qpv)
    matches = search.search_matches(criteria.q, k=SEARCH_LIMIT, departments=departments,
                                    cpv_prefixes=(criteria.division,) if criteria.division else (),
                                    labels=tuple(criteria.labels), qpv=qpv, reasons=False)
    if not matches or not _needs_facts(criteria):
        return [Ranked(m, None) for m in matches], departments
    ids = [int(m.supplier_id) for m in matches]
    facts = {row.id: row for row in db.session.execute(select(*_FACTS).where(SupplierCompany.id.in_(ids)))}
    ranked = (Ranked(m, facts[i]) for m, i in zip(matches, ids, strict=True) if i in facts)  # deleted since: left out
    return [r for r in ranked if _keeps(r.facts, criteria)], departments


def _with_reasons(ranked: list[Ranked], criteria: SearchCriteria, departments: tuple) -> list[search.RankedSupplier]:
    """These suppliers' companies (offers not loaded) and reasons, as the search would give them."""
    entries = search.with_companies([r.match for r in ranked], offers=False)
    return search.explain_search(entries, criteria.q, departments=departments,
                                 cpv_prefixes=(criteria.division,) if criteria.division else ())


def matching_suppliers(criteria: SearchCriteria) -> list[search.RankedSupplier]:
    """Every supplier :func:`ranked_suppliers` selects, with its company (offers not loaded) and reasons (exports)."""
    ranked, departments = ranked_suppliers(criteria)
    return _with_reasons(ranked, criteria, departments)


def steered_search(user: User, criteria: SearchCriteria, page: int = 1) -> SearchPage:
    """One page of the buyer's search, by relevance or by distance from the chosen place (no position: last)."""
    centroids = cached_centroids()
    ranked, departments = ranked_suppliers(criteria, centroids)
    origin, origin_label = _origin(criteria, user, centroids) if _has_place(criteria) else (None, "")
    distances = {}
    if origin:
        for r in ranked:
            point = _company_point(r.facts, centroids)
            distances[r.match.supplier_id] = round(float(haversine_km(*origin, *point)), 1) if point else None
    if criteria.tri == "distance" and origin:
        # A stable sort: equal distances keep the relevance order.
        ranked = sorted(ranked, key=lambda r: (distances[r.match.supplier_id] is None,
                                               distances[r.match.supplier_id] or 0.0))
    shown = list_page(ranked, page, PAGE_SIZE)
    entries = _with_reasons(shown.items, criteria, departments)
    titles = _offer_titles([e.company.id for e in entries])
    hits = [SearchHit(e, distances.get(e.match.supplier_id), titles.get(e.company.id, ())) for e in entries]
    return SearchPage(hits, shown.total, shown.page, shown.pages, shown.first_rank, origin_label, departments)


def _offer_titles(company_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The first SHOWN_OFFERS offer titles of each company, by company id: the titles alone, not whole offers."""
    titles = defaultdict(list)
    stmt = select(Offer.supplier_id, Offer.title).where(Offer.supplier_id.in_(company_ids)).order_by(Offer.id)
    for company_id, title in db.session.execute(stmt) if company_ids else ():
        titles[company_id].append(title)
    return {company_id: tuple(found[:SHOWN_OFFERS]) for company_id, found in titles.items()}


def organisation_tenders(user: User) -> list[Tender]:
    """The organisation's tenders a distance may start from (newest first)."""
    stmt = (select(Tender).where(Tender.buyer_organisation_id == user.buyer_organisation_id)
            .order_by(Tender.id.desc()).limit(200))
    return list(db.session.scalars(stmt))


def query_words(text: str) -> tuple[str, ...]:
    """The query's folded words worth highlighting (three characters or more), longest first."""
    words = {w for w in re.findall(r"\w+", fold(text or "")) if len(w) >= HIGHLIGHT_MIN_CHARS}
    return tuple(sorted(words, key=len, reverse=True))


_fold_char = functools.lru_cache(maxsize=4096)(fold)  # result lists repeat the same few hundred characters


@functools.lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    """Any word starting like one of ``words`` (a page highlights a few texts per result with the same words)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")\w*")


def highlight(text: str | None, words: tuple[str, ...]) -> Markup:
    """``text`` escaped, with every word starting like a query word wrapped in <mark> (accents and case folded).

    Positions in the folded text must map back to the original. They are the same when every character folds to
    exactly one (ASCII, or accented letters: the usual case); otherwise (a ligature, a loose accent) the character
    at folded position ``p`` is the first whose folded pieces end after ``p``.
    """
    text = text or ""
    if not words or not text:
        return Markup(escape(text))
    ends = None
    if text.isascii():
        folded = fold(text)
    else:
        pieces = list(map(_fold_char, text))
        folded = "".join(pieces)
        if len(folded) != len(text) or "" in pieces:  # some character folded to none or to several
            ends = list(accumulate(map(len, pieces)))
    out, last = [], 0
    for found in _words_pattern(tuple(words)).finditer(folded):
        start, end = found.span() if ends is None else (bisect_right(ends, found.start()),
                                                        bisect_right(ends, found.end() - 1) + 1)
        if start < last:
            continue
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)
