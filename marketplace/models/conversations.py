"""Conversations between a buyer organisation and the other party of a tender, and each reader's read mark.

One thread per (tender, buyer organisation, other party). The other party is a company today; grouped bids
(consortia) come next, so the party is a set of nullable columns of which exactly one is set, guarded by the
CHECK ``one_party``:

* today ``supplier_company_id`` (the CHECK says it is set);
* tomorrow ``consortium_id`` is added beside it (FK to the consortia table, ON DELETE CASCADE), the CHECK
  becomes ``(supplier_company_id IS NULL) <> (consortium_id IS NULL)`` and a second unique constraint
  ``(tender_id, buyer_organisation_id, consortium_id)`` is added (NULLs never collide in the first one).

Columns rather than a generic party table: the access rule of every page and of the header counter is one
indexed join (``SupplierCompany.member_clause``, later the consortium's members), foreign keys cascade the
threads away with their party, and the database itself forbids a thread with no party or two.

``buyer_organisation_id`` repeats ``tenders.buyer_organisation_id`` on purpose: the buyers' inbox and counter
filter on it without joining the tenders.

Messages keep their author (SET NULL when the account is deleted: shown as "Compte supprimé") and the side
they were written for, since a user's role could change. Read state is per (thread, user): the id of the last
message the user saw, so each member of an organisation or a company has their own unread count.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow

# The longest message (plain text, escaped when shown).
MESSAGE_MAX = 4000


class Side(enum.StrEnum):
    BUYER = "buyer"
    SUPPLIER = "supplier"

    @property
    def other(self) -> "Side":
        return Side.SUPPLIER if self is Side.BUYER else Side.BUYER


class ConversationThread(db.Model):
    __tablename__ = "conversation_threads"
    __table_args__ = (
        sa.UniqueConstraint("tender_id", "buyer_organisation_id", "supplier_company_id",
                            name="uq_conversation_threads_company"),
        sa.UniqueConstraint("tender_id", "buyer_organisation_id", "consortium_id",
                            name="uq_conversation_threads_consortium"),
        # Exactly one party: a company or a consortium (see the module docstring).
        sa.CheckConstraint("(supplier_company_id IS NULL) <> (consortium_id IS NULL)", name="one_party"),
        sa.Index("ix_conversation_threads_org_last", "buyer_organisation_id", "last_message_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tenders.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    buyer_organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("buyer_organisations.id", ondelete="CASCADE"), nullable=False
    )
    supplier_company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"), index=True
    )
    consortium_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consortia.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # The time of the newest message: the inboxes list threads newest first.
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    tender = relationship("Tender")
    buyer_organisation = relationship("BuyerOrganisation")
    company = relationship("SupplierCompany")
    consortium = relationship("Consortium")
    messages = relationship("ConversationMessage", back_populates="thread", order_by="ConversationMessage.id",
                            cascade="all, delete-orphan", passive_deletes=True)

    @property
    def party_name(self) -> str:
        """The other party's name as buyers see it."""
        if self.company is not None:
            return self.company.name
        return self.consortium.name if self.consortium is not None else ""


class ConversationMessage(db.Model):
    __tablename__ = "conversation_messages"
    __table_args__ = (sa.Index("ix_conversation_messages_thread_side", "thread_id", "side", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("conversation_threads.id", ondelete="CASCADE"),
                                           nullable=False)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    side: Mapped[Side] = mapped_column(enum_column(Side), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    thread = relationship("ConversationThread", back_populates="messages")
    author = relationship("User")

    @property
    def author_name(self) -> str:
        return self.author.full_name if self.author is not None else "Compte supprimé"


class ConversationReadMark(db.Model):
    """How far one user has read one thread: the id of the newest message they were shown."""

    __tablename__ = "conversation_read_marks"
    __table_args__ = (sa.UniqueConstraint("thread_id", "user_id", name="uq_conversation_read_marks_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("conversation_threads.id", ondelete="CASCADE"),
                                           nullable=False)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    last_read_message_id: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
