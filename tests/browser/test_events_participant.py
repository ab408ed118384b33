"""The participants' space in a real browser, desktop and phone: an invitee without an account opens its personal
link, confirms, says what its company does, its availabilities and its wishes; a buyer with an account finds the
event under "Mes rencontres" with the engine's suggestions. No sideways scroll, no WCAG 2.1 AA violation (axe),
no console error (the CSP forbids inline scripts and styles)."""

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.events import access
from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    Event,
    EventOrganiser,
    EventParticipant,
    EventStatus,
    EventWish,
    ParticipantSide,
    ParticipantStatus,
    Role,
    User,
)
from tests.browser.test_layout import LINES_JS, layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def diversity_week(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        organiser = User(email="orga@exemple.fr", full_name="Olga Organisatrice", role=Role.ORGANISER,
                         password_hash=hashed)
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER, password_hash=hashed,
                     buyer_organisation=BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis"))
        event = Event(name="Semaine de la diversité entrepreneuriale de Plaine Commune", place="Stade de France, "
                      "salon des partenaires, 93200 Saint-Denis", first_day=date.today() + timedelta(days=20),
                      last_day=date.today() + timedelta(days=21), day_start=time(9), day_end=time(12, 30),
                      slot_minutes=20, breaks=[["10:40", "11:00"]], tables=4, status=EventStatus.WISHES,
                      created_by=organiser)
        event.organisers.append(EventOrganiser(user=organiser))

        def person(side, organisation, name, email, **fields):
            fields.setdefault("status", ParticipantStatus.CONFIRMED)
            return EventParticipant(event=event, side=side, organisation_name=organisation, person_name=name,
                                    email=email, **fields)

        office = person(ParticipantSide.BUYER, "Office public de l'habitat de Seine-Saint-Denis", "Ana Acheteuse",
                        "achat@exemple.fr", user=buyer, cpv_codes=["90911200"],
                        needs_text="Nettoyage des parties communes et vitrerie des immeubles")
        town = person(ParticipantSide.BUYER, "Ville de Saint-Denis", "Bruno Martin", "achats@ville.example",
                      needs_text="Restauration collective, traiteur pour les événements municipaux")
        gardens = person(ParticipantSide.SUPPLIER, "Les Jardiniers Solidaires de la Plaine Saint-Denis", "Yann Le Goff",
                         "yann@jardins.example", status=ParticipantStatus.INVITED, postcode="93200",
                         needs_text="Entretien d'espaces verts, taille de haies")
        people = [office, town, gardens,
                  person(ParticipantSide.SUPPLIER, "Propreté et Services du Franc-Moisin", "Awa Diallo",
                         "awa@franc-moisin.example", postcode="93200", qpv_declared=True,
                         needs_text="Nettoyage de parties communes d'immeubles, vitrerie"),
                  person(ParticipantSide.SUPPLIER, "Saveurs du Monde", "Inès Benali", "ines@saveurs.example",
                         postcode="93300", needs_text="Traiteur, buffets et plateaux repas")]
        db.session.add_all([organiser, buyer, event, *people])
        db.session.flush()
        db.session.add(EventWish(event_id=event.id, requester_id=town.id, other_id=gardens.id, value=1))
        db.session.commit()
        with live_app.test_request_context():
            link = f"/rencontres/acces/{access.link_token(gardens)}"
        return {"link": link, "gardens": gardens.id, "office": office.id}


def test_an_invitee_prepares_its_meetings_from_its_personal_link(screen, axe_violations, diversity_week):  # noqa: F811
    home = f"/rencontres/{diversity_week['gardens']}"
    screen.goto(diversity_week["link"])
    expect(screen.get_by_role("heading", name="Semaine de la diversité entrepreneuriale de Plaine Commune",
                              level=1)).to_be_visible()
    problems = layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Je confirme ma participation").click()
    expect(screen.get_by_text("Merci, votre participation est confirmée.")).to_be_visible()

    screen.get_by_role("link", name="Ce que fait votre entreprise").click()
    expect(screen.get_by_role("heading", name="Ce que fait votre entreprise")).to_be_visible()
    screen.get_by_label("Code postal de l'entreprise").fill("93a")
    screen.get_by_role("button", name="Enregistrer").click()
    expect(screen.get_by_text("Le code postal doit comporter 5 chiffres.").last).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_label("Code postal de l'entreprise").fill("93200")
    screen.get_by_label("Mon entreprise est implantée").check()
    screen.get_by_role("button", name="Enregistrer").click()
    expect(screen.get_by_text("Votre présentation est enregistrée.")).to_be_visible()

    screen.get_by_role("link", name="Mes disponibilités").click()
    expect(screen.get_by_role("checkbox", name="09:00-09:20").first).to_be_checked()
    problems += layout_problems(screen, axe_violations)
    screen.locator("#creneau-0").uncheck()  # the first day's 09:00-09:20
    screen.get_by_role("button", name="Enregistrer mes disponibilités").click()
    expect(screen.get_by_text("Vos disponibilités sont enregistrées.")).to_be_visible()
    expect(screen.get_by_text("17 créneaux sur 18")).to_be_visible()

    screen.get_by_role("link", name="Mes souhaits de rencontre").click()
    expect(screen.get_by_role("heading", name="Mes souhaits de rencontre")).to_be_visible()
    expect(screen.get_by_text("Déjà demandé par l'autre partie")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    town = screen.get_by_role("group", name="Ville de Saint-Denis (Bruno Martin)")
    town.get_by_label("Je dois le/la rencontrer").check()
    screen.get_by_role("group", name="Office public de l'habitat de Seine-Saint-Denis (Ana Acheteuse)") \
        .get_by_label("Je ne souhaite pas").check()
    screen.get_by_role("button", name="Enregistrer mes souhaits").click()
    expect(screen.get_by_text("Vos souhaits sont enregistrés.")).to_be_visible()
    expect(town.get_by_label("Je dois le/la rencontrer")).to_be_checked()
    screen.goto(home)
    expect(screen.get_by_text("2 souhaits")).to_be_visible()
    assert not problems, "\n".join(problems)


def test_a_buyer_finds_its_event_and_the_suggestions(screen, axe_violations, diversity_week):  # noqa: F811
    log_in(screen, "achat@exemple.fr")
    header_link = screen.get_by_role("navigation", name="Navigation principale").get_by_role("link",
                                                                                             name="Mes rencontres")
    assert header_link.evaluate(LINES_JS) == 1
    header_link.click()
    expect(screen.get_by_role("heading", name="Mes rencontres")).to_be_visible()
    problems = layout_problems(screen, axe_violations)
    screen.get_by_role("link", name="Semaine de la diversité entrepreneuriale de Plaine Commune").click()
    expect(screen.get_by_role("heading", name="Préparer vos rendez-vous")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("link", name="Mes souhaits de rencontre").click()
    suggestions = screen.get_by_role("region", name="Suggestions pour vous")
    expect(suggestions.get_by_role("group").first).to_contain_text("Propreté et Services du Franc-Moisin")
    problems += layout_problems(screen, axe_violations)
    screen.get_by_label("Rechercher par nom").fill("saveurs")
    screen.get_by_role("button", name="Rechercher").click()
    expect(screen.get_by_role("group", name="Saveurs du Monde (Inès Benali)")).to_be_visible()
    expect(screen.get_by_role("group", name="Propreté et Services du Franc-Moisin (Awa Diallo)")).to_have_count(0)
    problems += layout_problems(screen, axe_violations)
    screen.goto(f"/rencontres/{diversity_week['office']}/profil")
    expect(screen.get_by_role("heading", name="Ce que vous achetez")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
