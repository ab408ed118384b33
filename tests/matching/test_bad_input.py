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


# ---------------------------------------------------------------- parameters: checked in fit, named in the error

BAD_PARAMETERS = [
    # (parameter, value, exception)
    ("n_candidates", 0, ValueError),
    ("n_candidates", 2.5, TypeError),
    ("n_candidates", True, TypeError),
    ("cpv_level_scores", (0, 1), ValueError),
    ("cpv_level_scores", (0.0, 0.0, 0.5, 0.7, 0.85, 0.9, 0.95, 0.97, 1.5), ValueError),
    ("cpv_level_scores", "0.5", TypeError),
    ("cpv_level_scores", (0.0, 0.0, 0.5, 0.7, 0.85, 0.9, 0.95, 0.97, "1"), TypeError),
    ("char_weight", "high", TypeError),
    ("char_weight", -0.1, ValueError),
    ("word_weight", float("nan"), ValueError),
    ("geo_weight", -1, ValueError),
    ("bm25_weight", float("inf"), ValueError),
    ("trade_level", 9, ValueError),
    ("trade_level", 4.0, TypeError),
    ("bm25_k1", -1, ValueError),
    ("bm25_b", 1.5, ValueError),
    ("char_ngram_range", (4, 3), ValueError),
    ("char_ngram_range", (0, 3), ValueError),
    ("char_ngram_range", 3, TypeError),
    ("fuzzy_cutoff", 101, ValueError),
    ("typo_cutoff", -5, ValueError),
    ("distance_scale_km", 0, ValueError),
    ("refit_below", -1, ValueError),
    ("merge_every", 0, ValueError),
    ("department_coords", [("75", (48.86, 2.34))], TypeError),
    ("cpv_labels", 42, TypeError),
]


@pytest.mark.parametrize(("name", "value", "error"), BAD_PARAMETERS,
                         ids=[f"{name}={value!r}" for name, value, _ in BAD_PARAMETERS])
def test_bad_parameters_are_refused_by_fit_with_their_name(suppliers, name, value, error):
    engine = Engine(**{name: value})
    assert getattr(engine, name) is value  # __init__ only stores (scikit-learn's contract)
    with pytest.raises(error, match=name):
        engine.fit(suppliers)


def test_all_weights_zero_is_refused(suppliers):
    zero = {f"{c}_weight": 0.0 for c in ("word", "char", "bm25", "fuzzy", "trade", "cpv", "geo", "capacity",
                                         "experience")}
    with pytest.raises(ValueError, match="weight"):
        Engine(**zero).fit(suppliers)


def test_good_parameters_stay_stored_as_given(suppliers):
    levels = [0, 0, 0.5, 0.7, 0.85, 0.9, 0.95, 0.97, 1]
    engine = Engine(char_weight=1, cpv_level_scores=levels, char_ngram_range=[3, 4], n_candidates=10**9,
                    geo_weight=None).fit(suppliers)
    assert engine.char_weight == 1
    assert isinstance(engine.char_weight, int)
    assert engine.cpv_level_scores is levels
    assert engine.char_ngram_range == [3, 4]
    assert engine.geo_weight is None
    assert engine.search("nettoyage")


def test_parameters_changed_after_fit_take_effect_at_the_next_fit(suppliers):
    engine = Engine().fit(suppliers)
    engine.n_candidates = 0  # not validated until fit: the fitted engine keeps answering with what it was fit with
    assert engine.search("nettoyage")
    with pytest.raises(ValueError, match="n_candidates"):
        engine.fit(suppliers)


@pytest.mark.parametrize(("k", "error"), [(2.5, TypeError), ("3", TypeError), (None, TypeError), (True, TypeError),
                                          (-1, ValueError)])
def test_bad_k_is_refused_at_the_call(suppliers, k, error):
    engine = Engine().fit(suppliers)
    with pytest.raises(error, match="k"):
        engine.search("nettoyage", k=k)
    with pytest.raises(error, match="k"):
        engine.shortlist(Tender(id="t", title="nettoyage"), k=k)


def test_k_zero_and_numpy_integers_are_accepted(suppliers):
    import numpy as np

    engine = Engine().fit(suppliers)
    assert engine.search("nettoyage", k=0) == []
    assert len(engine.search("nettoyage", k=np.int64(1))) == 1


@pytest.mark.parametrize("qpv", ["oui", "declared", True, 1])
def test_bad_qpv_filter_is_refused(suppliers, qpv):
    engine = Engine().fit(suppliers)
    with pytest.raises(ValueError, match="qpv"):
        engine.search("nettoyage", qpv=qpv)
    with pytest.raises(ValueError, match="qpv"):
        engine.shortlist(Tender(id="t", title="nettoyage"), qpv=qpv)


def test_bad_supplier_qpv_status_is_refused():
    with pytest.raises(ValueError, match="qpv_status"):
        Supplier(id="s", name="x", qpv_status="oui")
