"""The status of one job, as JSON, for the page that started it (static/js/job-progress.js polls it)."""

from flask import Blueprint, abort, jsonify
from flask_login import current_user

from ..auth.access import role_required
from ..models import Role
from . import services

bp = Blueprint("jobs", __name__, url_prefix="/taches")


@bp.route("/<int:job_id>")
@role_required(*Role)
def status(job_id: int):
    job = services.job_for(current_user, job_id)
    if job is None:
        abort(404)
    response = jsonify(services.job_status(job))
    response.headers["Cache-Control"] = "no-store"
    return response
