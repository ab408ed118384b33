"""Reverse matching per trade: on the Opportunités page, a company of each trade family sees its trade's tender
first among the open tenders of every trade (a web test: signed in, through the page, as the entrepreneur).

One hand-built company and one tender per CPV family; every company competes against all the tenders.
"""

import re
from datetime import date, timedelta

import pytest

from marketplace.models import Role

pytestmark = pytest.mark.usefixtures("fresh_engine")

DEADLINE = date.today() + timedelta(days=45)

# trade -> (company name, offer, tender): the offer and the tender share the CPV family (division or group).
TRADES = {
    "cleaning": (
        "Horizon Propreté",
        {"title": "Nettoyage de bureaux et parties communes",
         "description": "Entretien quotidien des bureaux, halls et escaliers, vitrerie, sortie des conteneurs.",
         "cpv_codes": ["90910000-9", "90911200-8"], "keywords": ["nettoyage", "vitrerie", "entretien"]},
        {"title": "Nettoyage des locaux de la mairie annexe",
         "description": "Entretien quotidien des bureaux et sanitaires, vitrerie deux fois par an.",
         "cpv_codes": ["90919200-4"]},
    ),
    "building": (
        "Bâti Rénov 93",
        {"title": "Peinture et rénovation intérieure",
         "description": "Peinture des logements, plâtrerie, revêtements de sols, remise en état avant relocation.",
         "cpv_codes": ["45442100-8", "45453000-7"], "keywords": ["peinture", "rénovation", "plâtrerie"]},
        {"title": "Rénovation et peinture de logements vacants",
         "description": "Travaux de peinture, plâtrerie et revêtements de sols dans vingt logements sociaux.",
         "cpv_codes": ["45453000-7"]},
    ),
    "it": (
        "Quartier Numérique",
        {"title": "Maintenance informatique et assistance",
         "description": "Maintenance du parc informatique, assistance aux utilisateurs, réseau et sauvegardes.",
         "cpv_codes": ["72250000-2", "72600000-6"], "keywords": ["informatique", "maintenance", "réseau"]},
        {"title": "Maintenance du parc informatique des écoles",
         "description": "Assistance aux utilisateurs et maintenance de 400 postes informatiques et du réseau.",
         "cpv_codes": ["72253000-3"]},
    ),
    "catering": (
        "Saveurs du Monde Traiteur",
        {"title": "Traiteur et plateaux repas",
         "description": "Buffets, cocktails et plateaux repas faits maison pour les réunions et événements.",
         "cpv_codes": ["55520000-1"], "keywords": ["traiteur", "buffet", "cocktail"]},
        {"title": "Buffets et cocktails pour les réceptions municipales",
         "description": "Prestations de traiteur : buffets froids, cocktails et plateaux repas.",
         "cpv_codes": ["55520000-1"]},
    ),
    "security": (
        "Vigilance Sécurité Privée",
        {"title": "Gardiennage et surveillance",
         "description": "Agents de sécurité qualifiés, rondes, contrôle d'accès et surveillance de sites.",
         "cpv_codes": ["79713000-5", "79714000-2"], "keywords": ["gardiennage", "surveillance", "sécurité"]},
        {"title": "Gardiennage et surveillance des équipements sportifs",
         "description": "Surveillance par agents de sécurité, rondes de nuit et contrôle d'accès.",
         "cpv_codes": ["79713000-5"]},
    ),
    "green_spaces": (
        "Jardins de la Cité",
        {"title": "Entretien des espaces verts",
         "description": "Tonte, taille des haies, élagage, désherbage sans produits chimiques, plantations.",
         "cpv_codes": ["77310000-6", "77211400-6"], "keywords": ["espaces verts", "tonte", "élagage"]},
        {"title": "Entretien des espaces verts des résidences",
         "description": "Tonte des pelouses, taille des haies et élagage des arbres des résidences.",
         "cpv_codes": ["77314000-4"]},
    ),
    "transport": (
        "Navettes Solidaires",
        {"title": "Transport de personnes en minibus",
         "description": "Transport de groupes, navettes pour personnes âgées et sorties scolaires en minibus.",
         "cpv_codes": ["60130000-8", "60140000-1"], "keywords": ["transport", "minibus", "navette"]},
        {"title": "Transport en minibus pour les sorties des seniors",
         "description": "Navettes et transport de personnes âgées vers les activités de la ville.",
         "cpv_codes": ["60130000-8"]},
    ),
    "printing": (
        "Imprimerie du Canal",
        {"title": "Impression et communication",
         "description": "Impression de flyers, affiches, brochures et kakémonos, conception graphique.",
         "cpv_codes": ["79810000-5", "79822500-7"], "keywords": ["impression", "affiches", "graphisme"]},
        {"title": "Impression des affiches et brochures de la saison culturelle",
         "description": "Conception graphique et impression d'affiches, de flyers et de brochures.",
         "cpv_codes": ["79810000-5"]},
    ),
}


