"""Hand-made posts (digits that are not ASCII, ids beyond any row) are refused without a server error, and a
consortium survives its lead's account deletion."""

import pytest
from sqlalchemy import select

from marketplace.account.services import delete_account
from marketplace.consortia import services
from marketplace.extensions import db
from marketplace.models import Consortium, MemberRole, Notification, NotificationKind
from marketplace.validators import parse_id
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_engine")

HUGE = "9" * 30


def _formed(world, lead_owner=None, lead=None, submitted=False):
    lead_owner, lead = lead_owner or world.lead_owner, lead or world.lead
    consortium = services.create(lead_owner, world.tender.id, lead.id,
                                 invite={world.partner_company.id: [world.lot(2)]}, lead_lots=[world.lot(1)])
    services.answer(world.partner, consortium.id, world.partner_company.id, True)
    if submitted:
        services.submit(lead_owner, consortium.id, "Ensemble")
    return consortium


@pytest.mark.parametrize(("value", "expected"), [("12", 12), (" 7 ", 7), ("²", None), ("٣", None), (HUGE, None),
                                                 ("0", None), ("-3", None), ("", None), (None, None), ("1e3", None)])
def test_ids_are_read_as_ascii_digits_within_bigint(value, expected):
    assert parse_id(value) == expected


def test_hand_made_posts_get_no_server_error(client, auth, world):
    consortium = _formed(world)
    auth.login_as(world.lead_owner)
    posts = [
        ("/entrepreneur/groupements/nouveau", {"tender_id": world.tender.id, "company_id": world.lead.id,
                                               "invite": "²:"}),
        ("/entrepreneur/groupements/nouveau", {"tender_id": HUGE, "company_id": world.lead.id}),
        (f"/entrepreneur/groupements/{consortium.id}/lots", {"lead": "²"}),
        (f"/entrepreneur/groupements/{consortium.id}/inviter", {"company_id": HUGE}),
    ]
    for url, data in posts:
        assert client.post(url, data=data).status_code in {302, 400, 404, 422}, url
    auth.logout()
    auth.login_as(world.buyer)
    answer = client.post(f"/acheteur/appels-d-offres/{world.tender.id}/equipes/inviter",
                         data={"members": ["²", str(world.lead.id)]})
    assert answer.status_code == 302


def test_a_declared_consortium_passes_to_a_partner_when_its_lead_deletes_the_account(world):
    consortium = _formed(world, lead_owner=world.outsider, lead=world.outsider_company, submitted=True)
    consortium_id = consortium.id
    delete_account(world.outsider, PASSWORD)
    db.session.expire_all()
    kept = db.session.get(Consortium, consortium_id)
    assert kept is not None, "the partners' declared consortium must not vanish with its lead"
    assert kept.lead_company_id == world.partner_company.id
    assert [m.role for m in kept.members if m.company_id == world.partner_company.id] == [MemberRole.MANDATAIRE]
    told = db.session.scalars(select(Notification.title).where(
        Notification.user_id == world.partner.id, Notification.kind == NotificationKind.INVITATION_RECEIVED)).all()
    assert any("mandataire" in title for title in told)


def test_a_withdrawn_consortium_thread_is_closed_to_new_messages(client, auth, world):
    from marketplace.conversations import services as conversations
    from marketplace.opportunities.services import NotVisible
    from marketplace.validators import ServiceError

    consortium = _formed(world, submitted=True)
    message = services.write(world.buyer, consortium.id, "Pouvez-vous préciser le lot 2 ?")
    services.withdraw(world.lead_owner, consortium.id)
    with pytest.raises(NotVisible):
        services.write(world.partner, consortium.id, "Encore un mot")
    with pytest.raises(ServiceError):
        conversations.reply(world.buyer, message.thread_id, "Dommage")
    auth.login_as(world.buyer)
    refused = client.post(f"/messages/{message.thread_id}", data={"body": "Dommage"})
    assert refused.status_code == 422
    assert "conversation est close" in refused.get_data(as_text=True)
    assert "Pouvez-vous préciser le lot 2 ?" in client.get(f"/messages/{message.thread_id}").get_data(as_text=True)


def test_a_partner_writing_to_the_buyer_is_read_by_the_whole_team(world):
    consortium = _formed(world, submitted=True)
    services.write(world.partner, consortium.id, "Nous avons une question sur le lot 2.")
    notified = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == NotificationKind.MESSAGE_RECEIVED)))
    assert world.lead_owner.id in notified  # the partner of the team
    assert world.buyer.id in notified  # the buyer
    assert world.partner.id not in notified  # not the author
