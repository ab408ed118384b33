"""Thin views for the event organisers' journey."""

from flask import Blueprint, render_template

from ..auth.access import role_required
from ..models import Role

bp = Blueprint("events", __name__, url_prefix="/evenements")


@bp.route("/")
@role_required(Role.ORGANISER)
def dashboard():
    return render_template("events/dashboard.html", events=[])
