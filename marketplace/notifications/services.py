"""Notifications: notify() for every event of the product, preferences, digests and one-click unsubscribe.

``notify`` writes the in-app notification and, when the user's choice for that kind says "at once", the e-mail
into the outbox, in the caller's transaction (it never commits): the e-mail exists if and only if the change
that caused it was committed. Sending is the job of `flask send-emails` (``mailer.py``); digests are built by
`flask send-digests` (``send_digests`` below).

Default frequency when a user chose nothing (``DEFAULT_FREQUENCIES``): at once for interest received, messages
and the QPV decision, a weekly digest for new matching tenders. Password resets, e-mail confirmations and
invitations are always sent at once, carry no unsubscribe link and have no preference.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import (
    CHOOSABLE_KINDS,
    DEFAULT_FREQUENCIES,
    KINDS_BY_ROLE,
    Frequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxEmail,
    User,
    utcnow,
)
from ..validators import ServiceError

UNSUBSCRIBE_SALT = "notifications-unsubscribe"
ALL_KINDS = "all"  # an unsubscribe token for every choosable kind (the link of a digest)


# --- preferences ------------------------------------------------------------------------------------------

def frequencies(user: User) -> dict[NotificationKind, Frequency]:
    """The user's frequency for every choosable kind: their choice, else the default."""
    chosen = {
        pref.kind: pref.frequency
        for pref in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    return {kind: chosen.get(kind, DEFAULT_FREQUENCIES[kind]) for kind in CHOOSABLE_KINDS}


def kinds_for(user: User) -> tuple[NotificationKind, ...]:
    """The kinds the user's role can receive: the rows of their preferences page."""
    return KINDS_BY_ROLE.get(str(user.role), CHOOSABLE_KINDS)


def frequency_for(user: User, kind: NotificationKind) -> Frequency:
    if kind.always_sent:
        return Frequency.IMMEDIATE
    return frequencies(user)[kind]


def set_frequencies(user: User, chosen: dict[NotificationKind, Frequency]) -> None:
    """Store the user's choices (the caller commits)."""
    unknown = set(chosen) - set(CHOOSABLE_KINDS)
    if unknown:
        raise ServiceError("Ce type de notification ne se règle pas : il est toujours envoyé.")
    existing = {
        pref.kind: pref
        for pref in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    for kind, frequency in chosen.items():
        if kind in existing:
            existing[kind].frequency = Frequency(frequency)
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, frequency=Frequency(frequency)))


def save_frequencies(user: User, chosen: dict[NotificationKind, Frequency]) -> None:
    set_frequencies(user, chosen)
    db.session.commit()


# --- notify ------------------------------------------------------------------------------------------------

def notify(user: User, kind: NotificationKind, title: str, body: str = "", link: str | None = None, *,
           transactional: bool = False, email: bool = True) -> Notification:
    """Record a notification for ``user`` and queue its e-mail when due at once. Never commits.

    ``link`` is a path inside the site ("/entrepreneur/"); e-mails make it absolute with ``PUBLIC_BASE_URL``.
    ``transactional`` (or a kind that is always sent) bypasses the preferences and the unsubscribe link.
    ``email=False``: in the app only, when the caller sends its own e-mail about the same thing.
    """
    kind = NotificationKind(kind)
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValueError("a notification links to a page of this site: a path starting with one /")
    transactional = transactional or kind.always_sent
    if user.id is None:  # a user created in the same transaction
        db.session.flush()
    notification = Notification(user_id=user.id, kind=kind, title=title[:200], body=body or "", link=link)
    db.session.add(notification)
    if email and (transactional or frequency_for(user, kind) is Frequency.IMMEDIATE):
        notification.emailed_at = utcnow()
        queue_email(user, kind, subject=title, template="notification",
                    transactional=transactional, notification=notification,
                    link_url=absolute_url(link) if link else None)
    return notification


def queue_email(user: User, kind: NotificationKind | str, *, subject: str, template: str,
                transactional: bool = False, **context) -> OutboxEmail:
    """Render ``emails/<template>.txt`` and ``.html`` and add the outbox row (the caller commits)."""
    unsubscribe_url = None
    if not transactional:
        token_kind = kind if kind in set(CHOOSABLE_KINDS) else ALL_KINDS
        unsubscribe_url = absolute_url_for("notifications.unsubscribe", token=unsubscribe_token(user, token_kind))
    return _queue(user.email, user, kind, subject=subject, template=template, transactional=transactional,
                  unsubscribe_url=unsubscribe_url, **context)


def queue_email_to_address(to_address: str, kind: NotificationKind | str, *, subject: str, template: str,
                           user: User | None = None, **context) -> OutboxEmail:
    """A transactional e-mail to an address that may have no account yet (an invitation), without unsubscribe
    link (the caller commits). ``user`` is the account of that address when there is one (kept on the row)."""
    return _queue(to_address, user, kind, subject=subject, template=template, transactional=True,
                  unsubscribe_url=None, **context)


