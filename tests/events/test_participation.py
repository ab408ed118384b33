"""The participants' space: personal links, linked accounts, confirmation, profile and availabilities."""

import pytest
import sqlalchemy as sa

from marketplace.events import access
from marketplace.extensions import db
from marketplace.models import EventMeeting, EventParticipant, EventStatus, ParticipantStatus, Role


def _token(app, participant) -> str:
    with app.test_request_context():
        return access.link_token(participant)


def _open(app, client, participant):
    return client.get(f"/rencontres/acces/{_token(app, participant)}")


def _reload(participant) -> EventParticipant:
    db.session.expire_all()
    return db.session.get(EventParticipant, participant.id)


PAGES = ["", "/profil", "/disponibilites", "/souhaits"]


# ------------------------------------------------------------------------------------------------ access


def test_the_personal_link_opens_that_participants_pages_only(app, client, event_world):
    gardens, caterer = event_world.suppliers[1:3]
    response = _open(app, client, gardens)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/rencontres/{gardens.id}")
    home = client.get(f"/rencontres/{gardens.id}").get_data(as_text=True)
    assert "Semaine de la diversité entrepreneuriale" in home
    assert "Je confirme ma participation" not in home
    for suffix in PAGES:
        assert client.get(f"/rencontres/{gardens.id}{suffix}").status_code == 200, suffix
        assert client.get(f"/rencontres/{caterer.id}{suffix}").status_code == 404, suffix
    assert client.post(f"/rencontres/{caterer.id}/reponse", data={"choice": "non"}).status_code == 404
    assert _reload(caterer).status is ParticipantStatus.CONFIRMED


def test_a_revoked_or_forged_link_says_to_ask_the_organiser(app, client, event_world):
    gardens = event_world.suppliers[1]
    token = _token(app, gardens)
    access.revoke_links(gardens)
    db.session.commit()
    for url in (f"/rencontres/acces/{token}", "/rencontres/acces/abc", "/rencontres/acces/" + "x" * 3000):
        response = client.get(url)
        assert response.status_code == 404
        assert "Ce lien ne fonctionne plus" in response.get_data(as_text=True)
        assert "demandez-lui de vous renvoyer" in response.get_data(as_text=True)
    assert client.get(f"/rencontres/{gardens.id}").status_code == 404  # nothing was granted


@pytest.mark.parametrize("suffix", PAGES)
def test_anonymous_visitors_without_the_link_get_a_404(client, event_world, suffix):
    assert client.get(f"/rencontres/{event_world.suppliers[1].id}{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", PAGES)
def test_the_linked_account_gets_in_and_a_stranger_does_not(client, auth, make_user, event_world, suffix):
    buyer = event_world.buyers[0]
    auth.login_as(event_world.buyer_user)
    assert client.get(f"/rencontres/{buyer.id}{suffix}").status_code == 200
    assert client.get(f"/rencontres/{event_world.buyers[1].id}{suffix}").status_code == 404
    auth.logout()
    for role in (Role.BUYER, Role.ORGANISER):
        auth.login_as(make_user(role))
        assert client.get(f"/rencontres/{buyer.id}{suffix}").status_code == 404
        auth.logout()
    auth.login_as(event_world.organiser)  # organising the event does not make one its participant
    assert client.get(f"/rencontres/{buyer.id}{suffix}").status_code == 404


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "9" * 30, "1.5"])
def test_malformed_ids_are_404_not_500(client, auth, event_world, bad):
    auth.login_as(event_world.buyer_user)
    for suffix in PAGES:
        assert client.get(f"/rencontres/{bad}{suffix}").status_code == 404


def test_opening_ones_link_while_signed_in_links_the_account_with_that_email(app, client, auth, make_user,
                                                                            event_world):
    gardens = event_world.suppliers[1]
    owner = make_user(Role.SUPPLIER, email=gardens.email)
    stranger = make_user(Role.SUPPLIER)
    auth.login_as(stranger)  # another e-mail: the session is granted, the account is not linked
    assert _open(app, client, gardens).status_code == 302
    assert _reload(gardens).user_id is None
    auth.logout()
    auth.login_as(owner)
    _open(app, client, gardens)
    assert _reload(gardens).user_id == owner.id
    with client.session_transaction() as session:  # the account alone opens it now, without the link
        session.pop("event_participants", None)
    assert client.get(f"/rencontres/{gardens.id}").status_code == 200
    assert "Semaine de la diversité" in client.get("/rencontres/").get_data(as_text=True)


def test_my_events_lists_the_users_participations_or_says_there_are_none(client, auth, make_user, event_world):
    assert "/compte/connexion" in client.get("/rencontres/").headers["Location"]
    auth.login_as(event_world.buyer_user)
    page = client.get("/rencontres/").get_data(as_text=True)
    assert f"/rencontres/{event_world.buyers[0].id}" in page
    assert "Ville de Saint-Denis" in page
    assert "Mes rencontres</a>" in page  # the header link, for participants
    auth.logout()
    auth.login_as(make_user(Role.BUYER))
    page = client.get("/rencontres/").get_data(as_text=True)
    assert "Vous ne participez à aucun événement" in page
    assert "Mes rencontres</a>" not in page


