"""Rate-limit rules: whose attempts count, which answers count, and the French refusal.

Login (``LoginGuard``): an account may be tried 5 times in 15 minutes from one client address (an IPv6
client's whole /64) before that address is refused for that account, even with the right password; a success
clears the address's count for the account. Across all addresses, an account that failed 30 times in an hour
is refused to every address that failed on it too, but never to an address with no recent failure on it: a
stranger who tries wrong passwords cannot lock the owner out. One address is refused after 100 failures in an
hour, whatever the accounts. Attempts are counted before the password is checked, atomically in the store,
so parallel requests get no extra guesses. When the store does not answer, logins go through unguarded
(logged): a Redis outage must not lock everybody out.

Registration (Flask-Limiter decorators in auth/routes.py): accounts created per address, and every form sent
per address. The store must be shared by every worker (Redis in production): with ``memory://`` each gunicorn
worker counts on its own.
"""

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from flask import current_app
from flask_limiter import RateLimitExceeded
from limits import parse

from .extensions import client_address, limiter
from .validators import normalise_email

log = logging.getLogger(__name__)

DEFAULT_REFUSAL = "Vous avez fait trop de tentatives."
ACCOUNT_LOCKED = (
    "Trop d'échecs de connexion à ce compte depuis votre connexion internet : par sécurité, elle est bloquée "
    "pour ce compte pendant un moment, même avec le bon mot de passe."
)
ADDRESS_LOCKED = "Trop d'échecs de connexion depuis votre adresse."
TOO_MANY_SIGN_UPS = "Trop d'inscriptions depuis votre adresse."


@dataclass(frozen=True)
class LoginRefusal:
    reason: str
    retry_after: float  # seconds

    @property
    def message(self) -> str:
        return f"{self.reason} Réessayez dans {wait_in_words(self.retry_after)}."


class LoginGuard:
    """The login limits of one request (see the module docstring); built from the app's configuration."""

    def __init__(self, email: str):
        config = current_app.config
        self.enabled = config.get("RATELIMIT_ENABLED", True)
        email = normalise_email(email or "")
        # Hashed: the store never holds e-mail addresses. Posts without an e-mail share one account key.
        account = hashlib.sha256(email.encode()).hexdigest() if email else "sans-email"
        address = client_address()
        # The app's key prefix first, as Flask-Limiter does for its own limits (apps sharing one Redis).
        prefix = config.get("RATELIMIT_KEY_PREFIX", "")
        self.pair = (parse(config["LOGIN_FAILURE_LIMIT"]), prefix, "login-pair", account, address)
        self.account = (parse(config["LOGIN_ACCOUNT_FAILURE_LIMIT"]), prefix, "login-account", account)
        self.address = (parse(config["LOGIN_ADDRESS_FAILURE_LIMIT"]), prefix, "login-address", address)

    def begin(self) -> LoginRefusal | None:
        """Count this attempt; a refusal when it must not go on to the password check."""
        return self._safely(self._begin)

    def failed(self) -> None:
        self._safely(lambda strategy: (strategy.hit(*self.account), strategy.hit(*self.address)))

    def succeeded(self) -> None:
        """The owner got in from here: this address's attempts on the account no longer count."""
        self._safely(lambda strategy: strategy.clear(*self.pair))

    def _begin(self, strategy) -> LoginRefusal | None:
        if not strategy.test(*self.address):
            return self._refusal(strategy, ADDRESS_LOCKED, self.address)
        failed_here = strategy.get_window_stats(*self.pair).remaining < self.pair[0].amount
        if not strategy.hit(*self.pair):
            return self._refusal(strategy, ACCOUNT_LOCKED, self.pair)
        if failed_here and not strategy.test(*self.account):
            return self._refusal(strategy, ACCOUNT_LOCKED, self.account)
        return None

    def _safely(self, action):
        if not self.enabled:
            return None
        try:
            return action(limiter.limiter)
        except Exception:  # noqa: BLE001  (the store's own errors differ by backend: redis, memcached...)
            log.exception("Rate-limit store unavailable: login attempt let through without counting")
            return None

    @staticmethod
    def _refusal(strategy, reason: str, limit: tuple) -> LoginRefusal:
        reset = strategy.get_window_stats(*limit).reset_time
        return LoginRefusal(reason, max(1.0, reset - time.time()))


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
