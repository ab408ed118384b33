"""Events (diversity weeks): one-to-one meetings between buyers and neighbourhood entrepreneurs.

An event belongs to its organisers (``EventOrganiser``: only they edit it). Its days are ``first_day`` ..
``last_day``; each day runs ``day_start`` .. ``day_end`` cut into ``slot_minutes`` slots, minus the ``breaks``
(the slot grid is ``marketplace.events.slots``: a slot index is what the scheduler and the meetings use).

A participant (``EventParticipant``) is a person on the buyer side or the entrepreneur side, linked to a
marketplace account (``user_id``) and organisation (``supplier_company_id`` / ``buyer_organisation_id``) when
there is one; every participant also has a personal link (signed ``access_key``, marketplace.events.access),
which is how an invitee without an account takes part. A buyer participant says what it buys (``needs_text`` +
``cpv_codes``); an entrepreneur without a marketplace company describes its activity the same way, with its
postcode and QPV claim.

Wishes (``EventWish``) are one participant's wish about another (2 must, 1 would like, -1 refuses: the values of
``matching.schedule``). Meetings (``EventMeeting``) are the current schedule (proposed by the scheduling job,
then edited by hand); the event is ``published`` once the organiser publishes a schedule that ``validate``
accepts; ``held`` is the attendance the organiser checks after the event.
"""

import enum
import secrets
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, enum_column, utcnow

EVENT_NAME_MAX = 200
NEEDS_TEXT_MAX = 2000


def new_access_key() -> str:
    return secrets.token_urlsafe(24)


class EventStatus(enum.StrEnum):
    DRAFT = "draft"  # being prepared: settings, participants
    WISHES = "wishes"  # participants mark whom they want to meet and when they are available
    PUBLISHED = "published"  # agendas published to the participants

    @property
    def label(self) -> str:
        return EVENT_STATUS_LABELS[self]


EVENT_STATUS_LABELS = {
    EventStatus.DRAFT: "En préparation",
    EventStatus.WISHES: "Souhaits ouverts",
    EventStatus.PUBLISHED: "Agendas publiés",
}


class ParticipantSide(enum.StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"

    @property
    def label(self) -> str:
        return PARTICIPANT_SIDE_LABELS[self]


PARTICIPANT_SIDE_LABELS = {ParticipantSide.BUYER: "Acheteur", ParticipantSide.SUPPLIER: "Entrepreneur"}


class ParticipantStatus(enum.StrEnum):
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return PARTICIPANT_STATUS_LABELS[self]


PARTICIPANT_STATUS_LABELS = {
    ParticipantStatus.INVITED: "Invité",
    ParticipantStatus.CONFIRMED: "Confirmé",
    ParticipantStatus.DECLINED: "A décliné",
}


class Event(TimestampMixin, db.Model):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        sa.CheckConstraint("tables > 0", name="tables_positive"),
        sa.CheckConstraint("last_day >= first_day", name="days_ordered"),
        sa.CheckConstraint("day_end > day_start", name="hours_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(EVENT_NAME_MAX), nullable=False)
    place: Mapped[str] = mapped_column(sa.String(300), nullable=False, default="")
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    first_day: Mapped[date] = mapped_column(sa.Date, nullable=False)
    last_day: Mapped[date] = mapped_column(sa.Date, nullable=False)
    day_start: Mapped[time] = mapped_column(sa.Time, nullable=False)
    day_end: Mapped[time] = mapped_column(sa.Time, nullable=False)
    slot_minutes: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=20)
    # Breaks inside each day: [["12:30", "14:00"], ...] (HH:MM, start < end, within the day).
    breaks: Mapped[list[list[str]]] = mapped_column(sa.JSON, nullable=False, default=list)
    tables: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=10)
    # The most meetings one participant may have over the whole event (None: as many as slots).
    max_meetings: Mapped[int | None] = mapped_column(sa.Integer)
    # Engine scores at or below this never make a meeting on their own (wishes still do).
    min_score: Mapped[float] = mapped_column(sa.Float, nullable=False, default=0.2)
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), nullable=False, default=EventStatus.DRAFT)
    # The last scheduling run (a job), what it proved, and when the schedule was published.
    schedule_job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("jobs.id", ondelete="SET NULL"))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    schedule_optimal: Mapped[bool | None] = mapped_column(sa.Boolean)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The meetings as last published, [[buyer id, supplier id, slot, table], ...]: who to tell after hand edits.
    published_meetings: Mapped[list[list[int]] | None] = mapped_column(sa.JSON)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    organisers = relationship("EventOrganiser", back_populates="event", cascade="all, delete-orphan",
                              passive_deletes=True)
    participants = relationship("EventParticipant", back_populates="event", order_by="EventParticipant.id",
                                cascade="all, delete-orphan", passive_deletes=True)
    meetings = relationship("EventMeeting", back_populates="event",
                            order_by=lambda: [EventMeeting.slot, EventMeeting.table_index],
                            cascade="all, delete-orphan", passive_deletes=True)
    schedule_job = relationship("Job")
    created_by = relationship("User")

    @property
    def status_label(self) -> str:
        return self.status.label

    def organised_by(self, user) -> bool:
        return user is not None and any(o.user_id == user.id for o in self.organisers)


