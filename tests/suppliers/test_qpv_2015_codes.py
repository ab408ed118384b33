"""2015 QPV contours lead to the current QPV of the same commune: a 2015 code is never stored as current."""

import json
import re

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Commune, PostcodeEntry, Qpv, QpvArea, QpvCommune, QpvStatus, QpvStatusChange
from marketplace.refdata.eligibility import assess
from marketplace.refdata.qpv_names import NAME_MATCH_THRESHOLD, is_2015_code, match_current_qpv

TOULOUSE_2024 = [("QN03106I", "Pradettes"), ("QN03107M", "Grand Mirail"), ("QN03110M", "Izards - 3 Cocus - La Vache"),
                 ("QN03112M", "Breguet Lecrivain - Saint Exupéry"), ("QN03117N", "Lalande Nord")]
GRAND_MIRAIL = (43.5735, 1.4020)  # the position of the issue, inside the 2015 "Grand Mirail" contour
BOURBAKI = (43.6450, 1.4250)  # inside a 2015 contour whose neighbourhood has no current namesake


# ------------------------------------------------------------------------------------------- name matching


@pytest.mark.parametrize(("code", "expected"), [("QP031007", True), ("QP02A001", True), ("QP971002", True),
                                                ("QN03107M", False), ("QP03107", False), ("", False), (None, False)])
def test_2015_codes_are_told_apart_from_current_ones(code, expected):
    assert is_2015_code(code) is expected


@pytest.mark.parametrize(("old_name", "commune", "candidates", "code", "certain"), [
    ("Grand Mirail", "Toulouse", TOULOUSE_2024, "QN03107M", True),
    ("Centre Ville", "Limoux", [("QN01110I", "Centre-ville")], "QN01110I", True),  # punctuation and case
    ("Coeur De Ville", "Lavelanet", [("QN00901M", "Cœur De Ville")], "QN00901M", True),  # ligature
    ("Saint Exupéry", "Toulouse", TOULOUSE_2024, "QN03112M", False),  # the 2024 QPV grew: probable, not certain
    ("Les Izards - La Vache", "Toulouse", TOULOUSE_2024, "QN03110M", False),
    ("Bourbaki", "Toulouse", TOULOUSE_2024, None, False),  # no longer a QPV
    # the commune's own name does not make two neighbourhoods alike
    ("Narbonne Est", "Narbonne", [("QN01107I", "Narbonne Ouest"), ("QN01108I", "Narbonne Centre")], None, False),
    ("Quartier Gare", "Perpignan", [("QN06608I", "Quartier Centre Ancien")], None, False),
    ("Centre", "Ville", [("A", "Centre Ancien"), ("B", "Centre Nord")], None, False),  # ambiguous: no choice made
    ("Narbonne Est", "Narbonne", [("QN01109I", "Narbonne Est"), ("QN01107I", "Narbonne Ouest")], "QN01109I", True),
])
def test_a_2015_name_matches_the_current_qpv_of_the_commune(old_name, commune, candidates, code, certain):
    match = match_current_qpv(old_name, candidates, commune_name=commune)
    if code is None:
        assert match is None
    else:
        assert (match.code, match.certain) == (code, certain)
        assert match.score >= NAME_MATCH_THRESHOLD


# ------------------------------------------------------------------------------------ small reference data


def _square(lat: float, lon: float, half: float = 0.006) -> str:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half],
            [lon - half, lat - half]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def toulouse(app):
    """Toulouse with two 2015 contours and part of its current (2024) QPV list."""
    db.session.add(Commune(insee="31555", name="Toulouse", department="31", region="Occitanie", lat=43.6045,
                           lon=1.4440, source="anct"))
    db.session.add(PostcodeEntry(postcode="31100", commune_insee="31555", commune_name="TOULOUSE",
                                 routing_label="TOULOUSE", lat=43.6045, lon=1.4440))
    for code, name in TOULOUSE_2024:
        db.session.add(Qpv(code=code, name=name, department="31"))
        db.session.add(QpvCommune(qpv_code=code, commune_insee="31555", commune_name="Toulouse"))
    for code, name, (lat, lon) in (("QP031007", "Grand Mirail", GRAND_MIRAIL), ("QP031009", "Bourbaki", BOURBAKI)):
        db.session.add(QpvArea(code=code, name=name, department="31", commune_insee="31555", commune_name="Toulouse",
                               geometry=_square(lat, lon), source="qp2015_test.geojson"))
    db.session.commit()


