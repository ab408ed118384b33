"""Several users per company: the team page, invitations by e-mail, removal, leaving, hand-over."""

from .routes import bp

__all__ = ["bp"]
