"""Draining the outbox: claim what is due, send it (SMTP, console or file), record the outcome.

Claims commit before anything is sent, so two senders never send one e-mail twice: on PostgreSQL the due rows
are picked with ``SELECT ... FOR UPDATE SKIP LOCKED`` (concurrent senders take different rows without
waiting), elsewhere each row is taken by a conditional ``UPDATE ... WHERE status = 'queued'`` whose row count
says who won. A claimed row is "sending"; a sender that died mid-way leaves it so, and it is queued again once
its claim is older than ``MAIL_CLAIM_TIMEOUT_SECONDS`` (at-least-once after a crash, never twice otherwise).
A failure is retried with backoff (``retry_delay``) up to ``MAIL_MAX_ATTEMPTS``, then the row is "failed"
with its last error; a permanent SMTP refusal (5xx) fails at once.
"""

import smtplib
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models import OutboxEmail, OutboxStatus, utcnow
from .services import retry_delay

# Long header lines are allowed up to RFC 5322's 998 characters: folding a List-Unsubscribe URL (no spaces) would
# turn it into RFC 2047 encoded words, which mail clients do not decode there.
SMTP_POLICY = SMTP.clone(max_line_length=998)
BACKENDS = ("smtp", "file", "console")


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed

    def describe(self) -> str:
        return f"{self.sent} envoyé(s), {self.retried} à réessayer, {self.failed} en échec définitif."


class PermanentError(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


def build_message(email: OutboxEmail, sender: str) -> EmailMessage:
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = sender
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    domain = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"outbox-{email.id}", domain=domain)
    if email.unsubscribe_url:  # RFC 2369 + RFC 8058 one-click
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if not email.transactional:
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.text_body)
    message.add_alternative(email.html_body, subtype="html")
    return message


def deliver(message: EmailMessage, config) -> None:
    """Hand one message to the configured backend; raises on failure."""
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            try:
                smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _ in error.recipients.values()]
                if all(code >= 500 for code in codes):
                    raise PermanentError(str(error)) from error
                raise
            except smtplib.SMTPResponseException as error:
                if error.smtp_code >= 500:
                    raise PermanentError(f"{error.smtp_code} {error.smtp_error!r}") from error
                raise
    elif backend == "file":
        directory = Path(config["MAIL_FILE_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
        (directory / f"{name}.eml").write_bytes(bytes(message))
    elif backend == "console":
        print(message.as_string(), file=sys.stdout, flush=True)  # noqa: T201
    else:
        raise RuntimeError(f"unknown MAIL_BACKEND {backend!r}: smtp, console or file")


def requeue_stale_claims(now: datetime) -> int:
    timeout = timedelta(seconds=current_app.config["MAIL_CLAIM_TIMEOUT_SECONDS"])
    result = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.status == OutboxStatus.SENDING, OutboxEmail.claimed_at < now - timeout)
        .values(status=OutboxStatus.QUEUED, claimed_at=None)
    )
    db.session.commit()
    return result.rowcount


def claim_due(limit: int, now: datetime) -> list[int]:
    """Take up to ``limit`` due e-mails for this sender and commit the claim; returns their ids."""
    due = (
        select(OutboxEmail.id)
        .where(OutboxEmail.status == OutboxStatus.QUEUED, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    )
    claim = dict(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxEmail.attempts + 1)
    if db.engine.dialect.name == "postgresql":
        ids = list(db.session.scalars(due.with_for_update(skip_locked=True)))
        if ids:
            db.session.execute(update(OutboxEmail).where(OutboxEmail.id.in_(ids)).values(**claim))
    else:
        ids = []
        for email_id in db.session.scalars(due).all():
            won = db.session.execute(
                update(OutboxEmail)
                .where(OutboxEmail.id == email_id, OutboxEmail.status == OutboxStatus.QUEUED)
                .values(**claim)
            ).rowcount
            if won:
                ids.append(email_id)
    db.session.commit()
    return ids


def send_due(*, limit: int = 100, now: datetime | None = None) -> SendReport:
    """Send what is due now; each outcome is committed as soon as it is known."""
    config = current_app.config
    if config["MAIL_BACKEND"] not in BACKENDS:  # before any claim: a typo must not burn the attempts
        raise RuntimeError(f"unknown MAIL_BACKEND {config['MAIL_BACKEND']!r}: {', '.join(BACKENDS)}")
    now = now or utcnow()
    requeue_stale_claims(now)
    sent = retried = failed = 0
    for email_id in claim_due(limit, now):
        email = db.session.get(OutboxEmail, email_id)
        try:
            deliver(build_message(email, config["MAIL_DEFAULT_SENDER"]), config)
        except Exception as error:  # noqa: BLE001  (any failure is recorded on the row, then retried)
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            email.claimed_at = None
            if isinstance(error, PermanentError) or email.attempts >= config["MAIL_MAX_ATTEMPTS"]:
                email.status = OutboxStatus.FAILED
                failed += 1
            else:
                email.status = OutboxStatus.QUEUED
                email.next_attempt_at = now + retry_delay(email.attempts)
                retried += 1
        else:
            email.status = OutboxStatus.SENT
            email.sent_at = utcnow()
            email.claimed_at = None
            email.last_error = None
            sent += 1
        db.session.commit()
    return SendReport(sent=sent, retried=retried, failed=failed)
