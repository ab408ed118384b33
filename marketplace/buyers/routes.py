"""Thin views for the buyers' journey."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..auth.access import role_required
from ..models import Role
from . import services

bp = Blueprint("buyers", __name__, url_prefix="/acheteur")


@bp.route("/")
@role_required(Role.BUYER)
def dashboard():
    return render_template(
        "buyers/dashboard.html", organisation=current_user.buyer_organisation, tenders=services.tenders_of(current_user)
    )
