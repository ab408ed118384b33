"""Thin views: the organiser's events (dashboard, settings, hub, co-organisers) and their participants
(list, enrolment from the marketplace, invitation by e-mail, import)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..forms import page_status
from ..jobs import job_for
from ..models import ParticipantSide, ParticipantStatus, Role
from ..validators import ServiceError, page_number, parse_id
from . import importing, services
from .access import organised_event_or_404
from .blueprints import bp
from .forms import (
    ActionForm,
    EnrolForm,
    EventForm,
    ImportForm,
    InviteForm,
    OrganiserForm,
    RemoveOrganiserForm,
    RemoveParticipantForm,
)
from .slots import event_slots


def _flash_errors(error: ServiceError) -> None:
    for message in error.errors.values():
        flash(message, "error")


def _hub(event_id: int):
    return redirect(url_for("events.event", event_id=event_id))


@bp.route("/")
@role_required(Role.ORGANISER)
def dashboard():
    result = services.events_of(current_user, page_number(request.args.get("page")))
    counts = services.side_counts([event.id for event in result.items])
    return render_template("events/dashboard.html", result=result, counts=counts, Side=ParticipantSide)


@bp.route("/nouveau", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def new():
    form = EventForm()
    if request.method == "GET":
        form.slot_minutes.data, form.tables.data, form.min_score.data = 20, 10, 20
    if form.validate_on_submit():
        try:
            event = services.create_event(current_user, form.to_data())
        except ServiceError as error:
            form.apply_service_errors(error)
        else:
            flash(f"L'événement est créé : {len(event_slots(event))} créneaux. Ajoutez maintenant les participants.",
                  "success")
            return _hub(event.id)
    return render_template("events/event_form.html", form=form, event=None, preview=_preview(form)), page_status(form)


def _preview(form: EventForm) -> int | None:
    """The number of slots the typed settings make (shown next to the form), when they are readable."""
    data = form.to_data()
    return data.slot_count() if not services.event_errors(data) else None


@bp.route("/<int:event_id>/modifier", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def edit(event_id: int):
    event = organised_event_or_404(event_id)
    form = EventForm()
    if request.method == "GET":
        form.fill(event)
    elif form.validate_on_submit():
        try:
            services.update_event(event, form.to_data(), clear_meetings=bool(form.confirm_clear.data))
        except ServiceError as error:
            form.apply_service_errors(error)
        else:
            flash("Les réglages de l'événement sont enregistrés.", "success")
            return _hub(event.id)
    return render_template("events/event_form.html", form=form, event=event, preview=_preview(form),
                           meetings=len(event.meetings)), page_status(form)


@bp.route("/<int:event_id>")
@role_required(Role.ORGANISER)
def event(event_id: int):
    event = organised_event_or_404(event_id)
    return render_template("events/event.html", event=event, overview=services.overview(event),
                           breaks=services.breaks_text(event.breaks), action_form=ActionForm(),
                           organiser_form=OrganiserForm(), remove_form=RemoveOrganiserForm(),
                           Side=ParticipantSide, Status=ParticipantStatus)


@bp.route("/<int:event_id>/souhaits", methods=["POST"])
@role_required(Role.ORGANISER)
def set_wishes(event_id: int):
    """"Ouvrir les souhaits" (``open=1``) or back to the preparation (``open=0``)."""
    event = organised_event_or_404(event_id)
    if ActionForm().validate_on_submit():
        try:
            if request.form.get("open") == "1":
                told = services.open_wishes(event)
                flash(f"Les souhaits sont ouverts : {told} participant{'s' if told > 1 else ''} prévenu"
                      f"{'s' if told > 1 else ''} par e-mail.", "success")
            else:
                services.close_wishes(event)
                flash("L'événement est revenu en préparation ; les souhaits déjà indiqués sont conservés.", "success")
        except ServiceError as error:
            _flash_errors(error)
    return _hub(event.id)


@bp.route("/<int:event_id>/organisateurs", methods=["POST"])
@role_required(Role.ORGANISER)
def add_organiser(event_id: int):
    event = organised_event_or_404(event_id)
    form = OrganiserForm()
    if form.validate_on_submit():
        try:
            organiser = services.add_organiser(event, form.email.data)
        except ServiceError as error:
            form.email.errors = list(error.errors.values())
        else:
            flash(f"{organiser.user.full_name} organise désormais l'événement avec vous.", "success")
            return _hub(event.id)
    return render_template("events/event.html", event=event, overview=services.overview(event),
                           breaks=services.breaks_text(event.breaks), action_form=ActionForm(), organiser_form=form,
                           remove_form=RemoveOrganiserForm(), Side=ParticipantSide, Status=ParticipantStatus), 422


@bp.route("/<int:event_id>/organisateurs/retirer", methods=["POST"])
@role_required(Role.ORGANISER)
def remove_organiser(event_id: int):
    event = organised_event_or_404(event_id)
    form = RemoveOrganiserForm()
    if not form.validate_on_submit():
        abort(404)
    try:
        user = services.remove_organiser(event, form.organiser_id.data)
    except ServiceError as error:
        _flash_errors(error)
        return _hub(event.id)
    flash(f"{user.full_name} n'organise plus l'événement.", "success")
    if user.id == current_user.id:
        return redirect(url_for("events.dashboard"))
    return _hub(event.id)


# --------------------------------------------------------------------------- participants


def _filters() -> dict:
    side = request.args.get("cote", "")
    status = request.args.get("statut", "")
    return {"side": side if side in {s.value for s in ParticipantSide} else "",
            "status": status if status in {s.value for s in ParticipantStatus} else "",
            "q": request.args.get("q", "")[:100].strip()}


@bp.route("/<int:event_id>/participants")
@role_required(Role.ORGANISER)
def participants(event_id: int):
    event = organised_event_or_404(event_id)
    filters = _filters()
    result = services.participants_page(
        event, side=ParticipantSide(filters["side"]) if filters["side"] else None,
        status=ParticipantStatus(filters["status"]) if filters["status"] else None, query=filters["q"],
        page=page_number(request.args.get("page")))
    params = {key: value for key, value in {"cote": filters["side"], "statut": filters["status"],
                                            "q": filters["q"]}.items() if value}
    return render_template("events/participants.html", event=event, result=result, filters=filters, params=params,
                           wishes=services.wish_counts([p.id for p in result.items]), action_form=ActionForm(),
                           remove_form=RemoveParticipantForm(), Side=ParticipantSide, Status=ParticipantStatus)


def _add_page(event, invite_form=None, status=200):
    company_query = request.args.get("entreprise", "")[:100].strip()
    buyer_query = request.args.get("acheteur", "")[:100].strip()
    return render_template(
        "events/participants_add.html", event=event, invite_form=invite_form or InviteForm(formdata=None),
        enrol_form=EnrolForm(), company_query=company_query, buyer_query=buyer_query,
        companies=services.search_companies(event, company_query) if company_query else [],
        buyers=services.search_buyers(event, buyer_query) if buyer_query else []), status


@bp.route("/<int:event_id>/participants/ajouter")
@role_required(Role.ORGANISER)
def add_participants(event_id: int):
    return _add_page(organised_event_or_404(event_id))


@bp.route("/<int:event_id>/participants/inviter", methods=["POST"])
@role_required(Role.ORGANISER)
def invite_participant(event_id: int):
    event = organised_event_or_404(event_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            participant = services.invite_participant(event, form.to_data())
        except ServiceError as error:
            form.apply_service_errors(error)
        else:
            flash(f"{participant.label} est invité : l'invitation est partie à {participant.email}.", "success")
            return redirect(url_for("events.add_participants", event_id=event.id))
    return _add_page(event, form, 422)


@bp.route("/<int:event_id>/participants/entreprise", methods=["POST"])
@role_required(Role.ORGANISER)
def enrol_company(event_id: int):
    return _enrol(event_id, services.enrol_company)


@bp.route("/<int:event_id>/participants/acheteur", methods=["POST"])
@role_required(Role.ORGANISER)
def enrol_buyer(event_id: int):
    return _enrol(event_id, services.enrol_buyer)


def _enrol(event_id: int, enrol):
    event = organised_event_or_404(event_id)
    form = EnrolForm()
    if not form.validate_on_submit():
        flash("Choisissez dans les résultats de la recherche.", "error")
    else:
        try:
            participant = enrol(event, form.item_id.data)
        except ServiceError as error:
            _flash_errors(error)
        else:
            flash(f"{participant.label} est inscrit et invité.", "success")
    return redirect(url_for("events.add_participants", event_id=event.id))


@bp.route("/<int:event_id>/participants/<int:participant_id>/retirer", methods=["POST"])
@role_required(Role.ORGANISER)
def remove_participant(event_id: int, participant_id: int):
    event = organised_event_or_404(event_id)
    services.participant_of(event, participant_id)
    form = RemoveParticipantForm()
    if form.validate_on_submit() and form.confirm.data:
        label = services.remove_participant(event, participant_id)
        flash(f"{label} ne participe plus à l'événement (ses souhaits et rendez-vous sont effacés).", "success")
    else:
        flash("Cochez la case de confirmation pour retirer ce participant.", "error")
    return redirect(url_for("events.participants", event_id=event.id))


@bp.route("/<int:event_id>/participants/<int:participant_id>/relancer", methods=["POST"])
@role_required(Role.ORGANISER)
def resend_invitation(event_id: int, participant_id: int):
    event = organised_event_or_404(event_id)
    services.participant_of(event, participant_id)
    if ActionForm().validate_on_submit():
        participant = services.resend_invitation(event, participant_id)
        flash(f"L'invitation est renvoyée à {participant.email}.", "success")
    return redirect(url_for("events.participants", event_id=event.id))


@bp.route("/<int:event_id>/participants/<int:participant_id>/nouveau-lien", methods=["POST"])
@role_required(Role.ORGANISER)
def renew_link(event_id: int, participant_id: int):
    event = organised_event_or_404(event_id)
    services.participant_of(event, participant_id)
    if ActionForm().validate_on_submit():
        participant = services.renew_link(event, participant_id)
        flash(f"Le lien personnel de {participant.label} est renouvelé : l'ancien lien ne fonctionne plus, le "
              f"nouveau vient de partir à {participant.email}.", "success")
    return redirect(url_for("events.participants", event_id=event.id))


@bp.route("/<int:event_id>/participants/import", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def import_participants(event_id: int):
    event = organised_event_or_404(event_id)
    form = ImportForm()
    report = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            with upload.stream:  # a large upload is a temporary file: closed at once
                content = upload.stream.read(importing.MAX_BYTES + 1)
            report = importing.import_participants(
                event, upload.filename or "", content, only_valid=bool(form.only_valid.data),
                send_invitations=bool(form.send_invitations.data), user=current_user)
        except ServiceError as error:
            form.file.errors = list(error.errors.values())
            status = 422
        else:
            if report.invitations_job is not None:
                flash(f"{len(report.imported)} participants importés ; les invitations partent en arrière-plan.",
                      "success")
                return redirect(url_for("events.import_participants", event_id=event.id,
                                        tache=report.invitations_job.id))
            if report.imported:
                flash(f"{len(report.imported)} participant{'s' if len(report.imported) > 1 else ''} importé"
                      f"{'s' if len(report.imported) > 1 else ''}"
                      + (" et invité" + ("s" if len(report.imported) > 1 else "") if form.send_invitations.data
                         else "") + ".", "success")
                if not report.bad:
                    return redirect(url_for("events.participants", event_id=event.id))
            else:
                status = 422
    elif request.method == "POST":
        status = 422
    job_id = parse_id(request.args.get("tache"))
    job = job_for(current_user, job_id) if job_id and request.method == "GET" else None
    return render_template("events/import.html", event=event, form=form, report=report, job=job,
                           columns=importing.COLUMNS, max_rows=importing.MAX_ROWS), status


@bp.route("/participants/modele.csv")
@role_required(Role.ORGANISER)
def import_template():
    return Response(importing.template_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="modele-participants.csv"'})
