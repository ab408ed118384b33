"""``flask events ...``: list events, schedule one, export its meetings (for large events and scripts).

Thin commands: the scheduling is ``scheduling.compute_schedule`` (the same as the background job) and the files
are ``exports`` (the same as the organisers' downloads).
"""

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Event
from ..validators import ServiceError


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"Aucun événement n° {event_id}.")
    return event


@click.group("events")
def events_cli():
    """Diversity-week events: list, schedule, export."""


@events_cli.command("list")
@with_appcontext
def list_command():
    """One line per event: its id, a tab, its name."""
    for event_id, name in db.session.execute(sa.select(Event.id, Event.name).order_by(Event.id)):
        click.echo(f"{event_id}\t{name}")


@events_cli.command("schedule")
@click.argument("event_id", type=click.IntRange(1))
@click.option("--time-limit", "time_limit_s", type=click.FloatRange(min=1), default=None,
              help="Seconds the solver may search (default: the application's).")
@with_appcontext
def schedule_command(event_id, time_limit_s):
    """Compute the event's meetings (replacing the current proposal) and print what they achieve."""
    from .scheduling import compute_schedule

    event = _event(event_id)
    # On stderr: stdout keeps only the summary, for scripts.
    with click.progressbar(length=1000, label="Calcul du planning", file=sys.stderr) as bar:
        def progress(fraction: float) -> None:
            target = round(min(max(float(fraction), 0.0), 1.0) * 1000)
            if target > bar.pos:
                bar.update(target - bar.pos)

        try:
            outcome = compute_schedule(event, progress=progress, time_limit_s=time_limit_s)
        except ServiceError as error:
            db.session.rollback()
            raise click.ClickException(" ".join(error.errors.values()) or "Planning impossible.") from None
        except ValueError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from None
        progress(1.0)
    db.session.commit()
    meetings = outcome.meetings if isinstance(outcome.meetings, int) else len(outcome.meetings)
    optimal = {True: "oui", False: "non"}.get(outcome.optimal, "inconnu")
    click.echo(f"Rendez-vous : {meetings}")
    click.echo(f"Entrepreneurs rencontrés : {outcome.entrepreneurs_met}/{outcome.entrepreneurs_total}")
    click.echo(f"Optimal : {optimal}")


@events_cli.command("export")
@click.argument("event_id", type=click.IntRange(1))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "ics"]), default="csv", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, writable=True, path_type=Path), default=".",
              show_default=True, help="Directory to write the file into (created when missing).")
@with_appcontext
def export_command(event_id, fmt, out_dir):
    """Write the event's meetings as CSV, XLSX or iCalendar; print the file's path."""
    from .exports import export

    event = _event(event_id)
    content, _mimetype, filename = export(event, fmt)
    path = out_dir / filename
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as error:
        raise click.ClickException(f"Impossible d'écrire {path} : {error.strerror or error}.") from None
    click.echo(str(path))
