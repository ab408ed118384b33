"""GET /taches/<id> (JSON for the page that started the job) and the progress partial."""

import os
import socket
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from flask import render_template_string

from marketplace.extensions import db
from marketplace.models import Job, JobStatus, Role, utcnow

TEST_ENV = Path(__file__).resolve().parents[2] / ".ci" / "test-env"
PARTIAL = '{% include "jobs/_progress.html" %}'


def add_job(user, **fields) -> Job:
    job = Job(kind="test.echo", payload={}, created_by=user, **fields)
    db.session.add(job)
    db.session.commit()
    return job


def test_the_owner_reads_the_status(client, auth, make_user):
    owner = make_user(Role.ORGANISER)
    job_id = add_job(owner, status=JobStatus.RUNNING, started_at=utcnow(), progress=0.42,
                     progress_message="Placement des rendez-vous").id
    auth.login_as(owner)
    response = client.get(f"/taches/{job_id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {
        "id": job_id, "kind": "test.echo", "status": "running", "status_label": "En cours", "finished": False,
        "progress": 0.42, "percent": 42, "message": "Placement des rendez-vous", "error": None, "result_url": None,
    }


def test_a_finished_job_gives_its_result_link_and_a_failed_one_its_error(client, auth, make_user):
    owner = make_user(Role.BUYER)
    done_id = add_job(owner, status=JobStatus.DONE, progress=1.0, result={"url": "/acheteur/"}).id
    failed_id = add_job(owner, status=JobStatus.FAILED, error="La tâche a échoué : Le créneau est complet.").id
    auth.login_as(owner)
    assert client.get(f"/taches/{done_id}").json["result_url"] == "/acheteur/"
    failed = client.get(f"/taches/{failed_id}").json
    assert (failed["status_label"], failed["error"]) == ("Échec", "La tâche a échoué : Le créneau est complet.")


@pytest.mark.parametrize("role", list(Role))
def test_another_users_job_is_not_found_whatever_the_role(client, auth, make_user, role):
    job_id = add_job(make_user(Role.ORGANISER)).id
    auth.login_as(make_user(role))
    expected = 200 if role is Role.ADMIN else 404  # administrators see every job
    assert client.get(f"/taches/{job_id}").status_code == expected


def test_anonymous_goes_to_the_login_page_and_unknown_jobs_are_not_found(client, auth, make_user):
    job_id = add_job(make_user()).id
    response = client.get(f"/taches/{job_id}")
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]
    auth.login_as(make_user(Role.ADMIN))
    assert client.get(f"/taches/{job_id + 1000}").status_code == 404


def test_a_stale_job_reads_as_interrupted(client, auth, make_user):
    owner = make_user()
    long_ago = utcnow() - timedelta(days=1)
    job_id = add_job(owner, status=JobStatus.RUNNING, created_at=long_ago, started_at=long_ago).id
    auth.login_as(owner)
    body = client.get(f"/taches/{job_id}").json
    assert (body["status"], body["finished"]) == ("failed", True)
    assert "interrompue" in body["error"]


def render_partial(app, job, **context) -> str:
    with app.test_request_context("/evenements/1/planning"):
        return render_template_string(PARTIAL, job=job, **context)


def test_the_partial_shows_an_accessible_bar_and_a_refresh_link_while_running(app, make_user):
    job = add_job(make_user(), status=JobStatus.RUNNING, started_at=utcnow(), progress=0.5,
                  progress_message="Calcul des créneaux")
    html = render_partial(app, job, job_title="Préparation du planning", job_heading_level=3)
    assert f'data-status-url="/taches/{job.id}"' in html
    assert f'<h3 id="job-{job.id}-title"' in html
    assert "Préparation du planning" in html
    assert '<progress id="job-{0}-bar" max="100" value="50" aria-labelledby="job-{0}-title"'.format(job.id) in html
    assert 'role="status" aria-live="polite"' in html
    assert "En cours : Calcul des créneaux" in html
    assert '<a href="http://localhost/evenements/1/planning">Actualiser</a>' in html
    assert 'role="alert" data-job-error hidden' in html
    assert "style=" not in html  # the CSP: no inline style...
    assert "<script" not in html  # ...nor inline script


def test_the_partial_shows_the_error_or_the_result_link_once_finished(app, make_user):
    user = make_user()
    failed = add_job(user, status=JobStatus.FAILED, error="La tâche a échoué : Le créneau est complet.")
    html = render_partial(app, failed)
    assert "Actualiser" not in html
    assert 'role="alert" data-job-error>La tâche a échoué : Le créneau est complet.</p>' in html
    done = add_job(user, status=JobStatus.DONE, progress=1.0, result={"url": "/acheteur/"})
    html = render_partial(app, done)
    assert '<a href="/acheteur/">Voir le résultat</a>' in html
    assert "Terminée" in html
    assert 'value="100"' in html


def _free_port(listen: bool):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    if listen:
        server.listen()
    return server


def _run_test_env(redis_port: int, **extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TEST_DATABASE_URL"}}
    with _free_port(listen=False) as closed:  # no PostgreSQL probe delay
        env.update(TEST_POSTGRES_PORT=str(closed.getsockname()[1]), TEST_REDIS_HOST="127.0.0.1",
                   TEST_REDIS_PORT=str(redis_port), **extra)
    show = ["python3", "-c", "import os; print(os.environ.get('REDIS_URL', '<unset>'))"]
    return subprocess.run([str(TEST_ENV), *show], env=env, capture_output=True, text=True, timeout=60, check=True)


def test_the_test_env_script_points_the_rq_tests_at_redis_database_15():
    with _free_port(listen=True) as server:
        port = server.getsockname()[1]
        result = _run_test_env(port)
    assert result.stdout.strip() == f"redis://127.0.0.1:{port}/15"
    assert "job-queue tests also run RQ" in result.stderr


def test_the_test_env_script_without_redis_gives_a_reason():
    with _free_port(listen=False) as closed:
        port = closed.getsockname()[1]
    result = _run_test_env(port)
    assert result.stdout.strip() == "<unset>"
    assert "RQ tests will be skipped" in result.stderr
    assert _run_test_env(port, REDIS_URL="redis://elsewhere:6379/3").stdout.strip() == "redis://elsewhere:6379/3"
