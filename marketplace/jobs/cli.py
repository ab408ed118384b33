"""`flask jobs ...`: the RQ worker that runs long work when REDIS_URL is set."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("jobs")
def jobs_cli():
    """Long work run outside the request (scheduling, imports, index rebuilds)."""


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty (scripts, tests).")
@click.option("--fork/--no-fork", default=True, show_default=True,
              help="Run each job in a forked process (RQ's default) or in the worker itself.")
@with_appcontext
def worker_command(burst, fork):
    """Run an RQ worker on the marketplace queue (needs REDIS_URL); run it next to gunicorn."""
    from .worker import run_worker

    app = current_app._get_current_object()
    try:
        run_worker(app, burst=burst, fork=fork)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    except ImportError:
        raise click.ClickException("RQ n'est pas installé : pip install '.[redis]'.") from None


@jobs_cli.command("expire-stale")
@with_appcontext
def expire_stale_command():
    """Show as interrupted the jobs left queued or running longer than JOBS_STALE_AFTER_SECONDS."""
    from .services import expire_stale

    click.echo(f"{expire_stale()} tâche(s) marquée(s) comme interrompue(s).")
