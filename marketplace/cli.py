"""Thin click commands; the work is done by services shared with the web views."""

import click
from flask.cli import with_appcontext


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrateur", show_default=True, help="Full name shown in the UI.")
@click.password_option(
    "--password", envvar="ADMIN_PASSWORD", help="Prompted for when not given (or set ADMIN_PASSWORD)."
)
@with_appcontext
def create_admin_command(email, name, password):
    """Create an administrator account (or promote an existing one)."""
    from .auth.services import create_admin

    try:
        user = create_admin(email, password, full_name=name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Administrateur prêt : {user.email}")


@click.command("seed-demo")
@click.option("--suppliers", "supplier_count", default=300, show_default=True, type=click.IntRange(1, 200_000))
@click.option("--seed", default=42, show_default=True, type=int, help="Random seed: same seed, same data.")
@click.option("--tenders", "tender_count", default=0, show_default=True, type=click.IntRange(0, 100_000),
              help="Published tenders to add to the 40 of the demo (open, varied trades and departments).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds suppliers.")
@with_appcontext
def seed_demo_command(supplier_count, seed, tender_count, if_empty):
    """Load deterministic demo data (idempotent: running it twice changes nothing)."""
    from .demo import database_is_empty, seed_demo

    if if_empty and not database_is_empty():
        click.echo("Base déjà remplie : données de démonstration non chargées.")
        return
    summary = seed_demo(suppliers=supplier_count, seed=seed, tenders=tender_count, progress=_progress_printer())
    click.echo(summary.describe())


def _progress_printer():
    def report(label: str, done: int, total: int) -> None:
        if done == total or done % max(1, total // 10) == 0:
            click.echo(f"  {label} : {done}/{total}", err=True)

    return report


@click.command("send-emails")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000), help="E-mails per pass.")
@click.option("--loop", is_flag=True, help="Keep draining the outbox (development: `make run` starts it).")
@click.option("--interval", default=10, show_default=True, type=click.IntRange(1, 3600),
              help="Seconds between passes with --loop.")
@with_appcontext
def send_emails_command(limit, loop, interval):
    """Send the outbox e-mails that are due (MAIL_BACKEND: smtp, file or console), with retries."""
    import time

    from .notifications.mailer import send_due

    while True:
        try:
            report = send_due(limit=limit)
        except Exception as error:  # noqa: BLE001  (--loop outlives a database or backend hiccup)
            if not loop:
                raise
            from .extensions import db

            db.session.rollback()
            click.echo(f"Envoi interrompu ({type(error).__name__}: {error}) ; nouvel essai dans {interval} s.",
                       err=True)
            time.sleep(interval)
            continue
        if report.total or not loop:
            click.echo(report.describe())
        if report.total == limit:
            continue  # a full batch: more may be due at once
        if not loop:
            return
        time.sleep(interval)


@click.command("send-digests")
@click.option("--daily", "frequency", flag_value="daily", help="The daily digests (run once a day).")
@click.option("--weekly", "frequency", flag_value="weekly", help="The weekly digests (run once a week).")
@with_appcontext
def send_digests_command(frequency):
    """Queue one digest e-mail per user for the notifications they receive daily or weekly."""
    from .notifications.services import send_digests

    if frequency is None:
        raise click.UsageError("Choisissez --daily ou --weekly.")
    report = send_digests(frequency)
    click.echo(f"{report.users} résumé(s) mis en file, {report.notifications} notification(s) regroupée(s). "
               "`flask send-emails` les envoie.")


@click.group("search")
def search_cli():
    """The supplier search engine's saved index."""


@search_cli.command("build")
@with_appcontext
def search_build_command():
    """Fit the engine on every company and save it for the web workers (at deploy; `make run` does it)."""
    from .search import build_index

    try:
        saved, seconds = build_index()
    except RuntimeError as error:
        raise click.ClickException("SEARCH_INDEX_DIR est vide : l'index ne peut pas être enregistré.") from error
    from babel.numbers import format_decimal

    size = saved.path.stat().st_size / 1e6
    companies, seconds = format_decimal(saved.build.companies, locale="fr"), format_decimal(round(seconds, 1),
                                                                                           locale="fr")
    click.echo(f"Index de recherche construit : {companies} fournisseurs en {seconds} s, {size:.0f} Mo, "
               f"dans {saved.path}.")


def init_app(app) -> None:
    from .events.cli import events_cli
    from .jobs.cli import jobs_cli
    from .refdata.cli import refdata_cli

    for command in (create_admin_command, seed_demo_command, refdata_cli, send_emails_command, send_digests_command,
                    jobs_cli, search_cli):
        app.cli.add_command(command)
    app.cli.add_command(events_cli)
