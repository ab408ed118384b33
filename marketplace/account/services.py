"""The user's own account: personal data export (RGPD articles 15 and 20) and account deletion (article 17).

``export_user_data(user)`` builds a JSON-ready dict without a request. It holds only the user's own data:
never a password hash, a session or submission token, an unsubscribe link, nor another person's identity
(an administrator who decided on a QPV claim is named by role, colleagues' drafts are left out).

``delete_account(user, password)`` deletes the account in one transaction; ``deletion_plan(user)`` says
beforehand what it will do (the confirmation page shows it). The rules are in ``delete_account``'s docstring.
"""

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, or_, select

from ..consortia import services as consortia
from ..conversations.services import export_records as export_messages
from ..extensions import db
from ..members import services as members
from ..models import (
    BuyerOrganisation,
    CompanyMember,
    Event,
    EventOrganiser,
    EventParticipant,
    EventWish,
    Notification,
    NotificationKind,
    NotificationPreference,
    Offer,
    OutboxEmail,
    OutboxStatus,
    QpvStatusChange,
    Role,
    SupplierCompany,
    Tender,
    TenderInterest,
    TenderStatus,
    User,
    next_search_revision,
    utcnow,
)
from ..notifications.services import frequencies, kinds_for, notify, path_for
from ..validators import ServiceError

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
        "company_memberships": [_membership(m) for m in _memberships(user)],
        "messages": export_messages(user),
        "event_participations": [_participation(p) for p in _participations(user)],
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
        "memberships": len(_memberships(user)),
        "messages": len(export_messages(user)),
        "event_participations": len(_participations(user)),
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


def _memberships(user: User) -> list[CompanyMember]:
    """The companies the user acts for as a member (beside their owner), oldest first."""
    return list(db.session.scalars(
        select(CompanyMember).where(CompanyMember.user_id == user.id).order_by(CompanyMember.created_at,
                                                                              CompanyMember.id)
    ))


