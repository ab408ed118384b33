"""Every role's main pages on a desktop (1280 px) and a phone (390 px): no sideways scroll, WCAG 2.1 AA rules
(scrollable regions reachable by keyboard included), a one-line header, and the form widgets a phone needs
(department checkboxes ticked by tap, the CPV list closed when leaving the field)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from marketplace.extensions import db
from marketplace.models import (
    BuyerOrganisation,
    Lot,
    Offer,
    QpvStatus,
    QpvStatusChange,
    Role,
    SupplierCompany,
    Tender,
    TenderStatus,
    User,
)
from tests.browser.measures import horizontal_overflow
from tests.conftest import PASSWORD

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}

# Elements reaching beyond the screen's width, for a readable failure message.
OFFENDERS_JS = """width => {
  const found = [];
  const scrolledInside = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    const positioned = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    if (box.width && box.right > width + 0.5 && (positioned || !scrolledInside(el))) {
      found.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                 (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
                 ' ' + Math.round(box.right) + 'px');
    }
  }
  return found.slice(0, 5);
}"""

# Lines of text a link occupies (one rectangle per line box fragment).
LINES_JS = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
}"""


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, live_server, console_errors):
    """A page on a desktop's or a phone's screen, watched for console errors like conftest's ``page``."""
    context = browser.new_context(base_url=live_server, locale="fr-FR", **SCREENS[request.param])
    context.set_default_timeout(5000)
    yield console_errors.watch(context.new_page())
    context.close()


@pytest.fixture
def market(live_app):
    """One account per role and what their pages show: a company with offers and a QPV history awaiting
    review, a published tender with two lots, realistic (long) French names."""
    with live_app.app_context():
        hashed = generate_password_hash(PASSWORD)
        supplier = User(email="awa@exemple.fr", full_name="Awa Diallo", role=Role.SUPPLIER, password_hash=hashed)
        organisation = BuyerOrganisation(name="Office public de l'habitat de Seine-Saint-Denis")
        buyer = User(email="achat@exemple.fr", full_name="Ana Acheteuse", role=Role.BUYER, password_hash=hashed,
                     buyer_organisation=organisation)
        admin = User(email="admin@exemple.fr", full_name="Alex Administrateur", role=Role.ADMIN, password_hash=hashed)
        organiser = User(email="orga@exemple.fr", full_name="Olga Organisatrice", role=Role.ORGANISER,
                         password_hash=hashed)
        company = SupplierCompany(
            name="Propreté et Services du Franc-Moisin", siret="73282932000074", owner=supplier,
            address="14 rue Gabriel-Péri", postcode="93200", commune_insee="93066", commune_name="Saint-Denis",
            department="93", qpv_status=QpvStatus.DECLARED, qpv_code="QN09328M",
            description="Entretien des parties communes, bureaux et crèches en horaires décalés.",
            website="https://www.proprete-franc-moisin.example",
        )
        company.offers.append(Offer(
            title="Nettoyage de bureaux et de parties communes d'immeubles",
            description="Entretien quotidien en horaires décalés, vitrerie, remise en état de logements vacants.",
            cpv_codes=["90910000-9", "90911200-8"], keywords=["nettoyage", "bureaux"], departments=["93", "75"],
        ))
        stamp = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
        history = [
            QpvStatusChange(supplier=company, old_status=None, new_status=QpvStatus.DECLARED, qpv_code="QN09328M",
                            method="declaration", actor=supplier, created_at=stamp),
            QpvStatusChange(supplier=company, old_status=QpvStatus.DECLARED, new_status=QpvStatus.REJECTED,
                            qpv_code="QN09328M", method="admin", actor=admin, created_at=stamp + timedelta(days=2),
                            reason="Le justificatif de domiciliation fourni ne mentionne pas l'adresse déclarée."),
            QpvStatusChange(supplier=company, old_status=QpvStatus.REJECTED, new_status=QpvStatus.DECLARED,
                            qpv_code="QN09328M", method="declaration", actor=supplier,
                            created_at=stamp + timedelta(days=5)),
        ]
        tender = Tender(
            buyer_organisation=organisation, created_by=buyer, status=TenderStatus.PUBLISHED,
            title="Nettoyage des parties communes de douze résidences", department="93", postcode="93200",
            description="Entretien des halls, escaliers et paliers, sortie des conteneurs.",
            cpv_codes=["90911200-8", "90910000-9"], budget_cents=480_000_00,
            deadline=date.today() + timedelta(days=30), published_at=datetime.now(UTC) - timedelta(days=2),
            lots=[
                Lot(number=1, title="Résidences du secteur nord de Saint-Denis",
                    description="Entretien courant des parties communes, trois passages par semaine.",
                    cpv_codes=["90911200-8", "90910000-9", "90911300-9"], budget_cents=250_000_00),
                Lot(number=2, title="Vitrerie de l'ensemble des sites", description="Nettoyage trimestriel.",
                    cpv_codes=["90911300-9"], budget_cents=230_000_00),
            ],
        )
        db.session.add_all([supplier, buyer, admin, organiser, company, *history, tender])
        db.session.commit()
        return {"company": company.id, "offer": company.offers[0].id, "tender": tender.id}


