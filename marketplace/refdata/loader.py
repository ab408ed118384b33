"""Load the official reference files into the reference tables.

``load_directory(path)`` finds whichever known files the folder holds (layout of ``../shared/data``, see
docs/refdata.md), parses and checks *all* of them first, then writes them in one transaction: a malformed
file changes nothing and the error names the file and the line. A file whose SHA-256 is already recorded in
``ref_imports`` is skipped (its recorded count is still reported), so running it at every start is cheap.
A file that would shrink its table by more than 5 % is refused unless ``allow_shrink`` (a cut file is the
usual cause). Commune names are derived data: recomputed whenever the files that name communes or the naming
rule changed since they were last computed (journal row ``commune_names``), so a reload repairs names written
by an older version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db, refresh_planner_statistics
from ..models import (
    Commune,
    CpvCode,
    NafCode,
    PostcodeEntry,
    Qpv,
    QpvArea,
    QpvCommune,
    RefdataImport,
    SupplierCompany,
    utcnow,
)
from .departments import department_of_insee, region_of
from .parsers import (
    ProgressCallback,
    RefdataError,
    choose_commune_name,
    commune_name_from_laposte,
    discover,
    file_checksum,
    parser_for,
)

# A reload may lose at most this share of a table's rows without --allow-shrink.
MAX_SHRINK = 0.05
# Files whose rows name communes; the names are recomputed when one of them, or the naming rule, changed.
NAMING_KINDS = ("postcodes", "qpv_list", "qpv_centroids", "cog_communes")
# Journal row (not a file) of the computed commune names: its checksum sums up the inputs and the rule.
NAMES_KIND = "commune_names"
NAMES_RULE_REVISION = "1"  # bump when parsers.choose_commune_name changes: the next load recomputes every name


@dataclass
class FileResult:
    kind: str
    filename: str
    rows: int
    skipped: bool  # unchanged since the last load
    repaired: int = 0  # invalid polygons made valid


@dataclass
class LoadSummary:
    files: list[FileResult] = field(default_factory=list)

    def describe(self) -> str:
        if not self.files:
            return "Aucun fichier de référence reconnu dans ce dossier : le référentiel intégré reste utilisé."
        lines = []
        for result in self.files:
            state = "inchangé, déjà chargé" if result.skipped else "chargé"
            if result.repaired:
                state += f", dont {result.repaired} polygone{'s' if result.repaired > 1 else ''} " \
                         f"réparé{'s' if result.repaired > 1 else ''}"
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


def _placeholder_name(insee: str) -> str:
    """The name of a commune no file names alone (only ANCT's lists of communes, no La Poste line)."""
    return f"Commune {insee}"


def _upsert_communes(candidates: dict[str, dict], *, authoritative: bool) -> None:
    """Insert missing communes, update existing ones; names are set afterwards by ``_refresh_commune_names``.

    ``authoritative`` (ANCT centroids) overwrites the point; La Poste data only fills gaps and never replaces an
    ANCT point. ``source`` records where the point comes from.
    """
    existing = {row.insee: row for row in db.session.execute(sa.select(Commune.__table__))}
    inserts, updates = [], []
    for insee, data in candidates.items():
        department = department_of_insee(insee)
        current = existing.get(insee)
        if current is None:
            inserts.append({"insee": insee, "department": department, "region": region_of(department),
                            **data, "name": data.get("name") or _placeholder_name(insee)})
            continue
        if authoritative or current.source != "anct":
            merged = {key: value for key, value in data.items() if key != "name"}
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
                row["commune_insee"],
                {"name": commune_name_from_laposte(row["commune_name"]), "lat": None, "lon": None,
                 "source": "laposte"},
            )
            if entry["lat"] is None and row["lat"] is not None:
                entry["lat"], entry["lon"] = row["lat"], row["lon"]
        _upsert_communes(communes, authoritative=False)
    elif kind == "qpv_list":
        _replace(Qpv, [{k: r[k] for k in ("code", "name", "department")} for r in rows])
        links = {(link["qpv_code"], link["commune_insee"]): link for r in rows for link in r["communes"]}
        _replace(QpvCommune, list(links.values()))
        existing = set(db.session.scalars(sa.select(Commune.insee)))
        named: dict[str, set[str]] = {}
        for link in links.values():
            named.setdefault(link["commune_insee"], set()).add(link["commune_name"])
        inserts = [
            {"insee": i, "name": name, "department": department_of_insee(i),
             "region": region_of(department_of_insee(i)), "lat": None, "lon": None, "source": "anct"}
            for i, names in named.items()
            if i not in existing and (name := choose_commune_name(None, None, names))
        ]
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
    elif kind == "cog_communes":
        pass  # names only: read again by _update_commune_names whenever the names are recomputed
    else:  # polygons: the rows of one file replace that file's previous rows
        source = parsed.path.name[:200]
        rows = [{key: value for key, value in row.items() if key != "repaired"} for row in rows]
        codes = [r["code"] for r in rows]
        db.session.execute(sa.delete(QpvArea).where(QpvArea.source == source))
        for start in range(0, len(codes), 500):
            db.session.execute(sa.delete(QpvArea).where(QpvArea.code.in_(codes[start : start + 500])))
        for start in range(0, len(rows), 500):
            db.session.execute(sa.insert(QpvArea), rows[start : start + 500])


