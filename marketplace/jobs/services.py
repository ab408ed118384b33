"""The job rules: the handler registry, enqueue, run one job, progress, failures and stale jobs.

A handler is a function ``handler(payload, progress) -> result`` registered with ``@job_handler("kind")``.
``payload`` is the JSON given to :func:`enqueue`; ``progress(fraction, message=None)`` stores how far it got
(``progress.job_id`` and ``progress.created_by_id`` say for what and whom); the result must be JSON and may
hold ``{"url": "/..."}``, the page that shows the outcome. The handler works with ``db.session`` as usual:
what it leaves uncommitted is committed together with the job's "done", or rolled back on failure.
"""

import json
import logging
import math
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..extensions import db
from ..models import Job, JobStatus, Role, User, utcnow
from ..models.jobs import PROGRESS_MESSAGE_MAX
from ..validators import ServiceError

logger = logging.getLogger(__name__)

GENERIC_FAILURE = ("La tâche a échoué à cause d'une erreur inattendue. Réessayez plus tard ; si le problème "
                   "persiste, contactez l'équipe du site.")
INTERRUPTED = ("La tâche a été interrompue (le service a redémarré ou elle a dépassé le temps permis). "
               "Relancez-la.")
QUEUE_UNAVAILABLE = "La file d'attente des tâches est indisponible. Réessayez dans quelques minutes."
MIN_PROGRESS_STEP = 0.01  # smaller advances are not written (a handler may report every item of 100,000)

Handler = Callable[[dict, "Progress"], object]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str):
    """Register the function that runs the jobs of ``kind`` (e.g. "events.schedule")."""

    def register(function: Handler) -> Handler:
        known = _HANDLERS.get(kind)
        if known is not None and known is not function:
            raise ValueError(f"a job handler is already registered for {kind!r}: {known.__qualname__}")
        _HANDLERS[kind] = function
        return function

    return register


def registered_kinds() -> frozenset[str]:
    return frozenset(_HANDLERS)


def enqueue(kind: str, payload: dict | None = None, *, user: User | None = None,
            with_job: Callable[[Job], None] | None = None) -> Job:
    """Write the job row, COMMIT the session (the worker must see the row), then hand the id to the backend.

    ``with_job(job)`` runs once the row has its id, before that commit: what it writes (e.g. "this event's
    running job") is committed together with the job, under the locks the caller holds.

    Unknown kinds and payloads that are not JSON are programming errors (ValueError / TypeError). When the
    queue cannot take the job (Redis down), the job is returned failed with a French message.
    """
    from .backends import backend_for

    if kind not in _HANDLERS:
        raise ValueError(f"no job handler registered for {kind!r}")
    payload = dict(payload or {})
    json.dumps(payload)  # raises TypeError now rather than in the worker
    job = Job(kind=kind, payload=payload, status=JobStatus.QUEUED, progress=0.0, created_by=user)
    db.session.add(job)
    if with_job is not None:
        db.session.flush()
        with_job(job)
    db.session.commit()
    job_id = job.id
    try:
        backend_for(current_app._get_current_object()).submit(job_id)
    except Exception:  # noqa: BLE001  (a queue outage is the user's failure to see, not a 500)
        logger.exception("job %s (%s) could not be queued", job_id, kind)
        db.session.rollback()
        _finish(job_id, JobStatus.FAILED, error=QUEUE_UNAVAILABLE, only_if=(JobStatus.QUEUED,))
    db.session.expire(job)  # read again on access: an eager or quick worker may have moved it on
    return job


def run_job(job_id: int) -> None:
    """Run one queued job in the current app context (a worker thread, an RQ worker or eager mode).

    Only a job still "queued" runs: a second delivery, or a job already shown as interrupted, is skipped.
    """
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, progress=0.0)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        logger.info("job %s is not queued any more: not run", job_id)
        return
    job = db.session.get(Job, job_id)
    kind, payload, created_by_id = job.kind, dict(job.payload or {}), job.created_by_id
    db.session.commit()  # end the read transaction: the handler starts clean
    handler = _HANDLERS.get(kind)
    progress = Progress(job_id, created_by_id)
    try:
        if handler is None:
            raise LookupError(f"no job handler registered for {kind!r} in this process")
        result = handler(payload, progress)
        json.dumps(result)
        # "done" is committed with whatever the handler left uncommitted: both or neither.
        _finish(job_id, JobStatus.DONE, result=result, message=progress.message, commit_with_session=True)
    except ServiceError as error:
        db.session.rollback()
        logger.info("job %s (%s) refused: %s", job_id, kind, error)
        _finish(job_id, JobStatus.FAILED, error=f"La tâche a échoué : {error}", message=progress.message)
    except Exception:  # noqa: BLE001  (any failure is recorded for the user; the traceback goes to the log)
        db.session.rollback()
        logger.exception("job %s (%s) failed", job_id, kind)
        _finish(job_id, JobStatus.FAILED, error=GENERIC_FAILURE, message=progress.message)


