"""Buyer organisations, their tenders and the tenders' lots."""

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..money import cents_to_euros
from ..validators import organisation_key
from .base import TimestampMixin, UTCDateTime, enum_column


class OrganisationKind(enum.StrEnum):
    COMPANY = "company"
    PUBLIC = "public"
    SOCIAL_LANDLORD = "social_landlord"
    ASSOCIATION = "association"


ORGANISATION_KIND_LABELS = {
    OrganisationKind.COMPANY: "Grande entreprise",
    OrganisationKind.PUBLIC: "Acheteur public",
    OrganisationKind.SOCIAL_LANDLORD: "Bailleur social",
    OrganisationKind.ASSOCIATION: "Association / fondation",
}


class TenderStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    AWARDED = "awarded"


TENDER_STATUS_LABELS = {
    TenderStatus.DRAFT: "Brouillon",
    TenderStatus.PUBLISHED: "Publié",
    TenderStatus.CLOSED: "Clos",
    TenderStatus.AWARDED: "Attribué",
}


class BuyerOrganisation(TimestampMixin, db.Model):
    __tablename__ = "buyer_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    # organisation_key(name): "École X" and "ecole  x" are one organisation (kept in step by _set_name_key).
    name_key: Mapped[str] = mapped_column(sa.String(200), nullable=False, unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind), nullable=False, default=OrganisationKind.COMPANY
    )
    siret: Mapped[str | None] = mapped_column(sa.String(14))
    sector: Mapped[str | None] = mapped_column(sa.String(120))
    department: Mapped[str | None] = mapped_column(sa.String(3))
    city: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(250))
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    members = relationship("User", back_populates="buyer_organisation")
    tenders = relationship("Tender", back_populates="buyer_organisation", order_by="Tender.id")

    @validates("name")
    def _set_name_key(self, _key: str, name: str) -> str:
        self.name_key = organisation_key(name)
        return name

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KIND_LABELS[self.kind]


class Tender(TimestampMixin, db.Model):
    __tablename__ = "tenders"
    __table_args__ = (
        sa.Index("ix_tenders_status_deadline", "status", "deadline"),
        sa.CheckConstraint("budget_cents IS NULL OR budget_cents >= 0", name="budget_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("buyer_organisations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reference: Mapped[str | None] = mapped_column(sa.String(60))
    title: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    cpv_codes: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    department: Mapped[str | None] = mapped_column(sa.String(3), index=True)
    postcode: Mapped[str | None] = mapped_column(sa.String(5))
    budget_cents: Mapped[int | None] = mapped_column(sa.BigInteger)
    deadline: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[TenderStatus] = mapped_column(
        enum_column(TenderStatus), nullable=False, default=TenderStatus.DRAFT
    )
    required_labels: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    reserved_for_inclusive: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one-time token of the form page that created it: a second post of that page creates nothing.
    submission_token: Mapped[str | None] = mapped_column(sa.String(36), unique=True)

    buyer_organisation = relationship("BuyerOrganisation", back_populates="tenders")
    created_by = relationship("User")
    lots = relationship("Lot", back_populates="tender", cascade="all, delete-orphan", order_by="Lot.number")

    @property
    def budget_eur(self) -> Decimal | None:
        return cents_to_euros(self.budget_cents)

    @property
    def status_label(self) -> str:
        return TENDER_STATUS_LABELS[self.status]


class Lot(db.Model):
    __tablename__ = "lots"
    __table_args__ = (
        sa.UniqueConstraint("tender_id", "number", name="uq_lots_tender_number"),
        sa.CheckConstraint("budget_cents IS NULL OR budget_cents >= 0", name="budget_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tenders.id", ondelete="CASCADE"), nullable=False)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    cpv_codes: Mapped[list[str]] = mapped_column(sa.JSON, nullable=False, default=list)
    budget_cents: Mapped[int | None] = mapped_column(sa.BigInteger)

    tender = relationship("Tender", back_populates="lots")

    @property
    def budget_eur(self) -> Decimal | None:
        return cents_to_euros(self.budget_cents)


# The longest message an entrepreneur may leave with an interest (plain text, escaped when shown).
INTEREST_MESSAGE_MAX = 1000


class TenderInterest(TimestampMixin, db.Model):
    """A company's "Je suis intéressé" for a tender, on the whole tender or on chosen lots.

    One row per (tender, company): withdrawing stamps ``withdrawn_at``; expressing interest again before the
    deadline clears it and replaces the lots and the message.
    """

    __tablename__ = "tender_interests"
    __table_args__ = (sa.UniqueConstraint("tender_id", "supplier_company_id", name="uq_tender_interests_company"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(sa.ForeignKey("tenders.id", ondelete="CASCADE"), nullable=False,
                                           index=True)
    supplier_company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # Ids of the chosen lots; empty: the whole tender.
    lot_ids: Mapped[list[int]] = mapped_column(sa.JSON, nullable=False, default=list)
    message: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tender = relationship("Tender")
    company = relationship("SupplierCompany")

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def lots(self) -> list["Lot"]:
        chosen = set(self.lot_ids or ())
        return [lot for lot in self.tender.lots if lot.id in chosen]
