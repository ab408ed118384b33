"""Loading the official reference files: counts, idempotence, transactions, the CLI."""

import shutil

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Commune, CpvCode, NafCode, PostcodeEntry, Qpv, QpvArea, RefdataImport
from marketplace.refdata.loader import RefdataError, load_directory, table_counts

pytestmark = pytest.mark.refdata


def test_full_folder_counts(app):
    counts = table_counts()
    assert counts["cpv"] == 9454
    assert counts["naf"] == 732
    assert counts["qpv"] == 1493
    assert counts["postcodes"] == 39192
    assert counts["qpv_areas"] == 105
    assert counts["communes"] >= 35_000


def test_rows_are_shaped(app):
    cleaning = db.session.get(CpvCode, "90910000-9")
    assert (cleaning.label_fr, cleaning.level) == ("Services de nettoyage", "classe")
    assert cleaning.parent_digits == "90900000"
    assert db.session.get(NafCode, "43.34Z").section == "F"
    qpv = db.session.get(Qpv, "QN05907M")
    assert qpv is not None
    assert qpv.department == "59"
    toulouse = db.session.get(Commune, "31555")
    assert toulouse.name == "Toulouse"
    assert toulouse.region == "Occitanie"
    assert toulouse.source == "anct"
    assert db.session.get(QpvArea, "QP031010").name == "Empalot"


def test_loading_twice_gives_the_same_counts_and_skips_unchanged_files(app, shared_data_dir):
    before = table_counts()
    summary = load_directory(shared_data_dir)
    assert all(result.skipped for result in summary.files)
    assert summary.rows("cpv") == 9454
    assert summary.rows("postcodes") == 39192
    assert table_counts() == before
    forced = load_directory(shared_data_dir, force=True)
    assert not any(result.skipped for result in forced.files)
    assert table_counts() == before


def _copy_cpv_with(tmp_path, shared_data_dir, bad_line: str):
    folder = tmp_path / "data"
    (folder / "cpv").mkdir(parents=True)
    shutil.copy(shared_data_dir / "naf" / "naf_rev2_sousclasses.csv", tmp_path / "naf.csv")
    (folder / "naf").mkdir()
    shutil.copy(tmp_path / "naf.csv", folder / "naf" / "naf_rev2_sousclasses.csv")
    lines = (shared_data_dir / "cpv" / "cpv_2008_fr_en.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(10, bad_line)  # becomes line 11 of the file
    (folder / "cpv" / "cpv_2008_fr_en.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("bad_line", ["4526100-4,Code trop court,Short code", "45261000-4,,Missing label"])
def test_a_malformed_file_is_rejected_with_its_line_and_nothing_is_loaded(app, tmp_path, shared_data_dir, bad_line):
    db.session.execute(sa.delete(CpvCode))
    db.session.execute(sa.delete(NafCode))
    db.session.execute(sa.delete(RefdataImport))
    db.session.commit()
    folder = _copy_cpv_with(tmp_path, shared_data_dir, bad_line)
    with pytest.raises(RefdataError, match=r"cpv_2008_fr_en\.csv, ligne 11"):
        load_directory(folder)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CpvCode)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NafCode)) == 0  # valid file not loaded either


def test_cli_load_reports_counts_and_errors(app, runner, tmp_path, shared_data_dir):
    result = runner.invoke(args=["refdata", "load", str(shared_data_dir)])
    assert result.exit_code == 0, result.output
    assert "cpv_2008_fr_en.csv : 9454 lignes" in result.output
    assert "laposte_hexasmal_2020.csv : 39192 lignes" in result.output
    folder = _copy_cpv_with(tmp_path, shared_data_dir, "pas-un-code,x,y")
    result = runner.invoke(args=["refdata", "load", str(folder)])
    assert result.exit_code == 1
    assert "Aucune donnée chargée" in result.output
    assert "ligne 11" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PostcodeEntry)) == 39192


def test_polygon_files_in_another_projection_are_refused(app, tmp_path):
    (tmp_path / "qpv").mkdir()
    (tmp_path / "qpv" / "qp_lambert.geojson").write_text(
        '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:2154"}},'
        ' "features": [{"type": "Feature", "properties": {"code_qp": "QN03106I"},'
        ' "geometry": {"type": "Polygon", "coordinates": [[[570000, 6270000], [570100, 6270000], [570000, 6270100],'
        " [570000, 6270000]]]}}]}",
        encoding="utf-8",
    )
    with pytest.raises(RefdataError, match="WGS84"):
        load_directory(tmp_path)
