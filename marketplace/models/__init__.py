"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from .base import utcnow
from .refdata import (
    Commune,
    CpvCode,
    NafCode,
    PostcodeEntry,
    Qpv,
    QpvArea,
    QpvCommune,
    QpvStatusChange,
    RefdataImport,
)
from .search_state import SearchState, current_search_revision, next_search_revision
from .suppliers import (
    LABELS,
    LEGAL_FORMS,
    QPV_STATUS_LABELS,
    QPV_STATUSES_SHOWN,
    STRUCTURE_TYPE_LABELS,
    Offer,
    QpvStatus,
    StructureType,
    SupplierCompany,
)
from .tenders import (
    ORGANISATION_KIND_LABELS,
    TENDER_STATUS_LABELS,
    BuyerOrganisation,
    Lot,
    OrganisationKind,
    Tender,
    TenderStatus,
)
from .users import ROLE_LABELS, Role, User

__all__ = [
    "LABELS",
    "LEGAL_FORMS",
    "ORGANISATION_KIND_LABELS",
    "QPV_STATUS_LABELS",
    "QPV_STATUSES_SHOWN",
    "ROLE_LABELS",
    "STRUCTURE_TYPE_LABELS",
    "TENDER_STATUS_LABELS",
    "BuyerOrganisation",
    "Commune",
    "CpvCode",
    "Lot",
    "NafCode",
    "Offer",
    "OrganisationKind",
    "PostcodeEntry",
    "Qpv",
    "QpvArea",
    "QpvCommune",
    "QpvStatus",
    "QpvStatusChange",
    "RefdataImport",
    "Role",
    "SearchState",
    "StructureType",
    "SupplierCompany",
    "Tender",
    "TenderStatus",
    "User",
    "current_search_revision",
    "next_search_revision",
    "utcnow",
]
