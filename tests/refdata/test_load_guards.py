"""Truncated or shrunken reference files are refused, with the old data left exactly as it was (issue 9, 6)."""

import json

import pytest
import sqlalchemy as sa
from shapely.geometry import shape

from marketplace.extensions import db
from marketplace.models import CpvCode, PostcodeEntry, QpvArea, RefdataImport
from marketplace.refdata.loader import RefdataError, load_directory
from tests.refdata.builders import (
    cpv_lines,
    point,
    polygon,
    snapshot,
    square,
    write_cpv,
    write_geojson,
    write_postcodes,
)

POSTCODES = [
    "93066;ST DENIS;93200;;ST DENIS;48.9295650455,2.3592429975",
    "93008;BOBIGNY;93000;;BOBIGNY;48.9076284223,2.43899181658",
    "55138;CULEY;55000;;CULEY;",  # La Poste gives no point for some communes: accepted, no point
]


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def loaded(app, tmp_path):
    """A database holding 100 CPV codes and three postcode lines, loaded from tmp_path/good."""
    good = tmp_path / "good"
    write_cpv(good, cpv_lines(100))
    write_postcodes(good, POSTCODES)
    load_directory(good)
    assert _count(CpvCode) == 100
    return snapshot()


# ------------------------------------------------------------------------------------------ truncated CSV


def test_a_csv_cut_inside_its_last_line_is_refused_with_the_line_number(loaded, tmp_path):
    lines = cpv_lines(120)
    lines[-1] = lines[-1][: lines[-1].index(",Works") + 6]  # "...,Works n": cut inside the English label
    write_cpv(tmp_path / "cut", lines, final_newline=False)
    with pytest.raises(RefdataError, match=r"cpv_2008_fr_en\.csv, ligne 121 : .*tronqué"):
        load_directory(tmp_path / "cut")
    assert snapshot() == loaded


def test_a_last_line_with_missing_fields_is_refused(loaded, tmp_path):
    lines = cpv_lines(120)
    lines[-1] = lines[-1].split(",")[0]  # only the code, newline kept
    write_cpv(tmp_path / "cut", lines)
    with pytest.raises(RefdataError, match=r"ligne 121 : .*champs manquants"):
        load_directory(tmp_path / "cut")
    assert snapshot() == loaded


def test_a_postcode_file_cut_inside_the_gps_field_is_refused(loaded, tmp_path):
    write_postcodes(tmp_path / "cut", [*POSTCODES, "93001;AUBERVILLIERS;93300;;AUBERVILLIERS;48.91,2.3"],
                    final_newline=False)
    with pytest.raises(RefdataError, match=r"laposte_hexasmal_2020\.csv, ligne 5 : .*tronqué"):
        load_directory(tmp_path / "cut")
    assert snapshot() == loaded


@pytest.mark.parametrize("gps", ["48.9141,-0", "48.9141,", "48.9141", ",2.38", "48.9141,-", "48.9141;2.38"])
def test_partial_gps_coordinates_are_refused_not_read_as_zero(loaded, tmp_path, gps):
    line = f"93001;AUBERVILLIERS;93300;;AUBERVILLIERS;{gps}"
    write_postcodes(tmp_path / "bad", [POSTCODES[0], line, *POSTCODES[1:]])
    with pytest.raises(RefdataError, match=r"ligne 3 : (coordonnées GPS|.*champs)"):
        load_directory(tmp_path / "bad")
    assert snapshot() == loaded


def test_an_empty_gps_field_still_loads_without_a_point(loaded):
    culey = db.session.scalars(sa.select(PostcodeEntry).where(PostcodeEntry.commune_insee == "55138")).one()
    assert (culey.lat, culey.lon) == (None, None)


# ------------------------------------------------------------------------------------------ shrinking


def test_a_load_that_shrinks_a_table_by_more_than_5_percent_is_refused(loaded, tmp_path):
    write_cpv(tmp_path / "small", cpv_lines(10))
    with pytest.raises(RefdataError, match=r"100 -> 10 lignes \(-90,0 %\).*--allow-shrink"):
        load_directory(tmp_path / "small")
    assert snapshot() == loaded
    load_directory(tmp_path / "small", allow_shrink=True)
    assert _count(CpvCode) == 10


def test_a_small_shrink_is_accepted(loaded, tmp_path):
    write_cpv(tmp_path / "fewer", cpv_lines(95))  # -5 %: within the margin
    load_directory(tmp_path / "fewer")
    assert _count(CpvCode) == 95


def test_the_shrink_message_formats_numbers_the_french_way(app, tmp_path):
    write_cpv(tmp_path / "big", cpv_lines(9454))
    load_directory(tmp_path / "big")
    write_cpv(tmp_path / "small", cpv_lines(10))
    with pytest.raises(RefdataError, match=r"9 454 -> 10 lignes \(-99,9 %\)"):
        load_directory(tmp_path / "small")
    assert _count(CpvCode) == 9454


