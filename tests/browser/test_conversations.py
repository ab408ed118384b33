"""Messaging in a real browser, desktop and phone: the entrepreneur writes from the tender page, the buyer sees
the header counter, reads and answers; inbox, thread and start pages have no sideways scroll, no WCAG 2.1 AA
violation and no console error (the CSP stays on)."""

from playwright.sync_api import expect

from tests.browser.test_layout import check_pages, layout_problems, log_in, market, screen  # noqa: F401 (fixtures)

LONG_WORD = "Anticonstitutionnellement" * 4  # one unbroken word wider than a phone


def problems_once_loaded(page, axe_violations) -> list[str]:
    """Layout measured once the page's stylesheets are in (a click returns as soon as the new page commits)."""
    page.wait_for_load_state("load")
    return layout_problems(page, axe_violations)


def test_conversation_between_an_entrepreneur_and_a_buyer(screen, axe_violations, market):  # noqa: F811
    tender = market["tender"]
    log_in(screen, "awa@exemple.fr")
    problems = check_pages(screen, axe_violations, ["/messages/"])  # the empty state
    expect(screen.get_by_text("Aucun message pour l'instant.")).to_be_visible()
    screen.goto(f"/entrepreneur/appels-d-offres/{tender}")
    screen.get_by_role("button", name="Écrire à l'acheteur").click()
    problems += problems_once_loaded(screen, axe_violations)
    screen.get_by_label("Votre message").fill(f"Bonjour, <script>alert(1)</script> {LONG_WORD}\nDeuxième ligne.")
    screen.get_by_role("button", name="Envoyer le message").click()
    expect(screen.get_by_role("heading", name="Conversation avec Office public de l'habitat de Seine-Saint-Denis",
                              level=1)).to_be_visible()
    expect(screen.get_by_text("Bonjour, <script>alert(1)</script>", exact=False)).to_be_visible()
    problems += problems_once_loaded(screen, axe_violations)
    screen.get_by_role("button", name="Se déconnecter").click()

    log_in(screen, "achat@exemple.fr")
    messages = screen.get_by_role("link", name="Messages")
    expect(messages).to_contain_text("1")
    messages.click()
    expect(screen.get_by_role("heading", name="Mes messages", level=1)).to_be_visible()
    problems += problems_once_loaded(screen, axe_violations)
    screen.get_by_role("link", name="Propreté et Services du Franc-Moisin").click()
    expect(screen.get_by_text("Nouveau", exact=True)).to_be_visible()
    screen.get_by_label("Votre message").fill("")
    screen.get_by_role("button", name="Envoyer").click()
    expect(screen.locator("#body-erreur")).to_have_text("Écrivez votre message avant de l'envoyer.")
    problems += problems_once_loaded(screen, axe_violations)
    screen.get_by_label("Votre message").fill("Merci, nous vous appelons demain.")
    screen.get_by_role("button", name="Envoyer").click()
    expect(screen.get_by_text("Merci, nous vous appelons demain.")).to_be_visible()
    expect(screen.get_by_role("link", name="Messages", exact=True)).to_be_visible()  # all read: no count
    problems += problems_once_loaded(screen, axe_violations)
    screen.goto(f"/acheteur/fournisseurs/{market['company']}")
    expect(screen.get_by_text("Cette entreprise se contacte par la messagerie")).to_be_visible()
    screen.get_by_role("button", name="Écrire à cette entreprise").click()
    expect(screen.get_by_label("À propos de l'appel d'offres")).to_be_visible()
    problems += problems_once_loaded(screen, axe_violations)
    assert not problems, "\n".join(problems)
