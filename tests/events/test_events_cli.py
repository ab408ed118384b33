"""``flask events list | schedule | export``."""

import csv
import io
from types import SimpleNamespace

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from marketplace.extensions import db
from marketplace.models import EventMeeting

from .test_exports import add_meetings


def test_list_prints_id_tab_name(runner, event_world, make_event):
    other = make_event(event_world.organiser, name="Qualifions nos Quartiers")
    result = runner.invoke(args=["events", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{event_world.event.id}\tSemaine de la diversité entrepreneuriale",
                                          f"{other.id}\tQualifions nos Quartiers"]


def test_list_without_events_prints_nothing(runner, app):
    result = runner.invoke(args=["events", "list"])
    assert result.exit_code == 0
    assert result.output == ""


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ics"])
def test_export_writes_the_file_and_prints_its_path(runner, event_world, tmp_path, fmt):
    add_meetings(event_world)
    out = tmp_path / "sorties"
    result = runner.invoke(args=["events", "export", str(event_world.event.id), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    path = out / f"rendez-vous-semaine-de-la-diversite-entrepreneuriale.{fmt}"
    assert result.output.strip() == str(path)
    content = path.read_bytes()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][:3] == ["jour", "début", "fin"]
        assert len(rows) == 5
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(content)).sheetnames[-2:] == ["Acheteurs", "Entreprises"]
    else:
        assert len(Calendar.from_ical(content).walk("VEVENT")) == 4


@pytest.mark.parametrize("command", [["export", "999999", "--out", "."], ["schedule", "999999"]])
def test_an_unknown_event_is_a_clear_error(runner, app, command, tmp_path):
    result = runner.invoke(args=["events", *command])
    assert result.exit_code != 0
    assert "Aucun événement n° 999999" in result.output


def test_export_refuses_an_unknown_format(runner, event_world, tmp_path):
    result = runner.invoke(args=["events", "export", str(event_world.event.id), "--format", "pdf",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert not any(tmp_path.iterdir())


def test_schedule_reports_what_the_computation_achieved(runner, event_world, monkeypatch):
    """The command's own part (progress, commit, summary) with a stand-in computation."""
    from marketplace.events import scheduling

    seen = {}

    def fake(event, progress=None, *, time_limit_s=None):
        seen.update(event=event.id, time_limit_s=time_limit_s)
        progress(0.5)
        db.session.add(EventMeeting(event=event, buyer=event_world.buyers[0], supplier=event_world.suppliers[0],
                                    slot=0, table_index=0, reason="Test"))
        return SimpleNamespace(meetings=[object()], entrepreneurs_met=1, entrepreneurs_total=5, optimal=None)

    monkeypatch.setattr(scheduling, "compute_schedule", fake, raising=False)
    result = runner.invoke(args=["events", "schedule", str(event_world.event.id), "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert seen == {"event": event_world.event.id, "time_limit_s": 5.0}
    assert "Rendez-vous : 1" in result.output
    assert "Entrepreneurs rencontrés : 1/5" in result.output
    assert "Optimal : inconnu" in result.output
    db.session.expire_all()
    assert len(event_world.event.meetings) == 1  # committed


def test_schedule_computes_and_saves_the_meetings(runner, event_world):
    """The real computation (marketplace.events.scheduling, the same as the background job)."""
    result = runner.invoke(args=["events", "schedule", str(event_world.event.id)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    meetings = event_world.event.meetings
    assert meetings
    assert f"Rendez-vous : {len(meetings)}" in result.output
    met = len({m.supplier_id for m in meetings})
    assert f"Entrepreneurs rencontrés : {met}/5" in result.output
    assert any(f"Optimal : {word}" in result.output for word in ("oui", "non", "inconnu"))


def test_schedule_explains_why_nothing_can_be_scheduled(runner, event_world, make_event):
    empty = make_event(event_world.organiser, name="Sans participants")
    result = runner.invoke(args=["events", "schedule", str(empty.id)])
    assert result.exit_code == 1
    assert "Aucun acheteur ne participe" in result.output


def test_export_reports_a_directory_it_cannot_create(runner, event_world, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    result = runner.invoke(args=["events", "export", str(event_world.event.id), "--out", str(blocker / "sous")])
    assert result.exit_code == 1
    assert "Impossible d'écrire" in result.output
