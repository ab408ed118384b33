"""The curated shortlist and the supplier search results as CSV (French Excel: UTF-8 with BOM, ``;``) and XLSX
(the shortlist: a sheet for the whole tender, then one per lot).

Only the exporting organisation's statuses and notes are read (``curation.all_lines``); contact details
appear only for the companies that agreed to show them to buyers (``contact_shown``). The files are written by
``marketplace.spreadsheets`` (formula guard, BOM and ``;``, sheets).
"""

from __future__ import annotations

from openpyxl import Workbook

from ..models import CURATION_STATUS_LABELS, Lot, Tender, User
from ..spreadsheets import add_sheet, ascii_slug, csv_bytes, workbook_bytes
from . import curation, services

HEADERS = ("Rang", "Entreprise", "SIRET", "Commune", "Département", "QPV (statut)", "Score (%)", "Raisons",
           "Statut de suivi", "Note", "E-mail de contact", "Téléphone de contact")
def _ranked_values(rank: int, entry, status: str | None, note: str | None) -> list:
    """One row; without ``status`` (a search result) the two follow-up columns are left out."""
    company = entry.company
    shown = bool(company.contact_shown)
    reasons = " ; ".join(("Attention : " if r.is_caution else "") + r.text for r in entry.match.explanations)
    values = [rank, company.name, company.siret, company.commune_name or "", company.department or "",
              company.qpv_status_label, round(entry.match.score * 100), reasons,
              *((status, note) if status is not None else ()),
              (company.contact_email or "") if shown else "", (company.contact_phone or "") if shown else ""]
    return values


def line_values(line: curation.Line) -> list:
    return _ranked_values(line.rank, line.entry, CURATION_STATUS_LABELS[line.status], line.note)


SEARCH_HEADERS = HEADERS[:8] + HEADERS[10:]


WIDTHS = (6, 32, 16, 20, 12, 16, 10, 60, 16, 40, 28, 18)
SEARCH_WIDTHS = WIDTHS[:8] + WIDTHS[10:]


def search_csv(results) -> bytes:
    """Supplier search results (no follow-up: they belong to no tender), same format as the shortlist."""
    return csv_bytes(SEARCH_HEADERS, (_ranked_values(rank, entry, None, None) for rank, entry in enumerate(results, 1)))


def search_xlsx(results) -> bytes:
    book = Workbook()
    book.remove(book.active)
    rows = (_ranked_values(rank, entry, None, None) for rank, entry in enumerate(results, 1))
    add_sheet(book, "Recherche", SEARCH_HEADERS, rows, SEARCH_WIDTHS)
    return workbook_bytes(book)


def filename(tender: Tender, extension: str) -> str:
    return f"fournisseurs-{tender.id}-{ascii_slug(tender.title, 'appel-d-offres', max_length=40)}.{extension}"


def shortlist_csv(user: User, tender_id: int, *, lot_id: int | None = None) -> tuple[Tender, bytes]:
    """The shortlist of the tender (or one lot), every line including the dismissed ones; 404 if not the user's."""
    tender = services.get_tender(user, tender_id)
    lot = curation.lot_of(tender, lot_id)
    return tender, csv_bytes(HEADERS, (line_values(line) for line in curation.all_lines(user, tender, lot)))


def _sheet_title(lot: Lot | None) -> str:
    """Sheet names are unique by construction (lot numbers are unique in a tender)."""
    return "Appel d'offres entier" if lot is None else f"Lot {lot.number}"


def shortlist_xlsx(user: User, tender_id: int) -> tuple[Tender, bytes]:
    """One sheet for the whole tender, then one per lot: bold filled header, frozen header row."""
    tender = services.get_tender(user, tender_id)
    book = Workbook()
    book.remove(book.active)
    for lot in [None, *tender.lots]:
        rows = (line_values(line) for line in curation.all_lines(user, tender, lot))
        add_sheet(book, _sheet_title(lot), HEADERS, rows, WIDTHS)
    return tender, workbook_bytes(book)
