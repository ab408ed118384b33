"""(being written)"""

from .blueprints import bp, participation_bp  # noqa: F401