def _participations(user: User) -> list[EventParticipant]:
    """The events the user takes part in (as a buyer or an entrepreneur), with their wishes and meetings."""
    return list(db.session.scalars(
        select(EventParticipant).where(EventParticipant.user_id == user.id).order_by(EventParticipant.id)
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


def _participation(participant: EventParticipant) -> dict[str, Any]:
    event = participant.event
    wishes = db.session.scalars(select(EventWish).where(EventWish.requester_id == participant.id)
                                .order_by(EventWish.id))
    meetings = [m for m in event.meetings if participant.id in (m.buyer_id, m.supplier_id)]
    return {
        "event": {"name": event.name, "place": event.place, "first_day": _value(event.first_day),
                  "last_day": _value(event.last_day)},
        **_row(participant, exclude={"id", "event_id", "user_id", "access_key"}),
        "wishes": [{"other": w.other.label, "value": w.value} for w in wishes],
        "meetings": [{"slot": m.slot, "table": m.table_number,
                      "with": (m.supplier if m.buyer_id == participant.id else m.buyer).label, "reason": m.reason}
                     for m in meetings],
    }


def _membership(member: CompanyMember) -> dict[str, Any]:
    """A company the user acts for as a member: its public identity and since when (not its owner's name)."""
    company = member.company
    return {"company": {"id": company.id, "name": company.name, "siret": company.siret},
            "member_since": _value(member.created_at)}


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


# --- account deletion (RGPD article 17) ----------------------------------------------------------------------

WRONG_PASSWORD = "Mot de passe incorrect."
LAST_ADMIN = ("Vous êtes le dernier administrateur actif de la plateforme : donnez ce rôle à une autre personne "
              "avant de supprimer votre compte.")


@dataclass(frozen=True)
class CompanyFate:
    """What happens to a company the user owns: handed over to its longest-standing member, or deleted."""

    company_id: int
    name: str
    siret: str
    new_owner_id: int | None  # None: the company is deleted (nobody else acts for it)
    new_owner_name: str | None
    offers: int
    interests: int

    @property
    def deleted(self) -> bool:
        return self.new_owner_id is None


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting the account does, computed by the same rules that then carry it out."""

    handed_over: list[CompanyFate] = field(default_factory=list)
    deleted: list[CompanyFate] = field(default_factory=list)
    memberships: list[str] = field(default_factory=list)  # names of the companies the user leaves as a member
    organisation: str | None = None  # a buyer's organisation, which keeps its tenders
    tenders: int = 0  # tenders the user created: they stay with the organisation
    notifications: int = 0
    last_admin: bool = False  # then the account cannot be deleted
    events_deleted: list[str] = field(default_factory=list)  # events nobody else organises: deleted with it
    events_kept: list[str] = field(default_factory=list)  # events other organisers go on with

    @property
    def companies_deleted(self) -> bool:
        return bool(self.deleted)


def deletion_plan(user: User, *, lock: bool = False) -> DeletionPlan:
    """What ``delete_account`` would do now (``lock``: take row locks on what it reads, inside the deletion)."""
    fates = [_company_fate(user, company) for company in _owned_companies(user, lock=lock)]
    organisation = None
    if user.role is Role.BUYER and user.buyer_organisation_id is not None:
        organisation = db.session.get(BuyerOrganisation, user.buyer_organisation_id).name
    return DeletionPlan(
        handed_over=[fate for fate in fates if not fate.deleted],
        deleted=[fate for fate in fates if fate.deleted],
        memberships=[member.company.name for member in _memberships(user)],
        organisation=organisation,
        tenders=db.session.scalar(select(func.count(Tender.id)).where(Tender.created_by_id == user.id)) or 0,
        notifications=len(_notifications(user)),
        last_admin=_is_last_admin(user, lock=lock),
        events_deleted=[event.name for event in _organised_events(user, alone=True)],
        events_kept=[event.name for event in _organised_events(user, alone=False)],
    )


def _organised_events(user: User, *, alone: bool) -> list[Event]:
    """The events the user organises alone (``alone``), or with others."""
    others = (select(EventOrganiser.id).where(EventOrganiser.event_id == Event.id, EventOrganiser.user_id != user.id)
              .exists())
    mine = select(EventOrganiser.id).where(EventOrganiser.event_id == Event.id, EventOrganiser.user_id == user.id)
    return list(db.session.scalars(select(Event).where(mine.exists(), ~others if alone else others)
                                   .order_by(Event.id)))


def delete_account(user: User, password: str) -> DeletionPlan:
    """Delete ``user``'s account after checking their password, in one transaction; returns what was done.

    - Companies the user owns: one with members passes to its longest-standing member (an active one first):
      that membership row goes, the member becomes ``owner_id`` and is notified. A company nobody else acts for
      is deleted with its offers, interests in tenders and conversation threads (the buyers lose those
      threads), and the search revision is bumped so every search engine drops it.
    - The QPV audit trail of a deleted company is kept (``qpv_status_changes.supplier_id`` set NULL; each row
      keeps the company's SIRET and name); rows the user made as an administrator lose their ``actor_id``.
    - The user's memberships, notifications and preferences are deleted. Outbox e-mails to the user: those
      not sent yet are deleted; the others keep their subject, kind and dates (the sending counts) but lose
      the address and bodies. Tenders stay with their buyer organisation (``created_by_id`` set NULL); the
      user's messages stay in their conversations without an author.
    - Events the user organises alone are deleted with their participants, wishes and meetings; in the others,
      the other organisers go on.
    - The last active administrator cannot delete their account (``ServiceError``, form level).

    The rows are deleted with plain DELETE statements and the database carries out the schema's ON DELETE rules
    (SQLite enforces foreign keys in this app too: ``extensions._sqlite_enforces_foreign_keys``).
    A wrong password raises ``ServiceError({"password": ...})`` and changes nothing.
    """
    if not user.check_password(password or ""):
        raise ServiceError({"password": WRONG_PASSWORD})
    plan = deletion_plan(user, lock=True)
    if plan.last_admin:
        db.session.rollback()  # releases the locks taken to decide
        raise ServiceError(LAST_ADMIN)
    for fate in plan.handed_over:
        _hand_over(user, fate)
    db.session.flush()
    connection = db.session.connection()
    if plan.deleted:
        consortia.companies_leaving(fate.company_id for fate in plan.deleted)
        db.session.flush()
        connection.execute(sa.delete(SupplierCompany.__table__).where(
            SupplierCompany.__table__.c.id.in_([fate.company_id for fate in plan.deleted])))
        next_search_revision(connection)  # every engine looks again (a count alone can hide a delete)
    # An event nobody else organises would be left with nobody able to see it, or to erase its participants'
    # data: it goes with its only organiser (participants, wishes and meetings by the schema's cascades).
    alone = [event.id for event in _organised_events(user, alone=True)]
    if alone:
        connection.execute(sa.delete(Event.__table__).where(Event.__table__.c.id.in_(alone)))
    _forget_emails(connection, user)
    connection.execute(sa.delete(User.__table__).where(User.__table__.c.id == user.id))
    db.session.commit()
    return plan


def _owned_companies(user: User, *, lock: bool) -> list[SupplierCompany]:
    stmt = select(SupplierCompany).where(SupplierCompany.owner_id == user.id).order_by(SupplierCompany.id)
    return list(db.session.scalars(stmt.with_for_update() if lock else stmt))


def _successor(user: User, company: SupplierCompany) -> CompanyMember | None:
    """The company's longest-standing member, an active account first."""
    return db.session.scalars(
        select(CompanyMember).join(User, User.id == CompanyMember.user_id)
        .where(CompanyMember.company_id == company.id, CompanyMember.user_id != user.id)
        .order_by(User.active.desc(), CompanyMember.created_at, CompanyMember.id)
        .limit(1)
    ).first()


def _company_fate(user: User, company: SupplierCompany) -> CompanyFate:
    successor = _successor(user, company)
    offers = db.session.scalar(select(func.count(Offer.id)).where(Offer.supplier_id == company.id)) or 0
    interests = db.session.scalar(
        select(func.count(TenderInterest.id)).where(TenderInterest.supplier_company_id == company.id)
    ) or 0
    return CompanyFate(
        company_id=company.id, name=company.name, siret=company.siret,
        new_owner_id=successor.user_id if successor else None,
        new_owner_name=successor.user.full_name if successor else None,
        offers=offers, interests=interests,
    )


def _hand_over(user: User, fate: CompanyFate) -> None:
    company = db.session.get(SupplierCompany, fate.company_id)
    member = db.session.scalars(
        select(CompanyMember).where(CompanyMember.company_id == company.id,
                                    CompanyMember.user_id == fate.new_owner_id)
    ).one()
    new_owner = members.promote(company, member)
    notify(new_owner, NotificationKind.INVITATION_RECEIVED,
           f"Vous êtes maintenant propriétaire de l'entreprise {company.name}",
           f"{user.full_name} a supprimé son compte : en tant que plus ancien membre de l'entreprise "
           f"{company.name}, vous en devenez le propriétaire. Vous pouvez désormais inviter et retirer "
           "des membres.",
           link=path_for("members.team", company_id=company.id))


def _is_last_admin(user: User, *, lock: bool) -> bool:
    if user.role is not Role.ADMIN:
        return False
    # Locked in one order (id): two administrators deleting their accounts at once cannot both be let through.
    stmt = select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    admins = set(db.session.scalars(stmt.with_for_update() if lock else stmt))
    return not (admins - {user.id})


def _forget_emails(connection: sa.Connection, user: User) -> None:
    """E-mails to the user: unsent ones go; sent or failed ones keep their counts, not the address or bodies."""
    table = OutboxEmail.__table__
    to_user = or_(table.c.user_id == user.id, func.lower(table.c.to_address) == user.email.lower())
    connection.execute(sa.delete(table).where(to_user, table.c.status == OutboxStatus.QUEUED))
    # A row being sent (SENDING) is blanked too: its sender already holds the message and records the outcome.
    connection.execute(sa.update(table).where(to_user).values(
        user_id=None, to_address="", text_body="", html_body="", unsubscribe_url=None, last_error=None))
