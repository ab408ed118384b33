"""Buyers' journey: organisation, tenders and lots, supplier shortlists."""

from .routes import bp

__all__ = ["bp"]
