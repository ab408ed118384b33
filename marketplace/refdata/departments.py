"""Departments and regions: built-in (the 101 departments never change with the loaded files)."""

from .fallback import DEPARTMENTS, Department

_BY_CODE: dict[str, Department] = {d.code: d for d in DEPARTMENTS}


def normalise_department(code: str | None) -> str:
    """``"1"`` -> ``"01"``, ``"2a"`` -> ``"2A"``; unknown codes come back stripped and upper-cased."""
    code = (code or "").strip().upper()
    return code.zfill(2) if code.isascii() and code.isdigit() and len(code) == 1 else code


DEPARTMENT_CODES = frozenset(d.code for d in DEPARTMENTS)


def is_department(code: str | None) -> bool:
    """One of the 101 French departments (after normalisation: "1" is "01")."""
    return normalise_department(code) in DEPARTMENT_CODES


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
    """Department of an INSEE commune code: ``"93066"`` -> ``"93"``, ``"97101"`` -> ``"971"``, ``"2A004"``."""
    insee = (insee or "").strip().upper()
    if insee.startswith(("97", "98")):
        return insee[:3]
    return insee[:2]


def department_of_postcode(postcode: str | None) -> str:
    """Best guess from a postcode alone (Corsica ``20xxx`` cannot be split: answers "2A" or "2B")."""
    postcode = (postcode or "").strip()
    if len(postcode) != 5 or not (postcode.isascii() and postcode.isdigit()):
        return ""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]
