"""Engine.score: one supplier against one tender (reverse matching), the same answer as its shortlist line."""

import pickle
import threading
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Engine, Lot, NotFittedError, Supplier, Tender

from .conftest import SUPPLIERS

TENDERS = (
    Tender(id="clean", title="Nettoyage de bureaux et vitrerie", cpv_codes=("90911200",), department="93",
           budget_eur=80_000),
    Tender(id="food", title="Buffets et cocktails pour les vœux du maire", cpv_codes=("15812000",),
           department="93"),
    Tender(id="works", title="Réhabilitation d'une école", department="93", cpv_codes=("45000000",),
           lots=(Lot(id="l1", title="Peinture intérieure", cpv_codes=("45442100",)),
                 Lot(id="l2", title="Plomberie et chauffage", cpv_codes=("45330000",)))),
    Tender(id="labels", title="Nettoyage des locaux", cpv_codes=("90911200",), required_labels=("ESS",)),
)


@pytest.fixture(scope="module")
def engine():
    return Engine(experience_weight=0.0).fit(SUPPLIERS)


CASES = [(tender, None) for tender in TENDERS] + [(TENDERS[2], lot.id) for lot in TENDERS[2].lots]


@pytest.mark.parametrize(("tender", "lot"), CASES, ids=lambda x: getattr(x, "id", x))
def test_score_is_the_suppliers_line_of_the_shortlist(engine, tender, lot):
    shortlist = {m.supplier_id: m for m in engine.shortlist(tender, k=len(SUPPLIERS), lot=lot)}
    for supplier in SUPPLIERS:
        assert engine.score(tender, supplier.id, lot=lot) == shortlist.get(supplier.id)


def test_a_lot_fits_its_trade_better_than_the_other_lot(engine):
    painter = engine.score(TENDERS[2], "paint", lot="l1")
    elsewhere = engine.score(TENDERS[2], "paint", lot="l2")
    assert painter is not None
    assert elsewhere is None or elsewhere.score < painter.score


def test_reverse_ranking_puts_the_suppliers_trade_first(engine):
    """For each trade, the tender of that trade scores highest for the supplier (reverse matching)."""
    for supplier_id, expected in (("clean93", "clean"), ("pastry", "food"), ("plumb", "works")):
        scores = {t.id: (m.score if (m := engine.score(t, supplier_id)) else 0.0) for t in TENDERS[:3]}
        assert max(scores, key=scores.get) == expected, scores


def test_reasons_are_in_french(engine):
    match = engine.score(TENDERS[0], "clean93")
    assert match is not None
    texts = " ".join(reason.text for reason in match.explanations)
    assert "mots en commun" in texts
    assert "nettoyage" in texts


def test_unknown_removed_or_label_less_suppliers_have_no_score(engine):
    assert engine.score(TENDERS[0], "nobody") is None
    assert engine.score(TENDERS[3], "clean93") is None  # the tender requires the ESS label
    smaller = Engine().fit(SUPPLIERS).remove("clean93")
    assert smaller.score(TENDERS[0], "clean93") is None
    added = smaller.add(Supplier(id="new", name="Net Neuf", description="Nettoyage de bureaux",
                                 cpv_codes=("90911200",)))
    assert added.score(TENDERS[0], "new") is not None


def test_bad_input():
    with pytest.raises(NotFittedError):
        Engine().score(TENDERS[0], "clean93")
    fitted = Engine().fit(SUPPLIERS)
    with pytest.raises(TypeError):
        fitted.score("Nettoyage", "clean93")
    with pytest.raises(ValueError, match="no lot"):
        fitted.score(TENDERS[0], "clean93", lot="nope")


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=60), st.sampled_from([s.id for s in SUPPLIERS]))
def test_scores_are_in_unit_interval_and_deterministic(text, supplier_id):
    engine = _shared_engine()
    tender = Tender(id="h", title=text or "x", department="93")
    first, second = engine.score(tender, supplier_id), engine.score(tender, supplier_id)
    assert first == second
    assert first is None or 0.0 <= first.score <= 1.0


_ENGINE: list[Engine] = []


def _shared_engine() -> Engine:
    if not _ENGINE:
        _ENGINE.append(Engine().fit(SUPPLIERS))
    return _ENGINE[0]


# ---------------------------------------------------------------------- score_many: the batch of score()

MORE = (
    Tender(id="typo", title="Netoyage des vitres de la médiathèque zygomorphe", cpv_codes=("90911300",),
           department="75", lat=48.85, lon=2.35, budget_eur=30_000),
    Tender(id="codes-only", title="!!!", cpv_codes=("45442100",)),  # no word: no character vector either
    Tender(id="empty", title=""),
)
ALL_PAIRS = [(t, None) for t in TENDERS + MORE] + [(TENDERS[2], lot.id) for lot in TENDERS[2].lots]