def _row_count(parsed: _Parsed) -> int:
    return len(parsed.rows)


def _repaired(parsed: _Parsed) -> int:
    return sum(1 for row in parsed.rows if isinstance(row, dict) and row.get("repaired"))


def _names_key(journal: dict[str, RefdataImport]) -> str:
    inputs = [f"{kind}:{journal[kind].checksum}" for kind in sorted(journal) if kind in NAMING_KINDS]
    return hashlib.sha256("|".join([NAMES_RULE_REVISION, *inputs]).encode()).hexdigest()


def _refresh_commune_names(official: dict[str, str]) -> int:
    """Give every commune its own name (``parsers.choose_commune_name``): the COG's, else ANCT's spelling of
    La Poste's name, else La Poste's by the rule. Companies keep a copy of their commune's name: it follows
    (without touching ``updated_at``: the entrepreneur changed nothing)."""
    laposte: dict[str, str] = {}
    for insee, name in db.session.execute(
        sa.select(PostcodeEntry.commune_insee, PostcodeEntry.commune_name).order_by(PostcodeEntry.id)
    ):
        laposte.setdefault(insee, name)
    anct: dict[str, set[str]] = {}
    for insee, name in db.session.execute(sa.select(QpvCommune.commune_insee, QpvCommune.commune_name)):
        anct.setdefault(insee, set()).add(name)
    updates = []
    for insee, current in db.session.execute(sa.select(Commune.insee, Commune.name)):
        name = choose_commune_name(official.get(insee), laposte.get(insee), anct.get(insee, ()))
        name = (name or _placeholder_name(insee))[:120]
        if name != current:
            updates.append({"insee": insee, "name": name})
    for start in range(0, len(updates), 5000):
        db.session.execute(sa.update(Commune), updates[start : start + 5000])
    communes = db.session.scalar(sa.select(sa.func.count()).select_from(Commune)) or 0
    commune = sa.select(Commune.name).where(Commune.insee == SupplierCompany.commune_insee).scalar_subquery()
    db.session.execute(
        sa.update(SupplierCompany)
        .where(SupplierCompany.commune_insee.is_not(None), commune.is_not(None),
               SupplierCompany.commune_name.is_distinct_from(commune))
        .values(commune_name=commune, updated_at=SupplierCompany.updated_at)
        .execution_options(synchronize_session=False)
    )
    return communes


def _update_commune_names(files: list[tuple[str, Path]], pending: list[_Parsed],
                          journal: dict[str, RefdataImport], *, force: bool) -> None:
    """Recompute the names unless the journal says they were computed from these very files by this rule.

    The COG's names are read from the folder's file; a folder without it stops it from naming communes, so its
    journal row goes (the journal then tells the truth about where the names come from).
    """
    if not any(kind in NAMING_KINDS for kind, _ in files):
        return
    cog = next((path for kind, path in files if kind == "cog_communes"), None)
    if cog is None and "cog_communes" in journal:
        db.session.delete(journal.pop("cog_communes"))
    key = _names_key(journal)
    record = journal.get(NAMES_KIND)
    if record is not None and record.checksum == key and not force:
        return
    official: dict[str, str] = {}
    if cog is not None:
        parsed = next((p.rows for p in pending if p.kind == "cog_communes"), None)
        official = {row["insee"]: row["name"] for row in (parsed or parser_for("cog_communes")(cog))}
    db.session.flush()
    count = _refresh_commune_names(official)
    record = record or RefdataImport(kind=NAMES_KIND)
    record.filename, record.checksum, record.row_count, record.loaded_at = (
        "noms des communes (calculés)", key, count, utcnow())
    db.session.add(record)


