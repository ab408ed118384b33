"""``flask refdata ...``: thin commands over the loader and the lookups."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

refdata_cli = AppGroup("refdata", help="Référentiels : CPV, NAF, QPV, communes et codes postaux.")


@refdata_cli.command("load")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=str))
@click.option("--force", is_flag=True, help="Recharger même les fichiers déjà chargés (même empreinte).")
@click.option("--allow-shrink", is_flag=True,
              help="Accepter qu'un fichier retire plus de 5 % des lignes de sa table (sinon : refusé).")
def load_command(directory, force, allow_shrink):
    """Load the reference files DIRECTORY holds (default: SHARED_DATA_DIR), in one transaction."""
    from .loader import RefdataError, load_directory, table_counts

    directory = directory or current_app.config["SHARED_DATA_DIR"]
    started = time.perf_counter()
    with click.progressbar(length=1, label="Chargement des référentiels", file=sys.stderr) as bar:

        def progress(label: str, done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.label = f"Référentiels : {label}"
            bar.update(done - bar.pos)

        try:
            summary = load_directory(directory, force=force, allow_shrink=allow_shrink, progress=progress)
        except RefdataError as error:
            raise click.ClickException(f"Aucune donnée chargée. {error}") from None
    click.echo(summary.describe())
    counts = table_counts()
    click.echo("Tables : " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    click.echo(f"Durée : {time.perf_counter() - started:.1f} s")


@refdata_cli.command("status")
def status_command():
    """Show the reference tables' row counts and the loaded files."""
    from .loader import table_counts
    from .lookups import loaded_files

    for name, count in table_counts().items():
        click.echo(f"{name:14} {count}")
    for record in loaded_files():
        click.echo(f"{record.filename} : {record.row_count} lignes, chargé le {record.loaded_at:%Y-%m-%d %H:%M} UTC")
