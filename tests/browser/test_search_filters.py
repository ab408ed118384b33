"""The steered supplier search in a real browser, desktop and phone: filters, distance sort, highlighted words,
paging, saving the search then renaming and deleting it; no sideways scroll, no WCAG 2.1 AA violation."""

import re

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    Commune,
    Offer,
    QpvStatus,
    Role,
    StructureType,
    SupplierCompany,
    User,
)
from tests.browser.test_layout import layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD, _siret

pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def search_market(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        db.session.add_all([Commune(insee="93066", name="Saint-Denis", department="93", lat=48.936, lon=2.357),
                            Commune(insee="94028", name="Créteil", department="94", lat=48.790, lon=2.455)])
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER, password_hash=hashed,
                     buyer_organisation=BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis"))
        companies = []
        for n in range(23):
            department, lat, lon = ("93", 48.93, 2.36) if n % 2 else ("94", 48.79, 2.45)
            owner = User(email=f"chef{n}@exemple.fr", full_name=f"Cheffe {n}", role=Role.SUPPLIER,
                         password_hash=hashed)
            company = SupplierCompany(
                name=f"Propreté Solidaire de la Plaine Saint-Denis n° {n}", siret=_siret(900 + n), owner=owner,
                department=department, postcode=f"{department}000", lat=lat, lon=lon, headcount=12,
                structure_type=StructureType.SIAE if n < 21 else StructureType.ENTREPRISE,
                qpv_status=QpvStatus.VERIFIED if n % 3 == 0 else QpvStatus.NOT_IN_QPV,
                qpv_code="QN09328M" if n % 3 == 0 else None,
                description="Entreprise d'insertion : nettoyage de bureaux, <b>vitrerie</b> et parties communes.")
            company.offers.append(Offer(title="Nettoyage de bureaux et de parties communes d'immeubles",
                                        description="Entretien quotidien des halls, escaliers, vitrerie.",
                                        cpv_codes=["90910000-9"], keywords=["nettoyage"], departments=[department]))
            companies.append(company)
        db.session.add_all([buyer, *companies])
        db.session.commit()


def test_search_walk(screen, axe_violations, search_market):  # noqa: F811
    log_in(screen, "achat@exemple.fr")
    screen.goto("/acheteur/fournisseurs")
    expect(screen.get_by_text("Aucune recherche enregistrée.")).to_be_visible()
    problems = layout_problems(screen, axe_violations)

    screen.get_by_label("Que cherchez-vous ?").fill("nettoyage")
    screen.get_by_text("Filtres et tri").click()
    screen.get_by_label("Type de structure").select_option(label="Structure d'insertion (SIAE)")
    screen.get_by_label("Effectif").select_option(label="10 à 49 salariés")
    screen.get_by_role("radio", name="Distance").check()
    screen.get_by_label("Distance depuis (code postal ou département)").fill("93")
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Rechercher").click()
    expect(screen.get_by_role("heading", name="21 résultats (page 1 sur 2)")).to_be_visible()
    expect(screen.locator(".distance").first).to_have_text("à 1 km")
    expect(screen.locator("mark").first).to_be_visible()
    expect(screen.get_by_label("Type de structure")).to_have_value("siae")  # kept
    problems += layout_problems(screen, axe_violations)

    screen.get_by_role("link", name="Page suivante").click()
    expect(screen.get_by_role("heading", name="21 résultats (page 2 sur 2)")).to_be_visible()
    expect(screen.locator(".distance").first).to_have_text(re.compile(r"à 1[6-9] km"))

    screen.get_by_label("Nom de la recherche").fill("Insertion près du siège")
    screen.get_by_role("button", name="Enregistrer cette recherche").click()
    expect(screen.get_by_text("Recherche « Insertion près du siège » enregistrée")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    screen.get_by_text("Renommer ou supprimer").click()
    screen.get_by_label("Nouveau nom").fill("Insertion 93")
    screen.get_by_role("button", name="Renommer").click()
    expect(screen.get_by_text("Recherche renommée.")).to_be_visible()
    screen.get_by_role("link", name="Lancer « Insertion 93 »").click()
    expect(screen.get_by_role("heading", name="21 résultats (page 1 sur 2)")).to_be_visible()
    screen.get_by_text("Renommer ou supprimer").click()
    screen.get_by_role("button", name="Supprimer « Insertion 93 »").click()
    expect(screen.get_by_text("Recherche « Insertion 93 » supprimée.")).to_be_visible()

    # Bad input: French messages, no error page.
    screen.goto("/acheteur/fournisseurs?q=nettoyage&division=99&lieu=abc&page=abc")
    expect(screen.get_by_text("Secteur inconnu : choisissez-en un dans la liste.").first).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
