"""Thin views for "Mes données": the page says what the file holds; the POST answers the JSON file."""

import json

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from ..auth.access import role_required
from ..models import Role
from .services import export_filename, export_summary, export_user_data

bp = Blueprint("account", __name__, url_prefix="/compte")


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
