"""The messaging pages: start from either side, reply, unread counters, escaping, limits, 404s and 403s."""

import re

import pytest
from sqlalchemy import func, select

from marketplace.conversations import services
from marketplace.extensions import db
from marketplace.models import MESSAGE_MAX, ConversationMessage, ConversationThread, Role

pytestmark = pytest.mark.usefixtures("fresh_engine")


def _header_messages(html: str) -> str:
    """The header's "Messages" link, whitespace collapsed."""
    match = re.search(r'<a href="/messages/" class="messages-link">(.*?)</a>', html, re.S)
    assert match, "no Messages link in the header"
    return " ".join(match.group(1).split())


def _thread_id(response) -> int:
    return int(re.search(r"/messages/(\d+)", response.headers["Location"]).group(1))


def test_entrepreneur_writes_from_the_tender_page_and_the_buyer_answers(client, auth, world):
    auth.login_as(world.owner)
    tender_page = client.get(f"/entrepreneur/appels-d-offres/{world.tender.id}").get_data(as_text=True)
    assert f'href="/messages/nouveau/appel-d-offres/{world.tender.id}"' in tender_page
    assert "Écrire à l'acheteur" in tender_page
    form = client.get(f"/messages/nouveau/appel-d-offres/{world.tender.id}")
    assert form.status_code == 200
    assert "Pour l'entreprise <strong>Net Horizon</strong>" in form.get_data(as_text=True)
    sent = client.post(f"/messages/nouveau/appel-d-offres/{world.tender.id}",
                       data={"company_id": world.company.id, "body": "Le <b>lot</b> inclut-il les vitres ?"})
    assert sent.status_code == 302
    thread_id = _thread_id(sent)
    # Once a thread exists, the tender page links to it and "Écrire" leads there too.
    assert f'href="/messages/{thread_id}"' in client.get(
        f"/entrepreneur/appels-d-offres/{world.tender.id}").get_data(as_text=True)
    again = client.get(f"/messages/nouveau/appel-d-offres/{world.tender.id}")
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/messages/{thread_id}")
    auth.logout()

    auth.login_as(world.colleague)
    dashboard = client.get("/acheteur/").get_data(as_text=True)
    assert _header_messages(dashboard) == (
        'Messages <mark aria-hidden="true">1</mark><span class="visually-hidden">(1 non lu(s))</span>')
    inbox = client.get("/messages/").get_data(as_text=True)
    assert "Net Horizon" in inbox
    assert "Nettoyage des écoles" in inbox
    assert "1 message non lu." in inbox
    page = client.get(f"/messages/{thread_id}").get_data(as_text=True)
    assert "Le &lt;b&gt;lot&lt;/b&gt; inclut-il les vitres ?" in page
    assert "<b>lot</b>" not in page
    assert "Nouveau" in page
    assert _header_messages(page) == "Messages"  # read on opening
    answered = client.post(f"/messages/{thread_id}", data={"body": "Oui, vitres comprises."})
    assert answered.status_code == 302
    assert client.get(answered.headers["Location"]).status_code == 200
    auth.logout()

    auth.login_as(world.member)  # a member of the company has their own unread count
    assert "1 non lu" in _header_messages(client.get("/entrepreneur/").get_data(as_text=True))
    assert "Oui, vitres comprises." in client.get(f"/messages/{thread_id}").get_data(as_text=True)
    assert _header_messages(client.get("/messages/").get_data(as_text=True)) == "Messages"


def test_an_entrepreneur_with_two_companies_chooses_which_one_writes(client, auth, world, make_supplier):
    second = make_supplier(owner=world.owner, name="Deuxième Boîte")
    auth.login_as(world.owner)
    form = client.get(f"/messages/nouveau/appel-d-offres/{world.tender.id}").get_data(as_text=True)
    assert re.search(r'<select [^>]*id="company_id" name="company_id"', form)
    sent = client.post(f"/messages/nouveau/appel-d-offres/{world.tender.id}",
                       data={"company_id": second.id, "body": "Bonjour"})
    thread = db.session.get(ConversationThread, _thread_id(sent))
    assert thread.supplier_company_id == second.id
    refused = client.post(f"/messages/nouveau/appel-d-offres/{world.tender.id}",
                          data={"company_id": world.other_company.id, "body": "Pas la mienne"})
    assert refused.status_code == 404


