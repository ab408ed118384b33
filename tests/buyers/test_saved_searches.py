"""Saved searches: save, list, run, rename, delete (one's own only) and the alert of a new matching supplier."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from marketplace.buyers import saved_searches
from marketplace.extensions import db
from marketplace.models import (
    Notification,
    NotificationKind,
    Role,
    SavedSearch,
    SavedSearchHit,
    StructureType,
    SupplierCompany,
)
from marketplace.suppliers import services as supplier_services

pytestmark = pytest.mark.usefixtures("fresh_engine")

CLEANING = {"title": "Nettoyage de bureaux", "description": "Entretien des locaux", "cpv_codes": ["90910000-9"],
            "keywords": ["nettoyage"]}


def csrf(client, url="/acheteur/fournisseurs?q=nettoyage"):
    """The page's CSRF token (tests run with CSRF off unless a test turns it on)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).get_data(as_text=True))
    return found.group(1) if found else ""


@pytest.fixture
def buyer(make_user, make_supplier):
    make_supplier(name="Ancienne Propreté", offers=(CLEANING,))
    return make_user(Role.BUYER)


def save(client, name="Ménage 93", criteria="q=nettoyage&departement=93&type=siae"):
    token = csrf(client)
    return client.post("/acheteur/recherches", data={"csrf_token": token, "name": name, "criteria": criteria})


def alerts(user):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.SAVED_SEARCH_MATCH)).all()


def test_save_list_run_rename_delete(client, auth, buyer):
    auth.login_as(buyer)
    response = save(client)
    assert response.status_code == 302
    saved = db.session.scalars(select(SavedSearch)).one()
    assert saved.user_id == buyer.id
    assert saved.name == "Ménage 93"
    assert saved.criteria == {"q": "nettoyage", "departement": "93", "type": "siae"}
    html = client.get("/acheteur/fournisseurs").get_data(as_text=True)
    assert "Lancer « Ménage 93 »" in html
    assert "/acheteur/fournisseurs?q=nettoyage&amp;type=siae&amp;departement=93" in html
    token = csrf(client)
    response = client.post(f"/acheteur/recherches/{saved.id}/renommer",
                           data={"csrf_token": token, f"r{saved.id}-name": "Propreté siège"})
    assert response.status_code == 302
    db.session.refresh(saved)
    assert saved.name == "Propreté siège"
    response = client.post(f"/acheteur/recherches/{saved.id}/supprimer", data={"csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalars(select(SavedSearch)).all() == []


def test_bad_input_keeps_what_was_typed(app, client, auth, buyer):
    auth.login_as(buyer)
    response = save(client, name="   ")
    assert response.status_code == 400
    assert "Donnez un nom à cette recherche." in response.get_data(as_text=True)
    response = save(client, name="Vide", criteria="type=siae")
    assert response.status_code == 400
    assert "Saisissez des mots à chercher" in response.get_data(as_text=True)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/acheteur/recherches", data={"name": "Sans jeton", "criteria": "q=x"})
    assert response.status_code == 400
    assert db.session.scalars(select(SavedSearch)).all() == []


@pytest.mark.parametrize("same_organisation", [True, False])
def test_only_the_owner_sees_and_changes_a_saved_search(client, auth, buyer, make_user, same_organisation):
    auth.login_as(buyer)
    save(client, name="Secret")
    saved = db.session.scalars(select(SavedSearch)).one()
    auth.logout()
    other = (make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation) if same_organisation
             else make_user(Role.BUYER))
    auth.login_as(other)
    assert "Lancer « Secret »" not in client.get("/acheteur/fournisseurs").get_data(as_text=True)
    token = csrf(client)
    assert client.post(f"/acheteur/recherches/{saved.id}/renommer",
                       data={"csrf_token": token, f"r{saved.id}-name": "Volé"}).status_code == 404
    assert client.post(f"/acheteur/recherches/{saved.id}/supprimer", data={"csrf_token": token}).status_code == 404
    for bad in ("abc", "0", "9" * 30):
        assert client.post(f"/acheteur/recherches/{bad}/supprimer", data={"csrf_token": token}).status_code == 404
    db.session.refresh(saved)
    assert saved.name == "Secret"


def test_a_new_matching_supplier_alerts_the_owner_once(client, auth, buyer, make_user, make_supplier):
    auth.login_as(buyer)
    save(client, name="Ménage", criteria="q=nettoyage&type=siae")
    saved = db.session.scalars(select(SavedSearch)).one()
    colleague = make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation)
    # A matching company appears: one alert for the owner, none for the colleague.
    siae = make_supplier(name="Insertion Net", structure_type=StructureType.SIAE, offers=(CLEANING,))
    assert saved_searches.check_saved_searches(siae.id) == 1
    assert [n.title for n in alerts(buyer)] == ["Nouveau fournisseur pour « Ménage » : Insertion Net"]
    assert alerts(buyer)[0].link == f"/acheteur/fournisseurs/{siae.id}"
    assert alerts(colleague) == []
    # Checked again (its offers change): no second alert.
    assert saved_searches.check_saved_searches(siae.id) == 0
    assert len(alerts(buyer)) == 1
    # A company that does not match (not an SIAE; or an SIAE of another trade): no alert.
    plain = make_supplier(name="Net SARL", offers=(CLEANING,))
    painter = make_supplier(name="Peinture SIAE", structure_type=StructureType.SIAE,
                            offers=({"title": "Peinture", "keywords": ["peinture"]},))
    assert saved_searches.check_saved_searches(plain.id) == 0
    assert saved_searches.check_saved_searches(painter.id) == 0
    assert saved_searches.check_saved_searches(10**9) == 0
    assert len(alerts(buyer)) == 1
    hits = db.session.scalars(select(SavedSearchHit).where(SavedSearchHit.notified.is_(True))).all()
    assert [(h.saved_search_id, h.company_id) for h in hits] == [(saved.id, siae.id)]


