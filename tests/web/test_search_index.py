"""The saved engine index: built off the request path, loaded by workers, swapped whole, kept fresh."""

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace import search, search_index
from marketplace.extensions import db
from marketplace.models import Job, Offer
from tests.web.conftest import in_context

pytestmark = pytest.mark.usefixtures("fresh_engine")


def cleaning(title="Nettoyage de bureaux"):
    return {"title": title, "description": "Entretien quotidien, vitrerie", "cpv_codes": ["90910000-9"],
            "keywords": ["nettoyage"], "departments": ["93"]}


def painting():
    return {"title": "Peinture intérieure", "description": "Ravalement", "cpv_codes": ["45442100-8"],
            "keywords": ["peinture"], "departments": ["93"]}


@pytest.fixture
def app(app_factory, tmp_path):
    """The app of these tests saves its index (the default test config does not)."""
    app = app_factory(SEARCH_INDEX_DIR=str(tmp_path / "index"))
    with app.app_context():
        yield app


@pytest.fixture
def make_company(app, make_user):
    from tests.conftest import _siret  # noqa: PLC0415  (the shared SIRET sequence)

    def make(*offers, name="Entreprise"):
        from marketplace.models import SupplierCompany

        company = SupplierCompany(owner=make_user(), name=name, siret=_siret(next(_numbers)), department="93")
        company.offers = [Offer(**o) for o in offers]
        db.session.add(company)
        db.session.commit()
        return company

    return make


_numbers = iter(range(800_000, 900_000))


def no_fit(cache):
    def refuse():
        raise AssertionError("the request fitted an engine although an index is saved")

    cache._fit = refuse
    return cache


def ranking(engine, text="nettoyage", k=20):
    return [(m.supplier_id, round(m.score, 6)) for m in engine.search(text, k=k)]


def test_build_save_load_gives_the_same_rankings(make_company, app):
    for i in range(6):
        make_company(cleaning(f"Nettoyage de bureaux {i}") if i % 2 else painting(), name=f"Société {i}")
    result = app.test_cli_runner().invoke(args=["search", "build"])
    assert result.exit_code == 0, result.output
    assert "6 fournisseurs" in result.output
    saved = search_index.current(search_index.index_dir())
    assert saved.build.companies == 6
    loaded = search_index.load(saved)
    fitted = search.new_engine().fit(search.to_supplier(c) for c in search._load_companies())
    for text in ("nettoyage", "peinture", "netoyage bureaux", "ravalement"):
        assert ranking(loaded, text) == ranking(fitted, text)
        assert ranking(loaded, text)
    # The big arrays are mapped from the file, read-only: shared by every process through the page cache.
    assert not loaded.main_.char.data.flags.writeable
    assert not loaded.main_.char.data.flags.owndata


def test_a_worker_loads_the_saved_index_instead_of_fitting(make_company):
    company = make_company(cleaning())
    search.build_index()
    engine = no_fit(search.EngineCache()).engine()
    assert [m.supplier_id for m in engine.search("nettoyage")] == [str(company.id)]
    assert not engine.main_.word.data.flags.writeable  # mapped from the file, not a private copy


def test_an_edit_reaches_the_next_query_on_a_loaded_index(make_company):
    cleaner = make_company(cleaning())
    search.build_index()
    cache = no_fit(search.EngineCache())
    cache.engine()
    cleaner.offers[0].title, cleaner.offers[0].keywords = "Traiteur bio", ["traiteur"]
    painter = make_company(painting())
    db.session.commit()
    engine = cache.engine()
    assert [m.supplier_id for m in engine.search("traiteur")] == [str(cleaner.id)]
    assert [m.supplier_id for m in engine.search("peinture")] == [str(painter.id)]
    assert engine.search("nettoyage") == []


