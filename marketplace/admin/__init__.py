"""Administrators' journey: verification, moderation, reference data."""

from .routes import bp

__all__ = ["bp"]