def _previous_count(parsed: _Parsed, journal: dict[str, RefdataImport]) -> int:
    """Rows the file's table (or, for files merged into shared tables, the file's last load) holds today."""
    tables = {"cpv": CpvCode, "naf": NafCode, "postcodes": PostcodeEntry, "qpv_list": Qpv}
    if parsed.kind in tables:
        return db.session.scalar(sa.select(sa.func.count()).select_from(tables[parsed.kind])) or 0
    if parsed.kind.startswith("qpv_polygons:"):
        where = QpvArea.source == parsed.path.name[:200]
        return db.session.scalar(sa.select(sa.func.count()).select_from(QpvArea).where(where)) or 0
    known = journal.get(parsed.kind)
    return known.row_count if known is not None else 0


def _french_number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _check_shrink(pending: list[_Parsed], journal: dict[str, RefdataImport]) -> None:
    """Refuse (before anything is written) every file that would remove more than MAX_SHRINK of its rows."""
    refused = []
    for parsed in pending:
        before, after = _previous_count(parsed, journal), _row_count(parsed)
        if before and after < before * (1 - MAX_SHRINK):
            change = f"{-100 * (before - after) / before:.1f}".replace(".", ",")
            refused.append(f"{parsed.path.name} : {_french_number(before)} -> {_french_number(after)} lignes "
                           f"({change} %)")
    if refused:
        raise RefdataError(
            f"{' ; '.join(refused)}. Plus de {MAX_SHRINK * 100:.0f} % des lignes disparaîtraient : le fichier est "
            "peut-être tronqué. Vérifiez-le, ou relancez avec --allow-shrink si cette baisse est voulue."
        )


def _drop_superseded(parsed: _Parsed, journal: dict[str, RefdataImport]) -> None:
    """A GeoJSON file read as another kind than before (centroids <-> contours) leaves no journal row (nor
    contours) of its previous reading."""
    if not (parsed.kind == "qpv_centroids" or parsed.kind.startswith("qpv_polygons:")):
        return
    name = parsed.path.name[:250]
    stale = db.session.scalars(
        sa.select(RefdataImport).where(RefdataImport.filename == name, RefdataImport.kind != parsed.kind)
    ).all()
    for record in stale:
        if record.kind.startswith("qpv_polygons:"):
            db.session.execute(sa.delete(QpvArea).where(QpvArea.source == name[:200]))
        if record.kind.startswith("qpv_polygons:") or record.kind == "qpv_centroids":
            db.session.delete(record)
            journal.pop(record.kind, None)


# --------------------------------------------------------------------------------------------- entry point


def load_directory(
    directory: str | Path,
    *,
    force: bool = False,
    allow_shrink: bool = False,
    progress: ProgressCallback | None = None,
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
        if not allow_shrink:
            _check_shrink(pending, journal)
        for parsed in pending:
            _write(parsed)
            _drop_superseded(parsed, journal)
            count = _row_count(parsed)
            record = journal.get(parsed.kind)
            if record is None:
                record = journal[parsed.kind] = RefdataImport(kind=parsed.kind)
            record.filename, record.checksum, record.row_count, record.loaded_at = (
                parsed.path.name[:250], parsed.checksum, count, utcnow(),
            )
            db.session.add(record)
            summary.files.append(
                FileResult(parsed.kind, parsed.path.name, count, skipped=False, repaired=_repaired(parsed))
            )
            step += 1
            report(f"écriture {parsed.path.name}", step, total)
        _update_commune_names(files, pending, journal, force=force)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    refresh_planner_statistics()
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
