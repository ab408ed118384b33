"""Awards: who won a tender (or one of its lots), for how much, and the QPV status of each winner on that day.

An award goes to a company or to a consortium. Every award has one ``AwardShare`` per winning company (a company
award: one share of the whole amount; a consortium: one per member), whose amounts add up exactly to the award's
amount: the inclusive-purchasing report sums the shares. Names, SIRET, department and QPV status are copied on
the shares when the award is recorded, so the report still says what was true on the award date after a company
changes (or leaves the platform: the links then become NULL, hence "at most one winner" in the constraint and
"exactly one" kept by ``buyers.awards``).
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .suppliers import QPV_STATUS_LABELS, QpvStatus


def _lot_key(context) -> int:
    return context.get_current_parameters().get("lot_id") or 0


class Award(db.Model):
    __tablename__ = "awards"
    __table_args__ = (
        sa.CheckConstraint("amount_cents >= 0", name="amount_positive"),
        sa.CheckConstraint("supplier_company_id IS NULL OR consortium_id IS NULL", name="one_winner"),
        # One award per tender or lot, kept by the database (two tabs, two colleagues): ``lot_key`` is the lot's id,
        # or 0 for the whole tender (a unique constraint over a NULL lot_id would let two whole-tender awards in).
        sa.UniqueConstraint("tender_id", "lot_key", name="uq_awards_tender_lot_key"),
        sa.CheckConstraint("lot_key = COALESCE(lot_id, 0)", name="lot_key_matches"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tenders.id", ondelete="CASCADE"), nullable=False)
    # NULL: the whole tender (a tender without lots).
    lot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    lot_key: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=_lot_key)
    supplier_company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="SET NULL"), index=True
    )
    consortium_id: Mapped[int | None] = mapped_column(sa.ForeignKey("consortia.id", ondelete="SET NULL"), index=True)
    # The winner as named on the award date ("Net Horizon", "Groupement Net Horizon et Jardins Solidaires").
    winner_name: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    awarded_on: Mapped[date] = mapped_column(sa.Date, nullable=False, index=True)
    # A company award: its QPV status on the award date (a consortium's are on its shares).
    qpv_status_at_award: Mapped[QpvStatus | None] = mapped_column(enum_column(QpvStatus, name="qpvstatus_award"))
    # The winner had neither declared interest nor written to the buyer about this tender: allowed, but shown.
    without_interest: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    tender = relationship("Tender")
    lot = relationship("Lot")
    company = relationship("SupplierCompany")
    consortium = relationship("Consortium")
    recorded_by = relationship("User")
    shares = relationship("AwardShare", back_populates="award", order_by="AwardShare.id",
                          cascade="all, delete-orphan", passive_deletes=True)


class AwardShare(db.Model):
    """One winning company's part of an award, with what the report needs as it stood on the award date."""

    __tablename__ = "award_shares"
    __table_args__ = (sa.CheckConstraint("amount_cents >= 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(sa.ForeignKey("awards.id", ondelete="CASCADE"), nullable=False, index=True)
    company_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="SET NULL"), index=True
    )
    company_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    company_siret: Mapped[str] = mapped_column(sa.String(14), nullable=False)
    department: Mapped[str | None] = mapped_column(sa.String(3))
    amount_cents: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    qpv_status_at_award: Mapped[QpvStatus] = mapped_column(enum_column(QpvStatus, name="qpvstatus_share"),
                                                           nullable=False)
    # The lots this member took (a consortium split by lots); empty otherwise.
    lot_ids: Mapped[list[int]] = mapped_column(sa.JSON, nullable=False, default=list)

    award = relationship("Award", back_populates="shares")
    company = relationship("SupplierCompany")

    @property
    def qpv_status_label(self) -> str:
        return QPV_STATUS_LABELS[self.qpv_status_at_award]
