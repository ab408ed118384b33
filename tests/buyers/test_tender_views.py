"""The buyers' tender pages: forms (lots without JavaScript, errors, typed values kept), list, detail, buttons."""

import html as html_lib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import Role, Tender, TenderStatus

NEW = "/acheteur/appels-d-offres/nouveau"
SOON = date.today() + timedelta(days=30)


@pytest.fixture
def buyer(auth, make_user):
    user = make_user(Role.BUYER)
    auth.login_as(user)
    return user


def form(**overrides):
    data = {
        "title": "Nettoyage des locaux",
        "description": "Trois sites, 1 200 m².",
        "cpv_codes": "909190004, 90910000",
        "department": "93",
        "postcode": "93200",
        "budget": "12 500,50",
        "deadline": SOON.isoformat(),
        "required_labels": ["esus", "iso14001"],
        "reserved_for_inclusive": "y",
    }
    data.update(overrides)
    return data


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def test_create_with_lots_then_detail_shows_french_amounts(client, buyer):
    response = client.post(NEW, data=form(**{
        "lots-0-title": "Site de Saint-Denis", "lots-0-budget": "7 500", "lots-0-cpv_codes": "90911200-8",
        "lots-1-title": "Site de Bobigny", "lots-1-budget": "5000,50", "lots-1-description": "Bureaux",
    }))
    assert response.status_code == 302
    tender = db.session.scalar(select(Tender))
    assert (tender.title, tender.status, tender.budget_cents) == ("Nettoyage des locaux", TenderStatus.DRAFT, 1_250_050)
    assert tender.cpv_codes == ["90919000-4", "90910000"]
    assert (tender.department, tender.postcode, tender.deadline) == ("93", "93200", SOON)
    assert tender.required_labels == ["esus", "iso14001"]
    assert tender.reserved_for_inclusive is True
    assert [(lot.number, lot.title, lot.budget_cents) for lot in tender.lots] == [
        (1, "Site de Saint-Denis", 750_000), (2, "Site de Bobigny", 500_050)]
    page = text(client.get(response.headers["Location"]))
    assert "Appel d'offres enregistré en brouillon" in page
    assert "12 500,50 €" in page
    assert "7 500,00 €" in page
    assert "5 000,50 €" in page
    assert "Agrément ESUS" in page
    assert "Brouillon" in page


def test_add_lot_without_javascript_keeps_everything_typed(client, buyer):
    response = client.post(NEW, data=form(budget="abc", **{"lots-0-title": "Lot déjà saisi", "add_lot": "1"}))
    page = text(response)
    assert response.status_code == 200
    assert db.session.scalar(select(Tender)) is None
    assert 'value="Lot déjà saisi"' in page
    assert 'value="abc"' in page
    assert 'id="lots-1-title"' in page
    assert 'id="lots-2-title"' not in page
    assert '<legend>Lot <span data-lot-number>2</span></legend>' in page


def test_remove_lot_without_javascript(client, buyer):
    response = client.post(NEW, data=form(**{"lots-0-title": "A", "lots-1-title": "B", "remove_lot": "0"}))
    page = text(response)
    assert response.status_code == 200
    assert 'value="B"' in page
    assert 'value="A"' not in page
    assert 'id="lots-0-title"' in page
    assert 'id="lots-1-title"' not in page


def test_no_more_than_twenty_lots(client, buyer):
    lots = {f"lots-{i}-title": f"Lot {i}" for i in range(20)}
    page = text(client.post(NEW, data=form(add_lot="1", **lots)))
    assert "au plus 20 lots" in page
    assert 'id="lots-20-title"' not in page
    lots.update({f"lots-{i}-title": f"Lot {i}" for i in range(20, 40)})
    response = client.post(NEW, data=form(**lots))
    assert response.status_code == 422
    assert "au plus 20 lots" in text(response)


