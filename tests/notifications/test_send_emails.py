"""`flask send-emails` against a real SMTP server on 127.0.0.1 (aiosmtpd): delivery, headers, retries with
backoff, failures recorded, and no e-mail sent twice by concurrent senders."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace import create_app
from marketplace.extensions import db
from marketplace.models import NotificationKind, OutboxEmail, OutboxStatus, Role, User, utcnow
from marketplace.notifications.mailer import claim_due, send_due
from marketplace.notifications.services import notify
from tests.conftest import _config


def _queue(user, count=1, kind=NotificationKind.MESSAGE_RECEIVED):
    for n in range(count):
        notify(user, kind, f"Message {n}", "Bonjour", link="/entrepreneur/")
    db.session.commit()


def _emails():
    db.session.expire_all()
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def test_the_command_sends_due_e_mails_once_with_html_text_and_one_click_headers(smtp_app, smtp_server, runner,
                                                                                make_user):
    user = make_user(full_name="Awa Diallo")
    _queue(user)
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code == 0, result.output
    assert "1 envoyé(s)" in result.output
    [message] = smtp_server.messages
    assert message["To"] == user.email
    assert message["Subject"] == "Message 0"
    assert "ne-pas-repondre@marche.test" in message["From"]
    [email] = _emails()
    assert message["List-Unsubscribe"] == f"<{email.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The URL as such on the wire (not folded into encoded words, which clients do not decode there).
    assert f"\r\nList-Unsubscribe: <{email.unsubscribe_url}>\r\n".encode() in smtp_server.raw[0]
    assert message.get_body(("plain",)).get_content().startswith("Bonjour Awa Diallo")
    assert "<html lang=\"fr\">" in message.get_body(("html",)).get_content()
    assert (email.status, email.attempts, email.last_error) == (OutboxStatus.SENT, 1, None)
    assert email.sent_at is not None

    assert runner.invoke(args=["send-emails"]).exit_code == 0
    assert len(smtp_server.messages) == 1  # sent is sent


def test_transactional_e_mails_carry_no_unsubscribe_header(smtp_app, smtp_server, make_user):
    _queue(make_user(), kind=NotificationKind.PASSWORD_RESET)
    assert send_due().sent == 1
    [message] = smtp_server.messages
    assert message["List-Unsubscribe"] is None


def test_a_temporary_failure_is_retried_with_backoff_then_recorded_as_failed(smtp_app, smtp_server, make_user):
    smtp_app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_BASE_SECONDS=60)
    _queue(make_user())
    smtp_server.reply = "451 4.3.0 Essayez plus tard"
    now = utcnow()
    report = send_due(now=now)
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    [email] = _emails()
    assert (email.status, email.attempts) == (OutboxStatus.QUEUED, 1)
    assert email.next_attempt_at == now + timedelta(seconds=60)
    assert "451" in email.last_error

    assert send_due(now=now + timedelta(seconds=30)).retried == 0  # not due yet
    assert send_due(now=now + timedelta(seconds=61)).retried == 1
    [email] = _emails()
    assert email.attempts == 2
    assert email.next_attempt_at == now + timedelta(seconds=61 + 120)  # doubled

    report = send_due(now=now + timedelta(hours=1))
    assert report.failed == 1
    [email] = _emails()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, 3)
    assert "451" in email.last_error
    smtp_server.reply = None
    assert send_due(now=now + timedelta(days=1)).sent == 0  # failed is given up
    assert smtp_server.messages == []


def test_a_server_that_does_not_answer_is_a_temporary_failure(smtp_app, smtp_server, make_user):
    smtp_app.config["MAIL_PORT"] = smtp_server.port + 1 if smtp_server.port < 65535 else 1
    _queue(make_user())
    smtp_app.config["MAIL_SERVER"] = "127.0.0.1"
    report = send_due()
    [email] = _emails()
    assert report.retried == 1
    assert email.status is OutboxStatus.QUEUED
    assert email.last_error


def test_a_permanent_refusal_fails_at_once(smtp_app, smtp_server, make_user):
    _queue(make_user())
    smtp_server.reply = "550 5.1.1 Boîte inconnue"
    assert send_due().failed == 1
    [email] = _emails()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in email.last_error


def test_a_claimed_e_mail_is_not_taken_by_another_sender(smtp_app, smtp_server, make_user):
    _queue(make_user(), count=2)
    first = claim_due(1, utcnow())
    assert len(first) == 1
    second = claim_due(5, utcnow())
    assert len(second) == 1
    assert set(first).isdisjoint(second)
    assert claim_due(5, utcnow()) == []


def test_a_claim_left_by_a_sender_that_died_is_taken_again_after_the_timeout(smtp_app, smtp_server, make_user):
    _queue(make_user())
    now = utcnow()
    claim_due(5, now)  # and then the sender died
    assert send_due(now=now + timedelta(seconds=60)).sent == 0
    timeout = smtp_app.config["MAIL_CLAIM_TIMEOUT_SECONDS"]
    assert send_due(now=now + timedelta(seconds=timeout + 1)).sent == 1
    assert len(smtp_server.messages) == 1


@pytest.fixture
def shared_app(backend, smtp_app, tmp_path):
    """An app whose database two threads share: PostgreSQL, or a SQLite file (in-memory SQLite is per
    connection)."""
    if backend == "postgresql":
        yield smtp_app
        return
    other = create_app(_config(f"sqlite:///{tmp_path / 'outbox.sqlite3'}"))
    other.config.update({key: value for key, value in smtp_app.config.items() if key.startswith("MAIL_")})
    with other.app_context():
        db.create_all()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_two_concurrent_senders_never_send_an_e_mail_twice(shared_app, smtp_server):
    with shared_app.app_context():
        user = User(email="concurrence@exemple.fr", full_name="Concurrence", role=Role.SUPPLIER, password_hash="x")
        db.session.add(user)
        db.session.commit()
        _queue(user, count=30)
    start = threading.Barrier(2)
    reports, errors = [], []

    def sender():
        try:
            with shared_app.app_context():
                start.wait()
                while (report := send_due(limit=2)).total:
                    reports.append(report)
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    subjects = sorted(message["Subject"] for message in smtp_server.messages)
    assert subjects == sorted(f"Message {n}" for n in range(30))
    assert sum(report.sent for report in reports) == 30
    with shared_app.app_context():
        assert {email.status for email in _emails()} == {OutboxStatus.SENT}


def test_the_file_backend_writes_eml_files(app, tmp_path, make_user):
    app.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "outbox"))
    _queue(make_user(), count=2)
    assert send_due().sent == 2
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    assert b"Subject: Message" in files[0].read_bytes()


def test_the_console_backend_prints_the_message(app, make_user, capsys):
    _queue(make_user())
    assert send_due().sent == 1
    assert "Subject: Message 0" in capsys.readouterr().out


def test_an_unknown_backend_stops_the_command_before_touching_the_outbox(app, runner, make_user):
    app.config["MAIL_BACKEND"] = "smpt"
    _queue(make_user())
    result = runner.invoke(args=["send-emails"])
    assert result.exit_code != 0
    assert "smpt" in str(result.exception)
    [email] = _emails()
    assert (email.status, email.attempts) == (OutboxStatus.QUEUED, 0)
