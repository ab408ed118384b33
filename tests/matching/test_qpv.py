"""The QPV filter runs inside the engine: k QPV suppliers come back whenever k exist, however many others rank
above them; "verified" keeps only verified claims, "any" declared ones too."""

import pickle

import pytest

from matching import Engine, Supplier, Tender

# Thirty suppliers without a QPV claim describe the tender exactly; the QPV ones match it less well.
OTHERS = [Supplier(id=f"big{i:02d}", name=f"Propreté Générale {i}", departments=("93",), cpv_codes=("90911200",),
                   description="Nettoyage de bureaux et vitrerie\nNettoyage de locaux\nVitrerie de bureaux")
          for i in range(30)]
QPV = [Supplier(id=f"qpv{i}", name=f"Net Quartier {i}", description="Entretien et nettoyage", departments=("93",),
                qpv_code="QN09328M", qpv_status="verified" if i % 2 else "declared")
       for i in range(6)]
REJECTED = Supplier(id="claimed", name="Net Refus", description="Nettoyage", qpv_code="QN09328M")
TENDER = Tender(id="t", title="Nettoyage de bureaux et vitrerie", cpv_codes=("90911200",), department="93")


@pytest.fixture(scope="module")
def engine():
    return Engine().fit([*OTHERS, *QPV, REJECTED])


def test_without_filter_the_qpv_suppliers_rank_below_the_others(engine):
    assert not any(m.supplier_id.startswith("qpv") for m in engine.shortlist(TENDER, k=10))


@pytest.mark.parametrize("k", [1, 3, 6])
def test_the_qpv_only_shortlist_returns_k_when_k_qpv_suppliers_exist(engine, k):
    found = [m.supplier_id for m in engine.shortlist(TENDER, k=k, qpv="any")]
    assert len(found) == k
    assert set(found) <= {s.id for s in QPV}


def test_verified_only_keeps_verified_claims(engine):
    found = {m.supplier_id for m in engine.shortlist(TENDER, k=10, qpv="verified")}
    assert found == {s.id for s in QPV if s.qpv_status == "verified"}
    assert {m.supplier_id for m in engine.search("nettoyage", k=10, qpv="verified")} == found


def test_search_filters_too(engine):
    found = [m.supplier_id for m in engine.search("nettoyage vitrerie", k=4, qpv="any")]
    assert len(found) == 4
    assert all(sid.startswith("qpv") for sid in found)
    assert {m.supplier_id for m in engine.search("nettoyage", k=50, qpv="any")} == {s.id for s in QPV}


def test_a_code_without_a_status_is_not_a_qpv_claim(engine):
    assert "claimed" not in {m.supplier_id for m in engine.search("nettoyage", k=50, qpv="any")}
    assert "claimed" in {m.supplier_id for m in engine.search("nettoyage", k=50)}


def test_no_filter_ranks_as_before(engine):
    assert engine.shortlist(TENDER, k=10, qpv=None) == engine.shortlist(TENDER, k=10)


@pytest.mark.parametrize("refit_below", [2000, 0], ids=["exact-refit", "delta-segment"])
def test_status_changes_reach_the_filter(refit_below):
    engine = Engine(refit_below=refit_below).fit([*OTHERS, *QPV])
    newcomer = Supplier(id="new", name="Net Neuf", description="Nettoyage", qpv_status="declared")
    engine.add(newcomer)
    assert "new" in {m.supplier_id for m in engine.search("nettoyage", k=50, qpv="any")}
    assert "new" not in {m.supplier_id for m in engine.search("nettoyage", k=50, qpv="verified")}
    engine.update(remove=["new"], add=[Supplier(id="new", name="Net Neuf", description="Nettoyage",
                                                qpv_status="verified")])
    assert "new" in {m.supplier_id for m in engine.search("nettoyage", k=50, qpv="verified")}
    assert pickle.loads(pickle.dumps(engine)).search("nettoyage", k=50, qpv="verified") == engine.search(
        "nettoyage", k=50, qpv="verified")


def test_the_status_is_kept_on_the_record():
    record = Supplier(id="s", name="x", qpv_code="QN09328M", qpv_status="verified")
    assert (record.qpv_code, record.qpv_status) == ("QN09328M", "verified")
    assert Supplier(id="s", name="x").qpv_status is None