def test_the_buyer_answers_an_interest_and_writes_from_the_supplier_sheet(client, auth, world):
    from marketplace.opportunities.services import express_interest

    express_interest(world.owner, world.tender.id, world.company.id, message="Intéressés !")
    auth.login_as(world.buyer)
    detail = client.get(f"/acheteur/appels-d-offres/{world.tender.id}").get_data(as_text=True)
    reply_link = f"/messages/nouveau/entreprise/{world.company.id}?appel={world.tender.id}"
    assert f'href="{reply_link}"' in detail
    assert "Répondre<span class=\"visually-hidden\"> à Net Horizon</span>" in detail
    form = client.get(reply_link).get_data(as_text=True)
    assert f'<option selected value="{world.tender.id}">' in form
    assert "Brouillon secret" not in form
    assert "Espaces verts" not in form
    sent = client.post(f"/messages/nouveau/entreprise/{world.company.id}",
                       data={"tender_id": world.tender.id, "body": "Merci, parlons-en."})
    assert sent.status_code == 302
    thread_id = _thread_id(sent)
    assert client.get(reply_link).headers["Location"].endswith(f"/messages/{thread_id}")
    # The supplier sheet offers the same door (any of the organisation's tenders).
    sheet = client.get(f"/acheteur/fournisseurs/{world.company.id}").get_data(as_text=True)
    assert f'href="/messages/nouveau/entreprise/{world.company.id}"' in sheet
    # No tender chosen, a draft, another organisation's tender: refused on the field, the text kept.
    for tender_id in ("", world.draft.id, world.foreign_tender.id):
        refused = client.post(f"/messages/nouveau/entreprise/{world.company.id}",
                              data={"tender_id": tender_id, "body": "Texte gardé"})
        assert refused.status_code == 422
        html = refused.get_data(as_text=True)
        assert "Texte gardé</textarea>" in html
        assert 'id="tender_id-erreur"' in html
    assert client.get("/messages/nouveau/entreprise/999999").status_code == 404


def test_too_long_and_blank_messages_are_explained_and_the_text_kept(client, auth, world):
    thread_id = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Question").thread_id
    auth.login_as(world.buyer)
    long_text = "Très long. " * 400
    refused = client.post(f"/messages/{thread_id}", data={"body": long_text})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "au plus) : raccourcissez-le" in html
    assert f"{MESSAGE_MAX} au plus" in html
    assert long_text.strip() in html
    assert 'aria-invalid="true"' in html
    blank = client.post(f"/messages/{thread_id}", data={"body": "   "})
    assert blank.status_code == 422
    assert "Écrivez votre message avant de l&#39;envoyer." in blank.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ConversationMessage.id))) == 1


def test_other_organisations_and_companies_get_404(client, auth, world):
    thread_id = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Question").thread_id
    for outsider in (world.stranger, world.rival):
        auth.login_as(outsider)
        assert client.get(f"/messages/{thread_id}").status_code == 404
        assert client.post(f"/messages/{thread_id}", data={"body": "Intrus"}).status_code == 404
        assert "Question" not in client.get("/messages/").get_data(as_text=True)
        auth.logout()
    assert db.session.scalar(select(func.count(ConversationMessage.id))) == 1


def test_an_entrepreneur_cannot_start_on_a_draft_or_unknown_tender(client, auth, world):
    auth.login_as(world.owner)
    assert client.get(f"/messages/nouveau/appel-d-offres/{world.draft.id}").status_code == 404
    assert client.post(f"/messages/nouveau/appel-d-offres/{world.draft.id}",
                       data={"company_id": world.company.id, "body": "Bonjour"}).status_code == 404
    assert client.get("/messages/nouveau/appel-d-offres/999999").status_code == 404
    assert db.session.scalar(select(func.count(ConversationThread.id))) == 0


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.ADMIN])
def test_organisers_and_admins_are_refused(client, auth, world, make_user, role):
    thread_id = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Question").thread_id
    auth.login_as(make_user(role))
    for path in (f"/messages/{thread_id}", f"/messages/nouveau/appel-d-offres/{world.tender.id}",
                 f"/messages/nouveau/entreprise/{world.company.id}"):
        assert client.get(path).status_code == 403
    assert 'class="messages-link"' not in client.get("/").get_data(as_text=True)


