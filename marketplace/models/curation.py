"""A buyer organisation's follow-up of a supplier on a shortlist: a status and a private note.

One row per (organisation, tender, lot or the whole tender, company), shared by every buyer of the
organisation and never shown to anybody else. ``lot_key`` repeats ``lot_id`` with 0 for the whole tender:
NULLs never collide in a unique constraint, and the two scopes must stay distinct rows.
"""

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, enum_column

# The longest private note (plain text, escaped when shown).
CURATION_NOTE_MAX = 2000


class CurationStatus(enum.StrEnum):
    TO_CONTACT = "to_contact"
    CONTACTED = "contacted"
    INVITED = "invited"
    ANSWERED = "answered"
    KEPT = "kept"
    DISMISSED = "dismissed"


CURATION_STATUS_LABELS = {
    CurationStatus.TO_CONTACT: "À contacter",
    CurationStatus.CONTACTED: "Contacté",
    CurationStatus.INVITED: "Invité",
    CurationStatus.ANSWERED: "A répondu",
    CurationStatus.KEPT: "Retenu",
    CurationStatus.DISMISSED: "Écarté",
}


class SupplierCuration(TimestampMixin, db.Model):
    __tablename__ = "supplier_curations"
    __table_args__ = (
        sa.UniqueConstraint("buyer_organisation_id", "tender_id", "lot_key", "company_id",
                            name="uq_supplier_curations_scope"),
        sa.Index("ix_supplier_curations_tender_company", "tender_id", "company_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("buyer_organisations.id", ondelete="CASCADE"), nullable=False, index=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tenders.id", ondelete="CASCADE"), nullable=False)
    lot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lots.id", ondelete="CASCADE"), index=True)
    lot_key: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"),
                                            nullable=False, index=True)
    status: Mapped[CurationStatus] = mapped_column(enum_column(CurationStatus), nullable=False,
                                                   default=CurationStatus.TO_CONTACT)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    updated_by = relationship("User")
    company = relationship("SupplierCompany")

    @property
    def status_label(self) -> str:
        return CURATION_STATUS_LABELS[self.status]
