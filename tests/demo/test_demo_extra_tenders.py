"""``seed-demo --tenders N``: N more published tenders, deterministic, open on the seeding day, idempotent."""

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from marketplace.demo import seed_demo
from marketplace.demo.tenders import TENDER_COUNT, generate_extra_tenders, generate_tenders
from marketplace.extensions import db
from marketplace.models import Lot, Tender, TenderStatus
from marketplace.opportunities.services import open_tenders

TODAY = date(2027, 3, 29)


@pytest.fixture(scope="module")
def extra() -> list[dict]:
    base = generate_tenders(42, today=TODAY)
    return generate_extra_tenders(42, 300, today=TODAY, titles={t["title"] for t in base})


def test_extra_tenders_are_published_and_open_on_the_seeding_day(extra):
    assert len(extra) == 300
    start_of_day = datetime.combine(TODAY, time(0, 0), tzinfo=UTC)
    for tender in extra:
        assert tender["status"] is TenderStatus.PUBLISHED
        assert tender["deadline"] > TODAY
        assert tender["published_at"] < start_of_day
        assert tender["created_at"] <= tender["published_at"]


def test_extra_tenders_vary_trades_and_departments_with_french_texts(extra):
    divisions = {t["cpv_codes"][0][:2] for t in extra}
    departments = {t["department"] for t in extra}
    assert len(divisions) >= 10
    assert len(departments) >= 6
    for tender in extra:
        assert "{" not in tender["title"] + tender["description"]
        assert tender["title"]
        assert tender["description"]
        assert tender["postcode"].startswith(tender["department"][:2])
    assert sum(bool(t["lots"]) for t in extra) > 30


def test_titles_and_references_are_distinct_from_each_other_and_from_the_demo_tenders(extra):
    base = generate_tenders(42, today=TODAY)
    titles = [t["title"] for t in [*base, *extra]]
    references = [t["reference"] for t in [*base, *extra]]
    assert len(set(titles)) == len(titles)
    assert len(set(references)) == len(references)


def test_extra_tenders_are_deterministic_per_seed():
    assert generate_extra_tenders(7, 50, today=TODAY) == generate_extra_tenders(7, 50, today=TODAY)
    assert generate_extra_tenders(7, 50, today=TODAY) != generate_extra_tenders(8, 50, today=TODAY)
    # A longer run starts with the same tenders: growing keeps the rows already loaded.
    assert generate_extra_tenders(7, 80, today=TODAY)[:50] == generate_extra_tenders(7, 50, today=TODAY)


def _tenders() -> list[tuple]:
    columns = [c for c in Tender.__table__.columns]
    return [tuple(row) for row in db.session.execute(select(*columns).order_by(Tender.id))]


def test_seeding_extra_tenders_is_idempotent_and_default_keeps_the_demo(app):
    seed_demo(suppliers=20, seed=3, today=TODAY)
    assert db.session.scalar(select(func.count(Tender.id))) == TENDER_COUNT
    summary = seed_demo(suppliers=20, seed=3, tenders=60, today=TODAY)
    assert summary.tenders == TENDER_COUNT + 60
    assert db.session.scalar(select(func.count(Tender.id))) == TENDER_COUNT + 60
    first, lots = _tenders(), db.session.scalar(select(func.count(Lot.id)))
    seed_demo(suppliers=20, seed=3, tenders=60, today=TODAY)
    assert _tenders() == first
    assert db.session.scalar(select(func.count(Lot.id))) == lots
    published = db.session.scalar(select(func.count(Tender.id)).where(Tender.status == TenderStatus.PUBLISHED))
    assert len(open_tenders(TODAY)) == published >= 60


def test_seeding_refuses_a_negative_number_of_tenders(app):
    with pytest.raises(ValueError, match="tenders"):
        seed_demo(suppliers=5, tenders=-1, today=TODAY)


def test_the_command_adds_the_tenders(runner):
    result = runner.invoke(args=["seed-demo", "--suppliers", "20", "--tenders", "15"])
    assert result.exit_code == 0, result.output
    assert f"{TENDER_COUNT + 15} appels d'offres" in result.output
    assert db.session.scalar(select(func.count(Tender.id))) == TENDER_COUNT + 15
    default = runner.invoke(args=["seed-demo", "--suppliers", "20"])
    assert f"{TENDER_COUNT} appels d'offres" in default.output
    assert db.session.scalar(select(func.count(Tender.id))) == TENDER_COUNT + 15  # the surplus stays
