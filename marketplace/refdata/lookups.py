"""Read-only look-ups over the reference tables, with the built-in fallback when a table is empty.

Every function works with or without the official files loaded: an empty table means "use fallback.py".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from matching.cpv import cpv_parts

from ..extensions import db
from ..models import Commune, CpvCode, NafCode, PostcodeEntry, Qpv, QpvCommune, RefdataImport
from .departments import department_name, department_of_insee, region_of
from .fallback import CPV_DIVISIONS_FALLBACK, QPV_FALLBACK
from .parsers import commune_name_from_laposte, single_commune_name

POSTCODE_RE = re.compile(r"^\d{5}$", re.ASCII)
MAX_CPV_CODES = 30


@dataclass(frozen=True)
class CommuneChoice:
    insee: str
    name: str
    postcode: str
    department: str
    lat: float | None
    lon: float | None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.insee})"


@dataclass(frozen=True)
class QpvInfo:
    code: str
    name: str
    department: str

    @property
    def label(self) -> str:
        return f"{self.code} - {self.name}"


def _table_has_rows(model) -> bool:
    return db.session.execute(sa.select(sa.literal(1)).select_from(model).limit(1)).first() is not None


def loaded_files() -> list[RefdataImport]:
    """The journal's files (not its ``commune_names`` row, which records names computed from them)."""
    stmt = sa.select(RefdataImport).where(RefdataImport.kind != "commune_names").order_by(RefdataImport.kind)
    return list(db.session.scalars(stmt))


def refdata_version(*kinds: str) -> str:
    """A string that changes whenever one of these files (all files when none given) is reloaded."""
    stmt = sa.select(RefdataImport.kind, RefdataImport.checksum).order_by(RefdataImport.kind)
    if kinds:
        stmt = stmt.where(sa.or_(*(RefdataImport.kind.startswith(kind) for kind in kinds)))
    return "|".join(f"{kind}:{checksum[:12]}" for kind, checksum in db.session.execute(stmt))


# --------------------------------------------------------------------------------- communes and postcodes


def is_postcode(value: str | None) -> bool:
    return bool(POSTCODE_RE.match((value or "").strip()))


def communes_for_postcode(postcode: str | None) -> list[CommuneChoice]:
    """The communes a postcode serves (one per commune), with the commune's reference point."""
    postcode = (postcode or "").strip()
    return communes_for_postcodes([postcode]).get(postcode, [])


def communes_for_postcodes(postcodes) -> dict[str, list[CommuneChoice]]:
    """``communes_for_postcode`` for many postcodes in one query (pages listing many tenders)."""
    wanted = {p.strip() for p in postcodes if p and is_postcode(p.strip())}
    if not wanted:
        return {}
    if not _table_has_rows(PostcodeEntry):
        found: dict[str, list[CommuneChoice]] = {}
        for q in _unique_fallback_communes():
            if q.postcode in wanted:
                found.setdefault(q.postcode, []).append(
                    CommuneChoice(q.commune_insee, q.commune_name, q.postcode, q.department, q.lat, q.lon))
        return found
    stmt = (
        sa.select(PostcodeEntry, Commune)
        .outerjoin(Commune, Commune.insee == PostcodeEntry.commune_insee)
        .where(PostcodeEntry.postcode.in_(sorted(wanted)))
        .order_by(PostcodeEntry.postcode, PostcodeEntry.commune_name, PostcodeEntry.id)
    )
    choices: dict[str, dict[str, CommuneChoice]] = {}
    for entry, commune in db.session.execute(stmt).all():
        per_postcode = choices.setdefault(entry.postcode, {})
        if entry.commune_insee in per_postcode:
            continue
        lat = commune.lat if commune and commune.lat is not None else entry.lat
        lon = commune.lon if commune and commune.lon is not None else entry.lon
        # A commune table loaded by an older version may hold a list of communes: La Poste's name then.
        name = single_commune_name(commune.name if commune else "") or commune_name_from_laposte(entry.commune_name)
        per_postcode[entry.commune_insee] = CommuneChoice(
            entry.commune_insee, name, entry.postcode, department_of_insee(entry.commune_insee), lat, lon)
    return {postcode: sorted(found.values(), key=lambda c: c.name) for postcode, found in choices.items()}


