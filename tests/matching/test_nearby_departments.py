"""The ``geo`` signal's nearby departments: department centroids, scores, reasons and their loader."""

import math
import pickle

import pytest

from matching import Engine, Supplier, Tender
from matching.signals import department_centroids, load_department_centroids

# Rough department centres (lat, lon): Paris, Hauts-de-Seine, Bouches-du-Rhône, Nord.
CENTRES = {"75": (48.86, 2.34), "92": (48.84, 2.25), "13": (43.54, 5.09), "59": (50.45, 3.22)}

SUPPLIERS = [
    Supplier(id="near", name="Net", description="Nettoyage de bureaux", departments=("92",)),
    Supplier(id="far", name="Net", description="Nettoyage de bureaux", departments=("13",)),
    Supplier(id="north", name="Net", description="Nettoyage de bureaux", departments=("59",)),
    Supplier(id="nowhere", name="Net", description="Nettoyage de bureaux"),
]
TENDER = Tender(id="t", title="nettoyage de bureaux", department="75")


def test_a_nearby_department_outranks_a_distant_one_with_a_reason():
    results = Engine(department_coords=CENTRES).fit(SUPPLIERS).shortlist(TENDER, k=4)
    assert [m.supplier_id for m in results] == ["near", "north", "far", "nowhere"]
    geo = {m.supplier_id: m.components["geo"] for m in results}
    assert 0 < geo["far"] < geo["north"] < geo["near"] <= 0.6  # capped below a served department
    assert geo["nowhere"] == 0
    assert "intervient dans un département proche : 92 (à 7 km du 75, de centre à centre)" in results[0].reasons
    # 185 km and 660 km away: scored a little, not called close.
    assert not any("proche" in r for m in results[1:] for r in m.reasons)


def test_the_nearest_of_a_suppliers_departments_counts():
    suppliers = [Supplier(id="multi", name="Net", description="Nettoyage", departments=("13", "59", "92"))]
    best = Engine(department_coords=CENTRES).fit(suppliers).shortlist(TENDER, k=1)[0]
    assert any("proche : 92" in r for r in best.reasons)
    assert best.components["geo"] == pytest.approx(0.6 * math.exp(-7 / 200), abs=0.01)


def test_a_nearby_supplier_survives_the_candidate_cut():
    # Forty suppliers far away with closer text, and one nearby: only 5 candidates are re-ranked.
    crowd = [Supplier(id=f"far{i:02d}", name="Net", description="Nettoyage de bureaux et de vitres",
                      departments=("13",)) for i in range(40)]
    near = Supplier(id="near", name="Net", description="Nettoyage de bureaux", departments=("92",))
    tender = Tender(id="t", title="nettoyage de bureaux et de vitres", department="75")
    results = Engine(department_coords=CENTRES, n_candidates=5).fit([*crowd, near]).shortlist(tender, k=3)
    assert results[0].supplier_id == "near"


def test_geo_weight_default_depends_on_the_centroids():
    assert Engine(department_coords=CENTRES).fit(SUPPLIERS)._weights()["geo"] == 0.4
    assert Engine().fit(SUPPLIERS)._weights()["geo"] == 0.3
    assert Engine(department_coords=CENTRES, geo_weight=0.1).fit(SUPPLIERS)._weights()["geo"] == 0.1


@pytest.mark.parametrize("params", [{"nearby_department_max": 1.5}, {"nearby_department_max": -0.1},
                                    {"nearby_department_scale_km": 0}])
def test_out_of_range_nearby_parameters_are_refused(params):
    with pytest.raises(ValueError, match="nearby_department"):
        Engine(department_coords=CENTRES, **params).fit(SUPPLIERS)


def test_delta_segment_and_pickling_keep_the_nearby_credit():
    engine = Engine(department_coords=CENTRES, refit_below=0).fit(SUPPLIERS[1:])
    engine.add(SUPPLIERS[0])  # goes to the delta segment (no refit)
    assert engine.shortlist(TENDER, k=1)[0].supplier_id == "near"
    clone = pickle.loads(pickle.dumps(engine))
    assert clone.shortlist(TENDER, k=4) == engine.shortlist(TENDER, k=4)


def test_a_tender_postcode_gives_the_department():
    best = Engine(department_coords=CENTRES).fit(SUPPLIERS).shortlist(
        Tender(id="t", title="nettoyage de bureaux", postcode="75011"), k=1)[0]
    assert best.supplier_id == "near"


