"""Departments and regions: built-in (the 101 departments never change with the loaded files).

Codes and postcodes are normalised by the engine's ``matching.signals`` (one rule for both sides: only the
101 departments count; Monaco and the overseas collectivities have none).
"""

from matching import signals
from matching.signals import department_of_postcode, normalize_department

from .fallback import DEPARTMENTS, Department

__all__ = [
    "DEPARTMENT_CODES",
    "department_choices",
    "department_name",
    "department_of_insee",
    "department_of_postcode",
    "is_department",
    "list_departments",
    "list_regions",
    "normalise_department",
    "region_of",
]

_BY_CODE: dict[str, Department] = {d.code: d for d in DEPARTMENTS}
DEPARTMENT_CODES = frozenset(_BY_CODE)


def normalise_department(code: str | None) -> str:
    """``"1"`` -> ``"01"``, ``"2a"`` -> ``"2A"``; other input comes back stripped and upper-cased (to be refused)."""
    return normalize_department(code) or (code or "").strip().upper()


def is_department(code: str | None) -> bool:
    """One of the 101 French departments (after normalisation: "1" is "01")."""
    return normalize_department(code) is not None


def list_departments() -> list[Department]:
    """The 101 departments (code, name, region), in code order (2A/2B after 19)."""
    return list(DEPARTMENTS)


def department_name(code: str | None) -> str:
    """French name of a department code, or "" when unknown."""
    department = _BY_CODE.get(normalise_department(code))
    return department.name if department else ""


def region_of(code: str | None) -> str:
    """Region name of a department code, or "" when unknown."""
    department = _BY_CODE.get(normalise_department(code))
    return department.region if department else ""


def list_regions() -> list[str]:
    return sorted({d.region for d in DEPARTMENTS})


def department_choices() -> list[tuple[str, str]]:
    """(code, "93 - Seine-Saint-Denis") pairs for select fields."""
    return [(d.code, f"{d.code} - {d.name}") for d in DEPARTMENTS]


def department_of_insee(insee: str | None) -> str:
    """Department of an INSEE commune code (``"93066"`` -> ``"93"``), ``""`` outside the 101 departments."""
    return signals.department_of_insee(insee) or ""
