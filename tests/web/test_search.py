"""The bridge between the database and the engine: inputs, ranking through the ORM, freshness."""

import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from marketplace import search
from marketplace.extensions import db
from marketplace.models import Commune, QpvStatus, RefdataImport, current_search_revision
from tests.web.conftest import in_context

pytestmark = pytest.mark.usefixtures("fresh_engine")


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


# ---------------------------------------------------------------- what the engine records carry

def test_supplier_input_carries_the_qpv_status_and_the_place(make_supplier):
    verified = make_supplier(qpv_status=QpvStatus.VERIFIED, qpv_code="QN09328M", commune_name="Saint-Denis",
                             offers=(cleaning(departments=["93", "95"]),))
    declared = make_supplier(qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M")
    refused = make_supplier(qpv_status=QpvStatus.REJECTED, qpv_code="QN09328M")
    assert (search.to_supplier(verified).qpv_status, search.to_supplier(verified).qpv_code) == (
        "verified", "QN09328M")
    assert search.to_supplier(declared).qpv_status == "declared"
    assert (search.to_supplier(refused).qpv_status, search.to_supplier(refused).qpv_code) == (None, None)
    record = search.to_supplier(verified)
    assert record.commune == "Saint-Denis"
    assert set(record.place_names) == {"Seine-Saint-Denis", "Val-d'Oise"}


def test_tender_input_carries_the_names_of_its_place(make_tender):
    # The communes of 93200 come from the built-in QPV communes when no postcode file is loaded.
    record = search.to_tender(make_tender(department="93", postcode="93200"))
    assert "Seine-Saint-Denis" in record.place_names
    assert "Saint-Denis" in record.place_names


# ---------------------------------------------------------------- reasons through the web app

def load_centroids(*communes):
    db.session.add_all([*communes, RefdataImport(kind="postcodes", filename="laposte.csv", checksum="b" * 64,
                                                 row_count=len(communes))])
    db.session.commit()


def test_a_distant_supplier_is_shown_with_a_distance_caution(make_supplier, make_tender):
    load_centroids(Commune(insee="93066", name="Saint-Denis", department="93", lat=48.93, lon=2.36),
                   Commune(insee="31555", name="Toulouse", department="31", lat=43.60, lon=1.44))
    caterer = make_supplier(department="31", postcode="31000", commune_name="Toulouse", lat=43.60, lon=1.44,
                            offers=({"title": "Traiteur", "description": "Plateaux repas", "keywords": ["traiteur"],
                                     "departments": ["31"]},))
    tender = make_tender(title="Plateaux repas traiteur", department="93")
    (ranked,) = search.shortlist(tender, k=5)
    assert ranked.company.id == caterer.id
    (caution,) = ranked.match.cautions
    assert caution.startswith("n'intervient pas dans le 93 (Toulouse, à ")


def test_shared_words_leave_out_the_place_and_keep_the_accents(make_supplier, make_tender):
    make_supplier(commune_name="Saint-Denis", offers=(
        {"title": "Maçonnerie générale", "description": "Réparation de murs à Saint-Denis", "departments": ["93"]},))
    tender = make_tender(title="Reparation et maconnerie des ecoles de Saint-Denis", department="93")
    reasons = search.shortlist(tender, k=1)[0].match.reasons
    assert "mots en commun : réparation, maçonnerie" in reasons


# ---------------------------------------------------------------- the QPV filter

def test_the_qpv_filter_runs_inside_the_engine(make_supplier, make_tender):
    for _ in range(4):
        make_supplier(qpv_status=QpvStatus.NOT_IN_QPV,
                      offers=(cleaning(keywords=["nettoyage", "vitrerie", "bureaux"]),))
    verified = make_supplier(qpv_status=QpvStatus.VERIFIED, qpv_code="QN09328M",
                             offers=({"title": "Entretien", "description": "nettoyage"},))
    declared = make_supplier(qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M",
                             offers=({"title": "Entretien", "description": "nettoyage"},))
    tender = make_tender(title="Nettoyage de bureaux, vitrerie")
    assert {r.company.id for r in search.shortlist(tender, k=2, qpv="any")} == {verified.id, declared.id}
    assert [r.company.id for r in search.shortlist(tender, k=2, qpv="verified")] == [verified.id]
    assert [r.company.id for r in search.search_suppliers("nettoyage", k=5, qpv="verified")] == [verified.id]
    declared.qpv_status = QpvStatus.VERIFIED
    db.session.commit()
    assert {r.company.id for r in search.search_suppliers("nettoyage", k=5, qpv="verified")} == {
        verified.id, declared.id}


# ---------------------------------------------------------------- one engine shared by request threads

@pytest.fixture
def threaded_app(threaded_app_factory):
    return threaded_app_factory()


def test_readers_see_whole_updates_while_a_writer_commits(threaded_app):
    # Each commit moves the word "nettoyage" between companies: every committed state has exactly 12 cleaners,
    # and so must every search, whatever the engine cache is doing at that moment.
    from stdnum import luhn

    from marketplace.models import Offer, Role, SupplierCompany, User

    def setup():
        owner = User(email="threads@exemple.fr", full_name="Fil", role=Role.SUPPLIER, password_hash="x")
        for i in range(24):
            body = f"{7_000 + i:013d}"
            company = SupplierCompany(owner=owner, name=f"Entreprise {i}", siret=body + luhn.calc_check_digit(body),
                                      department="93")
            company.offers.append(Offer(title="Nettoyage de bureaux" if i < 12 else "Peinture intérieure",
                                        keywords=[]))
            db.session.add(company)
        db.session.commit()

    in_context(threaded_app, setup)
    search.reset_engine_cache()
    stop, counts, errors = threading.Event(), [], []

    def read():
        while not stop.is_set():
            try:
                counts.append(in_context(threaded_app, lambda: len(search.search_suppliers("nettoyage", k=50))))
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported
                errors.append(repr(error))

    def swap(n):  # four cleaners become painters and four painters cleaners, in one transaction
        offers = db.session.scalars(select(Offer).order_by(Offer.id)).all()
        cleaners = [o for o in offers if o.title.startswith("Nettoyage")]
        painters = [o for o in offers if o.title.startswith("Peinture")]
        for i in range(4):
            cleaners[(n + 3 * i) % 12].title = f"Peinture intérieure {n}"
            painters[(n + 3 * i) % 12].title = f"Nettoyage de bureaux {n}"
        db.session.commit()

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    try:
        for n in range(15):
            seen = len(counts) + len(errors)
            in_context(threaded_app, lambda n=n: swap(n))
            for _ in range(10_000):  # let the readers meet the new state before the next commit
                if len(counts) + len(errors) > seen + 2:
                    break
                time.sleep(0.001)
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert errors == []
    assert counts
    assert set(counts) == {12}


def test_the_changes_found_by_one_look_reach_the_engine_as_one_update(make_supplier, monkeypatch):
    # A query arriving between two engine writes of the same look would see a half-applied change: record
    # what such a query would find after every write the cache makes.
    import matching

    seen = []

    class Observed(matching.Engine):
        def update(self, **changes):
            super().update(**changes)
            seen.append(len(self.search("nettoyage", k=50)))
            return self

    monkeypatch.setattr(matching, "Engine", Observed)
    cleaners = [make_supplier(offers=(cleaning(),)) for _ in range(3)]
    painter = make_supplier(offers=({"title": "Peinture intérieure"},))
    assert len(search.search_suppliers("nettoyage")) == 3
    cleaners[0].offers[0].title = "Peinture intérieure"
    cleaners[0].offers[0].keywords = []
    painter.offers[0].title = "Nettoyage de bureaux"
    db.session.commit()
    assert len(search.search_suppliers("nettoyage")) == 3
    assert seen == [3]


def test_an_up_to_date_reader_does_not_wait_for_an_update(threaded_app):
    cache = search.EngineCache()
    fitted = in_context(threaded_app, cache.engine)
    served = []
    with cache._lock:  # another thread is bringing the engine up to date (e.g. a refit after a bulk import)
        reader = threading.Thread(target=lambda: served.append(in_context(threaded_app, cache.engine)))
        reader.start()
        reader.join(timeout=30)
        assert served == [fitted]  # nothing changed since its last look: served without taking the lock
