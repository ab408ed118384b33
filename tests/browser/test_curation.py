"""Shortlist curation in a real browser, desktop and phone: the buyer sets a status and a note, dismisses a
supplier and shows it again, invites another; the page stays readable (no sideways scroll, no WCAG 2.1 AA
violation from axe, no console error)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    Lot,
    Offer,
    QpvStatus,
    Role,
    SupplierCompany,
    Tender,
    TenderStatus,
    User,
)
from tests.browser.test_layout import layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")

SIRETS = ["73282932000074", "55203253400646", "44306184100047"]


@pytest.fixture
def curation_market(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        organisation = BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis")
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER, password_hash=hashed,
                     buyer_organisation=organisation)
        names = ["Propreté et Services du Franc-Moisin", "Nettoyage Solidaire de la Plaine Saint-Denis",
                 "Brillance Vitrerie de l'Ourcq"]
        companies = []
        for n, (name, siret) in enumerate(zip(names, SIRETS, strict=True)):
            owner = User(email=f"chef{n}@exemple.fr", full_name=f"Cheffe {n}", role=Role.SUPPLIER,
                         password_hash=hashed)
            company = SupplierCompany(name=name, siret=siret, owner=owner, postcode="93200", department="93",
                                      commune_name="Saint-Denis", qpv_status=QpvStatus.VERIFIED if n == 0 else
                                      QpvStatus.NOT_IN_QPV, qpv_code="QN09328M" if n == 0 else None)
            company.offers.append(Offer(title="Nettoyage de bureaux et de parties communes d'immeubles",
                                        description="Entretien quotidien des halls, escaliers, vitrerie.",
                                        cpv_codes=["90910000-9", "90911200-8"], keywords=["nettoyage", "vitrerie"],
                                        departments=["93"]))
            companies.append(company)
        tender = Tender(
            buyer_organisation=organisation, created_by=buyer, status=TenderStatus.PUBLISHED,
            title="Entretien des résidences du secteur nord : parties communes et vitrerie", department="93",
            postcode="93200", description="Nettoyage des parties communes et vitrerie de six résidences.",
            cpv_codes=["90911200-8"], budget_cents=120_000_00, deadline=date.today() + timedelta(days=30),
            published_at=datetime.now(UTC) - timedelta(days=2),
            lots=[Lot(number=1, title="Nettoyage des parties communes", cpv_codes=["90911200-8"]),
                  Lot(number=2, title="Vitrerie", cpv_codes=["90911300-9"])],
        )
        db.session.add_all([buyer, *companies, tender])
        db.session.commit()
        return {"tender": tender.id}


def test_curation_walk(screen, axe_violations, curation_market):  # noqa: F811
    path = f"/acheteur/appels-d-offres/{curation_market['tender']}/fournisseurs"
    log_in(screen, "achat@exemple.fr")
    screen.goto(path)
    expect(screen.get_by_role("heading", name="Entreprises proposées")).to_be_visible()
    problems = layout_problems(screen, axe_violations)

    first = "Propreté et Services du Franc-Moisin"
    screen.get_by_text(f"Modifier le suivi de {first}").click()
    problems += layout_problems(screen, axe_violations)
    section = screen.locator("section.curation").filter(has_text=first)
    section.get_by_label("Statut de suivi").select_option(label="Retenu")
    section.get_by_label("Note privée").fill("Devis reçu le 12 : très complet.")
    section.get_by_role("button", name=f"Enregistrer le suivi de {first}").click()
    expect(screen.get_by_text(f"Suivi de {first} enregistré : retenu.")).to_be_visible()
    expect(screen.locator(".curation-note").filter(has_text="Devis reçu le 12 : très complet.")).to_be_visible()

    # A note too long is refused in French, what was typed is kept.
    screen.get_by_text(f"Modifier le suivi de {first}").click()
    section = screen.locator("section.curation").filter(has_text=first)
    section.get_by_label("Note privée").fill("x" * 2001)
    section.get_by_role("button", name=f"Enregistrer le suivi de {first}").click()
    expect(screen.get_by_text("La note est trop longue (2001 caractères, 2000 au plus)")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    # Dismiss the last one: hidden, then shown on demand.
    last = "Brillance Vitrerie de l'Ourcq"
    screen.goto(path)
    screen.get_by_text(f"Modifier le suivi de {last}").click()
    section = screen.locator("section.curation").filter(has_text=last)
    section.get_by_label("Statut de suivi").select_option(label="Écarté")
    section.get_by_role("button", name=f"Enregistrer le suivi de {last}").click()
    expect(screen.locator("article.ranked-supplier").filter(has_text=last)).to_have_count(0)
    screen.get_by_role("link", name="Afficher les fournisseurs écartés (1)").click()
    expect(screen.locator("article.ranked-supplier").filter(has_text=last)).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    # Invite the second one: the conversation starts, the status says "Invité".
    second = "Nettoyage Solidaire de la Plaine Saint-Denis"
    screen.get_by_role("button", name=f"Inviter à répondre : {second}").click()
    expect(screen.get_by_text(f"Invitation envoyée à {second}")).to_be_visible()
    expect(screen.locator("section.curation").filter(has_text=second).locator(".badge-curation")).to_have_text("Invité")
    problems += layout_problems(screen, axe_violations)

    # A lot has its own follow-up.
    screen.get_by_label("Classer pour").select_option(label="Lot 2 : Vitrerie")
    screen.get_by_role("button", name="Mettre à jour").click()
    expect(screen.get_by_role("heading", name="Entreprises proposées pour le lot 2 : Vitrerie")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