def test_a_newer_build_is_swapped_in_and_an_older_one_is_not(make_company):
    make_company(cleaning())
    search.build_index()
    cache = no_fit(search.EngineCache())
    first = cache.engine()
    assert cache.engine() is first  # nothing new: the same engine
    make_company(painting())
    search.build_index()
    second = cache.engine()
    assert second is not first
    assert len(second.suppliers_) == 2
    # An index fitted on an older state than the engine in memory is never loaded over it.
    directory = search_index.index_dir()
    stale = search_index.Build(revision=0, companies=1, reference=search.corpus_fingerprint().reference)
    search_index.save(first, stale, directory)
    assert cache.engine() is second


def test_without_a_saved_index_the_first_query_fits_and_saves_it(make_company):
    company = make_company(cleaning())
    engine = search.EngineCache().engine()
    assert [m.supplier_id for m in engine.search("nettoyage")] == [str(company.id)]
    saved = search_index.current(search_index.index_dir())
    assert saved is not None
    assert saved.build.companies == 1
    # The next worker loads what the first one saved.
    assert no_fit(search.EngineCache()).engine().search("nettoyage")[0].supplier_id == str(company.id)


def test_a_bulk_change_is_applied_at_once_and_queues_a_build(make_company):
    make_company(cleaning())
    search.build_index()
    cache = no_fit(search.EngineCache(refit_share=0.0, refit_min=2))
    cache.engine()
    added = [make_company(painting(), name=f"Peintre {i}") for i in range(4)]
    engine = cache.engine()  # applied without a refit, although a refit is due
    assert {m.supplier_id for m in engine.search("peinture")} == {str(c.id) for c in added}
    for thread in search._queued_threads:
        thread.join(timeout=60)
    job = db.session.scalars(select(Job).where(Job.kind == search.BUILD_JOB)).one()
    assert job.status.value == "done", job.error
    assert search_index.current(search_index.index_dir()).build.companies == 5
    swapped = cache.engine()
    assert swapped is not engine
    assert len(swapped.suppliers_) == 5


def test_an_unreadable_index_is_ignored(make_company):
    company = make_company(cleaning())
    search.build_index()
    directory = search_index.index_dir()
    saved = search_index.current(directory)
    saved.path.write_bytes(b"not an index")
    engine = search.EngineCache().engine()  # fitted, as if there were no index
    assert engine.search("nettoyage")[0].supplier_id == str(company.id)
    (directory / search_index.POINTER).write_text("{broken")
    assert search_index.current(directory) is None
    assert search.EngineCache().engine().search("nettoyage")[0].supplier_id == str(company.id)


def test_each_database_has_its_own_index_directory(tmp_path):
    from marketplace import create_app
    from marketplace.config import TestingConfig

    directories = set()
    for name in ("a", "b", "a"):
        config = TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / name}.db"
        config.SEARCH_INDEX_DIR = str(tmp_path / "index")
        with create_app(config).app_context():
            directories.add(search_index.index_dir())
            db.engine.dispose()
    assert len(directories) == 2


def test_the_build_command_needs_a_directory(app_factory):
    result = app_factory(SEARCH_INDEX_DIR="").test_cli_runner().invoke(args=["search", "build"])
    assert result.exit_code != 0
    assert "SEARCH_INDEX_DIR" in result.output


def test_old_index_files_are_removed(make_company):
    make_company(cleaning())
    for _ in range(5):
        search.build_index()
    assert len(list(search_index.index_dir().glob("index-*.bin"))) == search_index.KEPT


# ------------------------------------------------------------- swapping under concurrent readers

def while_reading(read, readers: int, write, stop: threading.Event) -> None:
    """Run ``write()`` while ``readers`` threads run ``read()`` (until ``stop`` is set, which this does)."""
    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    try:
        write()
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def test_threads_always_read_a_whole_index_while_builds_are_saved(make_company):
    # Every build has exactly 3 cleaners: a reader that loaded half of one, or mixed two, would see another count.
    cleaners = [make_company(cleaning(), name=f"Nettoyeur {i}") for i in range(3)]
    for i in range(3):
        make_company(painting(), name=f"Peintre {i}")
    search.build_index()
    directory = search_index.index_dir()
    stop, counts, errors = threading.Event(), [], []

    def read():
        while not stop.is_set():
            try:
                engine, _saved = search_index.load_current(directory)
                counts.append(len(engine.search("nettoyage", k=50)))
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported
                errors.append(repr(error))

    def write():
        for n in range(6):
            cleaners[n % 3].offers[0].title = f"Nettoyage de bureaux {n}"  # a new revision, same count
            db.session.commit()
            search.build_index()

    while_reading(read, 2, write, stop)
    assert errors == []
    assert counts
    assert set(counts) == {3}


READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from marketplace import search_index

    directory, wanted = Path(sys.argv[1]), int(sys.argv[2])
    counts, builds, deadline = [], set(), time.monotonic() + 120
    while len(builds) < wanted and time.monotonic() < deadline:  # until it has read several builds
        engine, saved = search_index.load_current(directory)
        builds.add(saved.path.name)
        counts.append(len(engine.search("nettoyage", k=50)))
    print(json.dumps({"counts": sorted(set(counts)), "loads": len(counts), "builds": len(builds)}))
""")


def test_processes_always_read_a_whole_index_while_builds_are_saved(make_company, tmp_path):
    cleaners = [make_company(cleaning(), name=f"Nettoyeur {i}") for i in range(3)]
    make_company(painting())
    search.build_index()
    directory = search_index.index_dir()
    script = tmp_path / "reader.py"
    script.write_text(READER)
    root = Path(__file__).resolve().parents[2]
    readers = [subprocess.Popen([sys.executable, str(script), str(directory), "3"], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}) for _ in range(2)]
    try:
        n = 0
        while any(r.poll() is None for r in readers) and n < 500:
            cleaners[n % 3].offers[0].title = f"Nettoyage de bureaux {n}"
            db.session.commit()
            search.build_index()
            n += 1
    finally:
        outputs = [r.communicate(timeout=120) for r in readers]
    for (out, err), reader in zip(outputs, readers, strict=True):
        assert reader.returncode == 0, err
        result = json.loads(out)
        assert result["counts"] == [3]
        assert result["builds"] > 1  # it read several of the builds
    assert n > 1  # several builds were saved while the readers read


@pytest.fixture
def threaded_site(threaded_app_factory, tmp_path):
    return threaded_app_factory(SEARCH_INDEX_DIR=str(tmp_path / "index"))


def test_requests_see_whole_engines_while_new_indexes_are_swapped_in(threaded_site):
    # The web path: EngineCache.published() loading each new save while three threads search. Every committed
    # state and every build has exactly 3 cleaners.
    from stdnum import luhn

    from marketplace.models import Role, SupplierCompany, User

    def setup():
        owner = User(email="swap@exemple.fr", full_name="Fil", role=Role.SUPPLIER, password_hash="x")
        for i in range(6):
            body = f"{8_100 + i:013d}"
            company = SupplierCompany(owner=owner, name=f"Entreprise {i}", siret=body + luhn.calc_check_digit(body),
                                      department="93")
            company.offers.append(Offer(**(cleaning(f"Nettoyage {i}") if i < 3 else painting())))
            db.session.add(company)
        db.session.commit()
        search.build_index()

    in_context(threaded_site, setup)
    stop, counts, engines, errors = threading.Event(), [], set(), []

    def read():
        while not stop.is_set():
            try:
                counts.append(in_context(threaded_site, lambda: len(search.search_suppliers("nettoyage", k=50))))
                engines.add(id(search._cache._published.engine))
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported
                errors.append(repr(error))

    def rebuild(n):
        company = db.session.scalars(select(Offer).where(Offer.title.startswith("Nettoyage"))).first()
        company.title = f"Nettoyage de bureaux {n}"  # a new revision, still 3 cleaners
        db.session.commit()
        search.build_index()

    def write():
        for n in range(6):
            seen = len(counts)
            in_context(threaded_site, lambda n=n: rebuild(n))
            for _ in range(5_000):  # let the readers meet the new index before the next one
                if len(counts) > seen + 3:
                    break
                stop.wait(0.002)

    while_reading(read, 3, write, stop)
    assert errors == []
    assert counts
    assert set(counts) == {3}
    assert len(engines) > 2  # the readers were served by several swapped-in indexes