def _finish(job_id: int, status: JobStatus, *, result=None, error: str | None = None, message: str | None = None,
            only_if: tuple[JobStatus, ...] = (JobStatus.RUNNING,), commit_with_session: bool = False) -> None:
    values = {"status": status, "finished_at": utcnow(), "error": error, "progress_message": message}
    if status is JobStatus.DONE:
        values.update(progress=1.0, result=result)
    db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.status.in_(only_if)).values(**values)
        .execution_options(synchronize_session=False)
    )
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        if not commit_with_session:
            raise
        # The handler's own work could not be committed (a constraint, a conflict): that is the failure.
        logger.exception("job %s: committing the handler's work failed", job_id)
        _finish(job_id, JobStatus.FAILED, error=GENERIC_FAILURE, message=message)
    db.session.expire_all()


class Progress:
    """The ``progress(fraction, message=None)`` callback given to a handler.

    Each write is its own short transaction on its own connection, so the page sees it while the handler's
    work is still uncommitted. It never waits long for a lock: on SQLite the handler's open write transaction
    holds the only write lock, so the write gives up after JOBS_PROGRESS_LOCK_WAIT_MS and the latest value
    goes out with a later call (or with the end of the job). Small advances are not written at all.
    """

    def __init__(self, job_id: int, created_by_id: int | None):
        self.job_id = job_id
        self.created_by_id = created_by_id
        self.fraction = 0.0
        self.message: str | None = None
        self._written: tuple[float, str | None] | None = None
        self.skipped = 0  # writes given up because of a lock (read by the tests)

    def __call__(self, fraction: float, message: str | None = None) -> None:
        fraction = float(fraction)
        if math.isnan(fraction):
            return
        self.fraction = min(1.0, max(0.0, fraction))
        if message is not None:
            self.message = str(message)[:PROGRESS_MESSAGE_MAX]
        if self._worth_writing():
            self._write()

    def _worth_writing(self) -> bool:
        if self._written is None:
            return True
        fraction, message = self._written
        return (message != self.message or self.fraction - fraction >= MIN_PROGRESS_STEP
                or (self.fraction == 1.0 and fraction != 1.0))

    def _write(self) -> None:
        engine = db.engine
        if isinstance(engine.pool, StaticPool):
            # One connection shared by every session (in-memory SQLite, tests): a commit there would also commit
            # the handler's pending work, so the progress is only stored with the job's end.
            return
        wait_ms = int(current_app.config.get("JOBS_PROGRESS_LOCK_WAIT_MS", 200))
        try:
            with engine.connect() as connection:
                with _short_lock_wait(connection, wait_ms):
                    connection.execute(
                        sa.update(Job.__table__)
                        .where(Job.__table__.c.id == self.job_id, Job.__table__.c.status == JobStatus.RUNNING.value)
                        .values(progress=self.fraction, progress_message=self.message)
                    )
                    connection.commit()
        except SQLAlchemyError as error:
            self.skipped += 1
            logger.debug("job %s: progress not written now (%s)", self.job_id, error)
            return
        self._written = (self.fraction, self.message)


class _short_lock_wait:  # noqa: N801  (a context manager used like a function)
    """Wait at most ``wait_ms`` for a lock on this connection (SQLite busy timeout, PostgreSQL lock_timeout)."""

    def __init__(self, connection, wait_ms: int):
        self.connection, self.wait_ms, self.previous = connection, wait_ms, None

    def __enter__(self):
        name = self.connection.dialect.name
        if name == "sqlite":
            self.previous = self.connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            self.connection.exec_driver_sql(f"PRAGMA busy_timeout = {self.wait_ms}")
        elif name == "postgresql":
            self.connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{self.wait_ms}ms'")
        return self

    def __exit__(self, *exc_info):
        if self.previous is not None:  # the pooled connection goes back with its usual patience
            self.connection.rollback()
            self.connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(self.previous)}")
            self.connection.commit()
        return False


def stale_after() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("JOBS_STALE_AFTER_SECONDS", 3600)))


def expire_stale(job_id: int | None = None) -> int:
    """Show as failed ("interrompue") the jobs left queued or running longer than JOBS_STALE_AFTER_SECONDS.

    A worker that died (a restart, a crash, the in-process pool of a stopped server) leaves its jobs so;
    called when a job is read and when `flask jobs worker` starts. Returns how many were marked.
    """
    now = utcnow()
    cutoff = now - stale_after()
    stale = sa.or_(
        sa.and_(Job.status == JobStatus.RUNNING, Job.started_at < cutoff),
        sa.and_(Job.status == JobStatus.QUEUED, Job.created_at < cutoff),
    )
    statement = (sa.update(Job).where(stale).values(status=JobStatus.FAILED, error=INTERRUPTED, finished_at=now)
                 .execution_options(synchronize_session=False))
    if job_id is not None:
        statement = statement.where(Job.id == job_id)
    count = db.session.execute(statement).rowcount
    db.session.commit()
    if count:
        logger.warning("%s stale job(s) marked as interrupted", count)
    return count


def job_for(user: User, job_id: int) -> Job | None:
    """The job if ``user`` started it (administrators see every job), stale ones shown as interrupted."""
    job = db.session.get(Job, job_id)
    if job is None or (job.created_by_id != user.id and user.role is not Role.ADMIN):
        return None
    if not job.finished and expire_stale(job_id):
        db.session.refresh(job)
    return job


def job_status(job: Job) -> dict:
    """What the status route returns and the progress partial shows."""
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status.value,
        "status_label": job.status.label,
        "finished": job.finished,
        "progress": job.progress,
        "percent": job.percent,
        "message": job.progress_message,
        "error": job.error,
        "result_url": job.result_url,
    }
