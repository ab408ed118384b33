"""Public pages: home and the role dispatcher."""

from .routes import bp

__all__ = ["bp"]
