"""RGPD: the legal pages linked from every footer, and "Télécharger mes données" (a JSON file of one's own data)."""

import json
import re
from datetime import date, timedelta

import pytest

from marketplace.account.services import export_user_data
from marketplace.extensions import db
from marketplace.models import (
    Frequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    OutboxEmail,
    OutboxStatus,
    QpvStatus,
    Role,
    TenderInterest,
    TenderStatus,
    utcnow,
)
from marketplace.suppliers.services import record_status

LEGAL_PAGES = {
    "/mentions-legales": "Mentions légales",
    "/confidentialite": "Politique de confidentialité",
    "/conditions-d-utilisation": "Conditions d'utilisation",
}


def _footer(html: str) -> str:
    return html.split("<footer", 1)[1].split("</footer>", 1)[0]


# --- legal pages -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("start", ["/", "/compte/connexion", "/accessibilite", "/confidentialite"])
def test_every_legal_page_is_linked_from_the_footer_and_open_to_anonymous_visitors(client, start):
    footer = _footer(client.get(start).get_data(as_text=True))
    for path, heading in LEGAL_PAGES.items():
        assert f'href="{path}"' in footer
        page = client.get(path)
        assert page.status_code == 200
        assert re.search(rf"<h1>{re.escape(heading)}</h1>", page.get_data(as_text=True).replace("&#39;", "'"))


def test_signed_in_footer_links_to_the_data_page_and_the_anonymous_one_does_not(client, auth, make_user):
    assert 'href="/compte/mes-donnees"' not in _footer(client.get("/").get_data(as_text=True))
    auth.login_as(make_user(Role.BUYER))
    assert 'href="/compte/mes-donnees"' in _footer(client.get("/").get_data(as_text=True))


def test_the_legal_notice_marks_what_the_association_must_fill_in(client):
    html = client.get("/mentions-legales").get_data(as_text=True).replace("&#39;", "'")
    assert "[Nom de l'association]" in html
    assert "[Nom de l'hébergeur]" in html


def test_the_privacy_page_says_how_to_exercise_rights_here_and_names_the_cnil(client):
    html = client.get("/confidentialite").get_data(as_text=True)
    assert 'href="/compte/mes-donnees"' in html
    assert "Télécharger mes données" in html
    assert "CNIL" in html
    for right in ("Accès", "Rectification", "Effacement", "portabilité"):
        assert right in html


# --- the export service ------------------------------------------------------------------------------------

@pytest.fixture
def two_entrepreneurs(make_user, make_supplier, make_tender):
    """Two entrepreneurs, each with a company, an offer, a QPV history, an interest, a notification, an e-mail."""
    admin = make_user(Role.ADMIN, full_name="Admin Secret")
    tender = make_tender(title="Entretien des espaces verts", budget_cents=1_234_550,
                         deadline=date.today() + timedelta(days=30))
    people = []
    for name in ("Alice", "Bruno"):
        user = make_user(Role.SUPPLIER, full_name=f"{name} Martin", email=f"{name.lower()}@exemple.fr")
        company = make_supplier(owner=user, name=f"{name} Services", annual_revenue_cents=5_000_050,
                                offers=({"title": f"Offre de {name}", "submission_token": f"tok-{name}"},))
        record_status(company, QpvStatus.DECLARED, "QN09301M", method="declaration", actor=user)
        record_status(company, QpvStatus.VERIFIED, "QN09301M", method="admin", actor=admin, reason=f"ok {name}")
        db.session.add_all([
            TenderInterest(tender=tender, company=company, message=f"Message de {name}"),
            Notification(user=user, kind=NotificationKind.QPV_DECISION, title=f"Décision pour {name}"),
            NotificationPreference(user_id=user.id, kind=NotificationKind.NEW_MATCHING_TENDER,
                                   frequency=Frequency.DAILY),
            OutboxEmail(user_id=user.id, to_address=user.email, subject=f"Sujet pour {name}",
                        text_body=f"CORPS TEXTE {name}", html_body=f"CORPS HTML {name}", kind="qpv_decision",
                        unsubscribe_url=f"https://exemple.fr/desinscription/SECRET{name}",
                        status=OutboxStatus.SENT, sent_at=utcnow()),
        ])
        db.session.commit()
        people.append(user)
    return people


