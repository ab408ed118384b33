"""The organisers' exports: files parsed back (csv, openpyxl, icalendar), printable pages, access rules."""

import csv
import io
from datetime import date, datetime

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from marketplace.events import exports
from marketplace.extensions import db
from marketplace.models import EventMeeting, ParticipantStatus, Role

from .conftest import EVENT_DAY

INJECTION = '=HYPERLINK("http://mal.example","clic")'


def add_meetings(world) -> list[EventMeeting]:
    """Four meetings on the world's morning (slots 0, 1, 4: 09:00, 09:20, 10:40), added out of order."""
    b, s = world.buyers, world.suppliers
    meetings = [
        EventMeeting(event=world.event, buyer=b[0], supplier=s[3], slot=4, table_index=2, reason="Souhait mutuel"),
        EventMeeting(event=world.event, buyer=b[1], supplier=s[1], slot=0, table_index=1, reason=INJECTION),
        EventMeeting(event=world.event, buyer=b[0], supplier=s[0], slot=0, table_index=0,
                     reason="Nettoyage de bureaux : offre correspondante", held=True),
        EventMeeting(event=world.event, buyer=b[2], supplier=s[2], slot=1, table_index=0, reason="Traiteur"),
    ]
    db.session.add_all(meetings)
    db.session.commit()
    return meetings


def snapshot(event) -> None:
    """What publishing leaves behind (scheduling.publish): the current meetings as the published ones."""
    event.published_meetings = [[m.buyer_id, m.supplier_id, m.slot, m.table_index] for m in event.meetings]
    db.session.commit()


@pytest.fixture
def meetings(event_world):
    return add_meetings(event_world)


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_has_one_row_per_meeting_in_slot_then_table_order(app, event_world, meetings):
    with app.test_request_context():
        rows = _csv_rows(exports.meetings_csv(event_world.event))
    assert rows[0][:7] == ["jour", "début", "fin", "table", "acheteur", "entreprise", "motif"]
    assert len(rows) == 1 + len(meetings)
    day = f"{EVENT_DAY:%d/%m/%Y}"
    b, s = event_world.buyers, event_world.suppliers
    assert rows[1][:7] == [day, "09:00", "09:20", "1", b[0].label, s[0].label,
                           "Nettoyage de bureaux : offre correspondante"]
    assert [row[:4] for row in rows[2:]] == [[day, "09:00", "09:20", "2"], [day, "09:20", "09:40", "1"],
                                             [day, "10:40", "11:00", "3"]]
    assert rows[3][4:6] == [b[2].label, s[2].label]
    assert rows[1][7] == f"{b[0].person_name} <{b[0].email}>"
    assert rows[1][9] == "tenu"  # the attendance screen's word
    assert rows[3][9] == ""
    assert all(len(row) == len(exports.CSV_COLUMNS) for row in rows)


def test_csv_neutralises_formulas_typed_by_participants(app, event_world, meetings):
    event_world.suppliers[1].organisation_name = "+33 Jardins"
    event_world.buyers[1].organisation_name = "@SUM(A1)"
    db.session.commit()
    with app.test_request_context():
        row = _csv_rows(exports.meetings_csv(event_world.event))[2]
    assert row[6] == "'" + INJECTION
    assert row[4].startswith("'@SUM(A1)")
    assert row[5].startswith("'+33 Jardins")


def test_csv_of_an_event_without_meetings_is_the_header(app, event_world):
    with app.test_request_context():
        rows = _csv_rows(exports.meetings_csv(event_world.event))
    assert rows == [list(exports.CSV_COLUMNS)]


def test_xlsx_has_a_sheet_per_day_and_per_side(app, event_world, meetings, make_participant):
    event_world.event.last_day = date.fromordinal(EVENT_DAY.toordinal() + 1)  # 16 slots: 8 per day
    db.session.add(EventMeeting(event=event_world.event, buyer=event_world.buyers[1],
                                supplier=event_world.suppliers[4], slot=9, table_index=0, reason="Menuiserie"))
    db.session.commit()
    with app.test_request_context():
        workbook = load_workbook(io.BytesIO(exports.meetings_xlsx(event_world.event)))
    next_day = date.fromordinal(EVENT_DAY.toordinal() + 1)
    assert workbook.sheetnames == [f"{EVENT_DAY:%d-%m-%Y}", f"{next_day:%d-%m-%Y}", "Acheteurs", "Entreprises"]
    first = workbook[f"{EVENT_DAY:%d-%m-%Y}"]
    rows = list(first.iter_rows(values_only=True))
    assert rows[0] == ("Heure", "Table", "Acheteur", "Entreprise", "Motif")
    assert first["A1"].font.bold
    assert first.freeze_panes == "A2"
    assert first.column_dimensions["C"].width >= 30
    assert rows[1] == ("09:00-09:20", 1, event_world.buyers[0].label, event_world.suppliers[0].label,
                       "Nettoyage de bureaux : offre correspondante")
    assert len(rows) == 1 + 4
    # The formula is text, not a formula a spreadsheet would run.
    assert rows[2][4] == INJECTION
    assert first["E3"].data_type == "s"
    second = list(workbook[f"{next_day:%d-%m-%Y}"].iter_rows(values_only=True))
    assert second[1] == ("09:20-09:40", 1, event_world.buyers[1].label, event_world.suppliers[4].label, "Menuiserie")

    buyers = list(workbook["Acheteurs"].iter_rows(values_only=True))
    assert buyers[0] == ("Participant", "Jour", "Heure", "Table", "Interlocuteur", "Motif")
    first_buyer = [row for row in buyers[1:] if row[0] == event_world.buyers[0].label]
    assert [(row[2], row[3], row[4]) for row in first_buyer] == [
        ("09:00-09:20", 1, event_world.suppliers[0].label), ("10:40-11:00", 3, event_world.suppliers[3].label)]
    suppliers = list(workbook["Entreprises"].iter_rows(values_only=True))
    assert {row[0] for row in suppliers[1:]} == {p.label for p in event_world.suppliers}


