"""Buyers' journey: organisation, tenders and lots, supplier shortlists."""

from . import (
    award_views,  # noqa: F401  (registers the award and duplicate views on bp)
    curation_views,  # noqa: F401  (registers the shortlist views on bp)
    report_views,  # noqa: F401  (registers the inclusive-purchasing report on bp)
    search_views,  # noqa: F401  (registers the supplier search and the saved searches on bp)
)
from .routes import bp

__all__ = ["bp"]
