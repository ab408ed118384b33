"""Supplier matching engine for inclusive purchasing: pure Python over plain data.

Rank suppliers for a tender (:meth:`Engine.shortlist`) or a free text (:meth:`Engine.search`), optionally
among QPV suppliers only (``qpv="any"`` or ``"verified"``); each :class:`Match` explains itself with French
:class:`Reason` records, each of a kind (:data:`REASON_KINDS`: why it fits, a caution, a note). Suggest CPV
codes for a text (:class:`CpvSuggester`) and autocomplete CPV codes (:class:`CpvIndex`). Suggest teams of
suppliers for a tender's lots (:meth:`Engine.suggest_groups`, each a :class:`Group` with French reasons). A
fitted engine is safe to share between threads (docs/matching.md). Schedule one-to-one buyer-supplier
meetings for an event (:func:`schedule_meetings` in :mod:`matching.schedule`: a :class:`Schedule` of
:class:`Meeting` records with French reasons; ``matching.schedule.validate`` lists broken constraints).
"""

from .cpv import CpvIndex, CpvSuggester, CpvSuggestion
from .engine import QPV_FILTERS, Engine, NotFittedError
from .model import QPV_STATUSES, REASON_KINDS, Group, Lot, Match, Reason, Supplier, Tender
from .schedule import Meeting, Schedule, schedule_meetings

__all__ = [
    "QPV_FILTERS",
    "QPV_STATUSES",
    "REASON_KINDS",
    "CpvIndex",
    "CpvSuggester",
    "CpvSuggestion",
    "Engine",
    "Group",
    "Lot",
    "Match",
    "Meeting",
    "NotFittedError",
    "Reason",
    "Schedule",
    "Supplier",
    "Tender",
    "schedule_meetings",
]