def test_blank_lot_rows_are_ignored(client, buyer):
    response = client.post(NEW, data=form(**{"lots-0-title": "", "lots-0-description": " ", "lots-1-title": "Seul"}))
    assert response.status_code == 302
    assert [lot.title for lot in db.session.scalar(select(Tender)).lots] == ["Seul"]


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        ({"title": "x" * 5000}, "title", "250 caractères au maximum."),
        ({"description": "x" * 30000}, "description", "20 000 caractères"),
        ({"budget": "douze mille"}, "budget", "Montant invalide"),
        ({"budget": "-100"}, "budget", "Le montant ne peut pas être négatif."),
        ({"budget": "9" * 5000}, "budget", "Montant invalide"),
        ({"cpv_codes": "45261000-4, 4526"}, "cpv_codes", "Le code CPV « 4526 » n'est pas valide"),
        ({"cpv_codes": "9" * 5000}, "cpv_codes", "Trop de texte"),
        ({"deadline": "demain"}, "deadline", "Date invalide"),
        ({"department": "XYZ"}, "department", "Département inconnu"),
        ({"department": "x" * 5000}, "department", "Département inconnu"),
        ({"postcode": "ABCDE"}, "postcode", "5 chiffres"),
        ({"postcode": "75001"}, "postcode", "pas dans le département 93"),
        ({"required_labels": ["pirate"]}, "required_labels", "Choix inconnu"),
        ({"lots-0-title": "", "lots-0-budget": "100"}, "lots-0-title", "Donnez un titre au lot"),
        ({"lots-0-title": "A", "lots-0-budget": "1,2,3"}, "lots-0-budget", "Montant invalide"),
        ({"lots-0-title": "A", "lots-0-cpv_codes": "nope"}, "lots-0-cpv_codes", "« nope »"),
        ({"lots-0-title": "A", "lots-0-budget": "10 000", "lots-1-title": "B", "lots-1-budget": "2 500,51"},
         "budget", "Le total des budgets des lots (12 500,51 €) dépasse le budget de l'appel d'offres (12 500,50 €)"),
    ],
)
def test_invalid_posts_give_422_french_messages_and_keep_typed_values(client, buyer, overrides, field_id, message):
    response = client.post(NEW, data=form(**overrides))
    page = text(response)
    assert response.status_code == 422
    assert db.session.scalar(select(Tender)) is None
    assert message in page
    assert f'id="{field_id}-erreur"' in page
    described = (f'aria-describedby="{field_id}-aide {field_id}-erreur"', f'aria-describedby="{field_id}-erreur"')
    assert any(attribute in page for attribute in described)
    assert 'class="form-summary"' in page
    assert 'value="Nettoyage des locaux"' in page or field_id == "title"
    assert "Trois sites, 1 200 m²." in page or field_id == "description"


@pytest.mark.parametrize(
    ("data", "status", "created"),
    [
        # (posted data, answer, the draft created as (title, description, lot titles); None: nothing created)
        ({}, 422, None),  # no title
        ({"lots-999-title": "Indice farfelu", "title": "T"}, 302, ("T", "", ["Indice farfelu"])),
        ({"lots-abc-title": "x", "lots--1-title": "y", "lots-0": "z", "title": "T"}, 302, ("T", "", [])),
        ({"title": "T", "budget": ["1", "2"], "deadline": "2030-13-45"}, 422, None),  # no such date
        ({"title": "T", "remove_lot": "999"}, 200, None),  # the form again, nothing to remove
        ({"title": "T", "remove_lot": "abc"}, 200, None),
        ({"title": "T", "lots-0-lot_id": "99999999999999999999999", "lots-0-title": "L"}, 302, ("T", "", ["L"])),
        ({"title": "\ufffd", "description": "\u202e"}, 302, ("\ufffd", "\u202e", [])),
    ],
)
def test_malformed_posts_never_crash(client, buyer, data, status, created):
    response = client.post(NEW, data=data)
    assert response.status_code == status
    tenders = db.session.scalars(select(Tender)).all()
    assert [(t.title, t.description, [lot.title for lot in t.lots]) for t in tenders] == ([created] if created else [])
    if created:
        assert response.headers["Location"] == f"/acheteur/appels-d-offres/{tenders[0].id}"


