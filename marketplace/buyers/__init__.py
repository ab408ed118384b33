"""Buyers' journey: organisation, tenders and lots, supplier shortlists."""

from . import (
    award_views,  # noqa: F401  (registers the award and duplicate views on bp)
    curation_views,  # noqa: F401  (registers the shortlist views on bp)
)
from .routes import bp

__all__ = ["bp"]
