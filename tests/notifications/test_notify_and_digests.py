"""notify(): the in-app notification always, the e-mail according to the user's choice, in the caller's
transaction; digests gather the rest, one e-mail per user."""

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import (
    CHOOSABLE_KINDS,
    DEFAULT_FREQUENCIES,
    Frequency,
    Notification,
    NotificationKind,
    OutboxEmail,
    OutboxStatus,
)
from marketplace.notifications.services import (
    frequencies,
    mark_all_read,
    notify,
    save_frequencies,
    send_digests,
    unread_count,
)


def _outbox():
    return db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_defaults_are_at_once_except_new_tenders_weekly(make_user):
    user = make_user()
    assert frequencies(user) == DEFAULT_FREQUENCIES
    assert DEFAULT_FREQUENCIES[NotificationKind.NEW_MATCHING_TENDER] is Frequency.WEEKLY
    assert DEFAULT_FREQUENCIES[NotificationKind.QPV_DECISION] is Frequency.IMMEDIATE
    assert set(CHOOSABLE_KINDS) == set(DEFAULT_FREQUENCIES)


def test_an_immediate_kind_writes_the_notification_and_a_french_e_mail(make_user):
    user = make_user(full_name="Awa Diallo")
    notify(user, NotificationKind.MESSAGE_RECEIVED, "Nouveau message de la Ville", "Bonjour <b>Awa</b>",
           link="/entrepreneur/")
    db.session.commit()
    notification = db.session.scalars(select(Notification)).one()
    assert (notification.user_id, notification.read_at) == (user.id, None)
    assert notification.emailed_at is not None
    [email] = _outbox()
    assert (email.to_address, email.status, email.attempts, email.transactional) == (
        user.email, OutboxStatus.QUEUED, 0, False)
    assert email.subject == "Nouveau message de la Ville"
    assert "Bonjour Awa Diallo" in email.text_body
    assert "http://marche.test/entrepreneur/" in email.text_body
    assert "Bonjour &lt;b&gt;Awa&lt;/b&gt;" in email.html_body  # escaped in HTML
    assert email.unsubscribe_url.startswith("http://marche.test/notifications/desinscription/")
    assert email.unsubscribe_url in email.text_body
    assert email.unsubscribe_url in email.html_body


@pytest.mark.parametrize("frequency", [Frequency.DAILY, Frequency.WEEKLY, Frequency.NEVER])
def test_a_user_who_chose_otherwise_gets_no_immediate_e_mail(make_user, frequency):
    user = make_user()
    save_frequencies(user, {NotificationKind.MESSAGE_RECEIVED: frequency})
    notify(user, NotificationKind.MESSAGE_RECEIVED, "Nouveau message")
    notify(user, NotificationKind.QPV_DECISION, "QPV vérifié")  # other kinds keep their default
    db.session.commit()
    assert _count(Notification) == 2
    assert [email.kind for email in _outbox()] == ["qpv_decision"]


@pytest.mark.parametrize("kind", [NotificationKind.PASSWORD_RESET, NotificationKind.EMAIL_CONFIRMATION,
                                  NotificationKind.INVITATION_RECEIVED])
def test_account_e_mails_and_invitations_are_always_sent_without_unsubscribe_link(make_user, kind):
    user = make_user()
    save_frequencies(user, dict.fromkeys(CHOOSABLE_KINDS, Frequency.NEVER))
    notify(user, kind, "Action sur votre compte")
    db.session.commit()
    [email] = _outbox()
    assert email.transactional is True
    assert email.unsubscribe_url is None
    assert "desinscription" not in email.text_body + email.html_body


def test_transactional_flag_overrides_the_preference(make_user):
    user = make_user()
    save_frequencies(user, {NotificationKind.QPV_DECISION: Frequency.NEVER})
    notify(user, NotificationKind.QPV_DECISION, "Urgent", transactional=True)
    db.session.commit()
    assert [(email.kind, email.transactional) for email in _outbox()] == [("qpv_decision", True)]


def test_the_transport_of_a_kind_that_is_always_sent_cannot_be_chosen(make_user):
    from marketplace.validators import ServiceError

    with pytest.raises(ServiceError):
        save_frequencies(make_user(), {NotificationKind.PASSWORD_RESET: Frequency.NEVER})


