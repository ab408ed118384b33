"""Buyers' sourcing: shortlists per tender and lot, supplier search, supplier sheets; access rules."""

import re

import pytest

from marketplace.buyers import curation
from marketplace.models import QpvStatus, Role

pytestmark = pytest.mark.usefixtures("fresh_engine")


@pytest.fixture
def market(make_user, make_supplier, make_tender):
    buyer = make_user(Role.BUYER)
    cleaner = make_supplier(name="Net Horizon", qpv_status=QpvStatus.NOT_IN_QPV, offers=(
        {"title": "Nettoyage de bureaux", "description": "Entretien et vitrerie", "cpv_codes": ["90910000-9"],
         "keywords": ["nettoyage", "vitrerie"], "departments": ["93"]},))
    qpv_cleaner = make_supplier(name="Propreté Franc-Moisin", qpv_status=QpvStatus.VERIFIED, qpv_code="QN09328M",
                                offers=({"title": "Nettoyage des parties communes", "cpv_codes": ["90911200-8"],
                                         "keywords": ["nettoyage"], "departments": ["93"]},))
    painter = make_supplier(name="Couleurs 93", qpv_status=QpvStatus.VERIFIED, qpv_code="QN09328M", offers=(
        {"title": "Peinture des logements", "cpv_codes": ["45442100-8"], "keywords": ["peinture"]},))
    tender = make_tender(buyer=buyer, title="Nettoyage des bureaux du siège", cpv_codes=["90910000-9"],
                         lots=({"title": "Peinture des halls", "cpv_codes": ["45442100-8"]},))
    return {"buyer": buyer, "cleaner": cleaner, "qpv_cleaner": qpv_cleaner, "painter": painter, "tender": tender}


def names(page):
    html = page.get_data(as_text=True)
    return [n for n in ("Net Horizon", "Propreté Franc-Moisin", "Couleurs 93") if n in html], html


def test_shortlist_ranks_with_reasons(client, auth, market):
    auth.login_as(market["buyer"])
    page = client.get(f"/acheteur/appels-d-offres/{market['tender'].id}/fournisseurs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Net Horizon") < html.index("Couleurs 93")
    assert "mots en commun" in html
    assert "Pertinence" in html


def test_shortlist_for_a_lot_and_qpv_only(client, auth, market):
    auth.login_as(market["buyer"])
    lot = market["tender"].lots[0]
    html = client.get(f"/acheteur/appels-d-offres/{market['tender'].id}/fournisseurs?lot={lot.id}").get_data(
        as_text=True
    )
    assert "pour le lot 1" in html
    assert html.index("Couleurs 93") < html.index("Net Horizon")
    found, _ = names(client.get(f"/acheteur/appels-d-offres/{market['tender'].id}/fournisseurs?qpv=1"))
    assert "Net Horizon" not in found
    assert "Propreté Franc-Moisin" in found


def test_another_organisation_cannot_see_the_shortlist(client, auth, make_user, market):
    auth.login_as(make_user(Role.BUYER))
    assert client.get(f"/acheteur/appels-d-offres/{market['tender'].id}/fournisseurs").status_code == 404


@pytest.mark.parametrize("role", [Role.SUPPLIER, Role.ORGANISER, Role.ADMIN])
@pytest.mark.parametrize("path", ["/acheteur/appels-d-offres/{id}/fournisseurs", "/acheteur/fournisseurs/{sid}"])
def test_other_roles_are_refused(client, auth, make_user, market, role, path):
    auth.login_as(make_user(role))
    url = path.format(id=market["tender"].id, sid=market["cleaner"].id)
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(client, market):
    page = client.get(f"/acheteur/fournisseurs/{market['cleaner'].id}")
    assert page.status_code == 302
    assert "/compte/connexion" in page.headers["Location"]


def test_search_tolerates_typos_and_filters(client, auth, market):
    auth.login_as(market["buyer"])
    found, html = names(client.get("/acheteur/fournisseurs?q=netoyage"))
    assert set(found) == {"Net Horizon", "Propreté Franc-Moisin"}
    found, _ = names(client.get("/acheteur/fournisseurs?q=netoyage&qpv=1"))
    assert found == ["Propreté Franc-Moisin"]
    found, _ = names(client.get("/acheteur/fournisseurs?q=peinture&departement=13"))
    assert found == []


@pytest.mark.parametrize("query", ["", "   ", "le la les", "x" * 5000, "🧹🧽", "\u202enettoyage", "&departement=%%"])
def test_search_never_fails_on_odd_input(client, auth, market, query):
    auth.login_as(market["buyer"])
    page = client.get("/acheteur/fournisseurs", query_string={"q": query, "departement": "zz"})
    assert page.status_code == 200