# ------------------------------------------------------------------------------------------------ answer


def test_confirm_and_decline_until_published(app, client, event_world):
    caterer = event_world.suppliers[2]
    caterer.status = ParticipantStatus.INVITED
    db.session.commit()
    _open(app, client, caterer)
    assert "Je confirme ma participation" in client.get(f"/rencontres/{caterer.id}").get_data(as_text=True)
    client.post(f"/rencontres/{caterer.id}/reponse", data={"choice": "non"})
    assert _reload(caterer).status is ParticipantStatus.DECLINED
    assert _reload(caterer).answered_at is not None
    client.post(f"/rencontres/{caterer.id}/reponse", data={"choice": "oui"})
    assert _reload(caterer).status is ParticipantStatus.CONFIRMED
    response = client.post(f"/rencontres/{caterer.id}/reponse", data={"choice": "peut-être"})
    assert response.status_code == 302
    assert _reload(caterer).status is ParticipantStatus.CONFIRMED
    event_world.event.status = EventStatus.PUBLISHED
    db.session.commit()
    client.post(f"/rencontres/{caterer.id}/reponse", data={"choice": "non"})
    assert _reload(caterer).status is ParticipantStatus.CONFIRMED
    page = client.get(f"/rencontres/{caterer.id}", follow_redirects=True).get_data(as_text=True)
    assert "Je ne pourrai pas venir" not in page
    assert "prévenez l'organisateur" in page


# ----------------------------------------------------------------------------------------------- profile


def test_a_buyer_says_what_it_buys(client, auth, event_world):
    buyer = event_world.buyers[0]
    auth.login_as(event_world.buyer_user)
    page = client.get(f"/rencontres/{buyer.id}/profil").get_data(as_text=True)
    assert "Ce que vous achetez" in page
    assert "Nettoyage des écoles" in page
    assert "data-cpv-autocomplete" in page
    assert "Code postal" not in page
    response = client.post(f"/rencontres/{buyer.id}/profil",
                           data={"needs_text": "  Restauration scolaire  ", "cpv_codes": "55523100"})
    assert response.status_code == 302
    buyer = _reload(buyer)
    assert buyer.needs_text == "Restauration scolaire"
    assert buyer.cpv_codes == ["55523100"]


def test_a_buyer_who_said_nothing_gets_its_published_tenders_as_a_draft(client, auth, make_tender, event_world):
    buyer = event_world.buyers[0]
    buyer.needs_text, buyer.cpv_codes = "", []
    db.session.commit()
    make_tender(event_world.buyer_user, title="Entretien des gymnases municipaux", cpv_codes=["90911000"])
    auth.login_as(event_world.buyer_user)
    page = client.get(f"/rencontres/{buyer.id}/profil").get_data(as_text=True)
    assert "Prérempli d'après les derniers appels d'offres" in page
    assert "Entretien des gymnases municipaux" in page
    assert "90911000" in page
    assert _reload(buyer).needs_text == ""  # a draft until saved


