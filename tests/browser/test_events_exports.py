"""Event exports in a real browser, desktop and phone: the organiser's exports page, printable agendas and table
cards (printed: no site header, one sheet per page), and a participant's agenda on the phone. No sideways
scroll, no WCAG 2.1 AA violation (axe), no console error (the CSP blocks inline scripts and styles)."""

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    Event,
    EventMeeting,
    EventOrganiser,
    EventParticipant,
    EventStatus,
    ParticipantSide,
    ParticipantStatus,
    Role,
    User,
)
from tests.browser.test_layout import check_pages, layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

COMPANIES = ["Propreté et Services du Franc-Moisin", "Les Jardiniers Solidaires de la Plaine Saint-Denis",
             "Saveurs du Monde Traiteur Solidaire", "Menuiserie et Agencement de l'Ourcq"]


@pytest.fixture
def published_event(live_app):
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        organiser = User(email="orga@exemple.fr", full_name="Olga Organisatrice", role=Role.ORGANISER,
                         password_hash=hashed)
        organisation = BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis")
        buyer_user = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER, password_hash=hashed,
                          buyer_organisation=organisation)
        event = Event(name="Semaine de la diversité entrepreneuriale", place="Mairie de Saint-Denis, salle des fêtes",
                      first_day=date.today() + timedelta(days=20), last_day=date.today() + timedelta(days=20),
                      day_start=time(9), day_end=time(12), slot_minutes=20, breaks=[["10:20", "10:40"]], tables=2,
                      status=EventStatus.PUBLISHED, created_by=organiser)
        event.organisers.append(EventOrganiser(user=organiser))
        buyer = EventParticipant(event=event, side=ParticipantSide.BUYER, organisation_name=organisation.name,
                                 person_name="Ana Acheteuse", email="achat@exemple.fr", user=buyer_user,
                                 status=ParticipantStatus.CONFIRMED)
        other_buyer = EventParticipant(event=event, side=ParticipantSide.BUYER, person_name="Bruno Achat",
                                       organisation_name="Établissement public territorial Plaine Commune",
                                       email="bruno@exemple.fr", status=ParticipantStatus.CONFIRMED)
        suppliers = [EventParticipant(event=event, side=ParticipantSide.SUPPLIER, organisation_name=name,
                                      person_name=f"Gérant·e {n}", email=f"e{n}@exemple.fr",
                                      status=ParticipantStatus.CONFIRMED) for n, name in enumerate(COMPANIES)]
        reason = ("Besoin : nettoyage des parties communes et des bureaux de l'agence ; offre correspondante "
                  "(nettoyage de locaux, vitrerie), entreprise implantée en QPV à 2 km")
        meetings = [EventMeeting(event=event, buyer=buyer, supplier=suppliers[0], slot=0, table_index=0, reason=reason),
                    EventMeeting(event=event, buyer=other_buyer, supplier=suppliers[1], slot=0, table_index=1,
                                 reason="Souhait mutuel"),
                    EventMeeting(event=event, buyer=buyer, supplier=suppliers[2], slot=4, table_index=1,
                                 reason="Plateaux repas pour les réunions de quartier")]
        db.session.add_all([organiser, buyer_user, event, *meetings])
        db.session.flush()
        # What publishing leaves: participants see the planning as published (scheduling.publish).
        event.published_meetings = [[m.buyer_id, m.supplier_id, m.slot, m.table_index] for m in meetings]
        db.session.commit()
        return {"event": event.id, "buyer": buyer.id}


def test_organiser_exports_walk(screen, axe_violations, published_event):  # noqa: F811
    event = published_event["event"]
    log_in(screen, "orga@exemple.fr")
    problems = check_pages(screen, axe_violations, [f"/evenements/{event}/exports"])
    expect(screen.get_by_role("link", name="Tous les rendez-vous (CSV)")).to_be_visible()
    with screen.expect_download() as download:
        screen.get_by_role("link", name="Tous les rendez-vous (CSV)").click()
    assert download.value.suggested_filename == "rendez-vous-semaine-de-la-diversite-entrepreneuriale.csv"

    screen.get_by_role("link", name="Agendas des participants").click()
    expect(screen.get_by_role("heading", name="Agendas des participants", level=1)).to_be_visible()
    expect(screen.get_by_role("button", name="Imprimer")).to_be_visible()  # shown by print-button.js
    expect(screen.locator(".print-sheet")).to_have_count(6)
    problems += layout_problems(screen, axe_violations)
    screen.emulate_media(media="print")
    expect(screen.locator("body > header")).to_be_hidden()
    expect(screen.get_by_role("button", name="Imprimer")).to_be_hidden()
    assert screen.locator(".print-sheet").first.evaluate("e => getComputedStyle(e).breakAfter") == "page"
    screen.emulate_media(media="screen")

    problems += check_pages(screen, axe_violations, [f"/evenements/{event}/cartes-de-table"])
    expect(screen.get_by_role("heading", name="Table 2")).to_be_visible()
    expect(screen.locator(".table-card")).to_have_count(2)
    assert not problems, "\n".join(problems)


def test_participant_agenda_on_screen(screen, axe_violations, published_event):  # noqa: F811
    log_in(screen, "achat@exemple.fr")
    problems = check_pages(screen, axe_violations, [f"/rencontres/{published_event['buyer']}/agenda"])
    expect(screen.get_by_role("heading", name="Mon agenda")).to_be_visible()
    items = screen.locator(".agenda-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Table 1")
    expect(items.first).to_contain_text(COMPANIES[0])
    expect(screen.get_by_text(COMPANIES[1])).to_have_count(0)  # someone else's meeting
    with screen.expect_download() as download:
        screen.get_by_role("link", name="Ajouter à mon agenda (fichier .ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert not problems, "\n".join(problems)
