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
from collections.abc import Callable, Iterator
from pathlib import Path

from .departments import department_of_insee

CPV_RE = re.compile(r"^\d{8}-\d$", re.ASCII)
NAF_RE = re.compile(r"^\d{2}\.\d{2}[A-Z]$", re.ASCII)
QPV_RE = re.compile(r"^Q[NP][0-9A-Z]{6}$")
INSEE_RE = re.compile(r"^(\d[\dAB]|\d{2})\d{3}$", re.ASCII)
POSTCODE_RE = re.compile(r"^\d{5}$", re.ASCII)

# Known files, in load order (relative to the folder given to ``flask refdata load``).
CPV_FILE = "cpv/cpv_2008_fr_en.csv"
NAF_FILE = "naf/naf_rev2_sousclasses.csv"
QPV_LIST_FILE = "qpv/qpv2024_list_from_anct.csv"
POSTCODE_FILE = "postcodes/laposte_hexasmal_2020.csv"

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
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefdataError(f"{path.name} : le fichier n'est pas encodé en UTF-8 ({error.reason}).") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    missing = [name for name in required if name not in (reader.fieldnames or ())]
    if missing:
        raise RefdataError(f"{path.name}, ligne 1 : colonnes manquantes : {', '.join(missing)}.")
    try:
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise RefdataError(f"{path.name}, ligne {reader.line_num} : nombre de colonnes incorrect.")
            yield reader.line_num, {key: value.strip() for key, value in row.items()}
    except csv.Error as error:
        raise RefdataError(f"{path.name}, ligne {reader.line_num} : CSV illisible ({error}).") from None


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
        if not CPV_RE.match(code):
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
            links.append({"qpv_code": code, "commune_insee": insee.strip(), "commune_name": name.strip()[:120]})
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
        if row["coordonnees_gps"]:
            try:
                lat, lon = (float(part) for part in row["coordonnees_gps"].split(","))
            except ValueError:
                _fail(path, line, f"coordonnées GPS illisibles « {row['coordonnees_gps'][:40]} ».")
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
        rows.append({"insee": insee, "name": _first(props, "lib_com", "nom_commune")[:120], "lat": lat,
                     "lon": lon, "qpv_codes": codes})
    return rows


def _parse_polygons(path: Path) -> list[dict]:
    from shapely.geometry import shape

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
            }
        )
    return rows


PARSERS: dict[str, Callable[[Path], list]] = {
    "cpv": _parse_cpv,
    "naf": _parse_naf,
    "postcodes": _parse_postcodes,
    "qpv_list": _parse_qpv_list,
    "qpv_centroids": _parse_centroids,
}


def parser_for(kind: str) -> Callable[[Path], list]:
    return _parse_polygons if kind.startswith("qpv_polygons:") else PARSERS[kind]
