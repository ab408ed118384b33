"""Shared fixtures: a fresh database per test, on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL."""

import functools
import os
from itertools import count

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db, limiter
from marketplace.models import BuyerOrganisation, Lot, Offer, Role, SupplierCompany, Tender, TenderStatus, User

PASSWORD = "motdepasse-solide-42"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
NO_POSTGRES = "TEST_DATABASE_URL is not set: PostgreSQL tests need a server (make test sets it when one answers)"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)],
    ),
]


@pytest.fixture(scope="session")
def postgres_url():
    """A private schema per test process, so parallel runs on one PostgreSQL database never collide."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    schema = f"test_{os.getpid()}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _config(database_url: str, **overrides):
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database_url(backend, request) -> str:
    return request.getfixturevalue("postgres_url") if backend == "postgresql" else "sqlite://"


@pytest.fixture
def app_factory(backend, database_url):
    """Build apps on the test backend with config overrides; each gets a fresh schema."""
    made = []

    def build(**overrides):
        app = create_app(_config(database_url, **overrides))
        # The limiter is one object for every app of the process: once a test's store failed (the outage test),
        # it would keep counting in its in-memory fallback, then switch back to the new app's store mid-test
        # when its health check comes round (counts split in two: limits reached late, at random).
        limiter._storage_dead = False
        app.test_client_class = IsolatedClient
        with app.app_context():
            if backend == "postgresql":
                db.drop_all()
            db.create_all()
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.session.remove()
            if backend == "postgresql":
                db.drop_all()
            db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: no `g` (cached user, locale) or
    database session leaks from the test body or from one request into the next."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_sequence = count(1)


def _siret(n: int) -> str:
    """A valid SIRET built from a counter (SIREN and SIRET keys from python-stdnum; SIREN 000000000 is refused)."""
    from stdnum import luhn

    siren = f"1{n:07d}"
    body = siren + luhn.calc_check_digit(siren) + "0001"
    return body + luhn.calc_check_digit(body)


@functools.cache
def _hash_of(password: str) -> str:
    """Hashing is deliberately slow (scrypt); the same password's hash is reused across test users."""
    return generate_password_hash(password)


@pytest.fixture
def make_user(app):
    def make(role: Role = Role.SUPPLIER, email: str | None = None, password: str = PASSWORD, **fields):
        n = next(_sequence)
        user = User(email=email or f"user{n}@exemple.fr", full_name=fields.pop("full_name", f"Utilisateur {n}"),
                    role=role, **fields)
        user.password_hash = _hash_of(password)
        if role is Role.BUYER and user.buyer_organisation is None:
            user.buyer_organisation = BuyerOrganisation(name=f"Organisation {n}")
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_supplier(app, make_user):
    def make(owner: User | None = None, offers: tuple[dict, ...] = (), **overrides):
        n = next(_sequence)
        fields = {"name": f"Entreprise {n}", "siret": _siret(n), "department": "93", "postcode": "93200"}
        fields.update(overrides)
        company = SupplierCompany(owner=owner or make_user(Role.SUPPLIER), **fields)
        for offer in offers:
            company.offers.append(Offer(**offer))
        db.session.add(company)
        db.session.commit()
        return company

    return make


@pytest.fixture
def make_tender(app, make_user):
    def make(buyer: User | None = None, lots: tuple[dict, ...] = (), **overrides):
        buyer = buyer or make_user(Role.BUYER)
        fields = {"title": "Nettoyage des locaux", "status": TenderStatus.PUBLISHED, "department": "93"}
        fields.update(overrides)
        tender = Tender(buyer_organisation=buyer.buyer_organisation, created_by=buyer, **fields)
        for number, lot in enumerate(lots, start=1):
            tender.lots.append(Lot(number=number, **lot))
        db.session.add(tender)
        db.session.commit()
        return tender

    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.post("/compte/connexion", data={"email": email, "password": password})

    def login_as(self, user: User):
        return self.login(user.email)

    def logout(self):
        return self._client.post("/compte/deconnexion")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def fresh_engine():
    """Each test starts and ends with no fitted engine in this process (the web cache is per process)."""
    from marketplace import search

    search.reset_engine_cache()
    yield
    search.reset_engine_cache()