def test_an_entrepreneur_without_company_says_what_it_does_and_bad_input_is_kept(app, client, event_world):
    carpenter = event_world.suppliers[4]
    _open(app, client, carpenter)
    response = client.post(f"/rencontres/{carpenter.id}/profil",
                           data={"needs_text": "Menuiserie sur mesure", "cpv_codes": "12", "postcode": "93a"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Menuiserie sur mesure" in page
    assert "93a" in page
    assert "Le code postal doit comporter 5 chiffres." in page
    assert "Le code CPV « 12 »" in page
    response = client.post(f"/rencontres/{carpenter.id}/profil", data={
        "needs_text": "Menuiserie sur mesure", "cpv_codes": "45421000", "postcode": "93200", "qpv_declared": "y"})
    assert response.status_code == 302
    carpenter = _reload(carpenter)
    assert (carpenter.needs_text, carpenter.postcode, carpenter.qpv_declared) == (
        "Menuiserie sur mesure", "93200", True)
    response = client.post(f"/rencontres/{carpenter.id}/profil", data={"needs_text": "x" * 2001, "postcode": "93000"})
    assert response.status_code == 422
    assert "Texte trop long" in response.get_data(as_text=True)


def test_an_entrepreneur_with_a_company_is_sent_to_its_profile(client, auth, event_world):
    company_side = event_world.suppliers[0]
    auth.login_as(event_world.supplier_user)
    page = client.get(f"/rencontres/{company_side.id}/profil").get_data(as_text=True)
    assert f"/entrepreneur/entreprises/{event_world.company.id}/profil" in page
    assert "<textarea" not in page
    client.post(f"/rencontres/{company_side.id}/profil", data={"needs_text": "autre chose"})
    assert _reload(company_side).needs_text == ""


def test_the_profile_is_read_only_once_published(client, auth, event_world):
    buyer = event_world.buyers[0]
    event_world.event.status = EventStatus.PUBLISHED
    db.session.commit()
    auth.login_as(event_world.buyer_user)
    page = client.get(f"/rencontres/{buyer.id}/profil").get_data(as_text=True)
    assert "ne peut plus être modifiée" in page
    assert "<textarea" not in page
    response = client.post(f"/rencontres/{buyer.id}/profil", data={"needs_text": "Autre", "cpv_codes": ""})
    assert response.status_code == 302
    assert _reload(buyer).needs_text == "Nettoyage des écoles et des bureaux"


# ------------------------------------------------------------------------------------------ availability


def test_availability_is_stored_as_the_unticked_slots(app, client, event_world):
    gardens = event_world.suppliers[1]
    _open(app, client, gardens)
    page = client.get(f"/rencontres/{gardens.id}/disponibilites").get_data(as_text=True)
    assert page.count('type="checkbox"') == 8
    assert page.count(" checked") == 8
    assert "09:00-09:20" in page
    assert "10:40-11:00" in page
    assert "10:20-10:40" not in page
    response = client.post(f"/rencontres/{gardens.id}/disponibilites", data={"slots": ["0", "1", "2", "5", "7"]})
    assert response.status_code == 302
    assert _reload(gardens).unavailable_slots == [3, 4, 6]
    page = client.get(f"/rencontres/{gardens.id}/disponibilites").get_data(as_text=True)
    assert page.count(" checked") == 5
    assert "5 créneaux sur 8" in client.get(f"/rencontres/{gardens.id}").get_data(as_text=True)


def test_no_slot_ticked_is_allowed_with_a_warning(app, client, event_world):
    gardens = event_world.suppliers[1]
    _open(app, client, gardens)
    response = client.post(f"/rencontres/{gardens.id}/disponibilites", data={}, follow_redirects=True)
    assert "vous n'aurez aucun rendez-vous" in response.get_data(as_text=True)
    assert _reload(gardens).unavailable_slots == list(range(8))


@pytest.mark.parametrize("bad", [["8"], ["abc"], ["-1"], ["1", "99999999999"]])
def test_unknown_slots_are_refused_and_the_choice_kept(app, client, event_world, bad):
    gardens = event_world.suppliers[1]
    _open(app, client, gardens)
    response = client.post(f"/rencontres/{gardens.id}/disponibilites", data={"slots": ["2", *bad]})
    assert response.status_code == 422
    assert "rechargez la page" in response.get_data(as_text=True)
    assert _reload(gardens).unavailable_slots == []


def test_availability_is_read_only_once_published(app, client, event_world):
    gardens = event_world.suppliers[1]
    gardens.unavailable_slots = [0]
    event_world.event.status = EventStatus.PUBLISHED
    db.session.commit()
    _open(app, client, gardens)
    page = client.get(f"/rencontres/{gardens.id}/disponibilites").get_data(as_text=True)
    assert 'type="checkbox"' not in page
    assert "indisponible" in page
    client.post(f"/rencontres/{gardens.id}/disponibilites", data={"slots": ["1"]})
    assert _reload(gardens).unavailable_slots == [0]


def test_the_home_page_follows_the_events_phase(app, client, event_world):
    gardens = event_world.suppliers[1]
    _open(app, client, gardens)
    page = client.get(f"/rencontres/{gardens.id}").get_data(as_text=True)
    assert "La phase des souhaits n'est pas encore ouverte" in page
    assert f"/rencontres/{gardens.id}/souhaits" not in page
    event_world.event.status = EventStatus.WISHES
    db.session.commit()
    page = client.get(f"/rencontres/{gardens.id}").get_data(as_text=True)
    assert f"/rencontres/{gardens.id}/souhaits" in page
    assert "/agenda" not in page
    event_world.event.status = EventStatus.PUBLISHED
    db.session.commit()
    page = client.get(f"/rencontres/{gardens.id}").get_data(as_text=True)
    assert f"/rencontres/{gardens.id}/agenda" in page
    assert "(lecture seule)" in page


def test_declining_drops_the_participants_meetings_and_no_one_elses(app, client, event_world):
    from .test_exports import add_meetings

    add_meetings(event_world)  # Propre Cité (suppliers[3]) meets Ville de Saint-Denis; three other meetings
    cleaner = event_world.suppliers[3]
    _open(app, client, cleaner)
    client.post(f"/rencontres/{cleaner.id}/reponse", data={"choice": "non"})
    assert _reload(cleaner).status is ParticipantStatus.DECLINED
    left = db.session.scalars(sa.select(EventMeeting).where(EventMeeting.event_id == event_world.event.id)).all()
    assert len(left) == 3
    assert all(cleaner.id not in (m.buyer_id, m.supplier_id) for m in left)
    assert len(event_world.event.meetings) == 3
    # Confirming again brings no meeting back: the organiser reschedules.
    client.post(f"/rencontres/{cleaner.id}/reponse", data={"choice": "oui"})
    assert len(db.session.scalars(sa.select(EventMeeting).where(EventMeeting.event_id == event_world.event.id))
               .all()) == 3
