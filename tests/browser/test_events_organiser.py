"""The organiser's first pages in a real browser, desktop and phone: the empty dashboard, creating an event (a refused
setting first), the event hub, adding and listing participants, the import with its bad rows. No sideways scroll,
no WCAG 2.1 AA violation (axe), no console error (CSP included)."""

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import Role, SupplierCompany, User
from tests.browser.test_layout import layout_problems, log_in, screen  # noqa: F401 (fixture)
from tests.conftest import PASSWORD
from tests.events.conftest import EVENT_DAY


@pytest.fixture
def organiser_world(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        organiser = User(email="orga@exemple.fr", full_name="Olivia Organisatrice", role=Role.ORGANISER,
                         password_hash=hashed)
        owner = User(email="awa@exemple.fr", full_name="Awa Diallo", role=Role.SUPPLIER, password_hash=hashed)
        company = SupplierCompany(name="Propreté et Services du Franc-Moisin", siret="73282932000074", owner=owner,
                                  postcode="93200", department="93")
        db.session.add_all([organiser, owner, company])
        db.session.commit()


def test_organiser_walk(screen, axe_violations, organiser_world, tmp_path):  # noqa: F811
    log_in(screen, "orga@exemple.fr")
    screen.goto("/evenements/")
    expect(screen.get_by_text("Vous n'organisez encore aucun événement.")).to_be_visible()
    problems = layout_problems(screen, axe_violations)

    screen.get_by_role("button", name="Créer un événement").click()
    expect(screen.get_by_role("heading", name="Nouvel événement")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_label("Nom de l'événement").fill("Semaine de la diversité entrepreneuriale de Saint-Denis")
    screen.get_by_label("Lieu").fill("Hôtel de ville, place Victor-Hugo, Saint-Denis")
    screen.get_by_label("Premier jour").fill(EVENT_DAY.isoformat())  # what a date picker sends
    screen.get_by_label("Dernier jour").fill(EVENT_DAY.isoformat())  # what a date picker sends
    screen.get_by_label("Début des rendez-vous").fill("09:00")
    screen.get_by_label("Fin des rendez-vous").fill("12:00")
    screen.get_by_label("Pauses").fill("08:00-08:30")
    screen.get_by_label("Nombre de tables").fill("6")
    screen.get_by_role("button", name="Créer l'événement").click()
    expect(screen.get_by_text("La pause 08:00-08:30 sort de la journée (09:00-12:00).").first).to_be_visible()
    expect(screen.get_by_label("Lieu")).to_have_value("Hôtel de ville, place Victor-Hugo, Saint-Denis")
    problems += layout_problems(screen, axe_violations)
    screen.get_by_label("Pauses").fill("10:20-10:40")
    screen.get_by_role("button", name="Créer l'événement").click()

    name = "Semaine de la diversité entrepreneuriale de Saint-Denis"
    expect(screen.get_by_role("heading", name=name)).to_be_visible()
    expect(screen.get_by_text("48 rendez-vous au plus (8 créneaux × 6 tables)")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    event_url = screen.url

    screen.get_by_role("link", name="en ajouter").click()
    expect(screen.get_by_role("heading", name="Ajouter des participants")).to_be_visible()
    screen.get_by_label("Nom ou numéro SIRET de l'entreprise").fill("franc-moisin")
    screen.get_by_role("button", name="Rechercher une entreprise").click()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Inscrire Propreté et Services du Franc-Moisin").click()
    expect(screen.get_by_text("est inscrit et invité")).to_be_visible()
    screen.get_by_label("Acheteur", exact=True).check()
    screen.get_by_label("Nom de la personne").fill("Inès Martin")
    screen.get_by_label("Organisation ou entreprise").fill("Ville de Bobigny")
    screen.locator("#email").fill("pas-une-adresse")
    screen.get_by_role("button", name="Inviter", exact=True).click()
    expect(screen.get_by_text("Adresse e-mail invalide.").first).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.locator("#email").fill("ines.martin@bobigny.example")
    screen.get_by_role("button", name="Inviter", exact=True).click()
    expect(screen.get_by_text("l'invitation est partie à ines.martin@bobigny.example")).to_be_visible()

    screen.goto(event_url + "/participants")
    expect(screen.get_by_role("table")).to_contain_text("Ville de Bobigny")
    problems += layout_problems(screen, axe_violations)

    screen.goto(event_url + "/participants/import")
    problems += layout_problems(screen, axe_violations)
    bad = tmp_path / "participants.csv"
    bad.write_text("type;organisation;nom;email\nentreprise;Jardins;Moussa;moussa@jardins.example\n"
                   "martien;Nulle part;Personne;personne@exemple.example\n", encoding="utf-8-sig")
    screen.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(str(bad))
    screen.get_by_role("button", name="Importer").click()
    expect(screen.get_by_text("Rien n'a été importé.")).to_be_visible()
    expect(screen.get_by_role("table")).to_contain_text("type : « martien » inconnu")
    problems += layout_problems(screen, axe_violations)

    screen.goto("/evenements/")
    expect(screen.get_by_role("table")).to_contain_text("Semaine de la diversité entrepreneuriale de Saint-Denis")
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
