"""Personal data export (RGPD articles 15 and 20): everything the platform keeps about one user, as plain data.

``export_user_data(user)`` builds a JSON-ready dict without a request. It holds only the user's own data:
never a password hash, a session or submission token, an unsubscribe link, nor another person's identity
(an administrator who decided on a QPV claim is named by role, colleagues' drafts are left out).
"""

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from ..extensions import db
from ..models import (
    BuyerOrganisation,
    Notification,
    NotificationPreference,
    OutboxEmail,
    QpvStatusChange,
    Role,
    SupplierCompany,
    Tender,
    TenderInterest,
    TenderStatus,
    User,
    utcnow,
)
from ..notifications.services import frequencies, kinds_for

FORMAT_VERSION = 1
# Column names never exported, whatever the table: credentials, one-time tokens, internal counters.
_SECRET_MARKERS = ("password", "hash", "token", "secret", "unsubscribe")
_INTERNAL_COLUMNS = {"search_revision", "name_key"}


def export_filename(now: datetime | None = None) -> str:
    return f"mes-donnees-{(now or utcnow()).date().isoformat()}.json"


def export_user_data(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """The user's data as a JSON-ready dict: dates ISO 8601 UTC, amounts as euro strings ("1234.50")."""
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": _value(now or utcnow()),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role.value,
            "role_label": user.role.label,
            "active": user.active,
            "created_at": _value(user.created_at),
            "last_login_at": _value(user.last_login_at),
        },
        "companies": [_company(user, company) for company in _companies(user)],
        "buyer_organisation": None,
        "tenders": [],
        "notifications": [_row(n, exclude={"user_id"}) for n in _notifications(user)],
        "notification_preferences": _preferences(user),
        "emails": [_email(e) for e in _emails(user)],
    }
    if user.role is Role.BUYER and user.buyer_organisation_id is not None:
        organisation = db.session.get(BuyerOrganisation, user.buyer_organisation_id)
        data["buyer_organisation"] = _row(organisation)
        data["tenders"] = [_tender(user, tender) for tender in _tenders(user)]
    return data


def export_summary(user: User) -> dict[str, int]:
    """How many items of each kind the export holds: what the "Mes données" page announces."""
    summary = {
        "companies": len(_companies(user)),
        "notifications": len(_notifications(user)),
        "emails": len(_emails(user)),
    }
    if user.role is Role.BUYER and user.buyer_organisation_id is not None:
        summary["tenders"] = len(_tenders(user))
    return summary


# --- queries: each scoped to the user ------------------------------------------------------------------------

def _companies(user: User) -> list[SupplierCompany]:
    return list(db.session.scalars(
        select(SupplierCompany).where(SupplierCompany.member_clause(user.id)).order_by(SupplierCompany.id)
    ))


def _tenders(user: User) -> list[Tender]:
    """The organisation's tenders once out of draft, and the user's own drafts (a colleague's draft is theirs)."""
    return list(db.session.scalars(
        select(Tender)
        .where(Tender.buyer_organisation_id == user.buyer_organisation_id,
               or_(Tender.status != TenderStatus.DRAFT, Tender.created_by_id == user.id))
        .order_by(Tender.id)
    ))


def _notifications(user: User) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    ))


def _emails(user: User) -> list[OutboxEmail]:
    return list(db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.user_id == user.id).order_by(OutboxEmail.id)
    ))


# --- shapes --------------------------------------------------------------------------------------------------

def _company(user: User, company: SupplierCompany) -> dict[str, Any]:
    record = _row(company, exclude={"owner_id"})
    record["offers"] = [_row(offer, exclude={"supplier_id"}) for offer in company.offers]
    history = db.session.scalars(
        select(QpvStatusChange).where(QpvStatusChange.supplier_id == company.id).order_by(QpvStatusChange.id)
    )
    record["qpv_status_history"] = [_qpv_change(user, change) for change in history]
    interests = db.session.scalars(
        select(TenderInterest).where(TenderInterest.supplier_company_id == company.id).order_by(TenderInterest.id)
    )
    record["tender_interests"] = [_interest(interest) for interest in interests]
    return record


def _qpv_change(user: User, change: QpvStatusChange) -> dict[str, Any]:
    record = _row(change, exclude={"supplier_id", "actor_id"})
    if change.actor_id is None:
        record["made_by"] = "platform"
    elif change.actor_id == user.id:
        record["made_by"] = "you"
    else:  # an administrator (or a colleague): their role, not their identity
        record["made_by"] = change.actor.role.value if change.actor is not None else "platform"
    return record


def _interest(interest: TenderInterest) -> dict[str, Any]:
    tender = interest.tender
    return {
        "tender": {"id": tender.id, "title": tender.title, "reference": tender.reference,
                   "buyer_organisation": tender.buyer_organisation.name},
        "lots": [{"number": lot.number, "title": lot.title} for lot in interest.lots],
        "message": interest.message,
        "created_at": _value(interest.created_at),
        "updated_at": _value(interest.updated_at),
        "withdrawn_at": _value(interest.withdrawn_at),
    }


def _tender(user: User, tender: Tender) -> dict[str, Any]:
    record = _row(tender, exclude={"buyer_organisation_id", "created_by_id"})
    record["created_by_you"] = tender.created_by_id == user.id
    record["lots"] = [_row(lot, exclude={"tender_id"}) for lot in tender.lots]
    return record


def _preferences(user: User) -> dict[str, Any]:
    chosen = {
        pref.kind.value: pref.frequency.value
        for pref in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    effective = frequencies(user)
    return {
        "chosen": chosen,
        "effective": {kind.value: effective[kind].value for kind in kinds_for(user) if kind in effective},
    }


def _email(email: OutboxEmail) -> dict[str, Any]:
    """What was written to the user and when, not the bodies (their content is in the notifications)."""
    return {
        "to_address": email.to_address,
        "subject": email.subject,
        "kind": email.kind,
        "status": email.status.value,
        "created_at": _value(email.created_at),
        "sent_at": _value(email.sent_at),
    }


def _row(obj, exclude: set[str] = frozenset()) -> dict[str, Any]:
    """Every column of a row, JSON-ready, minus secrets and internal counters; ``*_cents`` become ``*_eur``."""
    record: dict[str, Any] = {}
    for column in obj.__table__.columns:
        name = column.key
        if name in exclude or name in _INTERNAL_COLUMNS or any(marker in name for marker in _SECRET_MARKERS):
            continue
        value = getattr(obj, name)
        if name.endswith("_cents"):
            record[name.removesuffix("_cents") + "_eur"] = None if value is None else _euros(value)
        else:
            record[name] = _value(value)
    return record


def _euros(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()  # UTCDateTime gives aware UTC datetimes: "...+00:00"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _value(item) for key, item in value.items()}
    return value
