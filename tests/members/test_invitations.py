"""Several users per company: invitation by e-mail, acceptance, refusals, removal, leaving, hand-over, limits."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.members import services
from marketplace.models import (
    CompanyInvitation,
    CompanyMember,
    Notification,
    NotificationKind,
    OutboxEmail,
    Role,
    SupplierCompany,
    User,
    utcnow,
)
from marketplace.models.invitations import token_hash
from marketplace.validators import ServiceError
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")

LINK = re.compile(r"http://marche\.test/invitations/([A-Za-z0-9_-]+)")


@pytest.fixture
def company(make_supplier):
    return make_supplier(name="Net Horizon")


def team_url(company):
    return f"/entrepreneur/entreprises/{company.id}/equipe"


def invite(client, company, email):
    return client.post(f"{team_url(company)}/inviter", data={"email": email})


def last_token(email: str) -> str:
    outbox = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.to_address == email.lower()).order_by(OutboxEmail.id.desc())
    ).first()
    return LINK.search(outbox.text_body).group(1)


def invited(client, auth, company, email) -> str:
    """The owner invites ``email``; the raw token of the link in the e-mail."""
    auth.login_as(company.owner)
    assert invite(client, company, email).status_code == 302
    auth.logout()
    return last_token(email)


def members_of(company) -> set[str]:
    db.session.expire_all()
    return {user.email for user in db.session.get(SupplierCompany, company.id).people}


def test_invite_then_accept_end_to_end(client, auth, company, make_user, make_tender):
    newcomer = make_user(Role.SUPPLIER, email="camille@exemple.fr")
    auth.login_as(company.owner)
    answer = invite(client, company, "  Camille@Exemple.FR ")
    assert answer.status_code == 302
    page = client.get(team_url(company)).get_data(as_text=True)
    assert "Invitation envoyée à camille@exemple.fr" in page
    assert "Invitations en attente" in page
    assert "camille@exemple.fr" in page

    # The e-mail: in the outbox, transactional, no unsubscribe link, French, the link inside.
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == "camille@exemple.fr"))
    assert email.kind == NotificationKind.INVITATION_RECEIVED.value
    assert email.transactional is True
    assert email.unsubscribe_url is None
    assert "désinscri" not in email.text_body.lower()
    assert "Ne plus recevoir" not in email.html_body
    assert "Net Horizon" in email.subject
    token = LINK.search(email.text_body).group(1)
    assert token in email.html_body
    # Only a hash of the token is stored.
    invitation = db.session.scalar(select(CompanyInvitation))
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.email == "camille@exemple.fr"
    assert timedelta(days=6, hours=23) < invitation.expires_at - utcnow() <= timedelta(days=7)
    # The invitee has an entrepreneur account: the invitation is in the app too (no second e-mail).
    notification = db.session.scalar(select(Notification).where(Notification.user_id == newcomer.id))
    assert notification.kind is NotificationKind.INVITATION_RECEIVED
    assert notification.link == f"/invitations/{token}"
    assert db.session.scalar(select(OutboxEmail.id).where(OutboxEmail.to_address == newcomer.email,
                                                          OutboxEmail.id != email.id)) is None
    auth.logout()

    # Not signed in: offered to log in (coming back here).
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Connectez-vous pour accepter" in text
    assert f"/compte/connexion?next=/invitations/{token}" in text
    # Log in with next= comes back to the invitation.
    answer = client.post(f"/compte/connexion?next=/invitations/{token}",
                         data={"email": newcomer.email, "password": PASSWORD})
    assert answer.headers["Location"] == f"/invitations/{token}"
    assert "Rejoindre l'équipe de Net Horizon" in client.get(f"/invitations/{token}").get_data(as_text=True)
    answer = client.post(f"/invitations/{token}")
    assert answer.status_code == 302
    assert answer.headers["Location"] == team_url(company)
    assert members_of(company) == {company.owner.email, "camille@exemple.fr"}

    # The member acts for the company: profile, offers, interest.
    assert client.get(f"/entrepreneur/entreprises/{company.id}/profil").status_code == 200
    answer = client.post(f"/entrepreneur/entreprises/{company.id}/offres/nouvelle", data={
        "title": "Nettoyage de bureaux", "description": "Entretien des locaux", "cpv_codes": "90910000-9",
        "keywords": "nettoyage", "departments": ["93"]})
    assert answer.status_code == 302
    assert [o.title for o in db.session.get(SupplierCompany, company.id).offers] == ["Nettoyage de bureaux"]
    tender = make_tender(title="Nettoyage des écoles", deadline=(utcnow() + timedelta(days=10)).date())
    answer = client.post(f"/entrepreneur/appels-d-offres/{tender.id}/interet", data={"company_id": company.id})
    assert answer.status_code == 302
    assert "Équipe" in client.get("/entrepreneur/").get_data(as_text=True)
    # The member sees the team, but not the invite form, and may leave.
    page = client.get(team_url(company)).get_data(as_text=True)
    assert "Inviter une personne" not in page
    assert "Quitter l'équipe" in page
    # The owner was told.
    owner_notes = db.session.scalars(select(Notification.title).where(Notification.user_id == company.owner_id))
    assert any("a rejoint" in title for title in owner_notes)


def test_reused_link_is_refused(client, auth, company, make_user):
    newcomer = make_user(Role.SUPPLIER, email="lea@exemple.fr")
    token = invited(client, auth, company, "lea@exemple.fr")
    auth.login_as(newcomer)
    assert client.post(f"/invitations/{token}").status_code == 302
    again = client.get(f"/invitations/{token}")
    assert again.status_code == 410
    assert "déjà été acceptée" in again.get_data(as_text=True)
    assert client.post(f"/invitations/{token}").status_code == 410
    assert db.session.scalar(select(db.func.count(CompanyMember.id))) == 1


def test_expired_link_is_refused(client, auth, company, make_user):
    newcomer = make_user(Role.SUPPLIER, email="lea@exemple.fr")
    token = invited(client, auth, company, "lea@exemple.fr")
    invitation = db.session.scalar(select(CompanyInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    auth.login_as(newcomer)
    for answer in (client.get(f"/invitations/{token}"), client.post(f"/invitations/{token}")):
        assert answer.status_code == 410
        assert "a expiré" in answer.get_data(as_text=True)
    assert members_of(company) == {company.owner.email}
    # The owner sees it as expired and may renew it by inviting again.
    auth.logout()
    auth.login_as(company.owner)
    assert "Expirée" in client.get(team_url(company)).get_data(as_text=True)


def test_cancelled_link_is_refused(client, auth, company, make_user):
    newcomer = make_user(Role.SUPPLIER, email="lea@exemple.fr")
    token = invited(client, auth, company, "lea@exemple.fr")
    invitation = db.session.scalar(select(CompanyInvitation))
    auth.login_as(company.owner)
    answer = client.post(f"{team_url(company)}/invitations/{invitation.id}/annuler")
    assert answer.status_code == 302
    assert "Aucune invitation en attente" in client.get(team_url(company)).get_data(as_text=True)
    assert client.post(f"{team_url(company)}/invitations/{invitation.id}/annuler").status_code == 404
    auth.logout()
    auth.login_as(newcomer)
    answer = client.post(f"/invitations/{token}")
    assert answer.status_code == 410
    assert "annulée" in answer.get_data(as_text=True)
    assert members_of(company) == {company.owner.email}


def test_unknown_link(client):
    answer = client.get("/invitations/pas-un-vrai-jeton")
    assert answer.status_code == 404
    assert "n'est pas valide" in answer.get_data(as_text=True)


def test_wrong_account_is_refused_and_nothing_happens(client, auth, company, make_user):
    make_user(Role.SUPPLIER, email="lea@exemple.fr")
    other = make_user(Role.SUPPLIER, email="autre@exemple.fr")
    token = invited(client, auth, company, "lea@exemple.fr")
    auth.login_as(other)
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 403
    text = page.get_data(as_text=True)
    assert "destinée à lea@exemple.fr" in text
    assert "autre@exemple.fr" in text
    assert "Déconnectez-vous" in text
    assert "Rejoindre l'équipe" not in text
    assert client.post(f"/invitations/{token}").status_code == 403
    assert members_of(company) == {company.owner.email}
    assert db.session.scalar(select(CompanyInvitation.accepted_at)) is None


@pytest.mark.parametrize("role", [Role.BUYER, Role.ORGANISER])
def test_buyer_or_organiser_cannot_join(client, auth, company, make_user, role):
    account = make_user(role, email="acheteur@exemple.fr")
    token = invited(client, auth, company, "acheteur@exemple.fr")
    # No in-app invitation for an account that cannot accept it (the e-mail does go).
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == account.id)) is None
    auth.login_as(account)
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 403
    assert "ne peut pas rejoindre une entreprise" in page.get_data(as_text=True)
    assert client.post(f"/invitations/{token}").status_code == 403
    assert members_of(company) == {company.owner.email}


def test_invitee_without_account_creates_one_and_joins(client, auth, company):
    token = invited(client, auth, company, "nouveau@exemple.fr")
    email = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_address == "nouveau@exemple.fr"))
    assert email.user_id is None
    assert "créer votre compte" in email.text_body
    page = client.get(f"/invitations/{token}").get_data(as_text=True)
    assert "Créer mon compte entrepreneur" in page
    assert "nouveau@exemple.fr" in page
    # Errors keep what was typed, field by field, in French.
    answer = client.post(f"/invitations/{token}", data={"full_name": "Nour Benali", "password": "court",
                                                        "confirm": "court"})
    assert answer.status_code == 422
    assert "Nour Benali" in answer.get_data(as_text=True)
    assert "au moins 10 caractères" in answer.get_data(as_text=True)
    answer = client.post(f"/invitations/{token}", data={"full_name": "Nour Benali", "password": PASSWORD,
                                                        "confirm": PASSWORD})
    assert answer.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nouveau@exemple.fr"))
    assert user.role is Role.SUPPLIER
    assert user.full_name == "Nour Benali"
    assert members_of(company) == {company.owner.email, "nouveau@exemple.fr"}
    # Signed in at once, acting for the company.
    assert client.get(f"/entrepreneur/entreprises/{company.id}/profil").status_code == 200
    auth.logout()
    assert client.get(f"/invitations/{token}").status_code == 410


def test_inviting_a_member_or_the_owner_is_a_field_error(client, auth, company, make_user):
    member = make_user(Role.SUPPLIER, email="membre@exemple.fr")
    db.session.add(CompanyMember(company_id=company.id, user_id=member.id))
    db.session.commit()
    auth.login_as(company.owner)
    for email in ("MEMBRE@exemple.fr", company.owner.email):
        answer = invite(client, company, email)
        assert answer.status_code == 422
        assert "fait déjà partie de" in answer.get_data(as_text=True)
    answer = invite(client, company, "pas une adresse")
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "Adresse e-mail invalide." in text
    assert 'value="pas une adresse"' in text
    assert db.session.scalar(select(CompanyInvitation.id)) is None
    assert db.session.scalar(select(OutboxEmail.id)) is None


def test_inviting_again_renews_and_the_old_link_dies(client, auth, company, make_user):
    newcomer = make_user(Role.SUPPLIER, email="lea@exemple.fr")
    first = invited(client, auth, company, "lea@exemple.fr")
    second = invited(client, auth, company, "LEA@exemple.fr")
    assert first != second
    assert db.session.scalar(select(db.func.count(CompanyInvitation.id))) == 1
    auth.login_as(newcomer)
    assert client.get(f"/invitations/{first}").status_code == 404
    assert client.post(f"/invitations/{second}").status_code == 302
    assert "lea@exemple.fr" in members_of(company)


def test_member_cannot_invite_remove_cancel_or_hand_over(client, auth, company, make_user):
    member, other = make_user(Role.SUPPLIER), make_user(Role.SUPPLIER)
    for user in (member, other):
        db.session.add(CompanyMember(company_id=company.id, user_id=user.id))
    db.session.commit()
    auth.login_as(company.owner)
    invite(client, company, "x@exemple.fr")
    invitation = db.session.scalar(select(CompanyInvitation))
    auth.logout()
    auth.login_as(member)
    assert invite(client, company, "y@exemple.fr").status_code == 403
    assert client.post(f"{team_url(company)}/membres/{other.id}/retirer").status_code == 403
    assert client.post(f"{team_url(company)}/invitations/{invitation.id}/annuler").status_code == 403
    assert client.get(f"{team_url(company)}/membres/{other.id}/transmettre").status_code == 403
    assert client.post(f"{team_url(company)}/membres/{other.id}/transmettre").status_code == 403
    assert members_of(company) == {company.owner.email, member.email, other.email}
    assert db.session.scalar(select(db.func.count(CompanyInvitation.id))) == 1
    with pytest.raises(services.NotOwner):
        services.invite(company, "z@exemple.fr", actor=member)


def test_owner_removes_a_member_who_then_gets_404(client, auth, company, make_user):
    member = make_user(Role.SUPPLIER)
    db.session.add(CompanyMember(company_id=company.id, user_id=member.id))
    db.session.commit()
    auth.login_as(member)
    assert client.get(f"/entrepreneur/entreprises/{company.id}/profil").status_code == 200
    auth.logout()
    auth.login_as(company.owner)
    assert client.post(f"{team_url(company)}/membres/{member.id}/retirer").status_code == 302
    assert client.post(f"{team_url(company)}/membres/{member.id}/retirer").status_code == 404
    # The owner cannot be removed (not a member row).
    assert client.post(f"{team_url(company)}/membres/{company.owner_id}/retirer").status_code == 404
    auth.logout()
    note = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert "ne faites plus partie" in note.title
    auth.login_as(member)
    assert client.get(f"/entrepreneur/entreprises/{company.id}/profil").status_code == 404
    assert client.get(team_url(company)).status_code == 404


def test_hand_over(client, auth, company, make_user):
    old_owner = company.owner
    member = make_user(Role.SUPPLIER)
    db.session.add(CompanyMember(company_id=company.id, user_id=member.id))
    db.session.commit()
    auth.login_as(old_owner)
    confirm = client.get(f"{team_url(company)}/membres/{member.id}/transmettre")
    assert confirm.status_code == 200
    assert "Confirmer" in confirm.get_data(as_text=True)
    assert client.get(f"{team_url(company)}/membres/{old_owner.id}/transmettre").status_code == 404
    assert client.post(f"{team_url(company)}/membres/{member.id}/transmettre").status_code == 302
    db.session.expire_all()
    company = db.session.get(SupplierCompany, company.id)
    assert company.owner_id == member.id
    assert [m.user_id for m in company.members] == [old_owner.id]
    # The old owner is a member: may edit, may no longer invite.
    assert client.get(f"/entrepreneur/entreprises/{company.id}/profil").status_code == 200
    assert invite(client, company, "x@exemple.fr").status_code == 403
    auth.logout()
    assert db.session.scalar(select(Notification).where(Notification.user_id == member.id)) is not None
    auth.login_as(member)
    assert invite(client, company, "x@exemple.fr").status_code == 302
    assert client.post(f"{team_url(company)}/membres/{old_owner.id}/retirer").status_code == 302
    assert members_of(company) == {member.email}


def test_member_leaves_owner_cannot(client, auth, company, make_user):
    member = make_user(Role.SUPPLIER)
    db.session.add(CompanyMember(company_id=company.id, user_id=member.id))
    db.session.commit()
    auth.login_as(company.owner)
    assert "transmettez d'abord la propriété" in client.get(f"{team_url(company)}/quitter").get_data(as_text=True)
    assert client.post(f"{team_url(company)}/quitter").status_code == 409
    assert members_of(company) == {company.owner.email, member.email}
    auth.logout()
    auth.login_as(member)
    assert client.get(f"{team_url(company)}/quitter").status_code == 200
    assert client.post(f"{team_url(company)}/quitter").status_code == 302
    assert members_of(company) == {company.owner.email}
    assert client.get(team_url(company)).status_code == 404
    note = db.session.scalar(select(Notification).where(Notification.user_id == company.owner_id))
    assert "a quitté" in note.title


def test_another_company_is_404(client, auth, make_supplier, make_user):
    mine, theirs = make_supplier(), make_supplier()
    their_member = make_user(Role.SUPPLIER)
    db.session.add(CompanyMember(company_id=theirs.id, user_id=their_member.id))
    db.session.commit()
    invitation_token = invited(client, auth, theirs, "z@exemple.fr")
    invitation = db.session.scalar(select(CompanyInvitation))
    auth.login_as(mine.owner)
    assert client.get(team_url(mine)).status_code == 200
    assert client.get(team_url(theirs)).status_code == 404
    assert invite(client, theirs, "x@exemple.fr").status_code == 404
    assert client.post(f"{team_url(theirs)}/membres/{their_member.id}/retirer").status_code == 404
    assert client.get(f"{team_url(theirs)}/membres/{their_member.id}/transmettre").status_code == 404
    assert client.post(f"{team_url(theirs)}/invitations/{invitation.id}/annuler").status_code == 404
    assert client.get(f"{team_url(theirs)}/quitter").status_code == 404
    # Another company's invitation id through my company: 404 too.
    assert client.post(f"{team_url(mine)}/invitations/{invitation.id}/annuler").status_code == 404
    assert client.get("/entrepreneur/entreprises/999999/equipe").status_code == 404
    assert members_of(theirs) == {theirs.owner.email, their_member.email}
    assert invitation_token


@pytest.mark.parametrize("role", [Role.BUYER, Role.ORGANISER, Role.ADMIN])
def test_other_roles_get_403_on_team_pages(client, auth, company, make_user, role):
    auth.login_as(make_user(role))
    assert client.get(team_url(company)).status_code == 403
    assert invite(client, company, "x@exemple.fr").status_code == 403


def test_anonymous_is_sent_to_login(client, company):
    answer = client.get(team_url(company))
    assert answer.status_code == 302
    assert "/compte/connexion" in answer.headers["Location"]


def test_service_rules_without_a_request(app, company, make_user):
    newcomer = make_user(Role.SUPPLIER, email="lea@exemple.fr")
    with pytest.raises(ServiceError) as error:
        services.invite(company, company.owner.email.upper(), actor=company.owner)
    assert error.value.errors == {"email": services.ALREADY_IN_TEAM}
    sent = services.invite(company, "lea@exemple.fr", actor=company.owner)
    with pytest.raises(services.CannotJoin):
        services.accept(sent.token, make_user(Role.SUPPLIER))
    later = utcnow() + services.INVITATION_VALIDITY + timedelta(seconds=1)
    with pytest.raises(services.InvitationRefused) as refused:
        services.accept(sent.token, newcomer, now=later)
    assert refused.value.reason == "expired"
    assert services.accept(sent.token, newcomer).id == company.id
    with pytest.raises(services.InvitationRefused) as refused:
        services.accept(sent.token, newcomer)
    assert refused.value.reason == "used"


def test_invitations_are_rate_limited_per_user(app_factory, make_supplier):
    app = app_factory(RATELIMIT_ENABLED=True, INVITATION_RATE_LIMIT="2 per hour")
    with app.app_context():
        client = app.test_client()
        company = make_supplier()
        client.post("/compte/connexion", data={"email": company.owner.email, "password": PASSWORD})
        # A refused form costs nothing.
        assert invite(client, company, "pas une adresse").status_code == 422
        assert invite(client, company, "a@exemple.fr").status_code == 302
        assert invite(client, company, "b@exemple.fr").status_code == 302
        answer = invite(client, company, "c@exemple.fr")
        assert answer.status_code == 429
        text = answer.get_data(as_text=True)
        assert "Vous avez envoyé trop" in text
        assert "Réessayez dans" in text
        assert db.session.scalar(select(db.func.count(CompanyInvitation.id))) == 2
