"""Buyer sourcing rules: ranked shortlists for a tender or lot, free-text supplier search, supplier sheets.

Ranking itself is the engine's (through marketplace.search); this module adds the buyer's point of view:
ownership of the tender, the QPV-only option (a filter inside the engine: a QPV-only list is as long as any
other whenever enough QPV companies match) and the pagination-free top-k lists a buyer curates.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import search
from ..extensions import db
from ..models import SupplierCompany, User
from ..opportunities import services as opportunity_services
from ..refdata.departments import is_department, normalise_department
from ..refdata.lookups import naf_label
from . import services

SHORTLIST_SIZE = 10
SEARCH_SIZE = 30
MAX_QUERY_CHARS = 500
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
