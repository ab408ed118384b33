"""Reasons stay meaningful: no reason for a signal that does not count, no trivial "close words"."""

import re

import pytest

from matching import Engine, Match, Reason, Supplier, Tender

SUPPLIERS = [
    Supplier(id="1", name="Atelier Vitrier", keywords=("vitres", "miroiterie"),
             description="Remplacement de vitres\nPose de miroirs\nVitrines de commerces"),
    Supplier(id="2", name="Jardins du Nord", description="Tonte et taille de haies"),
]


def reasons_for(text: str, **params) -> tuple[str, ...]:
    engine = Engine(**params).fit(SUPPLIERS)
    return engine.shortlist(Tender(id="t", title=text), k=1)[0].reasons


def test_experience_is_explained_only_when_it_counts():
    assert any(r.startswith("expérience") for r in reasons_for("vitres cassées", experience_weight=0.1))
    assert not any(r.startswith("expérience") for r in reasons_for("vitres cassées", experience_weight=0.0))


def test_plural_forms_are_not_reported_as_close_words():
    reasons = reasons_for("vitre")
    assert not any("vitre → vitres" in r for r in reasons)
    assert any("vitre" in r for r in reasons)


# ---------------------------------------------------------------- what "mots en commun" shows

def shared_words(engine_suppliers, tender, **params):
    match = Engine(**params).fit(engine_suppliers).shortlist(tender, k=1)[0]
    return [r for r in match.reasons if r.startswith("mots en commun")], match


def test_procurement_boilerplate_is_not_shown_as_shared_words():
    supplier = Supplier(id="s", name="Net Plus", description="Entreprise de nettoyage : achats de produits, "
                        "devis disponible sur demande, prestations de services")
    tender = Tender(id="t", title="Entreprises de nettoyage", description="Achats et prestations de services "
                    "disponibles à la demande")
    shown, _ = shared_words([supplier], tender)
    assert shown == ["mots en commun : nettoyage"]


def test_shared_words_are_shown_as_the_tender_wrote_them():
    supplier = Supplier(id="s", name="Bâti", description="reparation maconnerie")
    shown, _ = shared_words([supplier], Tender(id="t", title="Réparation et MAÇONNERIE des murs"))
    assert shown == ["mots en commun : réparation, maçonnerie"]


def test_without_accents_in_the_query_the_suppliers_spelling_is_shown():
    supplier = Supplier(id="s", name="Bâti", description="Réparation, maçonnerie générale")
    match = Engine().fit([supplier]).search("reparation maconnerie")[0]
    assert "mots en commun : réparation, maçonnerie" in match.reasons


def test_acronyms_keep_their_capitals():
    supplier = Supplier(id="s", name="Voirie Plus", description="Travaux de VRD et assainissement")
    shown, _ = shared_words([supplier], Tender(id="t", title="Lot 2 : VRD et assainissement"))
    assert shown == ["mots en commun : VRD, assainissement"]


def test_place_names_are_not_shown_as_shared_trade_words():
    supplier = Supplier(id="s", name="Net Saint-Denis", description="Nettoyage des écoles de Saint-Denis",
                        commune="Saint-Denis", departments=("93",))
    tender = Tender(id="t", title="Nettoyage des écoles de Saint-Denis et d'Aubervilliers",
                    place_names=("Aubervilliers", "Seine-Saint-Denis"), department="93")
    shown, _ = shared_words([supplier], tender)
    assert shown == ["mots en commun : nettoyage, écoles"]
    # The tender's own place names are enough when the supplier's commune is not known.
    anonymous = Supplier(id="s", name="Net", description="Nettoyage à Aubervilliers et en Seine-Saint-Denis")
    shown, _ = shared_words([anonymous], tender)
    assert shown == ["mots en commun : nettoyage"]


def test_close_words_are_shown_as_written():
    supplier = Supplier(id="s", name="Bâti", keywords=("maçonnerie",), description="Maçonnerie générale")
    match = Engine().fit([supplier]).search("maçonerie")[0]
    assert any("maçonerie → maçonnerie" in r for r in match.reasons), match.reasons


