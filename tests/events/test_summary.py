"""The post-event summary: figures checked by hand on a small world, its page, its downloads parsed back."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from marketplace.events.summary import (
    QPV_DECLARED,
    QPV_NONE,
    QPV_VERIFIED,
    TRADE_UNKNOWN,
    event_summary,
    summary_charts,
)
from marketplace.extensions import db
from marketplace.models import (
    EventMeeting,
    EventStatus,
    EventWish,
    ParticipantSide,
    ParticipantStatus,
    QpvStatus,
)


@pytest.fixture
def summary_world(event_world, make_participant):
    """4 meetings (held, not held, unknown, held), 1 declined entrepreneur, wishes of every kind.

    b0-s0 slot 0 held | b1-s1 slot 0 not held | b0-s2 slot 1 unknown | b2-s1 slot 4 held; s3, s4 meet nobody.
    """
    w = event_world
    b, s = w.buyers, w.suppliers
    w.company.qpv_status = QpvStatus.VERIFIED  # s0 (trade from its offer: 90910000)
    s[1].cpv_codes = ["77310000", "77311000", "45000000"]  # qpv declared, trade 77
    s[2].cpv_codes = ["55520000"]  # not qpv, trade 55
    # s3 declared qpv, no trade; s4 neither
    make_participant(w.event, ParticipantSide.SUPPLIER, "Absente SARL", status=ParticipantStatus.DECLINED,
                     qpv_declared=True, cpv_codes=["45000000"])
    db.session.add_all([
        EventMeeting(event=w.event, buyer=b[0], supplier=s[0], slot=0, table_index=0, held=True),
        EventMeeting(event=w.event, buyer=b[1], supplier=s[1], slot=0, table_index=1, held=False),
        EventMeeting(event=w.event, buyer=b[0], supplier=s[2], slot=1, table_index=0, held=None),
        EventMeeting(event=w.event, buyer=b[2], supplier=s[1], slot=4, table_index=0, held=True),
    ])

    def wish(requester, other, value):
        db.session.add(EventWish(event_id=w.event.id, requester_id=requester.id, other_id=other.id, value=value))

    wish(s[0], b[0], 2)
    wish(b[0], s[0], 2)  # mutual must, met and held
    wish(b[1], s[1], 2)
    wish(s[1], b[1], 1)  # one-sided must, met, not held
    wish(b[2], s[3], 2)  # one-sided must, not met
    wish(s[4], b[0], 1)  # would like, not met
    wish(b[1], s[2], 2)
    wish(s[2], b[1], -1)  # a refusal: no wish to meet
    wish(b[0], b[1], 2)  # two buyers: not a buyer-entrepreneur pair
    w.event.status = EventStatus.PUBLISHED
    db.session.commit()
    return w


def test_figures_by_hand(summary_world):
    summary = event_summary(summary_world.event)
    m = summary.meetings
    assert (m.scheduled, m.held, m.not_held, m.unknown) == (4, 2, 1, 1)
    assert summary.attendance_recorded
    assert summary.has_meetings
    assert (summary.buyers.participants, summary.buyers.met_scheduled, summary.buyers.met_held) == (3, 3, 2)
    # the declined entrepreneur is not counted
    assert (summary.suppliers.participants, summary.suppliers.met_scheduled, summary.suppliers.met_held) == (5, 3, 2)
    assert [(r.label, r.participants, r.met_scheduled, r.met_held) for r in summary.suppliers_by_qpv] == [
        (QPV_VERIFIED, 1, 1, 1), (QPV_DECLARED, 2, 1, 1), (QPV_NONE, 2, 1, 0)]
    trades = {r.label[:4]: (r.participants, r.met_scheduled, r.met_held) for r in summary.suppliers_by_trade}
    assert trades == {"90 –": (1, 1, 1), "77 –": (1, 1, 1), "55 –": (1, 1, 0), "Non ": (2, 0, 0)}
    assert summary.suppliers_by_trade[-1].label == TRADE_UNKNOWN
    assert "déchets" in next(r.label for r in summary.suppliers_by_trade if r.label.startswith("90 "))
    assert [(c.scheduled, c.held, c.not_held, c.unknown) for c in summary.by_day] == [(4, 2, 1, 1)]
    assert [(c.label[-11:], c.scheduled, c.held, c.not_held, c.unknown) for c in summary.by_slot] == [
        ("09:00-09:20", 2, 1, 1, 0), ("09:20-09:40", 1, 0, 0, 1), ("10:40-11:00", 1, 1, 0, 0)]
    assert [(c.label.split(" (")[0], c.scheduled, c.held) for c in summary.by_buyer] == [
        ("Ville de Saint-Denis", 2, 1), ("Groupe Énergie", 1, 1), ("Plaine Commune Habitat", 1, 0)]
    assert [(w.asked, w.scheduled, w.held) for w in summary.wishes] == [(1, 1, 1), (2, 1, 0), (1, 0, 0)]


def test_met_counts_fall_back_to_scheduled_before_attendance(summary_world):
    db.session.execute(sa.update(EventMeeting).values(held=None))
    db.session.commit()
    summary = event_summary(summary_world.event)
    assert not summary.attendance_recorded
    qpv = summary_charts(summary)["graphique-qpv"]
    assert qpv.series[1] == "Ayant au moins une rencontre programmée"
    assert [row.values for row in qpv.rows] == [(1, 1), (2, 1), (2, 1)]


def test_queries_do_not_grow_with_the_event(summary_world, make_participant, make_supplier):
    event = summary_world.event

    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.expire_all()
            event_summary(db.session.get(type(event), event.id))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = statements()
    buyer = summary_world.buyers[2]
    for n in range(6):
        company = make_supplier(offers=({"title": "Menuiserie", "cpv_codes": ["45421000"]},))
        supplier = make_participant(event, ParticipantSide.SUPPLIER, company.name, company=company)
        db.session.add(EventMeeting(event=event, buyer=buyer, supplier=supplier, slot=5 + n % 3,
                                    table_index=n // 3 + 1))
    db.session.commit()
    assert statements() == before


def test_empty_event_summary(event_world):
    summary = event_summary(event_world.event)
    assert not summary.has_meetings
    assert summary.suppliers.participants == 5
    assert all(chart.is_empty for key, chart in summary_charts(summary).items()
               if key in {"graphique-rencontres", "graphique-acheteurs"})


def test_summary_page_shows_figures_and_charts(client, auth, summary_world):
    auth.login_as(summary_world.organiser)
    response = client.get(f"/evenements/{summary_world.event.id}/bilan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Bilan de l'événement" in page
    assert page.count('role="img"') == 5
    assert page.count("Voir les données du graphique") == 5
    assert "QPV vérifié" in page
    assert "Souhaits exaucés" in page
    assert "style=" not in page
    assert f"/evenements/{summary_world.event.id}/bilan.xlsx" in page
    assert f'<a href="/evenements/{summary_world.event.id}">' in page  # breadcrumb back to the event


def test_summary_page_empty_state(client, auth, event_world):
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event_world.event.id}/bilan").get_data(as_text=True)
    assert "aucune rencontre n'est programmée" in page
    assert "<svg" not in page


def test_csv_download_parsed_back(client, auth, summary_world):
    auth.login_as(summary_world.organiser)
    response = client.get(f"/evenements/{summary_world.event.id}/bilan.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = row[0]
            sections[current] = []
        else:
            sections[current].append(row)
    assert list(sections) == ["Chiffres clés", "Rencontres par jour", "Rencontres par créneau",
                              "Entrepreneurs par statut QPV", "Entrepreneurs par métier", "Rencontres par acheteur",
                              "Souhaits exaucés"]
    key = dict(sections["Chiffres clés"][1:])
    assert key["Rencontres programmées"] == "4"
    assert key["Rencontres tenues"] == "2"
    assert sections["Entrepreneurs par statut QPV"][0] == [
        "Statut QPV", "Inscrits", "Au moins une rencontre programmée", "Au moins une rencontre tenue"]
    assert sections["Entrepreneurs par statut QPV"][1:] == [
        [QPV_VERIFIED, "1", "1", "1"], [QPV_DECLARED, "2", "1", "1"], [QPV_NONE, "2", "1", "0"]]


def test_xlsx_download_parsed_back(client, auth, summary_world):
    auth.login_as(summary_world.organiser)
    response = client.get(f"/evenements/{summary_world.event.id}/bilan.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Chiffres clés", "Rencontres par jour", "Rencontres par créneau",
                                   "Entrepreneurs par statut QPV", "Entrepreneurs par métier",
                                   "Rencontres par acheteur", "Souhaits exaucés"]
    rows = list(workbook["Souhaits exaucés"].iter_rows(values_only=True))
    assert rows[0] == ("Souhait", "Paires demandées", "Rencontres programmées", "Rencontres tenues")
    assert [r[1:] for r in rows[1:]] == [(1, 1, 1), (2, 1, 0), (1, 0, 0)]
    day = list(workbook["Rencontres par jour"].iter_rows(values_only=True))
    assert day[1][1:] == (4, 2, 1, 1)


def test_a_formula_looking_name_stays_text(client, auth, event_world, make_participant):
    buyer = make_participant(event_world.event, ParticipantSide.BUYER, "=HYPERLINK(\"http://x\")")
    db.session.add(EventMeeting(event=event_world.event, buyer=buyer, supplier=event_world.suppliers[0], slot=0,
                                table_index=0))
    db.session.commit()
    auth.login_as(event_world.organiser)
    text = client.get(f"/evenements/{event_world.event.id}/bilan.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    workbook = load_workbook(io.BytesIO(client.get(f"/evenements/{event_world.event.id}/bilan.xlsx").data))
    cell = next(c for row in workbook["Rencontres par acheteur"].iter_rows() for c in row
                if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


@pytest.mark.parametrize("suffix", ["bilan", "bilan.csv", "bilan.xlsx", "presence"])
def test_access(client, auth, event_world, suffix):
    url = f"/evenements/{event_world.event.id}/{suffix}"
    response = client.get(url)
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]
    auth.login_as(event_world.other_organiser)
    assert client.get(url).status_code == 404
    assert client.get(f"/evenements/999999/{suffix}").status_code == 404
    auth.logout()
    auth.login_as(event_world.buyer_user)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login_as(event_world.supplier_user)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login_as(event_world.organiser)
    assert client.get(url).status_code == 200


def test_the_summary_says_le_for_one_day_and_du_au_for_several(client, auth, event_world):
    event = event_world.event
    auth.login_as(event_world.organiser)
    page = client.get(f"/evenements/{event.id}/bilan").get_data(as_text=True)
    assert f"le {event.first_day:%d/%m/%Y}" in page
    assert f"du {event.first_day:%d/%m/%Y}" not in page
    event.last_day = event.first_day + timedelta(days=1)
    db.session.commit()
    page = client.get(f"/evenements/{event.id}/bilan").get_data(as_text=True)
    assert f"du {event.first_day:%d/%m/%Y} au {event.last_day:%d/%m/%Y}" in page
