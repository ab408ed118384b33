"""Thin views: the organisers' exports (files, printable agendas, table cards) and a participant's agenda."""

from flask import render_template, url_for

from ..auth.access import role_required
from ..models import EventStatus, Role
from ..spreadsheets import download
from . import exports
from .access import organised_event_or_404, participant_or_404
from .blueprints import bp, participation_bp

# "le 12/03/2027", "du 12/03/2027 au 13/03/2027" and "12/03/2027" in every template.


@bp.route("/<int:event_id>/exports", endpoint="exports")
@role_required(Role.ORGANISER)
def exports_page(event_id: int):
    event = organised_event_or_404(event_id)
    return render_template("events/exports.html", event=event, meeting_count=len(event.meetings))


def _file(event_id: int, fmt: str):
    event = organised_event_or_404(event_id)
    return download(*exports.export(event, fmt))


@bp.route("/<int:event_id>/rendez-vous.csv")
@role_required(Role.ORGANISER)
def export_csv(event_id: int):
    return _file(event_id, "csv")


@bp.route("/<int:event_id>/rendez-vous.xlsx")
@role_required(Role.ORGANISER)
def export_xlsx(event_id: int):
    return _file(event_id, "xlsx")


@bp.route("/<int:event_id>/rendez-vous.ics")
@role_required(Role.ORGANISER)
def export_ics(event_id: int):
    return _file(event_id, "ics")


@bp.route("/<int:event_id>/agendas")
@role_required(Role.ORGANISER)
def print_agendas(event_id: int):
    event = organised_event_or_404(event_id)
    return render_template("events/print_agendas.html", event=event, agendas=exports.printable_agendas(event))


@bp.route("/<int:event_id>/cartes-de-table")
@role_required(Role.ORGANISER)
def table_cards(event_id: int):
    event = organised_event_or_404(event_id)
    cards = exports.table_cards(event)
    return render_template("events/print_table_cards.html", event=event, cards=cards,
                           busy=any(meeting for card in cards for _, meeting in card.rows))


@participation_bp.route("/<int:participant_id>/agenda")
def agenda(participant_id: int):
    participant = participant_or_404(participant_id)
    return _agenda_page(participant)


def _agenda_page(participant, status: int = 200):
    published = participant.event.status is EventStatus.PUBLISHED
    return render_template("events/participant/agenda.html", participant=participant, event=participant.event,
                           published=published, lines=exports.agenda(participant) if published else [],
                           ics_url=url_for("participation.agenda_ics", participant_id=participant.id)), status


@participation_bp.route("/<int:participant_id>/agenda.ics")
def agenda_ics(participant_id: int):
    participant = participant_or_404(participant_id)
    if participant.event.status is not EventStatus.PUBLISHED:
        return _agenda_page(participant, 404)  # no calendar before publication: the page says why
    filename = exports.export_filename(participant.event, "ics", prefix="mon-agenda")
    return download(exports.participant_ics(participant), "text/calendar; charset=utf-8", filename)