def test_what_the_reasons_show_does_not_change_the_ranking():
    plain = [Supplier(id=f"s{i}", name=f"Net {i}", description=text, departments=(dept,))
             for i, (text, dept) in enumerate([("Nettoyage à Saint-Denis", "93"), ("Nettoyage de bureaux", "93"),
                                               ("Entreprise de nettoyage, devis sur demande", "75")])]
    placed = [Supplier(id=s.id, name=s.name, description=s.description, departments=s.departments,
                      commune="Saint-Denis") for s in plain]
    tender = Tender(id="t", title="Entreprise de nettoyage à Saint-Denis", department="93")
    placed_tender = Tender(id="t", title=tender.title, department="93", place_names=("Saint-Denis",))

    def ranking(suppliers, tender):
        return [(m.supplier_id, m.score, m.components) for m in Engine().fit(suppliers).shortlist(tender, k=3)]

    assert ranking(placed, placed_tender) == ranking(plain, tender)


# ---------------------------------------------------------------- reason kinds: what fits, cautions, notes

def test_a_high_budget_is_a_caution_not_a_reason():
    small = Supplier(id="s", name="Mini Net", description="Nettoyage de bureaux", headcount=2,
                     annual_revenue_eur=90_000)
    match = Engine().fit([small]).shortlist(Tender(id="t", title="Nettoyage de bureaux", budget_eur=5_000_000,
                                                   required_labels=("ESS",)), k=1)
    assert match == []  # the label filter removes it
    match = Engine().fit([small]).shortlist(Tender(id="t", title="Nettoyage de bureaux", budget_eur=5_000_000),
                                            k=1)[0]
    kinds = {e.text: e.kind for e in match.explanations}
    assert kinds["budget élevé au regard de la taille de l'entreprise"] == "caution"
    assert kinds["mots en commun : nettoyage, bureaux"] == "match"
    assert match.cautions == ("budget élevé au regard de la taille de l'entreprise",)
    assert match.reasons == tuple(e.text for e in match.explanations)


def test_notes_about_the_data_are_notes():
    supplier = Supplier(id="s", name="Net", description="Nettoyage", cpv_codes=("bad",), labels=("ESS",))
    match = Engine().fit([supplier]).shortlist(Tender(id="t", title="nettoyage", cpv_codes=("oops",),
                                                      required_labels=("ESS",)), k=1)[0]
    kinds = {e.text: e.kind for e in match.explanations}
    assert kinds["code CPV mal formé ignoré : oops"] == "note"
    assert kinds["code CPV du fournisseur mal formé ignoré : bad"] == "note"
    assert kinds["labels requis : ess"] == "note"
    assert match.cautions == ()


def test_reason_records():
    caution = Reason(text="budget élevé", kind="caution")
    assert caution.is_caution
    assert not Reason(text="mots en commun : x").is_caution
    with pytest.raises(ValueError, match="kind"):
        Reason(text="x", kind="warning")
    with pytest.raises(ValueError, match="reasons"):
        Match(supplier_id="s", score=0.5, reasons=("a",), explanations=(Reason(text="b"),))
    assert Match(supplier_id="s", score=0.5, reasons=("a",)).explanations == (Reason(text="a"),)


# ---------------------------------------------------------------- distance: said as a caution when far

CENTRES = {"93": (48.91, 2.48), "92": (48.84, 2.25), "31": (43.36, 1.17)}
TOULOUSE = Supplier(id="tls", name="Traiteur du Capitole", description="Traiteur, plateaux repas",
                    departments=("31",), commune="Toulouse", lat=43.60, lon=1.44)
LOT = Tender(id="t", title="Plateaux repas traiteur", department="93")


def explanations(supplier, tender=LOT, **params):
    return Engine(**params).fit([supplier]).shortlist(tender, k=1)[0].explanations


