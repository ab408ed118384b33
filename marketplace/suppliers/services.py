"""Supplier rules: the companies a user owns and their offers."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import SupplierCompany, User


def companies_of(user: User) -> list[SupplierCompany]:
    stmt = (
        select(SupplierCompany)
        .where(SupplierCompany.owner_id == user.id)
        .options(selectinload(SupplierCompany.offers))
        .order_by(SupplierCompany.id)
    )
    return list(db.session.scalars(stmt))
