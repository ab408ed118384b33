"""Grouped bids in a real browser, desktop and phone: the entrepreneur proposes a suggested team from the tender
page, the partner accepts, the lead declares the team, the buyer sees the suggested teams and the declared
consortium. No sideways scroll, no WCAG 2.1 AA violation (axe), no console error."""

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import BuyerOrganisation, Lot, Offer, Role, SupplierCompany, Tender, TenderStatus, User
from tests.browser.test_layout import check_pages, layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def teams_market(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        organisation = BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis")
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER, password_hash=hashed,
                     buyer_organisation=organisation)
        lead_owner = User(email="awa@exemple.fr", full_name="Awa Diallo", role=Role.SUPPLIER, password_hash=hashed)
        partner = User(email="yann@exemple.fr", full_name="Yann Le Goff", role=Role.SUPPLIER, password_hash=hashed)
        lead = SupplierCompany(name="Propreté et Services du Franc-Moisin", siret="73282932000074", owner=lead_owner,
                               postcode="93200", department="93", contact_email="contact@franc-moisin.example",
                               contact_shown=True)
        lead.offers.append(Offer(title="Nettoyage de bureaux et de parties communes d'immeubles",
                                 description="Entretien quotidien des halls, escaliers, vitrerie.",
                                 cpv_codes=["90910000-9", "90911200-8"], keywords=["nettoyage", "parties communes"],
                                 departments=["93"]))
        gardener = SupplierCompany(name="Les Jardiniers Solidaires de la Plaine Saint-Denis", siret="55203253400646",
                                   owner=partner, postcode="93200", department="93")
        gardener.offers.append(Offer(title="Entretien d'espaces verts",
                                     description="Tonte, taille de haies, désherbage des pieds d'immeubles.",
                                     cpv_codes=["77310000-6"], keywords=["espaces verts", "tonte"],
                                     departments=["93"]))
        tender = Tender(
            buyer_organisation=organisation, created_by=buyer, status=TenderStatus.PUBLISHED,
            title="Entretien des résidences du secteur nord : parties communes et espaces verts", department="93",
            postcode="93200", description="Entretien des parties communes et des espaces verts de six résidences.",
            cpv_codes=["90911200-8", "77310000-6"], budget_cents=120_000_00,
            deadline=date.today() + timedelta(days=30), published_at=datetime.now(UTC) - timedelta(days=2),
            lots=[Lot(number=1, title="Nettoyage des parties communes", description="Halls, escaliers, vitrerie.",
                      cpv_codes=["90911200-8"], budget_cents=70_000_00),
                  Lot(number=2, title="Espaces verts", description="Tonte, taille de haies et désherbage.",
                      cpv_codes=["77310000-6"], budget_cents=50_000_00)],
        )
        painter = SupplierCompany(name="Peintures et Couleurs de l'Ourcq", siret="44306184100047",
                                  owner=User(email="paul@exemple.fr", full_name="Paul Martin", role=Role.SUPPLIER,
                                             password_hash=hashed), postcode="93000", department="93")
        db.session.add_all([buyer, lead_owner, partner, lead, gardener, painter, tender])
        db.session.commit()
        return {"tender": tender.id}


def _log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_grouped_bid_walk(screen, axe_violations, teams_market):  # noqa: F811
    tender = teams_market["tender"]
    log_in(screen, "awa@exemple.fr")
    problems = check_pages(screen, axe_violations, [f"/entrepreneur/appels-d-offres/{tender}",
                                                    "/entrepreneur/groupements"])
    screen.goto(f"/entrepreneur/appels-d-offres/{tender}")
    screen.get_by_role("link", name="Voir les équipes suggérées pour cet appel d'offres").click()
    expect(screen.get_by_role("heading", name="Équipes suggérées")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    expect(screen.get_by_text("Vous pourriez répondre avec Les Jardiniers Solidaires")).to_be_visible()
    screen.get_by_role("button", name="Proposer ce groupement").click()
    expect(screen.get_by_role("heading", name="Qui fait quoi")).to_be_visible()
    screen.get_by_label("Nom ou numéro SIRET de l'entreprise").fill("peintures")
    screen.get_by_role("button", name="Rechercher").click()
    expect(screen.get_by_role("button", name="Inviter Peintures et Couleurs de l'Ourcq")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    consortium_url = screen.url.split("?")[0]
    _log_out(screen)

    log_in(screen, "yann@exemple.fr")
    screen.goto(consortium_url)
    expect(screen.get_by_role("heading", name="Invitation pour Les Jardiniers Solidaires de la Plaine Saint-Denis")
           ).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Accepter pour Les Jardiniers Solidaires de la Plaine Saint-Denis").click()
    expect(screen.get_by_text("Vous faites partie du groupement.")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    _log_out(screen)

    log_in(screen, "awa@exemple.fr")
    screen.goto(consortium_url)
    screen.get_by_label("Message à l'acheteur (facultatif)").fill("Nous répondons ensemble, chacun son métier.")
    screen.get_by_role("button", name="Déclarer le groupement").click()
    expect(screen.get_by_text("Le groupement est déclaré")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    _log_out(screen)

    log_in(screen, "achat@exemple.fr")
    problems += check_pages(screen, axe_violations, [f"/acheteur/appels-d-offres/{tender}/fournisseurs",
                                                     f"/acheteur/appels-d-offres/{tender}"])
    expect(screen.get_by_role("heading", name="Groupements déclarés (1)")).to_be_visible()
    screen.get_by_role("link", name="Groupement Propreté et Services du Franc-Moisin et Les Jardiniers").click()
    expect(screen.get_by_text("contact@franc-moisin.example")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.goto(f"/acheteur/appels-d-offres/{tender}/fournisseurs")
    expect(screen.get_by_role("heading", name="Équipes suggérées")).to_be_visible()
    screen.get_by_role("button", name="Inviter cette équipe à répondre").first.click()
    expect(screen.get_by_text("L'équipe est invitée")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
