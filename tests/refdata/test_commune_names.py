"""Commune names are the commune's own, in the official spelling, never a list of communes (issue 9, 7)."""

import csv
import unicodedata

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Commune, RefdataImport, SupplierCompany
from marketplace.refdata.loader import RefdataError, load_directory
from marketplace.refdata.lookups import communes_for_postcode
from marketplace.refdata.parsers import (
    choose_commune_name,
    commune_name_from_laposte,
    parser_for,
    single_commune_name,
)
from tests.refdata.builders import point, snapshot, write_geojson, write_postcodes, write_qpv_list

# Real names of La Poste's base (Nom_commune) and the official (COG) spelling the rule must give, accents aside.
LAPOSTE_NAMES = [
    ("ST DENIS", "Saint-Denis"),
    ("AUBERVILLIERS", "Aubervilliers"),
    ("LA COURNEUVE", "La Courneuve"),
    ("LE BAN ST MARTIN", "Le Ban-Saint-Martin"),
    ("LES PONTS DE CE", "Les Ponts-de-Ce"),
    ("ALISE STE REINE", "Alise-Sainte-Reine"),
    ("ANGLARDS DE ST FLOUR", "Anglards-de-Saint-Flour"),
    ("AIX EN PROVENCE", "Aix-en-Provence"),
    ("ISSY LES MOULINEAUX", "Issy-les-Moulineaux"),
    ("ADELANS ET LE VAL DE BITHAINE", "Adelans-et-le-Val-de-Bithaine"),
    ("L ABERGEMENT CLEMENCIAT", "L'Abergement-Clemenciat"),
    ("L AIGLE", "L'Aigle"),
    ("D HUISON LONGUEVILLE", "D'Huison-Longueville"),
    ("AIRE SUR L ADOUR", "Aire-sur-l'Adour"),
    ("AIGREFEUILLE D AUNIS", "Aigrefeuille-d'Aunis"),
    ("AVENAY VAL D OR", "Avenay-Val-d'Or"),
    ("CHEVIGNEY SUR L OGNON", "Chevigney-sur-l'Ognon"),
    ("PONT A MOUSSON", "Pont-à-Mousson"),
    ("MERY ES BOIS", "Mery-ès-Bois"),
    ("CASTELLARE DI CASINCA", "Castellare-di-Casinca"),
    ("WY DIT JOLI VILLAGE", "Wy-dit-Joli-Village"),
    ("CHERRE AU", "Cherre-Au"),  # a last word is a name, not a preposition
    ("AUX AUSSAT", "Aux-Aussat"),  # a first word too
    ("GOMMENEC H", "Gommenec'h"),
    ("MESNIL ROC H", "Mesnil-Roc'h"),
    ("ST M HERVE", "Saint-M'Herve"),
    ("M TSANGAMOUJI", "M'Tsangamouji"),
    ("Y", "Y"),
    ("PARIS 01", "Paris 1er Arrondissement"),
    ("PARIS 15", "Paris 15e Arrondissement"),
    ("MARSEILLE 01", "Marseille 1er Arrondissement"),
    ("MARSEILLE 13", "Marseille 13e Arrondissement"),
    ("LYON 09", "Lyon 9e Arrondissement"),
]


@pytest.mark.parametrize(("laposte", "official"), LAPOSTE_NAMES)
def test_the_la_poste_rule_gives_the_official_spelling(laposte, official):
    assert commune_name_from_laposte(laposte) == official


def test_the_rule_tidies_spaces_and_never_keeps_separators():
    assert commune_name_from_laposte("  ST   DENIS \r\n") == "Saint-Denis"
    assert commune_name_from_laposte("saint denis") == "Saint-Denis"
    assert commune_name_from_laposte("ST DENIS; STAINS|X") == "Saint-Denis-Stains-X"


@pytest.mark.parametrize("listed", ["Aubervilliers\r\nBobigny", "Aubervilliers\nBobigny", "Aubervilliers\rBobigny",
                                    " Aubervilliers \r\n Bobigny \r\n"])
def test_communes_listed_on_separate_lines_are_a_list(listed):
    # Line breaks separate communes as ";" does: they are looked for before the spaces are tidied.
    assert single_commune_name(listed) == ""
    assert choose_commune_name(None, None, {listed}) is None


