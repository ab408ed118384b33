"""The consortium's life cycle and rules, through the services."""

import pytest
from sqlalchemy import select

from marketplace.consortia import services
from marketplace.extensions import db
from marketplace.models import (
    ConsortiumStatus,
    MemberRole,
    MemberStatus,
    Notification,
    NotificationKind,
    TenderStatus,
)
from marketplace.opportunities.services import NotVisible
from marketplace.validators import ServiceError


def _notifications(user, kind):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                              Notification.kind == kind)))


def _formed(world):
    """Net Horizon leads, Jardins Solidaires accepted; lot 1 to the lead, lot 2 to the partner."""
    consortium = services.create(world.lead_owner, world.tender.id, world.lead.id,
                                 invite={world.partner_company.id: [world.lot(2)]}, lead_lots=[world.lot(1)])
    services.answer(world.partner, consortium.id, world.partner_company.id, True)
    return consortium


def test_life_cycle_from_creation_to_award(world):
    consortium = services.create(world.lead_owner, world.tender.id, world.lead.id,
                                 invite={world.partner_company.id: [world.lot(2)]}, lead_lots=[world.lot(1)])
    assert consortium.status is ConsortiumStatus.FORMING
    lead_row, partner_row = consortium.members
    assert (lead_row.role, lead_row.status, lead_row.lot_ids) == (MemberRole.MANDATAIRE, MemberStatus.ACCEPTED,
                                                                  [world.lot(1)])
    assert (partner_row.role, partner_row.status) == (MemberRole.CO_TRAITANT, MemberStatus.INVITED)
    invitation = _notifications(world.partner, NotificationKind.INVITATION_RECEIVED)
    assert len(invitation) == 1
    assert "Entretien des écoles" in invitation[0].title
    assert invitation[0].link == f"/entrepreneur/groupements/{consortium.id}"

    with pytest.raises(ServiceError):  # the partner has not accepted yet
        services.submit(world.lead_owner, consortium.id)
    services.answer(world.partner, consortium.id, world.partner_company.id, True)
    assert partner_row.status is MemberStatus.ACCEPTED
    assert partner_row.answered_at is not None

    services.submit(world.lead_member, consortium.id, "Nous répondons ensemble.")  # a member of the lead acts too
    assert consortium.status is ConsortiumStatus.SUBMITTED
    assert consortium.submitted_at is not None
    declared = _notifications(world.buyer, NotificationKind.INTEREST_RECEIVED)
    assert len(declared) == 1
    assert "Net Horizon (mandataire) : lot 1" in declared[0].body
    assert "Jardins Solidaires (co-traitant) : lot 2" in declared[0].body
    assert _notifications(world.stranger, NotificationKind.INTEREST_RECEIVED) == []
    assert services.declared_for_buyer(world.tender) == [consortium]

    services.settle(consortium, won=True)
    db.session.commit()
    assert consortium.status is ConsortiumStatus.WON
    assert consortium.settled_at is not None
    with pytest.raises(ServiceError):
        services.settle(consortium, won=False)


def test_declaration_needs_lots_for_every_member(world):
    consortium = services.create(world.lead_owner, world.tender.id, world.lead.id,
                                 invite={world.partner_company.id: []}, lead_lots=[world.lot(1)])
    services.answer(world.partner, consortium.id, world.partner_company.id, True)
    with pytest.raises(ServiceError, match="Attribuez au moins un lot"):
        services.submit(world.lead_owner, consortium.id)
    partner_row = consortium.members[1]
    services.assign(world.lead_owner, consortium.id, {consortium.members[0].id: [world.lot(1)],
                                                      partner_row.id: [world.lot(2)]})
    services.submit(world.lead_owner, consortium.id)
    assert consortium.status is ConsortiumStatus.SUBMITTED


def test_a_lot_goes_to_one_member_only(world):
    consortium = _formed(world)
    lead_row, partner_row = consortium.members
    with pytest.raises(ServiceError, match="qu'à un membre"):
        services.assign(world.lead_owner, consortium.id, {lead_row.id: [world.lot(1)],
                                                          partner_row.id: [world.lot(1), world.lot(2)]})


def test_the_lead_hands_over_the_mandataire_role(world):
    consortium = _formed(world)
    lead_row, partner_row = consortium.members
    services.assign(world.lead_owner, consortium.id, {}, lead_member_id=partner_row.id)
    assert consortium.lead_company_id == world.partner_company.id
    assert (lead_row.role, partner_row.role) == (MemberRole.CO_TRAITANT, MemberRole.MANDATAIRE)
    with pytest.raises(NotVisible):  # Net Horizon no longer leads
        services.invite(world.lead_owner, consortium.id, world.outsider_company.id)
    services.invite(world.partner, consortium.id, world.outsider_company.id)


def test_one_consortium_per_lot(world):
    _formed(world)  # the partner takes lot 2 with Net Horizon
    other = services.create(world.outsider, world.tender.id, world.outsider_company.id,
                            invite={world.partner_company.id: [world.lot(2)]}, lead_lots=[world.lot(1)])
    with pytest.raises(ServiceError, match="déjà partie d'un autre groupement"):
        services.answer(world.partner, other.id, world.partner_company.id, True)
    db.session.rollback()
    partner_row = next(m for m in other.members if m.company_id == world.partner_company.id)
    assert partner_row.status is MemberStatus.INVITED


