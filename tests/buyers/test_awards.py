"""Awards: to a company or a consortium (split by lots or by typed shares), confirmations, notices, cancel, access."""

import html as html_lib
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.buyers import awards
from marketplace.buyers.services import today as paris_today  # awards are dated in the French calendar
from marketplace.consortia import services as consortia
from marketplace.extensions import db
from marketplace.models import (
    Award,
    AwardShare,
    Consortium,
    ConsortiumStatus,
    Notification,
    NotificationKind,
    OutboxEmail,
    QpvStatus,
    Role,
    SupplierCompany,
    Tender,
    TenderInterest,
    TenderStatus,
    User,
)
from marketplace.validators import ServiceError

SOON = paris_today() + timedelta(days=20)


@dataclass
class World:
    buyer: User
    colleague: User
    stranger: User  # a buyer of another organisation
    lead_owner: User
    partner: User
    outsider: User
    lead: SupplierCompany  # Net Horizon: verified QPV, declared interest in lot 1
    partner_company: SupplierCompany  # Jardins Solidaires: declared QPV
    outsider_company: SupplierCompany  # Propre Cité: no interest, not in a QPV
    tender: Tender  # two lots (10 000 € and 5 000 €), organisation of ``buyer``, closed

    def lot(self, number: int) -> int:
        return next(lot.id for lot in self.tender.lots if lot.number == number)


@pytest.fixture
def world(make_user, make_supplier, make_tender) -> World:
    buyer = make_user(Role.BUYER, full_name="Alice Acheteuse")
    colleague = make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation)
    stranger = make_user(Role.BUYER)
    lead_owner, partner, outsider = (make_user(Role.SUPPLIER) for _ in range(3))
    lead = make_supplier(owner=lead_owner, name="Net Horizon", qpv_status=QpvStatus.VERIFIED)
    partner_company = make_supplier(owner=partner, name="Jardins Solidaires", qpv_status=QpvStatus.DECLARED)
    outsider_company = make_supplier(owner=outsider, name="Propre Cité", qpv_status=QpvStatus.NOT_IN_QPV)
    tender = make_tender(buyer=buyer, title="Entretien des écoles", deadline=SOON, budget_cents=1_500_000,
                         lots=({"title": "Nettoyage", "budget_cents": 1_000_000},
                               {"title": "Espaces verts", "budget_cents": 500_000}))
    world = World(buyer, colleague, stranger, lead_owner, partner, outsider, lead, partner_company,
                  outsider_company, tender)
    db.session.add(TenderInterest(tender=tender, company=lead, lot_ids=[world.lot(1)]))
    db.session.commit()
    return world


def _close(tender):
    tender.status = TenderStatus.CLOSED
    db.session.commit()


def _consortium(world, lots=True) -> Consortium:
    """Net Horizon leads (lot 1), Jardins Solidaires (lot 2); declared, then the tender is closed."""
    consortium = consortia.create(world.lead_owner, world.tender.id, world.lead.id,
                                  invite={world.partner_company.id: [world.lot(2)] if lots else []},
                                  lead_lots=[world.lot(1)] if lots else [])
    consortia.answer(world.partner, consortium.id, world.partner_company.id, True)
    consortia.submit(world.lead_owner, consortium.id, "Ensemble")
    return consortium


def _data(world, lot=1, winner=None, amount=800_000, **extra):
    extra.setdefault("awarded_on", paris_today())
    return awards.AwardData(lot_id=world.lot(lot), winner=winner or f"c{world.lead.id}", amount_cents=amount,
                            **extra)


def _notifications(user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                              Notification.kind == NotificationKind.AWARD_RECEIVED)))


def test_split_cents_adds_up_exactly():
    assert awards.split_cents(100, [1, 1, 1]) == [34, 33, 33]
    assert awards.split_cents(1_000_001, [3, 1]) == [750_001, 250_000]
    assert sum(awards.split_cents(99_999, [7, 0, 13])) == 99_999
    assert awards.split_cents(10, [0, 0]) == [5, 5]