def test_xlsx_lists_entrepreneurs_without_meetings(app, event_world, meetings):
    with app.test_request_context():
        workbook = load_workbook(io.BytesIO(exports.meetings_xlsx(event_world.event)))
    rows = list(workbook["Entreprises"].iter_rows(values_only=True))
    assert (event_world.suppliers[4].label, None, None, None, "Aucun rendez-vous", None) in rows


def test_sheet_names_stay_within_excel_limits(app, event_world):
    with app.test_request_context():
        workbook = load_workbook(io.BytesIO(exports.meetings_xlsx(event_world.event)))
    assert workbook.sheetnames == ["Acheteurs", "Entreprises"]
    assert all(len(name) <= 31 for name in workbook.sheetnames)


def test_event_ics_has_every_meeting_in_paris_time(app, event_world, meetings):
    with app.test_request_context():
        content = exports.event_ics(event_world.event)
        again = exports.event_ics(event_world.event)
    calendar = Calendar.from_ical(content)
    assert str(calendar["PRODID"]) == exports.PRODID
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    first = events[0]
    start = first.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.replace(tzinfo=None) == datetime.combine(EVENT_DAY, start.time())
    assert start.strftime("%H:%M") == "09:00"
    assert first.decoded("DTEND").strftime("%H:%M") == "09:20"
    assert start.utcoffset() == exports.EVENT_TIMEZONE.utcoffset(start.replace(tzinfo=None))
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(first["LOCATION"]) == "Saint-Denis, table 1"
    assert str(first["DESCRIPTION"]) == "Nettoyage de bureaux : offre correspondante"
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 4
    assert all(uid.endswith("@marche.test") for uid in uids)
    assert uids == [str(e["UID"]) for e in Calendar.from_ical(again).walk("VEVENT")]  # stable


def test_participant_ics_holds_only_its_meetings(app, event_world, meetings):
    buyer = event_world.buyers[0]
    snapshot(event_world.event)
    with app.test_request_context():
        calendar = Calendar.from_ical(exports.participant_ics(buyer))
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert summaries == [f"Rendez-vous avec {event_world.suppliers[0].label} (table 1)",
                         f"Rendez-vous avec {event_world.suppliers[3].label} (table 3)"]
    with app.test_request_context():
        supplier_calendar = Calendar.from_ical(exports.participant_ics(event_world.suppliers[3]))
    assert [str(e["SUMMARY"]) for e in supplier_calendar.walk("VEVENT")] == [
        f"Rendez-vous avec {buyer.label} (table 3)"]


def test_a_meeting_outside_the_slot_grid_is_listed_without_a_time(app, event_world, meetings):
    db.session.add(EventMeeting(event=event_world.event, buyer=event_world.buyers[1],
                                supplier=event_world.suppliers[4], slot=50, table_index=0, reason="Ancien créneau"))
    db.session.commit()
    with app.test_request_context():
        rows = _csv_rows(exports.meetings_csv(event_world.event))
        calendar = Calendar.from_ical(exports.event_ics(event_world.event))
    assert rows[-1][:4] == ["", "", "", "1"]
    assert rows[-1][6] == "Ancien créneau"
    assert len(calendar.walk("VEVENT")) == 4  # no time, no calendar entry


def test_table_cards_list_every_slot_of_every_table(app, event_world, meetings):
    cards = exports.table_cards(event_world.event)
    assert [card.number for card in cards] == [1, 2, 3]
    assert all(len(card.rows) == 8 for card in cards)
    first = cards[0].rows
    assert first[0][1].supplier is event_world.suppliers[0]
    assert first[1][1].buyer is event_world.buyers[2]
    assert first[2][1] is None


@pytest.mark.parametrize(("name", "expected"), [
    ("Semaine de la diversité entrepreneuriale", "rendez-vous-semaine-de-la-diversite-entrepreneuriale.csv"),
    ("« Qualifions nos Quartiers » 2027 !", "rendez-vous-qualifions-nos-quartiers-2027.csv"),
    ("Événement", "rendez-vous-evenement.csv"),
    ("日本", "rendez-vous-evenement-{id}.csv"),
])
def test_file_names_are_ascii_slugs(event_world, name, expected):
    event_world.event.name = name
    assert exports.export_filename(event_world.event, "csv") == expected.format(id=event_world.event.id)


