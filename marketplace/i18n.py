"""Flask-Babel set-up: French by default, English ready (``?lang=en`` or the browser's preference)."""

from flask import request, session
from flask_babel import get_locale

from .extensions import babel


def select_locale() -> str:
    languages = ("fr", "en")
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
    if session.get("lang") in languages:
        return session["lang"]
    # French is the product's language: only switch when the user asked for English explicitly.
    return "fr"


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
