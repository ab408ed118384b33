"""Entrepreneurs' side of tenders: ranked opportunities, the tender page, buyers' public pages, interests."""

from .routes import bp

__all__ = ["bp"]