def test_one_commune_name_is_tidied():
    assert single_commune_name("  Saint-Denis \r\n") == "Saint-Denis"  # line ends around one name are spacing
    assert single_commune_name("La   Courneuve") == "La Courneuve"
    assert single_commune_name(None) == single_commune_name("  ") == ""


def test_choosing_a_name():
    # the official file wins
    assert choose_commune_name("Garges-lès-Gonesse", "GARGES LES GONESSE", {"Garges"}) == "Garges-lès-Gonesse"
    # ANCT's spelling (accents) when it is the same name as La Poste's
    assert choose_commune_name(None, "MARCQ EN BAROEUL", {"Marcq-en-Barœul"}) == "Marcq-en-Barœul"
    assert choose_commune_name(None, "ST ETIENNE", {"Saint-Étienne", "Saint-Etienne"}) == "Saint-Étienne"
    # ... but not another name, nor a list of communes
    assert choose_commune_name(None, "GRIGNY", {"Grigny-sur-Rhône"}) == "Grigny"
    assert choose_commune_name(None, "ST DENIS", {"Aubervilliers; Bobigny; La Courneuve; Saint-Denis"}) == "Saint-Denis"
    assert choose_commune_name(None, None, {"Bobigny"}) == "Bobigny"
    assert choose_commune_name(None, None, {"Bobigny", "Drancy"}) is None
    assert choose_commune_name(None, None, {"Bobigny; Drancy"}) is None


# ------------------------------------------------------------------------------------------ loading


POSTCODES = [
    "93066;ST DENIS;93200;;ST DENIS;48.9295650455,2.3592429975",
    "93066;ST DENIS;93210;LA PLAINE ST DENIS;ST DENIS CEDEX;48.9295650455,2.3592429975",
    "93008;BOBIGNY;93000;;BOBIGNY;48.9076284223,2.43899181658",
    "93001;AUBERVILLIERS;93300;;AUBERVILLIERS;48.9121722626,2.38445513768",
    "93027;LA COURNEUVE;93120;;LA COURNEUVE;48.9322569546,2.39978064801",
    "93029;DRANCY;93700;;DRANCY;48.9234838947,2.44524548371",
    "95268;GARGES LES GONESSE;95140;;GARGES LES GONESSE;48.9727175826,2.40003924759",
    "75115;PARIS 15;75015;;PARIS;48.8400853759,2.29282582242",
]
MULTI = "Aubervilliers; Bobigny; La Courneuve; Saint-Denis"
QPV_LIST = [
    f'QN09328M,Franc Moisin - Cosmonautes - Cristino Garcia - Landy,93,"93001:{MULTI}|93008:Bobigny; Drancy|'
    f'93027:{MULTI}|93066:{MULTI}"',
    "QN09530M,Dame Blanche,95,95268:Garges-lès-Gonesse",
]
CENTROIDS = [
    point("93066", "Aubervilliers; Bobigny; La Courneuve;\r\n  Saint-Denis", 2.35, 48.93, "QN09328M"),
    point("93008", "Bobigny; Drancy", 2.44, 48.91, "QN09328M"),
    point("95268", "Garges-lès-Gonesse", 2.40, 48.97, "QN09530M"),
]


def _folder(tmp_path):
    folder = tmp_path / "data"
    write_postcodes(folder, POSTCODES)
    write_qpv_list(folder, QPV_LIST)
    write_geojson(folder, "anct_qpv2024_communes_centroides.geojson", CENTROIDS)
    return folder


def _names(postcode: str) -> list[str]:
    return [c.name for c in communes_for_postcode(postcode)]


def test_a_multi_commune_qpv_no_longer_renames_its_communes(app, tmp_path):
    load_directory(_folder(tmp_path))
    assert _names("93200") == ["Saint-Denis"]
    assert _names("93210") == ["Saint-Denis"]  # neither the locality (ligne 5) nor the routing label
    assert _names("93000") == ["Bobigny"]
    assert _names("93300") == ["Aubervilliers"]
    assert _names("93140") == []
    assert _names("95140") == ["Garges-lès-Gonesse"]  # ANCT's accents, same name as La Poste's
    assert _names("75015") == ["Paris 15e Arrondissement"]
    names = db.session.scalars(sa.select(Commune.name)).all()
    assert len(names) == 7
    assert [n for n in names if set(n) & {";", "\r", "\n", "|"}] == []
    assert db.session.get(Commune, "93066").lat == 48.93  # the ANCT centroid is still the reference point


