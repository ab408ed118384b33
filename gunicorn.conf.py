"""gunicorn's settings, read from the project directory: `gunicorn wsgi:app` (README, "Production").

The master loads the app and the saved search index once, then forks the workers (``preload_app``): the index's
arrays are a read-only map of one file, and its Python objects are shared copy-on-write, frozen out of the garbage
collector's reach so that its passes do not copy them into every worker. A worker that later sees a newer index
(``flask search build`` or the background build) loads it itself.
"""

import gc
import os


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two single-threaded (sync) workers per core, behind a buffering proxy (README, "Production"). The pages are
# CPU-bound Python: a free worker takes the next connection, so load spreads evenly. Threaded (gthread) workers
# keep each keep-alive connection on the worker that accepted it, busy or not: on 2 cores at 10 clients the search
# page's p95 was 111 ms with 2 workers x 4 threads and 66 ms with 4 sync workers (README, "Load benchmark").
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores()))
# > 1 for gthread workers (connections kept alive by gunicorn itself; slow clients do not hold a whole worker).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A sync worker busy with one request past this is killed as hung. The slowest legitimate request fits the whole
# engine (the first search of a site without a saved index, or after a reference data reload: 18 s for 100,000
# suppliers on a quiet machine): gunicorn's 30 s would kill it, and the next worker would start over.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # unset: no access log (a proxy in front usually keeps one)


def when_ready(server):
    """In the master, before the first fork: the search engine loaded (or fitted, without a saved index)."""
    if not preload_app:
        return
    from marketplace.search import warm_up

    warm_up(server.app.wsgi())
    gc.freeze()


def post_fork(server, worker):
    """Database connections are per process: a worker never reuses one the master opened."""
    if not preload_app:
        return
    from marketplace.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)