def test_one_consortium_per_lot_by_assignment_and_after_withdrawal(world):
    first = _formed(world)
    other = services.create(world.outsider, world.tender.id, world.outsider_company.id,
                            invite={world.partner_company.id: []}, lead_lots=[world.lot(1)])
    services.answer(world.partner, other.id, world.partner_company.id, True)  # no lot claimed yet: allowed
    partner_row = next(m for m in other.members if m.company_id == world.partner_company.id)
    with pytest.raises(ServiceError, match="déjà partie d'un autre groupement"):
        services.assign(world.outsider, other.id, {partner_row.id: [world.lot(2)]})
    db.session.rollback()
    services.withdraw(world.lead_owner, first.id)  # the first team is no longer live: lot 2 is free again
    services.assign(world.outsider, other.id, {partner_row.id: [world.lot(2)]})
    assert partner_row.lot_ids == [world.lot(2)]


def test_tender_without_lots_is_one_lot(world, make_tender):
    tender = make_tender(buyer=world.buyer, title="Repas", deadline=world.tender.deadline)
    services.create(world.lead_owner, tender.id, world.lead.id)
    with pytest.raises(ServiceError, match="cet appel d'offres"):
        services.create(world.lead_member, tender.id, world.lead.id)


def test_leave_before_but_not_after_declaration(world):
    consortium = _formed(world)
    with pytest.raises(ServiceError, match="mandataire ne quitte pas"):
        services.leave(world.lead_owner, consortium.id, world.lead.id)
    services.leave(world.partner, consortium.id, world.partner_company.id)
    assert consortium.members[1].status is MemberStatus.LEFT
    with pytest.raises(NotVisible):  # a company that left no longer sees the consortium
        services.get_consortium(world.partner, consortium.id)

    again = services.create(world.outsider, world.tender.id, world.outsider_company.id,
                            invite={world.partner_company.id: [world.lot(2)]}, lead_lots=[world.lot(1)])
    services.answer(world.partner, again.id, world.partner_company.id, True)
    services.submit(world.outsider, again.id)
    with pytest.raises(ServiceError, match="déclaré à l'acheteur"):
        services.leave(world.partner, again.id, world.partner_company.id)


def test_only_the_lead_invites_removes_and_declares(world):
    consortium = _formed(world)
    partner_row = consortium.members[1]
    for action in (lambda: services.invite(world.partner, consortium.id, world.outsider_company.id),
                   lambda: services.remove(world.partner, consortium.id, partner_row.id),
                   lambda: services.submit(world.partner, consortium.id),
                   lambda: services.withdraw(world.partner, consortium.id),
                   lambda: services.assign(world.partner, consortium.id, {})):
        with pytest.raises(NotVisible):
            action()
    for stranger in (world.outsider, world.buyer, world.stranger):  # not a member, and not yet declared
        with pytest.raises(NotVisible):
            services.get_consortium(stranger, consortium.id)
    services.remove(world.lead_owner, consortium.id, partner_row.id)
    assert [m.company_id for m in consortium.members] == [world.lead.id]


def test_invitations_are_refused_twice_and_after_declaration(world):
    consortium = _formed(world)
    with pytest.raises(ServiceError, match="déjà invitée"):
        services.invite(world.lead_owner, consortium.id, world.partner_company.id)
    services.submit(world.lead_owner, consortium.id)
    with pytest.raises(ServiceError, match="ne change plus"):
        services.invite(world.lead_owner, consortium.id, world.outsider_company.id)


def test_buyer_sees_it_once_declared(world):
    consortium = _formed(world)
    services.submit(world.lead_owner, consortium.id)
    assert services.get_consortium(world.buyer, consortium.id) is consortium
    with pytest.raises(NotVisible):
        services.get_consortium(world.stranger, consortium.id)


def test_closed_tender_refuses_new_consortia(world):
    world.tender.status = TenderStatus.CLOSED
    db.session.commit()
    with pytest.raises((ServiceError, NotVisible)):
        services.create(world.lead_owner, world.tender.id, world.lead.id)


def test_contacts_only_with_consent(world):
    consortium = _formed(world)
    assert [c.company.name for c in services.contacts(consortium)] == ["Net Horizon"]


def test_company_search_by_name_and_siret(world):
    assert [c.name for c in services.search_companies("jardins")] == ["Jardins Solidaires"]
    assert [c.name for c in services.search_companies(world.outsider_company.siret[:9])] == ["Propre Cité"]
    assert services.search_companies("j") == []
    assert services.search_companies("jardins", exclude=[world.partner_company.id]) == []


def test_declaration_refuses_a_lot_given_twice(world):
    consortium = services.create(world.lead_owner, world.tender.id, world.lead.id,
                                 invite={world.partner_company.id: [world.lot(1)]}, lead_lots=[world.lot(1)])
    services.answer(world.partner, consortium.id, world.partner_company.id, True)
    with pytest.raises(ServiceError, match="qu'à un membre"):
        services.submit(world.lead_owner, consortium.id)
    assert consortium.status is ConsortiumStatus.FORMING
