"""The consortium pages: access across two companies and two buyer organisations, forms, the tender pages."""

import pytest
from sqlalchemy import select

from marketplace.consortia import services
from marketplace.extensions import db
from marketplace.models import Consortium, ConsortiumStatus, ConversationThread, MemberStatus


def _formed(world, submitted=False):
    consortium = services.create(world.lead_owner, world.tender.id, world.lead.id,
                                 invite={world.partner_company.id: [world.lot(2)]}, lead_lots=[world.lot(1)])
    services.answer(world.partner, consortium.id, world.partner_company.id, True)
    if submitted:
        services.submit(world.lead_owner, consortium.id, "Ensemble")
    return consortium


def _posts(consortium, member_id):
    base = f"/entrepreneur/groupements/{consortium.id}"
    return [f"{base}/inviter", f"{base}/repondre", f"{base}/quitter", f"{base}/membres/{member_id}/retirer",
            f"{base}/lots", f"{base}/declarer", f"{base}/retirer", f"{base}/message"]


def test_a_stranger_company_gets_404_everywhere(client, auth, world):
    consortium = _formed(world)
    auth.login_as(world.outsider)
    assert client.get(f"/entrepreneur/groupements/{consortium.id}").status_code == 404
    for path in _posts(consortium, consortium.members[1].id):
        assert client.post(path, data={"company_id": world.outsider_company.id}).status_code == 404, path
    assert client.get("/entrepreneur/groupements/999999").status_code == 404
    assert consortium.status is ConsortiumStatus.FORMING
    assert len(consortium.members) == 2


def test_a_member_cannot_use_the_lead_actions(client, auth, world):
    consortium = _formed(world)
    auth.login_as(world.partner)
    assert client.get(f"/entrepreneur/groupements/{consortium.id}").status_code == 200
    base = f"/entrepreneur/groupements/{consortium.id}"
    for path in (f"{base}/inviter", f"{base}/membres/{consortium.members[1].id}/retirer", f"{base}/lots",
                 f"{base}/declarer", f"{base}/retirer"):
        assert client.post(path, data={"company_id": world.outsider_company.id}).status_code == 404, path
    db.session.expire_all()
    assert consortium.status is ConsortiumStatus.FORMING
    assert len(consortium.members) == 2


def test_buyers_see_it_only_once_declared_and_only_their_own(client, auth, world):
    consortium = _formed(world)
    auth.login_as(world.buyer)
    assert client.get(f"/acheteur/groupements/{consortium.id}").status_code == 404
    services.submit(world.lead_owner, consortium.id, "Ensemble")
    page = client.get(f"/acheteur/groupements/{consortium.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Net Horizon" in text
    assert "Jardins Solidaires" in text
    assert "Lot 2 : Espaces verts" in text
    assert "contact@nethorizon.fr" in text
    assert "secret@jardins.fr" not in text
    detail = client.get(f"/acheteur/appels-d-offres/{world.tender.id}").get_data(as_text=True)
    assert "Groupements déclarés (1)" in detail
    assert "Jardins Solidaires (co-traitant)" in detail
    auth.logout()
    auth.login_as(world.stranger)
    assert client.get(f"/acheteur/groupements/{consortium.id}").status_code == 404
    assert client.post(f"/acheteur/groupements/{consortium.id}/message", data={"body": "Bonjour"}).status_code == 404


def test_walk_through_the_forms(client, auth, world):
    auth.login_as(world.lead_member)
    response = client.post("/entrepreneur/groupements/nouveau",
                           data={"tender_id": world.tender.id, "company_id": world.lead.id})
    consortium = db.session.scalar(select(Consortium))
    assert response.headers["Location"].endswith(f"/entrepreneur/groupements/{consortium.id}")
    page = client.get(f"/entrepreneur/groupements/{consortium.id}?q=jardins").get_data(as_text=True)
    assert "Jardins Solidaires" in page
    assert "Inviter" in page
    client.post(f"/entrepreneur/groupements/{consortium.id}/inviter", data={"company_id": world.partner_company.id})
    auth.logout()

    auth.login_as(world.partner)
    invitation = client.get(f"/entrepreneur/groupements/{consortium.id}").get_data(as_text=True)
    assert "Invitation pour Jardins Solidaires" in invitation
    client.post(f"/entrepreneur/groupements/{consortium.id}/repondre",
                data={"company_id": world.partner_company.id, "choice": "accepter"})
    auth.logout()

    auth.login_as(world.lead_owner)
    lead_row, partner_row = consortium.members
    client.post(f"/entrepreneur/groupements/{consortium.id}/lots",
                data={f"lots-{lead_row.id}": [str(world.lot(1))], f"lots-{partner_row.id}": [str(world.lot(2))],
                      "lead": str(lead_row.id)})
    response = client.post(f"/entrepreneur/groupements/{consortium.id}/declarer", data={"message": "x" * 3000})
    assert consortium.status is ConsortiumStatus.FORMING  # too long a message: refused
    response = client.post(f"/entrepreneur/groupements/{consortium.id}/declarer", data={"message": "Prêts"})
    assert response.status_code == 302
    db.session.expire_all()
    assert consortium.status is ConsortiumStatus.SUBMITTED
    assert [m.lot_ids for m in consortium.members] == [[world.lot(1)], [world.lot(2)]]

    # The shared thread: written by the lead, readable by the partner, answered by the buyer.
    response = client.post(f"/entrepreneur/groupements/{consortium.id}/message", data={"body": "Une question"})
    thread = db.session.scalar(select(ConversationThread).where(ConversationThread.consortium_id == consortium.id))
    assert thread is not None
    assert response.headers["Location"].endswith(f"/messages/{thread.id}")
    auth.logout()
    auth.login_as(world.partner)
    assert client.get(f"/messages/{thread.id}").status_code == 200
    auth.logout()
    auth.login_as(world.outsider)
    assert client.get(f"/messages/{thread.id}").status_code == 404
    auth.logout()
    auth.login_as(world.buyer)
    page = client.get(f"/messages/{thread.id}")
    assert page.status_code == 200
    assert "Une question" in page.get_data(as_text=True)


def test_partner_leaves_before_declaration(client, auth, world):
    consortium = _formed(world)
    auth.login_as(world.partner)
    response = client.post(f"/entrepreneur/groupements/{consortium.id}/quitter",
                           data={"company_id": world.partner_company.id})
    assert response.headers["Location"].endswith("/entrepreneur/groupements")
    db.session.expire_all()
    assert consortium.members[1].status is MemberStatus.LEFT
    assert client.get(f"/entrepreneur/groupements/{consortium.id}").status_code == 404


def test_index_lists_consortia_and_explains(client, auth, world):
    _formed(world)
    auth.login_as(world.partner)
    text = client.get("/entrepreneur/groupements").get_data(as_text=True)
    assert "Entretien des écoles" in text
    assert "mandataire" in text.lower()
    assert "solidaire" in text.lower()
    auth.logout()
    auth.login_as(world.outsider)
    assert "Aucun groupement pour l'instant" in client.get("/entrepreneur/groupements").get_data(as_text=True)


@pytest.mark.parametrize("who", ["lead_owner", "partner"])
def test_tender_page_shows_the_section(client, auth, world, who):
    _formed(world)
    auth.login_as(getattr(world, who))
    text = client.get(f"/entrepreneur/appels-d-offres/{world.tender.id}").get_data(as_text=True)
    assert "Répondre à plusieurs" in text
    assert "Vos groupements sur cet appel d'offres" in text
