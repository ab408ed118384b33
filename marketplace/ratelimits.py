"""Rate-limit rules shared by the views: whose attempts count, which answers count, and the French refusal.

Login: only refused attempts count, per account (whatever the address: a password guesser behind many
addresses is still stopped) and, more generously, per address; a locked account is refused even with the
right password until its window has passed. Registration: accounts created per address, and every form
sent per address. The store must be shared by every worker (Redis in production): with ``memory://`` each
gunicorn worker counts on its own.
"""

import hashlib
import math
import time

from flask import request
from flask_limiter import RateLimitExceeded

from .extensions import limiter
from .validators import normalise_email

DEFAULT_REFUSAL = "Vous avez fait trop de tentatives."
ACCOUNT_LOCKED = (
    "Trop d'échecs de connexion pour ce compte : par sécurité, il est bloqué pour un moment, "
    "même avec le bon mot de passe."
)
ADDRESS_LOCKED = "Trop d'échecs de connexion depuis votre adresse."
TOO_MANY_SIGN_UPS = "Trop d'inscriptions depuis votre adresse."


def login_account_key() -> str:
    """The account a login attempt targets (hashed: the store never holds e-mail addresses); empty, and so
    not counted per account, when no e-mail was given."""
    email = normalise_email(request.form.get("email", ""))
    return hashlib.sha256(email.encode()).hexdigest() if email else ""


def login_refused(response) -> bool:
    """The login view answers 422 to a refused attempt (bad credentials or an incomplete form) and
    redirects on success: only refusals count."""
    return response.status_code == 422


def account_created(response) -> bool:
    """The sign-up view redirects once the account exists; a form sent back with errors costs nothing."""
    return response.status_code == 302


def seconds_to_wait() -> float:
    """Until the last of the limits this request breached lets a new attempt through."""
    breached = [limit for limit in limiter.current_limits if limit.breached] or list(
        filter(None, [limiter.current_limit])
    )
    if not breached:
        return 60.0
    return max(limit.window.reset_time for limit in breached) - time.time()


def wait_in_words(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    if minutes <= 90:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"{hours} heures"


def refusal_message(error: RateLimitExceeded) -> str:
    """French, with the wait ("Réessayez dans 15 minutes."), whatever the limit's own English text."""
    reason = error.description if error.limit.error_message else DEFAULT_REFUSAL
    return f"{reason} Réessayez dans {wait_in_words(seconds_to_wait())}."


def warn_if_not_shared(app) -> None:
    """Production runs several workers: an in-memory store lets each count on its own."""
    if app.config.get("MARKETPLACE_ENV") == "production" and app.config.get(
        "RATELIMIT_STORAGE_URI", "memory://"
    ).startswith("memory://"):
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is memory://: each worker counts login failures on its own, so the limits "
            "are multiplied by the number of workers. Set RATELIMIT_STORAGE_URI=redis://... (pip install "
            "'.[redis]')."
        )
