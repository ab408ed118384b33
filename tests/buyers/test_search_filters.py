"""The steered supplier search: each filter, the distance sort, paging, highlighting and bad input."""

import re

import pytest
from werkzeug.datastructures import MultiDict

from marketplace.buyers import sourcing
from marketplace.buyers.search_forms import parse_criteria
from marketplace.extensions import db
from marketplace.models import Commune, QpvStatus, Role, StructureType

pytestmark = pytest.mark.usefixtures("fresh_engine")

CLEANING = {"title": "Nettoyage de bureaux", "description": "Entretien des locaux", "cpv_codes": ["90910000-9"],
            "keywords": ["nettoyage"]}
CATERING = {"title": "Traiteur nettoyage compris", "description": "Repas d'entreprise", "cpv_codes": ["55520000-1"],
            "keywords": ["traiteur", "nettoyage"]}


@pytest.fixture
def places(app):
    """Hand-made communes: department centroids 93 (Saint-Denis), 94 (Créteil, ~15 km), 13 (Marseille)."""
    db.session.add_all([
        Commune(insee="93066", name="Saint-Denis", department="93", lat=48.936, lon=2.357),
        Commune(insee="94028", name="Créteil", department="94", lat=48.790, lon=2.455),
        Commune(insee="13055", name="Marseille", department="13", lat=43.296, lon=5.370),
    ])
    db.session.commit()


@pytest.fixture
def market(make_user, make_supplier, places):
    buyer = make_user(Role.BUYER)
    companies = {
        "near": make_supplier(name="Alpha Propreté", department="93", lat=48.94, lon=2.36, headcount=5,
                              structure_type=StructureType.SIAE, labels=["rge"], qpv_status=QpvStatus.VERIFIED,
                              qpv_code="QN09328M", offers=(CLEANING,)),
        "mid": make_supplier(name="Beta Services", department="94", lat=48.79, lon=2.45, headcount=30,
                             qpv_status=QpvStatus.DECLARED, offers=(CATERING,)),
        "far": make_supplier(name="Gamma Sud", department="13", postcode="13001", lat=43.30, lon=5.37,
                             headcount=300, offers=(CLEANING,)),
        "nowhere": make_supplier(name="Delta Partout", department=None, postcode=None, offers=(CLEANING,)),
    }
    return {"buyer": buyer, **companies}


def found(client, **args):
    page = client.get("/acheteur/fournisseurs", query_string=args)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    order = re.findall(r'<a href="/acheteur/fournisseurs/\d+">(.*?)</a>', html)
    return [re.sub(r"</?mark>", "", name) for name in order], html


def test_each_filter_narrows_the_results(client, auth, market):
    auth.login_as(market["buyer"])
    everyone = {"Alpha Propreté", "Beta Services", "Gamma Sud", "Delta Partout"}
    assert set(found(client, q="nettoyage")[0]) == everyone
    assert set(found(client, q="nettoyage", division="55")[0]) == {"Beta Services"}
    assert set(found(client, q="nettoyage", qpv="verifie")[0]) == {"Alpha Propreté"}
    assert set(found(client, q="nettoyage", qpv="1")[0]) == {"Alpha Propreté", "Beta Services"}
    assert set(found(client, q="nettoyage", type="siae")[0]) == {"Alpha Propreté"}
    assert set(found(client, q="nettoyage", label="rge")[0]) == {"Alpha Propreté"}
    assert set(found(client, q="nettoyage", effectif="10-49")[0]) == {"Beta Services"}
    assert set(found(client, q="nettoyage", effectif="250+")[0]) == {"Gamma Sud"}
    assert set(found(client, q="nettoyage", departement="93")[0]) == {"Alpha Propreté"}
    assert set(found(client, q="nettoyage", departement="93", voisins="1")[0]) == {"Alpha Propreté", "Beta Services"}


def test_filters_need_words_and_are_kept(client, auth, market):
    auth.login_as(market["buyer"])
    names, html = found(client, type="siae")
    assert names == []
    assert "Saisissez des mots" in html
    names, html = found(client, q="nettoyage", type="siae", effectif="1-9", label="rge", division="90")
    assert names == ["Alpha Propreté"]
    for kept in ('value="siae" selected', 'value="1-9" selected', 'value="rge" checked',
                 'value="90" selected'):
        assert kept in html


def test_neighbours_are_the_departments_within_60_km(app, places):
    centroids = {"93": (48.936, 2.357), "94": (48.790, 2.455), "13": (43.296, 5.370)}
    assert sourcing.neighbour_departments("93", centroids) == ("93", "94")
    assert sourcing.neighbour_departments("13", centroids) == ("13",)
    assert sourcing.neighbour_departments("2A", centroids) == ("2A",)  # no centroid: itself only


def test_sort_by_distance_from_a_department_a_postcode_or_a_tender(client, auth, market, make_tender):
    auth.login_as(market["buyer"])
    names, html = found(client, q="nettoyage", tri="distance", lieu="13")
    assert names == ["Gamma Sud", "Beta Services", "Alpha Propreté", "Delta Partout"]  # no position: last
    assert "à 0 km" in html
    assert "Bouches-du-Rhône" in html
    names, _ = found(client, q="nettoyage", tri="distance", lieu="94")
    assert names[:3] == ["Beta Services", "Alpha Propreté", "Gamma Sud"]
    tender = make_tender(buyer=market["buyer"], title="Siège", department="93", postcode="93200")
    names, html = found(client, q="nettoyage", tri="distance", appel=tender.id)
    assert names[0] == "Alpha Propreté"
    assert "« Siège »" in html


