"""Home page and the dashboard dispatcher."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..models import Role
from .services import platform_counts

bp = Blueprint("main", __name__)

DASHBOARDS = {
    Role.SUPPLIER: "suppliers.dashboard",
    Role.BUYER: "buyers.dashboard",
    Role.ORGANISER: "events.dashboard",
    Role.ADMIN: "admin.dashboard",
}


@bp.route("/")
def home():
    return render_template("main/home.html", counts=platform_counts())


@bp.route("/tableau-de-bord")
@login_required
def dashboard():
    return redirect(url_for(DASHBOARDS[current_user.role]))


@bp.route("/accessibilite")
def accessibility():
    return render_template("main/accessibility.html")
