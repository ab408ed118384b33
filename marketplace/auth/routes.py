"""Thin views for registration, login, logout, password reset and the account's security page."""

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .. import ratelimits
from ..errors import too_many_attempts
from ..extensions import limiter
from ..forms import apply_service_errors
from ..models import Role
from ..validators import ServiceError, normalise_email
from . import services
from .forms import ChangeEmailForm, ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm, RegisterForm

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


# --- password reset (public) ----------------------------------------------------------------------------

RESET_SENT = "Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé."
TOO_MANY_RESETS = "Trop de demandes de réinitialisation pour cette adresse."


def _reset_email_key() -> str:
    """The forgot form is limited per e-mail address (hashed: the store never holds addresses)."""
    email = normalise_email(request.form.get("email", ""))
    return hashlib.sha256(email.encode()).hexdigest() if email else "sans-email"


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"],
    methods=["POST"],
    key_func=_reset_email_key,
    scope="reinitialisations",
    error_message=TOO_MANY_RESETS,
)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        # The same answer whether the account exists or not: the form tells nobody who has an account.
        flash(RESET_SENT, "info")
        return redirect(url_for("auth.forgot_password"))
    return render_template("auth/forgot_password.html", form=form), 422 if form.is_submitted() else 200


def _link_refused(error: services.LinkRefused, again_endpoint: str):
    """A French page for a link that cannot be used, with the way to ask for a new one."""
    return render_template(
        "auth/link_refused.html", expired=error.expired, again_url=url_for(again_endpoint)
    ), 410 if error.expired else 400


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        user = services.user_for_reset_token(token)
    except services.LinkRefused as error:
        return _link_refused(error, "auth.forgot_password")
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.LinkRefused as error:
            return _link_refused(error, "auth.forgot_password")
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            if current_user.is_authenticated:
                logout_user()  # whoever was signed in here, the new password is to be used from now on
            flash("Votre mot de passe a été changé. Connectez-vous avec le nouveau.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, email=user.email), (
        422 if form.is_submitted() else 200
    )


# --- the account's security page (any signed-in user) ----------------------------------------------------

def _security_page(password_form=None, email_form=None, status=200):
    return render_template(
        "auth/security.html",
        password_form=password_form or ChangePasswordForm(prefix="mdp", formdata=None),
        email_form=email_form or ChangeEmailForm(prefix="adresse", formdata=None),
    ), status


@bp.route("/securite")
@login_required
def security():
    return _security_page()


@bp.route("/securite/mot-de-passe", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm(prefix="mdp")
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            login_user(current_user._get_current_object())  # every other session ended; this one goes on
            flash("Votre mot de passe a été changé. Vos autres sessions sont terminées.", "success")
            return redirect(url_for("auth.security"))
    return _security_page(password_form=form, status=422)


@bp.route("/securite/adresse-e-mail", methods=["POST"])
@login_required
def change_email():
    form = ChangeEmailForm(prefix="adresse")
    if form.validate_on_submit():
        try:
            new_email = services.request_email_change(current_user, form.current_password.data, form.email.data)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            flash(f"Un lien de confirmation a été envoyé à {new_email}. Votre adresse changera quand vous "
                  "l'ouvrirez (il est valable 24 heures).", "info")
            return redirect(url_for("auth.security"))
    return _security_page(email_form=form, status=422)


@bp.route("/adresse-e-mail/<token>")
def confirm_email(token):
    """Public: the signed link proves the new address belongs to the account's owner, whichever browser opens
    it (the e-mail is often read on a phone). Every session of the account ends; the browser that confirms
    stays signed in to it only if it was signed in to this same account (another account's session is left
    alone)."""
    try:
        user = services.confirm_email_change(token)
    except services.LinkRefused as error:
        again = "auth.security" if current_user.is_authenticated else "auth.login"
        return _link_refused(error, again)
    except ServiceError as error:
        return render_template("auth/email_taken.html", message=error.errors.get("email")), 409
    if current_user.is_authenticated and current_user.id == user.id:
        login_user(user)
        flash(f"Votre adresse e-mail est maintenant {user.email}.", "success")
        return redirect(url_for("auth.security"))
    flash(f"L'adresse e-mail du compte est maintenant {user.email}. Connectez-vous avec elle.", "success")
    return redirect(url_for("main.dashboard" if current_user.is_authenticated else "auth.login"))
