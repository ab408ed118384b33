"""gunicorn's settings, read from the project directory: `gunicorn wsgi:app` (README, "Production").

The master loads the app and the saved search index once, then forks the workers (``preload_app``): the index's
arrays are a read-only map of one file, and its Python objects are shared copy-on-write, frozen out of the garbage
collector's reach so that its passes do not copy them into every worker. A worker that later sees a newer index
(``flask search build`` or the background build) loads it itself.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads (gthread workers) keep connections alive and let a request wait on the database while another runs.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
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
