"""Thin views for the buyers' journey: parse a form, call one service, redirect or render."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..models import LABELS, TENDER_STATUS_LABELS, Role, TenderStatus
from ..money import format_euros
from ..submissions import AlreadySubmitted
from ..validators import ServiceError
from . import services, sourcing
from .forms import LotForm, TenderForm

bp = Blueprint("buyers", __name__, url_prefix="/acheteur")

ALREADY_SENT_TENDER = "Ce formulaire a déjà été envoyé : voici l'appel d'offres qu'il a créé."

STATUS_PLURALS = {
    TenderStatus.DRAFT: "Brouillons",
    TenderStatus.PUBLISHED: "Publiés",
    TenderStatus.CLOSED: "Clos",
    TenderStatus.AWARDED: "Attribués",
}


@bp.context_processor
def _helpers():
    return {
        "euros": format_euros,
        "status_labels": TENDER_STATUS_LABELS,
        "status_plurals": STATUS_PLURALS,
        "labels": LABELS,
        "TenderStatus": TenderStatus,
        "max_lots": services.MAX_LOTS,
    }


@bp.app_template_filter("label_name")
def _label_name(code: str) -> str:
    return LABELS.get(code, code)


@bp.route("/")
@role_required(Role.BUYER)
def dashboard():
    return render_template(
        "buyers/dashboard.html", organisation=current_user.buyer_organisation, tenders=services.tenders_of(current_user)
    )


@bp.route("/appels-d-offres")
@role_required(Role.BUYER)
def tender_list():
    wanted = request.args.get("statut", "")
    status = TenderStatus(wanted) if wanted in set(TenderStatus) else None
    page = request.args.get("page", 1, type=int)
    result = services.list_tenders(current_user, status, page if page and page < 10**9 else 1)
    return render_template(
        "buyers/tender_list.html", result=result, counts=services.status_counts(current_user), status=status
    )


def _render_form(form: TenderForm, tender=None, status: int = 200):
    return render_template(
        "buyers/tender_form.html", form=form, tender=tender, blank_lot=LotForm(prefix="lots-__INDEX__-")
    ), status


def _edit_lot_rows(form: TenderForm):
    """Handle the no-JavaScript "add a lot" / "remove a lot" buttons; None when the POST is a real save."""
    if "add_lot" in request.form:
        if not form.add_lot():
            form.form_errors.append(f"Un appel d'offres compte au plus {services.MAX_LOTS} lots.")
        return 200
    if "remove_lot" in request.form:
        form.remove_lot(request.form.get("remove_lot", ""))
        return 200
    return None


@bp.route("/appels-d-offres/nouveau", methods=["GET", "POST"])
@role_required(Role.BUYER)
def tender_create():
    form = TenderForm()
    if request.method == "POST":
        if (status := _edit_lot_rows(form)) is not None:
            return _render_form(form, status=status)
        if form.validate():
            try:
                tender = services.create_tender(
                    current_user, form.to_data(), submission_token=form.submission_token.data
                )
            except AlreadySubmitted as done:
                if done.existing is None:
                    form.apply_service_errors(done)
                    return _render_form(form, status=422)
                flash(ALREADY_SENT_TENDER, "info")
                return redirect(url_for("buyers.tender_detail", tender_id=done.existing.id))
            except ServiceError as error:
                form.apply_service_errors(error)
            else:
                flash("Appel d'offres enregistré en brouillon. Publiez-le quand il est prêt.", "success")
                return redirect(url_for("buyers.tender_detail", tender_id=tender.id))
        return _render_form(form, status=422)
    return _render_form(form)


@bp.route("/appels-d-offres/<int:tender_id>")
@role_required(Role.BUYER)
def tender_detail(tender_id: int):
    tender = services.get_tender(current_user, tender_id)
    return render_template("buyers/tender_detail.html", tender=tender, interests=sourcing.interests_for(tender))


@bp.route("/appels-d-offres/<int:tender_id>/modifier", methods=["GET", "POST"])
@role_required(Role.BUYER)
def tender_edit(tender_id: int):
    tender = services.get_tender(current_user, tender_id)
    if tender.status not in (TenderStatus.DRAFT, TenderStatus.PUBLISHED):
        flash(f"Un appel d'offres « {tender.status_label.lower()} » ne peut plus être modifié.", "error")
        return redirect(url_for("buyers.tender_detail", tender_id=tender.id))
    if request.method == "GET":
        return _render_form(TenderForm(data=services.form_data_of(tender)), tender)
    form = TenderForm()
    if (status := _edit_lot_rows(form)) is not None:
        return _render_form(form, tender, status)
    if form.validate():
        try:
            services.update_tender(current_user, tender_id, form.to_data())
        except ServiceError as error:
            form.apply_service_errors(error)
        else:
            flash("Modifications enregistrées.", "success")
            return redirect(url_for("buyers.tender_detail", tender_id=tender_id))
    return _render_form(form, tender, 422)


TRANSITIONS = {
    # Entrepreneurs do not see tenders on the platform yet: the message promises only what publishing does.
    "publish": (services.publish, "Appel d'offres publié : il compte parmi les appels d'offres ouverts. Consultez "
                                  "les entreprises proposées ; les entrepreneurs ne voient pas encore les appels "
                                  "d'offres sur la plateforme."),
    "close": (services.close, "Appel d'offres clos : il ne reçoit plus de réponses."),
}


def _transition(tender_id: int, action: str):
    service, success = TRANSITIONS[action]
    try:
        service(current_user, tender_id)
    except ServiceError as error:
        for message in error.errors.values():
            flash(message, "error")
    else:
        flash(success, "success")
    return redirect(url_for("buyers.tender_detail", tender_id=tender_id))


@bp.route("/appels-d-offres/<int:tender_id>/publier", methods=["POST"])
@role_required(Role.BUYER)
def tender_publish(tender_id: int):
    return _transition(tender_id, "publish")


@bp.route("/appels-d-offres/<int:tender_id>/clore", methods=["POST"])
@role_required(Role.BUYER)
def tender_close(tender_id: int):
    return _transition(tender_id, "close")


@bp.route("/appels-d-offres/<int:tender_id>/supprimer", methods=["POST"])
@role_required(Role.BUYER)
def tender_delete(tender_id: int):
    try:
        title = services.delete_tender(current_user, tender_id)
    except ServiceError as error:
        for message in error.errors.values():
            flash(message, "error")
        return redirect(url_for("buyers.tender_detail", tender_id=tender_id))
    flash(f"Brouillon « {title} » supprimé.", "success")
    return redirect(url_for("buyers.tender_list"))


# The shortlist page (/appels-d-offres/<id>/fournisseurs) and its exports: curation_views.py.


# The supplier search (/fournisseurs) and the saved searches: search_views.py.


@bp.route("/fournisseurs/<int:company_id>")
@role_required(Role.BUYER)
def supplier_detail(company_id: int):
    sheet = sourcing.supplier_sheet(company_id) or abort(404)
    return render_template("buyers/supplier_detail.html", company=sheet.company, naf_label=sheet.naf_label)
