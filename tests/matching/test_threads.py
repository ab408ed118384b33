"""One writer and several readers share an engine: queries never fail and always see one whole state.

Each query runs on the fitted state it took when it started; ``add``/``remove``/``update`` and the lazy
refit of a small corpus publish a new state in one reference swap, so a reader sees every change of an update
or none of it. The switch interval is shortened to make the threads interleave often.
"""

import sys
import threading
import time

import pytest

from matching import Engine, Supplier, Tender

ROUNDS = 20
READERS = 3


def cleaner(i: int, flavour: str = "") -> Supplier:
    return Supplier(id=f"clean{i}", name=f"Net {i}{flavour}", description=f"Nettoyage de bureaux {flavour}",
                    keywords=("nettoyage",), cpv_codes=("90911200",), departments=("93",))


def painter(i: int) -> Supplier:
    return Supplier(id=f"paint{i}", name=f"Couleurs {i}", description="Peinture intérieure et ravalement",
                    keywords=("peinture",), cpv_codes=("45442100",), departments=("93",))


BASE = [cleaner(i) for i in range(30)] + [painter(i) for i in range(30)]
TOGGLED = Supplier(id="toggled", name="Peintures du Canal", description="Peinture de cages d'escalier",
                   departments=("93",))
TENDER = Tender(id="t", title="Peinture des cages d'escalier", cpv_codes=("45442100",), department="93")


def ranking(matches):
    return [(m.supplier_id, m.score, m.reasons) for m in matches]


@pytest.fixture
def busy_switching():
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


def run_readers(engine, query, stop: threading.Event, results: list, errors: list) -> list[threading.Thread]:
    def read():
        while not stop.is_set():
            try:
                results.append(query(engine))
            except Exception as error:  # noqa: BLE001 - every failure is collected and reported
                errors.append(repr(error))

    threads = [threading.Thread(target=read) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    return threads


def after_next_query(results: list, errors: list, write) -> None:
    """Write, then let the readers answer at least once more (so they meet every state, fresh or stale)."""
    seen = len(results) + len(errors)
    write()
    for _ in range(100_000):
        if len(results) + len(errors) > seen:
            return
        time.sleep(0.0001)


def shortlist(engine):
    return ranking(engine.shortlist(TENDER, k=40))


@pytest.mark.parametrize("refit_below", [2000, 0], ids=["exact-refit", "delta-segment"])
def test_one_writer_and_three_readers_add_and_remove(busy_switching, refit_below):
    # A first add grows the delta segment's vocabulary ("cages", "escalier"): from then on the engine
    # alternates between two states only, which a lone engine computes beforehand.
    engine, alone = (Engine(refit_below=refit_below, merge_every=10**6).fit(BASE).add(TOGGLED).remove(TOGGLED.id)
                     for _ in range(2))
    with_toggled = shortlist(alone.add(TOGGLED))
    without = shortlist(alone.remove(TOGGLED.id))
    assert [sid for sid, _, _ in with_toggled] != [sid for sid, _, _ in without]
    stop, results, errors = threading.Event(), [], []
    readers = run_readers(engine, shortlist, stop, results, errors)
    try:
        for _ in range(ROUNDS):
            after_next_query(results, errors, lambda: engine.add(TOGGLED))
            after_next_query(results, errors, lambda: engine.remove(TOGGLED.id))
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert errors == []
    assert results
    unexpected = [r for r in results if r != without and r != with_toggled]
    assert unexpected == []


@pytest.mark.parametrize("refit_below", [2000, 0], ids=["exact-refit", "delta-segment"])
def test_an_update_is_seen_whole_or_not_at_all(busy_switching, refit_below):
    # Each round replaces two cleaners by new versions of themselves: a reader always finds 30 cleaners,
    # never 28 (removed, not yet added) nor 32.
    engine = Engine(refit_below=refit_below, merge_every=7).fit(BASE)
    stop, results, errors = threading.Event(), [], []

    def cleaners(engine):
        return {m.supplier_id for m in engine.search("nettoyage", k=100)}

    readers = run_readers(engine, cleaners, stop, results, errors)
    try:
        for n in range(ROUNDS):
            pair = (n % 30, (n + 11) % 30)
            after_next_query(results, errors, lambda pair=pair, n=n: engine.update(
                remove=[f"clean{i}" for i in pair], add=[cleaner(i, f"v{n}") for i in pair]))
    finally:
        stop.set()
        for thread in readers:
            thread.join()
    assert errors == []
    assert results
    expected = {f"clean{i}" for i in range(30)}
    assert [r for r in results if r != expected] == []
    assert cleaners(engine) == expected
    last = ROUNDS - 1
    assert engine.search(f"v{last}")[0].supplier_id in {f"clean{last % 30}", f"clean{(last + 11) % 30}"}


def test_a_failed_update_changes_nothing():
    engine = Engine().fit(BASE)
    before = ranking(engine.shortlist(TENDER, k=10))
    with pytest.raises(KeyError, match="nobody"):
        engine.update(add=[TOGGLED], remove=["paint1", "nobody"])
    with pytest.raises(ValueError, match="paint2"):
        engine.update(add=[TOGGLED, painter(2)])
    assert "toggled" not in engine.suppliers_
    assert ranking(engine.shortlist(TENDER, k=10)) == before


def test_a_replacement_in_one_update_keeps_the_id():
    engine = Engine().fit(BASE)
    engine.update(remove=["paint3"], add=[Supplier(id="paint3", name="Zorglub", description="ferronnerie")])
    assert engine.search("ferronnerie")[0].supplier_id == "paint3"
    assert len(engine.suppliers_) == len(BASE)


def test_the_analyzer_stems_correctly_from_several_threads(busy_switching):
    # The Snowball stemmer keeps its work in the instance: shared by threads unguarded, it returns another
    # thread's word or raises IndexError. Each word is new to the cache, so every call really stems.
    analyzer = Engine().fit(BASE).text_model_.analyzer_
    reference = Engine().fit(BASE).text_model_.analyzer_
    words = [f"{stem}{i}{suffix}" for i in range(300) for stem, suffix in
             (("reparation", "s"), ("maconnerie", "s"), ("electricite", "x"), ("informatique", "ment"))]
    expected = {w: reference.stem(w) for w in words}
    errors, wrong = [], []

    def stem(part):
        try:
            wrong.extend(w for w in part if analyzer.stem(w) != expected[w])
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    threads = [threading.Thread(target=stem, args=(words[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert wrong == []
