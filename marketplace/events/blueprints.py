"""The two blueprints of the events journey: the organisers' pages and the participants' space."""

from flask import Blueprint

# Organisers: events, participants, scheduling, exports, summary (role organiser, and one of the event's own).
bp = Blueprint("events", __name__, url_prefix="/evenements")
# Participants (buyers and entrepreneurs, with or without an account): confirm, wishes, agenda.
participation_bp = Blueprint("participation", __name__, url_prefix="/rencontres")
