"""Supplier matching engine for inclusive purchasing: pure Python over plain data.

Rank suppliers for a tender (:meth:`Engine.shortlist`) or a free text (:meth:`Engine.search`), suggest CPV
codes for a text (:class:`CpvSuggester`) and autocomplete CPV codes (:class:`CpvIndex`).
"""

from .cpv import CpvIndex, CpvSuggester, CpvSuggestion
from .engine import Engine, NotFittedError
from .model import Lot, Match, Supplier, Tender

__all__ = [
    "CpvIndex",
    "CpvSuggester",
    "CpvSuggestion",
    "Engine",
    "Lot",
    "Match",
    "NotFittedError",
    "Supplier",
    "Tender",
]
