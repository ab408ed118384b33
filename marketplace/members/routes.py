"""Thin views for the team of a company and the public invitation link."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from .. import ratelimits
from ..auth.access import role_required
from ..extensions import client_address, limiter
from ..forms import apply_service_errors
from ..models import Role
from ..validators import ServiceError
from . import services
from .forms import ConfirmForm, InviteForm, JoinForm

bp = Blueprint("members", __name__)

TOO_MANY_INVITATIONS = "Vous avez envoyé trop d'invitations."


def _company_or_404(company_id: int):
    return services.company_for(current_user, company_id) or abort(404)


def _team_page(company, invite_form=None, status=200):
    return render_template(
        "members/team.html", team=services.team(company, current_user),
        invite_form=invite_form or InviteForm(formdata=None),
    ), status


@bp.route("/entrepreneur/entreprises/<int:company_id>/equipe")
@role_required(Role.SUPPLIER)
def team(company_id: int):
    return _team_page(_company_or_404(company_id))


def _invitations_key() -> str:
    """Invitations are counted per signed-in user."""
    return f"utilisateur-{current_user.id}" if current_user.is_authenticated else client_address()


@bp.route("/entrepreneur/entreprises/<int:company_id>/equipe/inviter", methods=["POST"])
@role_required(Role.SUPPLIER)
@limiter.limit(
    lambda: current_app.config["INVITATION_RATE_LIMIT"],
    key_func=_invitations_key,
    scope="invitations",
    deduct_when=lambda response: response.status_code == 302,  # a refused form costs nothing
    error_message=TOO_MANY_INVITATIONS,
)
def invite(company_id: int):
    company = _company_or_404(company_id)
    if not services.is_owner(company, current_user):
        abort(403, description="Seul le propriétaire de l'entreprise peut inviter des personnes.")
    form = InviteForm()
    if form.validate_on_submit():
        try:
            sent = services.invite(company, form.email.data, actor=current_user)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            verb = "renouvelée" if sent.renewed else "envoyée"
            flash(f"Invitation {verb} à {sent.invitation.email} (valable 7 jours).", "success")
            return redirect(url_for("members.team", company_id=company.id))
    return _team_page(company, invite_form=form, status=422)


@bp.route("/entrepreneur/entreprises/<int:company_id>/equipe/invitations/<int:invitation_id>/annuler",
          methods=["POST"])
@role_required(Role.SUPPLIER)
def cancel_invitation(company_id: int, invitation_id: int):
    company = _company_or_404(company_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        invitation = services.cancel_invitation(company, invitation_id, actor=current_user)
    except services.NotOwner:
        abort(403, description="Seul le propriétaire de l'entreprise peut annuler une invitation.")
    except services.NotFound:
        abort(404)
    flash(f"L'invitation de {invitation.email} est annulée : son lien ne fonctionne plus.", "info")
    return redirect(url_for("members.team", company_id=company.id))


@bp.route("/entrepreneur/entreprises/<int:company_id>/equipe/membres/<int:user_id>/retirer", methods=["POST"])
@role_required(Role.SUPPLIER)
def remove_member(company_id: int, user_id: int):
    company = _company_or_404(company_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        removed = services.remove_member(company, user_id, actor=current_user)
    except services.NotOwner:
        abort(403, description="Seul le propriétaire de l'entreprise peut retirer un membre.")
    except services.NotFound:
        abort(404)
    flash(f"{removed.full_name} ne fait plus partie de l'équipe.", "success")
    return redirect(url_for("members.team", company_id=company.id))


@bp.route("/entrepreneur/entreprises/<int:company_id>/equipe/membres/<int:user_id>/transmettre",
          methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def hand_over(company_id: int, user_id: int):
    company = _company_or_404(company_id)
    if not services.is_owner(company, current_user):
        abort(403, description="Seul le propriétaire de l'entreprise peut en transmettre la propriété.")
    membership = services.member(company, user_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            new_owner = services.hand_over(company, user_id, actor=current_user)
        except services.NotOwner:
            abort(403)
        except services.NotFound:
            abort(404)
        flash(f"{new_owner.full_name} est maintenant propriétaire de {company.name} ; vous restez membre de "
              "l'équipe.", "success")
        return redirect(url_for("members.team", company_id=company.id))
    return render_template("members/hand_over.html", company=company, member=membership.user, form=form)


@bp.route("/entrepreneur/entreprises/<int:company_id>/equipe/quitter", methods=["GET", "POST"])
@role_required(Role.SUPPLIER)
def leave(company_id: int):
    company = _company_or_404(company_id)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            services.leave(company, user=current_user)
        except ServiceError as refused:
            error = refused.errors[""]
        else:
            flash(f"Vous avez quitté l'équipe de {company.name}.", "success")
            return redirect(url_for("suppliers.dashboard"))
    owner = services.is_owner(company, current_user)
    return render_template("members/leave.html", company=company, form=form, owner=owner, error=error), (
        409 if error else 200
    )


# --- the invitation link (public: the token is the key; the account decides what happens) ---------------

def _refused(error: services.InvitationRefused):
    return render_template("members/invitation_refused.html", reason=error.reason), (
        404 if error.reason == "invalid" else 410
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["REGISTER_RATE_LIMIT"],
    methods=["POST"],
    scope="comptes-crees-invitation",
    deduct_when=ratelimits.account_created,
    error_message=ratelimits.TOO_MANY_SIGN_UPS,
)
def invitation(token: str):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationRefused as error:
        return _refused(error)
    if current_user.is_authenticated:
        return _accept_page(token, invitation)
    return _join_page(token, invitation)


def _accept_page(token, invitation):
    refusal = services.account_refusal(invitation, current_user)
    form = ConfirmForm()
    if refusal is None and form.validate_on_submit():
        try:
            company = services.accept(token, current_user)
        except services.InvitationRefused as error:
            return _refused(error)
        flash(f"Vous faites maintenant partie de l'équipe de {company.name}.", "success")
        return redirect(url_for("members.team", company_id=company.id))
    return render_template("members/invitation.html", invitation=invitation, refusal=refusal, form=form,
                           join_form=None), 403 if refusal else 200


def _join_page(token, invitation):
    has_account = services.account_exists(invitation.email)
    form = None if has_account else JoinForm()
    if form is not None and form.validate_on_submit():
        try:
            user = services.register_and_accept(token, full_name=form.full_name.data, password=form.password.data)
        except services.InvitationRefused as error:
            return _refused(error)
        except ServiceError as error:
            apply_service_errors(form, error)
        else:
            login_user(user)
            flash(f"Bienvenue ! Votre compte est créé et vous faites partie de l'équipe de "
                  f"{invitation.company.name}.", "success")
            return redirect(url_for("members.team", company_id=invitation.company_id))
    status = 422 if form is not None and (form.errors or form.form_errors) else 200
    return render_template("members/invitation.html", invitation=invitation, refusal=None, form=None,
                           join_form=form, has_account=has_account,
                           login_url=url_for("auth.login", next=request.path)), status
