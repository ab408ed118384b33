"""Buyer rules: an organisation's tenders and their lots, from draft to award.

Every rule lives here and runs without a request: views, the CLI, the API and tests all call these
functions. Input comes as ``TenderData`` (or a mapping with the same keys); refusals are ``ServiceError``
whose keys are the form's field names (``lots-0-title`` for a lot's field) and whose messages are French.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import NotFound

from .. import submissions
from ..extensions import db
from ..models import LABELS, Lot, Role, Tender, TenderStatus, User, utcnow
from ..money import MAX_AMOUNT_CENTS, format_euros
from ..opportunities.alerts import alert_matching_companies
from ..refdata.departments import is_department, normalise_department
from ..refdata.lookups import clean_cpv_codes
from ..validators import ServiceError

MAX_LOTS = 20
TITLE_MAX = 250
DESCRIPTION_MAX = 20_000
PER_PAGE = 20
PARIS = ZoneInfo("Europe/Paris")

POSTCODE_RE = re.compile(r"^\d{5}$", re.ASCII)


class TenderNotFound(NotFound):
    """The tender does not exist or belongs to another organisation (never tell which)."""

    description = "Cet appel d'offres est introuvable."


# --------------------------------------------------------------------------- parsing helpers (pure)


def today() -> date:
    """Today's date in France: deadlines are French calendar days."""
    return datetime.now(PARIS).date()


def _short(code: str) -> str:
    return code if len(code) <= 30 else code[:29] + "…"


# --------------------------------------------------------------------------- input shape


@dataclass
class LotData:
    title: str = ""
    description: str = ""
    cpv_codes: list[str] = field(default_factory=list)
    budget_cents: int | None = None
    id: int | None = None  # an existing lot of the tender being edited, kept so later shortlists survive edits


@dataclass
class TenderData:
    title: str = ""
    description: str = ""
    cpv_codes: list[str] = field(default_factory=list)
    department: str | None = None
    postcode: str | None = None
    budget_cents: int | None = None
    deadline: date | None = None
    required_labels: list[str] = field(default_factory=list)
    reserved_for_inclusive: bool = False
    lots: list[LotData] = field(default_factory=list)

    @classmethod
    def coerce(cls, data: TenderData | Mapping) -> TenderData:
        if isinstance(data, TenderData):
            return data
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in dict(data).items() if key in known}
        values["lots"] = [
            lot if isinstance(lot, LotData) else LotData(**{k: v for k, v in dict(lot).items() if k in _LOT_KEYS})
            for lot in values.get("lots") or ()
        ]
        return cls(**values)


_LOT_KEYS = {f.name for f in fields(LotData)}


@dataclass(frozen=True)
class TenderPage:
    items: list[Tender]
    page: int
    pages: int
    total: int
    per_page: int
    status: TenderStatus | None

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# --------------------------------------------------------------------------- validation


def _text(value, name: str, errors: dict, *, required: str | None, max_length: int) -> str:
    text = (value or "") if isinstance(value, str) or value is None else str(value)
    # NUL characters are refused by PostgreSQL text columns and never meant: drop them.
    text = text.replace("\x00", "").strip()
    if required and not text:
        errors[name] = required
    elif len(text) > max_length:
        errors[name] = f"{max_length} caractères au maximum ({len(text)} saisis)."
    return text


def _cents(value, name: str, errors: dict) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = "Montant invalide."
        return None
    if value < 0:
        errors[name] = "Le montant ne peut pas être négatif."
    elif value > MAX_AMOUNT_CENTS:
        errors[name] = "Ce montant est trop élevé."
    return value


def _codes(value, name: str, errors: dict) -> list[str]:
    try:
        return clean_cpv_codes(value)
    except ValueError as error:
        errors[name] = str(error)
        return []


