"""RQ on Redis end to end: enqueue in the web app, `flask jobs worker --burst` runs the queue."""

import signal
import uuid

import pytest
from redis import Redis
from rq import Queue

from marketplace.extensions import db
from marketplace.jobs import enqueue
from marketplace.jobs.backends import RQBackend, backend_for
from marketplace.models import Job, JobStatus, Role


@pytest.fixture
def rq_app(job_app, redis_url):
    """An app on its own RQ queue (a unique name in the test Redis database), emptied and removed afterwards."""
    name = f"test-jobs-{uuid.uuid4().hex}"
    app = job_app(JOBS_REDIS_URL=redis_url, JOBS_QUEUE_NAME=name)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield app
    for number, handler in handlers.items():  # the RQ worker installed its own
        signal.signal(number, handler)
    with Redis.from_url(redis_url) as connection:
        queue = Queue(name, connection=connection)
        queue.empty()
        queue.delete(delete_jobs=True)


def read_job(job_id: int) -> Job:
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    db.session.commit()
    return job


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "no-fork"])
def test_the_worker_runs_queued_jobs_and_records_results_and_failures(rq_app, make_user, fork):
    with rq_app.app_context():
        assert isinstance(backend_for(rq_app), RQBackend)
        user = make_user(Role.ORGANISER)
        user_id = user.id
        done_id = enqueue("test.echo", {"n": 7}, user=user).id
        refused_id = enqueue("test.refuse", {}, user=user).id
        assert read_job(done_id).status is JobStatus.QUEUED  # nothing runs until a worker takes it
        assert backend_for(rq_app).queue().count == 2

    with rq_app.app_context():  # the command runs in the current app (make_user pushed another one)
        result = rq_app.test_cli_runner().invoke(args=["jobs", "worker", "--burst",
                                                       "--fork" if fork else "--no-fork"])
    assert result.exit_code == 0, result.output

    with rq_app.app_context():
        done = read_job(done_id)
        assert done.status is JobStatus.DONE
        assert done.result == {"echo": {"n": 7}, "url": "/acheteur/", "job": done_id, "by": user_id}
        assert (done.progress, done.progress_message) == (1.0, "À mi-chemin")
        refused = read_job(refused_id)
        assert (refused.status, refused.error) == (JobStatus.FAILED, "La tâche a échoué : Le créneau est complet.")
        assert backend_for(rq_app).queue().count == 0
