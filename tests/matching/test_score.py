"""Engine.score: one supplier against one tender (reverse matching), the same answer as its shortlist line."""

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
