"""Administrators' rules: overview figures and the QPV verification queue (with its audit trail)."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import QpvStatus, QpvStatusChange, Role, SupplierCompany, User
from ..refdata.lookups import qpv_by_code
from ..suppliers.services import eligibility, record_status
from ..validators import ServiceError


def overview() -> dict[str, int]:
    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    return {
        "users": count(select(func.count(User.id))),
        "suppliers": count(select(func.count(SupplierCompany.id)).where(SupplierCompany.owner_id.is_not(None))),
        "buyers": count(select(func.count(User.id)).where(User.role == Role.BUYER)),
        "qpv_to_verify": count(
            select(func.count(SupplierCompany.id)).where(SupplierCompany.qpv_status == QpvStatus.DECLARED)
        ),
    }


def verification_queue(page: int, per_page: int):
    """Declared QPV waiting for verification, oldest declaration first (a Flask-SQLAlchemy Pagination)."""
    stmt = (
        select(SupplierCompany)
        .where(SupplierCompany.qpv_status == QpvStatus.DECLARED)
        .order_by(SupplierCompany.updated_at, SupplierCompany.id)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def verification_case(company_id: int) -> dict | None:
    """What an administrator needs to decide: the company, the reference data verdict, the history."""
    company = db.session.get(SupplierCompany, company_id)
    if company is None:
        return None
    history = db.session.scalars(
        select(QpvStatusChange)
        .where(QpvStatusChange.supplier_id == company.id)
        .order_by(QpvStatusChange.created_at.desc(), QpvStatusChange.id.desc())
    ).all()
    return {"company": company, "assessment": eligibility(company), "qpv": qpv_by_code(company.qpv_code),
            "history": history}


def verify(company: SupplierCompany, *, actor: User, note: str = "") -> None:
    if company.qpv_status is not QpvStatus.DECLARED or not company.qpv_code:
        raise ServiceError("Seule une déclaration QPV en attente peut être vérifiée.")
    record_status(company, QpvStatus.VERIFIED, company.qpv_code, method="admin", actor=actor,
                  reason=(note or "").strip()[:2000] or "Vérifié par l'équipe.")
    db.session.commit()


def reject(company: SupplierCompany, *, actor: User, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": "Indiquez le motif du refus : il sera communiqué à l'entrepreneur."})
    if company.qpv_status is not QpvStatus.DECLARED:
        raise ServiceError("Seule une déclaration QPV en attente peut être refusée.")
    record_status(company, QpvStatus.REJECTED, company.qpv_code, method="admin", actor=actor, reason=reason[:2000])
    db.session.commit()
