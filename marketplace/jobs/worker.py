"""The RQ side: the task an RQ worker runs, and the worker `flask jobs worker` starts.

``perform(job_id)`` runs in the worker process, in the app bound by `flask jobs worker`, or else in one it
creates with ``create_app()`` (a plain `rq worker` started by hand). RQ's default worker forks a work horse
per job: the horse drops the database connections it inherited and opens its own.
"""

import os

_bound = {"app": None, "pid": None}


def bind_app(app) -> None:
    """The app the jobs of this worker process run in."""
    _bound["app"], _bound["pid"] = app, os.getpid()


def perform(job_id: int) -> None:
    from ..extensions import db
    from .services import run_job

    app = _bound["app"]
    if app is None:
        from .. import create_app

        app = create_app()
        bind_app(app)
    if _bound["pid"] != os.getpid():  # a forked work horse: the parent's pooled connections are not ours
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
        _bound["pid"] = os.getpid()
    with app.app_context():
        run_job(job_id)


def run_worker(app, *, burst: bool = False, fork: bool = True) -> bool:
    """Run an RQ worker on the app's queue (``burst``: stop once the queue is empty). Returns RQ's answer."""
    from rq import SimpleWorker, Worker

    from ..extensions import db
    from .backends import RQBackend, backend_for
    from .services import expire_stale

    backend = backend_for(app)
    if not isinstance(backend, RQBackend):
        raise RuntimeError("REDIS_URL (ou JOBS_REDIS_URL) n'est pas défini : sans Redis, les tâches s'exécutent "
                           "dans le serveur web lui-même, aucun worker n'est nécessaire.")
    with app.app_context():
        expire_stale()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()  # nothing open to hand down to the forked work horses
    bind_app(app)
    worker_class = Worker if fork else SimpleWorker
    worker = worker_class([backend.queue()], connection=backend.connection())
    return worker.work(burst=burst, with_scheduler=False)