def test_nul_characters_are_refused_before_reaching_the_database(client, buyer):
    assert client.post(NEW, data={"title": "\x00\ufffd"}).status_code == 400


def test_garbage_lot_index_becomes_lot_one(client, buyer):
    assert client.post(NEW, data=form(**{"lots-999-title": "Indice farfelu"})).status_code == 302
    lot = db.session.scalar(select(Tender)).lots[0]
    assert (lot.number, lot.title) == (1, "Indice farfelu")


def test_form_page_is_accessible_and_wires_the_cpv_autocomplete(client, buyer):
    page = text(client.get(NEW))
    assert 'data-cpv-autocomplete' in page
    assert "js/cpv-autocomplete.js" in page
    assert "js/lots.js" in page
    assert '<label for="title">' in page
    assert '<label for="budget">' in page
    assert 'aria-describedby="budget-aide"' in page
    assert '<legend>Labels exigés</legend>' in page
    assert 'name="add_lot"' in page
    assert '<template id="lot-template">' in page
    assert 'name="viewport"' in page


def test_edit_prefills_and_updates(client, buyer, make_tender):
    tender = make_tender(buyer, status=TenderStatus.DRAFT, budget_cents=1_250_050, cpv_codes=["90910000-9"],
                         lots=({"title": "Ancien lot", "budget_cents": 100_000},))
    lot_id = tender.lots[0].id
    page = text(client.get(f"/acheteur/appels-d-offres/{tender.id}/modifier"))
    assert 'value="12 500,50"' in page
    assert 'value="90910000-9"' in page
    assert 'value="Ancien lot"' in page
    assert f'value="{lot_id}"' in page
    response = client.post(f"/acheteur/appels-d-offres/{tender.id}/modifier", data=form(
        title="Titre corrigé",
        **{"lots-0-lot_id": str(lot_id), "lots-0-title": "Lot renommé", "lots-1-title": "Nouveau"},
    ))
    assert response.status_code == 302
    db.session.expire_all()
    tender = db.session.get(Tender, tender.id)
    assert tender.title == "Titre corrigé"
    assert [(lot.number, lot.title) for lot in tender.lots] == [(1, "Lot renommé"), (2, "Nouveau")]
    assert tender.lots[0].id == lot_id


def test_edit_error_keeps_typed_values(client, buyer, make_tender):
    tender = make_tender(buyer, status=TenderStatus.DRAFT)
    response = client.post(f"/acheteur/appels-d-offres/{tender.id}/modifier",
                           data=form(title="Typé", budget="-3", **{"lots-0-title": "Lot typé"}))
    page = text(response)
    assert response.status_code == 422
    assert 'value="Typé"' in page
    assert 'value="-3"' in page
    assert 'value="Lot typé"' in page
    db.session.expire_all()
    assert db.session.get(Tender, tender.id).title == "Nettoyage des locaux"


def test_closed_tender_cannot_be_edited(client, buyer, make_tender):
    tender = make_tender(buyer, status=TenderStatus.CLOSED)
    response = client.get(f"/acheteur/appels-d-offres/{tender.id}/modifier", follow_redirects=True)
    assert "ne peut plus être modifié" in text(response)


def test_status_buttons_walk_the_life_cycle(client, buyer):
    client.post(NEW, data=form())
    tender_id = db.session.scalar(select(Tender.id))
    base = f"/acheteur/appels-d-offres/{tender_id}"
    assert 'action="%s/publier"' % base in text(client.get(base))
    page = text(client.post(f"{base}/publier", follow_redirects=True))
    assert "Appel d'offres publié" in page
    assert 'action="%s/clore"' % base in page
    page = text(client.post(f"{base}/clore", follow_redirects=True))
    assert "Appel d'offres clos" in page
    assert 'href="%s/attribuer"' % base in page  # the award page: tests/buyers/test_awards.py
    assert "Attribution" in text(client.get(f"{base}/attribuer"))


