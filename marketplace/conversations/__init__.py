"""Conversations journey: buyers and entrepreneurs write to each other about a tender (``/messages``)."""

from .routes import bp

__all__ = ["bp"]