def test_each_side_starts_only_from_its_own_pages(client, auth, world):
    auth.login_as(world.buyer)
    assert client.get(f"/messages/nouveau/appel-d-offres/{world.tender.id}").status_code == 403
    auth.logout()
    auth.login_as(world.owner)
    assert client.get(f"/messages/nouveau/entreprise/{world.company.id}").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    thread_id = services.start_as_supplier(world.owner, world.tender.id, world.company.id, "Question").thread_id
    for path in ("/messages/", f"/messages/{thread_id}"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/compte/connexion" in response.headers["Location"]


def test_empty_inbox_explains_conversations(client, auth, world):
    auth.login_as(world.owner)
    html = client.get("/messages/").get_data(as_text=True)
    assert "Aucun message pour l'instant." in html
    assert "Une conversation réunit votre entreprise et l'acheteur" in html
    auth.logout()
    auth.login_as(world.stranger)
    assert "Une conversation réunit votre organisation et une entreprise" in client.get("/messages/").get_data(
        as_text=True)


def test_the_inbox_is_paginated(app, client, auth, world, make_supplier):
    app.config["ITEMS_PER_PAGE"] = 2
    for n in range(3):
        company = make_supplier(name=f"Société {n}")
        services.start_as_buyer(world.buyer, world.tender.id, company.id, f"Message {n}")
    auth.login_as(world.buyer)
    first = client.get("/messages/").get_data(as_text=True)
    assert "Société 2" in first
    assert "Société 1" in first
    assert "Société 0" not in first
    assert 'href="/messages/?page=2"' in first
    assert "Société 0" in client.get("/messages/?page=2").get_data(as_text=True)
    assert client.get("/messages/?page=abc").status_code == 200


def test_a_closed_tender_is_readable_after_a_thread(client, auth, world):
    from marketplace.models import TenderStatus

    services.start_as_buyer(world.buyer, world.tender.id, world.company.id, "Avant la clôture")
    world.tender.status = TenderStatus.CLOSED
    db.session.commit()
    auth.login_as(world.member)
    assert client.get(f"/entrepreneur/appels-d-offres/{world.tender.id}").status_code == 200
    auth.logout()
    auth.login_as(world.rival)
    assert client.get(f"/entrepreneur/appels-d-offres/{world.tender.id}").status_code == 404


def test_interest_to_answer_to_notification_end_to_end(client, auth, world):
    """The entrepreneur says "Je suis intéressé", the buyer sees it, answers from the tender page, and every
    person of the company is notified in the app and by an e-mail waiting in the outbox."""
    from marketplace.models import Notification, NotificationKind, OutboxEmail

    auth.login_as(world.owner)
    said = client.post(f"/entrepreneur/appels-d-offres/{world.tender.id}/interet",
                       data={"company_id": world.company.id, "message": "Nous intervenons déjà au 93."})
    assert said.status_code == 302
    auth.logout()

    auth.login_as(world.buyer)
    detail = client.get(f"/acheteur/appels-d-offres/{world.tender.id}").get_data(as_text=True)
    assert "Net Horizon" in detail
    assert "Nous intervenons déjà au 93." in detail
    reply_link = f"/messages/nouveau/entreprise/{world.company.id}?appel={world.tender.id}"
    assert f'href="{reply_link}"' in detail
    answered = client.post(f"/messages/nouveau/entreprise/{world.company.id}",
                           data={"tender_id": world.tender.id, "body": "Pouvez-vous visiter le site lundi ?"})
    assert answered.status_code == 302
    auth.logout()

    for person in (world.owner, world.member):
        notified = db.session.scalars(select(Notification).where(
            Notification.user_id == person.id, Notification.kind == NotificationKind.MESSAGE_RECEIVED)).all()
        assert len(notified) == 1
        assert db.session.scalar(select(func.count(OutboxEmail.id)).where(
            OutboxEmail.user_id == person.id, OutboxEmail.kind == str(NotificationKind.MESSAGE_RECEIVED))) == 1
    auth.login_as(world.owner)
    listing = client.get("/notifications/").get_data(as_text=True)
    assert f"Nouveau message de {world.buyer.buyer_organisation.name} : « Nettoyage des écoles »" in listing
    thread_id = _thread_id(answered)
    assert "Pouvez-vous visiter le site lundi ?" in client.get(f"/messages/{thread_id}").get_data(as_text=True)
