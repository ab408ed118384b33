"""Loading the demo data: determinism, idempotence, growth and the demo accounts, on every backend."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text
from stdnum.fr import siret

from marketplace.demo import seed_demo
from marketplace.demo.catalogue.buyers import DEMO_BUYER_NAME
from marketplace.demo.generator import siret_for
from marketplace.demo.showcase import BUYER_EMAIL, DEFAULT_DEMO_PASSWORD, ENTREPRENEUR_EMAIL, ORGANISER_EMAIL
from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    Lot,
    Offer,
    Role,
    SupplierCompany,
    Tender,
    TenderStatus,
    User,
    current_search_revision,
)

MODELS = (User, BuyerOrganisation, SupplierCompany, Offer, Tender, Lot)
TODAY = date(2027, 3, 29)  # the demo's injected clock: identical runs need the same day


def dump() -> dict[str, list[tuple]]:
    """Every demo table as sorted tuples of column values.

    Left out: password hashes (salted), session tokens (random, so that no two installs share one) and the
    search revision (a change counter, stamped on each run so that
    running web workers re-read the rows; see test_a_rerun_restamps_the_search_revision).
    """
    tables = {}
    for model in MODELS:
        left_out = ("password_hash", "session_token", "search_revision")
        columns = [c for c in model.__table__.columns if c.name not in left_out]
        rows = db.session.execute(select(*columns).order_by(model.id)).all()
        tables[model.__tablename__] = [tuple(row) for row in rows]
    return tables


def counts() -> dict[str, int]:
    return {model.__tablename__: db.session.scalar(select(func.count(model.id))) for model in MODELS}


def seeded_dump(app_factory, **arguments):
    app = app_factory()
    with app.app_context():
        seed_demo(**arguments)
        return dump()


def test_same_seed_gives_identical_databases_and_other_seed_differs(app_factory):
    first = seeded_dump(app_factory, suppliers=40, seed=7, today=TODAY)
    second = seeded_dump(app_factory, suppliers=40, seed=7, today=TODAY)
    other = seeded_dump(app_factory, suppliers=40, seed=8, today=TODAY)
    assert first == second
    assert first["supplier_companies"] != other["supplier_companies"]
    assert first["tenders"] != other["tenders"]


def test_the_demo_is_dated_from_the_day_it_is_seeded(app):
    """Seeded on any day (here years after the demo was written): published in the past, open deadlines ahead."""
    today = date(2031, 6, 15)
    seed_demo(suppliers=20, seed=42, today=today)
    start = datetime.combine(today, time.min, tzinfo=UTC)
    tenders = db.session.scalars(select(Tender)).all()
    published = [tender for tender in tenders if tender.published_at is not None]
    assert published
    assert all(tender.published_at < start for tender in published)
    assert all(tender.published_at.date() <= today for tender in published)
    open_tenders = [tender for tender in tenders if tender.status is TenderStatus.PUBLISHED]
    assert len(open_tenders) >= 20
    assert all(tender.deadline > today for tender in open_tenders)
    assert len({tender.title for tender in tenders}) == len(tenders) == 40
    assert all(company.created_at < start for company in db.session.scalars(select(SupplierCompany)))


def test_seeding_again_another_day_refreshes_the_same_rows(app):
    seed_demo(suppliers=15, seed=4, today=TODAY)
    ids = dict(db.session.execute(select(Tender.reference, Tender.id)).all())
    later = TODAY + timedelta(days=400)
    summary = seed_demo(suppliers=15, seed=4, today=later)
    db.session.expire_all()
    assert (summary.suppliers_created, summary.suppliers_updated) == (0, 15)
    assert dict(db.session.execute(select(Tender.reference, Tender.id)).all()) == ids
    open_tenders = db.session.scalars(select(Tender).where(Tender.status == TenderStatus.PUBLISHED)).all()
    assert all(tender.deadline > later for tender in open_tenders)


def test_running_twice_changes_nothing(app):
    summary = seed_demo(suppliers=45, seed=3, today=TODAY)
    before, sizes = dump(), counts()
    again = seed_demo(suppliers=45, seed=3, today=TODAY)
    db.session.expire_all()
    assert dump() == before
    assert counts() == sizes == {
        "users": 3, "buyer_organisations": 20, "supplier_companies": 45, "offers": summary.offers,
        "tenders": 40, "lots": summary.lots,
    }
    assert (summary.suppliers_created, again.suppliers_created, again.suppliers_updated) == (45, 0, 45)


def test_a_rerun_restamps_the_search_revision(app):
    seed_demo(suppliers=10, seed=3)
    first = current_search_revision()
    seed_demo(suppliers=10, seed=3)
    assert current_search_revision() > first
    stamps = set(db.session.scalars(select(SupplierCompany.search_revision)))
    assert stamps == {current_search_revision()}


def test_growing_keeps_the_first_suppliers(app):
    seed_demo(suppliers=300, seed=42, today=TODAY)
    first = dump()
    summary = seed_demo(suppliers=350, seed=42, today=TODAY)
    grown = dump()
    assert (summary.suppliers_created, summary.suppliers_updated) == (50, 300)
    assert len(grown["supplier_companies"]) == 350
    assert grown["supplier_companies"][:300] == first["supplier_companies"]
    assert grown["offers"][: len(first["offers"])] == first["offers"]
    assert grown["tenders"] == first["tenders"]


def test_loaded_rows_are_sound(app):
    seed_demo(suppliers=60, seed=11)
    companies = db.session.scalars(select(SupplierCompany)).all()
    assert all(siret.is_valid(company.siret) for company in companies)
    assert all(company.created_at.tzinfo is UTC and company.offers for company in companies)
    tenders = db.session.scalars(select(Tender)).all()
    assert len(tenders) == 40
    assert any(2 <= len(tender.lots) <= 6 for tender in tenders)
    assert db.session.scalar(select(func.count(BuyerOrganisation.id))) == 20


def test_demo_accounts(app, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    summary = seed_demo(suppliers=40, seed=5)
    users = {user.email: user for user in db.session.scalars(select(User))}
    assert {email: user.role for email, user in users.items()} == {
        ENTREPRENEUR_EMAIL: Role.SUPPLIER, BUYER_EMAIL: Role.BUYER, ORGANISER_EMAIL: Role.ORGANISER,
    }
    assert all(user.check_password(DEFAULT_DEMO_PASSWORD) for user in users.values())
    assert summary.password == DEFAULT_DEMO_PASSWORD
    owned = db.session.scalars(select(SupplierCompany).where(SupplierCompany.owner_id.is_not(None))).all()
    assert [company.owner.email for company in owned] == [ENTREPRENEUR_EMAIL]
    buyer = users[BUYER_EMAIL]
    assert buyer.buyer_organisation.name == DEMO_BUYER_NAME
    own_tenders = buyer.buyer_organisation.tenders
    assert own_tenders
    assert all(tender.created_by_id == buyer.id for tender in own_tenders)


@pytest.mark.parametrize("password", ["autre-mot-de-passe-9"])
def test_demo_password_comes_from_the_environment(app, monkeypatch, password):
    monkeypatch.setenv("DEMO_PASSWORD", password)
    summary = seed_demo(suppliers=5, seed=1)
    user = db.session.scalar(select(User).where(User.email == BUYER_EMAIL))
    assert summary.password == password
    assert user.check_password(password)
    assert password in summary.describe()
    assert "l'événement « Semaine de la diversité entrepreneuriale » (" in summary.describe()


def test_a_real_company_with_a_colliding_siret_is_left_alone(app, make_supplier):
    real = make_supplier(name="Entreprise réelle", siret=siret_for(4, 3))
    seed_demo(suppliers=10, seed=4)
    db.session.expire_all()
    assert db.session.get(SupplierCompany, real.id).name == "Entreprise réelle"
    assert db.session.scalar(select(func.count(SupplierCompany.id))) == 10


def test_seeding_leaves_postgresql_with_planner_statistics(app):
    """Right after a bulk load (autovacuum off, or not yet round), PostgreSQL must not guess its table sizes."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner statistics (SQLite plans without them)")
    seed_demo(suppliers=30, today=TODAY)

    # pg_class.reltuples: -1 for a table never analysed, its row count once ANALYZE has run.
    estimated = dict(db.session.execute(text(
        "SELECT relname, reltuples FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
        "AND relname IN ('supplier_companies', 'offers')")).all())
    assert estimated == {"supplier_companies": db.session.scalar(select(func.count(SupplierCompany.id))),
                         "offers": db.session.scalar(select(func.count(Offer.id)))}
