"""Invitations to join a supplier company, sent by e-mail by its owner (see ``marketplace/members``)."""

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, utcnow


def token_hash(token: str) -> str:
    """What is stored of an invitation link's token: its SHA-256 (the raw token only travels in the e-mail)."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class CompanyInvitation(TimestampMixin, db.Model):
    """An invitation for ``email`` to become a member of ``company``.

    Open while neither accepted nor cancelled; usable while open and not expired. Inviting the same address
    again renews the open row in place (new token, new expiry): the previous link stops working.
    """

    __tablename__ = "company_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254), nullable=False, index=True)  # normalised (lowercase)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    company = relationship("SupplierCompany")
    invited_by = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.is_open and self.expires_at > (now or utcnow())

    def __repr__(self) -> str:
        return f"<CompanyInvitation {self.id} company={self.company_id}>"
