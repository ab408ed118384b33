"""The user's own account: "Télécharger mes données" (RGPD access and portability)."""

from .routes import bp

__all__ = ["bp"]
