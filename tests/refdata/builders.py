"""Small reference files written in tmp_path, laid out as ``../shared/data`` (see docs/refdata.md).

The tests build the few lines they need, so they run without the official files.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from marketplace.extensions import db

POSTCODE_HEADER = "Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;coordonnees_gps"
QPV_LIST_HEADER = "code_qp,lib_qp,dep_from_code,communes(insee:nom|...)"


def cpv_lines(count: int) -> list[str]:
    """``count`` well-formed CPV lines (distinct 8-digit codes, French and English labels)."""
    return [f"{45000000 + 10 * n:08d}-{n % 10},Travaux numéro {n},Works number {n}" for n in range(count)]


def write_cpv(folder: Path, lines: list[str], *, final_newline: bool = True) -> Path:
    path = folder / "cpv" / "cpv_2008_fr_en.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("code,fr,en\n" + "\n".join(lines) + ("\n" if final_newline else ""), encoding="utf-8")
    return path


def write_postcodes(folder: Path, lines: list[str], *, final_newline: bool = True) -> Path:
    """La Poste lines ``insee;NAME;postcode;ligne_5;routing label;lat,lon``."""
    path = folder / "postcodes" / "laposte_hexasmal_2020.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = POSTCODE_HEADER + "\n" + "\n".join(lines) + ("\n" if final_newline else "")
    path.write_bytes(text.encode("utf-8"))
    return path


def write_qpv_list(folder: Path, lines: list[str]) -> Path:
    path = folder / "qpv" / "qpv2024_list_from_anct.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((QPV_LIST_HEADER + "\r\n" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


def write_geojson(folder: Path, name: str, features: list[dict]) -> Path:
    path = folder / "qpv" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def point(insee: str, name: str, lon: float, lat: float, codes: str) -> dict:
    return {"type": "Feature", "properties": {"insee_com": insee, "lib_com": name, "code_qp": codes, "lib_qp": "x"},
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def polygon(code: str, ring: list[tuple[float, float]], insee: str = "31555") -> dict:
    return {"type": "Feature", "properties": {"code_qp": code, "nom_qp": f"Quartier {code}", "code_commune": insee},
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}}


def square(lon: float, lat: float, side: float = 0.01) -> list[tuple[float, float]]:
    return [(lon, lat), (lon + side, lat), (lon + side, lat + side), (lon, lat + side), (lon, lat)]


def snapshot() -> dict[str, list]:
    """Every reference row (and the load journal), to show that a refused load changed nothing."""
    tables = ("ref_cpv_codes", "ref_naf_codes", "ref_qpv", "ref_qpv_communes", "ref_qpv_areas", "ref_communes",
              "ref_postcodes", "ref_imports")
    db.session.expire_all()
    return {
        table: sorted(map(tuple, db.session.execute(sa.text(f"SELECT * FROM {table}")).all()), key=repr)
        for table in tables
    }
