"""The inclusive-purchasing report on a hand-checked fixture: page, CSV and XLSX agree; access; bad periods.

Organisation A (the buyer's), period 2027:
- award 1 (15/02/2027, tender CPV 90, whole tender): Net Horizon alone, 10 000,00 €; Net Horizon was DECLARED on
  the award date and is VERIFIED today: it counts as declared;
- award 2 (20/05/2027, lot 1, lot CPV 77 / tender CPV 90): a consortium, 9 000,00 € split Net Horizon (verified
  at award, dep. 93) 5 000,00 €, Jardins Solidaires (declared, dep. 95) 3 000,00 €, Propre Cité (not in QPV,
  dep. 75) 1 000,00 €;
- award 3 (10/11/2027, tender CPV 45): Propre Cité 2 000,00 € (not in QPV);
- award 4 (15/12/2026, outside the period): Net Horizon 50 000,00 € verified.
Organisation B: an award of 70 000,00 € in 2027 to Jardins Solidaires, never counted for A.

Expected for A in 2027: total 21 000 €, verified 5 000 €, declared 13 000 € (10 000 + 3 000), 3 awards;
departments: 93 -> 15 000 (5 000 verified, 10 000 declared, 2 awards), 95 -> 3 000 declared, 75 -> 3 000;
trades: 90 -> 10 000, 77 -> 9 000, 45 -> 2 000; quarters: T1 10 000, T2 9 000, T3 0, T4 2 000.
"""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from marketplace.buyers import report
from marketplace.extensions import db
from marketplace.models import (
    Award,
    AwardShare,
    CurationStatus,
    QpvStatus,
    Role,
    SupplierCuration,
    TenderInterest,
    TenderStatus,
)

PERIOD = {"du": "01/01/2027", "au": "31/12/2027"}


def _award(tender, day, winner, shares, lot=None):
    award = Award(tender_id=tender.id, lot_id=lot.id if lot else None, winner_name=winner, awarded_on=day,
                  amount_cents=sum(s[2] for s in shares))
    for company, status, cents, department in ((s[0], s[1], s[2], s[3]) for s in shares):
        award.shares.append(AwardShare(company_id=company.id, company_name=company.name,
                                       company_siret=company.siret, department=department, amount_cents=cents,
                                       qpv_status_at_award=status))
    db.session.add(award)
    return award


