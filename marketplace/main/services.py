"""Figures shown on the public home page."""

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import QPV_STATUSES_SHOWN, BuyerOrganisation, SupplierCompany, Tender, TenderStatus


@dataclass(frozen=True)
class PlatformCounts:
    suppliers: int
    qpv_suppliers: int
    buyers: int
    open_tenders: int


def platform_counts() -> PlatformCounts:
    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    return PlatformCounts(
        suppliers=count(select(func.count(SupplierCompany.id))),
        qpv_suppliers=count(
            select(func.count(SupplierCompany.id)).where(
                SupplierCompany.qpv_status.in_(QPV_STATUSES_SHOWN)
            )
        ),
        buyers=count(select(func.count(BuyerOrganisation.id))),
        open_tenders=count(select(func.count(Tender.id)).where(Tender.status == TenderStatus.PUBLISHED)),
    )
