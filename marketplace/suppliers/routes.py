"""Thin views for the entrepreneurs' journey."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..auth.access import role_required
from ..models import Role
from . import services

bp = Blueprint("suppliers", __name__, url_prefix="/entrepreneur")


@bp.route("/")
@role_required(Role.SUPPLIER)
def dashboard():
    return render_template("suppliers/dashboard.html", companies=services.companies_of(current_user))
