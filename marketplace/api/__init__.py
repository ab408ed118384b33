"""JSON endpoints for the progressive-enhancement widgets (CPV autocomplete, postcode -> communes)."""

from .routes import bp

__all__ = ["bp"]
