"""Deleting one's own account: what goes, what is handed over, what stays (the QPV audit trail), and the pages."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from marketplace import search
from marketplace.account.services import LAST_ADMIN, WRONG_PASSWORD, delete_account, deletion_plan
from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    CompanyMember,
    Frequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    Offer,
    OutboxEmail,
    OutboxStatus,
    QpvStatus,
    QpvStatusChange,
    Role,
    SupplierCompany,
    Tender,
    TenderInterest,
    User,
    current_search_revision,
    utcnow,
)
from marketplace.suppliers.services import record_status
from marketplace.validators import ServiceError
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")


def count(model, *conditions) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def dangling() -> list[str]:
    """Every reference, in any table of the models, to a user or a company that no longer exists."""
    found = []
    for table in db.metadata.sorted_tables:
        for foreign_key in table.foreign_keys:
            parent = foreign_key.column.table
            if parent.name not in {"users", "supplier_companies"}:
                continue
            orphans = db.session.scalar(select(func.count()).select_from(table).where(
                foreign_key.parent.is_not(None), foreign_key.parent.not_in(select(foreign_key.column))))
            if orphans:
                found.append(f"{table.name}.{foreign_key.parent.name}")
    return found


def cleaning():
    return {"title": "Nettoyage de bureaux", "description": "Entretien quotidien, vitrerie",
            "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "vitrerie"], "departments": ["93"]}


def email_to(user, status, subject):
    return OutboxEmail(user_id=user.id, to_address=user.email, subject=subject, text_body="Bonjour Alice",
                       html_body="<p>Bonjour Alice</p>", kind="qpv_decision", status=status,
                       unsubscribe_url="https://exemple.fr/desinscription/x",
                       sent_at=utcnow() if status is OutboxStatus.SENT else None)


@pytest.fixture
def alice(make_user, make_supplier, make_tender):
    """An entrepreneur owning a company nobody else acts for, with everything that hangs on an account."""
    admin = make_user(Role.ADMIN, full_name="Admin")
    user = make_user(Role.SUPPLIER, full_name="Alice Martin", email="alice@exemple.fr")
    company = make_supplier(owner=user, name="Alice Services", offers=(cleaning(),))
    record_status(company, QpvStatus.DECLARED, "QN09301M", method="declaration", actor=user)
    record_status(company, QpvStatus.VERIFIED, "QN09301M", method="admin", actor=admin, reason="ok")
    tender = make_tender(title="Entretien", deadline=date.today() + timedelta(days=30))
    db.session.add_all([
        TenderInterest(tender=tender, company=company, message="Intéressée"),
        Notification(user=user, kind=NotificationKind.QPV_DECISION, title="Décision"),
        NotificationPreference(user_id=user.id, kind=NotificationKind.NEW_MATCHING_TENDER, frequency=Frequency.DAILY),
        email_to(user, OutboxStatus.QUEUED, "Pas encore parti"),
        email_to(user, OutboxStatus.SENT, "Parti"),
        email_to(user, OutboxStatus.FAILED, "Échoué"),
    ])
    db.session.commit()
    return user


def test_a_company_nobody_else_acts_for_goes_with_its_offers_and_interests_and_keeps_its_audit_trail(alice):
    company = db.session.scalars(select(SupplierCompany).where(SupplierCompany.owner_id == alice.id)).one()
    company_id, siret, user_id = company.id, company.siret, alice.id
    revision = current_search_revision()
    plan = delete_account(alice, PASSWORD)
    assert [fate.name for fate in plan.deleted] == ["Alice Services"]
    assert plan.handed_over == []
    assert count(User, User.id == user_id) == 0
    assert count(SupplierCompany, SupplierCompany.id == company_id) == 0
    assert count(Offer, Offer.supplier_id == company_id) == 0
    assert count(TenderInterest, TenderInterest.supplier_company_id == company_id) == 0
    trail = db.session.execute(
        select(QpvStatusChange.supplier_id, QpvStatusChange.company_siret, QpvStatusChange.company_name,
               QpvStatusChange.actor_id, QpvStatusChange.new_status).order_by(QpvStatusChange.id)).all()
    assert [(row.supplier_id, row.company_siret, row.company_name) for row in trail] == [
        (None, siret, "Alice Services")] * 2
    assert trail[0].actor_id is None  # her own declaration: no longer linked to her
    assert trail[1].actor_id is not None  # the administrator's decision still names its author
    assert [row.new_status for row in trail] == [QpvStatus.DECLARED, QpvStatus.VERIFIED]
    assert current_search_revision() > revision  # every engine looks again
    assert count(Tender) == 1  # the buyer's tender is untouched
    assert dangling() == []  # the ON DELETE rules were applied, on SQLite too


def test_notifications_preferences_and_unsent_emails_go_sent_ones_lose_the_address(alice):
    user_id = alice.id
    delete_account(alice, PASSWORD)
    assert count(Notification, Notification.user_id == user_id) == 0
    assert count(NotificationPreference, NotificationPreference.user_id == user_id) == 0
    emails = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert [(e.subject, e.status) for e in emails] == [("Parti", OutboxStatus.SENT), ("Échoué", OutboxStatus.FAILED)]
    for email in emails:
        assert (email.user_id, email.to_address, email.text_body, email.html_body, email.unsubscribe_url) == (
            None, "", "", "", None)
        assert email.kind == "qpv_decision"


def test_a_company_with_members_passes_to_the_longest_standing_one(make_user, make_supplier):
    owner = make_user(Role.SUPPLIER, full_name="Olivier Owner")
    first = make_user(Role.SUPPLIER, full_name="Première Membre")
    second = make_user(Role.SUPPLIER, full_name="Second Membre")
    company = make_supplier(owner=owner, name="Atelier Partagé", offers=(cleaning(),))
    db.session.add(CompanyMember(company=company, user=first, created_at=utcnow() - timedelta(days=10)))
    db.session.add(CompanyMember(company=company, user=second, created_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    company_id, first_id, second_id = company.id, first.id, second.id
    plan = deletion_plan(owner)
    assert [(fate.name, fate.new_owner_name) for fate in plan.handed_over] == [("Atelier Partagé", "Première Membre")]
    assert plan.deleted == []
    delete_account(owner, PASSWORD)
    company = db.session.get(SupplierCompany, company_id)
    assert company.owner_id == first_id
    assert [m.user_id for m in company.members] == [second_id]
    assert len(company.offers) == 1
    notice = db.session.scalars(select(Notification).where(Notification.user_id == first_id)).one()
    assert "propriétaire" in notice.title
    assert dangling() == []
    assert "Atelier Partagé" in notice.title


def test_memberships_of_the_user_are_removed_and_the_companies_stay(make_user, make_supplier):
    owner = make_user(Role.SUPPLIER)
    member = make_user(Role.SUPPLIER)
    company = make_supplier(owner=owner)
    db.session.add(CompanyMember(company=company, user=member))
    db.session.commit()
    company_id, member_id = company.id, member.id
    assert deletion_plan(member).memberships == [company.name]
    delete_account(member, PASSWORD)
    assert count(CompanyMember, CompanyMember.user_id == member_id) == 0
    assert db.session.get(SupplierCompany, company_id).owner_id is not None


def test_a_wrong_password_changes_nothing(alice):
    with pytest.raises(ServiceError) as refused:
        delete_account(alice, "pas-le-bon")
    assert refused.value.errors == {"password": WRONG_PASSWORD}
    db.session.rollback()
    assert count(User, User.id == alice.id) == 1
    assert count(SupplierCompany, SupplierCompany.owner_id == alice.id) == 1
    assert count(OutboxEmail) == 3


def test_a_buyers_tenders_stay_with_the_organisation(make_user, make_tender):
    buyer = make_user(Role.BUYER)
    colleague = make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation)
    tender = make_tender(buyer=buyer)
    organisation_id, tender_id = buyer.buyer_organisation_id, tender.id
    plan = deletion_plan(buyer)
    assert plan.organisation == buyer.buyer_organisation.name
    assert plan.tenders == 1
    delete_account(buyer, PASSWORD)
    tender = db.session.get(Tender, tender_id)
    assert tender.buyer_organisation_id == organisation_id
    assert tender.created_by_id is None
    assert db.session.get(BuyerOrganisation, organisation_id) is not None
    assert db.session.get(User, colleague.id).buyer_organisation_id == organisation_id


def test_the_last_active_administrator_cannot_delete_their_account(make_user):
    admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN, active=False)  # a deactivated administrator does not count
    assert deletion_plan(admin).last_admin
    with pytest.raises(ServiceError) as refused:
        delete_account(admin, PASSWORD)
    assert refused.value.errors == {"": LAST_ADMIN}
    db.session.rollback()
    assert count(User, User.id == admin.id) == 1
    other = make_user(Role.ADMIN)
    delete_account(admin, PASSWORD)  # another active administrator: allowed
    assert count(User, User.role == Role.ADMIN, User.active.is_(True)) == 1
    assert deletion_plan(other).last_admin


def test_the_audit_trail_snapshots_the_company_whichever_way_a_row_is_written(make_supplier):
    company = make_supplier(name="Nom Initial")
    record_status(company, QpvStatus.DECLARED, "QN09301M", method="declaration", actor=None)
    db.session.add(QpvStatusChange(supplier_id=company.id, new_status=QpvStatus.REJECTED, method="admin"))
    db.session.commit()
    rows = db.session.execute(select(QpvStatusChange.company_siret, QpvStatusChange.company_name)).all()
    assert rows == [(company.siret, "Nom Initial")] * 2


def test_the_database_itself_keeps_the_audit_trail_when_a_company_row_is_deleted(make_supplier):
    """The foreign key's own rule, on both databases (SQLite enforces foreign keys in this app)."""
    company = make_supplier()
    record_status(company, QpvStatus.DECLARED, "QN09301M", method="declaration", actor=None)
    db.session.commit()
    db.session.execute(sa.delete(SupplierCompany).where(SupplierCompany.id == company.id))
    db.session.commit()
    assert db.session.execute(select(QpvStatusChange.supplier_id, QpvStatusChange.company_siret)).all() == [
        (None, company.siret)]


