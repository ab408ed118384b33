"""The ``bm25`` signal: Okapi BM25 over word stems, scaled to [0, 1] by the query's best possible score."""

import numpy as np

from matching import Engine, Supplier, Tender

CORPUS = (
    Supplier(id="short", name="A", description="Élagage des arbres"),
    Supplier(id="long", name="B", description="Élagage des arbres\n" + "\n".join(
        f"Fourniture de mobilier scolaire lot {i}" for i in range(12))),
    Supplier(id="other", name="C", description="Nettoyage de bureaux et vitrerie"),
)


def test_bm25_prefers_the_focused_document_and_stays_in_unit_interval():
    matches = Engine().fit(CORPUS).shortlist(Tender(id="t", title="élagage d'arbres"), k=3)
    bm25 = {m.supplier_id: m.components["bm25"] for m in matches}
    assert bm25["short"] > bm25["long"] > 0.0
    assert all(0.0 <= v <= 1.0 for v in bm25.values())
    assert bm25.get("other", 0.0) == 0.0


def test_bm25_weight_zero_leaves_the_previous_ranking():
    engine = Engine(bm25_weight=0.0).fit(CORPUS)
    matches = engine.shortlist(Tender(id="t", title="élagage d'arbres"), k=3)
    assert [m.supplier_id for m in matches][:2] == ["short", "long"]


def test_added_supplier_scores_bm25_in_delta_mode():
    engine = Engine(refit_below=0).fit(CORPUS)
    engine.add(Supplier(id="new", name="D", description="Débroussaillage et élagage"))
    matches = engine.search("débroussaillage", k=3)
    assert matches
    assert matches[0].supplier_id == "new"
    assert 0.0 < matches[0].components["bm25"] <= 1.0
    assert np.isfinite(matches[0].score)
