"""Event organisers' journey: diversity weeks and one-to-one buyer-entrepreneur meetings.

Organisers' views live in ``organiser_views`` (events and participants), ``schedule_views`` (scheduling,
hand edits, publication), ``export_views`` (exports, printable agendas and cards) and ``summary_views``
(attendance and the summary); the participants' space in ``participant_views``. The rules are in the
services modules next to them; the slot grid in ``slots``; who may see what in ``access``.
"""

from . import export_views, organiser_views, participant_views, schedule_views, summary_views  # noqa: F401
from .blueprints import bp, participation_bp

__all__ = ["bp", "participation_bp"]