def _best(matches_by_lot):
    """(score, lot) of the best of a tender's matches, as the Opportunités page picks it."""
    scored = [(m.score, lot) for lot, m in matches_by_lot.items() if m is not None]
    return max(scored, key=lambda x: (x[0], x[1] is None), default=None)


@pytest.mark.parametrize("supplier_id", [s.id for s in SUPPLIERS] + ["nobody"])
def test_score_many_is_score_for_every_tender_and_lot(engine, supplier_id):
    many = engine.score_many(ALL_PAIRS, supplier_id)
    assert many == [engine.score(tender, supplier_id, lot=lot) for tender, lot in ALL_PAIRS]
    for tender, lot in ALL_PAIRS:  # and the supplier's line in a shortlist built without any cache
        fresh = Engine(experience_weight=0.0).fit(SUPPLIERS)
        line = {m.supplier_id: m for m in fresh.shortlist(tender, k=len(SUPPLIERS), lot=lot)}.get(supplier_id)
        assert many[ALL_PAIRS.index((tender, lot))] == line
    works = {lot: m for (tender, lot), m in zip(ALL_PAIRS, many, strict=True) if tender.id == "works"}
    single = {lot: engine.score(TENDERS[2], supplier_id, lot=lot) for lot in (None, "l1", "l2")}
    assert _best(works) == _best(single)


def test_reasons_only_where_asked(engine):
    with_reasons = engine.score_many(ALL_PAIRS, "clean93")
    without = engine.score_many(ALL_PAIRS, "clean93", reasons=False)
    assert any(m is not None for m in without)
    for full, bare in zip(with_reasons, without, strict=True):
        assert (full is None) == (bare is None)
        if full is not None:
            assert (bare.score, bare.components, bare.explanations) == (full.score, full.components, ())
            assert full.explanations


def test_score_many_bad_input(engine):
    assert engine.score_many([], "clean93") == []
    assert engine.score_many(ALL_PAIRS, "nobody") == [None] * len(ALL_PAIRS)
    with pytest.raises(TypeError):
        engine.score_many([TENDERS[0]], "clean93")
    with pytest.raises(TypeError):
        engine.score_many([("Nettoyage", None)], "clean93")
    with pytest.raises(ValueError, match="no lot"):
        engine.score_many([(TENDERS[0], None), (TENDERS[2], "nope")], "clean93")
    with pytest.raises(NotFittedError):
        Engine().score_many(ALL_PAIRS, "clean93")


def _large(**params) -> Engine:
    # refit_below=0: updates go to the delta segment with the frozen IDF (the path of large corpora).
    return Engine(refit_below=0, experience_weight=0.0, **params).fit(SUPPLIERS)


def test_queries_built_for_one_supplier_serve_the_others_and_follow_new_words():
    engine = _large()
    engine.score_many(ALL_PAIRS, "clean93")  # builds and keeps the tenders' queries
    # A supplier whose words are all known: the kept queries still give every shortlist line.
    engine.update(remove=["clean13"], add=[replace(SUPPLIERS[1], description="Nettoyage de bureaux")])
    # A supplier bringing a word a tender has ("zygomorphe", unknown until now): that query is built again.
    engine.add(Supplier(id="zygo", name="Zygo Net", description="Nettoyage zygomorphe des vitres",
                        cpv_codes=("90911300",), departments=("75",)))
    for supplier_id in ("clean93", "clean13", "zygo"):
        many = engine.score_many(ALL_PAIRS, supplier_id)
        for (tender, lot), match in zip(ALL_PAIRS, many, strict=True):
            line = {m.supplier_id: m for m in engine.shortlist(tender, k=20, lot=lot)}.get(supplier_id)
            assert match == line, (supplier_id, tender.id, lot)
    zygo = engine.score_many([(MORE[0], None)], "zygo")[0]
    assert zygo is not None
    assert "zygomorphe" in " ".join(zygo.reasons)


def test_score_many_sees_an_update_whole_under_threads():
    engine = _large()
    before = engine.score_many(ALL_PAIRS, "paint")
    changed = replace(SUPPLIERS[3], description="Nettoyage de bureaux et vitrerie", cpv_codes=("90911200",),
                      departments=("93",))
    other = _large()
    other.update(remove=["paint"], add=[changed])
    after = other.score_many(ALL_PAIRS, "paint")
    assert before != after
    seen, errors = [], []

    def read():
        try:
            for _ in range(20):
                seen.append(engine.score_many(ALL_PAIRS, "paint"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    engine.update(remove=["paint"], add=[changed])
    for thread in threads:
        thread.join()
    assert not errors
    assert all(answer in (before, after) for answer in seen)  # one state per call, never a mix
    assert engine.score_many(ALL_PAIRS, "paint") == after


def test_an_engine_pickles_after_score_many(engine):
    engine.score_many(ALL_PAIRS, "clean93")
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.score_many(ALL_PAIRS, "clean93") == engine.score_many(ALL_PAIRS, "clean93")
