"""The curated shortlist exported as CSV (French Excel) and XLSX, parsed back and checked against the page."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from marketplace.buyers import curation
from marketplace.buyers.exports import HEADERS, SEARCH_HEADERS
from marketplace.models import QpvStatus, Role
from marketplace.spreadsheets import spreadsheet_text

pytestmark = pytest.mark.usefixtures("fresh_engine")

CLEANING = {"title": "Nettoyage de bureaux", "description": "Entretien et vitrerie des bureaux",
            "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "bureaux", "vitrerie"], "departments": ["93"]}


@pytest.fixture
def market(make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    shared = make_supplier(name="Net Horizon", qpv_status=QpvStatus.VERIFIED, qpv_code="QN09328M",
                           commune_name="Saint-Denis", contact_email="contact@nethorizon.fr",
                           contact_phone="01 23 45 67 89", contact_shown=True, offers=(CLEANING,))
    private = make_supplier(name="=HYPERLINK(\"http://x\")", contact_email="secret@exemple.fr",
                            contact_phone="06 00 00 00 00", contact_shown=False, offers=(CLEANING,))
    tender = make_tender(buyer=buyer, title="Nettoyage des bureaux du siège", cpv_codes=["90910000-9"],
                         description="Nettoyage et vitrerie des bureaux",
                         lots=({"title": "Vitrerie", "cpv_codes": ["90911300-9"]},
                               {"title": "Bureaux", "cpv_codes": ["90910000-9"]}))
    curation.save(buyer, tender.id, shared.id, lot_id=None, status="kept", note="-Très réactive; devis reçu")
    curation.save(buyer, tender.id, private.id, lot_id=None, status="dismissed", note="Trop loin")
    curation.save(buyer, tender.id, shared.id, lot_id=tender.lots[1].id, status="invited", note="Lot bureaux")
    return {"buyer": buyer, "shared": shared, "private": private, "tender": tender}


def url(tender, suffix):
    return f"/acheteur/appels-d-offres/{tender.id}/fournisseurs{suffix}"


def read_csv(response):
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def page_names(client, tender, query="?ecartes=1"):
    html = client.get(url(tender, query)).get_data(as_text=True)
    return re.findall(r'<span class="rank">(\d+)\.</span>\s*<a href="[^"]+">([^<]+)</a>', html)


def test_csv_parses_back_and_matches_the_page(client, auth, market):
    auth.login_as(market["buyer"])
    answer = client.get(url(market["tender"], ".csv"))
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = read_csv(answer)
    assert tuple(rows[0]) == HEADERS
    by_name = {r[1]: dict(zip(HEADERS, r, strict=True)) for r in rows[1:]}
    # Same companies, same ranks as the page (dismissed lines shown).
    shown = page_names(client, market["tender"])
    assert [(r[0], r[1].removeprefix("'")) for r in rows[1:]] == [(rank, name.replace("&#34;", '"'))
                                                                  for rank, name in shown]
    shared = by_name["Net Horizon"]
    assert shared["SIRET"] == market["shared"].siret
    assert shared["Commune"] == "Saint-Denis"
    assert shared["QPV (statut)"] == market["shared"].qpv_status_label
    assert shared["Statut de suivi"] == "Retenu"
    assert shared["Note"] == "'-Très réactive; devis reçu"  # formula-like start defused; ';' kept by quoting
    assert shared["E-mail de contact"] == "contact@nethorizon.fr"
    assert shared["Téléphone de contact"] == "01 23 45 67 89"
    assert 0 < int(shared["Score (%)"]) <= 100
    assert shared["Raisons"]
    private = by_name["'=HYPERLINK(\"http://x\")"]
    assert private["Statut de suivi"] == "Écarté"
    assert private["E-mail de contact"] == private["Téléphone de contact"] == ""
    assert "secret@exemple.fr" not in answer.get_data(as_text=True)


def test_csv_of_one_lot(client, auth, market):
    auth.login_as(market["buyer"])
    lot = market["tender"].lots[1]
    rows = read_csv(client.get(url(market["tender"], f".csv?lot={lot.id}")))
    line = next(r for r in rows[1:] if r[1] == "Net Horizon")
    assert line[8:10] == ["Invité", "Lot bureaux"]
    assert client.get(url(market["tender"], ".csv?lot=abc")).status_code == 200
    assert client.get(url(market["tender"], ".csv?lot=999999")).status_code == 404


def test_xlsx_has_a_sheet_per_lot_with_styled_frozen_headers(client, auth, market):
    auth.login_as(market["buyer"])
    answer = client.get(url(market["tender"], ".xlsx"))
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.get_data()))
    assert book.sheetnames == ["Appel d'offres entier", "Lot 1", "Lot 2"]
    csv_rows = read_csv(client.get(url(market["tender"], ".csv")))
    for sheet in book.worksheets:
        assert tuple(c.value for c in sheet[1]) == HEADERS
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
    # The same cells; the CSV guards formula-like text with an apostrophe, the workbook stores it as text.
    whole = [[spreadsheet_text(v) for v in r] for r in book["Appel d'offres entier"].iter_rows(
        min_row=2, values_only=True)]
    assert whole == csv_rows[1:]
    note = next(r[9] for r in book["Appel d'offres entier"].iter_rows(min_row=2, values_only=True)
                if r[1] == "Net Horizon")
    assert note == "-Très réactive; devis reçu"
    assert next(c for c in book["Appel d'offres entier"]["J"] if c.value == note).data_type == "s"  # never a formula
    lot2 = {r[1]: r for r in book["Lot 2"].iter_rows(min_row=2, values_only=True)}
    assert lot2["Net Horizon"][8:10] == ("Invité", "Lot bureaux")
    assert all("secret@exemple.fr" not in str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True)
               for v in r)


def test_exports_never_carry_another_organisations_notes(client, auth, make_user, market, make_tender):
    stranger = make_user(Role.BUYER)
    own = make_tender(buyer=stranger, title="Nettoyage des bureaux", cpv_codes=["90910000-9"],
                      description="Nettoyage et vitrerie des bureaux")
    auth.login_as(stranger)
    assert client.get(url(market["tender"], ".csv")).status_code == 404
    assert client.get(url(market["tender"], ".xlsx")).status_code == 404
    rows = read_csv(client.get(url(own, ".csv")))
    assert len(rows) > 1
    assert all(r[8] == "À contacter" and r[9] == "" for r in rows[1:])
    book = load_workbook(io.BytesIO(client.get(url(own, ".xlsx")).get_data()))
    values = {str(v) for r in book.active.iter_rows(values_only=True) for v in r}
    assert not {"Retenu", "Trop loin", "-Très réactive; devis reçu"} & values


def test_anonymous_and_suppliers_cannot_export(client, auth, make_user, market):
    assert client.get(url(market["tender"], ".csv")).status_code == 302
    auth.login_as(make_user(Role.SUPPLIER))
    assert client.get(url(market["tender"], ".xlsx")).status_code == 403


def test_search_results_export_the_same_way(client, auth, market):
    auth.login_as(market["buyer"])
    html = client.get("/acheteur/fournisseurs?q=nettoyage+bureaux").get_data(as_text=True)
    assert "/acheteur/fournisseurs.csv?q=nettoyage+bureaux" in html
    rows = read_csv(client.get("/acheteur/fournisseurs.csv?q=nettoyage+bureaux"))
    assert tuple(rows[0]) == SEARCH_HEADERS
    names = [r[1].removeprefix("'") for r in rows[1:]]
    assert names == [n.replace("&#34;", '"') for n in re.findall(r'<span class="rank">\d+\.</span>\s*<a href="[^"]+">'
                                                                  r"([^<]+)</a>", html)]
    shared = next(r for r in rows[1:] if r[1] == "Net Horizon")
    assert shared[-2:] == ["contact@nethorizon.fr", "01 23 45 67 89"]
    assert "secret@exemple.fr" not in client.get("/acheteur/fournisseurs.csv?q=nettoyage").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/acheteur/fournisseurs.xlsx?q=nettoyage+bureaux&qpv=1").get_data()))
    assert book.sheetnames == ["Recherche"]
    assert [r[1] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["Net Horizon"]
    assert read_csv(client.get("/acheteur/fournisseurs.csv"))[1:] == []
