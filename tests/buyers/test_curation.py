"""Shortlist curation: status and private note per organisation, dismissed lines, paging, automatic steps,
"Inviter à répondre", access rules and bad input."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from marketplace.buyers import curation
from marketplace.conversations import services as conversations
from marketplace.extensions import db
from marketplace.models import (
    ConversationMessage,
    ConversationThread,
    CurationStatus,
    Notification,
    NotificationKind,
    QpvStatus,
    Role,
    SupplierCuration,
    TenderStatus,
)
from marketplace.opportunities import services as opportunities

pytestmark = pytest.mark.usefixtures("fresh_engine")

CLEANING = {"title": "Nettoyage de bureaux", "description": "Entretien et vitrerie des bureaux",
            "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "bureaux"], "departments": ["93"]}


@pytest.fixture
def market(make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    colleague = make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation)
    cleaner = make_supplier(name="Net Horizon", qpv_status=QpvStatus.VERIFIED, qpv_code="QN09328M",
                            offers=(CLEANING,))
    other = make_supplier(name="Propre Et Net", offers=(CLEANING,))
    tender = make_tender(buyer=buyer, title="Nettoyage des bureaux du siège", cpv_codes=["90910000-9"],
                         description="Nettoyage et vitrerie des bureaux", deadline=date(2099, 1, 1),
                         lots=({"title": "Vitrerie", "cpv_codes": ["90911300-9"]},))
    return {"buyer": buyer, "colleague": colleague, "cleaner": cleaner, "other": other, "tender": tender}


def url(tender, suffix=""):
    return f"/acheteur/appels-d-offres/{tender.id}/fournisseurs{suffix}"


def csrf(html: str, prefix: str) -> str:
    return re.search(rf'name="{prefix}-csrf_token"[^>]* value="([^"]+)"',
                     html).group(1)


def save(client, tender, company, status, note="", lot=""):
    page = client.get(url(tender, f"?lot={lot}" if lot else "") + ("&" if lot else "?") + "ecartes=1")
    token = csrf(page.get_data(as_text=True), f"c{company.id}")
    return client.post(url(tender, f"/{company.id}/suivi"), data={
        f"c{company.id}-csrf_token": token, f"c{company.id}-status": status, f"c{company.id}-note": note,
        f"c{company.id}-lot": lot, f"c{company.id}-page": "1"})


def row(market, company, lot_key=0):
    return db.session.scalar(select(SupplierCuration).where(
        SupplierCuration.tender_id == market["tender"].id, SupplierCuration.company_id == company.id,
        SupplierCuration.lot_key == lot_key).execution_options(populate_existing=True))


def test_a_saved_follow_up_is_seen_by_a_colleague(app, client, auth, market):
    auth.login_as(market["buyer"])
    app.config["WTF_CSRF_ENABLED"] = True  # the real token of the line's form
    cleaner = market["cleaner"]
    answer = save(client, market["tender"], cleaner, "contacted", "Appelée le 3 : devis attendu")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"#suivi-{cleaner.id}")
    saved = row(market, cleaner)
    assert saved.status is CurationStatus.CONTACTED
    assert saved.note == "Appelée le 3 : devis attendu"
    assert saved.updated_by_id == market["buyer"].id
    auth.logout()
    auth.login_as(market["colleague"])
    html = client.get(url(market["tender"])).get_data(as_text=True)
    assert "Appelée le 3 : devis attendu" in html
    assert "Contacté" in html
    assert f"Mis à jour par {market['buyer'].full_name}" in html


def test_the_whole_tender_and_each_lot_have_their_own_follow_up(client, auth, market):
    auth.login_as(market["buyer"])
    lot = market["tender"].lots[0]
    curation.save(market["buyer"], market["tender"].id, market["cleaner"].id, lot_id=lot.id, status="kept",
                  note="Pour la vitrerie")
    assert row(market, market["cleaner"], lot.id).status is CurationStatus.KEPT
    assert row(market, market["cleaner"]) is None
    assert "Pour la vitrerie" in client.get(url(market["tender"], f"?lot={lot.id}")).get_data(as_text=True)
    assert "Pour la vitrerie" not in client.get(url(market["tender"])).get_data(as_text=True)


def test_another_organisation_sees_nothing_and_changes_nothing(client, auth, make_user, market):
    curation.save(market["buyer"], market["tender"].id, market["cleaner"].id, lot_id=None, status="kept",
                  note="Très bon contact")
    stranger = make_user(Role.BUYER)
    auth.login_as(stranger)
    tender, cleaner = market["tender"], market["cleaner"]
    assert client.get(url(tender)).status_code == 404
    assert client.post(url(tender, f"/{cleaner.id}/suivi"), data={f"c{cleaner.id}-status": "dismissed"}
                       ).status_code == 404
    assert client.post(url(tender, f"/{cleaner.id}/inviter")).status_code == 404
    assert client.get(url(tender, ".csv")).status_code == 404
    assert client.get(url(tender, ".xlsx")).status_code == 404
    assert row(market, cleaner).status is CurationStatus.KEPT
    # Its own tender on the same subject shows none of the first organisation's notes.
    own = market["tender"].__class__(buyer_organisation=stranger.buyer_organisation, created_by=stranger,
                                     title="Nettoyage des bureaux", status=TenderStatus.PUBLISHED,
                                     cpv_codes=["90910000-9"])
    db.session.add(own)
    db.session.commit()
    assert "Très bon contact" not in client.get(url(own)).get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.SUPPLIER, Role.ORGANISER, Role.ADMIN])
@pytest.mark.parametrize("suffix", ["/{cid}/suivi", "/{cid}/inviter"])
def test_other_roles_are_refused(client, auth, make_user, market, role, suffix):
    auth.login_as(make_user(role))
    assert client.post(url(market["tender"], suffix.format(cid=market["cleaner"].id))).status_code == 403


def test_dismissed_lines_are_hidden_and_shown_on_demand(client, auth, market):
    auth.login_as(market["buyer"])
    curation.save(market["buyer"], market["tender"].id, market["other"].id, lot_id=None, status="dismissed",
                  note="Hors zone")
    html = client.get(url(market["tender"])).get_data(as_text=True)
    assert "Propre Et Net" not in html
    assert "Net Horizon" in html
    assert "Afficher les fournisseurs écartés (1)" in html
    shown = client.get(url(market["tender"], "?ecartes=1")).get_data(as_text=True)
    assert "Propre Et Net" in shown
    assert "Hors zone" in shown
    assert "Masquer les fournisseurs écartés (1)" in shown


def test_more_than_ten_suppliers_are_paged(client, auth, market, make_supplier):
    for n in range(12):
        make_supplier(name=f"Brillance {n:02d}", offers=(CLEANING,))
    auth.login_as(market["buyer"])
    first = client.get(url(market["tender"])).get_data(as_text=True)
    second = client.get(url(market["tender"], "?page=2")).get_data(as_text=True)
    assert first.count('class="ranked-supplier"') == 10
    assert second.count('class="ranked-supplier"') == 4
    assert "14 entreprises listées" in first
    assert "Page 1 sur 2" in first
    assert "Page 2 sur 2" in second
    # Ranks go on across pages, and no company is on both pages.
    assert '<span class="rank">11.</span>' in second
    names = set(re.findall(r">(Brillance \d\d|Net Horizon|Propre Et Net)</a>", first))
    assert not names & set(re.findall(r">(Brillance \d\d|Net Horizon|Propre Et Net)</a>", second))
    assert client.get(url(market["tender"], "?page=abc")).status_code == 200
    assert client.get(url(market["tender"], "?page=999")).status_code == 200


def test_interest_marks_the_line_answered(market):
    tender, cleaner = market["tender"], market["cleaner"]
    curation.save(market["buyer"], tender.id, cleaner.id, lot_id=None, status="invited", note="")
    opportunities.express_interest(cleaner.owner, tender.id, cleaner.id, on=date(2026, 1, 1))
    assert row(market, cleaner).status is CurationStatus.ANSWERED
    assert row(market, cleaner, tender.lots[0].id).status is CurationStatus.ANSWERED
    assert row(market, cleaner).note == ""


def test_an_automatic_step_never_overrides_a_decision(market):
    tender, cleaner = market["tender"], market["cleaner"]
    curation.save(market["buyer"], tender.id, cleaner.id, lot_id=None, status="dismissed", note="Non")
    opportunities.express_interest(cleaner.owner, tender.id, cleaner.id, on=date(2026, 1, 1))
    assert row(market, cleaner).status is CurationStatus.DISMISSED


def test_buyer_first_message_marks_contacted_and_the_answer_marks_answered(market):
    tender, cleaner = market["tender"], market["cleaner"]
    conversations.start_as_buyer(market["buyer"], tender.id, cleaner.id, "Bonjour, êtes-vous disponibles ?")
    assert row(market, cleaner).status is CurationStatus.CONTACTED
    thread = conversations.existing_thread(tender.id, cleaner.id, market["buyer"])
    conversations.reply(cleaner.owner, thread.id, "Oui, volontiers.")
    assert row(market, cleaner).status is CurationStatus.ANSWERED
    conversations.reply(market["colleague"], thread.id, "Merci !")
    assert row(market, cleaner).status is CurationStatus.ANSWERED


def test_a_company_writing_first_is_answered(market):
    tender, other = market["tender"], market["other"]
    conversations.start_as_supplier(other.owner, tender.id, other.id, "Nous sommes intéressés.")
    assert row(market, other).status is CurationStatus.ANSWERED


def test_invite_opens_the_thread_notifies_and_sets_invited(app, client, auth, market):
    auth.login_as(market["buyer"])
    app.config["WTF_CSRF_ENABLED"] = True  # the real token of the line's invitation form
    tender, cleaner = market["tender"], market["cleaner"]
    token = csrf(client.get(url(tender)).get_data(as_text=True), f"i{cleaner.id}")
    answer = client.post(url(tender, f"/{cleaner.id}/inviter"), data={f"i{cleaner.id}-csrf_token": token,
                                                                     f"i{cleaner.id}-page": "1"})
    assert answer.status_code == 302
    thread = db.session.scalar(select(ConversationThread).where(ConversationThread.tender_id == tender.id,
                                                                ConversationThread.supplier_company_id == cleaner.id))
    message = db.session.scalar(select(ConversationMessage).where(ConversationMessage.thread_id == thread.id))
    assert "vous invite à répondre" in message.body
    assert tender.title in message.body
    told = db.session.scalars(select(Notification).where(Notification.user_id == cleaner.owner.id)).all()
    assert [n.kind for n in told] == [NotificationKind.MESSAGE_RECEIVED]
    assert row(market, cleaner).status is CurationStatus.INVITED
    assert "Invitation envoyée à Net Horizon" in client.get(url(tender)).get_data(as_text=True)


def test_a_draft_cannot_be_invited_to(client, auth, market, make_tender):
    draft = make_tender(buyer=market["buyer"], status=TenderStatus.DRAFT, title="Nettoyage des bureaux",
                        cpv_codes=["90910000-9"])
    auth.login_as(market["buyer"])
    html = client.get(url(draft)).get_data(as_text=True)
    assert "Inviter à répondre" not in html
    client.post(url(draft, f"/{market['cleaner'].id}/inviter"))
    assert "Seul un appel d&#39;offres publié ou clos" in client.get(url(draft)).get_data(as_text=True)
    assert db.session.scalar(select(ConversationThread.id)) is None


def test_an_awarded_tender_cannot_be_invited_to(market):
    tender = market["tender"]
    tender.status = TenderStatus.AWARDED
    db.session.commit()
    with pytest.raises(curation.ServiceError, match="publié ou clos"):
        curation.invite(market["buyer"], tender.id, market["cleaner"].id)
    assert db.session.scalar(select(ConversationThread.id)) is None


def test_a_company_outside_the_shortlist_is_404(client, auth, market, make_supplier):
    stranger = make_supplier(name="Boulangerie Loin", offers=({"title": "Pain", "keywords": ["pain"]},))
    auth.login_as(market["buyer"])
    tender = market["tender"]
    assert client.post(url(tender, f"/{stranger.id}/suivi"), data={
        f"c{stranger.id}-status": "kept", f"c{stranger.id}-lot": ""}).status_code == 404
    assert client.post(url(tender, f"/{stranger.id}/inviter")).status_code == 404
    assert db.session.scalar(select(SupplierCuration.id)) is None
    assert db.session.scalar(select(ConversationThread.id)) is None
    # Once it showed interest, the buyer may follow it.
    opportunities.express_interest(stranger.owner, tender.id, stranger.id, on=date(2026, 1, 1))
    curation.save(market["buyer"], tender.id, stranger.id, lot_id=None, status="kept", note="Vu au salon")
    assert row(market, stranger).note == "Vu au salon"


@pytest.mark.parametrize(("status", "note", "message"), [
    ("winner", "", "Choisissez un statut de suivi dans la liste."),
    ("kept", "x" * 2001, "La note est trop longue (2001 caractères, 2000 au plus)"),
])
def test_bad_input_is_refused_in_french_and_kept(client, auth, market, status, note, message):
    auth.login_as(market["buyer"])
    cleaner = market["cleaner"]
    answer = client.post(url(market["tender"], f"/{cleaner.id}/suivi"),
                         data={f"c{cleaner.id}-status": status, f"c{cleaner.id}-note": note or "Gardée"})
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert message in html
    assert (note or "Gardée") in html
    assert 'aria-invalid="true"' in html
    assert row(market, cleaner) is None


@pytest.mark.parametrize("suffix", [
    "/abc/suivi", "/99999999999999999999999/suivi", "/0/suivi", "/²/inviter", "/999999/suivi", "/999999/inviter",
])
def test_malformed_or_unknown_company_ids_are_404(client, auth, market, suffix):
    auth.login_as(market["buyer"])
    assert client.post(url(market["tender"], suffix)).status_code == 404


@pytest.mark.parametrize("query", ["?lot=abc", "?lot=99999999999999999999999", "?page=-3&ecartes=x&qpv=2"])
def test_malformed_page_arguments_fall_back(client, auth, market, query):
    auth.login_as(market["buyer"])
    assert client.get(url(market["tender"], query)).status_code == 200


def test_another_tenders_lot_is_404(client, auth, market, make_tender):
    other = make_tender(buyer=market["buyer"], lots=({"title": "Autre"},))
    auth.login_as(market["buyer"])
    assert client.get(url(market["tender"], f"?lot={other.lots[0].id}")).status_code == 404
    cleaner = market["cleaner"]
    assert client.post(url(market["tender"], f"/{cleaner.id}/suivi"), data={
        f"c{cleaner.id}-status": "kept", f"c{cleaner.id}-lot": str(other.lots[0].id)}).status_code == 404


@pytest.mark.parametrize("suffix", ["", ".csv", ".xlsx"])
def test_a_huge_tender_id_is_404(client, auth, market, suffix):
    auth.login_as(market["buyer"])
    assert client.get(f"/acheteur/appels-d-offres/{'9' * 23}/fournisseurs{suffix}").status_code == 404
