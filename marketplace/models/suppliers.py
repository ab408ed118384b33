"""Supplier companies (the entrepreneurs' businesses) and their offers."""

import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..money import cents_to_euros
from .base import TimestampMixin, enum_column


class StructureType(enum.StrEnum):
    ENTREPRISE = "entreprise"
    MICRO = "micro_entreprise"
    ASSOCIATION = "association"
    SIAE = "siae"
    EA_ESAT = "ea_esat"
    SCOP_SCIC = "scop_scic"
    AUTRE = "autre"


STRUCTURE_TYPE_LABELS = {
    StructureType.ENTREPRISE: "Entreprise",
    StructureType.MICRO: "Micro-entreprise",
    StructureType.ASSOCIATION: "Association",
    StructureType.SIAE: "Structure d'insertion (SIAE)",
    StructureType.EA_ESAT: "Entreprise adaptée / ESAT",
    StructureType.SCOP_SCIC: "SCOP / SCIC",
    StructureType.AUTRE: "Autre",
}


class QpvStatus(enum.StrEnum):
    UNKNOWN = "unknown"  # nothing declared or checked yet (a new company, or one whose address changed)
    DECLARED = "declared"
    VERIFIED = "verified"
    REJECTED = "rejected"
    NOT_IN_QPV = "not_in_qpv"  # the entrepreneur's answer: in no QPV


# The statuses under which a company's QPV is shown and counted (search, shortlists, home page): declared (to be
# checked by an administrator, shown as such) or verified.
QPV_STATUSES_SHOWN = (QpvStatus.DECLARED, QpvStatus.VERIFIED)


QPV_STATUS_LABELS = {
    QpvStatus.UNKNOWN: "Non renseigné",
    QpvStatus.DECLARED: "Déclaré, à vérifier",
    QpvStatus.VERIFIED: "Vérifié",
    QpvStatus.REJECTED: "Refusé",
    QpvStatus.NOT_IN_QPV: "Hors QPV",
}

LEGAL_FORMS = ("EI", "EURL", "SARL", "SAS", "SASU", "SA", "SCOP", "SCIC", "Association loi 1901", "Autre")

LABELS = {
    "esus": "Agrément ESUS",
    "rge": "RGE",
    "qualibat": "Qualibat",
    "iso9001": "ISO 9001",
    "iso14001": "ISO 14001",
    "ecocert": "Ecocert",
    "bio": "Agriculture biologique",
    "handibat": "Handibat",
    "lucie": "Label Lucie (RSE)",
    "cnaps": "Autorisation CNAPS",
}


class SupplierCompany(TimestampMixin, db.Model):
    __tablename__ = "supplier_companies"
    __table_args__ = (
        sa.Index("ix_supplier_companies_department_qpv", "department", "qpv_status"),
        sa.CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount_positive"),
        sa.CheckConstraint("annual_revenue_cents IS NULL OR annual_revenue_cents >= 0", name="revenue_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    siret: Mapped[str] = mapped_column(sa.String(14), unique=True, nullable=False)
    # Stamped from search_state on every change to the company or its offers (models/search_state.py).
    search_revision: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0, server_default="0",
                                                 index=True)
    legal_form: Mapped[str | None] = mapped_column(sa.String(40))
    naf_code: Mapped[str | None] = mapped_column(sa.String(6))  # INSEE activity code, e.g. 43.34Z
    structure_type: Mapped[StructureType] = mapped_column(
        enum_column(StructureType), nullable=False, default=StructureType.ENTREPRISE
    )
    address: Mapped[str | None] = mapped_column(sa.String(250))
    postcode: Mapped[str | None] = mapped_column(sa.String(5), index=True)
    commune_insee: Mapped[str | None] = mapped_column(sa.String(5), index=True)
    commune_name: Mapped[str | None] = mapped_column(sa.String(120))
    department: Mapped[str | None] = mapped_column(sa.String(3))
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    # True when lat/lon are the company's own position, False when they are the commune's reference point.
    position_is_exact: Mapped[bool] = mapped_column(
        sa.Boolean, nullable=False, default=False, server_default=sa.false()
    )
    qpv_code: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    qpv_status: Mapped[QpvStatus] = mapped_column(
        enum_column(QpvStatus), nullable=False, default=QpvStatus.UNKNOWN, index=True
    )
    headcount: Mapped[int | None] = mapped_column(sa.Integer)
    annual_revenue_cents: Mapped[int | None] = mapped_column(sa.BigInteger)
    labels: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    website: Mapped[str | None] = mapped_column(sa.String(250))
    # How buyers may reach the company outside the messaging, shown to them only when contact_shown.
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(20))
    contact_shown: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False, server_default=sa.false())

    owner = relationship("User", back_populates="companies")
    offers = relationship(
        "Offer", back_populates="supplier", cascade="all, delete-orphan", order_by="Offer.id"
    )
    members = relationship(
        "CompanyMember", back_populates="company", cascade="all, delete-orphan", order_by="CompanyMember.id"
    )

    @property
    def annual_revenue_eur(self) -> Decimal | None:
        return cents_to_euros(self.annual_revenue_cents)

    @property
    def structure_type_label(self) -> str:
        return STRUCTURE_TYPE_LABELS[self.structure_type]

    @property
    def qpv_status_label(self) -> str:
        return QPV_STATUS_LABELS[self.qpv_status]

    @property
    def qpv_shown(self) -> bool:
        """Whether the company's QPV claim (and its code) is shown to buyers: :data:`QPV_STATUSES_SHOWN`."""
        return self.qpv_status in QPV_STATUSES_SHOWN

    def has_member(self, user) -> bool:
        """Whether ``user`` may act for the company: its owner or one of its members."""
        if user is None or user.id is None:
            return False
        return self.owner_id == user.id or any(m.user_id == user.id for m in self.members)

    @property
    def people(self) -> list:
        """The users who act for the company: the owner first, then the members."""
        owner = [self.owner] if self.owner is not None else []
        return owner + [m.user for m in self.members]

    @classmethod
    def member_clause(cls, user_id: int):
        """SQL condition on SupplierCompany: the user owns the company or is one of its members.

        Written as one IN over two indexed lookups: PostgreSQL answers "owner or member" (an OR with a subquery)
        by scanning every company, 2.2 ms at 10,000 suppliers for each entrepreneur page, against 0.05 ms."""
        owned = sa.select(cls.id).where(cls.owner_id == user_id).correlate(None)
        member_of = sa.select(CompanyMember.company_id).where(CompanyMember.user_id == user_id)
        return cls.id.in_(sa.union(owned, member_of))

    def __repr__(self) -> str:
        return f"<SupplierCompany {self.id} {self.siret}>"


class CompanyMember(TimestampMixin, db.Model):
    """A user who acts for a company beside its owner (``SupplierCompany.owner_id``, who is not listed here):
    members edit the company and its offers, express interest and write to buyers; only the owner invites,
    removes members and hands ownership over (to a member, who then takes the owner's place)."""

    __tablename__ = "company_members"
    __table_args__ = (sa.UniqueConstraint("company_id", "user_id", name="uq_company_members_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)

    company = relationship("SupplierCompany", back_populates="members")
    user = relationship("User")


class Offer(TimestampMixin, db.Model):
    """A capability of a supplier: what it can do, classified by CPV, and where."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    cpv_codes: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    keywords: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    departments: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    # The one-time token of the form page that created it: a second post of that page creates nothing.
    submission_token: Mapped[str | None] = mapped_column(sa.String(36), unique=True)

    supplier = relationship("SupplierCompany", back_populates="offers")