class EventOrganiser(db.Model):
    __tablename__ = "event_organisers"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_event_organisers_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    event = relationship("Event", back_populates="organisers")
    user = relationship("User")


class EventParticipant(TimestampMixin, db.Model):
    __tablename__ = "event_participants"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "email", name="uq_event_participants_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    side: Mapped[ParticipantSide] = mapped_column(enum_column(ParticipantSide), nullable=False)
    status: Mapped[ParticipantStatus] = mapped_column(enum_column(ParticipantStatus), nullable=False,
                                                      default=ParticipantStatus.INVITED)
    person_name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    # The organisation shown on agendas and cards (the company or the buyer organisation).
    organisation_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False)  # lower-cased
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    supplier_company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="SET NULL"), index=True)
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("buyer_organisations.id", ondelete="SET NULL"), index=True)
    # Buyer: what it buys; entrepreneur without a marketplace company: what it does.
    needs_text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    cpv_codes: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    # Entrepreneur without a marketplace company: where it is based and its QPV claim (not verified).
    postcode: Mapped[str | None] = mapped_column(sa.String(5))
    qpv_declared: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # Slot indexes (marketplace.events.slots) the participant cannot attend.
    unavailable_slots: Mapped[list[int]] = mapped_column(sa.JSON, nullable=False, default=list)
    max_meetings: Mapped[int | None] = mapped_column(sa.Integer)  # overrides the event's
    # The secret inside the participant's personal link (signed with the app's key, marketplace.events.access):
    # a new value revokes every link sent so far.
    access_key: Mapped[str] = mapped_column(sa.String(64), nullable=False, default=new_access_key)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event = relationship("Event", back_populates="participants")
    user = relationship("User")
    company = relationship("SupplierCompany")
    buyer_organisation = relationship("BuyerOrganisation")

    @property
    def side_label(self) -> str:
        return self.side.label

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def label(self) -> str:
        """How others see the participant: "Organisation (Person)"."""
        return f"{self.organisation_name} ({self.person_name})"

    @property
    def is_buyer(self) -> bool:
        return self.side is ParticipantSide.BUYER


class EventWish(db.Model):
    __tablename__ = "event_wishes"
    __table_args__ = (
        sa.UniqueConstraint("requester_id", "other_id", name="uq_event_wishes_pair"),
        sa.CheckConstraint("value IN (-1, 1, 2)", name="value_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    requester_id: Mapped[int] = mapped_column(sa.ForeignKey("event_participants.id", ondelete="CASCADE"),
                                              nullable=False, index=True)
    other_id: Mapped[int] = mapped_column(sa.ForeignKey("event_participants.id", ondelete="CASCADE"),
                                          nullable=False, index=True)
    value: Mapped[int] = mapped_column(sa.Integer, nullable=False)  # 2 must, 1 would like, -1 refuses
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)

    requester = relationship("EventParticipant", foreign_keys=[requester_id])
    other = relationship("EventParticipant", foreign_keys=[other_id])


WISH_LABELS = {2: "Doit rencontrer", 1: "Aimerait rencontrer", -1: "Ne souhaite pas rencontrer"}


class EventMeeting(db.Model):
    __tablename__ = "event_meetings"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "buyer_id", "supplier_id", name="uq_event_meetings_pair"),
        sa.UniqueConstraint("event_id", "slot", "table_index", name="uq_event_meetings_seat"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    buyer_id: Mapped[int] = mapped_column(sa.ForeignKey("event_participants.id", ondelete="CASCADE"),
                                          nullable=False, index=True)
    supplier_id: Mapped[int] = mapped_column(sa.ForeignKey("event_participants.id", ondelete="CASCADE"),
                                             nullable=False, index=True)
    slot: Mapped[int] = mapped_column(sa.Integer, nullable=False)  # index in marketplace.events.slots
    table_index: Mapped[int] = mapped_column(sa.Integer, nullable=False)  # 0-based; shown from 1 (table_number)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")  # French, shown on agendas
    score: Mapped[float | None] = mapped_column(sa.Float)
    held: Mapped[bool | None] = mapped_column(sa.Boolean)  # attendance checked after the event; None: unknown

    event = relationship("Event", back_populates="meetings")
    buyer = relationship("EventParticipant", foreign_keys=[buyer_id])
    supplier = relationship("EventParticipant", foreign_keys=[supplier_id])

    @property
    def table_number(self) -> int:
        return self.table_index + 1
