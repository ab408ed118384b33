"""Thin views for administrators."""

from flask import Blueprint, render_template

from ..auth.access import role_required
from ..models import Role
from . import services

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@role_required(Role.ADMIN)
def dashboard():
    return render_template("admin/dashboard.html", overview=services.overview())
