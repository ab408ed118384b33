"""Wishes: the engine's suggestions first with their reasons, must/would like/refuse saved and read back, the
limit on "must", mutual interest, bad values and ids, and the phases (not yet open, read-only once published)."""

import re

import pytest

from marketplace.events import access, participation
from marketplace.extensions import db
from marketplace.models import EventStatus, EventWish, ParticipantSide, ParticipantStatus
from marketplace.validators import ServiceError


@pytest.fixture
def world(event_world):
    event_world.event.status = EventStatus.WISHES
    db.session.commit()
    return event_world


def _wishes(participant) -> dict[int, int]:
    db.session.expire_all()
    return participation.wishes_of(participant)


def _shown(page: str) -> str:
    return re.search(r'name="shown" value="([^"]*)"', page).group(1)


def test_the_engines_suggestions_come_first_with_their_reasons(client, auth, world):
    city = world.buyers[0]
    auth.login_as(world.buyer_user)
    page = client.get(f"/rencontres/{city.id}/souhaits").get_data(as_text=True)
    suggestions = page[page.index("Suggestions pour vous"):page.index('id="titre-liste"')]
    assert suggestions.index("Net Horizon") < suggestions.index("Propre Cité")
    assert "nettoyage" in suggestions.casefold()  # a reason, in words
    assert "Atelier Bois" not in suggestions  # nothing in common with cleaning
    rest = page[page.index('id="titre-liste"'):]
    assert "Atelier Bois" in rest
    assert "Net Horizon" not in rest  # listed once
    shown = [int(i) for i in _shown(page).split(",")]
    assert shown[0] == world.suppliers[0].id
    assert sorted(shown) == sorted(s.id for s in world.suppliers)  # every entrepreneur, buyers never


def test_wishes_are_saved_and_read_back(client, auth, world):
    city = world.buyers[0]
    net, gardens, caterer, clean, wood = world.suppliers
    auth.login_as(world.buyer_user)
    shown = ",".join(str(s.id) for s in world.suppliers)
    response = client.post(f"/rencontres/{city.id}/souhaits", data={
        "shown": shown, f"wish-{net.id}": "2", f"wish-{clean.id}": "1", f"wish-{wood.id}": "-1",
        f"wish-{gardens.id}": "0"})
    assert response.status_code == 302
    assert _wishes(city) == {net.id: 2, clean.id: 1, wood.id: -1}
    page = client.get(f"/rencontres/{city.id}/souhaits").get_data(as_text=True)
    assert f'id="wish-{net.id}-1"\n          name="wish-{net.id}" value="2" checked' in page
    assert f'name="wish-{wood.id}" value="-1" checked' in page
    assert f'name="wish-{gardens.id}" value="0" checked' in page
    # Back to "no preference" removes the row; people not shown on the page keep theirs.
    client.post(f"/rencontres/{city.id}/souhaits", data={"shown": str(clean.id), f"wish-{clean.id}": "0"})
    assert _wishes(city) == {net.id: 2, wood.id: -1}
    assert db.session.query(EventWish).filter_by(requester_id=city.id).count() == 2
    assert "2 souhaits" in client.get(f"/rencontres/{city.id}").get_data(as_text=True)


