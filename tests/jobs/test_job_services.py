"""enqueue / run_job: progress seen from another session while a job runs, results, failures, stale jobs."""

import logging
import time
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db
from marketplace.jobs import enqueue, job_for, job_status, run_job
from marketplace.jobs.backends import EXTENSION_KEY, InProcessBackend, backend_for
from marketplace.jobs.services import GENERIC_FAILURE, INTERRUPTED, QUEUE_UNAVAILABLE, expire_stale
from marketplace.models import BuyerOrganisation, Job, JobStatus, Role, utcnow
from tests.jobs import handlers

WAIT_SECONDS = 30


def read_job(job_id: int) -> Job:
    """The row as another request would see it now (a fresh read, the transaction ended)."""
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    db.session.commit()
    return job


def organisation_names() -> set[str]:
    names = set(db.session.scalars(sa.select(BuyerOrganisation.name)))
    db.session.commit()
    return names


def wait_until_finished(job_id: int) -> Job:
    """A bounded poll, as the page does: a bug fails the test instead of hanging it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        job = read_job(job_id)
        if job.finished:
            return job
        time.sleep(0.02)
    pytest.fail(f"job {job_id} did not finish")


def test_eager_job_is_done_with_its_result(app, make_user):
    user = make_user(Role.ORGANISER)
    job = enqueue("test.echo", {"n": 1}, user=user)
    assert job.status is JobStatus.DONE
    assert job.progress == 1.0
    assert job.progress_message == "À mi-chemin"
    assert job.result == {"echo": {"n": 1}, "url": "/acheteur/", "job": job.id, "by": user.id}
    assert job.result_url == "/acheteur/"
    assert job.error is None
    assert job.started_at <= job.finished_at
    assert job_status(job)["status_label"] == "Terminée"


def test_what_with_job_writes_is_committed_with_the_job_row(app):
    written = []

    def name_it(job):
        written.append(job.id)
        db.session.add(BuyerOrganisation(name=f"Organisation de la tâche {job.id}"))

    job = enqueue("test.echo", {"n": 2}, with_job=name_it)
    assert written == [job.id]
    db.session.rollback()  # nothing pending: both were committed before the job ran
    assert db.session.scalar(sa.select(BuyerOrganisation.name)) == f"Organisation de la tâche {job.id}"


def test_a_job_runs_once(app):
    handlers.CALLS.clear()
    job = enqueue("test.echo", {"once": True})
    run_job(job.id)  # a second delivery (RQ retry, two workers)
    assert handlers.CALLS == [("test.echo", {"once": True})]
    assert read_job(job.id).status is JobStatus.DONE


def test_service_error_is_recorded_in_french_and_the_work_rolled_back(app, make_user):
    job = enqueue("test.refuse", user=make_user())
    assert job.status is JobStatus.FAILED
    assert job.error == "La tâche a échoué : Le créneau est complet."
    assert job.progress_message == "Vérification"
    assert job.result is None
    assert "Refusée" not in organisation_names()


def test_unexpected_failure_shows_a_generic_message_and_logs_the_traceback(app, caplog):
    with caplog.at_level(logging.ERROR, logger="marketplace.jobs.services"):
        job = enqueue("test.crash")
    assert job.status is JobStatus.FAILED
    assert job.error == GENERIC_FAILURE
    assert "secret" not in job.error
    assert "Plantée" not in organisation_names()
    [record] = [r for r in caplog.records if r.exc_info]
    assert "secret internal detail" in str(record.exc_info[1])


def test_a_result_that_is_not_json_is_a_failure(app):
    job = enqueue("test.not_json")
    assert job.status is JobStatus.FAILED
    assert job.error == GENERIC_FAILURE


def test_unknown_kinds_and_non_json_payloads_are_refused_before_anything_is_written(app):
    with pytest.raises(ValueError, match="no job handler"):
        enqueue("test.nobody", {})
    with pytest.raises(TypeError):
        enqueue("test.echo", {"when": object()})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_a_result_link_must_stay_on_the_site(app):
    for url, expected in [("/acheteur/", "/acheteur/"), ("https://ailleurs.example/", None),
                          ("//ailleurs.example/", None), ("/\\ailleurs.example", None), (None, None)]:
        assert Job(kind="x", payload={}, result={"url": url}).result_url == expected
    assert Job(kind="x", payload={}, result=[1, 2]).result_url is None


def test_no_thread_and_no_backend_until_the_first_job(job_app):
    app = job_app()
    assert EXTENSION_KEY not in app.extensions
    with app.app_context():
        backend = backend_for(app)
    assert isinstance(backend, InProcessBackend)
    assert backend._threads == []


def test_in_process_threads_show_progress_from_another_session_while_running(job_app, make_user, backend):
    """The handler's uncommitted work stays invisible, its progress does not; SQLite never deadlocks."""
    app = job_app()
    name = uuid.uuid4().hex
    gates = handlers.GATES[name] = handlers.Gates()
    with app.app_context():
        user = make_user(Role.ORGANISER)
        job = enqueue("test.steps", {"gates": name}, user=user)
        job_id = job.id
        assert isinstance(backend_for(app), InProcessBackend)

        gates.wait_reached("prepared")
        seen = read_job(job_id)
        assert (seen.status, seen.progress, seen.progress_message) == (JobStatus.RUNNING, 0.25, "Préparation")
        gates.release("prepared")

        gates.wait_reached("written")
        seen = read_job(job_id)
        assert f"{name} un" not in organisation_names()  # the handler has not committed yet
        if backend == "sqlite":
            # The handler's transaction holds SQLite's one write lock: the progress write gave up quickly
            # (no deadlock) and the page still shows the previous step.
            assert gates.seen["skipped_while_writing"] == 1
            assert (seen.progress, seen.progress_message) == (0.25, "Préparation")
        else:
            assert gates.seen["skipped_while_writing"] == 0
            assert (seen.progress, seen.progress_message) == (0.5, "Écriture")
        gates.release("written")

        gates.wait_reached("committed")
        seen = read_job(job_id)
        assert (seen.status, seen.progress, seen.progress_message) == (JobStatus.RUNNING, 0.75, "Enregistré")
        assert f"{name} un" in organisation_names()
        gates.release("committed")

        done = wait_until_finished(job_id)
        assert done.status is JobStatus.DONE
        assert (done.progress, done.result) == (1.0, {"organisations": 2, "url": "/acheteur/"})
        assert {f"{name} un", f"{name} deux"} <= organisation_names()


