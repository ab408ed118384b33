"""End to end: the administrator's QPV decision reaches the company's owner, in the app and by e-mail (sent by
`flask send-emails` to a local SMTP server), with the reason of a refusal."""

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.models import Frequency, Notification, NotificationKind, OutboxEmail, QpvStatus, Role
from marketplace.notifications.services import save_frequencies


def _declared(make_supplier, owner):
    return make_supplier(owner=owner, name="Horizon Propreté 93", postcode="93200", commune_insee="93066",
                         commune_name="Saint-Denis", qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M")


def test_a_refusal_reaches_the_owner_with_its_reason(smtp_app, smtp_server, client, auth, make_user,
                                                    make_supplier, runner):
    owner = make_user(Role.SUPPLIER, full_name="Awa Diallo")
    company = _declared(make_supplier, owner)
    auth.login_as(make_user(Role.ADMIN))
    response = client.post(f"/admin/verifications/{company.id}/refuser",
                           data={"reason": "Adresse hors périmètre du quartier"})
    assert response.status_code == 302
    notification = db.session.scalars(select(Notification)).one()
    assert (notification.user_id, notification.kind) == (owner.id, NotificationKind.QPV_DECISION)
    assert "Adresse hors périmètre du quartier" in notification.body
    assert notification.link == f"/entrepreneur/entreprises/{company.id}/qpv"

    assert runner.invoke(args=["send-emails"]).exit_code == 0
    [message] = smtp_server.messages
    assert message["To"] == owner.email
    assert message["Subject"] == "Déclaration QPV refusée pour Horizon Propreté 93"
    text = message.get_body(("plain",)).get_content()
    assert "Motif : Adresse hors périmètre du quartier" in text
    assert f"http://marche.test/entrepreneur/entreprises/{company.id}/qpv" in text

    auth.logout()
    auth.login_as(owner)
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Déclaration QPV refusée pour Horizon Propreté 93" in html
    assert '<mark aria-hidden="true">1</mark>' in html


def test_a_verification_reaches_the_owner_in_the_app_even_without_e_mails(client, auth, make_user, make_supplier):
    owner = make_user(Role.SUPPLIER)
    save_frequencies(owner, {NotificationKind.QPV_DECISION: Frequency.NEVER})
    company = _declared(make_supplier, owner)
    auth.login_as(make_user(Role.ADMIN))
    assert client.post(f"/admin/verifications/{company.id}/valider", data={"note": "Bail vérifié"}).status_code == 302
    notification = db.session.scalars(select(Notification)).one()
    assert notification.user_id == owner.id
    assert notification.title == "QPV vérifié pour Horizon Propreté 93"
    assert "Bail vérifié" in notification.body
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_a_refused_decision_notifies_no_one(client, auth, make_user, make_supplier):
    company = _declared(make_supplier, make_user(Role.SUPPLIER))
    auth.login_as(make_user(Role.ADMIN))
    assert client.post(f"/admin/verifications/{company.id}/refuser", data={"reason": " "}).status_code == 422
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_a_company_without_owner_is_decided_without_notification(client, auth, make_user, make_supplier):
    company = _declared(make_supplier, make_user(Role.SUPPLIER))
    company.owner = None
    db.session.commit()
    auth.login_as(make_user(Role.ADMIN))
    assert client.post(f"/admin/verifications/{company.id}/refuser", data={"reason": "Motif"}).status_code == 302
    db.session.refresh(company)
    assert company.qpv_status is QpvStatus.REJECTED
    assert db.session.scalar(select(func.count(Notification.id))) == 0
