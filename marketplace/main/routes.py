"""Home page and the dashboard dispatcher."""

from pathlib import Path

from flask import Blueprint, current_app, redirect, render_template, url_for
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


@bp.route("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page says: serve the icon, not a 404."""
    icon = Path(current_app.static_folder, "favicon.ico").read_bytes()  # 2 kB, read whole: no file left open
    response = current_app.response_class(icon, mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response


@bp.route("/accessibilite")
def accessibility():
    return render_template("main/accessibility.html")


@bp.route("/mentions-legales")
def legal_notice():
    return render_template("main/legal/legal_notice.html")


@bp.route("/confidentialite")
def privacy():
    return render_template("main/legal/privacy.html")


@bp.route("/conditions-d-utilisation")
def terms():
    return render_template("main/legal/terms.html")