def test_a_distant_supplier_gets_a_distance_caution():
    (caution,) = [e for e in explanations(TOULOUSE, department_coords=CENTRES) if e.kind == "caution"]
    assert re.fullmatch(r"n'intervient pas dans le 93 \(Toulouse, à 59\d km\)", caution.text), caution.text


def test_the_caution_uses_department_centres_without_coordinates():
    supplier = Supplier(id="s", name="Traiteur", description="Traiteur, plateaux repas", departments=("31",))
    (caution,) = [e.text for e in explanations(supplier, department_coords=CENTRES) if e.kind == "caution"]
    assert re.fullmatch(r"n'intervient pas dans le 93 \(à 6\d\d km\)", caution), caution
    (caution,) = [e.text for e in explanations(supplier) if e.kind == "caution"]
    assert caution == "n'intervient pas dans le 93"


def test_no_distance_caution_for_a_served_or_nearby_department_or_an_unknown_area():
    served = Supplier(id="s", name="Traiteur", description="Traiteur", departments=("31", "93"), commune="Toulouse")
    nearby = Supplier(id="s", name="Traiteur", description="Traiteur", departments=("92",))
    unknown = Supplier(id="s", name="Traiteur", description="Traiteur")
    for supplier in (served, nearby, unknown):
        assert [e for e in explanations(supplier, department_coords=CENTRES) if e.kind == "caution"] == []
    assert "intervient dans le département 93" in [e.text for e in explanations(served)]


def test_a_distant_site_is_a_caution():
    tender = Tender(id="t", title="Plateaux repas traiteur", lat=48.91, lon=2.36)
    far = explanations(TOULOUSE, tender)
    assert [e.kind for e in far if "km du lieu d'exécution" in e.text] == ["caution"]
    close = Supplier(id="s", name="Traiteur", description="Traiteur", lat=48.93, lon=2.35)
    assert [e.kind for e in explanations(close, tender) if "km du lieu d'exécution" in e.text] == ["match"]


# ---------------------------------------------------------------- ranking first, explaining the rows shown

MANY = [
    Supplier(id=str(i), name=f"Entreprise {i}", description=text, cpv_codes=(code,), departments=("93",))
    for i, (text, code) in enumerate([
        ("Nettoyage de bureaux et vitrerie", "90911200"), ("Nettoyage industriel, désinfection", "90910000"),
        ("Entretien des espaces verts", "77310000"), ("Nettoyage de vitres en hauteur", "90911300"),
        ("Peinture et ravalement", "45442100"), ("Nettoiement des voiries, CPV 9091 mal formé", "9091"),
    ])
]


def test_reasons_added_afterwards_are_those_the_ranking_would_give():
    engine = Engine().fit(MANY)
    tender = Tender(id="t", title="Nettoyage des bureaux de la mairie", cpv_codes=("90911200",), department="93")
    ranked = engine.shortlist(tender, k=5, reasons=False)
    assert ranked
    assert all(m.explanations == () for m in ranked)
    assert engine.explain(ranked[1:3], tender=tender) == engine.shortlist(tender, k=5)[1:3]
    for text, filters in (("netoyage vitres", {}), ("nettoyage", {"departments": ("93",), "cpv_prefixes": ("9x",)})):
        quiet = engine.search(text, k=5, reasons=False, **filters)
        assert quiet
        assert engine.explain(quiet, text=text, **filters) == engine.search(text, k=5, **filters)
    assert any(r.kind == "note" for m in engine.explain(quiet, text="nettoyage", cpv_prefixes=("9x",))
               for r in m.explanations)  # notes about the filters come back too


def test_a_supplier_removed_before_its_reasons_keeps_none():
    engine = Engine().fit(MANY)
    ranked = engine.search("nettoyage", k=3, reasons=False)
    engine.remove(ranked[0].supplier_id)
    assert engine.explain(ranked, text="nettoyage")[0] == ranked[0]
