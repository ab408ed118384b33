"""The two blueprints of the events journey: the organisers' pages and the participants' space."""

from flask import Blueprint

from ..dates import date_range_label, day_label

# Organisers: events, participants, scheduling, exports, summary (role organiser, and one of the event's own).
bp = Blueprint("events", __name__, url_prefix="/evenements")
# Participants (buyers and entrepreneurs, with or without an account): confirm, wishes, agenda.
participation_bp = Blueprint("participation", __name__, url_prefix="/rencontres")

# "le 12/03/2027" / "du 12/03/2027 au 13/03/2027", and "12/03/2027": every template of the journey, e-mails too.
bp.add_app_template_filter(date_range_label, "date_range")
bp.add_app_template_filter(day_label, "short_date")