def test_results_at_save_time_are_not_new(client, auth, make_user, make_supplier):
    old = make_supplier(name="Déjà Là", structure_type=StructureType.SIAE, offers=(CLEANING,))
    buyer = make_user(Role.BUYER)
    auth.login_as(buyer)
    save(client, name="Ménage", criteria="q=nettoyage")
    assert saved_searches.check_saved_searches(old.id) == 0
    assert alerts(buyer) == []


def test_saving_a_company_or_an_offer_runs_the_check(client, auth, buyer, make_user):
    auth.login_as(buyer)
    save(client, name="Traiteurs", criteria="q=traiteur")
    owner = make_user(Role.SUPPLIER)
    company = supplier_services.update_profile(None, {"name": "Saveurs du Monde", "siret": "73282932000074",
                                                      "structure_type": "association",
                                                      "description": "Cuisine du monde"}, actor=owner)
    assert alerts(buyer) == []
    supplier_services.create_offer(company, {"title": "Traiteur pour vos événements",
                                             "description": "Buffets et repas", "keywords": "traiteur",
                                             "cpv_codes": "55520000-1"})
    assert [n.title for n in alerts(buyer)] == ["Nouveau fournisseur pour « Traiteurs » : Saveurs du Monde"]
    offer = db.session.get(SupplierCompany, company.id).offers[0]
    supplier_services.update_offer(offer, {"title": "Traiteur bio", "description": "Buffets",
                                           "keywords": "traiteur", "cpv_codes": "55520000-1"})
    assert len(alerts(buyer)) == 1


