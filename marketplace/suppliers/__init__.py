"""Entrepreneurs' journey: company profile, offers, matching tenders."""

from .routes import bp

__all__ = ["bp"]