def test_must_wishes_are_limited(app, client, make_participant, world):
    gardens = world.suppliers[1]
    extra = [make_participant(world.event, ParticipantSide.BUYER, f"Acheteur {n}") for n in range(4)]
    buyers = [*world.buyers, *extra]  # 7 buyers
    with app.test_request_context():
        client.get(f"/rencontres/acces/{access.link_token(gardens)}")
    data = {"shown": ",".join(str(b.id) for b in buyers)}
    data.update({f"wish-{b.id}": "2" for b in buyers[:6]})
    data[f"wish-{buyers[6].id}"] = "1"
    response = client.post(f"/rencontres/{gardens.id}/souhaits", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "pour 6 personnes" in page
    assert f"{participation.MAX_MUST_WISHES} au plus" in page
    assert _wishes(gardens) == {}
    assert f'name="wish-{buyers[6].id}" value="1" checked' in page  # the choices made are kept
    data[f"wish-{buyers[5].id}"] = "1"
    assert client.post(f"/rencontres/{gardens.id}/souhaits", data=data).status_code == 302
    assert sorted(_wishes(gardens).values()) == [1, 1, 2, 2, 2, 2, 2]


def test_the_limit_counts_the_wishes_of_every_page(make_participant, world):
    gardens = world.suppliers[1]
    buyers = [*world.buyers, *(make_participant(world.event, ParticipantSide.BUYER, f"Acheteur {n}") for n in range(3))]
    participation.set_wishes(gardens, {b.id: 2 for b in buyers[:3]})  # one page
    with pytest.raises(ServiceError, match="pour 6 personnes"):
        participation.set_wishes(gardens, {b.id: 2 for b in buyers[3:]})  # another page
    assert _wishes(gardens) == {b.id: 2 for b in buyers[:3]}


@pytest.mark.parametrize("bad", [
    lambda w: {"shown": str(w.buyers[0].id), f"wish-{w.buyers[0].id}": "3"},
    lambda w: {"shown": str(w.buyers[0].id), f"wish-{w.buyers[0].id}": "abc"},
    lambda w: {"shown": "abc", "wish-abc": "2"},
    lambda w: {"shown": "99999999999999999999999", "wish-99999999999999999999999": "2"},
    lambda w: {"shown": str(w.suppliers[2].id), f"wish-{w.suppliers[2].id}": "2"},  # same side
    lambda w: {"shown": str(w.suppliers[1].id), f"wish-{w.suppliers[1].id}": "2"},  # oneself
    lambda w: {"shown": "123456", "wish-123456": "2"},  # no such participant
])
def test_bad_values_and_ids_are_refused_without_a_500(app, client, world, bad):
    gardens = world.suppliers[1]
    with app.test_request_context():
        client.get(f"/rencontres/acces/{access.link_token(gardens)}")
    response = client.post(f"/rencontres/{gardens.id}/souhaits", data=bad(world))
    assert response.status_code == 422
    assert "rechargez la page" in response.get_data(as_text=True)
    assert _wishes(gardens) == {}


def test_a_participant_of_another_event_or_who_declined_cannot_be_wished(make_event, make_participant, world):
    gardens = world.suppliers[1]
    elsewhere = make_participant(make_event(world.organiser, name="Autre"), ParticipantSide.BUYER, "Ailleurs")
    with pytest.raises(ServiceError):
        participation.set_wishes(gardens, {elsewhere.id: 1})
    world.buyers[2].status = ParticipantStatus.DECLINED
    db.session.commit()
    with pytest.raises(ServiceError):
        participation.set_wishes(gardens, {world.buyers[2].id: 1})
    assert world.buyers[2] not in participation.others_of(gardens)
    assert participation.wishes_of(gardens) == {}


def test_mutual_interest_is_hinted(client, auth, world):
    city = world.buyers[0]
    net = world.suppliers[0]
    db.session.add(EventWish(event_id=world.event.id, requester_id=net.id, other_id=city.id, value=1))
    db.session.commit()
    auth.login_as(world.buyer_user)
    page = client.get(f"/rencontres/{city.id}/souhaits").get_data(as_text=True)
    assert page.count("Déjà demandé par l&#39;autre partie") + page.count("Déjà demandé par l'autre partie") == 1
    hint = page.index("Déjà demandé par")
    assert page.rfind("<legend>", 0, hint) == page.rfind("<legend>Net Horizon", 0, hint)


def test_filter_by_name_and_pagination(client, auth, make_participant, world):
    city = world.buyers[0]
    for n in range(30):
        make_participant(world.event, ParticipantSide.SUPPLIER, f"Entreprise Zèbre {n:02d}", needs_text="Cirque")
    auth.login_as(world.buyer_user)
    first = client.get(f"/rencontres/{city.id}/souhaits").get_data(as_text=True)
    assert "Page 1 sur 2" in first
    second = client.get(f"/rencontres/{city.id}/souhaits?page=2").get_data(as_text=True)
    assert "Suggestions pour vous" not in second
    on_pages = _shown(first).split(",") + _shown(second).split(",")
    assert len(on_pages) == len(set(on_pages)) == 35  # everyone once, the suggested ones included
    found = client.get(f"/rencontres/{city.id}/souhaits?q=zebre 07").get_data(as_text=True)
    assert "Entreprise Zèbre 07" in found
    assert "Entreprise Zèbre 08" not in found
    none = client.get(f"/rencontres/{city.id}/souhaits?q=introuvable").get_data(as_text=True)
    assert "Aucun participant ne correspond" in none
    assert client.get(f"/rencontres/{city.id}/souhaits?page=abc").status_code == 200
    assert client.get(f"/rencontres/{city.id}/souhaits?page=999").status_code == 200


def test_wishes_are_not_open_in_draft_and_read_only_once_published(client, auth, world):
    city, net = world.buyers[0], world.suppliers[0]
    auth.login_as(world.buyer_user)
    data = {"shown": str(net.id), f"wish-{net.id}": "2"}
    world.event.status = EventStatus.DRAFT
    db.session.commit()
    assert "pas encore ouverte" in client.get(f"/rencontres/{city.id}/souhaits").get_data(as_text=True)
    response = client.post(f"/rencontres/{city.id}/souhaits", data=data)
    assert response.status_code == 422
    assert _wishes(city) == {}
    world.event.status = EventStatus.WISHES
    db.session.commit()
    client.post(f"/rencontres/{city.id}/souhaits", data=data)
    world.event.status = EventStatus.PUBLISHED
    db.session.commit()
    page = client.get(f"/rencontres/{city.id}/souhaits").get_data(as_text=True)
    assert 'type="radio"' not in page
    assert "Net Horizon (Personne" in page
    assert "doit rencontrer" in page
    response = client.post(f"/rencontres/{city.id}/souhaits", data={**data, f"wish-{net.id}": "-1"})
    assert response.status_code == 422
    assert _wishes(city) == {net.id: 2}
