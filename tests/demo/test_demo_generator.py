"""The pure generation of demo data: no database needed."""

import csv
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from stdnum.fr import siret

from marketplace.demo.catalogue import TRADES, building
from marketplace.demo.catalogue.buyers import BUYERS, TENDERS
from marketplace.demo.generator import generate_supplier, generate_suppliers, siret_for
from marketplace.demo.showcase import demo_company
from marketplace.demo.tenders import generate_buyers, generate_tenders
from marketplace.demo.text import fill
from marketplace.models import LABELS, LEGAL_FORMS, OrganisationKind, QpvStatus, StructureType, TenderStatus
from marketplace.refdata.fallback import QPV_FALLBACK

BUILDING_TRADES = {trade.key for trade in building.TRADES}
CPV = re.compile(r"^\d{8}-\d$")
CPV_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / "cpv" / "cpv_2008_fr_en.csv"
# The demo's clock is injected: a fixed day makes these tests independent of the day they run.
TODAY = date(2027, 3, 29)
# Seeding days far apart: the first one the demo's old fixed dates were built around, one years later.
SEEDING_DAYS = [date(2026, 12, 1), TODAY, date(2031, 6, 15)]


@pytest.fixture(scope="module")
def suppliers():
    return list(generate_suppliers(42, 300, today=TODAY))


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def test_sirets_are_valid_and_unique(suppliers):
    sirets = [s["siret"] for s in suppliers]
    assert all(siret.is_valid(number) for number in sirets)
    assert len(set(sirets)) == len(sirets)


def test_sirets_depend_on_seed_but_the_showcase_company_does_not():
    assert siret_for(1, 5) != siret_for(2, 5)
    assert siret_for(1, 0) == siret_for(2, 0)
    assert len({siret_for(7, index) for index in range(5000)}) == 5000


def test_at_least_25_trades_are_represented(suppliers):
    assert len({s["trade"] for s in suppliers}) >= 25


def test_descriptions_are_all_different(suppliers):
    assert len({s["description"] for s in suppliers}) == len(suppliers)


def test_few_sentences_are_shared_between_trades(suppliers):
    trades_by_sentence = defaultdict(set)
    occurrences = []
    for supplier in suppliers:
        for sentence in _sentences(supplier["description"]):
            trades_by_sentence[sentence].add(supplier["trade"])
            occurrences.append(sentence)
    shared = sum(1 for sentence in occurrences if len(trades_by_sentence[sentence]) > 1)
    assert shared / len(occurrences) < 0.15


def test_texts_have_no_leftover_placeholder(suppliers):
    for supplier in suppliers:
        texts = [supplier["name"], supplier["description"], *(o["description"] for o in supplier["offers"])]
        assert not any(mark in text for text in texts for mark in "{}[]|")


def test_suppliers_are_located_in_fallback_qpv_communes(suppliers):
    qpv_by_code = {qpv.code: qpv for qpv in QPV_FALLBACK}
    communes = {(qpv.commune_insee, qpv.commune_name, qpv.postcode, qpv.department) for qpv in QPV_FALLBACK}
    for supplier in suppliers:
        key = (supplier["commune_insee"], supplier["commune_name"], supplier["postcode"], supplier["department"])
        assert key in communes
        if supplier["qpv_status"] is QpvStatus.NOT_IN_QPV:
            assert supplier["qpv_code"] is None
        else:
            assert qpv_by_code[supplier["qpv_code"]].commune_insee == supplier["commune_insee"]
    statuses = Counter(s["qpv_status"] for s in suppliers)
    assert statuses[QpvStatus.VERIFIED] > statuses[QpvStatus.DECLARED] > statuses[QpvStatus.NOT_IN_QPV] > 0


def test_company_facts_are_plausible(suppliers):
    structures = Counter(s["structure_type"] for s in suppliers)
    assert structures[StructureType.ENTREPRISE] + structures[StructureType.MICRO] > 0.7 * len(suppliers)
    assert {StructureType.ASSOCIATION, StructureType.SIAE, StructureType.EA_ESAT, StructureType.SCOP_SCIC} <= set(
        structures
    )
    headcounts = [s["headcount"] for s in suppliers]
    assert sum(h <= 10 for h in headcounts) > 0.8 * len(headcounts)
    assert max(headcounts) <= 50
    for supplier in suppliers:
        assert supplier["legal_form"] in LEGAL_FORMS
        assert set(supplier["labels"]) <= set(LABELS)
        assert isinstance(supplier["annual_revenue_cents"], int)
        assert supplier["annual_revenue_cents"] > 0
        assert 1 <= len(supplier["offers"]) <= 3
        if supplier["structure_type"] is StructureType.MICRO:
            assert supplier["legal_form"] == "EI"
        if "cnaps" in supplier["labels"]:
            assert supplier["trade"] == "securite"
        if "rge" in supplier["labels"] or "qualibat" in supplier["labels"]:
            assert supplier["trade"] in BUILDING_TRADES


def test_offers_have_cpv_codes_keywords_and_departments(suppliers):
    for supplier in suppliers:
        for offer in supplier["offers"]:
            assert offer["cpv_codes"]
            assert all(CPV.match(code) for code in offer["cpv_codes"])
            assert offer["keywords"]
            assert offer["departments"][0] == supplier["department"]