def _unique_fallback_communes():
    seen = set()
    for q in QPV_FALLBACK:
        if (q.commune_insee, q.postcode) not in seen:
            seen.add((q.commune_insee, q.postcode))
            yield q


def commune_for(postcode: str | None, insee: str | None) -> CommuneChoice | None:
    """The commune ``insee`` if the postcode serves it, else None."""
    return next((c for c in communes_for_postcode(postcode) if c.insee == (insee or "").strip()), None)


# --------------------------------------------------------------------------------------------------- QPV


def qpv_of_commune(insee: str | None) -> list[QpvInfo]:
    """The QPV (official list) lying in a commune, by code."""
    insee = (insee or "").strip()
    if not insee:
        return []
    if not _table_has_rows(Qpv):
        return [QpvInfo(q.code, q.name, q.department) for q in QPV_FALLBACK if q.commune_insee == insee]
    stmt = (
        sa.select(Qpv)
        .join(QpvCommune, QpvCommune.qpv_code == Qpv.code)
        .where(QpvCommune.commune_insee == insee)
        .order_by(Qpv.code)
    )
    return [QpvInfo(q.code, q.name, q.department) for q in db.session.scalars(stmt)]


def qpv_by_code(code: str | None) -> QpvInfo | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    if not _table_has_rows(Qpv):
        return next((QpvInfo(q.code, q.name, q.department) for q in QPV_FALLBACK if q.code == code), None)
    row = db.session.get(Qpv, code)
    return QpvInfo(row.code, row.name, row.department) if row else None


def qpv_count() -> int:
    if not _table_has_rows(Qpv):
        return len(QPV_FALLBACK)
    return db.session.scalar(sa.select(sa.func.count()).select_from(Qpv)) or 0


def department_centroids() -> dict[str, tuple[float, float]]:
    """Mean point of each department's communes; {} until communes are loaded (the engine then scores the same
    department only)."""
    stmt = (sa.select(Commune.department, sa.func.avg(Commune.lat), sa.func.avg(Commune.lon))
            .where(Commune.lat.is_not(None), Commune.lon.is_not(None)).group_by(Commune.department))
    return {department: (float(lat), float(lon)) for department, lat, lon in db.session.execute(stmt)}


# --------------------------------------------------------------------------------------------------- CPV


def cpv_rows() -> list[tuple[str, str, str]]:
    """(code with check digit, French label, level) of every CPV code (the 45 divisions as a fallback)."""
    if not _table_has_rows(CpvCode):
        return [(d.code, d.label_fr, "division") for d in CPV_DIVISIONS_FALLBACK]
    stmt = sa.select(CpvCode.code, CpvCode.label_fr, CpvCode.level).order_by(CpvCode.digits)
    return [tuple(row) for row in db.session.execute(stmt)]


def cpv_fallback_mode() -> bool:
    return not _table_has_rows(CpvCode)


