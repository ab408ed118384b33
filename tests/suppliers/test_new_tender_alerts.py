"""New-tender alerts: publishing a tender notifies the people of the companies it fits (opportunities/alerts.py)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.buyers import services as buyers
from marketplace.extensions import db
from marketplace.models import (
    CompanyMember,
    Notification,
    NotificationKind,
    OutboxEmail,
    Role,
    TenderStatus,
)
from marketplace.opportunities import alerts
from marketplace.validators import ServiceError

pytestmark = pytest.mark.usefixtures("fresh_engine")

DEADLINE = date.today() + timedelta(days=30)
CLEANING = {"title": "Nettoyage de bureaux", "description": "Entretien des locaux, vitrerie, sanitaires",
            "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "vitrerie"], "departments": ["93"]}
CATERING = {"title": "Traiteur", "description": "Buffets, cocktails et plateaux repas",
            "cpv_codes": ["55520000-1"], "keywords": ["traiteur", "buffet"], "departments": ["93"]}


@pytest.fixture
def companies(make_user, make_supplier):
    cleaner_owner, caterer_owner, member = (make_user(Role.SUPPLIER) for _ in range(3))
    cleaner = make_supplier(owner=cleaner_owner, name="Net Horizon", offers=(CLEANING,))
    caterer = make_supplier(owner=caterer_owner, name="Saveurs 93", offers=(CATERING,))
    db.session.add(CompanyMember(company_id=cleaner.id, user_id=member.id))
    db.session.commit()
    return {"cleaner": cleaner, "caterer": caterer, "cleaner_owner": cleaner_owner,
            "caterer_owner": caterer_owner, "member": member}


@pytest.fixture
def draft(make_user, make_tender):
    buyer = make_user(Role.BUYER)
    tender = make_tender(buyer=buyer, status=TenderStatus.DRAFT, title="Nettoyage des bureaux de la mairie",
                         description="Entretien quotidien des bureaux, vitrerie et sanitaires",
                         cpv_codes=["90910000-9"], deadline=DEADLINE,
                         lots=({"title": "Bureaux", "cpv_codes": ["90919200-4"]},
                               {"title": "Vitrerie", "description": "Nettoyage des vitres",
                                "cpv_codes": ["90911300-9"]}))
    return buyer, tender


def alerts_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == NotificationKind.NEW_MATCHING_TENDER)))


def test_publishing_a_cleaning_tender_alerts_the_cleaning_company_and_its_members_only(companies, draft):
    buyer, tender = draft
    buyers.publish(buyer, tender.id)
    for person in (companies["cleaner_owner"], companies["member"]):
        [alert] = alerts_of(person)
        assert alert.title == "Nouvel appel d'offres pour Net Horizon : Nettoyage des bureaux de la mairie"
        assert alert.link == f"/entrepreneur/appels-d-offres/{tender.id}"
        assert f"Date limite de réponse : {DEADLINE:%d/%m/%Y}." in alert.body
        assert f"publié par {buyer.buyer_organisation.name}" in alert.body
        assert alert.emailed_at is None  # weekly digest by default: no e-mail at once
    assert alerts_of(companies["caterer_owner"]) == []
    assert alerts_of(buyer) == []
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == 0


def test_the_alert_names_the_best_lot_when_it_beats_the_whole_tender(companies, make_user, make_tender):
    buyer = make_user(Role.BUYER)
    tender = make_tender(buyer=buyer, status=TenderStatus.DRAFT, title="Fêtes de quartier et entretien",
                         description="Organisation des fêtes de quartier de l'été", cpv_codes=["79952000-2"],
                         deadline=DEADLINE,
                         lots=({"title": "Animation", "cpv_codes": ["92000000-1"]},
                               {"title": "Buffets et plateaux repas", "description": "Traiteur pour les buffets",
                                "cpv_codes": ["55520000-1"]}))
    found = {a.company.id: a for a in alerts.matching_companies(tender, min_score=0.0)}
    assert found[companies["caterer"].id].lot is not None
    assert found[companies["caterer"].id].lot.number == 2
    buyers.publish(buyer, tender.id)
    [alert] = alerts_of(companies["caterer_owner"])
    assert "Le lot 2 (Buffets et plateaux repas) correspond le mieux à Saveurs 93." in alert.body


def test_an_immediate_preference_sends_the_e_mail_in_the_same_transaction(companies, draft):
    from marketplace.models import Frequency
    from marketplace.notifications.services import save_frequencies

    save_frequencies(companies["member"], {NotificationKind.NEW_MATCHING_TENDER: Frequency.IMMEDIATE})
    buyer, tender = draft
    buyers.publish(buyer, tender.id)
    [email] = db.session.scalars(select(OutboxEmail)).all()
    assert email.to_address == companies["member"].email
    assert email.subject.startswith("Nouvel appel d'offres pour Net Horizon")


def test_below_the_threshold_nobody_is_alerted(app, companies, draft):
    buyer, tender = draft
    assert alerts.matching_companies(tender)  # the cleaner fits at the default threshold...
    app.config["NEW_TENDER_ALERT_MIN_SCORE"] = 0.99  # ...but no company scores that high
    buyers.publish(buyer, tender.id)
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_the_default_threshold_is_the_config_key(app):
    assert app.config["NEW_TENDER_ALERT_MIN_SCORE"] == alerts.DEFAULT_MIN_SCORE


def test_the_number_of_companies_is_capped(app, make_supplier, draft):
    for n in range(4):
        make_supplier(name=f"Propreté {n}", offers=(CLEANING,))
    buyer, tender = draft
    assert len(alerts.matching_companies(tender)) == 4
    assert len(alerts.matching_companies(tender, limit=2)) == 2
    app.config["NEW_TENDER_ALERT_MAX_COMPANIES"] = 3
    buyers.publish(buyer, tender.id)
    assert db.session.scalar(select(func.count(Notification.id))) == 3


def test_a_company_without_offer_or_an_inactive_user_is_not_alerted(make_user, make_supplier, draft):
    bare_owner = make_user(Role.SUPPLIER)
    make_supplier(owner=bare_owner, name="Nettoyage Express", description="Nettoyage de bureaux et vitrerie")
    inactive = make_user(Role.SUPPLIER, active=False)
    make_supplier(owner=inactive, name="Propreté Dormante", offers=(CLEANING,))
    buyer, tender = draft
    buyers.publish(buyer, tender.id)
    assert alerts_of(bare_owner) == []
    assert alerts_of(inactive) == []


def test_alerting_again_adds_nothing_and_a_refused_publication_alerts_nobody(companies, draft):
    buyer, tender = draft
    buyers.publish(buyer, tender.id)
    count = db.session.scalar(select(func.count(Notification.id)))
    assert count == 2  # the cleaner's owner and member
    assert alerts.alert_matching_companies(tender) == 0  # a replayed publication
    db.session.commit()
    with pytest.raises(ServiceError):
        buyers.publish(buyer, tender.id)  # already published: refused, nothing more
    assert db.session.scalar(select(func.count(Notification.id))) == count


def test_a_draft_alerts_nobody_and_an_invalid_publication_rolls_the_alerts_back(companies, draft, make_tender):
    buyer, _ = draft
    data = {"title": "Nettoyage des crèches", "description": "Nettoyage quotidien, vitrerie",
            "cpv_codes": ["90910000-9"], "department": "93", "deadline": DEADLINE}
    saved = buyers.create_tender(buyer, data)
    buyers.update_tender(buyer, saved.id, {**data, "title": "Nettoyage des crèches municipales"})
    assert saved.status is TenderStatus.DRAFT
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    late = make_tender(buyer=buyer, status=TenderStatus.DRAFT, title="Nettoyage des écoles",
                       description="Nettoyage", cpv_codes=["90910000-9"], deadline=date.today() - timedelta(days=1))
    with pytest.raises(ServiceError):
        buyers.publish(buyer, late.id)
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_publishing_through_the_web_alerts_the_company(client, auth, companies, draft):
    buyer, tender = draft
    auth.login_as(buyer)
    response = client.post(f"/acheteur/appels-d-offres/{tender.id}/publier")
    assert response.status_code == 302
    assert len(alerts_of(companies["cleaner_owner"])) == 1
    auth.logout()
    auth.login_as(companies["member"])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Nouvel appel d&#39;offres pour Net Horizon" in page
