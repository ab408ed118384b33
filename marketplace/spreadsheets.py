"""Files for French spreadsheets and their download: CSV, XLSX sheets, ASCII file names, the attachment response.

One place for what every export needs (events, and later the buyers' exports): text typed by users goes into
cells a spreadsheet could run as a formula, so every text cell goes through :func:`spreadsheet_text`; CSV files
are UTF-8 with a BOM and ``;`` (French Excel opens them as columns); downloads are never cached (names and
e-mail addresses of people).
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from flask import Response, current_app
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# A cell starting with one of these is a formula (or starts one) in Excel, LibreOffice and Google Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
SHEET_TITLE_MAX = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def spreadsheet_text(value) -> str:
    """Text safe for a spreadsheet cell: a leading apostrophe keeps "=HYPERLINK(...)" or "-2+3" as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cell(value):
    """Numbers stay numbers; any other value is guarded text."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else spreadsheet_text(value)


def csv_decimal(value):
    """A float as French Excel reads it in a CSV ("12500,50": a comma, no thousands separator); others unchanged."""
    return f"{value:.2f}".replace(".", ",") if isinstance(value, float) else value


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """A CSV for French Excel: UTF-8 with BOM, ``;``, CRLF; every cell guarded (an empty row stays empty)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if header:
        writer.writerow([_cell(value) for value in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_title(title: str) -> str:
    """A valid, 31-character sheet title (Excel refuses ``[]:*?/\\`` and longer names)."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("-", title or "").strip("'").strip()
    return cleaned[:SHEET_TITLE_MAX].strip() or "Feuille"


def add_sheet(workbook: Workbook, title: str, header: Sequence, rows: Iterable[Sequence],
              widths: Sequence[int] | None = None):
    """Append a sheet: bold header, first row frozen, every text cell of every column stored as text (openpyxl
    would store "=..." as a formula), wrapped; ``widths`` per column from A. Returns the sheet."""
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # stored as a string, never run: no apostrophe needed in a workbook
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or (), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ascii_slug(text: str, fallback: str = "", max_length: int | None = None) -> str:
    """ASCII, lower case, hyphens ("Événement 2027" -> "evenement-2027"): safe in a file name or an address;
    ``fallback`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if max_length is not None:
        slug = slug[:max_length].strip("-")
    return slug or fallback


def _ascii_filename(filename: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-.") or "fichier"


def download(content: bytes, mimetype: str, filename: str) -> Response:
    """The file as an attachment: an ASCII ``filename`` for old clients and the exact one as ``filename*``
    (RFC 6266); never cached."""
    response = current_app.response_class(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = (f'attachment; filename="{_ascii_filename(filename)}"; '
                                               f"filename*=UTF-8''{quote(filename, safe='')}")
    response.headers["Cache-Control"] = "no-store"
    return response