def log_in(page, email):
    page.goto("/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def layout_problems(page, axe_violations) -> list[str]:
    """What is wrong with the page as shown: sideways scroll, WCAG violations, a header link on several lines."""
    problems = []
    width = page.viewport_size["width"]
    overflow = horizontal_overflow(page)
    if overflow > 0:
        problems.append(f"{page.url}: {overflow} px de défilement horizontal {page.evaluate(OFFENDERS_JS, width)}")
    violations = axe_violations(page)
    if violations:
        problems.append(f"{page.url}: axe {violations}")
    dashboard = page.get_by_role("link", name="Mon tableau de bord")
    if dashboard.count() and dashboard.evaluate(LINES_JS) != 1:
        problems.append(f"{page.url}: « Mon tableau de bord » sur {dashboard.evaluate(LINES_JS)} lignes")
    return problems


def check_pages(page, axe_violations, paths) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        problems += layout_problems(page, axe_violations)
    return problems


def test_public_pages(screen, axe_violations):
    problems = check_pages(screen, axe_violations, ["/", "/compte/connexion", "/compte/inscription",
                                                     "/accessibilite"])
    assert not problems, "\n".join(problems)


def test_supplier_pages(screen, axe_violations, market):
    log_in(screen, "awa@exemple.fr")
    company = market["company"]
    problems = check_pages(screen, axe_violations, [
        "/entrepreneur/", f"/entrepreneur/entreprises/{company}/profil", f"/entrepreneur/entreprises/{company}/qpv",
        f"/entrepreneur/entreprises/{company}/offres/nouvelle", f"/entrepreneur/offres/{market['offer']}/modifier",
    ])
    assert not problems, "\n".join(problems)


def test_buyer_pages(screen, axe_violations, market):
    log_in(screen, "achat@exemple.fr")
    tender = market["tender"]
    problems = check_pages(screen, axe_violations, [
        "/acheteur/", "/acheteur/appels-d-offres", f"/acheteur/appels-d-offres/{tender}",
        f"/acheteur/appels-d-offres/{tender}/modifier", f"/acheteur/appels-d-offres/{tender}/fournisseurs",
        "/acheteur/fournisseurs?q=nettoyage", f"/acheteur/fournisseurs/{market['company']}",
    ])
    # A new tender with two lots added in the page.
    screen.goto("/acheteur/appels-d-offres/nouveau")
    for _ in range(2):
        screen.get_by_role("button", name="Ajouter un lot").click()
    expect(screen.locator("[data-lot]")).to_have_count(2)
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)


def test_admin_pages(screen, axe_violations, market):
    log_in(screen, "admin@exemple.fr")
    problems = check_pages(screen, axe_violations, [
        "/admin/", "/admin/verifications", f"/admin/verifications/{market['company']}",
    ])
    assert not problems, "\n".join(problems)


def test_organiser_page(screen, axe_violations, market):
    log_in(screen, "orga@exemple.fr")
    problems = check_pages(screen, axe_violations, ["/evenements/"])
    assert not problems, "\n".join(problems)


def test_the_header_fits_on_one_line_of_a_phone(phone_page, market):
    phone_page.set_viewport_size({"width": 390, "height": 844})
    log_in(phone_page, "awa@exemple.fr")
    link = phone_page.get_by_role("link", name="Mon tableau de bord")
    assert link.evaluate(LINES_JS) == 1
    box = link.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390


def test_scrolled_tables_are_reachable_by_keyboard(screen, market):
    """A table wider than a phone scrolls inside a labelled region the keyboard can focus."""
    log_in(screen, "admin@exemple.fr")
    screen.goto(f"/admin/verifications/{market['company']}")
    region = screen.get_by_role("region", name=re.compile("Historique"))
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.locator("table")).to_be_visible()