def test_a_queue_outage_never_breaks_the_supplier_save(monkeypatch, client, auth, buyer, make_user):
    auth.login_as(buyer)
    save(client, name="Traiteurs", criteria="q=traiteur")

    def boom(kind, payload=None, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(saved_searches, "enqueue", boom)
    owner = make_user(Role.SUPPLIER)
    company = supplier_services.update_profile(None, {"name": "Résiliente", "siret": "73282932000074",
                                                      "structure_type": "association",
                                                      "description": "Traiteur"}, actor=owner)
    assert db.session.get(SupplierCompany, company.id).name == "Résiliente"
    assert alerts(buyer) == []


def test_the_save_only_enqueues_the_alert_job(monkeypatch, make_user):
    queued = []
    monkeypatch.setattr(saved_searches, "enqueue", lambda kind, payload=None, **kw: queued.append((kind, payload)))
    monkeypatch.setattr(saved_searches, "check_saved_searches", lambda company_id: pytest.fail("ran in request"))
    company = supplier_services.update_profile(None, {"name": "Rapide", "siret": "73282932000074",
                                                      "structure_type": "association",
                                                      "description": "Traiteur"}, actor=make_user(Role.SUPPLIER))
    assert queued == [("buyers.saved_search_alerts", {"company_id": company.id})]


def test_every_saved_search_is_checked_in_batches(monkeypatch, client, auth, make_user, make_supplier):
    monkeypatch.setattr(saved_searches, "BATCH_SIZE", 2)
    owners = [make_user(Role.BUYER) for _ in range(5)]
    for number, owner in enumerate(owners):
        db.session.add(SavedSearch(user_id=owner.id, name=f"R{number}", criteria={"q": "nettoyage"}))
    db.session.commit()
    company = make_supplier(name="Nouvelle Propreté", offers=(CLEANING,))
    assert saved_searches.check_saved_searches(company.id) == 5
    assert all(len(alerts(owner)) == 1 for owner in owners)


def test_a_duplicate_alert_does_not_undo_the_others(monkeypatch, make_user, make_supplier):
    first, second = make_user(Role.BUYER), make_user(Role.BUYER)
    one = SavedSearch(user_id=first.id, name="Un", criteria={"q": "nettoyage"})
    two = SavedSearch(user_id=second.id, name="Deux", criteria={"q": "nettoyage"})
    db.session.add_all([one, two])
    db.session.commit()
    company = make_supplier(name="Propreté Concurrente", offers=(CLEANING,))
    # The pair (one, company) is recorded by a concurrent run after this run read what was already sent.
    db.session.add(SavedSearchHit(saved_search_id=one.id, company_id=company.id, notified=True))
    db.session.commit()
    monkeypatch.setattr(saved_searches, "_already_alerted", lambda company_id: set())
    assert saved_searches.check_saved_searches(company.id) == 1
    assert alerts(first) == []
    assert [n.title for n in alerts(second)] == ["Nouveau fournisseur pour « Deux » : Propreté Concurrente"]
    pairs = db.session.execute(select(SavedSearchHit.saved_search_id, SavedSearchHit.company_id)).all()
    assert sorted(pairs) == sorted([(one.id, company.id), (two.id, company.id)])


def test_a_qpv_claim_and_its_verification_queue_the_alert(monkeypatch, make_supplier, make_user):
    from marketplace.admin import services as admin_services

    queued = []
    monkeypatch.setattr(saved_searches, "enqueue", lambda kind, payload=None, **kw: queued.append(payload))
    company = make_supplier(name="Quartier Net", offers=(CLEANING,))
    company.qpv_status, company.qpv_code = supplier_services.QpvStatus.DECLARED, None
    db.session.commit()
    queued.clear()
    monkeypatch.setattr(admin_services, "needs_qpv_choice", lambda company: False)
    admin_services.verify(company, actor=make_user(Role.ADMIN))
    assert queued == [{"company_id": company.id}]
    queued.clear()
    monkeypatch.setattr(supplier_services, "eligibility", lambda company: SimpleNamespace(commune=object()))
    supplier_services.submit_eligibility(company, "aucun", actor=make_user(Role.SUPPLIER))
    assert queued == [{"company_id": company.id}]


def test_too_many_criteria_fields_is_a_french_error(client, auth, buyer):
    auth.login_as(buyer)
    criteria = "&".join(f"q{n}=x" for n in range(250))
    response = save(client, criteria=criteria)
    assert response.status_code == 400
    assert "trop de critères" in response.get_data(as_text=True)
    assert db.session.scalars(select(SavedSearch)).all() == []
