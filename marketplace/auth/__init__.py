"""Accounts: registration, login, logout."""

from .routes import bp

__all__ = ["bp"]
