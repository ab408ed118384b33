"""Participants imported from a spreadsheet (CSV or XLSX): every row checked before anything is saved.

Organisers keep their lists in Excel: French headers (case, accents and spacing do not count), CSV in UTF-8
with or without BOM and with ``;`` or ``,``, or an XLSX workbook (its first sheet). Every bad row is reported
with its line number (the header is line 1) and why; nothing is imported while a row is bad unless the
organiser asks for the good rows only. The import is one transaction.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matching.text import fold

from ..extensions import db
from ..jobs import enqueue, job_handler
from ..models import Event, EventParticipant, Job, ParticipantSide, User
from ..refdata.lookups import clean_cpv_codes
from ..spreadsheets import csv_bytes
from ..validators import ServiceError, normalise_email
from . import services

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# Up to this many, invitations are written in the import's own transaction; beyond, rendering them would hold the
# request for seconds (3 ms each): a background job (``INVITATIONS_JOB``) writes them once the import is saved.
SEND_NOW_MAX = 200
INVITATIONS_JOB = "events.invitations"
INVITATIONS_CHUNK = 100
COLUMNS = ("type", "organisation", "nom", "email", "besoins", "cpv", "code_postal", "qpv")
REQUIRED_COLUMNS = ("type", "organisation", "nom", "email")
MAX_COLUMNS = len(COLUMNS) + 12  # columns of an XLSX read: the known ones, in any order, among a few others
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # an XLSX larger once unzipped is not a list of participants (zip bomb)
# Header spellings seen in organisers' files, folded (lower case, no accents, single spaces).
ALIASES = {
    "type": {"type", "cote", "profil", "categorie"},
    "organisation": {"organisation", "organisme", "entreprise", "structure", "societe", "raison sociale"},
    "nom": {"nom", "personne", "contact", "nom du contact", "prenom nom", "nom prenom", "participant"},
    "email": {"email", "e mail", "mail", "courriel", "adresse e mail", "adresse email"},
    "besoins": {"besoins", "besoin", "activite", "besoins activite", "description"},
    "cpv": {"cpv", "codes cpv", "code cpv"},
    "code_postal": {"code postal", "cp", "codepostal"},
    "qpv": {"qpv", "quartier prioritaire"},
}
SIDES = {"acheteur": ParticipantSide.BUYER, "acheteuse": ParticipantSide.BUYER, "buyer": ParticipantSide.BUYER,
         "entreprise": ParticipantSide.SUPPLIER, "entrepreneur": ParticipantSide.SUPPLIER,
         "entrepreneuse": ParticipantSide.SUPPLIER, "fournisseur": ParticipantSide.SUPPLIER,
         "supplier": ParticipantSide.SUPPLIER}
YES = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NO = {"non", "n", "no", "0", "faux", "false", ""}
FIELD_NAMES = {"side": "type", "person_name": "nom", "organisation_name": "organisation", "email": "email",
               "needs_text": "besoins", "cpv_codes": "cpv", "postcode": "code_postal"}
NOT_A_SPREADSHEET = ("Ce fichier n'est ni un CSV ni un classeur Excel (.xlsx) lisible : enregistrez votre tableau "
                     "au format « CSV UTF-8 » ou « Classeur Excel (.xlsx) », puis réessayez.")


@dataclass(frozen=True)
class BadRow:
    line: int
    reasons: list[str]

    @property
    def reason(self) -> str:
        return " ; ".join(self.reasons)


@dataclass
class Report:
    """What an import did: participants created (and invited), rows refused, rows read."""

    imported: list[EventParticipant] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    rows: int = 0
    invitations_job: Job | None = None  # the job sending the invitations of a large import

    @property
    def ok(self) -> bool:
        return not self.bad


def _header_key(value) -> str | None:
    folded = " ".join(fold(str(value or "")).replace("_", " ").replace("-", " ").split())
    return next((column for column, names in ALIASES.items() if folded in names), None)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\x00", "").strip()


def _csv_rows(content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096]:
        raise ServiceError({"file": NOT_A_SPREADSHEET})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError({"file": "Ce fichier CSV n'est pas en UTF-8 : dans Excel, choisissez « Enregistrer sous » "
                                    "puis le type « CSV UTF-8 (délimité par des virgules) »."}) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise ServiceError({"file": NOT_A_SPREADSHEET}) from None


def _xlsx_rows(content: bytes) -> list[list[str]]:
    """The first sheet's rows. Any failure to read the workbook (bad zip, malformed XML met while iterating, ...)
    is the file's fault: a French message, never a 500. The uncompressed size is checked first (zip bomb) and
    columns past the known ones (with a margin) are not read, so a sheet declaring ``A1:XFD5001`` stays small."""
    from openpyxl import load_workbook

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ServiceError({"file": NOT_A_SPREADSHEET}) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ServiceError({"file": f"Ce classeur décompressé dépasse {MAX_UNPACKED_BYTES // (1024 * 1024)} Mo : "
                                    "enregistrez seulement le tableau des participants, au format CSV UTF-8 de "
                                    "préférence."})
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises anything from zip, XML or its own parsing
        raise ServiceError({"file": NOT_A_SPREADSHEET}) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:  # the sheet's XML is read lazily, while iterating
        raise ServiceError({"file": NOT_A_SPREADSHEET}) from None
    finally:
        workbook.close()


def read_rows(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (line number, {column: text}), blank rows left out; ServiceError for the file."""
    if not content:
        raise ServiceError({"file": "Le fichier est vide."})
    if len(content) > MAX_BYTES:
        raise ServiceError({"file": f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le en plusieurs "
                                    "fichiers."})
    is_zip = content[:4] == b"PK\x03\x04"
    if (filename or "").lower().endswith((".xls", ".ods")) and not is_zip:
        raise ServiceError({"file": NOT_A_SPREADSHEET})
    rows = _xlsx_rows(content) if is_zip else _csv_rows(content)
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise ServiceError({"file": "Le fichier ne contient aucune ligne."})
    header = [_header_key(cell) for cell in rows[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ServiceError({"file": "Colonnes manquantes : " + ", ".join(f"« {m} »" for m in missing)
                                    + ". La première ligne doit porter les en-têtes du modèle : "
                                    + ";".join(COLUMNS) + "."})
    out = []
    for number, row in enumerate(rows[1:], start=2):
        values = {column: _cell(row[i]) if i < len(row) else "" for i, column in enumerate(header) if column}
        postcode = values.get("code_postal", "")
        if len(postcode) == 4 and postcode.isascii() and postcode.isdigit():  # Excel drops the 0 of "01500"
            values["code_postal"] = "0" + postcode
        if any(values.values()):
            out.append((number, values))
    if len(out) > MAX_ROWS:
        raise ServiceError({"file": f"Le fichier compte plus de {MAX_ROWS} lignes : découpez-le en plusieurs "
                                    "fichiers."})
    if not out:
        raise ServiceError({"file": "Le fichier ne contient que les en-têtes : aucune ligne à importer."})
    return out


def _memo_cpv_check():
    """``clean_cpv_codes`` remembered per typed text: a file repeats the same codes on many rows."""
    answers: dict[str, list[str] | str] = {}

    def check(text: str) -> list[str]:
        if text not in answers:
            try:
                answers[text] = clean_cpv_codes(text)
            except ValueError as error:
                answers[text] = str(error)
        if isinstance(answers[text], str):
            raise ValueError(answers[text])
        return list(answers[text])

    return check


def check_rows(event: Event, rows: list[tuple[int, dict[str, str]]]
               ) -> tuple[list[tuple[int, services.ParticipantData]], list[BadRow]]:
    """Each row as clean participant input, or the reasons it is refused (duplicates in the file and with the
    event's participants included)."""
    existing = set(db.session.scalars(select(EventParticipant.email).where(EventParticipant.event_id == event.id)))
    seen: dict[str, int] = {}
    check_cpv = _memo_cpv_check()
    good, bad = [], []
    for line, values in rows:
        reasons = []
        side = SIDES.get(fold(values.get("type", "")).strip())
        if side is None:
            reasons.append(f"type : « {values.get('type', '')[:30]} » inconnu (acheteur ou entreprise).")
        qpv_text = fold(values.get("qpv", "")).strip()
        if qpv_text not in YES | NO:
            reasons.append(f"qpv : « {values.get('qpv', '')[:30]} » inconnu (oui ou non).")
        data = services.ParticipantData(
            side=side or ParticipantSide.SUPPLIER, person_name=values.get("nom", ""),
            organisation_name=values.get("organisation", ""), email=values.get("email", ""),
            needs_text=values.get("besoins", ""), cpv_codes=values.get("cpv", ""),
            postcode=values.get("code_postal", ""), qpv_declared=qpv_text in YES)
        try:
            data = services.clean_participant(data, check_cpv=check_cpv)
        except ServiceError as error:
            reasons += [f"{FIELD_NAMES.get(name, name)} : {message}" for name, message in error.errors.items()]
            data = None
        if data is not None and side is not None:
            data.side = side
        email = normalise_email(values.get("email", ""))
        if email and email in seen:
            reasons.append(f"email : {email} figure déjà ligne {seen[email]}.")
        elif email and email in existing:
            reasons.append(f"email : {email} participe déjà à l'événement.")
        if email:
            seen.setdefault(email, line)
        if reasons:
            bad.append(BadRow(line, reasons))
        else:
            good.append((line, data))
    return good, bad


def import_participants(event: Event, filename: str, content: bytes, *, only_valid: bool = False,
                        send_invitations: bool = True, user: User | None = None) -> Report:
    """Check the file and import its participants in one transaction (commits). Nothing is saved while a row is
    bad, unless ``only_valid``: then the good rows are. Each imported participant is invited when asked: in the
    same transaction, or by a background job started for ``user`` beyond ``SEND_NOW_MAX`` participants."""
    rows = read_rows(filename, content)
    good, bad = check_rows(event, rows)
    report = Report(bad=bad, rows=len(rows))
    if (bad and not only_valid) or not good:
        return report
    try:
        accounts = services.accounts_by_email(data.email for _line, data in good)
        with db.session.no_autoflush:
            for _line, data in good:
                report.imported.append(services.new_participant(event, data, accounts))
        db.session.flush()
        later = send_invitations and len(report.imported) > SEND_NOW_MAX
        if send_invitations and not later:
            for participant in report.imported:
                services.send_invitation(participant)
        db.session.commit()
    except IntegrityError:  # a participant enrolled meanwhile with one of these addresses
        db.session.rollback()
        raise ServiceError({"file": "Une des adresses vient d'être inscrite par ailleurs : rien n'a été importé, "
                                    "recommencez l'import."}) from None
    if later:
        report.invitations_job = enqueue(INVITATIONS_JOB, {"event_id": event.id,
                                                           "participant_ids": [p.id for p in report.imported]},
                                         user=user)
    return report


@job_handler(INVITATIONS_JOB)
def send_invitations_job(payload: dict, progress) -> dict:
    """Invite the participants of a large import, by chunks (each chunk's e-mails committed together); those
    invited meanwhile (a reminder) or removed are skipped."""
    event_id = payload["event_id"]
    ids = [i for i in payload.get("participant_ids", []) if isinstance(i, int)]
    sent = 0
    for start in range(0, len(ids), INVITATIONS_CHUNK):
        chunk = ids[start:start + INVITATIONS_CHUNK]
        for participant in db.session.scalars(select(EventParticipant).where(
                EventParticipant.id.in_(chunk), EventParticipant.event_id == event_id,
                EventParticipant.invited_at.is_(None))):
            services.send_invitation(participant)
            sent += 1
        db.session.commit()
        done = min(start + INVITATIONS_CHUNK, len(ids))
        progress(done / len(ids), f"{done} invitations sur {len(ids)}")
    return {"sent": sent, "url": services.notifications.path_for("events.participants", event_id=event_id)}


def template_csv() -> bytes:
    """The file to fill in: the headers, UTF-8 with BOM and ``;`` (French Excel opens it as columns)."""
    return csv_bytes(COLUMNS, [])