# --- the pages -----------------------------------------------------------------------------------------------

def confirm(client, password=PASSWORD, checked=True):
    data = {"password": password}
    if checked:
        data["confirm"] = "y"
    return client.post("/compte/suppression", data=data)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_what_is_deleted_and_kept(client, auth, make_user, role):
    if role is Role.ADMIN:
        make_user(Role.ADMIN)  # not the last one
    auth.login_as(make_user(role))
    html = client.get("/compte/suppression").get_data(as_text=True)
    for heading in ("Ce qui sera supprimé", "Ce qui sera conservé, et pourquoi", "Confirmer la suppression"):
        assert heading in html
    assert 'name="password"' in html
    assert 'name="confirm"' in html
    assert 'href="/compte/suppression"' in client.get("/compte/mes-donnees").get_data(as_text=True)


def test_the_page_names_the_companies_that_go_and_those_handed_over(client, auth, alice, make_user, make_supplier):
    member = make_user(Role.SUPPLIER, full_name="Bruno Membre")
    shared = make_supplier(owner=alice, name="Coopérative Commune")
    db.session.add(CompanyMember(company=shared, user=member))
    db.session.commit()
    auth.login_as(alice)
    html = client.get("/compte/suppression").get_data(as_text=True).replace("&#39;", "'")
    gone = html.split("Ce qui sera supprimé", 1)[1].split("Ce qui sera transmis", 1)[0]
    handed = html.split("Ce qui sera transmis", 1)[1].split("Ce qui sera conservé", 1)[0]
    assert "Alice Services" in gone
    assert "les acheteurs n'y auront plus accès" in gone
    assert "Coopérative Commune" in handed
    assert "Bruno Membre" in handed
    assert "historique des statuts QPV" in html


