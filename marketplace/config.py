"""Configuration classes; every secret and location comes from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _default_shared_data() -> Path:
    return Path(os.environ.get("SHARED_DATA_DIR", PROJECT_ROOT.parent / "shared" / "data"))


def _secret_key() -> str:
    """Read SECRET_KEY from the environment, else from (or into) instance/secret_key.

    A per-install random key keeps sessions valid across restarts without a secret in the repository.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


class Config:
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'marketplace.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Rester connecté" lasts 30 days (Flask-Login's default is a year); logout and a new password end it sooner.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    # Rate limits (see marketplace/ratelimits.py). The store must be shared by every worker in production:
    # RATELIMIT_STORAGE_URI=redis://host:6379 (install the "redis" extra).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STRATEGY = "moving-window"  # "5 per 15 minutes" means any 15 minutes, not calendar slices
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_FAILURE_LIMIT = "5 per 15 minutes"  # attempts on one account from one address (a success clears it)
    LOGIN_ACCOUNT_FAILURE_LIMIT = "30 per hour"  # failures on one account from all addresses: then refused to
    # the addresses that failed on it, never to one with no recent failure (the owner is not locked out)
    LOGIN_ADDRESS_FAILURE_LIMIT = "100 per hour"  # refused logins per address, all accounts together
    # A Redis outage must not turn every sign-up into a 500: Flask-Limiter counts in memory meanwhile.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    REGISTER_RATE_LIMIT = "60 per 10 minutes;200 per day"  # accounts created per address (a workshop: 40)
    REGISTER_ATTEMPT_LIMIT = "200 per 10 minutes;1000 per day"  # sign-up forms sent per address
    # Behind a reverse proxy (nginx, a load balancer), the number of proxies to trust for the client address:
    # without it every user shares the proxy's address, and one rate-limit bucket.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    SHARED_DATA_DIR = str(_default_shared_data())
    ITEMS_PER_PAGE = 20

    def __init__(self):
        self.SECRET_KEY = _secret_key()


class ProductionConfig(Config):
    MARKETPLACE_ENV = "production"
    # A browser that got it over https refuses plain http for this host for a year (ignored over http).
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    def __init__(self):
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in the environment in production.")
        super().__init__()


class TestingConfig(Config):
    __test__ = False  # not a pytest test class
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SQLALCHEMY_ENGINE_OPTIONS = {}

    def __init__(self):
        self.SECRET_KEY = "test-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
