"""Thin views: ranked opportunities, the tender page for entrepreneurs, interests, buyers' public pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..forms import apply_service_errors, page_status
from ..models import LABELS, Role
from ..validators import ServiceError, parse_id
from . import services
from .budget import budget_band
from .forms import InterestForm, WithdrawForm

bp = Blueprint("opportunities", __name__)


@bp.context_processor
def _helpers():
    return {"budget_band": budget_band, "labels": LABELS, "divisions_of": services.divisions_of,
            "deadline_windows": services.DEADLINE_WINDOWS}


@bp.route("/entrepreneur/opportunites")
@role_required(Role.SUPPLIER)
def opportunities():
    args = request.args
    filters = services.Filters.parse(args.get("departement", ""), args.get("cpv", ""), args.get("echeance", ""),
                                     args.get("page", 1))
    company_id = args.get("entreprise", type=int)
    result = services.opportunities(current_user, company_id if company_id and company_id < 2**62 else None, filters)
    return render_template("opportunities/list.html", result=result, today=services.today())


def _tender_page(tender_id: int, form: InterestForm | None = None):
    tender = services.visible_tender(current_user, tender_id)
    companies = services.companies_of(current_user)
    interests = services.interests_of(current_user, tender)
    if form is None:
        form = InterestForm()
        first_active = next((i for i in interests.values() if i.active), None)
        if first_active is not None:
            form.company_id.data = first_active.supplier_company_id
            form.lots.data = list(first_active.lot_ids)
            form.message.data = first_active.message
    form.set_choices(companies, tender)
    return render_template(
        "opportunities/tender.html", tender=tender, companies=companies, interests=interests, form=form,
        withdraw_form=WithdrawForm(), is_open=services.is_open(tender), deadline_passed=services.DEADLINE_PASSED,
    ), page_status(form)


@bp.route("/entrepreneur/appels-d-offres/<int:tender_id>")
@role_required(Role.SUPPLIER)
def tender(tender_id: int):
    return _tender_page(tender_id)


@bp.route("/entrepreneur/appels-d-offres/<int:tender_id>/interet", methods=["POST"])
@role_required(Role.SUPPLIER)
def express_interest(tender_id: int):
    tender = services.visible_tender(current_user, tender_id)
    form = InterestForm()
    form.set_choices(services.companies_of(current_user), tender)
    if form.validate_on_submit():
        try:
            services.express_interest(current_user, tender_id, form.company_id.data, lot_ids=form.lots.data or (),
                                      message=form.message.data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash("Votre intérêt est enregistré : l'acheteur le voit sur son appel d'offres.", "success")
            return redirect(url_for("opportunities.tender", tender_id=tender_id))
    elif not form.errors:
        form.form_errors.append("Le formulaire n'a pas pu être lu : renvoyez-le.")
    return _tender_page(tender_id, form)


@bp.route("/entrepreneur/appels-d-offres/<int:tender_id>/interet/retirer", methods=["POST"])
@role_required(Role.SUPPLIER)
def withdraw_interest(tender_id: int):
    form = WithdrawForm()
    company_id = form.company_id.data
    if not (form.validate_on_submit() and parse_id(company_id) is not None):
        flash("La demande n'a pas pu être lue : réessayez.", "error")
        return redirect(url_for("opportunities.tender", tender_id=tender_id))
    try:
        services.withdraw_interest(current_user, tender_id, int(company_id))
    except ServiceError as error:
        flash(" ".join(error.errors.values()), "error")
    else:
        flash("Votre intérêt est retiré.", "success")
    return redirect(url_for("opportunities.tender", tender_id=tender_id))


@bp.route("/organisations/<int:organisation_id>")
@role_required(Role.SUPPLIER, Role.BUYER, Role.ORGANISER, Role.ADMIN)
def organisation(organisation_id: int):
    return render_template("opportunities/organisation.html", page=services.organisation_page(organisation_id))
