"""The progress partial in a real browser, desktop and phone: job-progress.js polls the JSON status, updates the
bar and the announced text, shows a failure in place and follows the result link once done; no sideways
scroll, no WCAG 2.1 AA violation, no console error (the CSP blocks inline script: a violation is an error)."""

import pytest
from flask import render_template_string
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace import create_app
from marketplace.config import TestingConfig
from marketplace.extensions import db
from marketplace.models import Job, JobStatus, Role, User, utcnow
from tests.browser.test_layout import layout_problems, log_in, screen  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

PAGE = """{% extends "base.html" %}
{% block title %}Planning{% endblock %}
{% block content %}<h1>Planning de la rencontre acheteurs-entrepreneurs</h1>
{% include "jobs/_progress.html" %}{% endblock %}
{% block scripts %}<script src="{{ url_for('static', filename='js/job-progress.js') }}" defer></script>{% endblock %}
"""


@pytest.fixture
def live_app(tmp_path):
    """The browser tests' live app, with a page that shows one job as later pages will."""
    config = TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    config.WTF_CSRF_ENABLED = True
    app = create_app(config)

    @app.route("/essai-tache/<int:job_id>")
    def job_page(job_id):
        return render_template_string(PAGE, job=db.session.get(Job, job_id),
                                      job_title="Calcul du planning des rendez-vous")

    with app.app_context():
        db.create_all()
        db.session.add(User(email="olga@exemple.fr", full_name="Olga Organisatrice", role=Role.ORGANISER,
                            password_hash=generate_password_hash(PASSWORD)))
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def add_job(app, **fields) -> int:
    with app.app_context():
        owner = db.session.scalar(db.select(User).filter_by(email="olga@exemple.fr"))
        job = Job(kind="events.schedule", payload={}, created_by=owner, status=JobStatus.RUNNING,
                  started_at=utcnow(), progress=0.1, progress_message="Lecture des disponibilités", **fields)
        db.session.add(job)
        db.session.commit()
        return job.id


def update_job(app, job_id: int, **values) -> None:
    """What the worker does, from another connection."""
    with app.app_context():
        db.session.execute(db.update(Job).where(Job.id == job_id).values(**values))
        db.session.commit()


def test_progress_is_followed_until_the_result(screen, live_app, axe_violations):  # noqa: F811
    log_in(screen, "olga@exemple.fr")
    job_id = add_job(live_app)
    screen.goto(f"/essai-tache/{job_id}")
    status = screen.get_by_role("status")
    expect(status).to_have_text("En cours : Lecture des disponibilités")
    expect(screen.get_by_role("link", name="Actualiser")).to_be_hidden()  # the script polls instead
    bar = screen.get_by_role("progressbar", name="Calcul du planning des rendez-vous")
    expect(bar).to_have_attribute("value", "10")
    problems = layout_problems(screen, axe_violations)

    update_job(live_app, job_id, progress=0.6, progress_message="Placement des rendez-vous")
    expect(status).to_have_text("En cours : Placement des rendez-vous")
    expect(bar).to_have_attribute("value", "60")

    update_job(live_app, job_id, status=JobStatus.DONE, progress=1.0, finished_at=utcnow(),
               result={"url": "/accessibilite"})
    screen.wait_for_url("**/accessibilite")
    assert not problems, "\n".join(problems)


def test_a_failure_is_shown_in_place(screen, live_app):  # noqa: F811
    log_in(screen, "olga@exemple.fr")
    job_id = add_job(live_app)
    screen.goto(f"/essai-tache/{job_id}")
    expect(screen.get_by_role("status")).to_have_text("En cours : Lecture des disponibilités")
    update_job(live_app, job_id, status=JobStatus.FAILED, finished_at=utcnow(),
               error="La tâche a échoué : Aucun créneau commun aux participants.")
    expect(screen.get_by_role("alert")).to_have_text("La tâche a échoué : Aucun créneau commun aux participants.")
    expect(screen.get_by_role("status")).to_have_text("Échec : Lecture des disponibilités")


def test_without_javascript_the_refresh_link_shows_the_progress(browser, live_server, live_app):
    context = browser.new_context(base_url=live_server, locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(5000)
    page = context.new_page()
    try:
        log_in(page, "olga@exemple.fr")
        job_id = add_job(live_app)
        page.goto(f"/essai-tache/{job_id}")
        update_job(live_app, job_id, progress=0.5, progress_message="Placement des rendez-vous")
        page.get_by_role("link", name="Actualiser").click()
        expect(page.get_by_role("status")).to_have_text("En cours : Placement des rendez-vous")
    finally:
        context.close()
