"""Buyer rules: an organisation's tenders."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Tender, User


def tenders_of(user: User) -> list[Tender]:
    if user.buyer_organisation_id is None:
        return []
    stmt = (
        select(Tender)
        .where(Tender.buyer_organisation_id == user.buyer_organisation_id)
        .options(selectinload(Tender.lots))
        .order_by(Tender.created_at.desc(), Tender.id.desc())
    )
    return list(db.session.scalars(stmt))
