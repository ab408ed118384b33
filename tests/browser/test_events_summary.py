"""Attendance and the post-event summary in a real browser, desktop and phone: the organiser marks meetings held,
then reads the summary's charts and their tables. No sideways scroll (print included), no WCAG 2.1 AA violation
(axe), no console error (the CSP allows no inline style: the SVG charts use none)."""

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import (
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
from tests.browser.measures import horizontal_overflow
from tests.browser.test_layout import layout_problems, log_in, screen  # noqa: F401 (fixture)
from tests.conftest import PASSWORD

TRADES = ["45000000", "55520000", "77310000", "90910000", "79341000", "72000000", "50000000", "71000000",
          "80000000", "85000000", "92000000", "98000000", "33000000"]


@pytest.fixture
def past_event(live_app):
    """A published event, 4 buyers, 14 entrepreneurs (13 trades, long names), meetings over two slots."""
    with live_app.app_context():
        organiser = User(email="orga@exemple.fr", full_name="Olga Organisatrice", role=Role.ORGANISER,
                         password_hash=generate_password_hash(PASSWORD))
        day = date.today() - timedelta(days=2)
        event = Event(name="Semaine de la diversité entrepreneuriale de Plaine Commune", place="Saint-Denis",
                      first_day=day, last_day=day, day_start=time(9), day_end=time(12), slot_minutes=20,
                      breaks=[], tables=8, status=EventStatus.PUBLISHED, created_by=organiser)
        event.organisers.append(EventOrganiser(user=organiser))
        buyers = [EventParticipant(event=event, side=ParticipantSide.BUYER, status=ParticipantStatus.CONFIRMED,
                                   person_name=f"Acheteur {n}", email=f"acheteur{n}@exemple.fr",
                                   organisation_name=f"Établissement public territorial Plaine Commune, direction {n}")
                  for n in range(4)]
        suppliers = [EventParticipant(event=event, side=ParticipantSide.SUPPLIER, status=ParticipantStatus.CONFIRMED,
                                      person_name=f"Entrepreneur {n}", email=f"entrepreneur{n}@exemple.fr",
                                      organisation_name=f"Société coopérative d'intérêt collectif du quartier {n}",
                                      qpv_declared=n % 2 == 0, cpv_codes=[TRADES[n % len(TRADES)]])
                     for n in range(14)]
        db.session.add_all([organiser, event, *buyers, *suppliers])
        db.session.flush()
        for n, supplier in enumerate(suppliers[:8]):
            db.session.add(EventMeeting(event=event, buyer=buyers[n % 4], supplier=supplier, slot=n // 4,
                                        table_index=n % 4, reason="Nettoyage des locaux"))
        db.session.commit()
        return event.id


def test_attendance_then_summary(screen, axe_violations, past_event):  # noqa: F811
    log_in(screen, "orga@exemple.fr")
    screen.goto(f"/evenements/{past_event}/presence")
    expect(screen.get_by_role("heading", name="Présence aux rencontres")).to_be_visible()
    problems = layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Tout marquer comme tenu pour ce créneau").first.click()
    expect(screen.get_by_text("Présence enregistrée.")).to_be_visible()
    first = screen.get_by_role("group").filter(has_text="quartier 0 (")
    expect(first.get_by_label("Tenu", exact=True)).to_be_checked()
    second_slot = screen.get_by_role("group").filter(has_text="quartier 4 (")
    second_slot.get_by_label("Non tenu").check()
    screen.get_by_role("button", name="Enregistrer la présence").click()
    expect(screen.get_by_text("Présence enregistrée.")).to_be_visible()
    expect(screen.get_by_role("group").filter(has_text="quartier 4 (").get_by_label("Non tenu")).to_be_checked()
    problems += layout_problems(screen, axe_violations)

    screen.get_by_role("link", name="Voir le bilan de l'événement").click()
    expect(screen.get_by_role("heading", name="Bilan de l'événement")).to_be_visible()
    charts = screen.get_by_role("img")
    expect(charts).to_have_count(5)
    expect(screen.get_by_role("img", name="Entrepreneurs rencontrés, par statut QPV")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    for summary in screen.locator("details > summary").all():
        summary.click()
    table = screen.get_by_role("table", name="Entrepreneurs rencontrés, par statut QPV")
    expect(table.get_by_role("row", name="QPV déclaré, non vérifié 7 2")).to_be_visible()
    expect(screen.get_by_role("table", name="Entrepreneurs rencontrés, par métier (division CPV)")
           .get_by_role("rowheader", name="Autres métiers")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.emulate_media(media="print")
    if horizontal_overflow(screen) > 0:
        problems.append("impression : défilement horizontal")
    assert not problems, "\n".join(problems)


def test_attendance_before_publication(screen, axe_violations, past_event, live_app):  # noqa: F811
    with live_app.app_context():
        db.session.get(Event, past_event).status = EventStatus.WISHES
        db.session.commit()
    log_in(screen, "orga@exemple.fr")
    screen.goto(f"/evenements/{past_event}/presence")
    expect(screen.get_by_text("La présence se relève après la publication des agendas.")).to_be_visible()
    expect(screen.get_by_role("button", name="Enregistrer la présence")).to_have_count(0)
    problems = layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
