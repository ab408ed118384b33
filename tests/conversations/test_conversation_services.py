"""Conversation rules without a request: who may start and read, unread counts per user, notifications."""

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from marketplace.account import services as account
from marketplace.conversations import services
from marketplace.extensions import db
from marketplace.models import (
    MESSAGE_MAX,
    ConversationMessage,
    ConversationThread,
    Notification,
    NotificationKind,
    OutboxEmail,
    Role,
    Side,
    TenderStatus,
)
from marketplace.opportunities.services import NotVisible, visible_tender
from marketplace.validators import ServiceError
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")


def _notifications(user):
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.MESSAGE_RECEIVED)))


def _emails(user):
    return list(db.session.scalars(select(OutboxEmail).where(
        OutboxEmail.user_id == user.id, OutboxEmail.kind == NotificationKind.MESSAGE_RECEIVED.value)))


def test_a_supplier_starts_and_each_buyer_of_the_organisation_has_their_own_unread(world):
    message = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "  Bonjour, une question.  ")
    thread = db.session.get(ConversationThread, message.thread_id)
    assert (thread.tender_id, thread.buyer_organisation_id, thread.supplier_company_id) == (
        world.tender.id, world.buyer.buyer_organisation_id, world.company.id)
    assert message.body == "Bonjour, une question."
    assert message.side is Side.SUPPLIER
    assert message.author_id == world.owner.id
    # The other side: both buyers of the organisation; the writer's side counts nothing.
    counts = {u.full_name: services.unread_count(u) for u in
              (world.buyer, world.colleague, world.stranger, world.owner, world.member, world.rival)}
    assert counts == {"Alice Acheteuse": 1, "Bruno Collègue": 1, "Chloé Ailleurs": 0, "Dina Gérante": 0,
                      "Émile Associé": 0, "Farid Concurrent": 0}
    # Reading is per user.
    page = services.open_thread(world.buyer, thread.id)
    assert [m.id for m in page.messages] == [message.id]
    assert page.unread_ids == {message.id}
    assert services.unread_count(world.buyer) == 0
    assert services.unread_count(world.colleague) == 1
    assert services.open_thread(world.buyer, thread.id).unread_ids == frozenset()  # already read


def test_a_reply_notifies_every_person_of_the_company_in_its_transaction(world):
    first = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Question")
    for buyer in (world.buyer, world.colleague):
        (notification,) = _notifications(buyer)
        assert notification.link == f"/messages/{first.thread_id}"
        assert "Net Horizon" in notification.title
        assert "Question" in notification.body
        assert len(_emails(buyer)) == 1
    assert _notifications(world.owner) == []
    assert _notifications(world.stranger) == []

    answer = services.reply(world.colleague, first.thread_id, "Réponse de l'acheteur")
    assert answer.side is Side.BUYER
    for person in (world.owner, world.member):
        (notification,) = _notifications(person)
        assert "Nettoyage des écoles" in notification.title
        assert len(_emails(person)) == 1
        assert services.unread_count(person) == 1
    assert _notifications(world.rival) == []
    assert services.unread_count(world.buyer) == 1  # Alice has still not read Dina's question
    assert services.unread_count(world.colleague) == 0  # Bruno's own message is not unread for him
    services.open_thread(world.member, first.thread_id)
    assert (services.unread_count(world.member), services.unread_count(world.owner)) == (0, 1)


def test_both_sides_share_one_thread_per_tender_and_company(world):
    by_supplier = services.start_as_supplier(world.member, world.tender.id, world.company.id, "Un")
    by_buyer = services.start_as_buyer(world.buyer, world.tender.id, world.company.id, "Deux")
    assert by_buyer.thread_id == by_supplier.thread_id
    other = services.start_as_buyer(world.buyer, world.tender.id, world.other_company.id, "Trois")
    assert other.thread_id != by_supplier.thread_id
    assert db.session.scalar(select(func.count(ConversationThread.id))) == 2


def test_another_side_organisation_or_company_gets_a_404(world):
    thread_id = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Question").thread_id
    for outsider in (world.stranger, world.rival):
        with pytest.raises(NotVisible):
            services.get_thread(outsider, thread_id)
        with pytest.raises(NotVisible):
            services.reply(outsider, thread_id, "Intrus")
        assert services.inbox(outsider).rows == []
    assert services.get_thread(world.member, thread_id).id == thread_id  # a member acts for the company
    assert services.get_thread(world.colleague, thread_id).id == thread_id


def test_an_entrepreneur_starts_only_on_a_readable_tender_for_its_own_company(world):
    with pytest.raises(NotVisible):
        services.start_as_supplier(world.owner, world.draft.id, world.company.id, "Brouillon ?")
    with pytest.raises(NotVisible):
        services.start_as_supplier(world.owner, world.tender.id, world.other_company.id, "Pas la mienne")
    world.tender.status = TenderStatus.CLOSED
    db.session.commit()
    with pytest.raises(NotVisible):  # closed, and no engagement yet
        services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Trop tard")
    assert db.session.scalar(select(func.count(ConversationMessage.id))) == 0