def test_other_seed_gives_other_data():
    assert generate_supplier(1, 7, today=TODAY) == generate_supplier(1, 7, today=TODAY)
    assert generate_supplier(1, 7, today=TODAY) != generate_supplier(2, 7, today=TODAY)


def test_showcase_company_is_index_zero():
    company = generate_supplier(3, 0, today=TODAY)
    assert company == demo_company(siret_for(3, 0), today=TODAY)
    assert siret.is_valid(company["siret"])


@pytest.mark.parametrize("today", SEEDING_DAYS)
def test_tender_dates_are_relative_to_the_seeding_day(today):
    """Published in the past, open tenders' deadlines ahead, closed and awarded ones behind, drafts unpublished;
    nothing stamped later than the start of the seeding day, whatever its hour."""
    tenders = generate_tenders(42, today=today)
    for tender in tenders:
        status, published, deadline = tender["status"], tender["published_at"], tender["deadline"]
        assert tender["created_at"] < start_of(today)
        assert tender["updated_at"] < start_of(today)
        if status is TenderStatus.DRAFT:
            assert published is None
            assert deadline > today
            continue
        assert tender["created_at"] <= published < start_of(today)
        assert published.date() <= today
        assert published.date() < deadline
        if status is TenderStatus.PUBLISHED:
            assert deadline > today, tender["title"]
        else:
            assert deadline < today, tender["title"]
    assert sum(tender["status"] is TenderStatus.PUBLISHED for tender in tenders) >= 20


@pytest.mark.parametrize("today", SEEDING_DAYS)
def test_companies_accounts_and_buyers_are_created_before_the_seeding_day(today):
    companies = list(generate_suppliers(42, 60, today=today))
    stamps = [company["created_at"] for company in companies]
    stamps += [offer["created_at"] for company in companies for offer in company["offers"]]
    stamps += [buyer["created_at"] for buyer in generate_buyers(today=today)]
    assert all(stamp < start_of(today) for stamp in stamps)
    assert all(stamp.tzinfo is UTC for stamp in stamps)


def test_another_day_moves_the_dates_and_nothing_else():
    first, later = generate_tenders(42, today=TODAY), generate_tenders(42, today=TODAY + timedelta(days=100))
    assert [t["reference"] for t in first] == [t["reference"] for t in later]
    assert [t["status"] for t in first] == [t["status"] for t in later]
    for before, after in zip(first, later, strict=True):
        assert after["deadline"] - before["deadline"] == timedelta(days=100)
        assert after["created_at"] - before["created_at"] == timedelta(days=100)
    assert generate_supplier(5, 9, today=TODAY)["description"] == generate_supplier(5, 9, today=date(2030, 1, 1))[
        "description"]


@pytest.mark.parametrize("seed", [1, 7, 42, 43, 2026])
def test_tender_titles_are_all_different(seed):
    titles = [tender["title"] for tender in generate_tenders(seed, today=TODAY)]
    assert len(set(titles)) == len(titles) == 40
    assert len({" ".join(title.lower().split()) for title in titles}) == 40
    assert not any(mark in title for title in titles for mark in "{}[]|")


def test_tenders():
    tenders = generate_tenders(42, today=TODAY)
    assert len(tenders) == 40
    assert len({t["reference"] for t in tenders}) == 40
    assert {t["status"] for t in tenders} == set(TenderStatus)
    assert Counter(t["status"] for t in tenders).most_common(1)[0][0] is TenderStatus.PUBLISHED
    with_lots = [t for t in tenders if t["lots"]]
    assert with_lots
    assert all(2 <= len(t["lots"]) <= 6 for t in with_lots)
    assert any(t["reserved_for_inclusive"] for t in tenders)
    assert any(t["required_labels"] for t in tenders)
    for tender in tenders:
        assert abs(tender["deadline"] - TODAY) < timedelta(days=365)
        assert (tender["published_at"] is None) == (tender["status"] is TenderStatus.DRAFT)
        codes = tender["cpv_codes"] + [code for lot in tender["lots"] for code in lot["cpv_codes"]]
        assert all(CPV.match(code) for code in codes)
        assert [lot["number"] for lot in tender["lots"]] == list(range(1, len(tender["lots"]) + 1))
        assert sum(lot["budget_cents"] for lot in tender["lots"]) <= tender["budget_cents"] + 1000_00
    assert generate_tenders(42, today=TODAY) == tenders
    assert generate_tenders(43, today=TODAY) != tenders


def test_buyers():
    assert len(BUYERS) == 20 == len({buyer.name for buyer in BUYERS})
    assert {buyer.kind for buyer in BUYERS} == set(OrganisationKind)


@pytest.mark.parametrize(("female", "expected"), [(False, "Installé, plombier"), (True, "Installée, plombière")])
def test_fill_agrees_in_gender(female, expected):
    assert fill("Installé{e}, [plombier|plombière]", {}, female=female) == expected


@pytest.mark.refdata
@pytest.mark.skipif(not CPV_FILE.exists(), reason="needs ../shared/data/cpv")
def test_every_catalogue_cpv_code_exists():
    with CPV_FILE.open(encoding="utf-8") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    codes = {code for trade in TRADES for offer in trade.offers for code in offer.cpv}
    for spec in TENDERS:
        codes.update(spec.cpv)
        codes.update(code for lot in spec.lots for code in lot.cpv)
    assert codes - known == set()
