"""Thin views for the user's own account: "Mes données" (the JSON export) and the deletion of the account."""

import json

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..auth.access import role_required
from ..extensions import client_address, limiter
from ..forms import apply_service_errors
from ..models import Role
from ..validators import ServiceError
from .forms import DeleteAccountForm
from .services import delete_account, deletion_plan, export_filename, export_summary, export_user_data

bp = Blueprint("account", __name__, url_prefix="/compte")

# Wrong passwords on the deletion form, per account (per address when not signed in): like login, a few
# tries then a wait. Only wrong passwords count (not a forgotten checkbox).
DELETION_PASSWORD_LIMIT = "5 per 15 minutes"
TOO_MANY_PASSWORDS = "Trop de mots de passe incorrects."
# What the confirmation page says, kept in the (signed) session cookie across the sign-out redirect.
DONE_KEY = "compte_supprime"


@bp.route("/mes-donnees", methods=["GET", "POST"])
@role_required(*Role)
def my_data():
    """GET: what the file will hold and the button; POST (CSRF-checked like every form): the file itself."""
    if request.method == "GET":
        return render_template("account/my_data.html", summary=export_summary(current_user))
    body = json.dumps(export_user_data(current_user), ensure_ascii=False, indent=2)
    response = current_app.response_class(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _account_key() -> str:
    user_id = getattr(current_user, "id", None)
    return f"compte-{user_id}" if user_id is not None else client_address()


@bp.route("/suppression", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("ACCOUNT_DELETION_PASSWORD_LIMIT", DELETION_PASSWORD_LIMIT),
    methods=["POST"],
    key_func=_account_key,
    scope="suppression-compte",
    deduct_when=lambda _response: g.get("wrong_password", False),
    error_message=TOO_MANY_PASSWORDS,
)
@role_required(*Role)
def delete():
    """GET: what is deleted, what is kept and why, and the form; POST: delete, sign out, confirmation page."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            plan = delete_account(current_user._get_current_object(), form.password.data)
        except ServiceError as error:
            g.wrong_password = "password" in error.errors
            apply_service_errors(form, error)
        else:
            logout_user()
            session[DONE_KEY] = {"deleted": [fate.name for fate in plan.deleted],
                                 "handed_over": [fate.name for fate in plan.handed_over]}
            return redirect(url_for("account.deleted"))
    status = 422 if form.is_submitted() else 200
    return render_template("account/delete.html", form=form, plan=deletion_plan(current_user)), status


@bp.route("/suppression/terminee")
def deleted():
    """Public: the account is gone, so is the session; what the deletion did, read once from the cookie."""
    return render_template("account/deleted.html", done=session.pop(DONE_KEY, None))
