"""Background jobs: the status, progress and outcome of long work run outside the request (marketplace/jobs)."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow

PROGRESS_MESSAGE_MAX = 300


class JobStatus(enum.StrEnum):
    QUEUED = "queued"  # written, waiting for a worker
    RUNNING = "running"  # claimed by one worker (started_at set)
    DONE = "done"  # the handler returned: result holds what it returned
    FAILED = "failed"  # error holds the French message shown to the user (the traceback is in the log only)

    @property
    def label(self) -> str:
        return JOB_STATUS_LABELS[self]

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


JOB_STATUS_LABELS = {
    JobStatus.QUEUED: "En attente",
    JobStatus.RUNNING: "En cours",
    JobStatus.DONE: "Terminée",
    JobStatus.FAILED: "Échec",
}


class Job(db.Model):
    """One piece of long work: enqueued by a request, run by a worker, watched by the page that started it."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(80), nullable=False)  # the handler's name, e.g. "events.schedule"
    payload: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), nullable=False, default=JobStatus.QUEUED)
    progress: Mapped[float] = mapped_column(sa.Float, nullable=False, default=0.0)  # in [0, 1]
    progress_message: Mapped[str | None] = mapped_column(sa.String(PROGRESS_MESSAGE_MAX))  # French
    result: Mapped[dict | list | str | int | float | bool | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)  # French, for the user
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by = relationship("User")

    @property
    def percent(self) -> int:
        return max(0, min(100, round((self.progress or 0.0) * 100)))

    @property
    def finished(self) -> bool:
        return self.status.finished

    @property
    def result_url(self) -> str | None:
        """The page showing the outcome: a handler returns {"url": "/..."}; only paths on this site count."""
        url = self.result.get("url") if isinstance(self.result, dict) else None
        if isinstance(url, str) and url.startswith("/") and not url.startswith("//") and "\\" not in url:
            return url
        return None