def titles(html: str) -> list[str]:
    return [title.replace("&#39;", "'") for title in re.findall(r'<h2 id="ao-\d+"><a [^>]*>([^<]+)</a>', html)]


@pytest.fixture
def market(make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    owners = {}
    for trade, (name, offer, tender) in TRADES.items():
        owner = make_user(Role.SUPPLIER)
        make_supplier(owner=owner, name=name, offers=({**offer, "departments": ["93"]},))
        make_tender(buyer=buyer, deadline=DEADLINE, department="93", **tender)
        owners[trade] = owner
    return owners


@pytest.mark.parametrize("trade", list(TRADES))
def test_each_trade_sees_its_own_tender_first_on_the_opportunities_page(client, auth, market, trade):
    auth.login_as(market[trade])
    page = client.get("/entrepreneur/opportunites")
    assert page.status_code == 200
    found = titles(page.get_data(as_text=True))
    assert len(found) == len(TRADES)  # every open tender is listed, the trade's own first
    assert found[0] == TRADES[trade][2]["title"]


def test_the_ranking_follows_edits_of_the_company_and_of_the_tenders(client, auth, market):
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.models import Offer, SupplierCompany, Tender

    auth.login_as(market["cleaning"])
    assert titles(client.get("/entrepreneur/opportunites").get_data(as_text=True))[0] == TRADES["cleaning"][2]["title"]
    # The company turns to catering: the verdicts cached for the first page are not reused.
    company = db.session.scalar(select(SupplierCompany).where(SupplierCompany.owner_id == market["cleaning"].id))
    offer = db.session.scalar(select(Offer).where(Offer.supplier_id == company.id))
    for key, value in TRADES["catering"][1].items():
        setattr(offer, key, value)
    db.session.commit()
    catering = TRADES["catering"][2]["title"]
    assert titles(client.get("/entrepreneur/opportunites").get_data(as_text=True))[0] == catering
    # The catering tender becomes a transport one (same company, same corpus): that tender is scored again.
    tender = db.session.scalar(select(Tender).where(Tender.title == catering))
    tender.title, tender.description = "Navettes en minibus", "Transport de personnes âgées en minibus."
    tender.cpv_codes = ["60130000-8"]
    db.session.commit()
    found = titles(client.get("/entrepreneur/opportunites").get_data(as_text=True))
    assert "Navettes en minibus" in found
    assert found[0] != "Navettes en minibus"


def test_only_new_tenders_are_scored_again_when_the_page_is_seen_again(client, auth, market, make_tender,
                                                                       monkeypatch):
    from marketplace import search

    scored = []
    real = search.tender_fits

    def counting(company_id, tenders, **options):
        scored.append(sorted(t.title for t in tenders))
        return real(company_id, tenders, **options)

    monkeypatch.setattr(search, "tender_fits", counting)
    auth.login_as(market["it"])
    client.get("/entrepreneur/opportunites")
    assert len(scored[-1]) == len(TRADES)
    client.get("/entrepreneur/opportunites?departement=93")
    assert len(scored) == 1  # filters and pages reuse the verdicts
    make_tender(title="Assistance informatique des médiathèques", description="Maintenance des postes",
                cpv_codes=["72253000-3"], deadline=DEADLINE)
    found = titles(client.get("/entrepreneur/opportunites").get_data(as_text=True))
    assert scored[-1] == ["Assistance informatique des médiathèques"]
    assert found.index("Assistance informatique des médiathèques") < found.index(TRADES["catering"][2]["title"])
