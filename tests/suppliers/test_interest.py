"""'Je suis intéressé': expressed for one's own company on a tender or chosen lots, withdrawn until the deadline,
seen by the tender's buyer (tender page and shortlist) and by no other organisation."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import INTEREST_MESSAGE_MAX, Role, TenderInterest
from marketplace.opportunities import services
from marketplace.validators import ServiceError

SOON = date.today() + timedelta(days=10)
CLEANING = {"title": "Nettoyage de bureaux", "cpv_codes": ["90910000-9"], "keywords": ["nettoyage"],
            "departments": ["93"]}


pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def setup(make_user, make_supplier, make_tender):
    buyer, other_buyer = make_user(Role.BUYER), make_user(Role.BUYER)
    first = make_supplier(name="Net Horizon", offers=(CLEANING,))
    second = make_supplier(name="Propre Cité", offers=(CLEANING,))
    tender = make_tender(buyer=buyer, title="Nettoyage des écoles", cpv_codes=["90910000-9"], deadline=SOON,
                         lots=({"title": "Écoles"}, {"title": "Vitrerie"}))
    return {"buyer": buyer, "other_buyer": other_buyer, "first": first, "second": second, "tender": tender}


def post_interest(client, tender, company, lots=(), message=""):
    return client.post(f"/entrepreneur/appels-d-offres/{tender.id}/interet",
                       data={"company_id": company.id, "lots": [lot.id for lot in lots], "message": message})


def test_interest_end_to_end(client, auth, setup):
    tender, first = setup["tender"], setup["first"]
    auth.login_as(first.owner)
    answer = post_interest(client, tender, first, lots=[tender.lots[1]], message="Bonjour <b>acheteur</b>")
    assert answer.status_code == 302
    page = client.get(f"/entrepreneur/appels-d-offres/{tender.id}").get_data(as_text=True)
    assert "le lot 2" in page
    assert "Retirer mon intérêt" in page
    auth.logout()
    # The buyer sees it on the tender page (escaped) and in the shortlist.
    auth.login_as(setup["buyer"])
    detail = client.get(f"/acheteur/appels-d-offres/{tender.id}").get_data(as_text=True)
    assert "Entreprises intéressées (1)" in detail
    assert "Net Horizon" in detail
    assert "lot 2" in detail
    assert "Bonjour &lt;b&gt;acheteur&lt;/b&gt;" in detail
    assert "<b>acheteur" not in detail
    shortlist = client.get(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs").get_data(as_text=True)
    assert shortlist.count("Intéressée") == 1
    lot1 = client.get(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs?lot={tender.lots[0].id}")
    assert "Intéressée" not in lot1.get_data(as_text=True)  # interested in lot 2 only
    auth.logout()
    # Another organisation's buyer sees nothing of it.
    auth.login_as(setup["other_buyer"])
    assert client.get(f"/acheteur/appels-d-offres/{tender.id}").status_code == 404
    auth.logout()
    # Withdrawn: gone from the buyer's page.
    auth.login_as(first.owner)
    answer = client.post(f"/entrepreneur/appels-d-offres/{tender.id}/interet/retirer", data={"company_id": first.id})
    assert answer.status_code == 302
    auth.logout()
    auth.login_as(setup["buyer"])
    assert "Entreprises intéressées (0)" in client.get(f"/acheteur/appels-d-offres/{tender.id}").get_data(as_text=True)


def test_only_for_own_companies(client, auth, setup):
    tender, first, second = setup["tender"], setup["first"], setup["second"]
    auth.login_as(first.owner)
    assert post_interest(client, tender, second).status_code == 422  # not one of the choices offered
    with pytest.raises(services.NotVisible):
        services.express_interest(first.owner, tender.id, second.id)
    services.express_interest(second.owner, tender.id, second.id)
    answer = client.post(f"/entrepreneur/appels-d-offres/{tender.id}/interet/retirer", data={"company_id": second.id})
    assert answer.status_code == 404
    assert db.session.scalar(select(TenderInterest).where(TenderInterest.supplier_company_id == second.id)).active
    # The other company's interest is not shown to the first owner.
    assert "Propre Cité" not in client.get(f"/entrepreneur/appels-d-offres/{tender.id}").get_data(as_text=True)


def test_rules_of_the_service(app, setup):
    tender, first = setup["tender"], setup["first"]
    owner = first.owner
    with pytest.raises(ServiceError) as error:
        services.express_interest(owner, tender.id, first.id, message="x" * (INTEREST_MESSAGE_MAX + 1))
    assert "trop long" in error.value.errors["message"]
    with pytest.raises(ServiceError) as error:
        services.express_interest(owner, tender.id, first.id, lot_ids=[10**9])
    assert "lots" in error.value.errors
    interest = services.express_interest(owner, tender.id, first.id, message="  Bonjour\x00  ")
    assert interest.message == "Bonjour"
    assert interest.lot_ids == []
    again = services.express_interest(owner, tender.id, first.id, lot_ids=[tender.lots[0].id])
    assert again.id == interest.id
    assert again.lot_ids == [tender.lots[0].id]
    services.withdraw_interest(owner, tender.id, first.id)
    with pytest.raises(services.NotVisible):
        services.withdraw_interest(owner, tender.id, first.id)  # nothing left to withdraw
    back = services.express_interest(owner, tender.id, first.id)
    assert back.id == interest.id
    assert back.active
    assert services.interested_company_ids(tender) == {first.id}


def test_nothing_after_the_deadline(client, auth, setup):
    tender, first = setup["tender"], setup["first"]
    owner = first.owner
    services.express_interest(owner, tender.id, first.id)
    after = SOON + timedelta(days=1)
    with pytest.raises(ServiceError, match="date limite"):
        services.express_interest(owner, tender.id, first.id, on=after)
    with pytest.raises(ServiceError, match="date limite"):
        services.withdraw_interest(owner, tender.id, first.id, on=after)
    services.withdraw_interest(owner, tender.id, first.id, on=SOON)  # the deadline day still counts
    tender.deadline = date.today() - timedelta(days=1)
    db.session.commit()
    auth.login_as(owner)
    answer = post_interest(client, tender, first)
    assert answer.status_code == 422
    assert "date limite de réponse est passée" in answer.get_data(as_text=True)


def test_bad_posts(client, auth, setup):
    tender, first = setup["tender"], setup["first"]
    auth.login_as(first.owner)
    too_long = post_interest(client, tender, first, message="é" * (INTEREST_MESSAGE_MAX + 1))
    assert too_long.status_code == 422
    assert "trop long" in too_long.get_data(as_text=True)
    assert client.post(f"/entrepreneur/appels-d-offres/{tender.id}/interet",
                       data={"company_id": "abc"}).status_code == 422
    assert client.post(f"/entrepreneur/appels-d-offres/{tender.id}/interet/retirer",
                       data={"company_id": "9" * 40}).status_code == 302
    assert client.post("/entrepreneur/appels-d-offres/999999/interet", data={"company_id": first.id}).status_code == 404


def test_the_buyer_organisation_is_notified_of_an_interest_once(client, auth, setup):
    from marketplace.models import Notification, NotificationKind, OutboxEmail

    tender, first = setup["tender"], setup["first"]
    auth.login_as(first.owner)
    lot2 = [tender.lots[1]]
    assert post_interest(client, tender, first, lots=lot2, message="Disponibles dès mars").status_code == 302
    # Changing the message of a standing interest is not news; a withdrawal then a new interest is.
    assert post_interest(client, tender, first, lots=lot2, message="Dès avril").status_code == 302
    notes = db.session.scalars(select(Notification).where(Notification.user_id == setup["buyer"].id)).all()
    assert [(n.kind, n.link) for n in notes] == [
        (NotificationKind.INTEREST_RECEIVED, f"/acheteur/appels-d-offres/{tender.id}")]
    for words in ("Net Horizon", "lot 2", "Disponibles dès mars"):
        assert words in notes[0].body
    assert db.session.scalar(select(OutboxEmail).where(OutboxEmail.user_id == setup["buyer"].id)) is not None
    assert db.session.scalars(select(Notification).where(Notification.user_id == setup["other_buyer"].id)).all() == []