def test_in_process_failure_is_recorded(job_app):
    app = job_app(JOBS_INPROCESS_WORKERS=2)
    with app.app_context():
        job_id = enqueue("test.refuse").id
        assert wait_until_finished(job_id).error == "La tâche a échoué : Le créneau est complet."
        assert len(backend_for(app)._threads) == 2


def test_a_queue_that_cannot_be_reached_fails_the_job_with_a_french_message(job_app, caplog):
    app = job_app(JOBS_REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    with app.app_context(), caplog.at_level(logging.ERROR, logger="marketplace.jobs.services"):
        job = enqueue("test.echo", {})
        assert read_job(job.id).status is JobStatus.FAILED
        assert read_job(job.id).error == QUEUE_UNAVAILABLE


def test_in_memory_sqlite_runs_eager_jobs_without_writing_progress_midway():
    """One connection shared by every session (StaticPool): progress is stored with the job's end only."""
    app = create_app(TestingConfig())
    with app.app_context():
        db.create_all()
        job = enqueue("test.refuse")
        assert (job.status, job.progress_message) == (JobStatus.FAILED, "Vérification")
        assert "Refusée" not in organisation_names()
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("status", [JobStatus.RUNNING, JobStatus.QUEUED])
def test_a_job_left_behind_by_a_dead_worker_is_shown_as_interrupted(app, make_user, status):
    user = make_user()
    long_ago = utcnow() - timedelta(seconds=app.config["JOBS_STALE_AFTER_SECONDS"] + 60)
    stale = Job(kind="test.echo", payload={}, status=status, created_by=user, created_at=long_ago,
                started_at=long_ago if status is JobStatus.RUNNING else None)
    recent = Job(kind="test.echo", payload={}, status=status, created_by=user,
                 started_at=utcnow() if status is JobStatus.RUNNING else None)
    db.session.add_all([stale, recent])
    db.session.commit()
    stale_id, recent_id = stale.id, recent.id

    assert job_for(user, stale_id).status is JobStatus.FAILED
    assert read_job(stale_id).error == INTERRUPTED
    assert read_job(stale_id).finished_at is not None
    assert job_for(user, recent_id).status is status

    handlers.CALLS.clear()
    run_job(stale_id)  # a late delivery of an interrupted job does not run it
    assert handlers.CALLS == []
    assert expire_stale() == 0


def test_expire_stale_command(app, runner):
    long_ago = utcnow() - timedelta(hours=5)
    db.session.add(Job(kind="test.echo", payload={}, status=JobStatus.RUNNING, created_at=long_ago,
                       started_at=long_ago))
    db.session.commit()
    result = runner.invoke(args=["jobs", "expire-stale"])
    assert result.exit_code == 0, result.output
    assert "1 tâche(s) marquée(s) comme interrompue(s)" in result.output


def test_the_worker_command_needs_redis(app, runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL" in result.output
