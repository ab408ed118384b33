"""Supplier matching engine for inclusive purchasing: pure Python over plain data.

Rank suppliers for a tender (:meth:`Engine.shortlist`) or a free text (:meth:`Engine.search`), optionally
among QPV suppliers only (``qpv="any"`` or ``"verified"``); each :class:`Match` explains itself with French
:class:`Reason` records, each of a kind (:data:`REASON_KINDS`: why it fits, a caution, a note). Suggest CPV
codes for a text (:class:`CpvSuggester`) and autocomplete CPV codes (:class:`CpvIndex`). A fitted engine is
safe to share between threads (docs/matching.md).
"""

from .cpv import CpvIndex, CpvSuggester, CpvSuggestion
from .engine import QPV_FILTERS, Engine, NotFittedError
from .model import QPV_STATUSES, REASON_KINDS, Lot, Match, Reason, Supplier, Tender

__all__ = [
    "QPV_FILTERS",
    "QPV_STATUSES",
    "REASON_KINDS",
    "CpvIndex",
    "CpvSuggester",
    "CpvSuggestion",
    "Engine",
    "Lot",
    "Match",
    "NotFittedError",
    "Reason",
    "Supplier",
    "Tender",
]