def test_invalid_transition_flashes_and_changes_nothing(client, buyer, make_tender):
    tender = make_tender(buyer, status=TenderStatus.DRAFT, description="")
    page = text(client.post(f"/acheteur/appels-d-offres/{tender.id}/publier", follow_redirects=True))
    assert "Décrivez votre besoin avant de publier." in page
    assert "Indiquez au moins un code CPV avant de publier." in page
    assert "Fixez une date limite" in page
    page = text(client.post(f"/acheteur/appels-d-offres/{tender.id}/clore", follow_redirects=True))
    assert "Seul un appel d'offres publié peut être clos (celui-ci est brouillon)." in page
    db.session.expire_all()
    assert db.session.get(Tender, tender.id).status is TenderStatus.DRAFT


def test_past_deadline_blocks_publication(client, buyer):
    client.post(NEW, data=form(deadline=(date.today() - timedelta(days=30)).strftime("%d/%m/%Y")))
    tender = db.session.scalar(select(Tender))
    page = text(client.post(f"/acheteur/appels-d-offres/{tender.id}/publier", follow_redirects=True))
    assert "La date limite de réponse est passée" in page


def test_delete_draft(client, buyer, make_tender):
    tender = make_tender(buyer, status=TenderStatus.DRAFT, title="À jeter")
    response = client.post(f"/acheteur/appels-d-offres/{tender.id}/supprimer", follow_redirects=True)
    assert "Brouillon « À jeter » supprimé." in text(response)
    assert db.session.scalar(select(Tender)) is None


def test_empty_state_says_what_to_do(client, buyer):
    page = text(client.get("/acheteur/appels-d-offres"))
    assert "Vous n'avez encore aucun appel d'offres." in page
    assert f'href="{NEW}"' in page


def test_filtered_empty_state_links_back_to_all(client, buyer, make_tender):
    make_tender(buyer, status=TenderStatus.DRAFT)
    page = text(client.get("/acheteur/appels-d-offres?statut=awarded"))
    assert "Aucun appel d'offres au statut « Attribué »." in page
    assert "Voir tous mes appels d'offres" in page


def test_list_paginates_filters_and_never_fails_on_odd_pages(client, buyer, make_tender):
    for n in range(23):
        make_tender(buyer, title=f"AO numéro {n:02d}", status=TenderStatus.PUBLISHED if n < 21 else TenderStatus.DRAFT)
    make_tender(title="AO d'une autre organisation")
    first = text(client.get("/acheteur/appels-d-offres"))
    assert first.count("AO numéro") == 20
    assert "autre organisation" not in first
    assert 'aria-current="page"' in first
    assert "Page suivante" in first
    assert "page 1 sur 2" in first
    second = text(client.get("/acheteur/appels-d-offres?page=2"))
    assert second.count("AO numéro") == 3
    assert "Page précédente" in second
    for odd in ("999", "-1", "abc", "99999999999999999999999", "0"):
        response = client.get(f"/acheteur/appels-d-offres?page={odd}")
        assert response.status_code == 200
    assert text(client.get("/acheteur/appels-d-offres?page=999")).count("AO numéro") == 3
    drafts = text(client.get("/acheteur/appels-d-offres?statut=draft"))
    assert drafts.count("AO numéro") == 2
    assert "Brouillons (2)" in drafts
    assert "Publiés (21)" in drafts
    assert client.get("/acheteur/appels-d-offres?statut=bogus").status_code == 200


def test_dashboard_links_to_the_tender_journey(client, buyer, make_tender):
    tender = make_tender(buyer)
    page = text(client.get("/acheteur/"))
    assert f'href="/acheteur/appels-d-offres/{tender.id}"' in page
    assert f'href="{NEW}"' in page
