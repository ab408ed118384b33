"""Suggested teams shown to the buyer (shortlist page) and to the entrepreneurs (tender page)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.consortia import suggestions
from marketplace.extensions import db
from marketplace.models import ConversationThread, Notification, Role, TenderStatus

pytestmark = pytest.mark.usefixtures("fresh_engine")

SOON = date.today() + timedelta(days=20)


@pytest.fixture
def split_tender(make_user, make_supplier, make_tender):
    """Two lots in two trades; one cleaning company and one gardening company, nobody does both."""
    cleaner = make_supplier(name="Net Horizon", offers=({
        "title": "Nettoyage de locaux", "description": "Nettoyage de bureaux, écoles et vitrerie.",
        "cpv_codes": ["90910000"], "keywords": ["nettoyage", "vitrerie"], "departments": ["93"]},))
    gardener = make_supplier(name="Jardins Solidaires", offers=({
        "title": "Entretien d'espaces verts", "description": "Tonte, taille de haies, entretien de jardins.",
        "cpv_codes": ["77310000"], "keywords": ["espaces verts", "jardins"], "departments": ["93"]},))
    buyer = make_user(Role.BUYER)
    tender = make_tender(buyer=buyer, title="Entretien des écoles", deadline=SOON, lots=(
        {"title": "Nettoyage des locaux", "description": "Nettoyage des bureaux et des écoles",
         "cpv_codes": ["90910000"]},
        {"title": "Espaces verts", "description": "Entretien des espaces verts et des jardins",
         "cpv_codes": ["77310000"]},
    ))
    return tender, cleaner, gardener, buyer


def test_teams_cover_the_lots_with_two_companies(split_tender):
    tender, cleaner, gardener, _ = split_tender
    teams = suggestions.teams_for(tender)
    assert teams, "a two-trade tender gets a team"
    team = teams[0]
    assert {m.company.id for m in team.members} == {cleaner.id, gardener.id}
    assert team.covers_all
    assert (team.covered, team.required) == (2, 2)
    by_company = {m.company.id: [lot.number for lot in m.lots] for m in team.members}
    assert by_company == {cleaner.id: [1], gardener.id: [2]}
    assert team.members[0].is_lead
    assert team.reasons
    assert 0 <= team.percent <= 100


def test_buyer_shortlist_shows_the_teams(client, auth, split_tender):
    tender, _, _, buyer = split_tender
    auth.login_as(buyer)
    text = client.get(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs").get_data(as_text=True)
    assert "Équipes suggérées" in text
    section = text.split("Équipes suggérées", 1)[1]
    assert "Net Horizon" in section
    assert "Jardins Solidaires" in section
    assert "couvre les 2 lots" in section


def test_entrepreneur_tender_page_offers_the_team(client, auth, split_tender):
    tender, cleaner, gardener, _ = split_tender
    auth.login_as(cleaner.owner)
    tender_page = client.get(f"/entrepreneur/appels-d-offres/{tender.id}").get_data(as_text=True)
    assert f"/entrepreneur/groupements/appel/{tender.id}" in tender_page
    text = client.get(f"/entrepreneur/groupements/appel/{tender.id}").get_data(as_text=True)
    assert "Vous pourriez répondre avec Jardins Solidaires" in text
    assert "Proposer ce groupement" in text
    assert f'name="invite" value="{gardener.id}:{tender.lots[1].id}"' in text


def test_proposing_the_team_invites_the_partner(client, auth, split_tender):
    tender, cleaner, gardener, _ = split_tender
    auth.login_as(cleaner.owner)
    response = client.post("/entrepreneur/groupements/nouveau", data={
        "tender_id": tender.id, "company_id": cleaner.id, "lead_lots": str(tender.lots[0].id),
        "invite": f"{gardener.id}:{tender.lots[1].id}"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Jardins Solidaires" in page
    assert "Invitée" in page
    assert "Lot 2 : Espaces verts" in page


def test_tender_without_lots_has_no_team_section_for_buyers(client, auth, make_user, make_tender):
    buyer = make_user(Role.BUYER)
    tender = make_tender(buyer=buyer, deadline=SOON)
    auth.login_as(buyer)
    text = client.get(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs").get_data(as_text=True)
    assert "Équipes suggérées" not in text


def test_no_suggestions_page_for_a_draft(client, auth, split_tender):
    tender, cleaner, _, _ = split_tender
    tender.status = TenderStatus.DRAFT
    db.session.commit()
    auth.login_as(cleaner.owner)
    assert client.get(f"/entrepreneur/groupements/appel/{tender.id}").status_code == 404
    assert client.get("/entrepreneur/groupements/appel/999999").status_code == 404


def test_buyer_invites_a_suggested_team(client, auth, split_tender, make_user):
    tender, cleaner, gardener, buyer = split_tender
    auth.login_as(buyer)
    page = client.get(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs").get_data(as_text=True)
    assert "Inviter cette équipe à répondre" in page
    response = client.post(f"/acheteur/appels-d-offres/{tender.id}/equipes/inviter",
                           data={"members": [str(cleaner.id), str(gardener.id)]})
    assert response.status_code == 302
    threads = list(db.session.scalars(select(ConversationThread).where(ConversationThread.tender_id == tender.id)
                                      .order_by(ConversationThread.supplier_company_id)))
    assert [t.supplier_company_id for t in threads] == sorted([cleaner.id, gardener.id])
    for company, partner in ((cleaner, gardener), (gardener, cleaner)):
        notes = list(db.session.scalars(select(Notification).where(Notification.user_id == company.owner_id)))
        assert len(notes) == 1
        assert partner.name in notes[0].body
    # A team of one is refused; another organisation's buyer gets a 404.
    client.post(f"/acheteur/appels-d-offres/{tender.id}/equipes/inviter", data={"members": [str(cleaner.id)]})
    assert len(list(db.session.scalars(select(Notification).where(Notification.user_id == cleaner.owner_id)))) == 1
    auth.logout()
    auth.login_as(make_user(Role.BUYER))
    response = client.post(f"/acheteur/appels-d-offres/{tender.id}/equipes/inviter",
                           data={"members": [str(cleaner.id), str(gardener.id)]})
    assert response.status_code == 404


def test_a_single_need_is_said_to_have_nothing_to_split(client, auth, make_user, make_supplier, make_tender):
    owner = make_user(Role.SUPPLIER)
    make_supplier(owner=owner, name="Net Horizon", offers=({
        "title": "Nettoyage de locaux", "description": "Nettoyage de bureaux, écoles et vitrerie.",
        "cpv_codes": ["90910000"], "keywords": ["nettoyage"], "departments": ["93"]},))
    tender = make_tender(buyer=make_user(Role.BUYER), title="Nettoyage de la mairie", deadline=SOON,
                         description="Nettoyage des bureaux de la mairie", cpv_codes=["90910000"])
    assert suggestions.nothing_to_split(tender)
    auth.login_as(owner)
    page = client.get(f"/entrepreneur/groupements/appel/{tender.id}").get_data(as_text=True)
    assert "Rien à répartir" in page
    assert "Aucune équipe suggérée" not in page


def test_a_two_trade_tender_has_something_to_split(split_tender):
    tender, *_ = split_tender
    assert not suggestions.nothing_to_split(tender)


def test_the_opportunities_page_leads_to_the_teams_of_a_tender_with_lots(client, auth, split_tender):
    tender, cleaner, _, _ = split_tender
    assert cleaner.owner is not None
    auth.login_as(cleaner.owner)
    page = client.get("/entrepreneur/opportunites").get_data(as_text=True)
    assert f'href="/entrepreneur/groupements/appel/{tender.id}"' in page
    teams = client.get(f"/entrepreneur/groupements/appel/{tender.id}").get_data(as_text=True)
    assert "Vous pourriez répondre avec Jardins Solidaires" in teams
