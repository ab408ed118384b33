"""The bridge between the database and the engine: inputs, ranking through the ORM, freshness."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from marketplace import search
from marketplace.extensions import db
from marketplace.models import Commune, QpvStatus, RefdataImport, current_search_revision


@pytest.fixture(autouse=True)
def fresh_engine():
    search.reset_engine_cache()
    yield
    search.reset_engine_cache()


def cleaning(**overrides):
    offer = {"title": "Nettoyage de bureaux", "description": "Entretien quotidien, vitrerie",
             "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "vitrerie"], "departments": ["93", "94"]}
    offer.update(overrides)
    return offer


def test_supplier_input_merges_offers_and_hides_unproven_qpv(make_supplier):
    company = make_supplier(
        offers=(cleaning(), cleaning(title="Remise en état", cpv_codes=["90910000-9", "90911200-8"])),
        department="93", labels=["esus"], annual_revenue_cents=12_345_600, qpv_code="QN09328M",
        qpv_status=QpvStatus.REJECTED,
    )
    record = search.to_supplier(company)
    assert record.id == str(company.id)
    assert record.cpv_codes == ("90910000-9", "90911200-8")
    assert record.departments == ("93", "94")
    assert record.keywords == ("nettoyage", "vitrerie")
    assert "Remise en état" in record.description
    assert record.annual_revenue_eur == pytest.approx(123456.0)
    assert record.qpv_code is None  # a rejected QPV claim is not a ranking signal


def test_tender_input_carries_lots_and_budgets(make_tender):
    tender = make_tender(budget_cents=5_000_000, cpv_codes=["90910000-9"],
                         lots=({"title": "Site A", "budget_cents": 1_000_050},))
    record = search.to_tender(tender)
    assert record.budget_eur == pytest.approx(50000.0)
    assert record.lots[0].title == "Site A"
    assert record.lots[0].budget_eur == pytest.approx(10000.5)
    assert tender.lots[0].budget_eur == Decimal("10000.50")


def test_shortlist_ranks_the_fitting_supplier_first_with_reasons(make_supplier, make_tender):
    painter = make_supplier(name="Couleurs du Quartier", offers=(
        {"title": "Peinture intérieure", "description": "Peinture de logements et cages d'escalier",
         "cpv_codes": ["45442100-8"], "keywords": ["peinture"], "departments": ["93"]},))
    cleaner = make_supplier(name="Net Services", offers=(cleaning(),))
    tender = make_tender(title="Nettoyage et vitrerie des bureaux", cpv_codes=["90911200-8"], department="93")
    ranked = search.shortlist(tender, k=5)
    assert ranked[0].company.id == cleaner.id
    assert ranked[0].match.reasons
    assert all(0.0 <= r.match.score <= 1.0 for r in ranked)
    assert painter.id not in [r.company.id for r in ranked[:1]]


def test_a_supplier_of_a_nearby_department_ranks_first_once_communes_are_loaded(make_supplier, make_tender):
    far = make_supplier(department="13", postcode="13001", offers=(cleaning(departments=["13"]),))
    near = make_supplier(department="92", postcode="92100", offers=(cleaning(departments=["92"]),))
    tender = make_tender(title="Nettoyage de bureaux", department="75")
    without = {r.company.id: r.match for r in search.shortlist(tender, k=5)}
    assert without[near.id].components["geo"] == without[far.id].components["geo"] == 0.0

    db.session.add_all([Commune(insee="75056", name="Paris", department="75", lat=48.86, lon=2.34),
                        Commune(insee="92012", name="Boulogne-Billancourt", department="92", lat=48.84, lon=2.24),
                        Commune(insee="13055", name="Marseille", department="13", lat=43.30, lon=5.37),
                        RefdataImport(kind="postcodes", filename="laposte.csv", checksum="a" * 64, row_count=3)])
    db.session.commit()  # as `flask refdata load` does: the journal entry tells running workers to refit
    ranked = search.shortlist(tender, k=5)
    assert [r.company.id for r in ranked] == [near.id, far.id]
    assert any("département proche : 92" in reason for reason in ranked[0].match.reasons)


def test_search_finds_typos(make_supplier):
    cleaner = make_supplier(offers=(cleaning(),))
    make_supplier(offers=({"title": "Traiteur", "description": "Buffets et plateaux repas", "keywords": ["traiteur"]},))
    assert search.search_suppliers("netoyage")[0].company.id == cleaner.id


def test_changes_reach_the_next_query_without_restart(make_supplier):
    make_supplier(offers=(cleaning(),))
    assert search.search_suppliers("traiteur") == []
    caterer = make_supplier(offers=({"title": "Traiteur africain", "keywords": ["traiteur"]},))
    assert [r.company.id for r in search.search_suppliers("traiteur")] == [caterer.id]
    caterer.offers[0].title = "Pâtisserie orientale"
    caterer.offers[0].keywords = ["pâtisserie"]
    db.session.commit()
    assert search.search_suppliers("traiteur") == []
    assert search.search_suppliers("patisserie")[0].company.id == caterer.id
    db.session.delete(caterer)
    db.session.commit()
    assert search.search_suppliers("patisserie") == []


def test_empty_database_gives_empty_results(app):
    assert search.search_suppliers("nettoyage") == []


def test_an_offer_deleted_while_another_is_created_leaves_the_index(make_supplier):
    from marketplace.suppliers import services as supplier_services

    asbestos = make_supplier(offers=({"title": "Désamiantage", "keywords": ["désamiantage"]},))
    other = make_supplier(offers=(cleaning(),))
    assert [r.company.id for r in search.search_suppliers("désamiantage")] == [asbestos.id]
    # Same counts before and after: one offer removed, one added elsewhere.
    supplier_services.delete_offer(asbestos.offers[0])
    supplier_services.create_offer(other, {"title": "Vitrerie", "keywords": "vitres", "cpv_codes": "90911300-9"})
    assert search.search_suppliers("désamiantage") == []
    assert search.search_suppliers("vitrerie")[0].company.id == other.id


def test_a_company_deleted_while_another_is_created_leaves_the_index(make_supplier):
    gone = make_supplier(offers=({"title": "Désamiantage", "keywords": ["désamiantage"]},))
    assert search.search_suppliers("désamiantage")[0].company.id == gone.id
    db.session.delete(gone)
    db.session.commit()
    make_supplier(offers=(cleaning(),))
    assert search.search_suppliers("désamiantage") == []


def test_a_change_committed_with_an_old_timestamp_still_reaches_the_index(make_supplier):
    # A long transaction or a skewed clock commits after the worker's last look with an older updated_at:
    # the transactional revision, not the clock, tells the worker what changed.
    caterer = make_supplier(offers=({"title": "Traiteur africain", "keywords": ["traiteur"]},))
    assert search.search_suppliers("traiteur")[0].company.id == caterer.id
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    caterer.offers[0].title = "Pâtisserie orientale"
    caterer.offers[0].keywords = ["pâtisserie"]
    caterer.offers[0].updated_at = caterer.updated_at = long_ago
    db.session.commit()
    assert caterer.offers[0].updated_at == long_ago
    assert search.search_suppliers("traiteur") == []
    assert search.search_suppliers("patisserie")[0].company.id == caterer.id


def test_every_change_to_a_company_or_its_offers_takes_the_next_revision(make_supplier, make_tender):
    company = make_supplier(offers=(cleaning(),))
    other = make_supplier(offers=(cleaning(),))
    start = current_search_revision()
    assert company.search_revision <= start
    company.offers[0].title = "Vitrerie"
    db.session.commit()
    assert (current_search_revision(), company.search_revision) == (start + 1, start + 1)
    db.session.delete(other.offers[0])
    db.session.commit()
    assert (current_search_revision(), other.search_revision) == (start + 2, start + 2)
    make_tender(title="Sans rapport avec les fournisseurs")
    assert current_search_revision() == start + 2


def test_a_bulk_change_refits_instead_of_adding_one_by_one(make_supplier, monkeypatch):
    company = make_supplier(offers=(cleaning(),))
    for refit_min, refits in ((100, 1), (0, 2)):
        cache = search.EngineCache(refit_share=0.0, refit_min=refit_min)
        fits = []
        real_fit = cache._fit
        monkeypatch.setattr(cache, "_fit", lambda real_fit=real_fit, fits=fits: fits.append(1) or real_fit())
        cache.engine()
        company.offers[0].keywords = [f"traiteur{refit_min}"]
        db.session.commit()
        assert cache.engine().search(f"traiteur{refit_min}")[0].supplier_id == str(company.id)
        assert len(fits) == refits