def test_award_a_lot_to_a_company(world):
    _close(world.tender)
    award = awards.record(world.buyer, world.tender.id, _data(world))
    assert (award.winner_name, award.amount_cents, award.without_interest) == ("Net Horizon", 800_000, False)
    assert award.qpv_status_at_award is QpvStatus.VERIFIED
    [share] = award.shares
    assert (share.company_name, share.company_siret, share.amount_cents) == ("Net Horizon", world.lead.siret,
                                                                             800_000)
    assert share.qpv_status_at_award is QpvStatus.VERIFIED
    assert world.tender.status is TenderStatus.CLOSED  # lot 2 is still to award
    notes = _notifications(world.lead_owner)
    assert len(notes) == 1
    assert "8 000,00 €" in notes[0].body
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)
                             .where(OutboxEmail.kind == NotificationKind.AWARD_RECEIVED.value)) == 1
    assert _notifications(world.outsider) == []


def test_qpv_status_is_kept_as_it_stood_on_the_award_date(world):
    _close(world.tender)
    award = awards.record(world.buyer, world.tender.id, _data(world))
    world.lead.qpv_status = QpvStatus.REJECTED
    db.session.commit()
    assert db.session.get(AwardShare, award.shares[0].id).qpv_status_at_award is QpvStatus.VERIFIED


def test_all_lots_awarded_marks_the_tender_awarded_and_cancel_reopens_it(world):
    _close(world.tender)
    awards.record(world.buyer, world.tender.id, _data(world))
    second = awards.record(world.colleague, world.tender.id,
                           _data(world, lot=2, winner=f"c{world.outsider_company.id}", amount=400_000))
    assert second.without_interest is True  # allowed, but marked
    assert world.tender.status is TenderStatus.AWARDED
    with pytest.raises(ServiceError):  # nothing left to award
        awards.record(world.buyer, world.tender.id, _data(world))
    tender = awards.cancel(world.buyer, second.id)
    assert tender.status is TenderStatus.CLOSED
    assert db.session.get(Award, second.id) is None
    assert db.session.scalar(select(func.count()).select_from(AwardShare)) == 1


def test_a_lot_is_awarded_once(world):
    _close(world.tender)
    awards.record(world.buyer, world.tender.id, _data(world))
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, _data(world, winner=f"c{world.outsider_company.id}"))
    assert "déjà attribué" in refused.value.errors["lot_id"]


@pytest.mark.parametrize(("day", "message"), [
    (date(1, 1, 1), "ne peut pas précéder la création de l'appel d'offres"),
    (paris_today() - timedelta(days=1), "ne peut pas précéder la création de l'appel d'offres"),
    (paris_today() + timedelta(days=1), "ne peut pas être dans le futur"),
])
def test_award_date_between_creation_and_today(world, day, message):
    _close(world.tender)
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, _data(world, awarded_on=day))
    assert message in refused.value.errors["awarded_on"]


@pytest.mark.parametrize("winner", ["c2147483648", "c999999999999", "g2147483648", "c0"])
def test_winner_ids_beyond_integer_are_unknown(world, winner):
    _close(world.tender)
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, _data(world, winner=winner))
    assert refused.value.errors["winner"]


def test_one_award_per_lot_in_the_database(world, monkeypatch):
    _close(world.tender)
    awards.record(world.buyer, world.tender.id, _data(world))
    monkeypatch.setattr(awards, "_taken", lambda tender, lot: False)  # a colleague's award saved meanwhile
    with pytest.raises(ServiceError) as refused:
        awards.record(world.colleague, world.tender.id, _data(world, winner=f"c{world.outsider_company.id}"))
    assert "déjà attribué" in refused.value.errors["lot_id"]
    assert db.session.scalar(select(func.count()).select_from(Award)) == 1


def test_one_award_per_whole_tender_in_the_database(world, make_tender):
    from sqlalchemy.exc import IntegrityError
    tender = make_tender(buyer=world.buyer, status=TenderStatus.CLOSED)
    for _ in range(2):
        db.session.add(Award(tender_id=tender.id, winner_name="X", amount_cents=1, awarded_on=paris_today()))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_over_budget_needs_confirmation(world):
    _close(world.tender)
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, _data(world, amount=1_000_001))
    assert "dépasse le budget prévu (10 000,00 €)" in refused.value.errors["confirm_over_budget"]
    assert db.session.scalar(select(func.count()).select_from(Award)) == 0
    award = awards.record(world.buyer, world.tender.id, _data(world, amount=1_000_001, confirm_over_budget=True))
    assert award.amount_cents == 1_000_001


