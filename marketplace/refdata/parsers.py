"""Read the official reference files: discovery of the known files in a folder, then parsing and checking.

Pure file work (no database): every parser returns plain row dicts or raises RefdataError naming the file
and the line, so the loader can check every file before writing anything.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from matching.cpv import cpv_parts
from matching.text import fold

from .departments import department_of_insee

NAF_RE = re.compile(r"^\d{2}\.\d{2}[A-Z]$", re.ASCII)
QPV_RE = re.compile(r"^Q[NP][0-9A-Z]{6}$")
INSEE_RE = re.compile(r"^(\d[\dAB]|\d{2})\d{3}$", re.ASCII)
POSTCODE_RE = re.compile(r"^\d{5}$", re.ASCII)
# "lat,lon" in decimal degrees, both parts whole: a cut value ("48.91," or "48.91,-0") is refused, never read as 0.
GPS_RE = re.compile(r"^(-?\d{1,3}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)$", re.ASCII)
# What separates several communes in ANCT's fields: such a value is a list, never one commune's name.
NAME_LIST_CHARS = frozenset(";|\r\n")

# Known files, in load order (relative to the folder given to ``flask refdata load``).
CPV_FILE = "cpv/cpv_2008_fr_en.csv"
NAF_FILE = "naf/naf_rev2_sousclasses.csv"
QPV_LIST_FILE = "qpv/qpv2024_list_from_anct.csv"
POSTCODE_FILE = "postcodes/laposte_hexasmal_2020.csv"
# INSEE's Code officiel géographique, optional: the official commune names (``v_commune_2024.csv``...).
COG_PATTERNS = ("cog/v_commune_*.csv", "cog/commune_*.csv", "v_commune_*.csv", "commune_*.csv")

ProgressCallback = Callable[[str, int, int], None]


class RefdataError(Exception):
    """A reference file is malformed; the message (French) names the file and the line."""


# --------------------------------------------------------------------------------------------- discovery


def discover(directory: Path) -> list[tuple[str, Path]]:
    """(kind, path) of the known files present in ``directory``, in load order."""
    found: list[tuple[str, Path]] = []
    for kind, relative in (
        ("cpv", CPV_FILE),
        ("naf", NAF_FILE),
        ("postcodes", POSTCODE_FILE),
        ("qpv_list", QPV_LIST_FILE),
    ):
        if (directory / relative).is_file():
            found.append((kind, directory / relative))
    cog = sorted({path for pattern in COG_PATTERNS for path in directory.glob(pattern) if path.is_file()},
                 key=lambda path: path.name)
    if cog:
        found.append(("cog_communes", cog[-1]))  # the latest vintage: v_commune_2024 after v_commune_2023
    geojson = sorted({*directory.glob("qpv/*.geojson"), *directory.glob("qpv/*.json"), *directory.glob("*.geojson")})
    for path in geojson:
        found.append((_geojson_kind(path), path))
    return found


def _geojson_kind(path: Path) -> str:
    """Point features are commune centroids; Polygon/MultiPolygon features are QPV contours."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16).decode("utf-8", errors="ignore")
    return "qpv_centroids" if re.search(r'"type"\s*:\s*"Point"', head) else f"qpv_polygons:{path.name}"


