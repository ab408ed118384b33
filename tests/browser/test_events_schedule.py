"""The organiser's planning in a real browser, desktop and phone: empty state, a run of the scheduling job (eager
in the live app), the timetable (grid in its scroll region and list per slot), a refused then an accepted hand edit,
the add form and the publication. No sideways scroll, no WCAG 2.1 AA violation (axe), no console error."""

from datetime import date, time, timedelta

from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import Event, EventOrganiser, EventParticipant, ParticipantSide, ParticipantStatus, Role, User
from tests.browser.test_layout import layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

BUYERS = [("Établissement public territorial Plaine Commune", "Nettoyage des bureaux et des écoles"),
          ("Office public de l'habitat de Seine-Saint-Denis", "Entretien des espaces verts, élagage"),
          ("Centre hospitalier intercommunal", "Traiteur, plateaux repas")]
SUPPLIERS = [("Propreté et Services du Franc-Moisin", "Nettoyage de locaux et de bureaux"),
             ("Les Jardiniers Solidaires de la Plaine Saint-Denis", "Espaces verts, taille de haies, élagage"),
             ("Saveurs du Monde Traiteur", "Traiteur, buffets et plateaux repas"),
             ("Menuiserie de l'Ourcq", "Menuiserie, agencement"),
             ("Propre Cité Services", "Nettoyage de vitres et de bureaux")]


def _planning_world(app) -> int:
    with app.app_context():
        organiser = User(email="orga@exemple.fr", full_name="Olga Organisatrice", role=Role.ORGANISER,
                         password_hash=generate_password_hash(PASSWORD))
        day = date.today() + timedelta(days=30)
        event = Event(name="Semaine de la diversité entrepreneuriale de Saint-Denis", place="Saint-Denis",
                      first_day=day, last_day=day + timedelta(days=1), day_start=time(9), day_end=time(11),
                      slot_minutes=20, breaks=[], tables=8, created_by=organiser)
        event.organisers.append(EventOrganiser(user=organiser))
        n = 0
        for side, people in ((ParticipantSide.BUYER, BUYERS), (ParticipantSide.SUPPLIER, SUPPLIERS)):
            for name, needs in people:
                n += 1
                event.participants.append(EventParticipant(
                    side=side, organisation_name=name, person_name=f"Personne {n}", email=f"p{n}@exemple.fr",
                    needs_text=needs, status=ParticipantStatus.CONFIRMED, postcode="93200"))
        db.session.add_all([organiser, event])
        db.session.commit()
        return event.id


def test_planning_walk(screen, axe_violations, live_app):  # noqa: F811
    event_id = _planning_world(live_app)
    log_in(screen, "orga@exemple.fr")
    screen.goto(f"/evenements/{event_id}/planning")
    expect(screen.get_by_text("Aucun planning pour le moment.")).to_be_visible()
    problems = layout_problems(screen, axe_violations)

    screen.get_by_role("button", name="Calculer le planning").click()
    expect(screen.get_by_text("Le planning est calculé.")).to_be_visible()
    expect(screen.get_by_role("heading", name="Résultat")).to_be_visible()
    expect(screen.get_by_role("region", name="Grille des rendez-vous du")).to_be_visible()
    expect(screen.get_by_role("progressbar")).to_have_attribute("value", "100")
    problems += layout_problems(screen, axe_violations)

    screen.get_by_role("link", name="Modifier le rendez-vous de").first.click()
    expect(screen.get_by_role("heading", name="Déplacer vers une place libre")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    # Swapping with an empty seat is refused, with a French message next to the field.
    swap = screen.locator("form", has=screen.get_by_role("button", name="Échanger"))
    swap.get_by_label("Table").select_option(label="Table 8")
    swap.get_by_role("button", name="Échanger").click()
    expect(screen.get_by_text("Aucun rendez-vous à cette place")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    move = screen.locator("form", has=screen.get_by_role("button", name="Déplacer"))
    move.get_by_label("Table").select_option(label="Table 8")  # same slot (prefilled), a free table
    move.get_by_role("button", name="Déplacer").click()
    expect(screen.get_by_text("Le rendez-vous est déplacé.")).to_be_visible()

    screen.get_by_role("link", name="Ajouter un rendez-vous à la main").click()
    expect(screen.get_by_role("heading", name="Ajouter un rendez-vous")).to_be_visible()
    problems += layout_problems(screen, axe_violations)

    screen.goto(f"/evenements/{event_id}/planning")
    screen.get_by_role("button", name="Publier le planning").click()
    expect(screen.get_by_text("Le planning est publié")).to_be_visible()
    expect(screen.get_by_text("Le planning publié est à jour")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