def test_only_a_closed_tender_is_awarded(world):
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, _data(world))
    assert "Seul un appel d'offres clos peut être attribué" in refused.value.errors["status"]


def test_consortium_award_split_by_lots_and_settled(world, make_user, make_supplier):
    consortium = _consortium(world)
    helper = make_user(Role.SUPPLIER)
    helper_company = make_supplier(owner=helper, name="Aide Rapide")
    other = consortia.create(world.outsider, world.tender.id, world.outsider_company.id,
                             invite={helper_company.id: [world.lot(2)]}, lead_lots=[world.lot(1)])
    consortia.answer(helper, other.id, helper_company.id, True)
    consortia.submit(world.outsider, other.id)
    _close(world.tender)
    first = awards.record(world.buyer, world.tender.id, _data(world, winner=f"g{consortium.id}", amount=900_001))
    # Lot 1 is the lead's lot in the team: all of it is the lead's.
    assert [(s.company_name, s.amount_cents, s.lot_ids) for s in first.shares] == [
        ("Net Horizon", 900_001, [world.lot(1)])]
    assert first.qpv_status_at_award is None
    assert consortium.status is ConsortiumStatus.WON
    assert other.status is ConsortiumStatus.SUBMITTED  # it still may win lot 2
    second = awards.record(world.buyer, world.tender.id,
                           _data(world, lot=2, winner=f"g{consortium.id}", amount=400_000))
    assert [(s.company_name, s.amount_cents, s.qpv_status_at_award) for s in second.shares] == [
        ("Jardins Solidaires", 400_000, QpvStatus.DECLARED)]
    assert other.status is ConsortiumStatus.LOST  # both its lots went to another team
    assert world.tender.status is TenderStatus.AWARDED
    total = db.session.scalar(select(func.sum(AwardShare.amount_cents)))
    assert total == db.session.scalar(select(func.sum(Award.amount_cents))) == 1_300_001
    # Each member is told about its own lot only: no "part : 0,00 €" notice for the lot it did not take.
    [lead_notice] = _notifications(world.lead_owner)
    assert "part de Net Horizon : 9 000,01 €" in lead_notice.body
    [partner_notice] = _notifications(world.partner)
    assert "part de Jardins Solidaires : 4 000,00 €" in partner_notice.body
    awards.cancel(world.buyer, second.id)
    assert (consortium.status, other.status) == (ConsortiumStatus.WON, ConsortiumStatus.SUBMITTED)
    awards.cancel(world.buyer, first.id)
    assert consortium.status is ConsortiumStatus.SUBMITTED
    assert consortium.settled_at is None


def test_consortium_without_members_is_refused(world):
    from marketplace.models import MemberStatus
    consortium = _consortium(world)
    for member in consortium.members:
        member.status = MemberStatus.LEFT
    _close(world.tender)
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, _data(world, winner=f"g{consortium.id}"))
    assert "n'a plus aucun membre" in refused.value.errors["winner"]
    assert db.session.scalar(select(func.count()).select_from(Award)) == 0


def test_consortium_for_the_whole_tender_splits_evenly_to_the_cent(world, make_tender):
    world.tender = make_tender(buyer=world.buyer, title="Sans lots", deadline=SOON)
    consortium = _consortium(world, lots=False)
    _close(world.tender)
    award = awards.record(world.buyer, world.tender.id, awards.AwardData(
        winner=f"g{consortium.id}", amount_cents=100_001, awarded_on=paris_today()))
    assert [s.amount_cents for s in award.shares] == [50_001, 50_000]
    assert world.tender.status is TenderStatus.AWARDED
    assert consortium.status is ConsortiumStatus.WON


def test_consortium_award_with_typed_shares(world):
    consortium = _consortium(world)
    _close(world.tender)
    bad = _data(world, lot=2, winner=f"g{consortium.id}", amount=300_000,
                shares={world.lead.id: 100_000, world.partner_company.id: 150_000})
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, bad)
    assert "La somme des parts (2 500,00 €) doit être égale au montant attribué (3 000,00 €)" in \
        refused.value.errors["shares"]
    good = _data(world, lot=2, winner=f"g{consortium.id}", amount=300_000,
                 shares={world.lead.id: 100_000, world.partner_company.id: 200_000})
    award = awards.record(world.buyer, world.tender.id, good)
    assert [s.amount_cents for s in award.shares] == [100_000, 200_000]
    assert sum(s.amount_cents for s in award.shares) == award.amount_cents


