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
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds suppliers.")
@with_appcontext
def seed_demo_command(supplier_count, seed, if_empty):
    """Load deterministic demo data (idempotent: running it twice changes nothing)."""
    from .demo import database_is_empty, seed_demo

    if if_empty and not database_is_empty():
        click.echo("Base déjà remplie : données de démonstration non chargées.")
        return
    summary = seed_demo(suppliers=supplier_count, seed=seed, progress=_progress_printer())
    click.echo(summary.describe())


def _progress_printer():
    def report(label: str, done: int, total: int) -> None:
        if done == total or done % max(1, total // 10) == 0:
            click.echo(f"  {label} : {done}/{total}", err=True)

    return report


def init_app(app) -> None:
    from .refdata.cli import refdata_cli

    for command in (create_admin_command, seed_demo_command, refdata_cli):
        app.cli.add_command(command)
