"""The Alembic migrations build the whole schema from an empty database, with no drift from the models."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db
from tests.conftest import NO_POSTGRES, POSTGRES_URL


@pytest.fixture
def empty_sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"


@pytest.fixture
def empty_postgres_url():
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    schema = f"migrations_{os.getpid()}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _app(url):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = url
    return create_app(config)


def _diff(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


@pytest.mark.parametrize(
    "url_fixture", ["empty_sqlite_url", pytest.param("empty_postgres_url", marks=pytest.mark.postgres)]
)
def test_migrations_build_the_schema_with_no_pending_difference(request, url_fixture):
    app = _app(request.getfixturevalue(url_fixture))
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"users", "supplier_companies", "offers", "buyer_organisations", "tenders", "lots"} <= tables
        assert _diff(app) == []
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_postgres_tests_run_in_a_private_schema(app, backend):
    if backend != "postgresql":
        pytest.skip("only meaningful on PostgreSQL")
    assert db.session.scalar(sa.text("select current_schema()")).startswith("test_")


@pytest.mark.parametrize(
    "url_fixture", ["empty_sqlite_url", pytest.param("empty_postgres_url", marks=pytest.mark.postgres)]
)
def test_name_key_migration_keeps_organisations_whose_names_collide(request, url_fixture):
    app = _app(request.getfixturevalue(url_fixture))
    with app.app_context():
        upgrade(revision="0003")
        insert = sa.text("INSERT INTO buyer_organisations (name, kind, description, created_at, updated_at) "
                         "VALUES (:name, 'public', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
        with db.engine.begin() as connection:
            for name in ("École des arts", "ECOLE  DES ARTS", "Ville de Test"):
                connection.execute(insert, {"name": name})
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.execute(sa.text("SELECT name, name_key FROM buyer_organisations ORDER BY id")).all()
        assert keys == [("École des arts", "ecole des arts"), ("ECOLE  DES ARTS", "ecole des arts #2"),
                        ("Ville de Test", "ville de test")]
        downgrade(revision="base")
        db.engine.dispose()


def test_organisation_key_folds_like_the_engine():
    # One fold() for the whole project: ligatures and typographic apostrophes count as their plain letters.
    from marketplace.validators import organisation_key
    from matching.text import fold

    assert organisation_key("  Cœur  d’ÆSOP ") == "coeur d'aesop" == " ".join(fold("  Cœur  d’ÆSOP ").split())


@pytest.mark.parametrize(
    "url_fixture", ["empty_sqlite_url", pytest.param("empty_postgres_url", marks=pytest.mark.postgres)]
)
def test_refold_migration_recomputes_name_keys_and_keeps_colliding_organisations(request, url_fixture):
    app = _app(request.getfixturevalue(url_fixture))
    with app.app_context():
        upgrade(revision="0007")
        insert = sa.text("INSERT INTO buyer_organisations (name, name_key, kind, description, created_at, updated_at) "
                         "VALUES (:name, :key, 'public', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
        before = [  # (name, key stored by 0004's folding, which left ligatures and ’ alone)
            ("Cœur de ville", "cœur de ville"),
            ("Coeur de Ville", "coeur de ville"),  # the same organisation once œ folds to oe
            ("L’Œuvre", "l’œuvre"),
            ("École des arts", "ecole des arts"),
            ("ECOLE DES ARTS", "ecole des arts #5"),  # a collision 0004 already kept
            ("Ville de Test", "ville de test"),
        ]
        with db.engine.begin() as connection:
            for name, key in before:
                connection.execute(insert, {"name": name, "key": key})
        upgrade(revision="0008")
        query = sa.text("SELECT name, name_key FROM buyer_organisations ORDER BY id")
        with db.engine.connect() as connection:
            keys = connection.execute(query).all()
        assert keys == [("Cœur de ville", "coeur de ville"), ("Coeur de Ville", "coeur de ville #2"),
                        ("L’Œuvre", "l'oeuvre"), ("École des arts", "ecole des arts"),
                        ("ECOLE DES ARTS", "ecole des arts #5"), ("Ville de Test", "ville de test")]
        downgrade(revision="0007")
        with db.engine.connect() as connection:
            assert connection.execute(query).all() == before
        downgrade(revision="base")
        db.engine.dispose()


@pytest.mark.parametrize(
    "url_fixture", ["empty_sqlite_url", pytest.param("empty_postgres_url", marks=pytest.mark.postgres)]
)
def test_refold_migration_keeps_long_keys_as_long_as_the_sign_up_check(request, url_fixture):
    # A 200-character name: its key must be the runtime's (200 characters), or sign-up misses the duplicate.
    from marketplace.validators import organisation_key

    long = ("Syndicat intercommunal pour la gestion des eaux du bassin " * 4)[:200]
    app = _app(request.getfixturevalue(url_fixture))
    with app.app_context():
        upgrade(revision="0007")
        insert = sa.text("INSERT INTO buyer_organisations (name, name_key, kind, description, created_at, updated_at) "
                         "VALUES (:name, :key, 'public', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
        with db.engine.begin() as connection:  # keys as 0004 cut them (190 characters)
            connection.execute(insert, {"name": long, "key": organisation_key(long)[:190]})
            connection.execute(insert, {"name": long.upper(), "key": organisation_key(long)[:190] + " #2"})
        upgrade(revision="0008")
        with db.engine.connect() as connection:
            keys = connection.execute(sa.text("SELECT name_key FROM buyer_organisations ORDER BY id")).scalars().all()
        assert len(organisation_key(long)) == 200
        assert keys[0] == organisation_key(long)  # what the sign-up duplicate check looks for
        assert keys[1] == organisation_key(long)[:197] + " #2"  # a collision keeps room for its id, within 200
        downgrade(revision="base")
        db.engine.dispose()
