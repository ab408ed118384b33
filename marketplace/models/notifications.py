"""Notifications: the in-app list, the e-mail outbox and each user's choice per kind of notification."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow


class NotificationKind(enum.StrEnum):
    NEW_MATCHING_TENDER = "new_matching_tender"
    INTEREST_RECEIVED = "interest_received"
    MESSAGE_RECEIVED = "message_received"
    QPV_DECISION = "qpv_decision"
    INVITATION_RECEIVED = "invitation_received"
    PASSWORD_RESET = "password_reset"
    EMAIL_CONFIRMATION = "email_confirmation"
    EVENT_INVITATION = "event_invitation"  # enrolled in an event: the personal link
    EVENT_AGENDA = "event_agenda"  # an event's agendas published (or changed after publication)
    AWARD_RECEIVED = "award_received"  # a buyer awarded a tender (or a lot) to the company, or not
    SAVED_SEARCH_MATCH = "saved_search_match"  # a new supplier matches one of a buyer's saved searches

    @property
    def label(self) -> str:
        return NOTIFICATION_KIND_LABELS[self]

    @property
    def always_sent(self) -> bool:
        """Account e-mails and invitations go out at once whatever the preferences (no unsubscribe link)."""
        return self in ALWAYS_SENT_KINDS


NOTIFICATION_KIND_LABELS = {
    NotificationKind.NEW_MATCHING_TENDER: "Nouveaux appels d'offres qui vous correspondent",
    NotificationKind.INTEREST_RECEIVED: "Intérêt d'une entreprise pour vos appels d'offres",
    NotificationKind.MESSAGE_RECEIVED: "Nouveaux messages",
    NotificationKind.QPV_DECISION: "Décision sur votre déclaration QPV",
    NotificationKind.INVITATION_RECEIVED: "Invitations",
    NotificationKind.PASSWORD_RESET: "Réinitialisation du mot de passe",
    NotificationKind.EMAIL_CONFIRMATION: "Confirmation de l'adresse e-mail",
    NotificationKind.EVENT_INVITATION: "Invitations aux rencontres acheteurs-entrepreneurs",
    NotificationKind.EVENT_AGENDA: "Agendas des rencontres",
    NotificationKind.AWARD_RECEIVED: "Résultats des appels d'offres auxquels vous avez répondu",
    NotificationKind.SAVED_SEARCH_MATCH: "Nouveaux fournisseurs pour vos recherches enregistrées",
}
ALWAYS_SENT_KINDS = frozenset(
    {NotificationKind.PASSWORD_RESET, NotificationKind.EMAIL_CONFIRMATION, NotificationKind.INVITATION_RECEIVED,
     NotificationKind.EVENT_INVITATION, NotificationKind.EVENT_AGENDA}
)
# The kinds a user chooses for (the preferences page), in display order.
CHOOSABLE_KINDS = tuple(kind for kind in NotificationKind if kind not in ALWAYS_SENT_KINDS)
# What each role can receive, hence what its preferences page shows (role values, not to import users.py here).
KINDS_BY_ROLE = {
    "supplier": (NotificationKind.NEW_MATCHING_TENDER, NotificationKind.MESSAGE_RECEIVED,
                 NotificationKind.QPV_DECISION, NotificationKind.AWARD_RECEIVED),
    "buyer": (NotificationKind.INTEREST_RECEIVED, NotificationKind.MESSAGE_RECEIVED,
              NotificationKind.SAVED_SEARCH_MATCH),
    "organiser": (NotificationKind.MESSAGE_RECEIVED,),
    "admin": (NotificationKind.MESSAGE_RECEIVED,),
}


class Frequency(enum.StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return FREQUENCY_LABELS[self]


FREQUENCY_LABELS = {
    Frequency.IMMEDIATE: "Immédiatement",
    Frequency.DAILY: "Résumé quotidien",
    Frequency.WEEKLY: "Résumé hebdomadaire",
    Frequency.NEVER: "Jamais",
}
# Without a stored choice: what needs an answer at once is sent at once; new tenders come as a weekly digest.
DEFAULT_FREQUENCIES = {
    NotificationKind.NEW_MATCHING_TENDER: Frequency.WEEKLY,
    NotificationKind.INTEREST_RECEIVED: Frequency.IMMEDIATE,
    NotificationKind.MESSAGE_RECEIVED: Frequency.IMMEDIATE,
    NotificationKind.QPV_DECISION: Frequency.IMMEDIATE,
    NotificationKind.AWARD_RECEIVED: Frequency.IMMEDIATE,
    NotificationKind.SAVED_SEARCH_MATCH: Frequency.DAILY,
}


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting (first try, or a retry once next_attempt_at has passed)
    SENDING = "sending"  # claimed by one sender
    SENT = "sent"
    FAILED = "failed"  # given up: last_error says why


class Notification(db.Model):
    """One thing that happened to a user, shown in the list and counted in the header until read."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    link: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it went out by e-mail (at once or in a digest); NULL while a digest may still carry it.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")


class NotificationPreference(db.Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind), nullable=False)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency), nullable=False)


class OutboxEmail(db.Model):
    """An e-mail written in the transaction of the change that causes it, sent later by `flask send-emails`."""

    __tablename__ = "outbox_emails"
    __table_args__ = (sa.Index("ix_outbox_emails_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    subject: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    text_body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    html_body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(32), nullable=False)  # a NotificationKind or "digest"
    transactional: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(1000))  # List-Unsubscribe (RFC 8058)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), nullable=False, default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
