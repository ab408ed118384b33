"""Thin JSON views. Every endpoint needs a signed-in user (any role) and is rate-limited.

Anonymous requests that ask for JSON get a 401 JSON answer; a browser navigating here is sent to the login
page like everywhere else. Odd input (empty, huge, emoji) gives an empty result, never a 500.
"""

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..auth.access import role_required
from ..extensions import limiter
from ..models import Role
from . import services

bp = Blueprint("api", __name__, url_prefix="/api")

ANY_ROLE = tuple(Role)
RATE = "120 per minute"


@bp.before_request
def json_unauthorised():
    if not current_user.is_authenticated and request.accept_mimetypes.best == "application/json":
        return jsonify(error="Non connecté", message="Connectez-vous pour utiliser ce service."), 401
    return None


def _limit(default: int, maximum: int) -> int:
    value = request.args.get("limit", "")
    return max(1, min(int(value), maximum)) if value.isascii() and value.isdigit() and len(value) < 4 else default


@bp.route("/cpv")
@role_required(*ANY_ROLE)
@limiter.limit(RATE)
def cpv():
    return jsonify(results=services.cpv_complete(request.args.get("q", ""), _limit(10, 50)))


@bp.route("/cpv/suggest")
@role_required(*ANY_ROLE)
@limiter.limit(RATE)
def cpv_suggest():
    return jsonify(results=services.cpv_suggest(request.args.get("text", ""), _limit(5, 20)))


@bp.route("/communes")
@role_required(*ANY_ROLE)
@limiter.limit(RATE)
def communes():
    return jsonify(results=services.communes(request.args.get("postcode", "")))