def test_a_wrong_password_is_a_field_error_and_keeps_everything(client, auth, alice):
    auth.login_as(alice)
    response = confirm(client, password="pas-le-bon")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="password-erreur"' in html
    assert WRONG_PASSWORD in html
    assert count(User, User.id == alice.id) == 1
    assert client.get("/compte/suppression").status_code == 200  # still signed in


def test_the_checkbox_is_required(client, auth, alice):
    auth.login_as(alice)
    response = confirm(client, checked=False)
    assert response.status_code == 422
    assert "Cochez cette case pour confirmer la suppression." in response.get_data(as_text=True)
    assert count(User, User.id == alice.id) == 1


def test_the_last_administrator_is_refused_in_french(client, auth, make_user):
    admin = make_user(Role.ADMIN)
    auth.login_as(admin)
    assert "dernier administrateur actif" in client.get("/compte/suppression").get_data(as_text=True)
    response = confirm(client)
    assert response.status_code == 422
    assert LAST_ADMIN.replace("'", "&#39;") in response.get_data(as_text=True)
    assert count(User, User.id == admin.id) == 1


def test_deleting_signs_out_confirms_and_the_account_can_no_longer_log_in(client, auth, alice):
    auth.login_as(alice)
    response = confirm(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/suppression/terminee"
    html = client.get("/compte/suppression/terminee").get_data(as_text=True).replace("&#39;", "'")
    assert "Votre compte a été supprimé" in html
    assert "Alice Services" in html
    assert "n'ont plus accès à ces conversations" in html
    assert "/compte/connexion" in client.get("/compte/suppression").headers["Location"]  # signed out
    again = client.get("/compte/suppression/terminee").get_data(as_text=True)
    assert "Votre compte a été supprimé" not in again  # said once
    assert "/compte/connexion" in auth.login("alice@exemple.fr").headers.get("Location", "/compte/connexion")
    assert auth.login("alice@exemple.fr").status_code != 302  # the login form again, with its error


def test_the_confirmation_page_answers_anybody(client):
    response = client.get("/compte/suppression/terminee")
    assert response.status_code == 200
    assert "Aucune suppression" in response.get_data(as_text=True)


def test_a_deleted_company_no_longer_appears_in_a_buyer_search(app, make_user, make_supplier, auth, client):
    make_supplier(name="Autre Propreté", offers=(cleaning(),))
    buyer = make_user(Role.BUYER)
    owner = make_user(Role.SUPPLIER, email="proprete@exemple.fr")
    company_id = make_supplier(owner=owner, name="Propreté Alice", offers=(cleaning(),)).id
    auth.login_as(buyer)

    def found():
        return client.get("/acheteur/fournisseurs?q=nettoyage").get_data(as_text=True)

    assert "Propreté Alice" in found()
    assert "Autre Propreté" in found()
    assert str(company_id) in search._cache.engine().suppliers_
    supplier_client = app.test_client()
    supplier_client.post("/compte/connexion", data={"email": owner.email, "password": PASSWORD})
    assert confirm(supplier_client).status_code == 302
    html = found()
    assert "Propreté Alice" not in html
    assert "Autre Propreté" in html
    db.session.rollback()  # this test's session looks at the database afresh, as a new request does
    assert str(company_id) not in search._cache.engine().suppliers_  # dropped by the engine, not just hidden


def test_the_export_lists_the_companies_one_is_a_member_of(make_user, make_supplier):
    from marketplace.account.services import export_summary, export_user_data

    member = make_user(Role.SUPPLIER)
    company = make_supplier(name="Équipe Partagée")
    db.session.add(CompanyMember(company=company, user=member))
    db.session.commit()
    data = export_user_data(member)
    assert [(m["company"]["name"], m["company"]["siret"]) for m in data["company_memberships"]] == [
        ("Équipe Partagée", company.siret)]
    assert data["company_memberships"][0]["member_since"]
    assert export_summary(member)["memberships"] == 1
