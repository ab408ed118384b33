"""Thin views: attendance (which meetings were held) and the post-event summary with its downloads."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from ..auth.access import role_required
from ..models import Role
from ..spreadsheets import download
from ..validators import page_number, parse_id
from . import summary
from .access import organised_event_or_404
from .blueprints import bp

# The radio values of one meeting's attendance (form field "presence-<meeting id>").
PRESENCE_CHOICES = {"tenu": True, "non-tenu": False, "inconnu": None}
PRESENCE_LABELS = (("tenu", "Tenu"), ("non-tenu", "Non tenu"), ("inconnu", "Inconnu"))
FIELD_PREFIX = "presence-"


class AttendanceForm(FlaskForm):
    """CSRF only: the per-meeting radios are read by :func:`_choices` (their number depends on the page)."""


def _choices(form) -> tuple[dict[int, bool | None], set[int]]:
    """Per meeting id its attendance, and the slot whose "all held" button was pressed; 400 on tampered input."""
    choices: dict[int, bool | None] = {}
    for key, value in form.items():
        if not key.startswith(FIELD_PREFIX):
            continue
        meeting_id = parse_id(key.removeprefix(FIELD_PREFIX))
        if meeting_id is None or value not in PRESENCE_CHOICES:
            abort(400)
        choices[meeting_id] = PRESENCE_CHOICES[value]
    slots: set[int] = set()
    if "tous_tenus" in form:
        slot = form.get("tous_tenus", "")
        if not (slot.isascii() and slot.isdigit() and len(slot) < 6):
            abort(400)
        slots.add(int(slot))
    return choices, slots


@bp.route("/<int:event_id>/presence", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def attendance(event_id: int):
    event = organised_event_or_404(event_id)
    form = AttendanceForm()
    page = page_number(request.args.get("page"))
    if request.method == "POST" and summary.attendance_open(event):
        if not form.validate_on_submit():
            flash("Le formulaire a expiré : rechargez la page puis enregistrez à nouveau.", "error")
        else:
            choices, slots = _choices(request.form)
            changed = summary.record_attendance(event, choices, slots)
            flash("Présence enregistrée." if changed else "Aucun changement à enregistrer.", "success")
            return redirect(url_for("events.attendance", event_id=event.id, page=page))
    listing = summary.attendance_page(event, page) if summary.attendance_open(event) else None
    return render_template("events/attendance.html", event=event, form=form, listing=listing,
                           presence_labels=PRESENCE_LABELS)


@bp.route("/<int:event_id>/bilan", endpoint="summary")
@role_required(Role.ORGANISER)
def summary_page(event_id: int):
    event = organised_event_or_404(event_id)
    figures = summary.event_summary(event)
    return render_template("events/summary.html", event=event, summary=figures,
                           charts=summary.summary_charts(figures), tables=summary.summary_tables(figures))


@bp.route("/<int:event_id>/bilan.csv")
@role_required(Role.ORGANISER)
def summary_csv(event_id: int):
    event = organised_event_or_404(event_id)
    return download(summary.summary_csv(summary.event_summary(event)), "text/csv; charset=utf-8",
                     f"bilan-evenement-{event.id}.csv")


@bp.route("/<int:event_id>/bilan.xlsx")
@role_required(Role.ORGANISER)
def summary_xlsx(event_id: int):
    event = organised_event_or_404(event_id)
    return download(summary.summary_xlsx(summary.event_summary(event)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"bilan-evenement-{event.id}.xlsx")