def _queue(to_address: str, user: User | None, kind: NotificationKind | str, *, subject: str, template: str,
           transactional: bool, unsubscribe_url: str | None, **context) -> OutboxEmail:
    context.update(user=user, subject=subject, unsubscribe_url=unsubscribe_url,
                   preferences_url=absolute_url_for("notifications.preferences"),
                   site_url=absolute_url("/"))
    email = OutboxEmail(
        user_id=user.id if user is not None else None,
        to_address=to_address,
        subject=subject[:250],
        text_body=render_template(f"emails/{template}.txt", **context),
        html_body=render_template(f"emails/{template}.html", **context),
        kind=str(kind),
        transactional=transactional,
        unsubscribe_url=unsubscribe_url,
    )
    db.session.add(email)
    return email


# --- the in-app list -----------------------------------------------------------------------------------------

def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def notifications_page(user: User, page: int, per_page: int):
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def mark_read(user: User, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications as read; None when it is not theirs (the view answers 404)."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.commit()
    return notification


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


# --- digests -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DigestReport:
    users: int
    notifications: int


def send_digests(frequency: Frequency, *, now: datetime | None = None) -> DigestReport:
    """One e-mail per user gathering their unread notifications not yet e-mailed, of the kinds they receive
    at ``frequency`` (daily or weekly). Each user's digest is its own transaction; a notification is claimed
    by a conditional update, so two runs at once never put it in two digests."""
    frequency = Frequency(frequency)
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValueError("digests are daily or weekly")
    now = now or utcnow()
    candidates = db.session.scalars(
        select(User).where(
            User.active.is_(True),
            User.id.in_(select(Notification.user_id).where(Notification.emailed_at.is_(None))),
        ).order_by(User.id)
    ).all()
    users = total = 0
    for user in candidates:
        kinds = [kind for kind, chosen in frequencies(user).items() if chosen is frequency]
        if not kinds:
            continue
        pending = db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.emailed_at.is_(None), Notification.kind.in_(kinds))
            .order_by(Notification.created_at, Notification.id)
        ).all()
        if not pending:
            continue
        claimed = db.session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in pending]), Notification.emailed_at.is_(None))
            .values(emailed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != len(pending):  # another run took some of them: leave this user to it
            db.session.rollback()
            continue
        unread = [n for n in pending if n.read_at is None]  # what was read in the app is not mailed again
        if unread:
            label = "quotidien" if frequency is Frequency.DAILY else "hebdomadaire"
            subject = f"Votre résumé {label} : {len(unread)} notification{'s' if len(unread) > 1 else ''}"
            queue_email(user, "digest", subject=subject, template="digest", notifications=unread,
                        links={n.id: absolute_url(n.link) for n in unread if n.link}, period=label)
            users += 1
            total += len(unread)
        db.session.commit()
    return DigestReport(users=users, notifications=total)


# --- one-click unsubscribe --------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user: User, kind: NotificationKind | str) -> str:
    return _serializer().dumps({"u": user.id, "k": str(kind)})


@dataclass(frozen=True)
class Unsubscription:
    user: User
    kinds: tuple[NotificationKind, ...]

    @property
    def labels(self) -> list[str]:
        return [kind.label for kind in self.kinds]


def read_unsubscribe_token(token: str) -> Unsubscription:
    """The user and kinds a link stands for; ServiceError when forged, altered or expired."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["UNSUBSCRIBE_LINK_MAX_AGE"])
    except SignatureExpired:
        raise ServiceError("Ce lien de désinscription a expiré. Réglez vos notifications depuis votre compte.") \
            from None
    except BadSignature:
        raise ServiceError("Ce lien de désinscription n'est pas valide.") from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    kind = data.get("k") if isinstance(data, dict) else None
    if user is None or not (kind == ALL_KINDS or kind in {k.value for k in CHOOSABLE_KINDS}):
        raise ServiceError("Ce lien de désinscription n'est pas valide.")
    kinds = CHOOSABLE_KINDS if kind == ALL_KINDS else (NotificationKind(kind),)
    return Unsubscription(user=user, kinds=tuple(kinds))


def unsubscribe(token: str) -> Unsubscription:
    """Stop the e-mails the link stands for (their in-app notifications go on) and commit."""
    unsubscription = read_unsubscribe_token(token)
    set_frequencies(unsubscription.user, dict.fromkeys(unsubscription.kinds, Frequency.NEVER))
    db.session.commit()
    return unsubscription


# --- absolute links in e-mails ----------------------------------------------------------------------------

def absolute_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def absolute_url_for(endpoint: str, **values) -> str:
    """An absolute URL built without a request (the CLI renders digests): from ``PUBLIC_BASE_URL``."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def path_for(endpoint: str, **values) -> str:
    """A site path for ``Notification.link``, built without a request (services run from the CLI too)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: 1, 2, 4, 8... minutes, at most 6 hours."""
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))
