"""Reference tables (CPV, NAF, QPV, communes, postcodes), their load journal and the QPV status audit trail.

Reference rows are replaced wholesale by ``flask refdata load``; nothing else writes them. The
``qpv_status_changes`` table is the audit trail of every supplier QPV status change.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .suppliers import QPV_STATUS_LABELS, QpvStatus


class CpvCode(db.Model):
    """One code of the Common Procurement Vocabulary 2008 (``45261000-4``)."""

    __tablename__ = "ref_cpv_codes"

    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)  # with check digit
    digits: Mapped[str] = mapped_column(sa.String(8), unique=True, nullable=False)
    label_fr: Mapped[str] = mapped_column(sa.Text, nullable=False)
    label_en: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    level: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    parent_digits: Mapped[str | None] = mapped_column(sa.String(8))
    division: Mapped[str] = mapped_column(sa.String(2), nullable=False, index=True)


class NafCode(db.Model):
    """A NAF rév. 2 sub-class (``43.34Z``) with its class, group, division and section."""

    __tablename__ = "ref_naf_codes"

    code: Mapped[str] = mapped_column(sa.String(6), primary_key=True)
    label: Mapped[str] = mapped_column(sa.Text, nullable=False)
    class_code: Mapped[str] = mapped_column(sa.String(5), nullable=False)
    group_code: Mapped[str] = mapped_column(sa.String(4), nullable=False)
    division: Mapped[str] = mapped_column(sa.String(2), nullable=False, index=True)
    division_label: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    section: Mapped[str] = mapped_column(sa.String(1), nullable=False)
    section_label: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")


class Qpv(db.Model):
    """A priority neighbourhood of the official list (2024 codes ``QN05907M``)."""

    __tablename__ = "ref_qpv"

    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    department: Mapped[str] = mapped_column(sa.String(3), nullable=False, index=True)


class QpvCommune(db.Model):
    """A commune a QPV lies in (a QPV may span several communes, a commune may hold several QPV)."""

    __tablename__ = "ref_qpv_communes"

    qpv_code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    commune_insee: Mapped[str] = mapped_column(sa.String(5), primary_key=True, index=True)
    commune_name: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")


class QpvArea(db.Model):
    """A QPV contour (GeoJSON geometry in WGS84 lon/lat), from a polygon file; ``source`` is the file name."""

    __tablename__ = "ref_qpv_areas"

    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    department: Mapped[str] = mapped_column(sa.String(3), nullable=False, index=True)
    commune_insee: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    commune_name: Mapped[str] = mapped_column(sa.String(250), nullable=False, default="")
    geometry: Mapped[str] = mapped_column(sa.Text, nullable=False)
    source: Mapped[str] = mapped_column(sa.String(200), nullable=False, index=True)


class Commune(db.Model):
    """A commune with its department, region and reference point (ANCT centroid, else La Poste point)."""

    __tablename__ = "ref_communes"

    insee: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    department: Mapped[str] = mapped_column(sa.String(3), nullable=False, index=True)
    region: Mapped[str] = mapped_column(sa.String(60), nullable=False, default="")
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    source: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="laposte")


class PostcodeEntry(db.Model):
    """One row of La Poste's postcode base: a postcode serves one commune (or one of its localities)."""

    __tablename__ = "ref_postcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    postcode: Mapped[str] = mapped_column(sa.String(5), nullable=False, index=True)
    commune_insee: Mapped[str] = mapped_column(sa.String(5), nullable=False, index=True)
    commune_name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    line5: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    routing_label: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)


class RefdataImport(db.Model):
    """Journal of loaded reference files: a file whose checksum is already recorded is skipped."""

    __tablename__ = "ref_imports"

    kind: Mapped[str] = mapped_column(sa.String(250), primary_key=True)
    filename: Mapped[str] = mapped_column(sa.String(250), nullable=False)
    checksum: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    row_count: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class QpvStatusChange(db.Model):
    """Audit trail: every change of a supplier's QPV status, who made it, how and why.

    Kept when the company is deleted (its owner deleted their account): ``supplier_id`` becomes NULL and the
    company's SIRET and name, copied on every row when it is written (``_snapshot_company`` below), still say
    whose status it was.
    """

    __tablename__ = "qpv_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="SET NULL"), index=True
    )
    company_siret: Mapped[str] = mapped_column(sa.String(14), nullable=False)
    company_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    old_status: Mapped[QpvStatus | None] = mapped_column(enum_column(QpvStatus, name="qpvstatus_old"))
    new_status: Mapped[QpvStatus] = mapped_column(enum_column(QpvStatus, name="qpvstatus_new"), nullable=False)
    qpv_code: Mapped[str | None] = mapped_column(sa.String(10))
    method: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    supplier = relationship("SupplierCompany")
    actor = relationship("User")

    @property
    def old_status_label(self) -> str:
        return QPV_STATUS_LABELS[self.old_status] if self.old_status else "—"

    @property
    def new_status_label(self) -> str:
        return QPV_STATUS_LABELS[self.new_status]


@sa.event.listens_for(QpvStatusChange, "before_insert")
def _snapshot_company(_mapper, connection, change: QpvStatusChange) -> None:
    """Every audit row carries the company's SIRET and name, whichever code path wrote it."""
    if change.company_siret and change.company_name:
        return
    company = change.__dict__.get("supplier")  # the object when one was given: no lazy load inside the flush
    if company is not None:
        siret, name = company.siret, company.name
    else:
        companies = sa.table("supplier_companies", sa.column("id"), sa.column("siret"), sa.column("name"))
        siret, name = connection.execute(
            sa.select(companies.c.siret, companies.c.name).where(companies.c.id == change.supplier_id)
        ).one()
    change.company_siret = change.company_siret or siret
    change.company_name = change.company_name or name