def test_undeclared_consortium_is_refused(world):
    consortium = consortia.create(world.lead_owner, world.tender.id, world.lead.id, lead_lots=[world.lot(1)])
    _close(world.tender)  # still forming: not declared
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, _data(world, winner=f"g{consortium.id}"))
    assert "n'est pas déclaré" in refused.value.errors["winner"]


def test_polite_notice_to_the_others_only_when_asked(world):
    db.session.add(TenderInterest(tender=world.tender, company=world.partner_company, lot_ids=[]))
    db.session.commit()
    _close(world.tender)
    awards.record(world.buyer, world.tender.id, _data(world))
    assert _notifications(world.partner) == []
    awards.record(world.buyer, world.tender.id, _data(world, lot=2, amount=10, notify_others=True))
    [notice] = _notifications(world.partner)
    assert "à une autre entreprise" in notice.body


def test_another_organisation_gets_404(world):
    from werkzeug.exceptions import NotFound
    _close(world.tender)
    award = awards.record(world.buyer, world.tender.id, _data(world))
    for call in (lambda: awards.record(world.stranger, world.tender.id, _data(world, lot=2)),
                 lambda: awards.cancel(world.stranger, award.id),
                 lambda: awards.award_page(world.stranger, world.tender.id),
                 lambda: awards.duplicate(world.stranger, world.tender.id)):
        with pytest.raises(NotFound):
            call()


# --------------------------------------------------------------------------- through the pages


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def _post(client, world, lot=1, **fields):
    key = world.lot(lot)
    data = {"slot": key, f"lot{key}-lot_id": key, f"lot{key}-awarded_on": paris_today().strftime("%d/%m/%Y")}
    data.update({f"lot{key}-{name}": value for name, value in fields.items()})
    return client.post(f"/acheteur/appels-d-offres/{world.tender.id}/attribuer", data=data)


def test_award_page_and_french_amounts(client, auth, world):
    _close(world.tender)
    auth.login_as(world.buyer)
    page = text(client.get(f"/acheteur/appels-d-offres/{world.tender.id}/attribuer"))
    assert "Lot 1 : Nettoyage" in page
    assert "Net Horizon" in page
    assert "a manifesté son intérêt" in page
    response = _post(client, world, winner=f"c{world.lead.id}", amount="abc")
    assert response.status_code == 422
    page = text(response)
    assert "Montant invalide : saisissez un nombre en euros" in page
    assert 'value="abc"' in page
    page = text(_post(client, world, winner=f"c{world.lead.id}", amount="-5"))
    assert "Le montant ne peut pas être négatif." in page
    page = text(_post(client, world, winner="c", amount="12 000,50 €"))
    assert "Choisissez l'entreprise ou le groupement retenu." in page
    response = _post(client, world, winner=f"c{world.lead.id}", amount="12 000,50 €")
    assert response.status_code == 422  # above the lot's 10 000 € budget
    assert "cochez la case pour confirmer" in text(response)
    response = _post(client, world, winner=f"c{world.lead.id}", amount="12 000,50 €", confirm_over_budget="y")
    assert response.status_code == 302
    award = db.session.scalar(select(Award))
    assert award.amount_cents == 1_200_050
    page = text(client.get(f"/acheteur/appels-d-offres/{world.tender.id}"))
    assert "Attribué à Net Horizon" in page
    assert "12 000,50 €" in page


def test_search_any_company_and_marker(client, auth, world):
    _close(world.tender)
    auth.login_as(world.buyer)
    key = world.lot(2)
    page = text(client.get(f"/acheteur/appels-d-offres/{world.tender.id}/attribuer?lot={key}&q=Propre"))
    assert "Propre Cité" in page
    assert "n'avait pas manifesté d'intérêt" in page
    assert _post(client, world, lot=2, winner=f"c{world.outsider_company.id}", amount="100").status_code == 302
    page = text(client.get(f"/acheteur/appels-d-offres/{world.tender.id}"))
    assert "Attribué à Propre Cité" in page
    assert "n'avait pas manifesté d'intérêt" in page


