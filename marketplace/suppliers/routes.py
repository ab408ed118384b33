"""Thin views for the entrepreneurs' journey: profile, QPV eligibility, offers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..forms import apply_service_errors, page_status
from ..models import Role
from ..submissions import AlreadySubmitted
from ..validators import ServiceError
from . import services
from .forms import CompanyProfileForm, EligibilityForm, OfferForm

bp = Blueprint("suppliers", __name__, url_prefix="/entrepreneur")


@bp.route("/")
@role_required(Role.SUPPLIER)
def dashboard():
    companies = services.companies_of(current_user)
    return render_template("suppliers/dashboard.html", companies=companies, refusals=services.qpv_refusals(companies))


def _company_or_404(company_id: int):
    return services.owned_company(current_user, company_id) or abort(404)


def _profile_form(company):
    form = CompanyProfileForm(obj=company)
    if company is not None and request.method == "GET":
        form.annual_revenue.data = company.annual_revenue_eur
        form.legal_form.data = company.legal_form or ""
        form.structure_type.data = company.structure_type.value
        if not company.position_is_exact:
            form.lat.data = form.lon.data = ""  # only the company's own position is shown back
    form.set_commune_choices(services.commune_choices(form.postcode.data))
    return form


def _profile_view(company):
    form = _profile_form(company)
    # "Afficher les communes" only refreshes the commune choices, without saving or flagging errors.
    if form.is_submitted() and request.form.get("action") != "communes" and form.validate():
        try:
            company = services.update_profile(company, form.service_data(), actor=current_user)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash("Profil enregistré.", "success")
            return redirect(url_for("suppliers.eligibility", company_id=company.id))
    return render_template("suppliers/profile.html", form=form, company=company), page_status(form)


@bp.route("/entreprises/nouvelle", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def new_company():
    return _profile_view(None)


@bp.route("/entreprises/<int:company_id>/profil", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def profile(company_id: int):
    return _profile_view(_company_or_404(company_id))


@bp.route("/entreprises/<int:company_id>/qpv", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def eligibility(company_id: int):
    company = _company_or_404(company_id)
    assessment = services.eligibility(company)
    form = EligibilityForm()
    form.set_options(assessment.options, services.NOT_IN_QPV_CHOICE)
    if request.method == "GET" and assessment.current is not None:
        form.qpv_code.data = assessment.current.code
    if form.validate_on_submit():
        try:
            status = services.submit_eligibility(company, form.qpv_code.data, actor=current_user)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(f"Statut QPV : {company.qpv_status_label}.", "success" if status.value == "verified" else "info")
            return redirect(url_for("suppliers.dashboard"))
    return (
        render_template("suppliers/eligibility.html", form=form, company=company, assessment=assessment,
                        refusal=services.qpv_refusals([company]).get(company.id)),
        page_status(form),
    )


@bp.route("/entreprises/<int:company_id>/offres/nouvelle", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def new_offer(company_id: int):
    company = _company_or_404(company_id)
    form = OfferForm()
    if form.validate_on_submit():
        try:
            services.create_offer(company, form.service_data(), submission_token=form.submission_token.data)
        except AlreadySubmitted as done:
            if done.existing is None:
                apply_service_errors(form, done)
            else:
                flash("Ce formulaire a déjà été envoyé : votre offre est déjà publiée.", "info")
                return redirect(url_for("suppliers.dashboard"))
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash("Offre publiée.", "success")
            return redirect(url_for("suppliers.dashboard"))
    return render_template("suppliers/offer_form.html", form=form, company=company, offer=None), page_status(form)


@bp.route("/offres/<int:offer_id>/modifier", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def edit_offer(offer_id: int):
    offer = services.owned_offer(current_user, offer_id) or abort(404)
    form = OfferForm(obj=offer)
    if request.method == "GET":
        form.cpv_codes.data = ", ".join(offer.cpv_codes)
        form.keywords.data = ", ".join(offer.keywords)
    if form.validate_on_submit():
        try:
            services.update_offer(offer, form.service_data())
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash("Offre modifiée.", "success")
            return redirect(url_for("suppliers.dashboard"))
    return (
        render_template("suppliers/offer_form.html", form=form, company=offer.supplier, offer=offer),
        page_status(form),
    )


@bp.route("/offres/<int:offer_id>/supprimer", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def delete_offer(offer_id: int):
    offer = services.owned_offer(current_user, offer_id) or abort(404)
    if request.method == "POST":
        services.delete_offer(offer)
        flash("Offre supprimée.", "success")
        return redirect(url_for("suppliers.dashboard"))
    return render_template("suppliers/offer_delete.html", offer=offer)
