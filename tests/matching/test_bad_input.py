"""Bad input: clear errors where the caller is wrong, empty results or ignored values otherwise."""

import pickle

import pytest

from matching import Engine, NotFittedError, Supplier, Tender
from matching.cpv import parse_cpv


def test_query_before_fit():
    with pytest.raises(NotFittedError, match="not fitted"):
        Engine().search("nettoyage")
    with pytest.raises(NotFittedError, match="fit"):
        Engine().shortlist(Tender(id="t", title="x"))


def test_duplicate_ids_named():
    dup = [Supplier(id="a", name="x"), Supplier(id="a", name="y")]
    with pytest.raises(ValueError, match="'a'"):
        Engine().fit(dup)
    engine = Engine().fit(dup[:1])
    with pytest.raises(ValueError, match="'a'"):
        engine.add(dup[1])
    with pytest.raises(KeyError, match="zz"):
        engine.remove("zz")


def test_empty_corpus():
    engine = Engine().fit([])
    assert engine.search("nettoyage") == []
    assert engine.shortlist(Tender(id="t", title="nettoyage", cpv_codes=("90911200",))) == []


@pytest.mark.parametrize("query", ["", "   ", "le la les de des et", "!!!", "2019 12"])
def test_empty_or_stop_word_queries(suppliers, query):
    engine = Engine().fit(suppliers)
    assert engine.search(query) == []
    assert engine.shortlist(Tender(id="t", title=query)) == []


def test_weird_text_does_not_crash(suppliers):
    huge = "nettoyage 🧽🧼 清洁 تنظيف уборка " + "x" * 100_000 + " " + "mot " * 20_000
    odd = Supplier(id="odd", name="🧽", description=huge, cpv_codes=("nope", "9091", "90911200-8"),
                   departments=("999999", "93"), lat=float("nan"), headcount=None)
    engine = Engine().fit([*suppliers, odd])
    assert engine.search("🧽 清洁 уборка")  # non-Latin words are tokens too
    results = engine.shortlist(Tender(id="t", title=huge, cpv_codes=("bad-code", "90911200"), department="zz"))
    assert results
    assert any("code CPV mal formé ignoré : bad-code" in r for r in results[0].reasons)
    odd_match = next(m for m in engine.search("nettoyage", k=20) if m.supplier_id == "odd")
    assert any("mal formé" in r for r in odd_match.reasons)


@pytest.mark.parametrize(("raw", "parsed"), [
    ("45261000", "45261000"), ("45261000-4", "45261000"), (" 45261000-4 ", "45261000"),
    ("4526100", None), ("45261000-44", None), ("abc", None), ("", None), (None, None), (45261000, None),
])
def test_cpv_parsing(raw, parsed):
    assert parse_cpv(raw) == parsed


def test_engine_pickles(suppliers):
    engine = Engine().fit(suppliers)
    clone = pickle.loads(pickle.dumps(engine))
    assert [m.supplier_id for m in clone.search("nettoyage")] == [m.supplier_id for m in engine.search("nettoyage")]