def test_cancel_needs_confirmation(client, auth, world):
    _close(world.tender)
    award = awards.record(world.buyer, world.tender.id, _data(world))
    award_id = award.id
    auth.login_as(world.colleague)
    page = text(client.post(f"/acheteur/attributions/{award_id}/annuler", follow_redirects=True))
    assert "Cochez la case pour confirmer" in page
    assert db.session.get(Award, award_id) is not None
    page = text(client.post(f"/acheteur/attributions/{award_id}/annuler", data={"confirm": "y"},
                            follow_redirects=True))
    assert "Attribution annulée" in page
    db.session.expire_all()
    assert db.session.get(Award, award_id) is None


def test_pages_of_another_organisation_are_404(client, auth, world):
    _close(world.tender)
    award = awards.record(world.buyer, world.tender.id, _data(world))
    auth.login_as(world.stranger)
    base = f"/acheteur/appels-d-offres/{world.tender.id}"
    assert client.get(f"{base}/attribuer").status_code == 404
    assert _post(client, world, lot=2, winner=f"c{world.lead.id}", amount="10").status_code == 404
    assert client.post(f"/acheteur/attributions/{award.id}/annuler", data={"confirm": "y"}).status_code == 404
    assert client.post(f"{base}/dupliquer").status_code == 404
    assert client.post("/acheteur/attributions/99999999999999999999/annuler").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Award)) == 1


def test_entrepreneurs_see_who_won(client, auth, world):
    _close(world.tender)
    awards.record(world.buyer, world.tender.id, _data(world))
    awards.record(world.buyer, world.tender.id, _data(world, lot=2, winner=f"c{world.outsider_company.id}",
                                                      amount=10))
    auth.login_as(world.lead_owner)  # engaged with the tender (interest): it still sees it once closed
    page = text(client.get(f"/entrepreneur/appels-d-offres/{world.tender.id}"))
    assert "Attribué à Net Horizon (lot 1), Propre Cité (lot 2)." in page


def test_typed_shares_through_the_page(client, auth, world):
    consortium = _consortium(world)
    _close(world.tender)
    auth.login_as(world.buyer)
    lead, partner = (f"share-{consortium.id}-{company.id}" for company in (world.lead, world.partner_company))
    winner = f"g{consortium.id}"
    response = _post(client, world, lot=2, winner=winner, amount="3 000", **{lead: "abc"})
    assert response.status_code == 422
    page = text(response)
    assert "Montant invalide" in page
    assert 'value="abc"' in page
    response = _post(client, world, lot=2, winner=winner, amount="3 000", **{lead: "1 000", partner: "1 500"})
    assert "La somme des parts (2 500,00 €) doit être égale au montant attribué (3 000,00 €)" in text(response)
    response = _post(client, world, lot=2, winner=winner, amount="3 000", **{lead: "1 000,50", partner: "1 999,50"})
    assert response.status_code == 302
    award = db.session.scalar(select(Award))
    assert [(s.company_name, s.amount_cents) for s in award.shares] == [("Net Horizon", 100_050),
                                                                        ("Jardins Solidaires", 199_950)]


def test_a_back_dated_award_reads_the_qpv_status_of_that_day(world):
    from marketplace.models import QpvStatusChange
    db.session.add(QpvStatusChange(supplier_id=world.lead.id, company_siret=world.lead.siret,
                                   company_name=world.lead.name, old_status=QpvStatus.DECLARED,
                                   new_status=QpvStatus.VERIFIED, method="admin"))  # verified today
    world.tender.created_at -= timedelta(days=30)  # an award may not predate its tender
    _close(world.tender)
    data = _data(world)
    data.awarded_on = paris_today() - timedelta(days=10)
    award = awards.record(world.buyer, world.tender.id, data)
    assert award.qpv_status_at_award is QpvStatus.DECLARED
    assert award.shares[0].qpv_status_at_award is QpvStatus.DECLARED
    data = _data(world, lot=2, amount=10)
    data.awarded_on = paris_today() + timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        awards.record(world.buyer, world.tender.id, data)
    assert "ne peut pas être dans le futur" in refused.value.errors["awarded_on"]
