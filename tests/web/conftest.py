"""Apps for the tests whose threads each need their own database connection."""

import pytest

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db


@pytest.fixture
def threaded_app_factory(backend, app_factory, tmp_path):
    """Build apps whose threads each get their own database connection (in-memory SQLite has only one): a
    SQLite file, or the PostgreSQL test schema. Keyword arguments override the config."""
    made = []

    def build(**overrides):
        if backend == "postgresql":
            return app_factory(**overrides)
        config = TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'threads.db'}"
        for key, value in overrides.items():
            setattr(config, key, value)
        application = create_app(config)
        with application.app_context():
            db.create_all()
        made.append(application)
        return application

    yield build
    for application in made:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def in_context(application, work):
    """``work()`` in an app context of its own (one thread's request), its session removed after."""
    with application.app_context():
        try:
            return work()
        finally:
            db.session.remove()
