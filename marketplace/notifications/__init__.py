"""Notifications journey: the user's list, their preferences, one-click unsubscribe; notify() for the others."""

from .routes import bp

__all__ = ["bp"]
