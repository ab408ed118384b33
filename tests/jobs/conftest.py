"""Job tests on SQLite and PostgreSQL; with real workers (``job_app``), SQLite is a FILE, as in production
(several connections, one write lock), not the in-memory database whose one connection every session shares."""

import os
import socket
from urllib.parse import urlsplit

import pytest

from marketplace.jobs.backends import shutdown_backend
from tests.jobs import handlers  # noqa: F401  (registers the "test.*" handlers)

REDIS_URL = os.environ.get("REDIS_URL")


@pytest.fixture
def database_url(backend, request, tmp_path):
    if backend == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'jobs.sqlite3'}" if "job_app" in request.fixturenames else "sqlite://"


@pytest.fixture
def job_app(app_factory):
    """Apps whose jobs really go to a backend (not eager), worker threads stopped after the test."""
    made = []

    def build(**overrides):
        overrides.setdefault("JOBS_EAGER", False)
        app = app_factory(**overrides)
        made.append(app)
        return app

    yield build
    for app in made:
        shutdown_backend(app)


def _redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=3):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: the RQ tests need a Redis server (make test sets it when one answers)")
    if not _redis_answers(REDIS_URL):
        pytest.skip(f"REDIS_URL is set but no Redis answers at {REDIS_URL}")
    return REDIS_URL
