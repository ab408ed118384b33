"""Thin views of the planning: run the scheduling job, watch it, edit meetings by hand, publish."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..extensions import db
from ..jobs.services import expire_stale
from ..models import ParticipantSide, Role
from ..validators import ServiceError, page_number
from . import scheduling
from .access import organised_event_or_404
from .blueprints import bp
from .schedule_forms import ActionForm, AddMeetingForm, RunForm, SeatForm
from .scoring import scheduled_participants
from .slots import event_slots


def _event_url(event) -> str:
    return url_for("events.event", event_id=event.id)


def _planning(event_id: int):
    return redirect(url_for("events.schedule", event_id=event_id))


def _job(event):
    job = event.schedule_job
    if job is not None and not job.finished and expire_stale(job.id):
        db.session.refresh(job)
    return job


def _render_planning(event, *, status: int = 200, run_form=None, problems=None, problems_title=None):
    view = scheduling.overview(event)
    days = view.days
    day_number = min(page_number(request.args.get("page")), max(1, len(days)))
    day = days[day_number - 1] if days else None
    published_changes = (event.status.value == "published"
                         and bool(scheduling.changed_participants(event)))
    if problems is None and event.meetings:
        problems = scheduling.check_schedule(event)
        problems_title = "Le planning actuel ne respecte pas toutes les règles"
    return render_template(
        "events/schedule.html", event=event, event_url=_event_url(event), job=_job(event), view=view,
        days=days, day=day, day_number=day_number, rows=scheduling.timetable(event, day) if day else [],
        run_form=run_form or RunForm(), action_form=ActionForm(), published_changes=published_changes,
        problems=problems or [], problems_title=problems_title,
        running=scheduling.scheduling_running(event), optimal_label=scheduling.optimal_label(event.schedule_optimal),
    ), status


@bp.route("/<int:event_id>/planning")
@role_required(Role.ORGANISER)
def schedule(event_id: int):
    return _render_planning(organised_event_or_404(event_id))


@bp.route("/<int:event_id>/planning/calcul", methods=["POST"])
@role_required(Role.ORGANISER)
def run_schedule(event_id: int):
    event = organised_event_or_404(event_id)
    form = RunForm()
    if not form.validate_on_submit():
        flash("Le formulaire n'a pas pu être lu : rechargez la page et recommencez.", "error")
        return _planning(event.id)
    try:
        job = scheduling.start_scheduling(event, current_user, confirm_republish=form.confirm_republish.data)
    except ServiceError as error:
        if "confirm_republish" in error.errors:
            form.confirm_republish.errors = [error.errors["confirm_republish"]]
            return _render_planning(event, status=422, run_form=form)
        flash(str(error), "error")
        return _planning(event.id)
    if job.status.value == "failed":
        flash("Le calcul du planning a échoué : le détail est ci-dessous.", "error")
    elif job.finished:
        flash("Le planning est calculé.", "success")
    else:
        flash("Le calcul du planning a commencé : cette page suit son avancement.", "success")
    return _planning(event.id)


def _render_meeting(event, meeting, *, status: int = 200, move_form=None, swap_form=None, problems=None):
    slots = event_slots(event)
    return render_template(
        "events/schedule_meeting.html", event=event, meeting=meeting, event_url=_event_url(event),
        slot=next((s for s in slots if s.index == meeting.slot), None),
        move_form=move_form or SeatForm(formdata=None, slot=meeting.slot, table=meeting.table_index)
        .set_choices(slots, event.tables),
        swap_form=swap_form or SeatForm(formdata=None, prefix="swap").set_choices(slots, event.tables),
        action_form=ActionForm(), problems=problems or [],
    ), status


@bp.route("/<int:event_id>/planning/rendez-vous/<int:meeting_id>")
@role_required(Role.ORGANISER)
def meeting(event_id: int, meeting_id: int):
    event = organised_event_or_404(event_id)
    return _render_meeting(event, scheduling.meeting_of(event, meeting_id))


def _seat_edit(event_id: int, meeting_id: int, prefix: str, apply, done: str):
    event = organised_event_or_404(event_id)
    meeting = scheduling.meeting_of(event, meeting_id)
    form = SeatForm(prefix=prefix).set_choices(event_slots(event), event.tables)
    forms = {"move_form": form} if prefix == "" else {"swap_form": form}
    if not form.validate_on_submit():
        return _render_meeting(event, meeting, status=422, **forms)
    try:
        apply(event, meeting.id, form.slot.data, form.table.data)
    except scheduling.ScheduleProblems as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_meeting(event, scheduling.meeting_of(event, meeting_id), status=422, problems=error.problems,
                               **forms)
    except ServiceError as error:
        db.session.rollback()
        for name, message in error.errors.items():
            if name in form:
                form[name].errors = [message]
            else:
                flash(message, "error")
        event = organised_event_or_404(event_id)
        return _render_meeting(event, scheduling.meeting_of(event, meeting_id), status=422, **forms)
    db.session.commit()
    flash(done, "success")
    return _planning(event_id)


@bp.route("/<int:event_id>/planning/rendez-vous/<int:meeting_id>/deplacer", methods=["POST"])
@role_required(Role.ORGANISER)
def move_meeting(event_id: int, meeting_id: int):
    return _seat_edit(event_id, meeting_id, "", scheduling.move_meeting, "Le rendez-vous est déplacé.")


@bp.route("/<int:event_id>/planning/rendez-vous/<int:meeting_id>/echanger", methods=["POST"])
@role_required(Role.ORGANISER)
def swap_meeting(event_id: int, meeting_id: int):
    return _seat_edit(event_id, meeting_id, "swap", scheduling.swap_meeting,
                      "Les deux rendez-vous ont échangé leurs places.")


@bp.route("/<int:event_id>/planning/rendez-vous/<int:meeting_id>/annuler", methods=["POST"])
@role_required(Role.ORGANISER)
def cancel_meeting(event_id: int, meeting_id: int):
    event = organised_event_or_404(event_id)
    scheduling.meeting_of(event, meeting_id)
    if not ActionForm().validate_on_submit():
        flash("Le formulaire n'a pas pu être lu : rechargez la page et recommencez.", "error")
        return redirect(url_for("events.meeting", event_id=event_id, meeting_id=meeting_id))
    try:
        scheduling.cancel_meeting(event, meeting_id)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _planning(event_id)
    db.session.commit()
    flash("Le rendez-vous est annulé.", "success")
    return _planning(event_id)


def _add_form(event, formdata=True):
    people = scheduled_participants(event)
    kwargs = {} if formdata else {"formdata": None}
    form = AddMeetingForm(**kwargs).set_choices(event_slots(event), event.tables)
    return form.set_people(sorted((p for p in people if p.side is ParticipantSide.BUYER), key=_by_label),
                           sorted((p for p in people if p.side is ParticipantSide.SUPPLIER), key=_by_label))


def _by_label(participant):
    return participant.label.casefold()


@bp.route("/<int:event_id>/planning/ajout", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def add_meeting(event_id: int):
    event = organised_event_or_404(event_id)
    form = _add_form(event, formdata=request.method == "POST")
    problems = []
    if form.validate_on_submit():
        try:
            scheduling.add_meeting(event, form.buyer_id.data, form.supplier_id.data, form.slot.data, form.table.data)
        except scheduling.ScheduleProblems as error:
            db.session.rollback()
            flash(str(error), "error")
            problems = error.problems
        except ServiceError as error:
            db.session.rollback()
            for name, message in error.errors.items():
                if name in form:
                    form[name].errors = [message]
                else:
                    flash(message, "error")
        else:
            db.session.commit()
            flash("Le rendez-vous est ajouté.", "success")
            return _planning(event_id)
        event = organised_event_or_404(event_id)
    return render_template("events/schedule_add.html", event=event, event_url=_event_url(event), form=form,
                           problems=problems), 422 if form.is_submitted() else 200


@bp.route("/<int:event_id>/planning/publication", methods=["POST"])
@role_required(Role.ORGANISER)
def publish(event_id: int):
    event = organised_event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        flash("Le formulaire n'a pas pu être lu : rechargez la page et recommencez.", "error")
        return _planning(event_id)
    try:
        report = scheduling.publish(event, current_user)
    except scheduling.ScheduleProblems as error:
        db.session.rollback()
        flash(str(error), "error")
        return _render_planning(organised_event_or_404(event_id), status=422, problems=error.problems,
                                problems_title="Le planning n'est pas publié")
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _planning(event_id)
    db.session.commit()
    told = report.emailed
    what = "Le planning est publié" if report.first else "Les modifications sont publiées"
    flash(f"{what} : {told} participant{'s' if told > 1 else ''} prévenu{'s' if told > 1 else ''} par e-mail "
          f"avec leur agenda et leur lien personnel (dont {report.notified} aussi dans leur espace).", "success")
    return _planning(event_id)
