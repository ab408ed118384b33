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


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


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
    PASSWORD_RESET_RATE_LIMIT = "10 per hour"  # "mot de passe oublié" forms per e-mail address
    MESSAGE_RATE_LIMIT = "30 per 10 minutes"  # conversation messages sent per user
    INVITATION_RATE_LIMIT = "20 per hour"  # company invitations sent per user
    # Behind a reverse proxy (nginx, a load balancer), the number of proxies to trust for the client address:
    # without it every user shares the proxy's address, and one rate-limit bucket.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    SHARED_DATA_DIR = str(_default_shared_data())
    ITEMS_PER_PAGE = 20
    # New-tender alerts (opportunities/alerts.py): minimum engine score, calibrated by benchmarks/alert_threshold.py.
    NEW_TENDER_ALERT_MIN_SCORE = float(os.environ.get("NEW_TENDER_ALERT_MIN_SCORE", "0.30"))
    # E-mail (marketplace/notifications): requests only write the outbox; `flask send-emails` sends it through
    # MAIL_BACKEND: "smtp" (production), "file" (.eml files under MAIL_FILE_DIR, the development default) or
    # "console" (printed). Links in e-mails start with PUBLIC_BASE_URL (the site's public address).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")  # STARTTLS (port 587)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")  # implicit TLS (port 465)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Marché des quartiers <ne-pas-repondre@localhost>")
    MAIL_TIMEOUT = 30
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE_DIR / "outbox"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))  # then "failed", with the last error
    MAIL_RETRY_BASE_SECONDS = 60  # 1, 2, 4, 8 minutes... between attempts (at most 6 hours)
    MAIL_CLAIM_TIMEOUT_SECONDS = 600  # a claim older than this (a sender that died) is queued again
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    UNSUBSCRIBE_LINK_MAX_AGE = 365 * 24 * 3600  # seconds an e-mail's unsubscribe link stays valid
    # Long work (marketplace/jobs, docs/architecture.md "Long work"): RQ on Redis when JOBS_REDIS_URL (by default
    # REDIS_URL) is set, run by `flask jobs worker`; otherwise JOBS_INPROCESS_WORKERS daemon threads of each web
    # process. A job queued or running for longer than JOBS_STALE_AFTER_SECONDS is shown as interrupted.
    JOBS_REDIS_URL = os.environ.get("JOBS_REDIS_URL") or os.environ.get("REDIS_URL") or None
    JOBS_QUEUE_NAME = os.environ.get("JOBS_QUEUE_NAME", "marketplace")
    JOBS_INPROCESS_WORKERS = int(os.environ.get("JOBS_INPROCESS_WORKERS", "1"))
    JOBS_STALE_AFTER_SECONDS = int(os.environ.get("JOBS_STALE_AFTER_SECONDS", "3600"))
    JOBS_PROGRESS_LOCK_WAIT_MS = 200  # a progress write gives up (and retries at the next call) after this
    JOBS_EAGER = False  # run jobs at once inside enqueue() (tests)
    # Modules whose @job_handler functions must be known to web and workers.
    JOBS_HANDLER_MODULES = ("marketplace.events.scheduling", "marketplace.events.importing",
                            "marketplace.buyers.saved_searches", "marketplace.search")
    # The fitted search engine is saved here (marketplace/search_index.py): `flask search build` and the
    # search.build_index job write it, every web worker loads it instead of fitting its own. Empty: not saved.
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
    EVENTS_SCHEDULE_TIME_LIMIT_S = float(os.environ.get("EVENTS_SCHEDULE_TIME_LIMIT_S", "30"))  # the solver's budget

    def __init__(self):
        self.SECRET_KEY = _secret_key()


class ProductionConfig(Config):
    MARKETPLACE_ENV = "production"
    # A browser that got it over https refuses plain http for this host for a year (ignored over http).
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")

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
    MAIL_BACKEND = "console"  # nothing leaves; the SMTP tests point "smtp" at their own local server
    PUBLIC_BASE_URL = "http://marche.test"
    # Jobs run inside enqueue(); REDIS_URL (set by .ci/test-env for tests/jobs) is not used unless a test asks.
    JOBS_EAGER = True
    JOBS_REDIS_URL = None
    SEARCH_INDEX_DIR = None  # each test's engine is fitted in memory; tests of the saved index set a directory
    EVENTS_SCHEDULE_TIME_LIMIT_S = 2.0  # small events: the exact solver proves optimality well within it

    def __init__(self):
        self.SECRET_KEY = "test-only-not-secret"
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