def test_departments_are_ticked_by_tap_on_a_phone(phone_page, market):
    phone_page.set_viewport_size({"width": 390, "height": 844})
    log_in(phone_page, "awa@exemple.fr")
    phone_page.goto(f"/entrepreneur/entreprises/{market['company']}/offres/nouvelle")
    assert phone_page.locator("select[multiple]").count() == 0
    expect(phone_page.get_by_text(re.compile("Ctrl|Cmd"))).to_have_count(0)
    phone_page.locator("#title").fill("Vitrerie de bureaux")
    phone_page.get_by_role("combobox").fill("90911300-9")
    departments = phone_page.get_by_role("group", name=re.compile("Départements d'intervention"))
    departments.get_by_text("Île-de-France").tap()
    phone_page.get_by_role("checkbox", name="93 - Seine-Saint-Denis").tap()
    phone_page.get_by_role("checkbox", name="75 - Paris").tap()
    expect(phone_page.get_by_role("checkbox", name="93 - Seine-Saint-Denis")).to_be_checked()
    phone_page.get_by_role("button", name="Publier l'offre").tap()
    expect(phone_page.get_by_text("Offre publiée.")).to_be_visible()
    phone_page.get_by_role("link", name="Modifier Vitrerie de bureaux").tap()
    expect(phone_page.get_by_role("checkbox", name="93 - Seine-Saint-Denis")).to_be_checked()
    expect(phone_page.get_by_role("checkbox", name="75 - Paris")).to_be_checked()
    expect(phone_page.get_by_role("checkbox", name="92 - Hauts-de-Seine")).not_to_be_checked()


def test_the_department_filter_narrows_the_list(page, market):
    log_in(page, "awa@exemple.fr")
    page.goto(f"/entrepreneur/entreprises/{market['company']}/offres/nouvelle")
    page.get_by_label("Filtrer les départements").fill("seine")
    expect(page.get_by_role("checkbox", name="93 - Seine-Saint-Denis")).to_be_visible()
    expect(page.get_by_role("checkbox", name="76 - Seine-Maritime")).to_be_visible()
    expect(page.get_by_role("checkbox", name="01 - Ain")).to_be_hidden()
    page.get_by_role("checkbox", name="93 - Seine-Saint-Denis").check()
    page.get_by_label("Filtrer les départements").fill("")
    expect(page.get_by_role("checkbox", name="93 - Seine-Saint-Denis")).to_be_checked()


def test_the_cpv_list_closes_when_tab_leaves_the_field(page, market):
    """Typed (or pasted) then Tab at once: the suggestions must not open over the next field afterwards."""
    log_in(page, "awa@exemple.fr")
    page.goto(f"/entrepreneur/entreprises/{market['company']}/offres/nouvelle")
    cpv = page.get_by_role("combobox")
    cpv.fill("nettoyage")
    cpv.press("Tab")
    expect(page.get_by_role("button", name="Suggérer des codes CPV d'après le texte")).to_be_focused()
    page.wait_for_timeout(600)  # longer than the typing pause and the answer: the bug would show by now
    page.wait_for_load_state("networkidle")
    expect(cpv).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox", name="Codes CPV proposés")).to_be_hidden()


def test_the_cpv_list_stays_closed_when_the_answer_comes_after_tab(page, market):
    log_in(page, "awa@exemple.fr")
    page.goto(f"/entrepreneur/entreprises/{market['company']}/offres/nouvelle")
    held = []
    api = re.compile(r"/api/cpv\?")
    page.route(api, lambda route: held.append(route))
    cpv = page.get_by_role("combobox")
    with page.expect_request(api):
        cpv.fill("nettoyage")
    cpv.press("Tab")
    with page.expect_response(api) as answer:
        held[0].continue_()
    page.unroute(api)
    answer.value.finished()
    page.wait_for_timeout(200)  # lets the page handle the answer
    expect(cpv).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox", name="Codes CPV proposés")).to_be_hidden()
    # Back in the field, the keyboard still opens the list.
    cpv.fill("")
    cpv.fill("nettoyage")
    expect(cpv).to_have_attribute("aria-expanded", "true")
    cpv.press("Escape")
    expect(cpv).to_have_attribute("aria-expanded", "false")


def test_favicon_ico_is_served(page, live_server):
    response = page.request.get(f"{live_server}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # the ICO signature
