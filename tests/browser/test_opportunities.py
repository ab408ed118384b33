"""Opportunités, the entrepreneur's tender page, "Je suis intéressé" and the buyer's public page in a real browser,
desktop and phone: no sideways scroll, no WCAG 2.1 AA violation, no console error; the buyer then sees the
interest on its tender page."""

from playwright.sync_api import expect

from tests.browser.test_layout import check_pages, layout_problems, log_in, market, screen  # noqa: F401 (fixtures)


def test_entrepreneur_pages_and_interest(screen, axe_violations, market):  # noqa: F811
    log_in(screen, "awa@exemple.fr")
    tender = market["tender"]
    problems = check_pages(screen, axe_violations,
                           ["/entrepreneur/opportunites", f"/entrepreneur/appels-d-offres/{tender}"])
    screen.get_by_label("Lot 2 : Vitrerie de l'ensemble des sites").check()
    screen.get_by_label("Message à l'acheteur (facultatif)").fill("Nous intervenons déjà à Saint-Denis.")
    screen.get_by_role("button", name="Je suis intéressé").click()
    expect(screen.get_by_role("button", name="Retirer mon intérêt pour Propreté et Services du Franc-Moisin")
           ).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("link", name="Office public de l'habitat de Seine-Saint-Denis").click()
    expect(screen.get_by_role("heading", name="Ce qu'ils achètent")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    screen.get_by_role("button", name="Se déconnecter").click()
    log_in(screen, "achat@exemple.fr")
    screen.goto(f"/acheteur/appels-d-offres/{tender}")
    expect(screen.get_by_role("heading", name="Entreprises intéressées (1)")).to_be_visible()
    expect(screen.get_by_text("Nous intervenons déjà à Saint-Denis.")).to_be_visible()
    problems += layout_problems(screen, axe_violations)
    assert not problems, "\n".join(problems)