def test_a_buyer_starts_only_on_its_organisations_published_tenders(world):
    for tender in (world.draft, world.foreign_tender):
        with pytest.raises(ServiceError) as refused:
            services.start_as_buyer(world.buyer, tender.id, world.company.id, "Bonjour")
        assert "tender_id" in refused.value.errors
    with pytest.raises(NotVisible):
        services.start_as_buyer(world.buyer, world.tender.id, 10**9, "Personne")
    assert [t.id for t in services.buyer_tenders(world.buyer)] == [world.tender.id]


def test_blank_and_too_long_messages_are_refused_in_french(world):
    with pytest.raises(ServiceError) as blank:
        services.start_as_supplier(world.owner, world.tender.id, world.company.id, " \n\t ")
    assert blank.value.errors == {"body": services.EMPTY_MESSAGE}
    with pytest.raises(ServiceError) as long:
        services.start_as_supplier(world.owner, world.tender.id, world.company.id, "a" * (MESSAGE_MAX + 1))
    assert f"{MESSAGE_MAX + 1} caractères, {MESSAGE_MAX} au plus" in long.value.errors["body"]
    assert services.start_as_supplier(world.owner, world.tender.id, world.company.id, "a" * MESSAGE_MAX).id
    assert db.session.scalar(select(func.count(ConversationThread.id))) == 1


def test_a_closed_tender_stays_readable_to_the_companies_that_talked_about_it(world):
    services.start_as_buyer(world.buyer, world.tender.id, world.company.id, "Pouvez-vous venir lundi ?")
    world.tender.status = TenderStatus.AWARDED
    db.session.commit()
    assert visible_tender(world.member, world.tender.id).id == world.tender.id
    with pytest.raises(NotVisible):
        visible_tender(world.rival, world.tender.id)


def test_inbox_lists_newest_first_with_unread_and_last_message(world):
    old = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Ancien")
    new = services.start_as_supplier(world.rival, world.tender.id, world.other_company.id, "Récent")
    page = services.inbox(world.buyer)
    assert [row.thread.id for row in page.rows] == [new.thread_id, old.thread_id]
    assert [row.unread for row in page.rows] == [1, 1]
    assert [row.last.body for row in page.rows] == ["Récent", "Ancien"]
    assert page.unread == 2
    services.reply(world.buyer, old.thread_id, "Réponse")
    assert [row.thread.id for row in services.inbox(world.buyer).rows] == [old.thread_id, new.thread_id]
    paged = services.inbox(world.buyer, page=2, per_page=1)
    assert (paged.page, paged.pages, paged.total, [r.thread.id for r in paged.rows]) == (2, 2, 2, [new.thread_id])


def test_a_deleted_account_leaves_its_messages_as_compte_supprime(world):
    message = services.start_as_buyer(world.colleague, world.tender.id, world.company.id, "Je pars bientôt")
    account.delete_account(world.colleague, PASSWORD)
    db.session.expire_all()
    kept = db.session.get(ConversationMessage, message.id)
    assert kept.author_id is None
    assert kept.author_name == "Compte supprimé"


def test_deleting_the_tender_or_the_company_deletes_its_threads(world, app):
    from marketplace.models import SupplierCompany, Tender

    first = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Un")
    services.start_as_supplier(world.rival, world.tender.id, world.other_company.id, "Deux")
    services.start_as_buyer(world.buyer, world.tender.id, world.company.id, "Trois")
    services.open_thread(world.buyer, first.thread_id)
    with db.engine.begin() as connection:  # the database's own ON DELETE rules (SQLite enforces them here too)
        connection.execute(sa.delete(SupplierCompany).where(SupplierCompany.id == world.other_company.id))
    db.session.expire_all()
    assert [t.supplier_company_id for t in db.session.scalars(select(ConversationThread))] == [world.company.id]
    with db.engine.begin() as connection:
        connection.execute(sa.delete(Tender).where(Tender.id == world.tender.id))
    assert db.session.scalar(select(func.count(ConversationThread.id))) == 0
    assert db.session.scalar(select(func.count(ConversationMessage.id))) == 0


def test_export_records_hold_the_users_own_messages_only(world):
    mine = services.start_as_supplier(world.member, world.tender.id, world.company.id, "Le mien")
    services.reply(world.buyer, mine.thread_id, "Pas le mien")
    (record,) = services.export_records(world.member)
    assert record["message_id"] == mine.id
    assert (record["thread_id"], record["tender_id"], record["body"], record["side"]) == (
        mine.thread_id, world.tender.id, "Le mien", "supplier")
    assert record["company"] == "Net Horizon"
    assert services.export_records(world.rival) == []


def test_organisers_and_admins_have_no_messaging(world, make_user):
    thread_id = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Question").thread_id
    for role in (Role.ORGANISER, Role.ADMIN):
        user = make_user(role)
        assert services.unread_count(user) == 0
        with pytest.raises(NotVisible):
            services.get_thread(user, thread_id)


def test_the_download_of_my_data_holds_my_messages(world):
    from marketplace.account.services import export_summary, export_user_data

    services.start_as_supplier(world.member, world.tender.id, world.company.id, "Bonjour, une question")
    data = export_user_data(world.member)
    assert [m["body"] for m in data["messages"]] == ["Bonjour, une question"]
    assert export_summary(world.member)["messages"] == 1
    assert export_user_data(world.rival)["messages"] == []