# --------------------------------------------------------------------------------------------- parsing


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _csv_rows(path: Path, required: tuple[str, ...], delimiter: str = ",") -> Iterator[tuple[int, dict]]:
    """(line number, stripped row) of a CSV file, refusing what a cut file looks like.

    A file cut mid-way ends without its final newline (the last value is then silently short: "Net f"), or
    its last line lacks fields; both are refused with the line number, as is a file with no data line.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefdataError(f"{path.name} : le fichier n'est pas encodé en UTF-8 ({error.reason}).") from None
    if text and not text.endswith(("\n", "\r")):
        _fail(path, text.count("\n") + 1, "dernière ligne sans fin de ligne : le fichier semble tronqué.")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    missing = [name for name in required if name not in (reader.fieldnames or ())]
    if missing:
        raise RefdataError(f"{path.name}, ligne 1 : colonnes manquantes : {', '.join(missing)}.")
    width = len(reader.fieldnames or ())
    rows = 0
    try:
        for row in reader:
            if None in row:
                _fail(path, reader.line_num, f"{width + len(row[None])} champs au lieu de {width}.")
            present = sum(value is not None for value in row.values())
            if present < width:
                _fail(path, reader.line_num,
                      f"champs manquants ({present} sur {width}) : la ligne ou le fichier semble tronqué.")
            rows += 1
            yield reader.line_num, {key: value.strip() for key, value in row.items()}
    except csv.Error as error:
        raise RefdataError(f"{path.name}, ligne {reader.line_num} : CSV illisible ({error}).") from None
    if not rows:
        raise RefdataError(f"{path.name} : aucune ligne de données après l'en-tête.")


def _fail(path: Path, line: int, message: str):
    raise RefdataError(f"{path.name}, ligne {line} : {message}")


def cpv_level(digits: str) -> str:
    significant = len(digits.rstrip("0"))
    if significant <= 2:
        return "division"
    return {3: "groupe", 4: "classe", 5: "catégorie"}.get(significant, "sous-catégorie")


def _parse_cpv(path: Path) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    for line, row in _csv_rows(path, ("code", "fr")):
        code = row["code"]
        if cpv_parts(code, strict=True) is None:
            _fail(path, line, f"code CPV invalide « {code[:30]} » (attendu : 8 chiffres, tiret, clé).")
        if not row["fr"]:
            _fail(path, line, f"libellé français manquant pour {code}.")
        if code[:8] in seen:
            _fail(path, line, f"code CPV en double {code}.")
        seen.add(code[:8])
        rows.append({"code": code, "digits": code[:8], "label_fr": row["fr"], "label_en": row.get("en") or ""})
    for row in rows:
        digits = row["digits"]
        significant = digits.rstrip("0")
        row["level"] = cpv_level(digits)
        row["division"] = digits[:2]
        row["parent_digits"] = next(
            (
                digits[:n].ljust(8, "0")
                for n in range(len(significant) - 1, 1, -1)
                if digits[:n].ljust(8, "0") in seen and digits[:n].ljust(8, "0") != digits
            ),
            None,
        )
    return rows


def _parse_naf(path: Path) -> list[dict]:
    columns = ("code", "libelle", "classe", "groupe", "division", "division_libelle", "section", "section_libelle")
    rows: list[dict] = []
    for line, row in _csv_rows(path, columns):
        if not NAF_RE.match(row["code"]):
            _fail(path, line, f"code NAF invalide « {row['code'][:30]} » (attendu par exemple 43.34Z).")
        if not row["libelle"]:
            _fail(path, line, f"libellé manquant pour {row['code']}.")
        rows.append(
            {
                "code": row["code"],
                "label": row["libelle"],
                "class_code": row["classe"][:5],
                "group_code": row["groupe"][:4],
                "division": row["division"][:2],
                "division_label": row["division_libelle"],
                "section": row["section"][:1],
                "section_label": row["section_libelle"],
            }
        )
    return rows


def _parse_qpv_list(path: Path) -> list[dict]:
    communes_column = "communes(insee:nom|...)"
    rows: list[dict] = []
    for line, row in _csv_rows(path, ("code_qp", "lib_qp", "dep_from_code", communes_column)):
        code = row["code_qp"]
        if not QPV_RE.match(code):
            _fail(path, line, f"code QPV invalide « {code[:30]} » (attendu par exemple QN05907M).")
        links = []
        for item in filter(None, row[communes_column].split("|")):
            insee, _, name = item.partition(":")
            if not INSEE_RE.match(insee.strip()):
                _fail(path, line, f"code commune INSEE invalide « {insee[:20]} » pour {code}.")
            links.append({"qpv_code": code, "commune_insee": insee.strip(), "commune_name": single_commune_name(name)})
        if not links:
            _fail(path, line, f"aucune commune indiquée pour {code}.")
        rows.append(
            {"code": code, "name": row["lib_qp"][:250], "department": row["dep_from_code"][:3], "communes": links}
        )
    return rows


def _parse_postcodes(path: Path) -> list[dict]:
    columns = ("Code_commune_INSEE", "Nom_commune", "Code_postal", "coordonnees_gps")
    rows: list[dict] = []
    for line, row in _csv_rows(path, columns, delimiter=";"):
        insee, postcode = row["Code_commune_INSEE"], row["Code_postal"]
        if not INSEE_RE.match(insee):
            _fail(path, line, f"code commune INSEE invalide « {insee[:20]} ».")
        if not POSTCODE_RE.match(postcode):
            _fail(path, line, f"code postal invalide « {postcode[:20]} ».")
        lat = lon = None
        if row["coordonnees_gps"]:  # empty for some communes (no point): kept as "no point"
            gps = GPS_RE.match(row["coordonnees_gps"])
            if gps is None:
                _fail(path, line, f"coordonnées GPS incomplètes ou illisibles « {row['coordonnees_gps'][:40]} » "
                      "(attendu : latitude,longitude en degrés décimaux).")
            lat, lon = float(gps.group(1)), float(gps.group(2))
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                _fail(path, line, "coordonnées GPS hors limites.")
        rows.append(
            {
                "postcode": postcode,
                "commune_insee": insee,
                "commune_name": row["Nom_commune"][:120],
                "line5": (row.get("Ligne_5") or "")[:120],
                "routing_label": (row.get("Libellé_d_acheminement") or "")[:120],
                "lat": lat,
                "lon": lon,
            }
        )
    return rows


def _features(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RefdataError(f"{path.name} : le fichier n'est pas encodé en UTF-8.") from None
    except json.JSONDecodeError as error:
        raise RefdataError(f"{path.name}, ligne {error.lineno} : GeoJSON illisible ({error.msg}).") from None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise RefdataError(f"{path.name}, ligne 1 : ce n'est pas une FeatureCollection GeoJSON.")
    crs = json.dumps(data.get("crs") or {})
    if "2154" in crs or "3857" in crs:
        raise RefdataError(
            f"{path.name}, ligne 1 : projection non gérée ({crs[:80]}) ; utilisez la version WGS84 du fichier."
        )
    if not data["features"]:
        raise RefdataError(f"{path.name} : aucune entité dans la FeatureCollection (fichier vide ou tronqué).")
    return data["features"]


def _first(props: dict, *names: str) -> str:
    for name in names:
        value = props.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _parse_centroids(path: Path) -> list[dict]:
    rows: list[dict] = []
    for number, feature in enumerate(_features(path), start=1):
        props = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry") or {}
        insee = _first(props, "insee_com", "code_commune")
        if not INSEE_RE.match(insee):
            raise RefdataError(f"{path.name}, entité {number} : code commune INSEE invalide « {insee[:20]} ».")
        try:
            lon, lat = (float(v) for v in geometry["coordinates"][:2])
        except (KeyError, TypeError, ValueError):
            raise RefdataError(f"{path.name}, entité {number} : point sans coordonnées valides.") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise RefdataError(f"{path.name}, entité {number} : coordonnées hors limites (WGS84 attendu).")
        codes = [c.strip() for c in _first(props, "code_qp").split(",") if c.strip()]
        bad = [c for c in codes if not QPV_RE.match(c)]
        if bad:
            raise RefdataError(f"{path.name}, entité {number} : code QPV invalide « {bad[0][:20]} ».")
        rows.append({"insee": insee, "name": single_commune_name(_first(props, "lib_com", "nom_commune")),
                     "lat": lat, "lon": lon, "qpv_codes": codes})
    return rows


def _polygonal_repair(geometry):
    """``make_valid`` keeping only the polygonal parts (a bow-tie becomes its two triangles); None if none."""
    from shapely import make_valid
    from shapely.geometry import MultiPolygon, Polygon

    fixed = make_valid(geometry)
    parts = [part for part in getattr(fixed, "geoms", [fixed]) if isinstance(part, Polygon | MultiPolygon)]
    polygons = [p for part in parts for p in getattr(part, "geoms", [part]) if not p.is_empty and p.area > 0]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _parse_polygons(path: Path) -> list[dict]:
    """QPV contours; a "repaired" flag tells which invalid polygons (self-intersecting...) were made valid."""
    from shapely.geometry import mapping, shape
    from shapely.validation import explain_validity

    rows: list[dict] = []
    seen: set[str] = set()
    for number, feature in enumerate(_features(path), start=1):
        props = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry") or {}
        code = _first(props, "code_qp", "CODE_QP")
        if not QPV_RE.match(code):
            raise RefdataError(f"{path.name}, entité {number} : code QPV invalide « {code[:20]} ».")
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            kind = str(geometry.get("type"))[:20]
            raise RefdataError(f"{path.name}, entité {number} : géométrie {kind} au lieu d'un polygone.")
        try:
            shp = shape(geometry)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise RefdataError(f"{path.name}, entité {number} : polygone illisible ({error}).") from None
        repaired = not shp.is_valid
        if repaired:
            shp = _polygonal_repair(shp)
            if shp is None:
                reason = explain_validity(shape(geometry))[:80]
                raise RefdataError(
                    f"{path.name}, entité {number} : polygone invalide ({reason}) qu'aucune réparation ne rend "
                    "surfacique."
                )
            geometry = mapping(shp)
        minx, miny, maxx, maxy = shp.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise RefdataError(f"{path.name}, entité {number} : coordonnées hors limites (WGS84 attendu).")
        if code in seen:
            raise RefdataError(f"{path.name}, entité {number} : code QPV en double {code}.")
        seen.add(code)
        communes = _first(props, "code_commune", "insee_com")
        department = _first(props, "code_departement", "insee_dep", "code_dep") or department_of_insee(
            communes.split(",")[0].strip()
        )
        rows.append(
            {
                "code": code,
                "name": _first(props, "nom_qp", "lib_qp")[:250],
                "department": department[:3],
                "commune_insee": communes[:120],
                "commune_name": _first(props, "nom_commune", "lib_com", "commune_qp")[:250],
                "geometry": json.dumps(geometry, separators=(",", ":")),
                "source": path.name[:200],
                "repaired": repaired,
            }
        )
    return rows


# --------------------------------------------------------------------------------------------- commune names
#
# La Poste writes names in capitals, without accents, hyphens or apostrophes ("ST DENIS", "AIRE SUR L ADOUR").
# The official spelling (INSEE's COG) is "Saint-Denis", "Aire-sur-l'Adour". The rule below rebuilds it, accents
# aside; docs/refdata.md states it. Of the ~630 single-commune ANCT names of the development files, all agree
# with it accents aside but one (La Poste's "GRIGNY", ANCT's "Grigny-sur-Rhône"): tests/refdata checks it.

_LEADING_ARTICLES = {"LE": "Le", "LA": "La", "LES": "Les"}
_ABBREVIATIONS = {"ST": "Saint", "STE": "Sainte", "STS": "Saints", "STES": "Saintes"}
# Lower-case between two words of a name: articles, prepositions, "et", "dit". "A" is "à", "ES" is "ès".
_SMALL_WORDS = {"DE": "de", "DU": "du", "DES": "des", "LE": "le", "LA": "la", "LES": "les", "EN": "en", "SUR": "sur",
                "SOUS": "sous", "ET": "et", "AUX": "aux", "AU": "au", "A": "à", "ES": "ès", "EZ": "ez", "LEZ": "lez",
                "DI": "di", "DIT": "dit"}
_ELIDED = {"L": "l'", "D": "d'", "M": "M'"}  # before a word: L ABSIE -> L'Absie, ST M HERVE -> Saint-M'Herve
_ARRONDISSEMENT_RE = re.compile(r"^(PARIS|MARSEILLE|LYON) 0*([1-9]\d?)$")


def commune_name_from_laposte(name: str) -> str:
    """The official spelling of a La Poste commune name, accents aside (the rule of docs/refdata.md).

    "ST DENIS" -> "Saint-Denis", "LA COURNEUVE" -> "La Courneuve", "AIRE SUR L ADOUR" -> "Aire-sur-l'Adour",
    "PARIS 15" -> "Paris 15e Arrondissement", "MARSEILLE 01" -> "Marseille 1er Arrondissement".
    """
    words = " ".join(re.sub(r"[\W_]+", " ", name).split()).upper().split(" ")  # letters and digits only
    if words == [""]:
        return ""
    arrondissement = _ARRONDISSEMENT_RE.match(" ".join(words))
    if arrondissement:
        number = int(arrondissement.group(2))
        return f"{arrondissement.group(1).capitalize()} {number}{'er' if number == 1 else 'e'} Arrondissement"
    lead = ""  # a leading article stays apart: "La Haye-Bellefond", "L'Abergement-Clemenciat"
    if len(words) > 1 and words[0] in _LEADING_ARTICLES:
        lead, words = _LEADING_ARTICLES[words[0]] + " ", words[1:]
    elif len(words) > 1 and words[0] in _ELIDED:
        lead, words = words[0] + "'", words[1:]
    parts: list[str] = []
    last = len(words) - 1
    for index, word in enumerate(words):
        if word in _ABBREVIATIONS:
            token = _ABBREVIATIONS[word]
        elif 0 < index < last and word in _ELIDED:
            token = _ELIDED[word]
        elif 0 < index < last and word in _SMALL_WORDS:
            token = _SMALL_WORDS[word]
        elif index == last and index > 0 and word == "H" and parts[-1].endswith("c"):
            parts[-1] += "'h"  # Breton c'h: GOMMENEC H -> Gommenec'h
            continue
        else:
            token = word.capitalize()
        if parts and parts[-1].endswith("'"):
            parts[-1] += token
        else:
            parts.append(token)
    return lead + "-".join(parts)


def single_commune_name(value: str | None) -> str:
    """``value`` tidied when it names one commune; "" when it lists several ("Bobigny; Drancy") or is empty.

    Line breaks separate communes as ";" does ("Aubervilliers\r\nBobigny"): the separators are looked for
    before the spaces are collapsed (which would turn them into spaces), line ends around the value aside.
    """
    value = (value or "").strip()
    if not value or NAME_LIST_CHARS & set(value):
        return ""
    return " ".join(value.split())[:120]


def fold_name(name: str) -> str:
    """A name without case, accents, ligatures, hyphens or abbreviations, to tell whether two spell one name.

    Case, accents and ligatures go with the project's one fold (:func:`matching.text.fold`).
    """
    text = re.sub(r"[^A-Z0-9]+", " ", fold(name).upper())
    return " ".join(_ABBREVIATIONS.get(word, word).upper() for word in text.split())


def choose_commune_name(official: str | None, laposte: str | None, anct: Iterable[str] = ()) -> str | None:
    """A commune's name: the official file's (COG), else ANCT's spelling when it names the same commune as
    La Poste (it has the accents), else La Poste's by the rule; None when nothing names the commune alone.

    ANCT's commune fields list every commune of a QPV spanning several ("Bobigny; Drancy"): never a name.
    """
    if official:
        return official
    candidates = {name for name in map(single_commune_name, anct) if name}
    if laposte:
        ruled = commune_name_from_laposte(laposte)
        same = [name for name in candidates if fold_name(name) == fold_name(ruled)]
        # Of two spellings, the one with accents ("Saint-Étienne" rather than "Saint-Etienne").
        return max(same, key=lambda name: (sum(not c.isascii() for c in name), name)) if same else ruled
    return candidates.pop() if len(candidates) == 1 else None


def _parse_cog_communes(path: Path) -> list[dict]:
    """INSEE's commune file (COG, ``v_commune_2024.csv``): the official names of communes and arrondissements.

    Only ``COM`` (communes) and ``ARM`` (municipal arrondissements, the codes La Poste uses for Paris, Lyon and
    Marseille) rows name a current code; associated and delegated communes (``COMA``, ``COMD``) are skipped.
    """
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    delimiter = ";" if header.count(";") > header.count(",") else ","
    columns = {name.strip().upper(): name.strip() for name in header.strip().split(delimiter)}
    if "COM" not in columns or "LIBELLE" not in columns:
        raise RefdataError(f"{path.name}, ligne 1 : colonnes manquantes : COM, LIBELLE (fichier commune du COG).")
    type_column = columns.get("TYPECOM")
    rows: dict[str, dict] = {}
    for line, row in _csv_rows(path, (columns["COM"], columns["LIBELLE"]), delimiter=delimiter):
        kind = row.get(type_column, "COM") if type_column else "COM"
        if kind not in ("COM", "ARM"):
            continue
        insee, name = row[columns["COM"]], row[columns["LIBELLE"]]
        if not INSEE_RE.match(insee):
            _fail(path, line, f"code commune INSEE invalide « {insee[:20]} ».")
        if not single_commune_name(name):
            _fail(path, line, f"nom de commune manquant ou invalide « {name[:60]} » pour {insee}.")
        if insee in rows:
            _fail(path, line, f"code commune en double {insee}.")
        rows[insee] = {"insee": insee, "name": single_commune_name(name)}
    return list(rows.values())


PARSERS: dict[str, Callable[[Path], list]] = {
    "cpv": _parse_cpv,
    "naf": _parse_naf,
    "postcodes": _parse_postcodes,
    "qpv_list": _parse_qpv_list,
    "qpv_centroids": _parse_centroids,
    "cog_communes": _parse_cog_communes,
}


def parser_for(kind: str) -> Callable[[Path], list]:
    return _parse_polygons if kind.startswith("qpv_polygons:") else PARSERS[kind]
