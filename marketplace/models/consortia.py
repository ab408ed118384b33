"""Consortia (groupements momentanés d'entreprises): several companies answering one tender together.

A lead company (the mandataire) creates the consortium for a tender and invites other companies (the
co-traitants); each invited company accepts or declines; the lead assigns the lots (``lot_ids``: empty means
the whole tender). Status: forming -> submitted (the lead declared the team to the buyer) -> won / lost (set by
the buyer's award: ``consortia.services.settle``) or withdrawn (by the lead, before the result).

Rule kept by the services (``consortia.services``), not by a constraint: a company cannot be an accepted member
of two live consortia (forming or submitted) of the same tender whose lots overlap (no lots: the whole tender,
which overlaps everything). The check runs under a row lock on the company (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite serialises writers anyway), so two acceptances for the same company cannot both pass.
"""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, enum_column, utcnow

# The longest declaration message to the buyer (plain text, escaped when shown).
CONSORTIUM_MESSAGE_MAX = 2000


class ConsortiumStatus(enum.StrEnum):
    FORMING = "forming"
    SUBMITTED = "submitted"
    WON = "won"
    LOST = "lost"
    WITHDRAWN = "withdrawn"


CONSORTIUM_STATUS_LABELS = {
    ConsortiumStatus.FORMING: "En constitution",
    ConsortiumStatus.SUBMITTED: "Déclaré à l'acheteur",
    ConsortiumStatus.WON: "Retenu",
    ConsortiumStatus.LOST: "Non retenu",
    ConsortiumStatus.WITHDRAWN: "Retiré",
}

# The statuses in which a consortium still binds its members (the one-consortium-per-lot rule).
LIVE_STATUSES = (ConsortiumStatus.FORMING, ConsortiumStatus.SUBMITTED)


class MemberRole(enum.StrEnum):
    MANDATAIRE = "mandataire"
    CO_TRAITANT = "co_traitant"


MEMBER_ROLE_LABELS = {MemberRole.MANDATAIRE: "Mandataire", MemberRole.CO_TRAITANT: "Co-traitant"}


class MemberStatus(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LEFT = "left"


MEMBER_STATUS_LABELS = {
    MemberStatus.INVITED: "Invitée",
    MemberStatus.ACCEPTED: "Membre",
    MemberStatus.DECLINED: "A décliné",
    MemberStatus.LEFT: "A quitté le groupement",
}


class Consortium(TimestampMixin, db.Model):
    __tablename__ = "consortia"

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tenders.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    # The mandataire; its member row has role MANDATAIRE.
    lead_company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[ConsortiumStatus] = mapped_column(
        enum_column(ConsortiumStatus), nullable=False, default=ConsortiumStatus.FORMING
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The lead's words to the buyer when declaring the team.
    message: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    tender = relationship("Tender")
    lead_company = relationship("SupplierCompany")
    created_by = relationship("User")
    members = relationship("ConsortiumMember", back_populates="consortium", order_by="ConsortiumMember.id",
                           cascade="all, delete-orphan", passive_deletes=True)

    @property
    def status_label(self) -> str:
        return CONSORTIUM_STATUS_LABELS[self.status]

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def accepted_members(self) -> list["ConsortiumMember"]:
        return [m for m in self.members if m.status is MemberStatus.ACCEPTED]

    @property
    def name(self) -> str:
        """How the team is named to others: "Groupement Lead, B et C"."""
        names = [m.company.name for m in self.accepted_members if m.company is not None]
        if not names:
            return "Groupement"
        if len(names) == 1:
            return f"Groupement {names[0]}"
        return f"Groupement {', '.join(names[:-1])} et {names[-1]}"


class ConsortiumMember(db.Model):
    __tablename__ = "consortium_members"
    __table_args__ = (sa.UniqueConstraint("consortium_id", "company_id", name="uq_consortium_members_company"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consortium_id: Mapped[int] = mapped_column(sa.ForeignKey("consortia.id", ondelete="CASCADE"), nullable=False,
                                               index=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"),
                                            nullable=False, index=True)
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole), nullable=False,
                                             default=MemberRole.CO_TRAITANT)
    status: Mapped[MemberStatus] = mapped_column(enum_column(MemberStatus), nullable=False,
                                                 default=MemberStatus.INVITED)
    # Ids of the tender's lots this member takes; empty: not assigned yet (or the whole tender without lots).
    lot_ids: Mapped[list[int]] = mapped_column(sa.JSON, nullable=False, default=list)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consortium = relationship("Consortium", back_populates="members")
    company = relationship("SupplierCompany")

    @property
    def role_label(self) -> str:
        return MEMBER_ROLE_LABELS[self.role]

    @property
    def status_label(self) -> str:
        return MEMBER_STATUS_LABELS[self.status]

    @property
    def lots(self) -> list:
        chosen = set(self.lot_ids or ())
        return [lot for lot in self.consortium.tender.lots if lot.id in chosen]