def _clean(data: TenderData | Mapping) -> TenderData:
    """Check and normalise every field; raise ServiceError listing every problem at once."""
    try:
        data = TenderData.coerce(data)
    except TypeError:
        raise ServiceError("Données de l'appel d'offres incomplètes ou mal formées.") from None
    errors: dict[str, str] = {}
    clean = TenderData(
        title=_text(data.title, "title", errors, required="Donnez un titre à l'appel d'offres.", max_length=TITLE_MAX),
        description=_text(data.description, "description", errors, required=None, max_length=DESCRIPTION_MAX),
        cpv_codes=_codes(data.cpv_codes, "cpv_codes", errors),
        budget_cents=_cents(data.budget_cents, "budget", errors),
        reserved_for_inclusive=bool(data.reserved_for_inclusive),
    )
    department = normalise_department(data.department) or None
    if department and not is_department(department):
        errors["department"] = "Département inconnu : choisissez un département dans la liste."
    clean.department = department
    postcode = (data.postcode or "").replace(" ", "").strip() or None
    if postcode and not POSTCODE_RE.match(postcode):
        errors["postcode"] = "Le code postal doit comporter 5 chiffres."
    elif postcode and department and not _postcode_matches(postcode, department):
        errors["postcode"] = f"Ce code postal n'est pas dans le département {department}."
    clean.postcode = postcode
    if data.deadline is not None and not isinstance(data.deadline, date):
        errors["deadline"] = "Date limite invalide."
    else:
        clean.deadline = data.deadline
    labels = list(dict.fromkeys(data.required_labels or ()))
    unknown = [label for label in labels if label not in LABELS]
    if unknown:
        errors["required_labels"] = f"Label inconnu : {_short(str(unknown[0]))}."
    clean.required_labels = [label for label in labels if label in LABELS]

    lots = list(data.lots or ())
    if len(lots) > MAX_LOTS:
        errors["lots"] = f"Un appel d'offres compte au plus {MAX_LOTS} lots."
    for index, lot in enumerate(lots[:MAX_LOTS]):
        prefix = f"lots-{index}-"
        clean.lots.append(
            LotData(
                title=_text(lot.title, prefix + "title", errors, required="Donnez un titre au lot.",
                            max_length=TITLE_MAX),
                description=_text(lot.description, prefix + "description", errors, required=None,
                                  max_length=DESCRIPTION_MAX),
                cpv_codes=_codes(lot.cpv_codes, prefix + "cpv_codes", errors),
                budget_cents=_cents(lot.budget_cents, prefix + "budget", errors),
                id=lot.id if isinstance(lot.id, int) and not isinstance(lot.id, bool) else None,
            )
        )
    lot_total = sum(lot.budget_cents or 0 for lot in clean.lots)
    if clean.budget_cents is not None and "budget" not in errors and lot_total > clean.budget_cents:
        errors["budget"] = (
            f"Le total des budgets des lots ({format_euros(lot_total)}) dépasse le budget de l'appel d'offres "
            f"({format_euros(clean.budget_cents)}) : augmentez le budget ou réduisez celui des lots."
        )
    if errors:
        raise ServiceError(errors)
    return clean


def _postcode_matches(postcode: str, department: str) -> bool:
    if department in ("2A", "2B"):
        return postcode.startswith("20")
    return postcode.startswith(department)


def _publication_errors(tender: Tender) -> dict[str, str]:
    errors = {}
    if not (tender.title or "").strip():
        errors["title"] = "Donnez un titre à l'appel d'offres."
    if not (tender.description or "").strip():
        errors["description"] = "Décrivez votre besoin avant de publier."
    if not tender.cpv_codes and not any(lot.cpv_codes for lot in tender.lots):
        errors["cpv_codes"] = "Indiquez au moins un code CPV avant de publier."
    if tender.deadline is None:
        errors["deadline"] = "Fixez une date limite de réponse avant de publier."
    elif tender.deadline < today():
        errors["deadline"] = "La date limite de réponse est passée : choisissez une date à venir."
    return errors


# --------------------------------------------------------------------------- access


def _organisation_id(user: User) -> int:
    if user is None or getattr(user, "role", None) is not Role.BUYER or user.buyer_organisation_id is None:
        raise ServiceError("Votre compte n'est rattaché à aucune organisation acheteuse.")
    return user.buyer_organisation_id


def get_tender(user: User, tender_id: int, *, for_update: bool = False) -> Tender:
    """The tender if ``user`` belongs to its organisation; TenderNotFound (a 404) otherwise."""
    if user is None or getattr(user, "role", None) is not Role.BUYER or user.buyer_organisation_id is None:
        raise TenderNotFound()
    stmt = (
        select(Tender)
        .where(Tender.id == tender_id, Tender.buyer_organisation_id == user.buyer_organisation_id)
        .options(selectinload(Tender.lots))
    )
    if for_update:
        # populate_existing: re-read the row under the lock, not the copy the request already loaded.
        stmt = stmt.with_for_update(of=Tender).execution_options(populate_existing=True)
    tender = db.session.scalar(stmt)
    if tender is None:
        raise TenderNotFound()
    return tender


