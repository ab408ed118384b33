"""Load the official reference files into the reference tables.

``load_directory(path)`` finds whichever known files the folder holds (layout of ``../shared/data``, see
docs/refdata.md), parses and checks *all* of them first, then writes them in one transaction: a malformed
file changes nothing and the error names the file and the line. A file whose SHA-256 is already recorded in
``ref_imports`` is skipped (its recorded count is still reported), so running it at every start is cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Commune,
    CpvCode,
    NafCode,
    PostcodeEntry,
    Qpv,
    QpvArea,
    QpvCommune,
    RefdataImport,
    utcnow,
)
from .departments import department_of_insee, region_of
from .parsers import ProgressCallback, RefdataError, discover, file_checksum, parser_for


@dataclass
class FileResult:
    kind: str
    filename: str
    rows: int
    skipped: bool  # unchanged since the last load


@dataclass
class LoadSummary:
    files: list[FileResult] = field(default_factory=list)

    def describe(self) -> str:
        if not self.files:
            return "Aucun fichier de référence reconnu dans ce dossier : le référentiel intégré reste utilisé."
        lines = []
        for result in self.files:
            state = "inchangé, déjà chargé" if result.skipped else "chargé"
            lines.append(f"  {result.filename} : {result.rows} lignes ({state})")
        return "Référentiels :\n" + "\n".join(lines)

    def rows(self, kind: str) -> int:
        return sum(r.rows for r in self.files if r.kind == kind)


@dataclass
class _Parsed:
    kind: str
    path: Path
    checksum: str
    rows: list
    writer: Callable[[_Parsed], None] | None = None


# --------------------------------------------------------------------------------------------- writing


def _replace(model, rows: list[dict], where=None) -> None:
    stmt = sa.delete(model)
    if where is not None:
        stmt = stmt.where(where)
    db.session.execute(stmt)
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(model), rows[start : start + 5000])


def _upsert_communes(candidates: dict[str, dict], *, authoritative: bool) -> None:
    """Insert missing communes, update existing ones.

    ``authoritative`` (ANCT data: proper names, centroids) overwrites; La Poste data only fills gaps and never
    replaces an ANCT name or point.
    """
    existing = {row.insee: row for row in db.session.execute(sa.select(Commune.__table__))}
    inserts, updates = [], []
    for insee, data in candidates.items():
        department = department_of_insee(insee)
        current = existing.get(insee)
        if current is None:
            inserts.append({"insee": insee, "department": department, "region": region_of(department), **data})
            continue
        if authoritative or current.source != "anct":
            merged = {**data}
            if merged.get("lat") is None:
                merged["lat"], merged["lon"] = current.lat, current.lon
        else:
            merged = {}
            if current.lat is None and data.get("lat") is not None:
                merged = {"lat": data["lat"], "lon": data["lon"]}
        if merged and any(getattr(current, key) != value for key, value in merged.items()):
            updates.append({"insee": insee, **merged})
    for start in range(0, len(inserts), 5000):
        db.session.execute(sa.insert(Commune), inserts[start : start + 5000])
    if updates:
        db.session.execute(sa.update(Commune), updates)


def _write(parsed: _Parsed) -> None:
    kind, rows = parsed.kind, parsed.rows
    if kind == "cpv":
        _replace(CpvCode, rows)
    elif kind == "naf":
        _replace(NafCode, rows)
    elif kind == "postcodes":
        _replace(PostcodeEntry, rows)
        communes: dict[str, dict] = {}
        for row in rows:
            entry = communes.setdefault(
                row["commune_insee"], {"name": row["commune_name"], "lat": None, "lon": None, "source": "laposte"}
            )
            if entry["lat"] is None and row["lat"] is not None:
                entry["lat"], entry["lon"] = row["lat"], row["lon"]
        _upsert_communes(communes, authoritative=False)
    elif kind == "qpv_list":
        _replace(Qpv, [{k: r[k] for k in ("code", "name", "department")} for r in rows])
        links = {(link["qpv_code"], link["commune_insee"]): link for r in rows for link in r["communes"]}
        _replace(QpvCommune, list(links.values()))
        names = {link["commune_insee"]: link["commune_name"] for link in links.values() if link["commune_name"]}
        existing = dict(db.session.execute(sa.select(Commune.insee, Commune.name)).all())
        updates = [{"insee": i, "name": n} for i, n in names.items() if i in existing and existing[i] != n]
        inserts = [
            {"insee": i, "name": n, "department": department_of_insee(i), "region": region_of(department_of_insee(i)),
             "lat": None, "lon": None, "source": "anct"}
            for i, n in names.items()
            if i not in existing
        ]
        if updates:
            db.session.execute(sa.update(Commune), updates)
        if inserts:
            db.session.execute(sa.insert(Commune), inserts)
    elif kind == "qpv_centroids":
        _upsert_communes(
            {r["insee"]: {"name": r["name"], "lat": r["lat"], "lon": r["lon"], "source": "anct"} for r in rows},
            authoritative=True,
        )
        present = set(db.session.execute(sa.select(QpvCommune.qpv_code, QpvCommune.commune_insee)).all())
        missing = {
            (code, r["insee"]): {"qpv_code": code, "commune_insee": r["insee"], "commune_name": r["name"]}
            for r in rows
            for code in r["qpv_codes"]
            if (code, r["insee"]) not in present
        }
        if missing:
            db.session.execute(sa.insert(QpvCommune), list(missing.values()))
    else:  # polygons: the rows of one file replace that file's previous rows
        source = parsed.path.name[:200]
        codes = [r["code"] for r in rows]
        db.session.execute(sa.delete(QpvArea).where(QpvArea.source == source))
        for start in range(0, len(codes), 500):
            db.session.execute(sa.delete(QpvArea).where(QpvArea.code.in_(codes[start : start + 500])))
        for start in range(0, len(rows), 500):
            db.session.execute(sa.insert(QpvArea), rows[start : start + 500])


def _row_count(parsed: _Parsed) -> int:
    return len(parsed.rows)


# --------------------------------------------------------------------------------------------- entry point


def load_directory(
    directory: str | Path, *, force: bool = False, progress: ProgressCallback | None = None
) -> LoadSummary:
    """Load every known file of ``directory`` in one transaction; raise RefdataError (nothing written) on error."""
    directory = Path(directory)
    if not directory.is_dir():
        raise RefdataError(f"{directory} : dossier introuvable.")
    files = discover(directory)
    total = 2 * len(files)
    report = progress or (lambda label, done, total: None)
    journal = {row.kind: row for row in db.session.scalars(sa.select(RefdataImport))}
    summary = LoadSummary()
    pending: list[_Parsed] = []
    step = 0
    rewritten: set[str] = set()
    for kind, path in files:  # 1. parse and check everything before writing anything
        checksum = file_checksum(path)
        known = journal.get(kind)
        # The QPV list replaces every QPV-commune link, so the centroids' extra links are written again after it.
        stale = kind == "qpv_centroids" and "qpv_list" in rewritten
        if known is not None and known.checksum == checksum and not force and not stale:
            summary.files.append(FileResult(kind, path.name, known.row_count, skipped=True))
        else:
            pending.append(_Parsed(kind, path, checksum, parser_for(kind)(path)))
            rewritten.add(kind)
        step += 1
        report(f"lecture {path.name}", step, total)
    try:  # 2. write, all or nothing
        for parsed in pending:
            _write(parsed)
            count = _row_count(parsed)
            record = journal.get(parsed.kind) or RefdataImport(kind=parsed.kind)
            record.filename, record.checksum, record.row_count, record.loaded_at = (
                parsed.path.name[:250], parsed.checksum, count, utcnow(),
            )
            db.session.add(record)
            summary.files.append(FileResult(parsed.kind, parsed.path.name, count, skipped=False))
            step += 1
            report(f"écriture {parsed.path.name}", step, total)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report("terminé", total, total)
    order = {kind: i for i, (kind, _) in enumerate(files)}
    summary.files.sort(key=lambda r: order.get(r.kind, 0))
    return summary


def table_counts() -> dict[str, int]:
    """Row counts of the reference tables (for the CLI summary and the admin page)."""
    models = {
        "cpv": CpvCode,
        "naf": NafCode,
        "qpv": Qpv,
        "qpv_communes": QpvCommune,
        "qpv_areas": QpvArea,
        "communes": Commune,
        "postcodes": PostcodeEntry,
    }
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0 for name, model in models.items()
    }
