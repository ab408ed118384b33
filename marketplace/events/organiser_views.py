"""Thin views: the organiser's events and their participants."""

from flask import render_template

from ..auth.access import role_required
from ..models import Role
from .blueprints import bp


@bp.route("/")
@role_required(Role.ORGANISER)
def dashboard():
    return render_template("events/dashboard.html", events=[])
