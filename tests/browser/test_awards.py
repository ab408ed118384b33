"""Awards in a real browser, desktop and phone: the buyer awards lot 1 to a declared consortium (over budget,
confirmed) and lot 2 to a company found by name, then reads the awarded tender page. No sideways scroll, no WCAG
2.1 AA violation (axe), no console error."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.buyers.services import today as paris_today  # awards are dated in the French calendar
from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    Consortium,
    ConsortiumMember,
    ConsortiumStatus,
    Lot,
    MemberRole,
    MemberStatus,
    QpvStatus,
    Role,
    SupplierCompany,
    Tender,
    TenderInterest,
    TenderStatus,
    User,
)
from tests.browser.test_layout import check_pages, layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def closed_tender(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        organisation = BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis")
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER, password_hash=hashed,
                     buyer_organisation=organisation)

        def company(name, siret, email, qpv):
            owner = User(email=email, full_name=name, role=Role.SUPPLIER, password_hash=hashed)
            return SupplierCompany(name=name, siret=siret, owner=owner, postcode="93200", department="93",
                                   qpv_status=qpv)

        lead = company("Propreté et Services du Franc-Moisin", "73282932000074", "awa@exemple.fr",
                       QpvStatus.VERIFIED)
        gardener = company("Les Jardiniers Solidaires de la Plaine Saint-Denis", "55203253400646",
                           "yann@exemple.fr", QpvStatus.DECLARED)
        painter = company("Peintures et Couleurs de l'Ourcq", "44306184100047", "paul@exemple.fr",
                          QpvStatus.NOT_IN_QPV)
        tender = Tender(
            buyer_organisation=organisation, created_by=buyer, status=TenderStatus.CLOSED,
            title="Entretien des résidences du secteur nord : parties communes et espaces verts", department="93",
            postcode="93200", description="Entretien des parties communes et des espaces verts.",
            cpv_codes=["90911200-8", "77310000-6"], budget_cents=120_000_00,
            deadline=paris_today() - timedelta(days=3), published_at=datetime.now(UTC) - timedelta(days=40),
            lots=[Lot(number=1, title="Nettoyage des parties communes", budget_cents=70_000_00),
                  Lot(number=2, title="Espaces verts et petits travaux", budget_cents=50_000_00)],
        )
        db.session.add_all([buyer, lead, gardener, painter, tender])
        db.session.flush()
        lot1, lot2 = tender.lots
        team = Consortium(tender=tender, lead_company=lead, status=ConsortiumStatus.SUBMITTED,
                          submitted_at=datetime.now(UTC) - timedelta(days=5))
        team.members = [
            ConsortiumMember(company=lead, role=MemberRole.MANDATAIRE, status=MemberStatus.ACCEPTED,
                             lot_ids=[lot1.id]),
            ConsortiumMember(company=gardener, role=MemberRole.CO_TRAITANT, status=MemberStatus.ACCEPTED,
                             lot_ids=[lot2.id]),
        ]
        db.session.add_all([team, TenderInterest(tender=tender, company=gardener, lot_ids=[lot2.id])])
        db.session.commit()
        return {"tender": tender.id}


def test_award_walk(screen, axe_violations, closed_tender):  # noqa: F811
    tender = closed_tender["tender"]
    log_in(screen, "achat@exemple.fr")
    problems = check_pages(screen, axe_violations, [f"/acheteur/appels-d-offres/{tender}"])
    screen.get_by_role("button", name="Attribuer", exact=True).click()
    expect(screen.get_by_role("heading", name="Lot 1 : Nettoyage des parties communes")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    lot1 = screen.locator("section.award-slot").nth(0)
    lot1.get_by_label("Groupement Propreté et Services du Franc-Moisin et Les Jardiniers").check()
    lot1.get_by_label("Montant attribué (en euros HT)").fill("72 500,50")
    lot1.get_by_role("button", name="Enregistrer l'attribution").click()
    expect(screen.get_by_text("Ce montant dépasse le budget prévu (70 000,00 €)").first).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    lot1 = screen.locator("section.award-slot").nth(0)
    expect(lot1.get_by_label("Montant attribué (en euros HT)")).to_have_value("72 500,50")
    lot1.get_by_label("Je confirme ce montant supérieur au budget prévu").check()
    lot1.get_by_role("button", name="Enregistrer l'attribution").click()
    expect(screen.get_by_text("Attribution enregistrée")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    lot2 = screen.locator("section.award-slot").nth(1)
    lot2.get_by_label("Chercher une autre entreprise (nom ou SIRET)").fill("peintures")
    lot2.get_by_role("button", name="Chercher").click()
    lot2 = screen.locator("section.award-slot").nth(1)
    expect(lot2.get_by_text("n'avait pas manifesté d'intérêt")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    lot2.get_by_label("Peintures et Couleurs de l'Ourcq").check()
    lot2.get_by_label("Montant attribué (en euros HT)").fill("41 000")
    lot2.get_by_role("button", name="Enregistrer l'attribution").click()
    expect(screen.get_by_text("l'appel d'offres est marqué comme attribué")).to_be_visible()
    expect(screen.get_by_role("heading", name="Attribution", exact=True)).to_be_visible()
    expect(screen.get_by_text("Attribué à Peintures et Couleurs de l'Ourcq")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    problems += check_pages(screen, axe_violations, [f"/acheteur/appels-d-offres/{tender}/attribuer"])
    assert not problems, "\n".join(problems)