def _locate(client, company, lat, lon):
    data = {"name": company.name, "siret": company.siret, "legal_form": "SAS", "structure_type": "entreprise",
            "address": "1 allée du Mirail", "postcode": "31100", "commune_insee": "31555", "lat": str(lat),
            "lon": str(lon), "headcount": "3", "annual_revenue": "", "description": "", "website": "",
            "action": "save"}
    assert client.post(f"/entrepreneur/entreprises/{company.id}/profil", data=data).status_code == 302


def test_assessment_offers_the_current_qpv_never_the_2015_code(toulouse):
    inside = assess("31100", "31555", *GRAND_MIRAIL)
    assert inside.hit.code == "QP031007"  # the contour, as loaded
    assert inside.current.code == "QN03107M"  # what the entrepreneur is offered
    assert not any(is_2015_code(code) for code, _ in inside.options)
    assert "QP031007" not in inside.verdict
    elsewhere = assess("31100", "31555", *BOURBAKI)
    assert elsewhere.hit.code == "QP031009"
    assert elsewhere.current is None
    assert [code for code, _ in elsewhere.options] == [code for code, _ in TOULOUSE_2024]


def test_a_point_in_a_2015_contour_leads_to_the_current_qpv_of_the_same_name(client, auth, make_supplier, toulouse):
    company = make_supplier()
    auth.login_as(company.owner)
    _locate(client, company, *GRAND_MIRAIL)
    html = client.get(f"/entrepreneur/entreprises/{company.id}/qpv").get_data(as_text=True)
    assert "dans le QPV QN03107M Grand Mirail" in html
    assert "2015" in html  # honest about the contour's age
    assert "QP031007" not in html
    assert re.search(r'<input checked[^>]*value="QN03107M"', html)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QN03107M"})
    assert page.status_code == 302
    db.session.refresh(company)
    assert (company.qpv_status, company.qpv_code) == (QpvStatus.DECLARED, "QN03107M")
    change = db.session.scalars(sa.select(QpvStatusChange)).one()
    assert change.method == "geolocation"
    assert "contour 2015 QP031007" in change.reason  # the evidence stays in the audit trail


def test_a_2015_code_is_refused_with_a_hint(client, auth, make_supplier, toulouse):
    company = make_supplier()
    auth.login_as(company.owner)
    _locate(client, company, *GRAND_MIRAIL)
    page = client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QP031007"})
    assert page.status_code == 422
    assert "géographie 2015" in page.get_data(as_text=True)
    db.session.refresh(company)
    assert company.qpv_code is None


def test_a_2015_contour_with_no_current_namesake_lets_the_entrepreneur_choose(client, auth, make_supplier,
                                                                               toulouse):
    company = make_supplier()
    auth.login_as(company.owner)
    _locate(client, company, *BOURBAKI)
    html = client.get(f"/entrepreneur/entreprises/{company.id}/qpv").get_data(as_text=True)
    assert "contour de 2015" in html
    assert "Bourbaki" in html
    assert "QP031009" not in html
    assert all(f'value="{code}"' in html for code, _ in TOULOUSE_2024)
    assert client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QN03106I"}).status_code == 302
    db.session.refresh(company)
    assert (company.qpv_status, company.qpv_code) == (QpvStatus.DECLARED, "QN03106I")
    assert db.session.scalars(sa.select(QpvStatusChange)).one().method == "declaration"


@pytest.mark.refdata
def test_the_real_grand_mirail_position_stores_the_current_code(client, auth, make_supplier):
    company = make_supplier()
    auth.login_as(company.owner)
    _locate(client, company, *GRAND_MIRAIL)
    html = client.get(f"/entrepreneur/entreprises/{company.id}/qpv").get_data(as_text=True)
    assert "dans le QPV QN03107M Grand Mirail" in html
    assert "QP031007" not in html
    assert client.post(f"/entrepreneur/entreprises/{company.id}/qpv", data={"qpv_code": "QN03107M"}).status_code == 302
    db.session.refresh(company)
    assert (company.qpv_status, company.qpv_code) == (QpvStatus.DECLARED, "QN03107M")