def test_notify_does_not_commit_a_rollback_drops_notification_and_e_mail(make_user):
    user = make_user()
    notify(user, NotificationKind.MESSAGE_RECEIVED, "Nouveau message")
    db.session.rollback()
    assert (_count(Notification), _count(OutboxEmail)) == (0, 0)


def test_unread_count_and_mark_all(make_user):
    user, other = make_user(), make_user()
    for n in range(3):
        notify(user, NotificationKind.QPV_DECISION, f"N{n}")
    notify(other, NotificationKind.QPV_DECISION, "Autre")
    db.session.commit()
    assert (unread_count(user), unread_count(other)) == (3, 1)
    assert mark_all_read(user) == 3
    assert (unread_count(user), unread_count(other)) == (0, 1)


def test_weekly_digest_groups_each_users_notifications_in_one_e_mail(make_user):
    weekly, daily, immediate = make_user(full_name="Hebdo"), make_user(), make_user()
    save_frequencies(daily, {NotificationKind.NEW_MATCHING_TENDER: Frequency.DAILY})
    save_frequencies(immediate, {NotificationKind.NEW_MATCHING_TENDER: Frequency.IMMEDIATE})
    for user in (weekly, daily, immediate):
        for n in range(3):
            notify(user, NotificationKind.NEW_MATCHING_TENDER, f"Appel d'offres {n}", link=f"/ao/{n}")
    db.session.commit()
    assert [email.to_address for email in _outbox()] == [immediate.email] * 3

    report = send_digests(Frequency.WEEKLY)
    assert (report.users, report.notifications) == (1, 3)
    digest = _outbox()[-1]
    assert digest.to_address == weekly.email
    assert digest.kind == "digest"
    assert digest.subject == "Votre résumé hebdomadaire : 3 notifications"
    for n in range(3):
        assert f"Appel d'offres {n}" in digest.text_body
        assert f"http://marche.test/ao/{n}" in digest.html_body
    assert digest.unsubscribe_url

    # Nothing twice: a second run finds nothing; the daily run takes the daily user's only.
    assert send_digests(Frequency.WEEKLY).users == 0
    report = send_digests(Frequency.DAILY)
    assert (report.users, report.notifications) == (1, 3)
    assert _outbox()[-1].to_address == daily.email
    assert _count(OutboxEmail) == 5


def test_a_digest_leaves_out_what_was_read_in_the_app(make_user):
    user = make_user()
    notify(user, NotificationKind.NEW_MATCHING_TENDER, "Déjà lu")
    db.session.commit()
    mark_all_read(user)
    notify(user, NotificationKind.NEW_MATCHING_TENDER, "Pas encore lu")
    db.session.commit()
    send_digests(Frequency.WEEKLY)
    [digest] = _outbox()
    assert "Pas encore lu" in digest.text_body
    assert "Déjà lu" not in digest.text_body
    assert digest.subject.endswith(": 1 notification")
    assert send_digests(Frequency.WEEKLY).users == 0  # the read one is settled too


def test_never_means_no_digest_either(make_user):
    user = make_user()
    save_frequencies(user, {NotificationKind.NEW_MATCHING_TENDER: Frequency.NEVER})
    notify(user, NotificationKind.NEW_MATCHING_TENDER, "Appel d'offres")
    db.session.commit()
    assert send_digests(Frequency.WEEKLY).users == 0
    assert send_digests(Frequency.DAILY).users == 0
    assert _count(OutboxEmail) == 0
    assert unread_count(user) == 1  # still shown in the app


def test_send_digests_command(runner, make_user):
    user = make_user()
    notify(user, NotificationKind.NEW_MATCHING_TENDER, "Appel d'offres")
    db.session.commit()
    result = runner.invoke(args=["send-digests", "--weekly"])
    assert result.exit_code == 0, result.output
    assert "1 résumé(s)" in result.output
    assert _outbox()[0].to_address == user.email
    assert runner.invoke(args=["send-digests"]).exit_code != 0


@pytest.mark.parametrize("link", ["https://ailleurs.example/", "//ailleurs.example/", "javascript:alert(1)"])
def test_a_notification_links_only_inside_the_site(make_user, link):
    with pytest.raises(ValueError, match="path"):
        notify(make_user(), NotificationKind.MESSAGE_RECEIVED, "Titre", link=link)
