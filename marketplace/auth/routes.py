"""Thin views for registration, login and logout."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import ratelimits
from ..errors import too_many_attempts
from ..extensions import limiter
from ..forms import apply_service_errors
from ..models import Role
from ..validators import ServiceError
from . import services
from .forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/compte")


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/inscription", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["REGISTER_RATE_LIMIT"],
    methods=["POST"],
    scope="comptes-crees",
    deduct_when=ratelimits.account_created,
    error_message=ratelimits.TOO_MANY_SIGN_UPS,
)
@limiter.limit(
    lambda: current_app.config["REGISTER_ATTEMPT_LIMIT"],
    methods=["POST"],
    scope="envois",
    error_message=ratelimits.TOO_MANY_SIGN_UPS,
)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm(role=request.args.get("profil", Role.SUPPLIER.value))
    if form.validate_on_submit():
        try:
            user = services.register_user(
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data,
                role=Role(form.role.data),
                company_name=form.company_name.data,
                siret=form.siret.data,
                organisation_name=form.organisation_name.data,
            )
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            login_user(user)
            flash("Bienvenue ! Votre compte a été créé.", "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    guard = ratelimits.LoginGuard(request.form.get("email", "")) if form.is_submitted() else None
    if guard and (refusal := guard.begin()):
        return too_many_attempts(refusal.message, refusal.retry_after)
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            guard.succeeded()
            login_user(user, remember=form.remember.data)
            flash("Vous êtes connecté.", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("main.dashboard"))
        form.form_errors.append("Adresse e-mail ou mot de passe incorrect.")
    if guard:
        guard.failed()
    return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/deconnexion", methods=["POST"])
@login_required
def logout():
    services.end_all_sessions(current_user)
    logout_user()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("main.home"))
