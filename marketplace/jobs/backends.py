"""Where a queued job runs: RQ on Redis, a small in-process thread pool, or at once (tests).

Every backend takes only the job id: the worker reads everything else from the row, so nothing but the id
crosses threads or processes. The app owns its backend (``app.extensions``), created on first use: no thread
is started and no Redis connection opened at import or in ``create_app``.
"""

import logging
import os
import queue
import threading

logger = logging.getLogger(__name__)
EXTENSION_KEY = "marketplace_jobs"
RQ_TASK = "marketplace.jobs.worker.perform"
_creation_lock = threading.Lock()


def backend_for(app):
    """The app's backend: JOBS_EAGER -> eager; JOBS_REDIS_URL (REDIS_URL by default) -> RQ; else in-process."""
    backend = app.extensions.get(EXTENSION_KEY)
    if backend is None:
        with _creation_lock:
            backend = app.extensions.get(EXTENSION_KEY)
            if backend is None:
                backend = _make_backend(app)
                app.extensions[EXTENSION_KEY] = backend
    return backend


def _make_backend(app):
    if app.config.get("JOBS_EAGER"):
        return EagerBackend(app)
    if app.config.get("JOBS_REDIS_URL"):
        return RQBackend(app)
    return InProcessBackend(app, workers=int(app.config.get("JOBS_INPROCESS_WORKERS", 1)))


def shutdown_backend(app, *, wait: bool = True) -> None:
    """Stop the app's worker threads, if any (tests; a server simply exits: the threads are daemons)."""
    backend = app.extensions.pop(EXTENSION_KEY, None)
    if backend is not None:
        backend.shutdown(wait=wait)


class EagerBackend:
    """Runs the job at once, in a fresh app context (a session of its own), before enqueue returns."""

    name = "eager"

    def __init__(self, app):
        self.app = app

    def submit(self, job_id: int) -> None:
        from .services import run_job

        with self.app.app_context():
            run_job(job_id)

    def shutdown(self, wait: bool = True) -> None:
        pass


class InProcessBackend:
    """A few daemon threads of this process take job ids from a queue, each job in its own app context.

    The embedded default: a job is lost if the process stops (it then shows as interrupted once stale).
    Threads start on the first job, and again in a forked child (a gunicorn worker) that enqueues one.
    """

    name = "inprocess"

    def __init__(self, app, workers: int = 1):
        self.app = app
        self.workers = max(1, workers)
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._pid = None
        self._lock = threading.Lock()

    def submit(self, job_id: int) -> None:
        self._ensure_started()
        self._queue.put(job_id)

    def _ensure_started(self) -> None:
        with self._lock:
            if self._pid == os.getpid() and all(thread.is_alive() for thread in self._threads):
                return
            if self._pid != os.getpid():  # threads do not survive a fork, nor do queued ids
                self._queue = queue.Queue()
            self._pid = os.getpid()
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            while len(self._threads) < self.workers:
                thread = threading.Thread(target=self._loop, name=f"job-worker-{len(self._threads) + 1}",
                                          daemon=True)
                thread.start()
                self._threads.append(thread)

    def _loop(self) -> None:
        from .services import run_job

        while True:
            job_id = self._queue.get()
            try:
                if job_id is None:
                    return
                with self.app.app_context():
                    run_job(job_id)
            except Exception:  # noqa: BLE001  (the thread outlives one job's unexpected failure)
                logger.exception("in-process worker: job %s crashed outside its handler", job_id)
            finally:
                self._queue.task_done()

    def join(self) -> None:
        """Wait until every submitted job has been run (tests)."""
        self._queue.join()

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)
        if wait:
            for thread in threads:
                thread.join()


class RQBackend:
    """Puts the job id on an RQ queue; `flask jobs worker` (or any RQ worker) runs ``worker.perform(id)``."""

    name = "rq"

    def __init__(self, app):
        self.url = app.config["JOBS_REDIS_URL"]
        self.queue_name = app.config.get("JOBS_QUEUE_NAME", "marketplace")
        self.timeout = int(app.config.get("JOBS_STALE_AFTER_SECONDS", 3600))
        self._connection = None

    def connection(self):
        if self._connection is None:
            import redis

            self._connection = redis.Redis.from_url(self.url)
        return self._connection

    def queue(self):
        from rq import Queue

        return Queue(self.queue_name, connection=self.connection())

    def submit(self, job_id: int) -> None:
        # RQ stops a job at the stale timeout: it is then shown as interrupted anyway.
        self.queue().enqueue_call(RQ_TASK, args=(job_id,), timeout=self.timeout, result_ttl=0,
                                  failure_ttl=7 * 24 * 3600, description=f"marketplace job {job_id}")

    def shutdown(self, wait: bool = True) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
