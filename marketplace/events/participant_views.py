"""Thin views of the participants' space (/rencontres): open one's personal link, confirm, say what one buys or
does, one's availabilities and wishes. Every page is the participant's own (``access.participant_or_404``):
the linked account, or a browser that opened the personal link."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..dates import long_day_label
from ..forms import apply_service_errors
from ..models import WISH_LABELS
from ..validators import ServiceError, page_number
from . import access, participation
from .blueprints import participation_bp
from .participation_forms import (
    WISH_CHOICES,
    AnswerForm,
    AvailabilityForm,
    BuyerProfileForm,
    OwnProfileForm,
    WishesForm,
)
from .slots import event_slots


@participation_bp.app_context_processor
def _header():
    """``takes_part_in_events()`` for the header's "Mes rencontres" link (one query per request at most)."""

    def takes_part_in_events() -> bool:
        if not current_user.is_authenticated:
            return False
        if "takes_part_in_events" not in g:
            g.takes_part_in_events = participation.takes_part(current_user)
        return g.takes_part_in_events

    return {"takes_part_in_events": takes_part_in_events}


def _home(participant):
    return redirect(url_for("participation.home", participant_id=participant.id))


def _flash_errors(error: ServiceError) -> None:
    for message in error.errors.values():
        flash(message, "error")


def _locked(participant):
    flash(participation.PUBLISHED_LOCKED, "error")
    return _home(participant)


def _agenda_url(participant) -> str | None:
    """The agenda's address once published (the agenda's view may be missing from a partial build)."""
    if not participation.is_published(participant) or "participation.agenda" not in current_app.view_functions:
        return None
    return url_for("participation.agenda", participant_id=participant.id)


def _page(template: str, participant, **context):
    return render_template(f"events/participant/{template}", participant=participant, event=participant.event,
                           published=participation.is_published(participant), day_label=long_day_label,
                           **context)


@participation_bp.route("/acces/<token>")
def open_link(token: str):
    participant = access.participant_from_token(token[:500])
    if participant is None:
        return render_template("events/participant/link_invalid.html"), 404
    if current_user.is_authenticated:
        participation.link_account(participant, current_user)
    access.grant(participant)
    return _home(participant)


@participation_bp.route("/")
@login_required
def mine():
    return render_template("events/participant/mine.html", participations=participation.events_of(current_user))


@participation_bp.route("/<int:participant_id>")
def home(participant_id: int):
    participant = access.participant_or_404(participant_id)
    slots = event_slots(participant.event)
    days = sorted({slot.day for slot in slots})
    return _page("home.html", participant, answer_form=AnswerForm(), days=days, slot_count=len(slots),
                 available_count=len(slots) - len(set(participant.unavailable_slots or ())),
                 wish_count=len(participation.wishes_of(participant)), agenda_url=_agenda_url(participant),
                 wishes_open=participation.wishes_open(participant))


@participation_bp.route("/<int:participant_id>/reponse", methods=["POST"])
def answer(participant_id: int):
    participant = access.participant_or_404(participant_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash("Le formulaire n'a pas pu être lu : renvoyez-le.", "error")
        return _home(participant)
    confirmed = form.choice.data == "oui"
    try:
        participation.answer(participant, confirmed)
    except ServiceError as error:
        _flash_errors(error)
    else:
        flash("Merci, votre participation est confirmée." if confirmed
              else "C'est noté : vous ne participerez pas. Vous pouvez changer d'avis tant que les agendas ne sont "
                   "pas publiés.", "success")
    return _home(participant)


@participation_bp.route("/<int:participant_id>/profil", methods=["GET", "POST"])
def profile(participant_id: int):
    participant = access.participant_or_404(participant_id)
    kind = participation.profile_kind(participant)
    if kind == "company":
        return _page("profile.html", participant, kind=kind, form=None, prefilled=None)
    form_class = BuyerProfileForm if kind == "buyer" else OwnProfileForm
    if request.method == "POST" and participation.is_published(participant):
        return _locked(participant)
    prefilled = participation.prefill(participant) if request.method == "GET" else None
    form = form_class(obj=prefilled or participant) if request.method == "GET" else form_class()
    if form.validate_on_submit():
        own = kind == "own"
        data = participation.ProfileData(needs_text=form.needs_text.data, cpv_codes=form.cpv_codes.data,
                                         postcode=form.postcode.data if own else None,
                                         qpv_declared=bool(own and form.qpv_declared.data))
        try:
            participation.update_profile(participant, data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash("Votre présentation est enregistrée.", "success")
            return _home(participant)
    return (_page("profile.html", participant, kind=kind, form=form, prefilled=prefilled),
            422 if form.errors else 200)


@participation_bp.route("/<int:participant_id>/disponibilites", methods=["GET", "POST"])
def availability(participant_id: int):
    participant = access.participant_or_404(participant_id)
    slots = event_slots(participant.event)
    form = AvailabilityForm()
    unavailable = set(participant.unavailable_slots or ())
    ticked = {slot.index for slot in slots} - unavailable
    status = 200
    if request.method == "POST":
        if participation.is_published(participant):
            return _locked(participant)
        if form.validate_on_submit():
            try:
                stored = participation.set_availability(participant, form.slots.data or [])
            except ServiceError as error:
                form.slots.errors = [*form.slots.errors, *error.errors.values()]
            else:
                if len(stored) == len(slots):
                    flash("Vos disponibilités sont enregistrées, mais aucun créneau n'est coché : vous n'aurez "
                          "aucun rendez-vous.", "warning")
                else:
                    flash("Vos disponibilités sont enregistrées.", "success")
                return _home(participant)
        ticked = set(form.slots.data or ())
        status = 422
    days = {}
    for slot in slots:
        days.setdefault(slot.day, []).append(slot)
    return _page("availability.html", participant, form=form, days=days, ticked=ticked,
                 none_ticked=bool(slots) and not ticked), status


def _wish_context(participant):
    """The editable list while the wish phase is open; the participant's wishes, read-only, once published."""
    query = request.args.get("q", "")[:100]
    wishes_open = participation.wishes_open(participant)
    listing = (participation.wish_page(participant, query=query, page=page_number(request.args.get("page")))
               if wishes_open else None)
    return {"listing": listing, "query": query, "choices": WISH_CHOICES, "labels": WISH_LABELS,
            "wish_list": participation.wish_list(participant) if participation.is_published(participant) else [],
            "max_must": participation.MAX_MUST_WISHES, "wishes_open": wishes_open}


@participation_bp.route("/<int:participant_id>/souhaits", methods=["GET", "POST"])
def wishes(participant_id: int):
    participant = access.participant_or_404(participant_id)
    form = WishesForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash("Le formulaire n'a pas pu être lu : renvoyez-le.", "error")
        else:
            try:
                participation.set_wishes(participant, form.wish_values(request.form))
            except ValueError as error:
                flash(str(error), "error")
            except ServiceError as error:
                _flash_errors(error)
            else:
                flash("Vos souhaits sont enregistrés.", "success")
                return redirect(url_for("participation.wishes", participant_id=participant.id,
                                        q=request.args.get("q") or None, page=request.args.get("page") or None))
        context = _wish_context(participant)
        # Keep what was chosen on this page so a refused submission can be corrected, not retyped.
        shown = context["listing"].shown if context["listing"] else []
        context["chosen"] = {other.id: request.form.get(f"wish-{other.id}", "0") for other in shown}
        return _page("wishes.html", participant, form=form, **context), 422
    return _page("wishes.html", participant, form=form, chosen=None, **_wish_context(participant))
