"""French error pages; malformed or oversized requests get a 4xx, never a 500."""

import math

from flask import abort, current_app, jsonify, make_response, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .ratelimits import refusal_message

MESSAGES = {
    400: ("Requête invalide", "La requête envoyée n'a pas pu être comprise. Vérifiez le formulaire et réessayez."),
    403: ("Accès refusé", "Vous n'avez pas les droits nécessaires pour accéder à cette page."),
    404: ("Page introuvable", "La page demandée n'existe pas ou a été déplacée."),
    405: ("Méthode non autorisée", "Cette action n'est pas possible sur cette page."),
    415: ("Format non accepté", "Ces pages n'acceptent que les formulaires envoyés par le navigateur."),
    413: ("Envoi trop volumineux", "Les données envoyées dépassent la taille autorisée."),
    429: ("Trop de tentatives", "Vous avez fait trop de tentatives. Patientez quelques minutes avant de réessayer."),
    500: ("Erreur interne", "Une erreur inattendue s'est produite. L'équipe a été prévenue ; réessayez plus tard."),
}


def render_error(code: int, detail: str | None = None):
    """The French error page (JSON under /api/) for ``code``, with ``detail`` instead of the usual text."""
    title, message = MESSAGES.get(code, (f"Erreur {code}", "Une erreur s'est produite."))
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=title, message=detail or message), code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def too_many_attempts(message: str, retry_after: float):
    """A 429 with its French reason and the standard Retry-After header (seconds)."""
    response = make_response(render_error(429, message))
    response.headers["Retry-After"] = str(math.ceil(retry_after))
    return response


def refuse_nul_characters():
    """No person types a NUL character; PostgreSQL refuses them in text, so stop them at the door."""
    values = [*request.args.values(), *(request.form.values() if request.method != "GET" else ())]
    if any("\x00" in value for value in values):
        abort(400, description="Les caractères de contrôle (NUL) ne sont pas acceptés dans les champs.")


def refuse_oversized_fields():
    """Werkzeug answers 413 to a multipart field over MAX_FORM_MEMORY_SIZE but reads url-encoded bodies whole:
    apply the same limit there, so that a 10 MB field is refused instead of being shown back in a 422 page."""
    limit = current_app.config.get("MAX_FORM_MEMORY_SIZE")
    if limit and request.mimetype == "application/x-www-form-urlencoded":
        if any(len(value.encode()) > limit for _, values in request.form.lists() for value in values):
            abort(413)


def refuse_json_on_html_forms():
    """Flask-WTF would read a JSON body as form data, letting lists and objects reach the validators."""
    if request.method in {"POST", "PUT", "PATCH"} and request.is_json and not request.path.startswith("/api/"):
        abort(415)


def init_app(app) -> None:
    app.before_request(refuse_json_on_html_forms)
    app.before_request(refuse_oversized_fields)
    app.before_request(refuse_nul_characters)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "Le formulaire a expiré ou son jeton de sécurité est invalide. Rechargez la page.")

    @app.errorhandler(RateLimitExceeded)
    def too_many_requests(error):
        return render_error(429, refusal_message(error))

    @app.errorhandler(HTTPException)
    def http_error(error):
        # A description given to abort() is ours (French); werkzeug's class defaults are English.
        return render_error(error.code or 500, vars(error).get("description"))

    @app.errorhandler(500)
    def internal_error(error):
        # Reached for unhandled exceptions too, unless PROPAGATE_EXCEPTIONS (tests) re-raises them.
        return render_error(500)
