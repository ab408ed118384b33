"""Thin views for administrators."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import role_required
from ..forms import apply_service_errors
from ..models import Role
from ..validators import ServiceError, page_number
from . import services
from .forms import RejectForm, VerifyForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@role_required(Role.ADMIN)
def dashboard():
    return render_template("admin/dashboard.html", overview=services.overview())


@bp.route("/verifications")
@role_required(Role.ADMIN)
def verification_queue():
    pagination = services.verification_queue(page_number(request.args.get("page")),
                                             current_app.config["ITEMS_PER_PAGE"])
    return render_template("admin/verification_queue.html", pagination=pagination)


def _render_case(case, verify_form, reject_form, status=200):
    verify_form.set_qpv_options(case["qpv_options"])
    return render_template("admin/verification_case.html", verify_form=verify_form, reject_form=reject_form,
                           **case), status


@bp.route("/verifications/<int:company_id>")
@role_required(Role.ADMIN)
def verification_case(company_id: int):
    case = services.verification_case(company_id) or abort(404)
    return _render_case(case, VerifyForm(), RejectForm())


@bp.route("/verifications/<int:company_id>/valider", methods=["POST"])
@role_required(Role.ADMIN)
def verify(company_id: int):
    case = services.verification_case(company_id) or abort(404)
    form = VerifyForm()
    if form.validate_on_submit():
        try:
            services.verify(case["company"], actor=current_user, note=form.note.data, qpv_code=form.qpv_code.data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(f"QPV de {case['company'].name} vérifié.", "success")
            return redirect(url_for("admin.verification_queue"))
    return _render_case(services.verification_case(company_id), form, RejectForm(formdata=None), 422)


@bp.route("/verifications/<int:company_id>/refuser", methods=["POST"])
@role_required(Role.ADMIN)
def reject(company_id: int):
    case = services.verification_case(company_id) or abort(404)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject(case["company"], actor=current_user, reason=form.reason.data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(f"Déclaration QPV de {case['company'].name} refusée.", "success")
            return redirect(url_for("admin.verification_queue"))
    return _render_case(services.verification_case(company_id), VerifyForm(formdata=None), form, 422)
