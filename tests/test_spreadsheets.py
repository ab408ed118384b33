"""The shared spreadsheet helpers (marketplace.spreadsheets) and the event date labels, parsed back."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from marketplace.dates import date_range_label, day_label
from marketplace.demo.text import slugify
from marketplace.spreadsheets import add_sheet, ascii_slug, csv_bytes, download, spreadsheet_text, workbook_bytes


@pytest.mark.parametrize(("value", "expected"), [("=1+1", "'=1+1"), ("-2", "'-2"), ("+3", "'+3"), ("@x", "'@x"),
                                                 ("\t=1", "'\t=1"), ("Traiteur", "Traiteur"), ("", ""),
                                                 (None, ""), (12, "12")])
def test_spreadsheet_text(value, expected):
    assert spreadsheet_text(value) == expected


def test_csv_bytes_is_french_excel_csv_with_every_text_cell_guarded():
    content = csv_bytes(["nom", "=total"], [["Ville", 3], ["=HYPERLINK(\"x\")", "-2+3"], [], [None, 0]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [["nom", "'=total"], ["Ville", "3"], ["'=HYPERLINK(\"x\")", "'-2+3"], [], ["", "0"]]


def test_add_sheet_keeps_text_as_text_in_every_column():
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(workbook, "Rencontres: [jour 1] / matin et après-midi, bien trop long", ["A", "B"],
              [["Ville", "=SUM(A1:A2)"], [3, "+33 1"]], widths=[30, 12])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).worksheets[0]
    assert len(sheet.title) <= 31
    assert not set(sheet.title) & set("[]:*?/\\")
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["B2"].value == "=SUM(A1:A2)"
    assert sheet["B2"].data_type == "s"  # text, not a formula
    assert sheet["B3"].data_type == "s"
    assert sheet["A3"].value == 3
    assert sheet.column_dimensions["A"].width == 30


def test_download_is_an_uncached_attachment_with_an_ascii_and_an_exact_name(app):
    with app.test_request_context():
        response = download(b"x", "text/csv; charset=utf-8", "bilan-événement.csv")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="bilan-evenement.csv"; ')
    assert "filename*=UTF-8''bilan-%C3%A9v%C3%A9nement.csv" in disposition
    assert disposition.isascii()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.data == b"x"


def test_ascii_slug_and_the_demo_use_one_function():
    assert ascii_slug("« Qualifions nos Quartiers » 2027 !") == "qualifions-nos-quartiers-2027"
    assert ascii_slug("日本", "evenement") == "evenement"
    assert ascii_slug("a" * 100, max_length=80) == "a" * 80
    assert slugify is ascii_slug


def test_date_labels():
    assert day_label(date(2027, 3, 12)) == "12/03/2027"
    assert day_label(None) == ""
    assert date_range_label(date(2027, 3, 12), date(2027, 3, 12)) == "le 12/03/2027"
    assert date_range_label(date(2027, 3, 12)) == "le 12/03/2027"
    assert date_range_label(date(2027, 3, 12), date(2027, 3, 13)) == "du 12/03/2027 au 13/03/2027"