def test_the_api_returns_the_commune_own_name(app, tmp_path, client, auth, make_user):
    load_directory(_folder(tmp_path))
    auth.login_as(make_user())
    results = client.get("/api/communes?postcode=93200").get_json()["results"]
    assert [(r["insee"], r["name"], r["label"]) for r in results] == [("93066", "Saint-Denis", "Saint-Denis (93066)")]


def _load_as_an_older_version_did(folder):
    """Names as the loader before issue 9 left them: lists of communes, La Poste's capitals, no names record."""
    load_directory(folder)
    corrupted = "Aubervilliers; Bobigny; La Courneuve;\r\n  Saint-Denis"
    db.session.execute(sa.update(Commune).where(Commune.insee == "93066").values(name=corrupted))
    db.session.execute(sa.update(Commune).where(Commune.insee == "93029").values(name="DRANCY"))
    db.session.execute(sa.delete(RefdataImport).where(RefdataImport.kind == "commune_names"))
    db.session.commit()
    return corrupted


def test_a_reload_repairs_names_already_loaded_and_the_companies_copies(app, tmp_path, make_supplier):
    folder = _folder(tmp_path)
    corrupted = _load_as_an_older_version_did(folder)
    company = make_supplier(postcode="93200", commune_insee="93066", commune_name=corrupted)
    elsewhere = make_supplier(postcode="93000", commune_insee="93008", commune_name="Bobigny")
    stamp = (company.updated_at, company.search_revision)
    db.session.commit()
    summary = load_directory(folder)  # unchanged files: skipped, yet the names are recomputed
    assert all(result.skipped for result in summary.files)
    assert db.session.get(Commune, "93066").name == "Saint-Denis"
    assert db.session.get(Commune, "93029").name == "Drancy"
    db.session.expire_all()
    assert db.session.get(SupplierCompany, company.id).commune_name == "Saint-Denis"
    assert (company.updated_at, company.search_revision) == stamp  # not an edit by the entrepreneur
    assert db.session.get(SupplierCompany, elsewhere.id).commune_name == "Bobigny"
    assert db.session.get(RefdataImport, "commune_names").row_count == 7  # names recorded as computed


def test_a_forced_reload_recomputes_the_names(app, tmp_path):
    folder = _folder(tmp_path)
    load_directory(folder)
    db.session.execute(sa.update(Commune).where(Commune.insee == "93066").values(name="ST DENIS"))
    db.session.commit()
    load_directory(folder)  # nothing changed since the names were computed: not computed again
    assert db.session.get(Commune, "93066").name == "ST DENIS"
    load_directory(folder, force=True)
    assert db.session.get(Commune, "93066").name == "Saint-Denis"


def test_corrupted_names_never_reach_the_api_even_before_a_reload(app, tmp_path):
    load_directory(_folder(tmp_path))
    db.session.execute(sa.update(Commune).where(Commune.insee == "93066").values(name="Saint-Denis; Stains"))
    db.session.commit()
    assert _names("93200") == ["Saint-Denis"]


# ------------------------------------------------------------------------------------------ INSEE COG file


def _write_cog(folder, rows, name="v_commune_2024.csv"):
    path = folder / "cog" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["TYPECOM", "COM", "REG", "DEP", "CTCD", "ARR", "TNCC", "NCC", "NCCENR", "LIBELLE", "CAN",
                         "COMPARENT"])
        writer.writerows(rows)
    return path


COG = [
    ["COM", "93066", "11", "93", "93D", "932", "0", "SAINT DENIS", "Saint-Denis", "Saint-Denis", "9399", ""],
    ["COM", "93008", "11", "93", "93D", "931", "0", "BOBIGNY", "Bobigny", "Bobigny", "9399", ""],
    ["COM", "95268", "11", "95", "95D", "953", "0", "GARGES LES GONESSE", "Garges-lès-Gonesse", "Garges-lès-Gonesse",
     "9599", ""],
    ["COMD", "95268", "11", "95", "95D", "953", "0", "ANCIENNE", "Ancienne", "Ancienne commune", "", "95268"],
    ["ARM", "75115", "11", "75", "75C", "751", "0", "PARIS 15", "Paris 15e Arrondissement",
     "Paris 15e Arrondissement", "", "75056"],
    ["COM", "93029", "11", "93", "93D", "931", "0", "DRANCY", "Drancy", "Drancy (officiel)", "9399", ""],
]


