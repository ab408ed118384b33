"""Opportunités: open tenders ranked for the entrepreneur's company (reverse matching), filters, pagination,
company switch, empty states; the tender page (budget bands, drafts and closed tenders) and the buyer's public
page; the demo entrepreneur sees the cleaning tenders first."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.demo import seed_demo
from marketplace.demo.showcase import DEFAULT_DEMO_PASSWORD, ENTREPRENEUR_EMAIL
from marketplace.extensions import db
from marketplace.models import Role, SupplierCompany, TenderInterest, TenderStatus, User
from marketplace.opportunities import services
from marketplace.opportunities.budget import budget_band

SOON = date.today() + timedelta(days=20)
CLEANING = {"title": "Nettoyage de bureaux", "description": "Entretien des locaux, vitrerie",
            "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "vitrerie"], "departments": ["93"]}
PAINTING = {"title": "Peinture intérieure", "description": "Peinture des logements et des halls",
            "cpv_codes": ["45442100-8"], "keywords": ["peinture"], "departments": ["93"]}
CATERING = {"title": "Traiteur", "description": "Buffets, cocktails et plateaux repas",
            "cpv_codes": ["55520000-1"], "keywords": ["traiteur", "buffet"], "departments": ["93"]}


pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def market(make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    other_buyer = make_user(Role.BUYER)
    owner = make_user(Role.SUPPLIER)
    cleaner = make_supplier(owner=owner, name="Net Horizon", offers=(CLEANING,))
    caterer = make_supplier(owner=owner, name="Saveurs 93", offers=(CATERING,))
    painter = make_supplier(name="Couleurs 93", offers=(PAINTING,))
    tenders = {
        "cleaning": make_tender(buyer=buyer, title="Nettoyage des bureaux de la mairie", cpv_codes=["90910000-9"],
                                description="Entretien quotidien et vitrerie", deadline=SOON + timedelta(days=40)),
        "works": make_tender(buyer=other_buyer, title="Réhabilitation d'un gymnase", cpv_codes=["45000000-7"],
                             deadline=SOON, department="75",
                             lots=({"title": "Gros œuvre", "cpv_codes": ["45210000-2"]},
                                   {"title": "Peinture des vestiaires", "cpv_codes": ["45442100-8"]})),
        "food": make_tender(buyer=other_buyer, title="Buffets pour les vœux du maire", cpv_codes=["55520000-1"],
                            deadline=date.today() + timedelta(days=5)),
        "draft": make_tender(buyer=buyer, title="Nettoyage brouillon", cpv_codes=["90910000-9"],
                             status=TenderStatus.DRAFT, deadline=SOON),
        "closed": make_tender(buyer=buyer, title="Nettoyage clos", cpv_codes=["90910000-9"],
                              status=TenderStatus.CLOSED, deadline=date.today() - timedelta(days=3)),
        "past": make_tender(buyer=buyer, title="Nettoyage échu", cpv_codes=["90910000-9"],
                            deadline=date.today() - timedelta(days=1)),
    }
    return {"buyer": buyer, "other_buyer": other_buyer, "owner": owner, "cleaner": cleaner, "caterer": caterer,
            "painter": painter, **tenders}


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 id="ao-\d+"><a [^>]*>([^<]+)</a>', html)


def test_each_trade_sees_its_tenders_first_with_reasons_and_the_best_lot(client, auth, market):
    auth.login_as(market["owner"])
    page = client.get("/entrepreneur/opportunites")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    found = titles(html)
    assert found[0] == "Nettoyage des bureaux de la mairie"
    assert set(found) == {"Nettoyage des bureaux de la mairie", "Réhabilitation d&#39;un gymnase",
                          "Buffets pour les vœux du maire"}  # no draft, no closed, no past deadline
    assert "mots en commun" in html
    caterer = client.get(f"/entrepreneur/opportunites?entreprise={market['caterer'].id}").get_data(as_text=True)
    assert titles(caterer)[0] == "Buffets pour les vœux du maire"
    auth.logout()
    auth.login_as(market["painter"].owner)
    painter = client.get("/entrepreneur/opportunites").get_data(as_text=True)
    assert titles(painter)[0] == "Réhabilitation d&#39;un gymnase"
    assert "Le lot 2 vous correspond" in painter


def test_service_ranks_and_filters(app, market):
    owner = market["owner"]
    result = services.opportunities(owner, market["cleaner"].id)
    assert [f.tender.id for f in result.fits][0] == market["cleaning"].id
    assert result.fits[0].score > result.fits[-1].score
    only_75 = services.opportunities(owner, market["cleaner"].id, services.Filters.parse(department="75"))
    assert [f.tender.id for f in only_75.fits] == [market["works"].id]
    division = services.opportunities(owner, market["cleaner"].id, services.Filters.parse(division="55"))
    assert [f.tender.id for f in division.fits] == [market["food"].id]
    week = services.opportunities(owner, market["cleaner"].id, services.Filters.parse(within="7"))
    assert [f.tender.id for f in week.fits] == [market["food"].id]
    ignored = services.Filters.parse(department="zz", division="9", within="12", page="-4")
    assert ignored == services.Filters()


def test_another_owners_company_is_a_404(client, auth, market):
    auth.login_as(market["owner"])
    assert client.get(f"/entrepreneur/opportunites?entreprise={market['painter'].id}").status_code == 404
    assert client.get(f"/entrepreneur/opportunites?entreprise={10**30}").status_code == 200


def test_company_switch_only_with_several_companies(client, auth, market):
    auth.login_as(market["owner"])
    assert "Changer d'entreprise" in client.get("/entrepreneur/opportunites").get_data(as_text=True)
    auth.logout()
    auth.login_as(market["painter"].owner)
    assert "Changer d'entreprise" not in client.get("/entrepreneur/opportunites").get_data(as_text=True)


def test_pagination_keeps_filters(client, auth, make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    company = make_supplier(offers=(CLEANING,))
    for n in range(services.PER_PAGE + 3):
        make_tender(buyer=buyer, title=f"Nettoyage du site {n}", cpv_codes=["90910000-9"], deadline=SOON)
    auth.login_as(company.owner)
    first = client.get("/entrepreneur/opportunites?cpv=90").get_data(as_text=True)
    assert len(titles(first)) == services.PER_PAGE
    assert "page=2" in first
    assert "cpv=90" in first
    second = client.get("/entrepreneur/opportunites?cpv=90&page=2").get_data(as_text=True)
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert len(titles(client.get("/entrepreneur/opportunites?page=99").get_data(as_text=True))) == 3


def test_reasons_are_written_for_the_shown_tenders_only_with_the_shortlist_scores(app, make_user, make_supplier,
                                                                                  make_tender):
    from marketplace import search

    buyer = make_user(Role.BUYER)
    company = make_supplier(offers=(CLEANING,))
    tenders = [make_tender(buyer=buyer, title=f"Nettoyage du site {n}", cpv_codes=["90910000-9"], deadline=SOON,
                           description="Entretien des locaux" if n % 2 else "Vitrerie et nettoyage des sols",
                           lots=({"title": "Vitrerie", "cpv_codes": ["90911300-9"]},) if n % 3 == 0 else ())
               for n in range(services.PER_PAGE + 5)]
    first = services.opportunities(company.owner, company.id)
    second = services.opportunities(company.owner, company.id, services.Filters.parse(page="2"))
    shown = first.fits + second.fits
    assert len(shown) == len(tenders)
    assert all(f.match is not None and f.match.explanations for f in shown)
    assert "mots en commun" in " ".join(r for f in shown for r in f.match.reasons)
    for fit in shown:  # the buyer's shortlist line: same score, same reasons, for the tender or its best lot
        line = {r.company.id: r.match for r in search.shortlist(
            fit.tender, k=50, lot_id=fit.lot.id if fit.from_lot else None)}.get(company.id)
        assert fit.match == line
    # Before page 2 was seen, its tenders' verdicts had no reasons (only the shown ones are explained).
    services._fit_cache().clear()
    services.opportunities(company.owner, company.id)
    (verdicts,) = services._fit_cache()._entries.values()
    on_first = {f.tender.id for f in first.fits}
    assert {i for i, v in verdicts.items() if v.explained} == on_first
    assert all(not v.match.explanations for i, v in verdicts.items() if i not in on_first)


def test_empty_states(client, auth, make_user, make_supplier, make_tender):
    lonely = make_user(Role.SUPPLIER)
    auth.login_as(lonely)
    html = client.get("/entrepreneur/opportunites").get_data(as_text=True)
    assert "Enregistrer mon entreprise" in html
    auth.logout()
    company = make_supplier()
    auth.login_as(company.owner)
    html = client.get("/entrepreneur/opportunites").get_data(as_text=True)
    assert "aucune offre" in html
    assert "Aucun appel d'offres n'est ouvert" in html
    make_tender(title="Nettoyage", cpv_codes=["90910000-9"], deadline=SOON)
    html = client.get("/entrepreneur/opportunites?departement=13").get_data(as_text=True)
    assert "Aucun appel d'offres ouvert ne correspond à ces filtres" in html


@pytest.mark.parametrize(("cents", "codes", "band"), [
    (None, [], "unknown"),
    (39_999_99, ["90910000-9"], "small"),
    (40_000_00, ["90910000-9"], "medium"),
    (220_999_99, ["90910000-9"], "medium"),
    (221_000_00, ["90910000-9"], "large"),
    (1_000_000_00, ["45000000-7"], "medium"),  # works: the European threshold is 5 538 000 €
    (5_538_000_00, ["45000000-7"], "large"),
])
def test_budget_bands(cents, codes, band):
    assert budget_band(cents, codes).code == band


def test_tender_page_shows_everything_and_hides_drafts_and_closed(client, auth, market):
    auth.login_as(market["owner"])
    page = client.get(f"/entrepreneur/appels-d-offres/{market['works'].id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Lot 2 : Peinture des vestiaires" in html
    assert "Un lot est une partie" in html
    assert "Le code CPV" in html
    assert f"/organisations/{market['other_buyer'].buyer_organisation_id}" in html
    assert "Budget non communiqué" in html
    for hidden in ("draft", "closed"):
        assert client.get(f"/entrepreneur/appels-d-offres/{market[hidden].id}").status_code == 404
    assert client.get("/entrepreneur/appels-d-offres/999999").status_code == 404
    # A published tender whose deadline passed is readable, without the interest form.
    past = client.get(f"/entrepreneur/appels-d-offres/{market['past'].id}").get_data(as_text=True)
    assert "date limite de réponse est passée" in past
    assert "Je suis intéressé</button>" not in past


def test_closed_tender_stays_readable_to_an_engaged_company_only(client, auth, market, make_supplier):
    closed = market["closed"]
    db.session.add(TenderInterest(tender_id=closed.id, supplier_company_id=market["cleaner"].id))
    db.session.commit()
    auth.login_as(market["owner"])
    assert client.get(f"/entrepreneur/appels-d-offres/{closed.id}").status_code == 200
    auth.logout()
    auth.login_as(market["painter"].owner)
    assert client.get(f"/entrepreneur/appels-d-offres/{closed.id}").status_code == 404


def test_organisation_page(client, auth, market):
    organisation = market["buyer"].buyer_organisation
    for user in (market["owner"], market["other_buyer"]):
        auth.login_as(user)
        page = client.get(f"/organisations/{organisation.id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert organisation.name in html
        assert "Nettoyage des bureaux de la mairie" in html  # open
        assert "Nettoyage brouillon" not in html
        assert "Nettoyage clos" not in html
        assert "90" in html
        auth.logout()
    assert client.get(f"/organisations/{organisation.id}").status_code == 302
    auth.login_as(market["owner"])
    assert client.get("/organisations/999999").status_code == 404


def test_demo_entrepreneur_sees_cleaning_tenders_first(app):
    seed_demo(suppliers=60, today=date.today())  # the demo's default seed
    user = db.session.scalar(select(User).where(User.email == ENTREPRENEUR_EMAIL))
    company = db.session.scalar(select(SupplierCompany).where(SupplierCompany.owner_id == user.id))
    assert company.name == "Horizon Propreté 93"
    result = services.opportunities(user, company.id)
    fits = result.fits
    assert len(fits) >= 10
    codes = [[*f.tender.cpv_codes, *(c for lot in f.tender.lots for c in lot.cpv_codes)] for f in fits]
    # Cleaning services proper (CPV 9091...); pest control (9092...) far away may rank below nearby other trades.
    is_cleaning = [any(c.startswith("9091") for c in tender_codes) for tender_codes in codes]
    assert any(is_cleaning)
    assert not all(is_cleaning)
    # Every cleaning tender ranks above every other one.
    last_cleaning = max(i for i, c in enumerate(is_cleaning) if c)
    first_other = min(i for i, c in enumerate(is_cleaning) if not c)
    assert last_cleaning < first_other, "\n".join(f"{f.tender.title} {f.tender.cpv_codes} {f.score:.3f}" for f in fits)
    showcase = fits[0].tender
    assert showcase.department == "93"
    assert showcase.buyer_organisation.name == "Ville de Saint-Denis"
    assert DEFAULT_DEMO_PASSWORD  # the account logs in with the demo password (tests/demo cover it)
