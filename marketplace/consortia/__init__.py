"""Grouped bids: consortia (groupements) of companies answering a tender together, and the suggested teams."""

from .routes import bp

__all__ = ["bp"]
