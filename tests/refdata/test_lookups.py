"""Look-ups over the loaded files: postcodes, point-in-QPV, declared QPV, CPV autocomplete."""

import pytest

from marketplace.refdata import cpv_lookup
from marketplace.refdata.departments import department_name, list_departments, region_of
from marketplace.refdata.eligibility import assess
from marketplace.refdata.lookups import communes_for_postcode, communes_for_postcodes, parse_cpv_list, qpv_of_commune
from marketplace.refdata.qpv_geo import locate

EMPALOT = (43.57895, 1.44002)  # inside the Empalot contour (Toulouse)
CAPITOLE = (43.6045, 1.4440)  # Toulouse city centre, in no QPV


@pytest.mark.refdata
def test_a_postcode_offers_its_communes(app):
    names = [c.name for c in communes_for_postcode("31700")]
    assert len(names) >= 2
    assert "Blagnac" in names
    assert [c.insee for c in communes_for_postcode("31500")] == ["31555"]
    assert communes_for_postcode("x") == []
    assert communes_for_postcode("00000") == []


@pytest.mark.refdata
def test_many_postcodes_are_looked_up_in_one_query_with_the_same_answers(app):
    from sqlalchemy import event

    from marketplace.extensions import db

    postcodes = ["31700", "31500", "93200", "x", "00000", " 31700 "]
    expected = {p.strip(): communes_for_postcode(p) for p in postcodes if communes_for_postcode(p)}
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = communes_for_postcodes(postcodes)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert found == expected
    assert set(found) == {"31700", "31500", "93200"}
    # One probe that the table is loaded, then one lookup for all the postcodes (not one per postcode).
    assert len(statements) == 2
    assert len([s for s in statements if "ref_postcodes.postcode IN" in s]) == 1


@pytest.mark.refdata
def test_point_in_toulouse_qpv_polygon(app):
    hit = locate(*EMPALOT)
    assert (hit.code, hit.name) == ("QP031010", "Empalot")
    assert locate(*CAPITOLE) is None


@pytest.mark.refdata
def test_exact_point_inside_a_contour_is_geolocated(app):
    inside = assess("31400", "31555", *EMPALOT)
    assert inside.exact_point
    assert inside.contours_loaded
    assert inside.geolocated
    outside = assess("31000", "31555", *CAPITOLE)
    assert outside.contours_loaded
    assert outside.hit is None
    assert "n'est pas dans un QPV" in outside.verdict
    centroid = assess("31000", "31555", None, None)
    assert not centroid.exact_point
    assert not centroid.geolocated
    assert "QN03106I" in {code for code, _ in centroid.options}  # the commune's 2024 QPV are declarable


@pytest.mark.refdata
def test_commune_qpv_come_from_the_official_list(app):
    codes = {q.code for q in qpv_of_commune("93066")}
    assert "QN09328M" in codes
    assert len(codes) > 3
    assert qpv_of_commune("01001") == []


@pytest.mark.refdata
def test_autocomplete_ranks_cleaning_first_for_a_typo(app):
    results = cpv_lookup.complete("netoyage", 10)
    assert results[0].code.startswith("909")
    assert all(r.code.startswith(("909", "398")) for r in results[:3])
    assert cpv_lookup.complete("Nettoyâge", 3)[0].code == results[0].code  # accent-insensitive
    assert cpv_lookup.complete("90910", 5)[0].code == "90910000-9"


@pytest.mark.refdata
def test_cpv_codes_are_checked_against_the_table(app):
    known, unknown = parse_cpv_list("90910000-9, 45261000 , 99999999, 90910000-1, n'importe")
    assert known == ["90910000-9", "45261000-4"]
    assert unknown == ["99999999", "90910000-1", "n'importe"]


def test_fallback_mode_without_files(app):
    assert [c.name for c in communes_for_postcode("93200")] == ["Saint-Denis"]
    assert [q.code for q in qpv_of_commune("93066")] == ["QN09328M"]
    assert len(cpv_lookup.cpv_lookup().full_code) == 45
    assert cpv_lookup.complete("travaux", 5)[0].code == "45000000-7"
    known, unknown = parse_cpv_list("90910000-9, 12345678")
    assert known == ["90910000-9"]
    assert unknown == ["12345678"]
    assert locate(*EMPALOT) is None
    assessment = assess("31500", "31555", None, None)
    assert not assessment.contours_loaded
    assert [code for code, _ in assessment.options] == ["QN03106I"]


def test_departments_and_regions():
    assert len(list_departments()) == 101
    assert department_name("93") == "Seine-Saint-Denis"
    assert department_name("2a") == "Corse-du-Sud"
    assert region_of("31") == "Occitanie"
    assert region_of("974") == "La Réunion"
    assert region_of("99") == ""