def test_a_csv_without_any_data_line_is_refused(app, tmp_path):
    write_cpv(tmp_path / "empty", [])
    with pytest.raises(RefdataError, match=r"cpv_2008_fr_en\.csv.*aucune ligne"):
        load_directory(tmp_path / "empty")
    assert _count(RefdataImport) == 0


def test_the_cli_refuses_a_shrink_and_accepts_it_with_allow_shrink(loaded, runner, tmp_path):
    write_cpv(tmp_path / "small", cpv_lines(10))
    result = runner.invoke(args=["refdata", "load", str(tmp_path / "small")])
    assert result.exit_code == 1
    assert "Aucune donnée chargée" in result.output
    assert "100 -> 10 lignes (-90,0 %)" in result.output
    assert snapshot() == loaded
    result = runner.invoke(args=["refdata", "load", str(tmp_path / "small"), "--allow-shrink"])
    assert result.exit_code == 0, result.output
    assert _count(CpvCode) == 10


# ------------------------------------------------------------------------------------------ GeoJSON


def test_an_empty_feature_collection_is_refused_and_leaves_no_journal_row(loaded, tmp_path):
    write_geojson(tmp_path / "empty", "anct_qpv2024_communes_centroides.geojson", [])
    with pytest.raises(RefdataError, match=r"centroides\.geojson.*aucune entité"):
        load_directory(tmp_path / "empty")
    assert snapshot() == loaded
    good = tmp_path / "good_centroids"
    write_geojson(good, "anct_qpv2024_communes_centroides.geojson",
                  [point("93066", "Saint-Denis", 2.35, 48.93, "QN09328M")])
    load_directory(good)
    assert set(db.session.scalars(sa.select(RefdataImport.kind))) == {"cpv", "postcodes", "qpv_centroids",
                                                                      "commune_names"}


def test_a_geojson_file_read_again_as_another_kind_leaves_no_stale_journal_row(app, tmp_path):
    write_geojson(tmp_path / "a", "contours.geojson", [polygon("QN03106I", square(1.43, 43.59))])
    load_directory(tmp_path / "a")
    assert _count(QpvArea) == 1
    write_geojson(tmp_path / "b", "contours.geojson", [point("31555", "Toulouse", 1.44, 43.6, "QN03106I")])
    load_directory(tmp_path / "b")
    assert set(db.session.scalars(sa.select(RefdataImport.kind))) == {"qpv_centroids", "commune_names"}
    assert _count(QpvArea) == 0  # the contours of the superseded import went with its journal row


def test_a_self_intersecting_polygon_is_repaired(app, tmp_path):
    bowtie = [(1.40, 43.50), (1.42, 43.52), (1.42, 43.50), (1.40, 43.52), (1.40, 43.50)]
    assert not shape({"type": "Polygon", "coordinates": [bowtie]}).is_valid
    write_geojson(tmp_path, "contours.geojson", [polygon("QN03106I", square(1.43, 43.59)), polygon("QN03107M", bowtie)])
    summary = load_directory(tmp_path)
    geometry = json.loads(db.session.get(QpvArea, "QN03107M").geometry)
    repaired = shape(geometry)
    assert repaired.is_valid
    assert geometry["type"] in ("Polygon", "MultiPolygon")
    assert repaired.area == pytest.approx(0.0002)  # both triangles of the bow-tie kept
    assert "1 polygone réparé" in summary.describe()


def test_a_polygon_that_cannot_be_repaired_is_refused_with_its_feature_number(loaded, tmp_path):
    flat = [(1.40, 43.50), (1.41, 43.51), (1.42, 43.52), (1.41, 43.51), (1.40, 43.50)]  # a spike: no area at all
    write_geojson(tmp_path / "bad", "contours.geojson",
                  [polygon("QN03106I", square(1.43, 43.59)), polygon("QN03107M", flat)])
    with pytest.raises(RefdataError, match=r"contours\.geojson, entité 2 : .*polygone"):
        load_directory(tmp_path / "bad")
    assert snapshot() == loaded


def test_a_contour_file_that_loses_most_of_its_polygons_is_refused(app, tmp_path):
    write_geojson(tmp_path / "a", "contours.geojson",
                  [polygon(f"QN0310{n}M", square(1.0 + n / 10, 43.5)) for n in range(1, 10)])
    load_directory(tmp_path / "a")
    before = snapshot()
    write_geojson(tmp_path / "b", "contours.geojson", [polygon("QN03101M", square(1.1, 43.5))])
    with pytest.raises(RefdataError, match=r"9 -> 1 lignes \(-88,9 %\)"):
        load_directory(tmp_path / "b")
    assert snapshot() == before