# --- Views --------------------------------------------------------------------------------------------------

FILES = [("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
         ("ics", "text/calendar")]
PAGES = ["exports", "agendas", "cartes-de-table"]
ALL_PATHS = [*(f"rendez-vous.{ext}" for ext, _ in FILES), *PAGES]


@pytest.mark.parametrize(("ext", "mimetype"), FILES)
def test_the_organiser_downloads_each_file(client, auth, event_world, meetings, ext, mimetype):
    auth.login_as(event_world.organiser)
    response = client.get(f"/evenements/{event_world.event.id}/rendez-vous.{ext}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    name = f"rendez-vous-semaine-de-la-diversite-entrepreneuriale.{ext}"
    assert response.headers["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    assert response.headers["Cache-Control"] == "no-store"
    if ext == "csv":
        assert len(_csv_rows(response.data)) == 5
    elif ext == "xlsx":
        assert "Acheteurs" in load_workbook(io.BytesIO(response.data)).sheetnames
    else:
        assert len(Calendar.from_ical(response.data).walk("VEVENT")) == 4


@pytest.mark.parametrize("path", ALL_PATHS)
def test_another_organiser_gets_404(client, auth, event_world, meetings, path):
    auth.login_as(event_world.other_organiser)
    assert client.get(f"/evenements/{event_world.event.id}/{path}").status_code == 404


@pytest.mark.parametrize("path", ALL_PATHS)
@pytest.mark.parametrize("role", [Role.BUYER, Role.SUPPLIER, Role.ADMIN])
def test_other_roles_get_403(client, auth, make_user, event_world, path, role):
    auth.login_as(make_user(role))
    assert client.get(f"/evenements/{event_world.event.id}/{path}").status_code == 403


@pytest.mark.parametrize("path", ALL_PATHS)
def test_anonymous_visitors_go_to_login(client, event_world, path):
    response = client.get(f"/evenements/{event_world.event.id}/{path}")
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]


@pytest.mark.parametrize("event_id", ["abc", "99999999", "9" * 30])
@pytest.mark.parametrize("path", ALL_PATHS)
def test_malformed_or_unknown_event_ids_are_404(client, auth, event_world, event_id, path):
    auth.login_as(event_world.organiser)
    assert client.get(f"/evenements/{event_id}/{path}").status_code == 404


def test_exports_page_links_every_format(client, auth, event_world, meetings):
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event_world.event.id}/exports").get_data(as_text=True)
    for path in ALL_PATHS:
        if path != "exports":
            assert f'href="/evenements/{event_world.event.id}/{path}"' in page
    assert "4 rendez-vous" in page
    assert "pas encore publié" in page
    assert "Aucun rendez-vous à exporter" not in page


def test_exports_page_without_meetings_says_so(client, auth, event_world):
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event_world.event.id}/exports").get_data(as_text=True)
    assert "Aucun rendez-vous à exporter" in page
    assert "rendez-vous.csv" not in page


def test_printable_agendas_have_one_sheet_per_participant(client, auth, event_world, meetings):
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event_world.event.id}/agendas").get_data(as_text=True)
    assert page.count('class="print-sheet"') == 8
    assert "css/print.css" in page
    assert "js/print-button.js" in page
    assert "Imprimer" in page
    assert "<script>" not in page
    assert 'style="' not in page
    assert page.index("Ville de Saint-Denis") < page.index("Atelier Bois")  # buyers first
    assert "Aucun rendez-vous prévu." in page  # Atelier Bois
    assert "Souhait mutuel" in page


def test_table_cards_page(client, auth, event_world, meetings):
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event_world.event.id}/cartes-de-table").get_data(as_text=True)
    assert page.count("print-sheet table-card") == 3
    assert ">Table 1</h2>" in page
    assert ">Table 3</h2>" in page
    assert event_world.suppliers[0].label in page
    assert "Libre" in page
    assert "Aucun rendez-vous n'est encore placé" not in page


def test_declined_participants_are_in_no_export(client, auth, app, event_world, meetings):
    gardens = event_world.suppliers[1]  # declined, though the organiser's planning still holds its meeting
    gardens.status = ParticipantStatus.DECLINED
    db.session.commit()
    with app.test_request_context():
        rows = _csv_rows(exports.meetings_csv(event_world.event))
    assert len(rows) == 1 + 3
    assert gardens.label not in {cell for row in rows for cell in row}
    assert gardens not in [p for p, _ in exports.printable_agendas(event_world.event)]
    assert all(m is None or m.supplier is not gardens for card in exports.table_cards(event_world.event)
               for _, m in card.rows)
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event_world.event.id}/agendas").get_data(as_text=True)
    assert page.count('class="print-sheet"') == 7
    assert "Jardins Solidaires" not in page


def test_the_exports_page_says_files_follow_the_current_planning(client, auth, event_world, meetings):
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event_world.event.id}/exports").get_data(as_text=True)
    assert "montrent le planning en cours" in page
    assert "publier les modifications" in page