def test_empty_search_shows_no_result_header(client, auth, market):
    auth.login_as(market["buyer"])
    html = client.get("/acheteur/fournisseurs").get_data(as_text=True)
    assert "résultat" not in html
    assert "Que cherchez-vous" in html


def test_supplier_sheet(client, auth, market):
    auth.login_as(market["buyer"])
    html = client.get(f"/acheteur/fournisseurs/{market['qpv_cleaner'].id}").get_data(as_text=True)
    assert "Nettoyage des parties communes" in html
    assert "QN09328M" in html
    assert client.get("/acheteur/fournisseurs/999999").status_code == 404


@pytest.mark.parametrize(("status", "shown"), [(QpvStatus.VERIFIED, True), (QpvStatus.DECLARED, True),
                                               (QpvStatus.REJECTED, False)])
def test_the_supplier_sheet_shows_the_qpv_code_of_a_claim_shown(client, auth, market, make_supplier, status, shown):
    company = make_supplier(name="Quartier Propre", qpv_status=status, qpv_code="QN09399X")
    auth.login_as(market["buyer"])
    html = client.get(f"/acheteur/fournisseurs/{company.id}").get_data(as_text=True)
    assert ("(QN09399X)" in html) is shown


def test_an_unknown_department_is_ignored_rather_than_matching_nothing(client, auth, market):
    auth.login_as(market["buyer"])
    found, _ = names(client.get("/acheteur/fournisseurs?q=netoyage&departement=ZZ"))
    assert set(found) == {"Net Horizon", "Propreté Franc-Moisin"}


def test_the_qpv_only_lists_are_full_however_many_companies_rank_above(client, auth, market, make_supplier,
                                                                       monkeypatch):
    # More companies outside QPV rank above the QPV ones than any over-fetch would cover.
    monkeypatch.setattr(curation, "CURATED_SIZE", 2)  # the shortlist page lists the curated top-k
    for n in range(12):
        make_supplier(name=f"Grand Nettoyage {n}", qpv_status=QpvStatus.NOT_IN_QPV, offers=(
            {"title": "Nettoyage des bureaux du siège", "description": "Nettoyage de bureaux, vitrerie",
             "cpv_codes": ["90910000-9"], "keywords": ["nettoyage", "bureaux"], "departments": ["93"]},))
    make_supplier(name="Quartier Propre", qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M",
                  offers=({"title": "Entretien", "description": "nettoyage des bureaux"},))
    auth.login_as(market["buyer"])
    for url in (f"/acheteur/appels-d-offres/{market['tender'].id}/fournisseurs?qpv=1",
                "/acheteur/fournisseurs?q=nettoyage+bureaux&qpv=1"):
        html = client.get(url).get_data(as_text=True)
        assert html.count('class="ranked-supplier"') == 2, url
        assert "Grand Nettoyage" not in html
        assert "Net Horizon" not in html
        assert "Propreté Franc-Moisin" in html
    # The lines of the QPV-only list (outside the whole list's top 2) can be followed up from it.
    shortlist = f"/acheteur/appels-d-offres/{market['tender'].id}/fournisseurs"
    lines = (set(re.findall(r'id="suivi-(\d+)"', client.get(f"{shortlist}?qpv=1").get_data(as_text=True)))
             - set(re.findall(r'id="suivi-(\d+)"', client.get(shortlist).get_data(as_text=True))))
    assert lines
    for company in lines:
        answer = client.post(f"{shortlist}/{company}/suivi", data={
            f"c{company}-status": "kept", f"c{company}-qpv": "1", f"c{company}-page": "1"})
        assert answer.status_code == 302


def test_cautions_are_shown_as_cautions(client, auth, market, make_supplier, make_tender):
    small = make_supplier(name="Petite Main", headcount=1, annual_revenue_cents=5_000_000, offers=(
        {"title": "Repassage", "description": "Repassage de linge", "keywords": ["repassage"], "departments": ["93"]},))
    tender = make_tender(buyer=market["buyer"], title="Repassage du linge des crèches", budget_cents=500_000_000)
    auth.login_as(market["buyer"])
    html = client.get(f"/acheteur/appels-d-offres/{tender.id}/fournisseurs").get_data(as_text=True)
    assert small.name in html
    caution = re.search(r'<li class="reason-caution">(.*?)</li>', html, re.S)
    assert caution is not None
    assert "Attention :" in caution.group(1)
    assert "budget élevé au regard de la taille de l&#39;entreprise" in caution.group(1)
    positive = re.search(r"<li>\s*mots en commun : repassage, linge\s*</li>", html)
    assert positive is not None
