"""Structured matching signals: geography, capacity and experience, each a score in [0, 1]."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

__all__ = [
    "DEPARTMENT_CODES",
    "capacity_fit",
    "department_centroids",
    "department_of_postcode",
    "distance_score",
    "experience",
    "haversine_km",
    "load_department_centroids",
    "normalize_department",
]

# The 101 French departments: 01-95 (Corsica is 2A and 2B, not 20) and the five overseas departments. Monaco
# (98000) is another state; Saint-Pierre-et-Miquelon (975), Saint-Barthélemy (977), Saint-Martin (978),
# Wallis-et-Futuna (986), French Polynesia (987) and New Caledonia (988) are overseas collectivities, not
# departments: none of them is a department here, whatever the source (a code, a postcode).
DEPARTMENT_CODES: frozenset[str] = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
)
# Postcodes of overseas collectivities inside an overseas department's range (971xx is Guadeloupe otherwise).
_COLLECTIVITY_POSTCODES = frozenset({"97133", "97150"})  # Saint-Barthélemy, Saint-Martin

# Without a declared revenue, a headcount gives a rough turnover (French SME median is about 100 kEUR per
# employee; a lower figure keeps the estimate conservative).
REVENUE_PER_EMPLOYEE_EUR = 80_000.0


def normalize_department(value: object) -> str | None:
    """Canonical code of one of the 101 departments ("1" -> "01", "2a" -> "2A", "974"), else None.

    The one normalisation of department codes, shared by the engine and the web app.
    """
    if value is None:
        return None
    text = str(value).strip().upper()
    if len(text) == 1 and text.isascii() and text.isdigit():
        text = "0" + text
    return text if text in DEPARTMENT_CODES else None


def department_of_postcode(postcode: object) -> str | None:
    """Department of a French postcode ("93200" -> "93", "97411" -> "974", "20000" -> "2A"), else None.

    Corsica's 20xxx is split at 20200 (2A below, 2B from there). Postcodes outside the 101 departments
    (Monaco, overseas collectivities, unused prefixes such as 00 or 96) have none.
    """
    if postcode is None:
        return None
    text = str(postcode).replace(" ", "").strip()
    if len(text) != 5 or not (text.isascii() and text.isdigit()) or text in _COLLECTIVITY_POSTCODES:
        return None
    if text.startswith("20"):
        return "2A" if text < "20200" else "2B"
    return normalize_department(text[:3] if text.startswith("97") else text[:2])


def department_of_insee(insee: object) -> str | None:
    """Department of an INSEE commune code ("93066" -> "93", "97411" -> "974", "2A004" -> "2A"), else None.

    Communes of Monaco and of the overseas collectivities (975xx, 977xx, 978xx, 98xxx) have none.
    """
    if insee is None:
        return None
    text = str(insee).strip().upper()
    return normalize_department(text[:3] if text.startswith(("97", "98")) else text[:2])


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (works on floats and numpy arrays)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_score(km, scale_km: float = 50.0):
    """Proximity in [0, 1]: 1 on site, 0.5 at ``scale_km * ln 2``; NaN distances (unknown) score 0."""
    km = np.asarray(km, dtype=np.float64)
    return np.where(np.isnan(km), 0.0, np.exp(-np.nan_to_num(km, nan=0.0) / scale_km))


def department_centroids(points: Iterable[tuple[object, float, float]]) -> dict[str, tuple[float, float]]:
    """Mean (lat, lon) per department from (department, lat, lon) points, e.g. one per commune.

    Malformed departments and non-finite coordinates are skipped.
    """
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for department, lat, lon in points:
        code = normalize_department(department)
        if code is None or not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        acc = sums[code]
        acc[0] += lat
        acc[1] += lon
        acc[2] += 1
    return {code: (lat / n, lon / n) for code, (lat, lon, n) in sums.items()}


def load_department_centroids(path: str | Path) -> dict[str, tuple[float, float]]:
    """Department centroids from La Poste's postcode base (``;``-separated, ``coordonnees_gps`` "lat,lon").

    Each commune counts once (a commune with several postcodes is not weighted more); rows without readable
    coordinates are skipped. ValueError when the expected columns are missing.
    """
    communes: dict[str, tuple[float, float]] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        missing = {"Code_commune_INSEE", "coordonnees_gps"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: not La Poste's postcode base (missing {', '.join(sorted(missing))})")
        for row in reader:
            insee, gps = (row.get("Code_commune_INSEE") or "").strip(), (row.get("coordonnees_gps") or "")
            try:
                lat, lon = (float(x) for x in gps.split(","))
            except ValueError:
                continue
            communes.setdefault(insee, (lat, lon))
    return department_centroids(
        (department_of_insee(insee), lat, lon)
        for insee, (lat, lon) in communes.items()
    )


def capacity_fit(budget_eur, revenue_eur, headcount, *, comfortable_share: float = 0.5,
                 max_share: float = 5.0):
    """How well a supplier's size fits a budget, in [0, 1] (vectorised over suppliers).

    A budget up to ``comfortable_share`` of the annual revenue fits fully (so a small supplier is never
    penalised on a small tender); the fit then decreases log-linearly and reaches 0 when the budget is
    ``max_share`` times the revenue. Unknown budget or unknown size gives 1: absence of data is not a fault.
    """
    revenue = np.asarray(revenue_eur, dtype=np.float64)
    staff = np.asarray(headcount, dtype=np.float64)
    size = np.where(np.isnan(revenue), staff * REVENUE_PER_EMPLOYEE_EUR, revenue)
    if budget_eur is None or not math.isfinite(budget_eur) or budget_eur <= 0:
        return np.ones_like(size)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = budget_eur / np.maximum(size, 1.0)
        fit = 1.0 - np.log(share / comfortable_share) / math.log(max_share / comfortable_share)
    return np.where(np.isnan(size), 1.0, np.clip(fit, 0.0, 1.0))


def experience(description: str, saturation: int = 20) -> float:
    """Track record in [0, 1] from the number of non-empty description lines (one line per past contract)."""
    lines = sum(1 for line in (description or "").splitlines() if line.strip())
    return 0.0 if lines <= 1 else min(1.0, math.log(lines) / math.log(saturation))