def test_the_official_cog_file_gives_the_names_when_present(app, tmp_path):
    folder = tmp_path / "data"
    write_postcodes(folder, POSTCODES)
    _write_cog(folder, COG)
    summary = load_directory(folder)
    assert "v_commune_2024.csv : 5 lignes (chargé)" in summary.describe()  # the COMD row skipped
    assert _names("93700") == ["Drancy (officiel)"]  # the file's LIBELLE, whatever the rule would say
    assert _names("95140") == ["Garges-lès-Gonesse"]  # the COMD row does not rename the commune
    assert _names("75015") == ["Paris 15e Arrondissement"]
    assert _names("93300") == ["Aubervilliers"]  # absent from the file: La Poste's name by the rule


def test_the_cog_names_stay_when_another_file_is_reloaded(app, tmp_path):
    folder = tmp_path / "data"
    write_postcodes(folder, POSTCODES)
    _write_cog(folder, COG)
    load_directory(folder)
    write_postcodes(folder, [*POSTCODES, "93048;MONTREUIL;93100;;MONTREUIL;48.8633175054,2.44816211857"])
    load_directory(folder)
    assert _names("93700") == ["Drancy (officiel)"]
    assert _names("93100") == ["Montreuil"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["COM", "93029", "11", "93", "", "", "0", "X", "X", "Drancy; Bobigny", "", ""], "ligne 3 : nom de commune"),
        (["COM", "9302", "11", "93", "", "", "0", "X", "X", "Drancy", "", ""], "ligne 3 : code commune INSEE"),
        (["COM", "93029", "11", "93", "", "", "0", "X", "X", "", "", ""], "ligne 3 : nom de commune"),
    ],
)
def test_a_malformed_cog_file_is_refused_with_its_line(app, tmp_path, row, message):
    folder = tmp_path / "data"
    write_postcodes(folder, POSTCODES)
    load_directory(folder)
    before = snapshot()
    _write_cog(folder, [COG[0], row])
    with pytest.raises(RefdataError, match=rf"v_commune_2024\.csv, {message}"):
        load_directory(folder)
    assert snapshot() == before


# ------------------------------------------------------------------------------------------ the real files


@pytest.mark.refdata
def test_real_files_give_each_commune_its_own_name(app):
    assert _names("93200") == ["Saint-Denis"]
    assert _names("93000") == ["Bobigny"]
    assert "Paris 15e Arrondissement" in _names("75015")
    assert db.session.get(Commune, "31555").name == "Toulouse"
    bad = db.session.scalars(
        sa.select(Commune.name).where(sa.or_(*(Commune.name.contains(c) for c in (";", "\r", "\n", "|"))))
    ).all()
    assert bad == []
    shouting = db.session.scalars(sa.select(Commune.name).where(Commune.name == sa.func.upper(Commune.name))
                                  .where(sa.func.length(Commune.name) > 2)).all()
    assert shouting == []


@pytest.mark.refdata
def test_the_rule_spells_la_poste_names_as_anct_does(shared_data_dir):
    """ANCT writes its communes' names in the official spelling: the rule must agree, accents aside."""
    laposte = {}
    for row in parser_for("postcodes")(shared_data_dir / "postcodes" / "laposte_hexasmal_2020.csv"):
        laposte.setdefault(row["commune_insee"], row["commune_name"])
    anct = {}
    for row in parser_for("qpv_list")(shared_data_dir / "qpv" / "qpv2024_list_from_anct.csv"):
        for link in row["communes"]:
            if link["commune_name"]:
                anct[link["commune_insee"]] = link["commune_name"]
    pairs = [(laposte[insee], name) for insee, name in anct.items() if insee in laposte]
    assert len(pairs) > 500
    differ = [(la_poste, name) for la_poste, name in pairs
              if _unaccented(commune_name_from_laposte(la_poste)) != _unaccented(name)]
    assert len(differ) <= len(pairs) // 100, differ  # e.g. La Poste's GRIGNY, ANCT's Grigny-sur-Rhône


def _unaccented(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "Oe"))
    return "".join(c for c in text if not unicodedata.combining(c))
