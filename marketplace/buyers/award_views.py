"""Thin views for awards and duplication, on the buyers' blueprint (imported by buyers/__init__.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..forms import apply_service_errors
from ..models import TENDER_STATUS_LABELS, Role, TenderStatus
from ..validators import ServiceError, parse_id
from . import awards
from .award_forms import AwardForm, ConfirmForm
from .routes import bp
from .services import get_tender, today


@bp.app_template_global("tender_awards")
def _tender_awards(tender):
    """For the entrepreneurs' tender page: who won what, once the tender is awarded."""
    return awards.public_awards(tender)


@bp.app_template_global("awards_of")
def _awards_of(tender):
    return awards.awards_of(tender)


def _form_for(slot):
    form = AwardForm(prefix=f"lot{slot.key}-", formdata=None)
    form.lot_id.data = str(slot.lot.id) if slot.lot is not None else ""
    form.awarded_on.data = form.awarded_on.data or today()
    return form


def _render(tender_id: int, posted: AwardForm | None = None, posted_key: int | None = None):
    query = (request.args.get("q") or "").strip()[:100]
    query_lot = parse_id(request.args.get("lot")) or 0
    tender = get_tender(current_user, tender_id)
    slots = awards.award_page(current_user, tender_id, query, query_lot)
    forms = {slot.key: (posted if posted is not None and slot.key == posted_key else _form_for(slot))
             for slot in slots}
    status = 422 if posted is not None else 200
    return render_template("buyers/award.html", tender=tender, slots=slots, forms=forms, query=query,
                           query_lot=query_lot, cancel_form=ConfirmForm()), status


@bp.route("/appels-d-offres/<int:tender_id>/attribuer", methods=["GET", "POST"])
@role_required(Role.BUYER)
def tender_award(tender_id: int):
    tender = get_tender(current_user, parse_id(tender_id) or abort(404))
    if tender.status not in (TenderStatus.CLOSED, TenderStatus.AWARDED):
        flash(awards.NOT_CLOSED.format(status=TENDER_STATUS_LABELS[tender.status].lower()), "error")
        return redirect(url_for("buyers.tender_detail", tender_id=tender_id))
    if request.method == "GET":
        return _render(tender_id)
    key = parse_id(request.form.get("slot")) or 0
    form = AwardForm(prefix=f"lot{key}-")
    if form.validate():
        try:
            award = awards.record(current_user, tender_id, form.to_data())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(f"Attribution enregistrée : {award.winner_name}.", "success")
            if award.tender.status is TenderStatus.AWARDED:
                flash("Tous les lots sont attribués : l'appel d'offres est marqué comme attribué.", "success")
                return redirect(url_for("buyers.tender_detail", tender_id=tender_id))
            return redirect(url_for("buyers.tender_award", tender_id=tender_id))
    return _render(tender_id, form, key)


@bp.route("/attributions/<int:award_id>/annuler", methods=["POST"])
@role_required(Role.BUYER)
def award_cancel(award_id: int):
    award = awards.get_award(current_user, parse_id(award_id) or abort(404))
    tender_id = award.tender_id
    form = ConfirmForm()
    if not form.validate() or not form.confirm.data:
        flash("Cochez la case pour confirmer l'annulation de l'attribution.", "error")
    else:
        awards.cancel(current_user, award_id)
        flash("Attribution annulée : l'appel d'offres est de nouveau clos.", "success")
    return redirect(url_for("buyers.tender_award", tender_id=tender_id))


@bp.route("/appels-d-offres/<int:tender_id>/dupliquer", methods=["POST"])
@role_required(Role.BUYER)
def tender_duplicate(tender_id: int):
    if parse_id(tender_id) is None:  # beyond INTEGER ids: a 404, not a 500 on PostgreSQL
        abort(404)
    form = ConfirmForm()
    if not form.validate():
        flash("La page a expiré : recommencez.", "error")
        return redirect(url_for("buyers.tender_detail", tender_id=tender_id))
    copy = awards.duplicate(current_user, tender_id)
    flash("Copie créée en brouillon : vérifiez-la et donnez-lui une date limite.", "success")
    return redirect(url_for("buyers.tender_edit", tender_id=copy.id))
