"""Fixtures shared by the reference-data, supplier and admin tests.

Tests marked ``refdata`` get an app whose database holds the full ``../shared/data`` (skipped with the reason
when the folder is absent). On SQLite the files are loaded once per session into a template database file
that each test copies; on PostgreSQL into a template schema whose tables each test copies server-side.
"""

import shutil
from pathlib import Path

import pytest

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db
from marketplace.refdata.loader import load_directory


def shared_data_path() -> Path:
    return Path(create_app(TestingConfig()).config["SHARED_DATA_DIR"])


def require_shared_data() -> Path:
    path = shared_data_path()
    if not (path / "cpv" / "cpv_2008_fr_en.csv").is_file():
        pytest.skip(f"reference data folder {path} absent (SHARED_DATA_DIR): the official-file tests need it")
    return path


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    return require_shared_data()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory, shared_data_dir) -> Path:
    path = tmp_path_factory.mktemp("refdata") / "template.sqlite3"
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
    app = create_app(config)
    with app.app_context():
        db.create_all()
        load_directory(shared_data_dir)
        db.session.remove()
        db.engine.dispose()
    return path


REFERENCE_TABLES = ("ref_cpv_codes", "ref_naf_codes", "ref_qpv", "ref_qpv_communes", "ref_qpv_areas", "ref_communes",
                    "ref_postcodes", "ref_imports")


@pytest.fixture(scope="session")
def postgres_template(postgres_url, shared_data_dir):
    """A PostgreSQL schema loaded once per session; tests copy its tables server-side (INSERT ... SELECT)."""
    import os

    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from tests.conftest import POSTGRES_URL

    schema = f"refdata_tpl_{os.getpid()}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = make_url(POSTGRES_URL).update_query_dict(
        {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        load_directory(shared_data_dir)
        db.session.remove()
        db.engine.dispose()
    yield schema
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture
def app(app_factory, backend, request, tmp_path):
    """The usual fresh app; with the ``refdata`` marker, one whose database holds the official files."""
    if request.node.get_closest_marker("refdata") is None:
        app = app_factory()
    elif backend == "sqlite":
        copy = tmp_path / "refdata.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), copy)
        app = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{copy}")
    else:
        import sqlalchemy as sa

        schema = request.getfixturevalue("postgres_template")
        app = app_factory()
        with app.app_context():
            for table in REFERENCE_TABLES:
                db.session.execute(sa.text(f'INSERT INTO {table} SELECT * FROM "{schema}".{table}'))
            db.session.commit()
    with app.app_context():
        yield app
