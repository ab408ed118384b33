"""Golden ranking cases as data: typos, accents, stemming, CPV hierarchy, geography, capacity, labels."""

import pytest

from matching import Engine, Lot, Tender


@pytest.fixture(scope="module")
def engine(suppliers):
    return Engine().fit(suppliers)


SEARCH_CASES = [
    # (case, query, expected best supplier)
    ("typo", "netoyage vitres", "clean93"),
    ("typo in keyword", "pâtisier", "pastry"),
    ("accents dropped", "patissier traiteur", "pastry"),
    ("accents added", "élagâge", "garden"),
    ("upper case", "PLOMBERIE", "plumb"),
    ("stemming plural", "peintures", "paint"),
    ("stemming verb form", "imprimer des affiches", "print"),
    ("word prefix", "informat", "it"),
]


@pytest.mark.parametrize(("case", "query", "expected"), SEARCH_CASES, ids=[c[0] for c in SEARCH_CASES])
def test_search_golden(engine, case, query, expected):
    results = engine.search(query, k=3)
    assert results, case
    assert results[0].supplier_id == expected


TENDER_CASES = [
    # (case, tender, expected best supplier, a reason expected on it)
    ("department breaks a text tie",
     Tender(id="t1", title="nettoyage de locaux", department="13"), "clean13", "département 13"),
    ("department from postcode",
     Tender(id="t2", title="nettoyage", postcode="93200"), "clean93", "département 93"),
    ("CPV category without any text",
     Tender(id="t3", title="", cpv_codes=("90911000-6",)), "clean93", "catégorie 90911"),
    ("CPV class without any text",
     Tender(id="t3b", title="", cpv_codes=("90919000",)), "clean13", "catégorie 90919"),
    ("CPV exact code wins over division",
     Tender(id="t4", title="", cpv_codes=("45330000",)), "plumb", "même code CPV"),
    ("CPV division only",
     Tender(id="t4b", title="", cpv_codes=("15000000",)), "pastry", "division 15"),
    ("distance when no department",
     Tender(id="t5", title="nettoyage", lat=43.29, lon=5.38), "clean13", "km du lieu"),
    ("capacity: big budget goes to the large supplier",
     Tender(id="t6", title="nettoyage de locaux", budget_eur=5_000_000), "clean13", ""),
]


@pytest.mark.parametrize(("case", "tender", "expected", "reason"), TENDER_CASES, ids=[c[0] for c in TENDER_CASES])
def test_shortlist_golden(engine, case, tender, expected, reason):
    results = engine.shortlist(tender, k=3)
    assert results[0].supplier_id == expected, case
    assert any(reason in r for r in results[0].reasons), results[0].reasons


def test_small_supplier_not_penalised_on_small_tender(engine):
    small = engine.shortlist(Tender(id="t", title="peinture", budget_eur=20_000), k=1)[0]
    assert small.supplier_id == "paint"
    assert small.components["capacity"] == 1.0


LABEL_CASES = [
    # (required labels, exactly the suppliers returned: the text matches both, the labels decide)
    (("Entreprise QPV",), {"clean93", "pastry"}),
    (("entreprise qpv", "ESS"), {"pastry"}),
    (("inexistant",), set()),
]


@pytest.mark.parametrize(("labels", "expected"), LABEL_CASES)
def test_required_labels_are_hard_filters(engine, labels, expected):
    tender = Tender(id="t", title="nettoyage pâtissier traiteur vitrerie", required_labels=labels)
    assert {m.supplier_id for m in engine.shortlist(tender, k=10)} == expected
    assert {m.supplier_id for m in engine.search("nettoyage pâtissier", labels=labels)} == expected
    # Without the labels, the same text finds more suppliers: the filter, not the text, left them out.
    assert {m.supplier_id for m in engine.shortlist(Tender(id="t", title=tender.title), k=10)} > expected


@pytest.mark.parametrize(("kwargs", "allowed"), [
    ({"departments": ("93",)}, {"clean93", "pastry", "plumb", "it"}),
    ({"cpv_prefixes": ("909",)}, {"clean93", "clean13"}),
    ({"cpv_prefixes": ("90911200-8",)}, {"clean93"}),
])
def test_search_filters(engine, kwargs, allowed):
    found = {m.supplier_id for m in engine.search("nettoyage traiteur plomberie informatique", **kwargs)}
    assert found
    assert found <= allowed


def test_reasons_name_matched_words_and_signals(engine):
    best = engine.shortlist(Tender(id="t", title="Nettoyage et vitrerie", cpv_codes=("90911200",),
                                   department="93"), k=1)[0]
    assert best.supplier_id == "clean93"
    assert "mots en commun : nettoyage, vitrerie" in best.reasons
    assert "intervient dans le département 93" in best.reasons
    assert "même code CPV 90911200" in best.reasons


def test_typo_reason_shows_the_supplier_word(engine):
    best = engine.search("netoyage", k=1)[0]
    assert any("netoyage → nettoyage" in r for r in best.reasons)


def test_lot_ranking_uses_the_lot(engine):
    tender = Tender(id="t", title="Rénovation d'une école", lots=(
        Lot(id="1", title="Peinture intérieure", cpv_codes=("45442100",)),
        Lot(id="2", title="Plomberie sanitaires", cpv_codes=("45330000",))))
    assert engine.shortlist(tender, k=1, lot="1")[0].supplier_id == "paint"
    assert engine.shortlist(tender, k=1, lot="2")[0].supplier_id == "plumb"
    with pytest.raises(ValueError, match="no lot"):
        engine.shortlist(tender, lot="9")
