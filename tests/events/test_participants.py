"""Participants of an event: the list and its filters, enrolment from the marketplace (buyers' needs prefilled from
their published tenders), invitation by e-mail, the invitation sent (its link opens the participant's space),
removal and reminders."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.events import access, services
from marketplace.extensions import db
from marketplace.models import (
    EventParticipant,
    EventWish,
    Notification,
    NotificationKind,
    OutboxEmail,
    ParticipantSide,
    ParticipantStatus,
    Role,
    TenderStatus,
)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _mails_to(address: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_address == address,
                                                             OutboxEmail.kind == "event_invitation")))


def _participant(event, email: str) -> EventParticipant | None:
    return db.session.scalar(select(EventParticipant).where(EventParticipant.event_id == event.id,
                                                            EventParticipant.email == email))


INVITE = {"side": "supplier", "person_name": "Samia Benali", "organisation_name": "Couture Solidaire",
          "email": "Samia@Couture.example", "needs_text": "Retouches, confection de tenues", "cpv_codes": "18000000-9",
          "postcode": "93200", "qpv_declared": "y"}


@pytest.fixture
def world(event_world, auth):
    auth.login_as(event_world.organiser)
    return event_world


# --------------------------------------------------------------------------- the list


def test_list_shows_every_participant_with_its_side_status_account_and_wishes(client, world):
    db.session.add(EventWish(event_id=world.event.id, requester=world.buyers[0], other=world.suppliers[0], value=2))
    db.session.add(EventWish(event_id=world.event.id, requester=world.buyers[0], other=world.suppliers[1], value=1))
    db.session.commit()
    page = _text(client.get(f"/evenements/{world.event.id}/participants"))
    assert "8 au total" in page
    row = page.split("Ville de Saint-Denis</th>")[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in re.findall(r"<td>([^<]*)</td>", row)] == ["Acheteur", "Confirmé", "Oui",
                                                                                      "2"]
    assert "Jardins Solidaires" in page
    assert "(QPV déclaré)" in page


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("cote=buyer", "Plaine Commune Habitat", "Jardins Solidaires"),
    ("cote=supplier", "Jardins Solidaires", "Plaine Commune Habitat"),
    ("statut=invited", "Atelier Bois", "Jardins Solidaires"),
    ("q=saveurs", "Saveurs du Monde", "Atelier Bois"),
    ("q=PERSONNE", "Atelier Bois", "Aucun participant ne correspond"),
])
def test_filters(client, world, query, shown, hidden):
    world.suppliers[4].status = ParticipantStatus.INVITED
    db.session.commit()
    page = _text(client.get(f"/evenements/{world.event.id}/participants?{query}"))
    assert shown in page
    assert hidden not in page


def test_unknown_filter_values_are_ignored_and_an_empty_result_says_so(client, world):
    page = _text(client.get(f"/evenements/{world.event.id}/participants?cote=martien&statut=x&page=zz"))
    assert "8 au total" in page
    empty = _text(client.get(f"/evenements/{world.event.id}/participants?q=introuvable"))
    assert "Aucun participant ne correspond à ces filtres." in empty


def test_list_is_paginated_by_fifty(client, world, make_participant):
    for n in range(45):
        make_participant(world.event, ParticipantSide.SUPPLIER, f"Zz entreprise {n:02d}")
    first = _text(client.get(f"/evenements/{world.event.id}/participants"))
    assert "53 au total, page 1 sur 2" in first
    assert "Zz entreprise 44" not in first
    second = _text(client.get(f"/evenements/{world.event.id}/participants?page=2"))
    assert "Zz entreprise 44" in second
    assert "Ville de Saint-Denis" not in second


def test_empty_list_invites_to_add_participants(client, auth, make_user, make_event):
    organiser = make_user(Role.ORGANISER)
    event = make_event(organiser)
    auth.login_as(organiser)
    page = _text(client.get(f"/evenements/{event.id}/participants"))
    assert "Aucun participant pour l'instant." in page


# --------------------------------------------------------------------------- invitation by e-mail


def test_invite_someone_without_account_sends_a_personal_link_that_opens_their_space(client, world, app):
    response = client.post(f"/evenements/{world.event.id}/participants/inviter", data=INVITE)
    assert response.status_code == 302
    participant = _participant(world.event, "samia@couture.example")
    assert participant.side is ParticipantSide.SUPPLIER
    assert participant.status is ParticipantStatus.INVITED
    assert participant.user_id is None
    assert participant.invited_at is not None
    assert (participant.postcode, participant.qpv_declared, participant.cpv_codes) == ("93200", True, ["18000000-9"])
    [mail] = _mails_to("samia@couture.example")
    assert world.event.name in mail.subject
    link = re.search(r"http://marche\.test(/rencontres/acces/\S+)", mail.text_body)[1]
    assert link in mail.html_body
    token = link.rsplit("/", 1)[1]
    assert access.participant_from_token(token).id == participant.id
    client.post("/compte/deconnexion")
    opened = client.get(link)
    assert opened.status_code == 302
    assert client.get(opened.headers["Location"]).status_code == 200


def test_invite_an_address_with_an_account_links_it_and_notifies_it(client, world, make_user):
    buyer = make_user(Role.BUYER, email="achats@ville.example", full_name="Bruno Achat")
    data = dict(INVITE, side="buyer", email="ACHATS@ville.example", person_name="Bruno Achat",
                organisation_name="Ville", postcode="", qpv_declared="")
    assert client.post(f"/evenements/{world.event.id}/participants/inviter", data=data).status_code == 302
    participant = _participant(world.event, "achats@ville.example")
    assert participant.user_id == buyer.id
    assert participant.buyer_organisation_id == buyer.buyer_organisation_id
    assert participant.postcode is None
    assert participant.qpv_declared is False
    note = db.session.scalar(select(Notification).where(Notification.user_id == buyer.id))
    assert note.kind is NotificationKind.EVENT_INVITATION
    assert note.link == f"/rencontres/{participant.id}"
    assert _mails_to("achats@ville.example")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"email": "pas-une-adresse"}, "email", "Adresse e-mail invalide."),
    ({"person_name": ""}, "person_name", "Indiquez le nom de la personne."),
    ({"cpv_codes": "1234"}, "cpv_codes", "Le code CPV « 1234 » n'est pas valide"),
    ({"postcode": "9320"}, "postcode", "Le code postal doit comporter 5 chiffres."),
    ({"side": "martien"}, "side", "Not a valid choice"),
])
def test_invite_refuses_bad_input_field_by_field_and_keeps_it(client, world, changes, field, message):
    response = client.post(f"/evenements/{world.event.id}/participants/inviter", data=dict(INVITE, **changes))
    assert response.status_code == 422
    page = _text(response)
    assert f'id="{field}-erreur"' in page
    if field != "side":
        assert message in page
    assert 'value="Couture Solidaire"' in page
    assert _participant(world.event, "samia@couture.example") is None


def test_a_duplicate_email_in_the_event_is_a_field_error(client, world):
    existing = world.suppliers[2].email
    response = client.post(f"/evenements/{world.event.id}/participants/inviter",
                           data=dict(INVITE, email=existing.upper()))
    assert response.status_code == 422
    assert "Cette adresse e-mail participe déjà à l'événement." in _text(response)
    assert f'value="{existing.upper()}"' in _text(response)
    count = db.session.scalar(select(func.count()).select_from(EventParticipant).where(
        EventParticipant.email == existing))
    assert count == 1


# --------------------------------------------------------------------------- enrolment from the marketplace


def test_enrol_a_company_its_owner_takes_part(client, world, make_supplier, make_user):
    owner = make_user(Role.SUPPLIER, email="gerant@bati.example", full_name="Karim Bâtisseur")
    company = make_supplier(owner=owner, name="Bâti Quartiers", postcode="93300")
    page = _text(client.get(f"/evenements/{world.event.id}/participants/ajouter?entreprise=bâti"))
    assert "Bâti Quartiers" in page
    already = _text(client.get(f"/evenements/{world.event.id}/participants/ajouter?entreprise=horizon"))
    assert "Aucune entreprise non inscrite ne correspond" in already  # Net Horizon takes part already
    assert client.post(f"/evenements/{world.event.id}/participants/entreprise",
                       data={"item_id": str(company.id)}).status_code == 302
    participant = _participant(world.event, "gerant@bati.example")
    assert (participant.side, participant.user_id, participant.supplier_company_id) == (
        ParticipantSide.SUPPLIER, owner.id, company.id)
    assert (participant.organisation_name, participant.person_name, participant.postcode) == (
        "Bâti Quartiers", "Karim Bâtisseur", "93300")
    assert _mails_to("gerant@bati.example")
    again = client.post(f"/evenements/{world.event.id}/participants/entreprise", data={"item_id": str(company.id)},
                        follow_redirects=True)
    assert "participe déjà à l'événement" in _text(again)


def test_enrol_a_buyer_prefills_its_needs_from_its_published_tenders(client, world, make_user, make_tender):
    buyer = make_user(Role.BUYER, email="marches@departement.example", full_name="Nadia Marchés")
    now = datetime.now(UTC)
    make_tender(buyer, title="Entretien des espaces verts des collèges", cpv_codes=["77310000-6"],
                published_at=now - timedelta(days=3), lots=({"title": "Élagage", "cpv_codes": ["77211400-6"]},))
    make_tender(buyer, title="Restauration des agents", cpv_codes=["55520000-1"], published_at=now - timedelta(days=1))
    make_tender(buyer, title="Brouillon secret", cpv_codes=["45000000-7"], status=TenderStatus.DRAFT)
    page = _text(client.get(f"/evenements/{world.event.id}/participants/ajouter?acheteur=nadia"))
    assert "Nadia Marchés" in page
    assert world.buyer_user.full_name not in page
    assert "marches@departement.example" not in page  # a name search shows no e-mail address
    assert client.post(f"/evenements/{world.event.id}/participants/acheteur",
                       data={"item_id": str(buyer.id)}).status_code == 302
    participant = _participant(world.event, "marches@departement.example")
    assert participant.side is ParticipantSide.BUYER
    assert participant.buyer_organisation_id == buyer.buyer_organisation_id
    assert participant.organisation_name == buyer.buyer_organisation.name
    assert participant.needs_text == "Restauration des agents; Entretien des espaces verts des collèges"
    assert participant.cpv_codes == ["55520000-1", "77310000-6", "77211400-6"]
    assert "Brouillon" not in participant.needs_text


def test_buyer_search_shows_addresses_only_to_who_typed_one_exactly(client, world, make_user):
    make_user(Role.BUYER, email="Marches@Departement.example", full_name="Nadia Marchés")
    url = f"/evenements/{world.event.id}/participants/ajouter?acheteur="
    for partial in ("marches@departement", "departement.example", "@"):  # parts of an address find nobody
        page = _text(client.get(url + partial))
        assert "Nadia Marchés" not in page
    exact = _text(client.get(url + " MARCHES@departement.example "))
    assert "Nadia Marchés" in exact
    assert "Marches@Departement.example" in exact
    found = services.search_buyers(world.event, "nadia")
    assert [(b.full_name, b.email) for b in found] == [("Nadia Marchés", None)]


def test_enrol_refuses_what_is_not_a_buyer_or_a_company(client, world):
    url = f"/evenements/{world.event.id}/participants/acheteur"
    wrong = client.post(url, data={"item_id": str(world.supplier_user.id)}, follow_redirects=True)
    assert "Ce compte acheteur est introuvable" in _text(wrong)
    for bad in ("abc", "", "9" * 30, "-3"):
        response = client.post(url, data={"item_id": bad}, follow_redirects=True)
        assert response.status_code == 200
        assert "Choisissez dans les résultats de la recherche." in _text(response)
    company = client.post(f"/evenements/{world.event.id}/participants/entreprise", data={"item_id": "999999"},
                          follow_redirects=True)
    assert "Cette entreprise est introuvable" in _text(company)
    assert len(world.event.participants) == 8


def test_needs_prefill_is_bounded(app, make_user, make_tender):
    buyer = make_user(Role.BUYER)
    now = datetime.now(UTC)
    for n in range(8):  # 8 tenders of 8 codes each: 5 tenders and 30 codes at most are kept
        make_tender(buyer, title=f"Marché {n}", published_at=now - timedelta(days=10 - n),
                    cpv_codes=[f"{45000000 + n * 100000 + k * 1000}" for k in range(8)])
    text, codes = services.needs_from_tenders(buyer.buyer_organisation_id)
    assert text == "Marché 7; Marché 6; Marché 5; Marché 4; Marché 3"
    assert len(codes) == 30
    assert codes[0] == "45700000"
    assert services.needs_from_tenders(None) == ("", [])


# --------------------------------------------------------------------------- removal and reminders


def test_remove_a_participant_needs_the_confirmation(client, world):
    target_id = world.suppliers[1].id
    url = f"/evenements/{world.event.id}/participants/{target_id}/retirer"
    refused = client.post(url, follow_redirects=True)
    assert "Cochez la case de confirmation" in _text(refused)
    assert db.session.get(EventParticipant, target_id) is not None
    done = client.post(url, data={"confirm": "y"}, follow_redirects=True)
    assert "Jardins Solidaires (Personne" in _text(done)
    assert "ne participe plus" in _text(done)
    db.session.expire_all()
    assert db.session.get(EventParticipant, target_id) is None


def test_resend_the_invitation(client, world):
    target = world.suppliers[3]
    before = len(_mails_to(target.email))
    response = client.post(f"/evenements/{world.event.id}/participants/{target.id}/relancer", follow_redirects=True)
    assert f"L'invitation est renvoyée à {target.email}." in _text(response)
    assert len(_mails_to(target.email)) == before + 1
    db.session.expire_all()
    assert target.invited_at is not None


def test_renew_the_personal_link_revokes_the_old_one_and_sends_a_working_one(client, world):
    target = world.suppliers[3]
    old_token = access.link_token(target)
    before = len(_mails_to(target.email))
    response = client.post(f"/evenements/{world.event.id}/participants/{target.id}/nouveau-lien",
                           follow_redirects=True)
    page = _text(response)
    assert f"Le lien personnel de {target.label} est renouvelé : l'ancien lien ne fonctionne plus" in page
    assert f"/evenements/{world.event.id}/participants/{target.id}/nouveau-lien" in page  # the button, per row
    db.session.expire_all()
    assert access.participant_from_token(old_token) is None
    mails = _mails_to(target.email)
    assert len(mails) == before + 1
    link = re.search(r"http://marche\.test(/rencontres/acces/\S+)", mails[-1].text_body)[1]
    assert old_token not in link
    assert access.participant_from_token(link.rsplit("/", 1)[1]).id == target.id
    client.post("/compte/deconnexion")
    assert client.get(f"/rencontres/acces/{old_token}").status_code == 404
    opened = client.get(link)
    assert opened.status_code == 302
    assert client.get(opened.headers["Location"]).status_code == 200


def test_renew_link_needs_the_csrf_form(client, world, app):
    app.config["WTF_CSRF_ENABLED"] = True
    target = world.suppliers[3]
    key = target.access_key
    client.post(f"/evenements/{world.event.id}/participants/{target.id}/nouveau-lien")
    db.session.expire_all()
    assert target.access_key == key


def test_a_participant_of_another_event_is_a_404(client, world, make_event, make_participant):
    other_event = make_event(world.other_organiser, name="Autre événement")
    stranger = make_participant(other_event, ParticipantSide.SUPPLIER, "Ailleurs")
    for action in ("retirer", "relancer", "nouveau-lien"):
        response = client.post(f"/evenements/{world.event.id}/participants/{stranger.id}/{action}",
                               data={"confirm": "y"})
        assert response.status_code == 404
    assert db.session.get(EventParticipant, stranger.id) is not None
    assert not _mails_to(stranger.email)