def test_served_department_still_scores_one():
    suppliers = [*SUPPLIERS, Supplier(id="paris", name="Net 75", description="Nettoyage de bureaux",
                                      departments=("75",))]
    best = Engine(department_coords=CENTRES).fit(suppliers).shortlist(TENDER, k=1)[0]
    assert best.supplier_id == "paris"
    assert best.components["geo"] == 1.0
    assert "intervient dans le département 75" in best.reasons


def test_without_centroids_only_the_same_department_counts():
    results = Engine().fit(SUPPLIERS).shortlist(TENDER, k=4)
    assert {m.components["geo"] for m in results} == {0.0}
    assert not any("proche" in r for m in results for r in m.reasons)


def test_nearby_credit_can_be_switched_off():
    results = Engine(department_coords=CENTRES, nearby_department_max=0).fit(SUPPLIERS).shortlist(TENDER, k=4)
    assert {m.components["geo"] for m in results} == {0.0}


def test_tender_department_without_centroid_gets_no_nearby_credit():
    results = Engine(department_coords=CENTRES).fit(SUPPLIERS).shortlist(
        Tender(id="t", title="nettoyage de bureaux", department="971"), k=4)
    assert {m.components["geo"] for m in results} == {0.0}


def test_malformed_centroids_are_ignored():
    coords = {"75": (48.86, 2.34), "92": ("x", 2.25), "13": (math.nan, 5.0), "ZZ": (1.0, 1.0), "59": None}
    engine = Engine(department_coords=coords).fit(SUPPLIERS)
    assert engine.department_coords_ == {"75": (48.86, 2.34)}
    assert {m.components["geo"] for m in engine.shortlist(TENDER, k=4)} == {0.0}


def test_coordinates_reason_when_the_site_is_closer_than_the_departments():
    suppliers = [Supplier(id="s", name="Net", description="Nettoyage", departments=("92",), lat=48.87, lon=2.35)]
    best = Engine(department_coords=CENTRES).fit(suppliers).shortlist(
        Tender(id="t", title="nettoyage", department="75", lat=48.86, lon=2.34), k=1)[0]
    assert best.components["geo"] > 0.9
    assert any("km du lieu d'exécution" in r for r in best.reasons)
    assert not any("proche" in r for r in best.reasons)


def test_department_centroids_average_points_and_skip_bad_ones():
    centres = department_centroids([("75", 48.0, 2.0), ("75", 49.0, 3.0), ("2a", 41.9, 8.7), ("ZZ", 1.0, 1.0),
                                    ("13", math.nan, 5.0), ("1", 46.0, 5.0)])
    assert centres == {"75": (48.5, 2.5), "2A": (41.9, 8.7), "01": (46.0, 5.0)}


def test_load_department_centroids_counts_each_commune_once(tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text(
        "Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;coordonnees_gps\n"
        "75056;PARIS;75001;;PARIS;48.0,2.0\n"
        "75056;PARIS;75002;;PARIS;48.0,2.0\n"
        "75056;PARIS;75003;;PARIS;48.0,2.0\n"
        "75999;AUTRE;75004;;AUTRE;50.0,4.0\n"
        "2A004;AJACCIO;20000;;AJACCIO;41.93,8.74\n"
        "97101;ABYMES;97139;;ABYMES;16.27,-61.5\n"
        "13001;AIX;13100;;AIX;\n"
        "13002;BAD;13100;;BAD;not,gps\n", encoding="utf-8")
    assert load_department_centroids(path) == {"75": (49.0, 3.0), "2A": (41.93, 8.74), "971": (16.27, -61.5)}


def test_load_department_centroids_reads_a_byte_order_mark_and_refuses_other_files(tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text("Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;coordonnees_gps\n"
                    "75056;PARIS;75001;;PARIS;48.0,2.0\n", encoding="utf-8-sig")
    assert load_department_centroids(path) == {"75": (48.0, 2.0)}
    path.write_text("insee;gps\n75056;48.0,2.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="coordonnees_gps"):
        load_department_centroids(path)


@pytest.mark.refdata
def test_real_postcode_base_gives_every_department(shared_data):
    path = shared_data / "postcodes" / "laposte_hexasmal_2020.csv"
    if not path.is_file():
        pytest.skip(f"La Poste postcode base not found at {path}")
    centres = load_department_centroids(path)
    assert len(centres) == 101
    assert centres["75"] == pytest.approx((48.86, 2.34), abs=0.05)
    assert 41 < centres["2B"][0] < 43.1