@pytest.fixture
def world(make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    other = make_user(Role.BUYER)
    supplier = make_user(Role.SUPPLIER)
    net = make_supplier(name="Net Horizon", qpv_status=QpvStatus.VERIFIED, department="93")
    jardins = make_supplier(name="Jardins Solidaires", qpv_status=QpvStatus.DECLARED, department="95")
    propre = make_supplier(name="Propre Cité", qpv_status=QpvStatus.NOT_IN_QPV, department="75")
    closed = {"status": TenderStatus.AWARDED}
    t1 = make_tender(buyer=buyer, title="Nettoyage", cpv_codes=["90910000"], **closed)
    t2 = make_tender(buyer=buyer, title="Entretien", cpv_codes=["90600000"],
                     lots=({"title": "Espaces verts", "cpv_codes": ["77310000"]},), **closed)
    t3 = make_tender(buyer=buyer, title="Travaux", cpv_codes=["45000000"], **closed)
    t4 = make_tender(buyer=buyer, title="Ancien marché", cpv_codes=["90910000"], **closed)
    tb = make_tender(buyer=other, title="Autre organisation", cpv_codes=["90910000"], **closed)
    _award(t1, date(2027, 2, 15), "Net Horizon", [(net, QpvStatus.DECLARED, 1_000_000, "93")])
    _award(t2, date(2027, 5, 20), "Groupement Net Horizon", [
        (net, QpvStatus.VERIFIED, 500_000, "93"), (jardins, QpvStatus.DECLARED, 300_000, "95"),
        (propre, QpvStatus.NOT_IN_QPV, 100_000, "75")], lot=t2.lots[0])
    _award(t3, date(2027, 11, 10), "Propre Cité", [(propre, QpvStatus.NOT_IN_QPV, 200_000, "75")])
    _award(t4, date(2026, 12, 15), "Net Horizon", [(net, QpvStatus.VERIFIED, 5_000_000, "93")])
    _award(tb, date(2027, 6, 1), "Jardins Solidaires", [(jardins, QpvStatus.DECLARED, 7_000_000, "95")])
    # Curation: Net Horizon answered (so contacted and invited too), Jardins contacted; another organisation's
    # curation of Propre Cité and Jardins never counts.
    # Jardins declared interest in March 2027 (so it answered); a curation changed in 2026 is outside the period.
    org = buyer.buyer_organisation_id
    march, old = datetime(2027, 3, 1, 10, tzinfo=UTC), datetime(2026, 3, 1, 10, tzinfo=UTC)

    def curation(organisation, tender, company, status, when=march):
        return SupplierCuration(buyer_organisation_id=organisation, tender_id=tender.id, company_id=company.id,
                                status=status, created_at=when, updated_at=when)

    db.session.add_all([
        curation(org, t1, net, CurationStatus.ANSWERED),
        curation(org, t1, jardins, CurationStatus.CONTACTED),
        curation(org, t3, propre, CurationStatus.INVITED),
        curation(org, t4, jardins, CurationStatus.KEPT, old),
        curation(other.buyer_organisation_id, tb, jardins, CurationStatus.KEPT),
        TenderInterest(tender=t1, company=jardins, lot_ids=[], created_at=march),
    ])
    db.session.commit()
    return {"buyer": buyer, "other": other, "supplier": supplier}


def _year_2027(user):
    return report.build_report(user, report.Period(date(2027, 1, 1), date(2027, 12, 31)))


def test_figures_by_hand(world):
    data = _year_2027(world["buyer"])
    t = data.totals
    assert (t.total, t.verified, t.declared, t.awards) == (2_100_000, 500_000, 1_300_000, 3)
    assert data.companies_won == 3
    assert [(r.label, r.total, r.verified, r.declared, r.awards) for r in data.departments] == [
        ("93", 1_500_000, 500_000, 1_000_000, 2), ("75", 300_000, 0, 0, 2), ("95", 300_000, 0, 300_000, 1)]
    assert [(r.label[:2], r.total, r.verified, r.declared) for r in data.trades] == [
        ("90", 1_000_000, 0, 1_000_000), ("77", 900_000, 500_000, 300_000), ("45", 200_000, 0, 0)]
    assert [(r.label, r.total) for r in data.quarters] == [
        ("T1 2027", 1_000_000), ("T2 2027", 900_000), ("T3 2027", 0), ("T4 2027", 200_000)]
    engagement = {e.label: (e.verified, e.declared) for e in data.engagement}
    # Curation counts today's status (Net Horizon verified); "won" counts the status on the award date, a company
    # verified on one award is counted once, as verified.
    assert engagement == {"Contactées": (1, 1), "Invitées": (1, 0), "Ont répondu": (1, 1),
                          "Attributaires": (1, 1)}


def test_other_organisation_sees_only_its_own(world):
    data = _year_2027(world["other"])
    assert (data.totals.total, data.totals.declared, data.totals.awards) == (7_000_000, 7_000_000, 1)
    assert {e.label: e.total for e in data.engagement}["Contactées"] == 1


def test_page_shows_the_figures(client, auth, world):
    auth.login_as(world["buyer"])
    page = client.get("/acheteur/rapport", query_string=PERIOD)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for figure in ("21 000,00 €", "5 000,00 €", "13 000,00 €", "15 000,00 €", "T3 2027", "85,7 %"):
        assert figure in text
    assert "70 000,00" not in text
    assert "50 000,00" not in text
    assert 'role="img"' in text
    assert "Voir les données du graphique" in text


def test_method_note_says_engagement_follows_the_last_update(client, auth, world):
    auth.login_as(world["buyer"])
    text = client.get("/acheteur/rapport", query_string=PERIOD).get_data(as_text=True)
    assert "dernière mise à jour du suivi dans la période" in " ".join(text.split())


def test_empty_period(client, auth, world):
    auth.login_as(world["buyer"])
    text = client.get("/acheteur/rapport", query_string={"du": "01/01/2030", "au": "31/12/2030"}).get_data(
        as_text=True)
    assert "Aucune attribution sur cette période" in text


def test_default_period_is_this_year(client, auth, world):
    auth.login_as(world["buyer"])
    page = client.get("/acheteur/rapport")
    this_year = date.today().year
    assert page.status_code == 200
    assert f"01/01/{this_year} au 31/12/{this_year}" in page.get_data(as_text=True)
    last = client.get("/acheteur/rapport", query_string={"periode": "annee-derniere"}).get_data(as_text=True)
    assert f"01/01/{this_year - 1} au 31/12/{this_year - 1}" in last


def test_csv_download(client, auth, world):
    auth.login_as(world["buyer"])
    response = client.get("/acheteur/rapport.csv", query_string=PERIOD)
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    flat = {row[0]: row[1:] for row in rows if row}
    assert flat["Montant total attribué (€)"] == ["21000,00"]
    assert flat["Montant QPV vérifié (€)"] == ["5000,00"]
    assert flat["Montant QPV déclaré (€)"] == ["13000,00"]
    assert flat["93"] == ["15000,00", "5000,00", "10000,00", "100,00", "2"]
    assert flat["T2 2027"] == ["9000,00", "5000,00", "3000,00", "88,90", "1"]
    assert flat["Attributaires"] == ["1", "1", "2"]
    assert not any("70000" in cell for row in rows for cell in row)


def test_xlsx_download(client, auth, world):
    auth.login_as(world["buyer"])
    response = client.get("/acheteur/rapport.xlsx", query_string=PERIOD)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Synthèse", "Entreprises QPV engagées", "Par département", "Par métier",
                               "Par trimestre"]
    synthesis = {row[0]: row[1] for row in book["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert synthesis["Montant total attribué (€)"] == 21000
    assert synthesis["Montant QPV déclaré (€)"] == 13000
    departments = list(book["Par département"].iter_rows(values_only=True))
    assert departments[0][:3] == ("Département", "Montant total (€)", "QPV vérifié (€)")
    assert departments[1] == ("93", 15000, 5000, 10000, 100, 2)
    quarters = [row[0] for row in book["Par trimestre"].iter_rows(min_row=2, values_only=True)]
    assert quarters == ["T1 2027", "T2 2027", "T3 2027", "T4 2027"]


def test_access(client, auth, world):
    assert client.get("/acheteur/rapport").status_code == 302
    assert "/compte/connexion" in client.get("/acheteur/rapport.csv").headers["Location"]
    auth.login_as(world["supplier"])
    for url in ("/acheteur/rapport", "/acheteur/rapport.csv", "/acheteur/rapport.xlsx"):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(("args", "message"), [
    ({"du": "31/12/2027", "au": "01/01/2027"}, "La date de fin doit être postérieure"),
    ({"du": "abc", "au": "31/12/2027"}, "Date invalide : utilisez le format JJ/MM/AAAA."),
    ({"du": "01/01/2027", "au": ""}, "Indiquez les deux dates"),
    ({"du": "01/01/2000", "au": "31/12/2027"}, "dix ans au plus"),
    ({"du": "01/01/1900", "au": "31/12/2027"}, "Indiquez une date entre 2000 et"),
    ({"periode": "", "du": "31/12/9999", "au": "31/12/9999"}, "Indiquez une date entre 2000 et"),
    ({"du": "01/01/0001", "au": "01/01/0001"}, "Indiquez une date entre 2000 et"),
    ({"periode": "<script>"}, None),
])
def test_bad_period(client, auth, world, args, message):
    auth.login_as(world["buyer"])
    page = client.get("/acheteur/rapport", query_string=args)
    assert page.status_code == (422 if message else 200)
    text = page.get_data(as_text=True)
    if message:
        assert message in text
        assert 'value="abc"' in text if args["du"] == "abc" else True
    assert "<script>" not in text.split("<main", 1)[-1].split("</main>")[0]
    assert client.get("/acheteur/rapport.csv", query_string=args).status_code == 200


@pytest.mark.parametrize("day", [date.min, date.max, date(9999, 12, 30)])
def test_bounds_at_the_ends_of_the_calendar(day):
    start, end = report.Period(day, day).bounds()
    assert start < end


def test_period_label_and_workbook_built_by_the_report_module(world):
    assert report.Period(date(2027, 1, 1), date(2027, 12, 31)).label == "du 01/01/2027 au 31/12/2027"
    assert report.Period(date(2027, 3, 12), date(2027, 3, 12)).label == "le 12/03/2027"
    data = report.build_report(world["buyer"], report.Period(date(2027, 1, 1), date(2027, 12, 31)))
    book = load_workbook(io.BytesIO(report.report_xlsx(data)))
    assert book.sheetnames == [title[:31] for title, _, _ in report.tables(data)]
