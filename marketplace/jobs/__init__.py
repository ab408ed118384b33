"""Long work outside the request: ``@job_handler``, ``enqueue``, the status route and `flask jobs worker`.

Backends: RQ on Redis when JOBS_REDIS_URL (default: REDIS_URL) is set, else a small in-process thread pool;
JOBS_EAGER runs jobs at once (the tests' default). See docs/architecture.md, "Long work".
"""

import importlib

from .routes import bp
from .services import enqueue, job_for, job_handler, job_status, run_job

__all__ = ["bp", "enqueue", "init_app", "job_for", "job_handler", "job_status", "run_job"]


def init_app(app) -> None:
    """Import the modules that register handlers (JOBS_HANDLER_MODULES), so web and workers know them all."""
    for module in app.config.get("JOBS_HANDLER_MODULES", ()):
        importlib.import_module(module)
