"""Event organisers' journey: diversity weeks and one-to-one meetings."""

from .routes import bp

__all__ = ["bp"]