def _cpv_items(value: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """What a user typed, one CPV code per item: separated by commas, semicolons, new lines or spaces.

    A part that reads as one code once its spaces are dropped ("45261000 - 4") stays one item.
    """
    if value is None:
        return []
    parts = re.split(r"[,;\n]+", value) if isinstance(value, str) else [str(v) for v in value]
    items: list[str] = []
    for part in parts:
        if cpv_parts(part) is None and len(part.split()) > 1:
            items.extend(part.split())
        elif part.strip():
            items.append(part.strip())
    return items


def _canonical(digits: str, check: str) -> str:
    return f"{digits}-{check}" if check else digits


def parse_cpv_list(text: str | list[str] | tuple[str, ...] | None) -> tuple[list[str], list[str]]:
    """Split typed CPV codes into (known codes with check digit, unknown or malformed inputs).

    Codes are accepted with or without their check digit (``matching.cpv.cpv_parts``); a wrong check digit
    is unknown. In fallback mode (CPV table empty) any well-formed code of one of the 45 divisions is
    accepted, in its canonical form (with its check digit only if one was given).
    """
    items = _cpv_items(text)[:100]
    fallback = cpv_fallback_mode()
    divisions = {d.code[:2] for d in CPV_DIVISIONS_FALLBACK}
    parts = {item: cpv_parts(item) for item in items}
    found: dict[str, str] = {}
    if not fallback:
        wanted = {p[0] for p in parts.values() if p}
        if wanted:
            found = dict(
                db.session.execute(sa.select(CpvCode.digits, CpvCode.code).where(CpvCode.digits.in_(wanted))).all()
            )
    known: dict[str, None] = {}
    unknown: list[str] = []
    for item in items:
        part = parts[item]
        if not part:
            unknown.append(item[:30])
        elif fallback:
            if part[0][:2] in divisions:
                known[_canonical(*part)] = None
            else:
                unknown.append(item[:30])
        else:
            code = found.get(part[0])
            if code is None or (part[1] and code != _canonical(*part)):
                unknown.append(item[:30])
            else:
                known[code] = None
    return list(known), unknown


def clean_cpv_codes(value: str | list[str] | tuple[str, ...] | None, *, max_codes: int = MAX_CPV_CODES
                    ) -> list[str]:
    """The one check of CPV codes typed by a user (tenders, offers); ValueError naming the first bad code.

    Returns the known codes, without duplicates, in the order typed (see ``parse_cpv_list``).
    """
    codes: list[str] = []
    for item in _cpv_items(value):
        part = cpv_parts(item)
        if part is None:
            raise ValueError(
                f"Le code CPV « {_short(item)} » n'est pas valide : saisissez 8 chiffres, "
                "éventuellement suivis d'un tiret et du chiffre de contrôle (par exemple 45261000-4)."
            )
        if _canonical(*part) not in codes:
            codes.append(_canonical(*part))
    if len(codes) > max_codes:
        raise ValueError(f"Indiquez au plus {max_codes} codes CPV.")
    if not codes:
        return []
    known, unknown = parse_cpv_list(codes)
    if unknown:
        raise ValueError(
            f"Le code CPV « {_short(unknown[0])} » n'existe pas dans la nomenclature CPV : "
            "choisissez un code proposé par l'aide à la saisie."
        )
    return known


def _short(code: str) -> str:
    return code if len(code) <= 30 else code[:29] + "…"


def cpv_labels(codes: list[str]) -> dict[str, str]:
    """French labels of these codes (with or without check digit), keyed by the code as given."""
    digits = {code: code[:8] for code in codes if code}
    if not digits:
        return {}
    if cpv_fallback_mode():
        labels = {d.code[:8]: d.label_fr for d in CPV_DIVISIONS_FALLBACK}
        return {code: labels.get(d[:2].ljust(8, "0"), "") for code, d in digits.items()}
    found = dict(
        db.session.execute(
            sa.select(CpvCode.digits, CpvCode.label_fr).where(CpvCode.digits.in_(set(digits.values())))
        ).all()
    )
    return {code: found.get(d, "") for code, d in digits.items()}


# --------------------------------------------------------------------------------------------------- NAF


def naf_loaded() -> bool:
    return _table_has_rows(NafCode)


def naf_label(code: str | None) -> str:
    row = db.session.get(NafCode, (code or "").strip().upper()) if code else None
    return row.label if row else ""


__all__ = [
    "CommuneChoice",
    "QpvInfo",
    "communes_for_postcode",
    "commune_for",
    "clean_cpv_codes",
    "cpv_labels",
    "cpv_rows",
    "department_name",
    "naf_label",
    "naf_loaded",
    "parse_cpv_list",
    "qpv_by_code",
    "qpv_of_commune",
    "region_of",
]
