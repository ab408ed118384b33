"""The inclusive-purchasing report in a real browser, desktop and phone: from the dashboard to the report of this
year (figures, charts and their tables), another period (empty state), a bad period (French message, typed value
kept), the downloads; printed on A4 without sideways overflow. No WCAG 2.1 AA violation (axe), no console error."""

from datetime import date

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import (
    Award,
    AwardShare,
    BuyerOrganisation,
    Lot,
    QpvStatus,
    Role,
    Tender,
    TenderStatus,
    User,
)
from tests.browser.test_layout import OFFENDERS_JS, check_pages, horizontal_overflow, layout_problems, log_in, screen  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def awarded(live_app):
    year = date.today().year
    with live_app.app_context():
        organisation = BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis")
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER,
                     password_hash=generate_password_hash(PASSWORD), buyer_organisation=organisation)
        tender = Tender(buyer_organisation=organisation, created_by=buyer, status=TenderStatus.AWARDED,
                        title="Entretien des résidences du secteur nord", department="93", cpv_codes=["90911200-8"],
                        lots=[Lot(number=1, title="Nettoyage des parties communes", cpv_codes=["90911200-8"]),
                              Lot(number=2, title="Espaces verts", cpv_codes=["77310000-6"])])
        db.session.add_all([buyer, tender])
        db.session.flush()
        lot1, lot2 = tender.lots

        def share(name, siret, department, cents, status):
            return AwardShare(company_name=name, company_siret=siret, department=department, amount_cents=cents,
                              qpv_status_at_award=status)

        db.session.add_all([
            Award(tender=tender, lot=lot1, winner_name="Groupement Propreté et Services du Franc-Moisin",
                  amount_cents=72_500_50, awarded_on=date(year, 1, 15), shares=[
                      share("Propreté et Services du Franc-Moisin", "73282932000074", "93", 50_000_00,
                            QpvStatus.VERIFIED),
                      share("Les Jardiniers Solidaires de la Plaine Saint-Denis", "55203253400646", "93", 22_500_50,
                            QpvStatus.DECLARED)]),
            Award(tender=tender, lot=lot2, winner_name="Peintures et Couleurs de l'Ourcq", amount_cents=41_000_00,
                  awarded_on=date(year, 2, 10), shares=[
                      share("Peintures et Couleurs de l'Ourcq", "44306184100047", "75", 41_000_00,
                            QpvStatus.NOT_IN_QPV)]),
        ])
        db.session.commit()
    return year


def test_report_walk(screen, axe_violations, awarded):  # noqa: F811
    log_in(screen, "achat@exemple.fr")
    screen.goto("/acheteur/")
    screen.get_by_role("button", name="Rapport achats inclusifs").or_(
        screen.get_by_role("link", name="Rapport achats inclusifs")).first.click()
    expect(screen.get_by_role("heading", name="Rapport achats inclusifs", level=1)).to_be_visible()
    expect(screen.get_by_text("113 500,50 €").first).to_be_visible()
    expect(screen.get_by_text("50 000,00 €").first).to_be_visible()
    expect(screen.get_by_text("22 500,50 €").first).to_be_visible()
    expect(screen.get_by_role("img", name="Montants QPV par trimestre")).to_be_visible()
    problems = layout_problems(screen, axe_violations)
    screen.get_by_text("Voir les données du graphique").nth(1).click()
    problems += layout_problems(screen, axe_violations)

    with screen.expect_download() as csv_download:
        screen.get_by_role("link", name="Télécharger le rapport (CSV)").click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    with screen.expect_download() as xlsx_download:
        screen.get_by_role("link", name="Télécharger le rapport (Excel, XLSX)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")

    screen.emulate_media(media="print")
    overflow = horizontal_overflow(screen)
    assert overflow <= 0, screen.evaluate(OFFENDERS_JS, screen.viewport_size["width"])
    screen.emulate_media(media="screen")

    screen.get_by_label("Période prédéfinie").select_option("annee-derniere")
    screen.get_by_role("button", name="Afficher le rapport").click()
    expect(screen.get_by_text("Aucune attribution sur cette période")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    screen.goto("/acheteur/rapport?du=abc&au=01/01/2020")
    expect(screen.get_by_text("Date invalide : utilisez le format JJ/MM/AAAA.")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