def test_a_colleague_s_tender_elsewhere_is_refused_as_a_place(client, auth, market, make_tender):
    other = make_tender(title="Chez les autres")
    auth.login_as(market["buyer"])
    names, html = found(client, q="nettoyage", tri="distance", appel=other.id)
    assert "Appel d&#39;offres inconnu" in html
    assert "Chez les autres" not in html
    assert len(names) == 4


def test_nearby_departments_by_the_haversine():
    centroids = {"75": (48.8566, 2.3522), "92": (48.84, 2.24), "13": (43.2965, 5.3698)}
    assert sourcing.neighbour_departments("75", centroids) == ("75", "92")


def test_paging_beyond_30_keeps_the_filters(client, auth, make_user, make_supplier):
    buyer = make_user(Role.BUYER)
    for n in range(45):
        make_supplier(name=f"Nettoyeur {n:02d}", structure_type=StructureType.ASSOCIATION, offers=(CLEANING,))
    make_supplier(name="Nettoyeur SARL", offers=(CLEANING,))
    auth.login_as(buyer)
    names, html = found(client, q="nettoyage", type="association")
    assert len(names) == 20
    assert "45 résultats" in html
    assert "page=2" in html
    assert "type=association" in html
    page3, html3 = found(client, q="nettoyage", type="association", page="3")
    assert len(page3) == 5
    assert 'start="41"' in html3
    every = set(names) | set(found(client, q="nettoyage", type="association", page="2")[0]) | set(page3)
    assert len(every) == 45
    assert "Nettoyeur SARL" not in every
    assert found(client, q="nettoyage", type="association", page="abc")[0] == names
    assert found(client, q="nettoyage", type="association", page="999")[0] == page3


def test_highlight_folds_accents_and_escapes():
    words = sourcing.query_words("Nettoyage ÉCOLE de")
    marked = sourcing.highlight("<script>alert(1)</script> Nettoyage d'écoles", words)
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked
    assert "<mark>Nettoyage</mark>" in marked
    assert "<mark>écoles</mark>" in marked
    assert sourcing.highlight("Œuvres", sourcing.query_words("oeuvre")) == "<mark>Œuvres</mark>"
    assert sourcing.highlight("rien", []) == "rien"


def test_the_page_highlights_and_escapes(client, auth, make_user, make_supplier):
    buyer = make_user(Role.BUYER)
    make_supplier(name="Nettoyage <b>Gras</b>", description="<script>alert('x')</script> nettoyage soigné",
                  offers=(CLEANING,))
    auth.login_as(buyer)
    _, html = found(client, q="nettoyage")
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Nettoyage</mark> &lt;b&gt;Gras&lt;/b&gt;" in html


@pytest.mark.parametrize(("args", "message"), [
    ({"division": "99"}, "Secteur inconnu"),
    ({"lieu": "abc", "tri": "distance"}, "Lieu non reconnu"),
    ({"departement": "999"}, "Département inconnu"),
    ({"effectif": "beaucoup"}, "Tranche d&#39;effectif inconnue"),
    ({"type": "<x>"}, "Type de structure inconnu"),
    ({"tri": "distance"}, "Pour trier par distance"),
    ({"appel": "9" * 30}, "Appel d&#39;offres inconnu"),
])
def test_bad_input_is_reported_in_french_and_ignored(client, auth, market, args, message):
    auth.login_as(market["buyer"])
    names, html = found(client, q="nettoyage", page="abc", **args)
    assert message in html
    assert len(names) == 4


def test_parse_criteria_round_trips():
    criteria, errors, page = parse_criteria(MultiDict([("q", " traiteur "), ("label", "rge"), ("label", "rge"),
                                                       ("label", "inconnu"), ("departement", "2a"),
                                                       ("voisins", "1"), ("page", "2")]))
    assert not errors
    assert page == 2
    assert criteria.as_args() == {"q": "traiteur", "label": ["rge"], "departement": "2A", "voisins": "1"}
    assert parse_criteria(criteria.as_args())[0] == criteria


def test_only_buyers_search(client, auth, make_user):
    auth.login_as(make_user(Role.SUPPLIER))
    assert client.get("/acheteur/fournisseurs?q=x").status_code == 403


def test_department_centroids_are_read_once_per_reference_data_state(app, monkeypatch):
    calls = []
    monkeypatch.setattr(sourcing, "department_centroids", lambda: calls.append(1) or {"75": (48.86, 2.35)})
    monkeypatch.setattr(sourcing, "_centroids_cache", None)
    assert sourcing.cached_centroids() == {"75": (48.86, 2.35)}
    assert sourcing.cached_centroids() == {"75": (48.86, 2.35)}
    assert calls == [1]
    monkeypatch.setattr(sourcing, "refdata_version", lambda: "communes:reloaded")
    sourcing.cached_centroids()
    assert calls == [1, 1]


def test_the_list_paginator_clamps_the_page():
    from marketplace.validators import list_page

    shown = list_page(list(range(45)), 9, 20)
    assert (shown.items, shown.page, shown.pages, shown.total, shown.first_rank) == ([40, 41, 42, 43, 44], 3, 3, 45, 41)
    assert list_page([], 0, 20).pages == 1