def tenders_of(user: User) -> list[Tender]:
    """All the tenders of the user's organisation, newest first (the dashboard's list)."""
    if user.buyer_organisation_id is None:
        return []
    stmt = (
        select(Tender)
        .where(Tender.buyer_organisation_id == user.buyer_organisation_id)
        .options(selectinload(Tender.lots))
        .order_by(Tender.created_at.desc(), Tender.id.desc())
    )
    return list(db.session.scalars(stmt))


def list_tenders(
    user: User, status: TenderStatus | str | None = None, page: int = 1, *, per_page: int = PER_PAGE
) -> TenderPage:
    """One page of the organisation's tenders, newest first; a page out of range gives the last page."""
    if status is not None and not isinstance(status, TenderStatus):
        try:
            status = TenderStatus(status)
        except ValueError:
            raise ServiceError({"status": "Statut inconnu."}) from None
    if user.buyer_organisation_id is None:
        return TenderPage([], 1, 1, 0, per_page, status)
    where = [Tender.buyer_organisation_id == user.buyer_organisation_id]
    if status is not None:
        where.append(Tender.status == status)
    total = db.session.scalar(select(func.count(Tender.id)).where(*where)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, int(page or 1)), pages)
    stmt = (
        select(Tender)
        .where(*where)
        .options(selectinload(Tender.lots))
        .order_by(Tender.created_at.desc(), Tender.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return TenderPage(list(db.session.scalars(stmt)), page, pages, total, per_page, status)


def status_counts(user: User) -> dict[TenderStatus, int]:
    counts = dict.fromkeys(TenderStatus, 0)
    if user.buyer_organisation_id is None:
        return counts
    stmt = (
        select(Tender.status, func.count(Tender.id))
        .where(Tender.buyer_organisation_id == user.buyer_organisation_id)
        .group_by(Tender.status)
    )
    counts.update({status: count for status, count in db.session.execute(stmt)})
    return counts


# --------------------------------------------------------------------------- writes


def _apply(tender: Tender, data: TenderData) -> None:
    tender.title = data.title
    tender.description = data.description
    tender.cpv_codes = list(data.cpv_codes)
    tender.department = data.department
    tender.postcode = data.postcode
    tender.budget_cents = data.budget_cents
    tender.deadline = data.deadline
    tender.required_labels = list(data.required_labels)
    tender.reserved_for_inclusive = data.reserved_for_inclusive


def _sync_lots(tender: Tender, lots: list[LotData]) -> None:
    """Make the tender's lots match ``lots`` in order, numbered 1..n, keeping the rows of lots still there."""
    existing = {lot.id: lot for lot in tender.lots}
    kept: list[Lot] = []
    for item in lots:
        lot = existing.pop(item.id, None) if item.id is not None else None
        kept.append(lot or Lot(title=item.title))
    for removed in existing.values():
        tender.lots.remove(removed)
    if tender.id is not None:
        db.session.flush()
        # Two passes so that renumbering never collides with uq_lots_tender_number mid-flush.
        for offset, lot in enumerate(lot for lot in kept if lot.id is not None):
            lot.number = 10_000 + offset
        db.session.flush()
    for number, (lot, item) in enumerate(zip(kept, lots, strict=True), start=1):
        lot.number = number
        lot.title = item.title
        lot.description = item.description
        lot.cpv_codes = list(item.cpv_codes)
        lot.budget_cents = item.budget_cents
        if lot.id is None:
            tender.lots.append(lot)
    tender.lots.sort(key=lambda lot: lot.number)


def create_tender(user: User, data: TenderData | Mapping, *, submission_token: str | None = None) -> Tender:
    """A new draft tender of the user's organisation.

    ``submission_token`` is the creation form's one-time token: a page posted twice creates one tender, the
    second post raising ``AlreadySubmitted`` with the first tender (see ``marketplace.submissions``).
    """
    organisation_id = _organisation_id(user)
    token = submissions.clean_token(submission_token)

    def is_mine(tender: Tender) -> bool:
        return tender.buyer_organisation_id == organisation_id

    submissions.refuse_if_used(Tender, token, is_mine)
    clean = _clean(data)
    tender = Tender(buyer_organisation_id=organisation_id, created_by_id=user.id, status=TenderStatus.DRAFT, title="",
                    submission_token=token)
    _apply(tender, clean)
    db.session.add(tender)
    _sync_lots(tender, clean.lots)
    submissions.commit_once(Tender, token, is_mine)
    return tender


def update_tender(user: User, tender_id: int, data: TenderData | Mapping) -> Tender:
    """Edit a draft or published tender; a published one must stay publishable."""
    tender = get_tender(user, tender_id, for_update=True)
    if tender.status not in (TenderStatus.DRAFT, TenderStatus.PUBLISHED):
        db.session.rollback()
        raise ServiceError(f"Un appel d'offres « {tender.status_label.lower()} » ne peut plus être modifié.")
    try:
        clean = _clean(data)
    except ServiceError:
        db.session.rollback()
        raise
    # Lots given with the id of another tender's lot are treated as new lots.
    own_ids = {lot.id for lot in tender.lots}
    for lot in clean.lots:
        if lot.id not in own_ids:
            lot.id = None
    if tender.status is TenderStatus.PUBLISHED:
        errors = {}
        if not clean.description:
            errors["description"] = "Un appel d'offres publié doit garder sa description."
        if not clean.cpv_codes and not any(lot.cpv_codes for lot in clean.lots):
            errors["cpv_codes"] = "Un appel d'offres publié doit garder au moins un code CPV."
        if clean.deadline is None:
            errors["deadline"] = "Un appel d'offres publié doit garder une date limite."
        elif clean.deadline < today() and clean.deadline != tender.deadline:
            errors["deadline"] = "La date limite ne peut pas être dans le passé."
        if errors:
            db.session.rollback()
            raise ServiceError(errors)
    _apply(tender, clean)
    _sync_lots(tender, clean.lots)
    db.session.commit()
    return tender


def _transition(user: User, tender_id: int, source: TenderStatus, target: TenderStatus, refusal: str) -> Tender:
    tender = get_tender(user, tender_id, for_update=True)
    if tender.status is not source:
        db.session.rollback()
        raise ServiceError({"status": refusal.format(status=tender.status_label.lower())})
    tender.status = target
    return tender


def publish(user: User, tender_id: int) -> Tender:
    """Draft -> published: needs a title, a description, a CPV code and a deadline not yet passed."""
    tender = _transition(
        user, tender_id, TenderStatus.DRAFT, TenderStatus.PUBLISHED,
        "Seul un brouillon peut être publié (cet appel d'offres est {status}).",
    )
    errors = _publication_errors(tender)
    if errors:
        db.session.rollback()
        raise ServiceError(errors)
    tender.published_at = utcnow()
    alert_matching_companies(tender)  # notifications in this transaction (opportunities/alerts.py)
    db.session.commit()
    return tender


def close(user: User, tender_id: int) -> Tender:
    """Published -> closed: no more answers."""
    tender = _transition(
        user, tender_id, TenderStatus.PUBLISHED, TenderStatus.CLOSED,
        "Seul un appel d'offres publié peut être clos (celui-ci est {status}).",
    )
    db.session.commit()
    return tender


def delete_tender(user: User, tender_id: int) -> str:
    """Delete a draft (published tenders are closed instead, to keep their history); returns its title."""
    tender = get_tender(user, tender_id, for_update=True)
    if tender.status is not TenderStatus.DRAFT:
        db.session.rollback()
        raise ServiceError({"status": "Seul un brouillon peut être supprimé : clôturez plutôt cet appel d'offres."})
    title = tender.title
    db.session.delete(tender)
    db.session.commit()
    return title


def form_data_of(tender: Tender) -> dict:
    """The tender as the edit form's initial data."""
    return {
        "title": tender.title,
        "description": tender.description,
        "cpv_codes": list(tender.cpv_codes or ()),
        "department": tender.department or "",
        "postcode": tender.postcode or "",
        "budget": tender.budget_eur,
        "deadline": tender.deadline,
        "required_labels": list(tender.required_labels or ()),
        "reserved_for_inclusive": tender.reserved_for_inclusive,
        "lots": [
            {
                "lot_id": lot.id,
                "title": lot.title,
                "description": lot.description,
                "cpv_codes": list(lot.cpv_codes or ()),
                "budget": lot.budget_eur,
            }
            for lot in tender.lots
        ],
    }
