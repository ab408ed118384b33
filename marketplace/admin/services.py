"""Administrators' overview figures."""

from sqlalchemy import func, select

from ..extensions import db
from ..models import QpvStatus, Role, SupplierCompany, User


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