def test_the_export_holds_the_users_own_data(two_entrepreneurs):
    alice, _ = two_entrepreneurs
    data = export_user_data(alice)

    assert data["account"]["email"] == "alice@exemple.fr"
    assert data["account"]["full_name"] == "Alice Martin"
    assert data["account"]["role"] == "supplier"
    assert data["account"]["created_at"].endswith("+00:00")
    [company] = data["companies"]
    assert company["name"] == "Alice Services"
    assert company["annual_revenue_eur"] == "50000.50"
    assert company["qpv_status"] == "verified"
    assert [offer["title"] for offer in company["offers"]] == ["Offre de Alice"]
    history = company["qpv_status_history"]
    assert [(h["old_status"], h["new_status"], h["made_by"]) for h in history] == [
        ("unknown", "declared", "you"), ("declared", "verified", "admin")]
    assert history[1]["reason"] == "ok Alice"
    [interest] = company["tender_interests"]
    assert interest["tender"]["title"] == "Entretien des espaces verts"
    assert interest["message"] == "Message de Alice"
    assert interest["withdrawn_at"] is None
    assert [n["title"] for n in data["notifications"]] == ["Décision pour Alice"]
    assert data["notification_preferences"]["chosen"] == {"new_matching_tender": "daily"}
    assert data["notification_preferences"]["effective"]["new_matching_tender"] == "daily"
    [email] = data["emails"]
    assert (email["subject"], email["status"]) == ("Sujet pour Alice", "sent")
    assert email["sent_at"].endswith("+00:00")
    assert data["buyer_organisation"] is None
    assert data["tenders"] == []


def test_the_export_holds_no_secret_and_nobody_elses_data(two_entrepreneurs):
    alice, bruno = two_entrepreneurs
    text = json.dumps(export_user_data(alice), ensure_ascii=False)

    for secret in ("password", "hash", "session_token", "submission_token", "tok-Alice", alice.password_hash,
                   alice.session_token, "SECRETAlice", "CORPS TEXTE", "CORPS HTML", "unsubscribe"):
        assert secret not in text, secret
    for other in ("Bruno", bruno.email, "Admin Secret"):
        assert other not in text, other


def test_a_buyer_exports_the_organisation_and_its_tenders_but_not_a_colleagues_draft(make_user, make_tender):
    buyer = make_user(Role.BUYER)
    colleague = make_user(Role.BUYER, buyer_organisation=buyer.buyer_organisation, full_name="Collègue Discret")
    make_tender(buyer=buyer, title="Marché publié", budget_cents=990_000, lots=({"title": "Lot unique"},))
    make_tender(buyer=buyer, title="Mon brouillon", status=TenderStatus.DRAFT)
    make_tender(buyer=colleague, title="Publié par la collègue")
    make_tender(buyer=colleague, title="Brouillon de la collègue", status=TenderStatus.DRAFT)
    make_tender(title="Autre organisation")

    data = export_user_data(buyer)

    assert data["buyer_organisation"]["name"] == buyer.buyer_organisation.name
    tenders = {t["title"]: t for t in data["tenders"]}
    assert set(tenders) == {"Marché publié", "Mon brouillon", "Publié par la collègue"}
    assert tenders["Marché publié"]["budget_eur"] == "9900.00"
    assert tenders["Marché publié"]["created_by_you"] is True
    assert tenders["Publié par la collègue"]["created_by_you"] is False
    assert [lot["title"] for lot in tenders["Marché publié"]["lots"]] == ["Lot unique"]
    assert "Collègue Discret" not in json.dumps(data, ensure_ascii=False)


# --- the page and the download ------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for method in (client.get, client.post):
        response = method("/compte/mes-donnees")
        assert response.status_code == 302
        assert "/compte/connexion" in response.headers["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_page_and_downloads_its_file(client, auth, make_user, role):
    user = make_user(role, full_name="Dominique Équipe")
    auth.login_as(user)
    page = client.get("/compte/mes-donnees")
    assert page.status_code == 200
    assert 'action="/compte/mes-donnees"' in page.get_data(as_text=True)

    response = client.post("/compte/mes-donnees")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="mes-donnees-\d{4}-\d{2}-\d{2}\.json"',
                        response.headers["Content-Disposition"])
    raw = response.get_data().decode("utf-8")
    assert "Dominique Équipe" in raw  # UTF-8, not \u escapes
    assert raw.startswith("{\n  ")  # indented
    assert json.loads(raw)["account"]["email"] == user.email


def test_the_download_needs_the_csrf_token(app, make_user):
    from tests.conftest import PASSWORD

    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    user = make_user(Role.SUPPLIER)
    login_page = client.get("/compte/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert client.post("/compte/connexion", data={"email": user.email, "password": PASSWORD,
                                                   "csrf_token": token}).status_code == 302

    assert client.post("/compte/mes-donnees").status_code == 400
    page = client.get("/compte/mes-donnees").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/compte/mes-donnees", data={"csrf_token": token})
    assert response.status_code == 200
    assert json.loads(response.get_data())["account"]["email"] == user.email
